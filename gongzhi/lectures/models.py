"""法治讲座: 居民点单 → 社区下单 → 团队接单 (DOMAIN §7).

A resident asks for a topic for their 社区 (`LectureRequest`, 点单) and others second it
(`RequestSecond`, 附议: one per resident, a database constraint); the 社区 places an order
(`LectureOrder`, 下单) answering one or more requests (or on its own) and asks one or more teachers
(`OrderInvite`); a teacher accepts or declines with a reason on their personal link (接单); the
lecture is held (attendance), residents rate it (`Feedback`, one per resident) and the order is
closed. Every move of a request or an order is an immutable step row (`RequestStep`, `OrderStep`);
`flow.py` holds the allowed moves.

Teachers hang off a place: a 社区's own 居民讲师 off the 社区, the district's (or a street's) outside
experts off the 区 (街道), and a teacher serves every 社区 under their place. So a lawyer of the
district's 律师团 is entered once and every 社区 can ask them, while each 社区 keeps its own residents.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import ancestor_paths
from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import Person


class TopicCategory(models.TextChoices):
    MARRIAGE = "marriage", _("婚姻家庭")
    PROPERTY = "property", _("物业纠纷")
    FRAUD = "fraud", _("反诈")
    LABOUR = "labour", _("劳动权益")
    MINORS = "minors", _("未成年人保护")
    ELDERLY = "elderly", _("老年人权益")
    NEIGHBOURS = "neighbours", _("邻里关系")
    OTHER = "other", _("其他")


class Topic(models.Model):
    """A topic the teacher team can teach [seed]: data, a starting list loaded by migration 0002,
    added to by the district."""

    title = models.CharField(_("主题"), max_length=60, unique=True)
    category = models.CharField(_("类别"), max_length=16, choices=TopicCategory.choices)
    description = models.TextField(_("内容简介"), blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "讲座主题")
        verbose_name_plural = _("讲座主题")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class TeacherKind(models.TextChoices):
    EXPERT = "expert", _("外部专家")
    RESIDENT = "resident", _("居民讲师")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Teacher(TimeStampedModel):
    name = models.CharField(_("姓名"), max_length=30)
    kind = models.CharField(_("类型"), max_length=10, choices=TeacherKind.choices)
    organisation = models.CharField(_("工作单位"), max_length=80, blank=True, help_text=_("如律师事务所、人民法院、司法所"))
    place = models.ForeignKey(Place, verbose_name=_("所属"), on_delete=models.PROTECT, related_name="lecture_teachers",
                              help_text=_("区或街道的讲师为其下所有社区服务；社区讲师只为本社区服务"))
    person = models.ForeignKey(Person, verbose_name=_("居民档案"), null=True, blank=True, on_delete=models.SET_NULL, related_name="lecture_teachers")
    topics = models.ManyToManyField(Topic, verbose_name=_("可讲主题"), blank=True, related_name="teachers")
    phone_enc = models.TextField(_("手机号（密文）"), blank=True, editable=False)
    phone_hash = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    phone_mask = models.CharField(_("手机号"), max_length=20, blank=True, editable=False)
    intro = models.CharField(_("简介"), max_length=200, blank=True)
    is_active = models.BooleanField(_("在册"), default=True)
    token = models.CharField(_("接单链接"), max_length=43, unique=True, default=new_token, editable=False)
    history = HistoricalRecords(no_db_index=["place", "person"], excluded_fields=["phone_enc", "phone_hash", "token"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "讲师")
        verbose_name_plural = _("讲师")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        """Teachers registered in the scope, and those above it who serve it (a district-wide expert
        is seen by every 社区 worker). Changing one needs its place in scope (`services`)."""
        above = {a for p in scope.place_paths for a in ancestor_paths(p, Place.steplen, include_self=False)}
        return scope.q(place="place__path") | Q(place__path__in=above)

    def serves(self, community: Place) -> bool:
        return community.path.startswith(self.place.path)


class RequestStatus(models.TextChoices):
    OPEN = "open", _("待下单")
    ORDERED = "ordered", _("已下单")
    ANSWERED = "answered", _("已开讲")
    DECLINED = "declined", _("未采纳")


class RequestChannel(models.TextChoices):
    PUBLIC = "public", _("居民手机点单")
    STAFF = "staff", _("社区代为登记")


class LectureRequest(TimeStampedModel):
    """点单: a resident asks for a topic (from the list, or in their own words) for their 社区."""

    community = models.ForeignKey(Place, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="lecture_requests",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    person = models.ForeignKey(Person, verbose_name=_("点单居民"), on_delete=models.PROTECT, related_name="lecture_requests")
    topic = models.ForeignKey(Topic, verbose_name=_("主题"), null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    wish = models.CharField(_("想听的内容"), max_length=200, blank=True)
    channel = models.CharField(_("来源"), max_length=10, choices=RequestChannel.choices)
    status = models.CharField(_("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    order = models.ForeignKey("lectures.LectureOrder", verbose_name=_("讲座订单"), null=True, blank=True, on_delete=models.SET_NULL, related_name="requests")
    status_note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["community", "person", "topic", "order", "recorded_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "点单")
        verbose_name_plural = _("点单")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="lecture_request_status"),
                   models.Index(fields=["created_at"], name="lecture_request_made")]

    def __str__(self):
        return self.subject

    @property
    def subject(self) -> str:
        return self.topic.title if self.topic_id else self.wish

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class RequestSecond(models.Model):
    """附议: one resident seconds one request, once (the unique constraint is the rule)."""

    request = models.ForeignKey(LectureRequest, verbose_name=pgettext_lazy("singular", "点单"), on_delete=models.CASCADE, related_name="seconds")
    person = models.ForeignKey(Person, verbose_name=_("附议居民"), on_delete=models.PROTECT, related_name="lecture_seconds")
    created_at = models.DateTimeField(_("附议时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "附议")
        verbose_name_plural = _("附议")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "person"], name="lecture_one_second_per_resident")]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="request__community__path")


class OrderStatus(models.TextChoices):
    ASKED = "asked", _("待接单")
    DECLINED = "declined", _("被谢绝，待改派")
    ACCEPTED = "accepted", _("已接单")
    HELD = "held", _("已开讲")
    CLOSED = "closed", _("已结单")
    CANCELLED = "cancelled", _("已取消")


class LectureOrder(TimeStampedModel):
    """下单: the 社区 orders a lecture (topic, time, place, audience) and asks teachers."""

    community = models.ForeignKey(Place, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="lecture_orders",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    topic = models.ForeignKey(Topic, verbose_name=_("主题"), on_delete=models.PROTECT, related_name="orders")
    title = models.CharField(_("讲座题目"), max_length=80)
    starts_at = models.DateTimeField(_("开讲时间"))
    minutes = models.PositiveSmallIntegerField(_("时长（分钟）"), default=60)
    venue = models.CharField(_("地点"), max_length=80)
    audience = models.CharField(_("面向人群"), max_length=80)
    expected_size = models.PositiveIntegerField(_("预计人数"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.ASKED)
    accepted_at = models.DateTimeField(_("接单时间"), null=True, blank=True)
    held_at = models.DateTimeField(_("开讲登记时间"), null=True, blank=True)
    attendance = models.PositiveIntegerField(_("实到人数"), null=True, blank=True)
    summary = models.TextField(_("讲座情况"), blank=True)
    closed_at = models.DateTimeField(_("结单时间"), null=True, blank=True)
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("下单人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(no_db_index=["community", "topic", "ordered_by"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "讲座订单")
        verbose_name_plural = _("讲座订单")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="lecture_order_status"),
                   models.Index(fields=["starts_at"], name="lecture_order_starts")]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class InviteStatus(models.TextChoices):
    ASKED = "asked", _("待答复")
    ACCEPTED = "accepted", _("已接单")
    DECLINED = "declined", _("已谢绝")
    WITHDRAWN = "withdrawn", _("已撤回")


class OrderInvite(models.Model):
    """One teacher asked to give one ordered lecture, and their answer."""

    order = models.ForeignKey(LectureOrder, verbose_name=pgettext_lazy("singular", "讲座订单"), on_delete=models.CASCADE, related_name="invites")
    teacher = models.ForeignKey(Teacher, verbose_name=pgettext_lazy("singular", "讲师"), on_delete=models.PROTECT, related_name="invites")
    status = models.CharField(_("答复"), max_length=10, choices=InviteStatus.choices, default=InviteStatus.ASKED)
    reason = models.CharField(_("谢绝理由"), max_length=200, blank=True)
    asked_at = models.DateTimeField(_("邀请时间"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "讲师邀请")
        verbose_name_plural = _("讲师邀请")
        ordering = ["asked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["order", "teacher"], name="lecture_one_invite_per_teacher")]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="order__community__path")


class _Step(models.Model):
    """One move: from, to, who (a user, or the teacher on their link), when, note. Immutable."""

    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("办理记录写入后不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("办理记录不能删除。"))


class RequestStep(_Step):
    request = models.ForeignKey(LectureRequest, verbose_name=pgettext_lazy("singular", "点单"), on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField(_("原状态"), max_length=10, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=RequestStatus.choices)

    class Meta:
        verbose_name = pgettext_lazy("singular", "点单记录")
        verbose_name_plural = _("点单记录")
        ordering = ["request", "at", "id"]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="request__community__path")


class OrderStep(_Step):
    order = models.ForeignKey(LectureOrder, verbose_name=pgettext_lazy("singular", "讲座订单"), on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField(_("原状态"), max_length=10, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=OrderStatus.choices)
    teacher = models.ForeignKey(Teacher, verbose_name=pgettext_lazy("singular", "讲师"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("singular", "订单记录")
        verbose_name_plural = _("订单记录")
        ordering = ["order", "at", "id"]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="order__community__path")


class Feedback(models.Model):
    """A resident's rating (1–5) and comment on a lecture held: one per resident and lecture."""

    order = models.ForeignKey(LectureOrder, verbose_name=pgettext_lazy("singular", "讲座订单"), on_delete=models.CASCADE, related_name="feedback")
    person = models.ForeignKey(Person, verbose_name=_("评价居民"), on_delete=models.PROTECT, related_name="lecture_feedback")
    rating = models.PositiveSmallIntegerField(_("评分"))
    comment = models.CharField(_("意见建议"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "讲座评价")
        verbose_name_plural = _("讲座评价")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "person"], name="lecture_one_feedback_per_resident"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="lecture_rating_1_to_5"),
        ]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="order__community__path")
