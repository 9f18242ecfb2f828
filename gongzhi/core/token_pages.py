"""Pages opened by a personal link without a login (a member's /m/<token>/, a resident's 积分卡):
the holder found by the token, or the same 404 page for any other token; never cached, never
indexed, and the link never sent to another site as a referrer ("same-origin": with
"no-referrer" the browser would post forms with Origin: null, which Django's CSRF check refuses)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.shortcuts import render
from django.views.decorators.cache import never_cache


def token_page(find: Callable[[str], object | None], invalid_template: str):
    """Decorate `view(request, holder, token)`; `find(token)` gives the holder or None."""
    def decorate(view):
        @wraps(view)
        def wrapped(request, token):
            holder = find(token)
            response = render(request, invalid_template, status=404) if holder is None else view(request, holder, token)
            response["Referrer-Policy"] = "same-origin"
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response
        return never_cache(wrapped)
    return decorate
