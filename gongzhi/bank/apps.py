from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankConfig(AppConfig):
    name = "gongzhi.bank"
    label = "bank"
    verbose_name = _("道德银行")

    def ready(self):
        from . import indicators  # noqa: F401  (registers the headline figures)
        from .services import policy  # noqa: F401  (subscribes to records.changed: volunteer hours earn points)
