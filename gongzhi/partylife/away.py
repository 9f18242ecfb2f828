"""在外党员: members' personal links, their 思想汇报 / 情况汇报, and who has not reported this quarter.

Members have no login. A branch secretary generates a personal link (a URL holding a random
token, sent as a link or QR code over WeChat); only the token's sha256 is stored, so the link
is shown once and can never be read back; a new link voids the member's earlier ones. The
member's page finds them by the token's hash (`member_for_token`); a voided link, an unknown
one and one of a member who left (no longer 在册) all find nobody, alike.

"Reported this quarter": at least one report submitted between the quarter's first day and
its last (local time, Asia/Shanghai). The away list is every 在册 member with `is_away` in the
organisation's subtree, in scope; members who came back (not away) or left are not on it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.org.models import PartyOrganization
from gongzhi.people.models import MemberStatus, PartyMember

from .models import AwayReport, MemberLink, ReportKind

TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 characters, 192 random bits
TITLE_MAX = 100  # AwayReport.title
LOCATION_MAX = 100  # AwayReport.location
CONTENT_MAX = 5000
REPLY_MAX = 1000
DAILY_MAX = 10  # reports a member may send in one day (a leaked link cannot flood the branch)
DOUBLE_TAP = dt.timedelta(minutes=10)  # the same report sent again within this is the same report


# ---- personal links ---------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def link_create(*, scope: Scope, acting_user, member: PartyMember) -> tuple[MemberLink, str]:
    """A new personal link for the member, and its token (never stored: show it once); the
    member's earlier links are voided."""
    scope.require(member)
    if member.status != MemberStatus.ACTIVE:
        raise ValidationError(_("%(name)s不是在册党员，不能生成专属链接。") % {"name": member.person.name})
    MemberLink.objects.filter(member=member, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = MemberLink.objects.create(member=member, token_hash=token_hash(token), created_by=acting_user)
    return link, token


@transaction.atomic
def link_revoke(*, scope: Scope, acting_user, member: PartyMember) -> int:
    """Void every live link of the member; how many there were."""
    scope.require(member)
    return MemberLink.objects.filter(member=member, revoked_at__isnull=True).update(revoked_at=timezone.now())


def member_for_token(token: str) -> PartyMember | None:
    """The 在册 member whose live link holds `token`, or None; notes when the link was used."""
    if not token or len(token) > 64:
        return None
    link = (MemberLink.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True, member__status=MemberStatus.ACTIVE)
            .select_related("member__person", "member__organization").first())
    if link is None:
        return None
    MemberLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    return link.member


