"""Who volunteers: a person registered with a 社区 (党员志愿者, 群众志愿者, 在职党员报到), their skills,
and the teams they serve in (普通队伍, 专业志愿者队伍, and the 社会组织 a community incubates)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import CommunityCheckin, Person


class Skill(models.Model):
    """A skill a volunteer offers (医疗, 法律, 电工 …): data, loaded with defaults, editable."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿服务技能")
        verbose_name_plural = _("志愿服务技能")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class VolunteerKind(models.TextChoices):
    MEMBER = "member", _("党员志愿者")
    RESIDENT = "resident", _("群众志愿者")
    CHECKIN = "checkin", _("在职党员报到")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    LEFT = "left", _("已退出")


class Volunteer(TimeStampedModel):
    """A person registered as a volunteer with one 社区. A party member's record reaches their
    PartyMember through the person (`person.party_member`); an 在职党员 also names the
    CommunityCheckin that brought them to this community."""

    person = models.ForeignKey(Person, verbose_name=pgettext_lazy("singular", "居民"), on_delete=models.PROTECT, related_name="volunteers")
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="volunteers",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    kind = models.CharField(_("志愿者类别"), max_length=16, choices=VolunteerKind.choices)
    checkin = models.ForeignKey(CommunityCheckin, verbose_name=_("在职党员报到记录"), null=True, blank=True, on_delete=models.PROTECT, related_name="volunteers")
    skills = models.ManyToManyField(Skill, verbose_name=_("技能"), blank=True, related_name="volunteers")
    registered_on = models.DateField(_("注册日期"))
    status = models.CharField(_("状态"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE)
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿者")
        verbose_name_plural = _("志愿者")
        ordering = ["community_id", "person__name", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "community"], condition=Q(status="active"), name="volunteer_unique_active")]
        indexes = [models.Index(fields=["community", "status"], name="volunteer_community_status")]

    def __str__(self):
        return self.person.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class TeamKind(models.TextChoices):
    GENERAL = "general", _("普通志愿者队伍")
    PROFESSIONAL = "professional", _("专业志愿者队伍")
    SOCIAL_ORG = "social_org", _("社会组织")


class Team(TimeStampedModel):
    name = models.CharField(_("名称"), max_length=100)
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="volunteer_teams",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    kind = models.CharField(_("类别"), max_length=16, choices=TeamKind.choices, default=TeamKind.GENERAL)
    leader_name = models.CharField(_("负责人"), max_length=50, blank=True)
    description = models.TextField(_("简介"), blank=True)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    members = models.ManyToManyField(Volunteer, through="TeamMembership", verbose_name=_("队员"), related_name="teams")

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "志愿者队伍")
        verbose_name_plural = _("志愿者队伍")
        ordering = ["community_id", "name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="team_unique_name")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, verbose_name=pgettext_lazy("singular", "志愿者队伍"), on_delete=models.CASCADE, related_name="memberships")
    volunteer = models.ForeignKey(Volunteer, verbose_name=pgettext_lazy("singular", "志愿者"), on_delete=models.CASCADE, related_name="memberships")
    joined_on = models.DateField(_("加入日期"))
    left_on = models.DateField(_("离队日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "队员")
        verbose_name_plural = _("队员")
        ordering = ["team", "joined_on", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "volunteer"], condition=Q(left_on__isnull=True), name="teammembership_unique_current")]

    def __str__(self):
        return f"{self.team} · {self.volunteer}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="team__community__path")
