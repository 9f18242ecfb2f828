from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LecturesConfig(AppConfig):
    name = "gongzhi.lectures"
    label = "lectures"
    verbose_name = _("法治讲座")

    def ready(self):
        from . import indicators  # noqa: F401  (registers the headline figures)
