from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CultureConfig(AppConfig):
    name = "gongzhi.culture"
    label = "culture"
    verbose_name = _("德治")

    def ready(self):
        from . import indicators  # noqa: F401  (registers the headline figures)
