from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "gongzhi.reports"
    label = "reports"
    verbose_name = _("数据与报告")

    def ready(self):
        from . import jobs  # noqa: F401  (registers the report job)
