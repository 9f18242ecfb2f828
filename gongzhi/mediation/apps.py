from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "gongzhi.mediation"
    label = "mediation"
    verbose_name = _("矛盾调解")

    def ready(self):
        from . import indicators  # noqa: F401  (registers the figures)
