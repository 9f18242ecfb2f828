from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "gongzhi.org"
    label = "org"
    verbose_name = _("区划与组织")

    def ready(self):
        from . import indicators  # noqa: F401  (registers the headline figures)
