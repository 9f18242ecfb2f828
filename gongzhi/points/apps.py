from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "gongzhi.points"
    label = "points"
    verbose_name = _("党员积分与星级评定")

    def ready(self):
        from . import indicators, sources  # noqa: F401  (registers the headline figures; subscribes to the events that feed the ledger)
