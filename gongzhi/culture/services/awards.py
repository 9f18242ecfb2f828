"""评选: a campaign, its nominations and their review, the residents' public vote (one vote per
resident per campaign, held by the database's unique constraint), the tally and the results on
the notice board (表彰)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text, record_text
from gongzhi.core.ratelimit import Limit
from gongzhi.core.text import in_site_language
from gongzhi.notices.models import NoticeKind
from gongzhi.notices.services import notice_publish
from gongzhi.org.models import Place
from gongzhi.people.models import Person, PersonStatus
from gongzhi.people.selectors import resident_identify

from ..models import AwardCategory, Campaign, Nomination, NominationStatus, NominatorKind, Phase, TieRule, Vote
from .common import lives_in, require_community

FAILURES = Limit("culture:vote-failures", limit=10, window=600)  # failed identifications per campaign and address
CAMPAIGN_FIELDS = ("category", "title", "occasion", "description", "seats", "nominate_from", "nominate_until", "vote_from", "vote_until", "tie_rule")


# ---- campaigns -------------------------------------------------------------------------------------


def _campaign_values(community: Place, values: dict) -> dict:
    values = dict(values)
    values["title"], values["occasion"] = clean_text(values.get("title")), clean_text(values.get("occasion"))
    values["description"] = (values.get("description") or "").strip()
    errors = {}
    if not values["title"]:
        errors["title"] = _("请填写评选名称。")
    category = values.get("category")
    if category is None or not AwardCategory.for_community(community).filter(pk=category.pk).exists():
        errors["category"] = _("该评选类别不适用于本社区或已停用。")
    if not values.get("seats") or values["seats"] < 1:
        errors["seats"] = _("评选名额至少为 1 名。")
    if values.get("tie_rule") not in TieRule.values:
        errors["tie_rule"] = _("请选择票数并列时的处理办法。")
    days = [values.get(f) for f in ("nominate_from", "nominate_until", "vote_from", "vote_until")]
    if None in days:
        errors["nominate_from"] = _("请填写提名和投票的起止日期。")
    elif days[1] < days[0]:
        errors["nominate_until"] = _("提名截止日期不能早于提名开始日期。")
    elif days[2] <= days[1]:
        errors["vote_from"] = _("投票须在提名截止之后开始（中间审核提名）。")
    elif days[3] < days[2]:
        errors["vote_until"] = _("投票截止日期不能早于投票开始日期。")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def campaign_create(*, scope: Scope, acting_user, community: Place, **values) -> Campaign:
    """A selection in `community`: category, seats, the nomination and voting periods, the tie rule."""
    scope.require(require_community(community))
    values = _campaign_values(community, {f: values.get(f) for f in CAMPAIGN_FIELDS})
    campaign = Campaign(community=community, recorded_by=acting_user, **values)
    campaign._history_user = acting_user
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, scope: Scope, acting_user, campaign: Campaign, today: dt.date | None = None, **values) -> Campaign:
    """Change a campaign until its vote starts (then the rules of the vote are fixed)."""
    scope.require(campaign)
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("community").get(pk=campaign.pk)
    if campaign.phase(today) in (Phase.VOTING, Phase.COUNTING, Phase.PUBLISHED):
        raise ValidationError(_("投票已开始，评选规则不能再修改。"))
    values = _campaign_values(campaign.community, {f: values.get(f) for f in CAMPAIGN_FIELDS})
    for field, value in values.items():
        setattr(campaign, field, value)
    campaign._history_user = acting_user
    campaign.save()
    return campaign


# ---- nominations -----------------------------------------------------------------------------------


@transaction.atomic
def nomination_add(*, scope: Scope, acting_user, campaign: Campaign, person: Person, reason: str, nominator_kind: str, nominator: str,
                   today: dt.date | None = None) -> Nomination:
    """提名 a resident of the campaign's 社区 during the nomination period."""
    scope.require(campaign)
    today = today or timezone.localdate()
    reason, nominator = (reason or "").strip(), clean_text(nominator)
    if campaign.phase(today) != Phase.NOMINATING:
        raise ValidationError(_("提名时间为 %(start)s 至 %(end)s，现在不能提名。") % {"start": campaign.nominate_from, "end": campaign.nominate_until})
    errors = {}
    if person is None or person.status != PersonStatus.RESIDENT or not lives_in(person, campaign.community):
        errors["person"] = _("被提名人须是%(community)s的在册居民。") % {"community": campaign.community.name}
    if not reason:
        errors["reason"] = _("请填写主要事迹。")
    if nominator_kind not in NominatorKind.values:
        errors["nominator_kind"] = _("请选择提名方式。")
    if not nominator:
        errors["nominator"] = _("请填写提名人或提名单位。")
    if errors:
        raise ValidationError(errors)
    nomination = Nomination(campaign=campaign, person=person, reason=reason, nominator_kind=nominator_kind, nominator=nominator,
                            recorded_by=acting_user)
    nomination._history_user = acting_user
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise ValidationError({"person": _("%(name)s已被提名，不能重复提名。") % {"name": person.name}}) from None
    return nomination


