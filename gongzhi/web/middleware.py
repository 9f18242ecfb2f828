"""Chinese first: the interface language is Chinese unless the user picked another one.

Django's LocaleMiddleware would also follow the browser's Accept-Language, so a staff member
whose browser happens to be set to English would get English pages without asking. Here only
the language cookie set by the switch in the top bar (Django's set_language view) counts;
without it every page is in settings.LANGUAGE_CODE (简体中文).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                language = translation.get_supported_language_variant(chosen)
            except LookupError:
                pass
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
