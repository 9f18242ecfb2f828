from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartylifeConfig(AppConfig):
    name = "gongzhi.partylife"
    label = "partylife"
    verbose_name = _("组织生活")

    def ready(self):
        from . import indicators  # noqa: F401  (registers the headline figures)
