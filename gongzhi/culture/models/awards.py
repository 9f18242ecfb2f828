"""评选 (表彰 / 道德榜样): award categories as data, a selection campaign per 社区, nominations
reviewed before the vote, residents' votes (one per resident per campaign: a unique constraint)
and the results, kept on the nominations once published.

A campaign belongs to one 社区: its voters are that 社区's residents (identified on the public
page through `people.selectors.resident_identify`, which is per 社区) and its result goes on that
社区's notice board. A 街道 that selects across its 社区 runs one campaign in each.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import Person


class AwardCategory(TimeStampedModel):
    """A kind of honour (好党员, 好媳妇, 好婆婆, 道德榜样, 最美家庭 …): district-wide (community
    empty, loaded by the migration) or a 社区's own."""

    community = models.ForeignKey(Place, verbose_name=_("社区"), null=True, blank=True, on_delete=models.CASCADE, related_name="award_categories",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY}, help_text=_("留空为全区通用"))
    name = models.CharField(_("评选类别"), max_length=20)
    description = models.CharField(_("评选标准"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "评选类别")
        verbose_name_plural = _("评选类别")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @classmethod
    def for_community(cls, community: Place):
        return cls.objects.filter(Q(community=community) | Q(community__isnull=True), active=True)


class TieRule(models.TextChoices):
    FLAG = "flag", _("并列待定：由评选小组从并列者中确定")
    ALL = "all", _("并列均当选：可超出名额")


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("未开始")
    NOMINATING = "nominating", _("提名中")
    REVIEWING = "reviewing", _("审核中")
    VOTING = "voting", _("投票中")
    COUNTING = "counting", _("待公布")
    PUBLISHED = "published", _("已公布")


class Campaign(TimeStampedModel):
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="award_campaigns",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    category = models.ForeignKey(AwardCategory, verbose_name=_("评选类别"), on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(_("评选名称"), max_length=80)
    occasion = models.CharField(_("结合节日"), max_length=20, blank=True, help_text=_("如建党节、国庆节、重阳节"))
    description = models.TextField(_("评选说明"), max_length=2000, blank=True)
    seats = models.PositiveSmallIntegerField(_("评选名额"), validators=[MinValueValidator(1)])
    nominate_from = models.DateField(_("提名开始"))
    nominate_until = models.DateField(_("提名截止"))
    vote_from = models.DateField(_("投票开始"))
    vote_until = models.DateField(_("投票截止"), db_index=True)
    tie_rule = models.CharField(_("票数并列时"), max_length=8, choices=TieRule.choices, default=TieRule.FLAG)
    results_published_at = models.DateTimeField(_("结果公布时间"), null=True, blank=True, db_index=True)
    results_note = models.CharField(_("结果说明"), max_length=300, blank=True, help_text=_("如并列时评选小组的决定"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["community", "category", "recorded_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "评选活动")
        verbose_name_plural = _("评选活动")
        ordering = ["-vote_until", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(nominate_until__gte=F("nominate_from")), name="culture_campaign_nomination_period"),
            models.CheckConstraint(condition=Q(vote_from__gt=F("nominate_until")), name="culture_campaign_vote_after_nomination"),
            models.CheckConstraint(condition=Q(vote_until__gte=F("vote_from")), name="culture_campaign_vote_period"),
        ]

    def __str__(self):
        return self.title

    def phase(self, today=None) -> str:
        today = today or timezone.localdate()
        if self.results_published_at:
            return Phase.PUBLISHED
        if today < self.nominate_from:
            return Phase.UPCOMING
        if today <= self.nominate_until:
            return Phase.NOMINATING
        if today < self.vote_from:
            return Phase.REVIEWING
        if today <= self.vote_until:
            return Phase.VOTING
        return Phase.COUNTING

    def phase_label(self, today=None) -> str:
        return Phase(self.phase(today)).label

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class NominatorKind(models.TextChoices):
    STAFF = "staff", _("社区推荐")
    ORGANISATION = "organisation", _("组织推荐")
    RESIDENTS = "residents", _("群众推荐")
    SELF = "self", _("个人自荐")


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("审核通过")
    REJECTED = "rejected", _("未通过")


class Nomination(TimeStampedModel):
    campaign = models.ForeignKey(Campaign, verbose_name=pgettext_lazy("singular", "评选活动"), on_delete=models.CASCADE, related_name="nominations")
    person = models.ForeignKey(Person, verbose_name=_("被提名人"), on_delete=models.PROTECT, related_name="nominations")
    reason = models.TextField(_("主要事迹"), max_length=2000)
    nominator_kind = models.CharField(_("提名方式"), max_length=14, choices=NominatorKind.choices)
    nominator = models.CharField(_("提名人/单位"), max_length=60)
    status = models.CharField(_("审核状态"), max_length=10, choices=NominationStatus.choices, default=NominationStatus.PENDING, db_index=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    votes = models.PositiveIntegerField(_("得票"), null=True, blank=True, help_text=_("结果公布时记录"))
    rank = models.PositiveSmallIntegerField(_("名次"), null=True, blank=True)
    elected = models.BooleanField(_("当选"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["campaign", "person", "reviewed_by", "recorded_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "提名")
        verbose_name_plural = _("提名")
        ordering = ["campaign_id", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "person"], name="culture_nomination_once")]

    def __str__(self):
        return f"{self.campaign} · {self.person.name}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="campaign__community__path")


class Vote(models.Model):
    """One resident's vote in a campaign. Who voted is never shown anywhere: the record exists so
    that each resident votes once (the unique constraint) and the tally can be checked."""

    campaign = models.ForeignKey(Campaign, verbose_name=pgettext_lazy("singular", "评选活动"), on_delete=models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(Nomination, verbose_name=_("所投提名"), on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(Person, verbose_name=_("投票人"), on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField(_("投票时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "投票")
        verbose_name_plural = _("投票")
        constraints = [models.UniqueConstraint(fields=["campaign", "voter"], name="culture_vote_once_per_resident")]

    def __str__(self):
        return f"{self.campaign} · {self.cast_at:%Y-%m-%d %H:%M}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="campaign__community__path")


CAMPAIGN_STEPS = [(p.value, p.label) for p in Phase]
