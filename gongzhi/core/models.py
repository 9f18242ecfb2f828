from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class FigureVersion(models.Model):
    """How many transactions have written an app's records (core.figure_cache): a figure kept
    under an older number is never read again. Bumped after each commit, by whichever process
    wrote, so the web process sees writes of a command-line import or a job worker too."""

    app_label = models.CharField(_("应用"), max_length=100, primary_key=True)
    version = models.BigIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("指标数据版本")
        verbose_name_plural = _("指标数据版本")

    def __str__(self):
        return f"{self.app_label} #{self.version}"