@transaction.atomic
def nomination_review(*, scope: Scope, acting_user, nomination: Nomination, accept: bool, note: str = "",
                      today: dt.date | None = None) -> Nomination:
    """审核 a nomination before the vote: accepted ones stand for the vote; a rejection says why.
    A decision may be changed until the vote starts."""
    scope.require(nomination)
    nomination = Nomination.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=nomination.pk)
    note = clean_text(note)
    if nomination.campaign.phase(today) not in (Phase.UPCOMING, Phase.NOMINATING, Phase.REVIEWING):
        raise ValidationError(_("投票已开始，提名审核结果不能再更改。"))
    if not accept and not note:
        raise ValidationError({"review_note": _("不予通过须填写审核意见。")})
    nomination.status = NominationStatus.ACCEPTED if accept else NominationStatus.REJECTED
    nomination.review_note, nomination.reviewed_at, nomination.reviewed_by = note, timezone.now(), acting_user
    nomination._history_user = acting_user
    nomination.save()
    return nomination


# ---- the vote --------------------------------------------------------------------------------------


def vote_cast(*, campaign: Campaign, nomination_id, name: str, id_number: str, address: str = "", now: dt.datetime | None = None) -> Vote:
    """A resident's vote on the public page: in the voting period, for an accepted nominee, by a
    registered resident of the campaign's 社区 (name + 身份证号), once per campaign — a second vote,
    even two sent at the same moment, meets the unique constraint and is refused. Failed
    identifications are counted per address (a guessing limit)."""
    today = timezone.localdate(now or timezone.now())
    if campaign.phase(today) != Phase.VOTING:
        raise ValidationError(_("本次评选的投票时间为 %(start)s 至 %(end)s，现在不在投票时间内。") % {"start": campaign.vote_from, "end": campaign.vote_until})
    if FAILURES.exceeded(campaign.pk, address):
        raise ValidationError(_("尝试次数过多，请10分钟后再试，或到社区现场投票。"))
    nomination = campaign.nominations.filter(pk=nomination_id, status=NominationStatus.ACCEPTED).first() if str(nomination_id or "").isdigit() else None
    if nomination is None:
        raise ValidationError({"nomination": _("请选择一位候选人。")})
    if not clean_text(name) or not clean_text(id_number):
        raise ValidationError({"name": _("请填写姓名和身份证号。")})
    voter = resident_identify(community=campaign.community, name=name, id_number=id_number)
    if voter is None:
        FAILURES.hit(campaign.pk, address)
        raise ValidationError(_("姓名与身份证号不符，或您不是%(community)s的在册居民，不能参加本次投票。如有疑问请联系社区。")
                              % {"community": campaign.community.name})
    try:
        with transaction.atomic():
            return Vote.objects.create(campaign=campaign, nomination=nomination, voter=voter)
    except IntegrityError:
        raise ValidationError(_("您已在本次评选中投过票，每位居民只能投一票。")) from None


# ---- tally and results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TallyRow:
    nomination: Nomination
    votes: int
    rank: int  # 1 + how many got more votes (tied nominees share a rank)
    outcome: str  # "elected", "tied" (at the last seats: the tie rule decides) or "not"


def tally(nominations: list[Nomination], votes: dict[int, int], seats: int, tie_rule: str) -> list[TallyRow]:
    """The ranking of accepted nominations by their votes, most first. A nominee with no vote is
    never elected. Those whose equal-vote group fits within the seats are elected; a group that
    straddles the last seat is "tied" under TieRule.FLAG (the selection group chooses among them)
    and elected under TieRule.ALL."""
    counts = sorted(((votes.get(n.pk, 0), n) for n in nominations), key=lambda row: (-row[0], row[1].pk))
    rows = []
    for count, nomination in counts:
        above = sum(1 for c, _n in counts if c > count)
        same = sum(1 for c, _n in counts if c == count)
        if count == 0 or above >= seats:
            outcome = "not"
        elif above + same <= seats:
            outcome = "elected"
        else:
            outcome = "elected" if tie_rule == TieRule.ALL else "tied"
        rows.append(TallyRow(nomination, count, above + 1, outcome))
    return rows


