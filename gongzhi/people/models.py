"""The registry of people on the place tree: persons, households, party members, 报到."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from gongzhi.core.fields import BinaryCharField
from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import PartyOrganization, Place


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class PoliticalStatus(models.TextChoices):
    MASSES = "masses", _("群众")
    MEMBER = "member", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    LEAGUE = "league", _("共青团员")
    DEMOCRATIC = "democratic", _("民主党派")
    NONPARTISAN = "nonpartisan", _("无党派人士")


class PersonStatus(models.TextChoices):
    RESIDENT = "resident", _("在册")
    MOVED_OUT = "moved_out", _("迁出")
    DECEASED = "deceased", _("死亡")


class Household(TimeStampedModel):
    """户: the people living at one room of a building."""

    place = models.ForeignKey(Place, verbose_name=_("楼栋/单元"), on_delete=models.PROTECT, related_name="households")
    room = models.CharField(_("房号"), max_length=20)
    head = models.ForeignKey("Person", verbose_name=_("户主"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("备注"), max_length=200, blank=True)

    history = HistoricalRecords(no_db_index=["place", "head"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "户")
        verbose_name_plural = _("户")
        ordering = ["place_id", "room"]
        constraints = [models.UniqueConstraint(fields=["place", "room"], name="household_unique_room")]

    def __str__(self):
        return f"{self.place.name} {self.room}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="place__path")


class Person(TimeStampedModel):
    name = BinaryCharField(_("姓名"), max_length=50)
    name_initials = BinaryCharField(_("姓名拼音首字母"), max_length=50, editable=False)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    # Personal data: never stored plain (gongzhi.core.pii).
    id_number_enc = models.TextField(_("公民身份号码（密文）"), editable=False)
    id_number_hash = models.CharField(_("公民身份号码索引"), max_length=32, editable=False)
    id_number_mask = models.CharField(_("公民身份号码"), max_length=18, editable=False)
    id_last4 = BinaryCharField(_("身份号码后4位"), max_length=4, editable=False)
    phone_enc = models.TextField(_("联系电话（密文）"), blank=True, editable=False)
    phone_hash = models.CharField(_("联系电话索引"), max_length=32, blank=True, editable=False)
    phone_mask = models.CharField(_("联系电话"), max_length=11, blank=True, editable=False)

    place = models.ForeignKey(Place, verbose_name=_("居住楼栋/单元"), on_delete=models.PROTECT, related_name="residents")
    household = models.ForeignKey(Household, verbose_name=pgettext_lazy("singular", "户"), null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    relation_to_head = models.CharField(_("与户主关系"), max_length=20, blank=True)
    political_status = models.CharField(_("政治面貌"), max_length=16, choices=PoliticalStatus.choices, default=PoliticalStatus.MASSES)
    status = models.CharField(_("状态"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.RESIDENT)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    # History rows are read by person (id) and date; indexes copied from the model's search
    # fields would only slow down large imports.
    history = HistoricalRecords(excluded_fields=["id_number_enc", "phone_enc", "id_number_hash", "phone_hash"],
                                no_db_index=["name", "id_last4", "place", "household"])

    class Meta:
        verbose_name = pgettext_lazy("singular", "居民")
        verbose_name_plural = _("居民")
        ordering = ["name", "id"]
        # Indexes are declared here rather than with db_index/unique on the fields: on PostgreSQL
        # those also get a second "_like" (pattern_ops) index each, which exact lookups (the
        # hashes) and prefix searches on C-collated columns (name, id_last4) never use and every
        # insert pays for.
        constraints = [models.UniqueConstraint(fields=["id_number_hash"], name="person_unique_id_number")]
        indexes = [
            models.Index(fields=["name"], name="person_name"),
            models.Index(fields=["id_last4"], name="person_id_last4"),
            models.Index(fields=["phone_hash"], name="person_phone_hash"),
            # Initials search walks this in its result order (initials, name, id): no sort.
            models.Index(fields=["name_initials", "name", "id"], name="person_initials_name"),
            # Filters on a rare status or political status, walked in name order (people search).
            models.Index(fields=["status", "name"], name="person_status_name"),
            models.Index(fields=["political_status", "name"], name="person_political_name"),
        ]
        # Given to a user or group in the admin (district administrators); superusers hold it.
        permissions = [("reveal_personal_data", _("查看完整身份证号和手机号"))]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="place__path")

    @property
    def age(self) -> int:
        today = dt.date.today()
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


class MemberCategory(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    TRANSFERRED_OUT = "transferred_out", _("已转出")
    DECEASED = "deceased", _("已去世")


class PartyMember(TimeStampedModel):
    person = models.OneToOneField(Person, verbose_name=pgettext_lazy("singular", "居民"), on_delete=models.PROTECT, related_name="party_member")
    organization = models.ForeignKey(PartyOrganization, verbose_name=_("所在党组织"), on_delete=models.PROTECT, related_name="members")
    category = models.CharField(_("党员类型"), max_length=16, choices=MemberCategory.choices, default=MemberCategory.FULL)
    joined_on = models.DateField(_("入党日期"), help_text=_("支部大会通过接收为预备党员之日"))
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    is_away = models.BooleanField(_("在外党员"), default=False)
    away_location = models.CharField(_("在外地点"), max_length=100, blank=True)
    away_reason = models.CharField(_("在外原因"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=MemberStatus.choices, default=MemberStatus.ACTIVE, db_index=True)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "党员")
        verbose_name_plural = _("党员")
        ordering = ["organization_id", "person__name"]

    def __str__(self):
        return self.person.name

    @property
    def political_birthday_from(self) -> dt.date | None:
        """The date whose anniversary is the member's 政治生日: the admission vote (入党日期) or,
        where settings.GONGZHI_POLITICAL_BIRTHDAY says "full_on", the day of becoming a full member."""
        return self.full_on if settings.GONGZHI_POLITICAL_BIRTHDAY == "full_on" else self.joined_on

    def political_birthday(self, today: dt.date) -> tuple[dt.date, int] | None:
        """This year's 政治生日 and the years it marks (29 February falls on 28 February)."""
        start = self.political_birthday_from
        if start is None:
            return None
        day = min(start.day, 28) if start.month == 2 and start.day == 29 else start.day
        return dt.date(today.year, start.month, day), today.year - start.year

    @classmethod
    def scope_q(cls, scope) -> Q:
        # Reached through the organisation (where it sits, or the org subtree) or where the member
        # lives. The second as a correlated EXISTS on the member's own person row: joining the
        # people table for an OR makes the database read every resident (0.3 s to count one 社区's
        # members among a million residents; 0.05 s this way, on SQLite and PostgreSQL).
        through_org = scope.q(place="organization__place__path", org="organization__path")
        if scope.everything or scope.whole_tree or not scope.place_paths:
            return through_org | scope.q(place="person__place__path")
        lives_there = Person.objects.filter(scope.q(place="place__path"), pk=OuterRef("person_id"))
        return through_org | Q(Exists(lives_there))


