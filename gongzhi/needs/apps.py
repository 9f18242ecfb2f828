from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "gongzhi.needs"
    label = "needs"
    verbose_name = _("三张清单")

    def ready(self):
        from . import indicators  # noqa: F401  (registers the headline figures)
