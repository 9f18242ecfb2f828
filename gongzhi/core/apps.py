from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gongzhi.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        import atexit

        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created

        from . import figure_cache

        connection_created.connect(figure_cache.install, dispatch_uid="gongzhi.figure_cache")
        request_finished.connect(figure_cache.flush, dispatch_uid="gongzhi.figure_cache.flush")
        atexit.register(figure_cache.flush_at_exit)