class MemberTransfer(TimeStampedModel):
    """组织关系转接 inside the district: from `transferred_on` on, the member belongs to
    `to_organization`. The member's organisation on an earlier date is the `from_organization`
    of the earliest transfer after that date, so 应到 of past meetings stays true."""

    member = models.ForeignKey(PartyMember, verbose_name=pgettext_lazy("singular", "党员"), on_delete=models.CASCADE, related_name="transfers")
    from_organization = models.ForeignKey(PartyOrganization, verbose_name=_("转出党组织"), on_delete=models.PROTECT, related_name="+")
    to_organization = models.ForeignKey(PartyOrganization, verbose_name=_("转入党组织"), on_delete=models.PROTECT, related_name="+")
    transferred_on = models.DateField(_("转接日期"), help_text=_("在转入党组织的第一天"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("singular", "组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["member", "transferred_on", "id"]
        indexes = [
            models.Index(fields=["member", "transferred_on"], name="transfer_member_date"),
            models.Index(fields=["from_organization", "transferred_on"], name="transfer_from_date"),
        ]

    def __str__(self):
        return f"{self.member} · {self.from_organization} → {self.to_organization} · {self.transferred_on:%Y-%m-%d}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return (scope.q(place="from_organization__place__path", org="from_organization__path")
                | scope.q(place="to_organization__place__path", org="to_organization__path"))


class EmployerLevel(models.TextChoices):
    CITY = "city", _("市直单位")
    DISTRICT = "district", _("区直单位")
    OTHER = "other", _("其他单位")


class CommunityCheckin(TimeStampedModel):
    """在职党员到社区报到: a member employed elsewhere registers with their home 社区."""

    member = models.ForeignKey(PartyMember, verbose_name=pgettext_lazy("singular", "党员"), on_delete=models.CASCADE, related_name="checkins")
    employer = models.CharField(_("工作单位"), max_length=100)
    employer_level = models.CharField(_("单位层级"), max_length=16, choices=EmployerLevel.choices)
    community = models.ForeignKey(Place, verbose_name=_("报到社区"), on_delete=models.PROTECT, related_name="checkins")
    registered_on = models.DateField(_("报到日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = pgettext_lazy("singular", "在职党员报到")
        verbose_name_plural = _("在职党员报到")
        ordering = ["-registered_on"]
        constraints = [models.UniqueConstraint(fields=["member", "community"], name="checkin_unique_member_community")]

    def __str__(self):
        return f"{self.member} → {self.community}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class RevealedField(models.TextChoices):
    ID_NUMBER = "id_number", _("公民身份号码")
    PHONE = "phone", _("手机号码")


class PiiReveal(models.Model):
    """One look at a full ID number or phone: who, whose, what, when and why (never the value)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="pii_reveals")
    person = models.ForeignKey(Person, verbose_name=pgettext_lazy("singular", "居民"), on_delete=models.PROTECT, related_name="reveals")
    field = models.CharField(_("查看内容"), max_length=16, choices=RevealedField.choices)
    reason = models.CharField(_("查看原因"), max_length=200)
    created_at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "完整号码查看记录")
        verbose_name_plural = _("完整号码查看记录")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} · {self.person} · {self.get_field_display()}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="person__place__path")
