from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "gongzhi.people"
    label = "people"
    verbose_name = _("人口与党员")

    def ready(self):
        from . import import_jobs  # noqa: F401  (registers the import jobs)
        from . import indicators  # noqa: F401  (registers the headline figures)