# ---- reports --------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_paragraphs(value: str | None) -> str:
    """Prose as typed on a phone: NFC, no control or direction characters, lines kept (their
    leading 全角 indent too), trailing spaces and runs of blank lines dropped. Full-width
    punctuation stays: it is Chinese prose, not a code (unlike core.text.clean_text)."""
    value = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " "))
    lines = [line.rstrip() for line in _CONTROL.sub("", value).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n").strip(" ") if any(lines) else ""


def clean_line(value: str | None) -> str:
    """One line (a title, a place): as clean_paragraphs, with every run of spaces made one."""
    return " ".join(clean_paragraphs(value).split())


def _report_errors(kind: str, title: str, content: str, location: str) -> dict[str, str]:
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = _("请选择汇报类别：思想汇报或情况汇报。")
    if not title:
        errors["title"] = _("请填写标题。")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("标题不能超过%(n)s个字。") % {"n": TITLE_MAX}
    if not content:
        errors["content"] = _("请填写汇报内容。")
    elif len(content) > CONTENT_MAX:
        errors["content"] = _("汇报内容不能超过%(n)s个字（现有%(m)s个字）。") % {"n": CONTENT_MAX, "m": len(content)}
    if len(location) > LOCATION_MAX:
        errors["location"] = _("所在地不能超过%(n)s个字。") % {"n": LOCATION_MAX}
    return errors


@transaction.atomic
def report_submit(*, member: PartyMember, kind: str, title: str, content: str, location: str = "",
                  now: dt.datetime | None = None) -> AwayReport:
    """A member's 思想汇报 or 情况汇报 (the member was found by their link). The same report sent
    twice within a few minutes (a double tap) is saved once."""
    now = now or timezone.now()
    title, content, location = clean_line(title), clean_paragraphs(content), clean_line(location)
    errors = _report_errors(kind, title, content, location)
    if errors:
        raise ValidationError(errors)
    PartyMember.objects.select_for_update().filter(pk=member.pk).first()  # one submission of a member at a time
    mine = AwayReport.objects.filter(member=member)
    same = mine.filter(kind=kind, title=title, content=content, submitted_at__gte=now - DOUBLE_TAP).first()
    if same is not None:
        return same
    if mine.filter(submitted_at__gte=now - dt.timedelta(days=1)).count() >= DAILY_MAX:
        raise ValidationError(_("今天提交的汇报已经很多了，请明天再提交。"))
    return AwayReport.objects.create(member=member, kind=kind, title=title, content=content, location=location, submitted_at=now)


@transaction.atomic
def report_mark_read(*, scope: Scope, acting_user, report: AwayReport, reply: str = "",
                     now: dt.datetime | None = None) -> AwayReport:
    """阅示: the branch has read the report, with an optional reply the member sees on their page.
    Saving again (to change the reply) signs it again by the one who saved."""
    scope.require(report)
    reply = clean_paragraphs(reply)
    if len(reply) > REPLY_MAX:
        raise ValidationError({"reply": _("回复不能超过%(n)s个字。") % {"n": REPLY_MAX}})
    report.read_by, report.read_at, report.reply = acting_user, now or timezone.now(), reply
    report.save(update_fields=["read_by", "read_at", "reply"])
    return report


def member_reports(member: PartyMember, *, scope: Scope | None = None, limit: int = 50) -> list[AwayReport]:
    """The member's reports, newest first: on their own page (found by their link, no scope)
    or, with `scope`, on a staff page."""
    qs = AwayReport.objects.filter(member=member)
    return list((scope.filter(qs) if scope is not None else qs).order_by("-submitted_at", "-id")[:limit])


def member_get(*, scope: Scope, organization: PartyOrganization, pk) -> PartyMember:
    """A member of the organisation's subtree, in scope (whose link is made or voided), or Http404."""
    return scope.get(PartyMember.objects.filter(organization.subtree_q("organization__path")).select_related("person"), pk=pk)


def report_get(*, scope: Scope, pk) -> AwayReport:
    return scope.get(AwayReport.objects.select_related("member__person", "member__organization", "read_by"), pk=pk)


# ---- quarters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1–4

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, value: str | None) -> Quarter | None:
        """"2026-4" → the fourth quarter of 2026; anything else → None."""
        match = re.fullmatch(r"(\d{4})-([1-4])", value or "")
        return cls(int(match[1]), int(match[2])) if match else None

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        following = dt.date(self.year + 1, 1, 1) if self.number == 4 else dt.date(self.year, 3 * self.number + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def value(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def label(self) -> str:
        return _("%(y)s年第%(q)s季度") % {"y": self.year, "q": self.number}

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)


def recent_quarters(today: dt.date, count: int = 8) -> list[Quarter]:
    """This quarter and the ones before it, newest first (the chooser)."""
    quarters = [Quarter.of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# ---- who has reported -----------------------------------------------------------------------


@dataclass
class AwayStatus:
    member: PartyMember
    reports: list[AwayReport] = field(default_factory=list)  # in the quarter, newest first
    latest: AwayReport | None = None  # the latest up to the quarter's end, in it or before
    link: MemberLink | None = None  # the live personal link

    @property
    def reported(self) -> bool:
        return bool(self.reports)


def away_members(*, scope: Scope, organization: PartyOrganization | None = None, quarter_start: dt.date,
                 quarter_end: dt.date) -> QuerySet[PartyMember]:
    """在册 away members in scope (under `organization`), by organisation and name, each with
    `reported` (a report in the quarter) and `latest_report_id` (up to the quarter's end)."""
    start, stop = _day_start(quarter_start), _day_start(quarter_end + dt.timedelta(days=1))
    qs = PartyMember.objects.filter(is_away=True, status=MemberStatus.ACTIVE)
    if organization is not None:
        qs = qs.filter(organization.subtree_q("organization__path"))
    reports = AwayReport.objects.filter(member=OuterRef("pk"))
    qs = qs.annotate(
        reported=Exists(reports.filter(submitted_at__gte=start, submitted_at__lt=stop)),
        latest_report_id=Subquery(reports.filter(submitted_at__lt=stop).order_by("-submitted_at", "-id").values("id")[:1]),
    )
    return scope.filter(qs.select_related("person", "organization")).order_by("organization__path", "person__name", "id")


def away_rows(members: list[PartyMember], *, quarter_start: dt.date, quarter_end: dt.date) -> list[AwayStatus]:
    """The rows of members read by away_members (a page of them): three queries whatever their number."""
    start, stop = _day_start(quarter_start), _day_start(quarter_end + dt.timedelta(days=1))
    rows = {m.pk: AwayStatus(m) for m in members}
    if not rows:
        return []
    in_quarter = AwayReport.objects.filter(member_id__in=list(rows), submitted_at__gte=start, submitted_at__lt=stop)
    for report in in_quarter.order_by("-submitted_at", "-id"):
        rows[report.member_id].reports.append(report)
    latest_ids = [m.latest_report_id for m in members if getattr(m, "latest_report_id", None)]
    for report in AwayReport.objects.filter(pk__in=latest_ids):
        rows[report.member_id].latest = report
    for link in MemberLink.objects.filter(member_id__in=list(rows), revoked_at__isnull=True).order_by("created_at", "id"):
        rows[link.member_id].link = link  # the newest wins (there is one at most)
    return list(rows.values())


def away_status(*, scope: Scope, organization: PartyOrganization | None = None, quarter_start: dt.date,
                quarter_end: dt.date) -> list[AwayStatus]:
    """Every away member in scope with their reports of the quarter, their latest report, and
    whether they reported: `[s for s in rows if not s.reported]` is the 未汇报 list."""
    members = list(away_members(scope=scope, organization=organization, quarter_start=quarter_start, quarter_end=quarter_end))
    return away_rows(members, quarter_start=quarter_start, quarter_end=quarter_end)


def away_counts(members: QuerySet[PartyMember]) -> tuple[int, int]:
    """(away members, of whom reported) of an away_members queryset, counted in the database."""
    return members.count(), members.filter(reported=True).count()
