from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "gongzhi.volunteers"
    label = "volunteers"
    verbose_name = _("志愿服务")

    def ready(self):
        from . import indicators  # noqa: F401  (registers the headline figures)
