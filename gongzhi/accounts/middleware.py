from django.utils.functional import SimpleLazyObject

from .scopes import scope_for_user


class ScopeMiddleware:
    """Puts the user's Scope on `request.scope`, built at most once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_for_user(request.user))
        return self.get_response(request)