def campaign_tally(campaign: Campaign) -> list[TallyRow]:
    """The tally of a campaign from its votes (two queries)."""
    nominations = list(campaign.nominations.filter(status=NominationStatus.ACCEPTED).select_related("person"))
    counts = dict(Vote.objects.filter(campaign=campaign).order_by().values_list("nomination_id").annotate(n=Count("id")))
    return tally(nominations, counts, campaign.seats, campaign.tie_rule)


def _winners(rows: list[TallyRow], seats: int, tie_break, note: str) -> set[int]:
    elected = {r.nomination.pk for r in rows if r.outcome == "elected"}
    tied = {r.nomination.pk for r in rows if r.outcome == "tied"}
    chosen = {n.pk for n in tie_break or ()}
    if not tied:
        if chosen:
            raise ValidationError({"tie_break": _("本次评选没有票数并列的候选人，无需确定。")})
        return elected
    left = seats - len(elected)
    if len(chosen) != left or not chosen <= tied:
        raise ValidationError({"tie_break": _("最后 %(n)s 个名额有 %(m)s 人票数并列：请从并列者中选定 %(n)s 人。") % {"n": left, "m": len(tied)}})
    if not note:
        raise ValidationError({"results_note": _("请在结果说明中写明评选小组如何确定并列者。")})
    return elected | chosen


@transaction.atomic
def campaign_publish_results(*, scope: Scope, acting_user, campaign: Campaign, tie_break=(), note: str = "",
                             now: dt.datetime | None = None) -> Campaign:
    """After the vote: count, keep each nominee's votes, rank and outcome on record, and put the
    honour roll on the 社区's notice board (表彰). Ties at the last seat are settled as the
    campaign's tie rule says; under "并列待定" the selection group names who among the tied."""
    scope.require(campaign)
    campaign = Campaign.objects.select_for_update(of=("self",)).select_related("community", "category").get(pk=campaign.pk)
    now = now or timezone.now()
    if campaign.results_published_at:
        raise ValidationError(_("本次评选结果已于 %(t)s 公布。") % {"t": timezone.localtime(campaign.results_published_at).strftime("%Y-%m-%d %H:%M")})
    if campaign.phase(timezone.localdate(now)) != Phase.COUNTING:
        raise ValidationError(_("投票截止（%(day)s）后才能公布结果。") % {"day": campaign.vote_until})
    rows = campaign_tally(campaign)
    note = clean_text(note)
    winners = _winners(rows, campaign.seats, tie_break, note)
    for row in rows:
        n = row.nomination
        n.votes, n.rank, n.elected = row.votes, row.rank, n.pk in winners
        n._history_user = acting_user
        n.save(update_fields=["votes", "rank", "elected", "updated_at"])
    campaign.results_published_at, campaign.results_note = now, note
    campaign._history_user = acting_user
    campaign.save(update_fields=["results_published_at", "results_note", "updated_at"])
    with in_site_language():
        title, body = _honour_title(campaign), _honour_body(campaign, rows, winners)
    notice_publish(community=campaign.community, kind=NoticeKind.HONOUR, title=title, body=body,
                   source=campaign, starts_on=timezone.localdate(now), acting_user=acting_user)
    return campaign


def _honour_title(campaign: Campaign) -> str:
    message = gettext_noop("%(title)s结果") if campaign.title.endswith("评选") else gettext_noop("%(title)s评选结果")
    return record_text(message, {"title": campaign.title})[:200]


def _honour_body(campaign: Campaign, rows: list[TallyRow], winners: set[int]) -> str:
    elected = [r for r in rows if r.nomination.pk in winners]
    total = sum(r.votes for r in rows)
    lines = [record_text(gettext_noop("经居民投票（共 %(total)s 票）和评选小组审定，以下 %(n)s 位居民当选%(category)s："),
                         {"total": total, "n": len(elected), "category": campaign.category.name})]
    lines += [record_text(gettext_noop("%(name)s（%(votes)s 票）"), {"name": r.nomination.person.name, "votes": r.votes}) for r in elected]
    if campaign.results_note:
        lines.append(campaign.results_note)
    return "\n".join(lines)
