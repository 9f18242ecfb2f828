"""项目清单: 惠民 projects formed from needs, with budget and spending, a task map and 挂账销号:
a project stays on the books (立项, 实施中) until it is closed (已销号) with a result and evidence."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import PartyOrganization, Place


class ProjectStatus(models.TextChoices):
    OPENED = "opened", _("立项")
    RUNNING = "running", _("实施中")
    CLOSED = "closed", _("已销号")


OPEN_PROJECT_STATUSES = (ProjectStatus.OPENED, ProjectStatus.RUNNING)
OPEN_PROJECT_Q = Q(status__in=OPEN_PROJECT_STATUSES)


class Project(TimeStampedModel):
    name = models.CharField(_("项目名称"), max_length=100)
    place = models.ForeignKey(Place, verbose_name=_("实施地点"), on_delete=models.PROTECT, related_name="projects", help_text=_("项目所服务的社区、小区或楼栋"))
    organization = models.ForeignKey(PartyOrganization, verbose_name=_("责任党组织"), on_delete=models.PROTECT, related_name="projects")
    leader_name = models.CharField(_("责任人"), max_length=50)
    budget = models.DecimalField(_("专项资金（元）"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(_("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.OPENED)
    opened_on = models.DateField(_("立项日期"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("立项人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("销号人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    result = models.TextField(_("实施结果"), blank=True)
    evidence = models.TextField(_("佐证材料"), blank=True, help_text=_("照片、验收单、会议记录等的说明"))
    public_summary = models.TextField(_("公示摘要"), blank=True, help_text=_("向居民公开的结果说明，不含个人信息"))

    history = HistoricalRecords(no_db_index=["place", "organization", "opened_by", "closed_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "项目")
        verbose_name_plural = _("项目")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["opened_on", "id"], condition=OPEN_PROJECT_Q, name="project_open_age"),
            models.Index(fields=["place", "opened_on"], condition=OPEN_PROJECT_Q, name="project_open_place_age"),
            models.Index(fields=["status", "opened_on"], name="project_status_date"),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="place__path", org="organization__path")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROJECT_STATUSES


class ProjectSpending(models.Model):
    project = models.ForeignKey(Project, verbose_name=pgettext_lazy("singular", "项目"), on_delete=models.CASCADE, related_name="spendings")
    spent_on = models.DateField(_("支出日期"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    purpose = models.CharField(_("用途"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords(no_db_index=["project", "recorded_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "项目支出")
        verbose_name_plural = _("项目支出")
        ordering = ["project", "spent_on", "id"]

    def __str__(self):
        return f"{self.project} · {self.spent_on:%Y-%m-%d} · {self.amount}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="project__place__path", org="project__organization__path")


class ProjectTask(models.Model):
    """One task of a project's task map (任务图): done only after the tasks it depends on."""

    project = models.ForeignKey(Project, verbose_name=pgettext_lazy("singular", "项目"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("任务"), max_length=100)
    owner_name = models.CharField(_("负责人"), max_length=50)
    due_on = models.DateField(_("完成期限"), null=True, blank=True)
    depends_on = models.ManyToManyField("self", verbose_name=_("前置任务"), symmetrical=False, blank=True, related_name="dependents")
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("完成情况"), blank=True)

    history = HistoricalRecords(no_db_index=["project", "done_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "项目任务")
        verbose_name_plural = _("项目任务")
        ordering = ["project", "id"]
        indexes = [models.Index(fields=["project", "done_at"], name="project_task_done")]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="project__place__path", org="project__organization__path")

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
