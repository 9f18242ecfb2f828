"""The demo's 德治: 家风 stories and 寄语, selections with their public votes, publicity records.

For every 社区, over the last two years: a handful of 家风 stories and 寄语 (most published to the
notice board through the app's service); a selection around each holiday the seed names —
好党员 before 建党节, 好婆婆 and 好媳妇 for 重阳节, 道德榜样 at the year's end — with four to six
nominees (one or two rejected at review) and residents' votes, its results published through
`campaign_publish_results` (so the tally, the records and the board agree); one selection open
for voting now and one taking nominations; and month by month the banners, boards, leaflets and
WeChat posts made. Records are written in bulk (votes are unique per resident and campaign by
construction); publishing goes through the services at every scale.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from gongzhi.demo.bulk import residents_by_community
from gongzhi.accounts.models import User
from gongzhi.core.scope import Scope
from gongzhi.culture import services
from gongzhi.culture.models import AwardCategory, Campaign, FamilyStory, Nomination, NominationStatus, PublicityKind, PublicityRecord, Vote
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import Household

STORIES = (
    ("story", "三代人的勤俭账本", "爷爷留下的记账本传了三代，一家人至今坚持记账，勤俭持家，把省下的钱资助了两名贫困学生。"),
    ("story", "老党员的传家宝", "家中珍藏着爷爷的入党志愿书，每年七一全家一起重温，子女都在各自岗位上争做先锋。"),
    ("story", "照顾婆婆十五年", "婆婆瘫痪在床十五年，儿媳每天擦洗翻身、喂饭喂药，邻里无不称赞。"),
    ("story", "楼道里的爱心角", "一家人在楼道设立爱心角，放上雨伞、药箱和旧书，方便邻居取用。"),
    ("story", "焦裕禄精神代代传", "父亲曾在兰考工作，常给孩子讲焦裕禄的故事，一家人把“心中装着全体人民”写进家训。"),
    ("motto", "家和万事兴", "孝敬父母，和睦邻里，勤俭持家，清白做人。"),
    ("motto", "读书明理", "读书明理，耕读传家；遇事多思，待人以诚。"),
    ("motto", "红色家训", "听党话、跟党走，不忘初心；干实事、做好人，无愧于心。"),
)
OCCASIONS = (  # category, occasion, (month, day) the vote closes
    ("好党员", "建党节", (6, 28)),
    ("好婆婆", "重阳节", (10, 8)),
    ("好媳妇", "重阳节", (10, 8)),
    ("道德榜样", "年度", (12, 20)),
)
REASONS = ("热心社区公益，常年义务打扫楼道、照顾独居老人。", "孝老爱亲，悉心照料患病家人多年。", "邻里有困难总是第一个伸出援手。",
           "带头参加垃圾分类、文明创建等志愿服务。", "家风正、家庭和睦，教育子女积极向上。", "疫情防控期间主动参加值守。")
NOMINATORS = (("organisation", "小区党支部"), ("residents", "居民联名"), ("staff", "社区居委会"))
TOPICS = ("传承红色基因 弘扬焦裕禄好家风", "疫情防控", "文明城市创建", "垃圾分类", "移风易俗", "重阳敬老", "法治宣传", "平安社区")
KIND_WEIGHTS = {"banner": 4, "board": 3, "booklet": 2, "leaflet": 3, "wechat": 5, "talk": 1}


def culture_history(*, rng: random.Random, as_of: dt.date, bulk: bool, progress: Callable[[str], None]) -> dict[str, int]:
    admin = User.objects.filter(username="quwei").first()
    scope = Scope.of(whole_tree=True)
    communities = list(Place.objects.filter(level=PlaceLevel.COMMUNITY).order_by("path"))
    kinds = {k.code: k for k in PublicityKind.objects.filter(active=True)}
    categories = {c.name: c for c in AwardCategory.objects.filter(community__isnull=True)}
    publicity, stories = [], []
    residents_of = residents_by_community(communities, limit=3000)
    for community in communities:
        residents = residents_of[community.pk]
        stories += _stories(rng, scope, admin, community, as_of)
        if len(residents) >= 12:
            _campaigns(rng, scope, admin, community, residents, categories, as_of)
        publicity += _publicity(rng, community, kinds, as_of)
    PublicityRecord.objects.bulk_create(publicity, batch_size=2000)
    tally = {"culture_stories": FamilyStory.objects.count(), "culture_campaigns": Campaign.objects.count(), "culture_votes": Vote.objects.count(),
             "culture_honours": Nomination.objects.filter(elected=True).count(), "culture_publicity": PublicityRecord.objects.count()}
    progress(f"  家风故事 {tally['culture_stories']:,} 篇，评选 {tally['culture_campaigns']:,} 场（投票 {tally['culture_votes']:,} 票，"
             f"表彰 {tally['culture_honours']:,} 人），宣传登记 {tally['culture_publicity']:,} 条")
    return tally


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _stories(rng, scope, admin, community, as_of) -> list[FamilyStory]:
    households = list(Household.objects.filter(place__path__startswith=community.path, head__isnull=False)
                      .values_list("pk", "head__name")[:200])
    made = []
    for kind, title, text in rng.sample(STORIES, rng.randint(3, 6)):
        collected = as_of - dt.timedelta(days=rng.randint(5, 700))
        household = rng.choice(households) if households else (None, "王")
        made.append(FamilyStory(community=community, kind=kind, household_id=household[0], family_name=f"{household[1][0]}家", title=title,
                                text=text, collected_on=collected, recorded_by=admin))
    made = FamilyStory.objects.bulk_create(made)
    for story in made:
        if rng.random() < 0.75:
            services.story_publish(scope=scope, acting_user=admin, story=story, now=_at(min(story.collected_on + dt.timedelta(days=rng.randint(1, 10)), as_of)))
    return made


def _campaign(community, category, occasion, vote_until: dt.date, admin, seats: int) -> Campaign:
    vote_from = vote_until - dt.timedelta(days=7)
    nominate_until = vote_from - dt.timedelta(days=4)
    return Campaign.objects.create(community=community, category=category, title=f"{vote_until.year}年{occasion}{category.name}评选",
                                   occasion=occasion if occasion != "年度" else "", seats=seats, nominate_from=nominate_until - dt.timedelta(days=10),
                                   nominate_until=nominate_until, vote_from=vote_from, vote_until=vote_until, recorded_by=admin)


def _campaigns(rng, scope, admin, community, residents, categories, as_of) -> None:
    for year in (as_of.year - 1, as_of.year):
        for name, occasion, (month, day) in OCCASIONS:
            until = dt.date(year, month, day)
            if until >= as_of - dt.timedelta(days=1) or rng.random() < 0.3:
                continue
            c = _campaign(community, categories[name], occasion, until, admin, seats=rng.randint(1, 3))
            _nominate_and_vote(rng, c, residents, admin, voting=True)
            services.campaign_publish_results(scope=scope, acting_user=admin, campaign=c, now=_at(until + dt.timedelta(days=2)),
                                              **_tie_break(c))
    open_now = _campaign(community, categories["道德榜样"], "年度", as_of + dt.timedelta(days=4), admin, seats=3)
    open_now.title = f"{as_of.year}年度道德榜样评选"
    open_now.save(update_fields=["title"])
    _nominate_and_vote(rng, open_now, residents, admin, voting=True, share=0.4)
    nominating = _campaign(community, categories["最美家庭"], "最美家庭", as_of + dt.timedelta(days=20), admin, seats=5)
    nominating.title = f"{as_of.year}年最美家庭评选"
    nominating.nominate_from = as_of - dt.timedelta(days=2)
    nominating.save(update_fields=["title", "nominate_from"])
    _nominate_and_vote(rng, nominating, residents, admin, voting=False)


def _nominate_and_vote(rng, campaign, residents, admin, *, voting: bool, share: float = 1.0) -> None:
    nominees = rng.sample(residents, rng.randint(4, 6))
    rows = []
    for i, pk in enumerate(nominees):
        status = NominationStatus.PENDING if not voting else (NominationStatus.REJECTED if i >= 4 and rng.random() < 0.6 else NominationStatus.ACCEPTED)
        kind, nominator = rng.choice(NOMINATORS)
        rows.append(Nomination(campaign=campaign, person_id=pk, reason=rng.choice(REASONS), nominator_kind=kind, nominator=nominator, status=status,
                               review_note="事迹需进一步核实" if status == NominationStatus.REJECTED else "",
                               reviewed_at=_at(campaign.nominate_until + dt.timedelta(days=1)) if voting else None,
                               reviewed_by=admin if voting else None, recorded_by=admin))
    rows = Nomination.objects.bulk_create(rows)
    if not voting:
        return
    accepted = [n for n in rows if n.status == NominationStatus.ACCEPTED]
    weights = [rng.random() + 0.2 for _n in accepted]
    voters = rng.sample(residents, min(len(residents), int(rng.randint(15, 80) * share) + 1))
    Vote.objects.bulk_create([Vote(campaign=campaign, nomination=rng.choices(accepted, weights)[0], voter_id=pk) for pk in voters], batch_size=2000)
    Vote.objects.bulk_update(list(_spread(rng, campaign)), ["cast_at"], batch_size=2000)  # cast over the voting days


def _spread(rng, campaign):
    days = (campaign.vote_until - campaign.vote_from).days
    for vote in Vote.objects.filter(campaign=campaign).only("id"):
        vote.cast_at = _at(campaign.vote_from + dt.timedelta(days=rng.randint(0, days)), rng.randint(8, 21))
        yield vote


def _tie_break(campaign) -> dict:
    """The selection group's choice where votes tie at the last seat: the earliest nominated."""
    rows = services.campaign_tally(campaign)
    tied = [r.nomination for r in rows if r.outcome == "tied"]
    if not tied:
        return {}
    left = campaign.seats - sum(1 for r in rows if r.outcome == "elected")
    return {"tie_break": sorted(tied, key=lambda n: n.pk)[:left], "note": "票数并列，经评选小组商议，按提名先后确定。"}


def _publicity(rng, community, kinds, as_of) -> list[PublicityRecord]:
    codes = [c for c in KIND_WEIGHTS if c in kinds]
    made, day = [], as_of - dt.timedelta(days=720)
    while day <= as_of:
        for _i in range(rng.choice((0, 1, 1, 2, 3))):
            code = rng.choices(codes, [KIND_WEIGHTS[c] for c in codes])[0]
            count = rng.randint(1, 4) if code in ("banner", "board", "wechat", "talk") else rng.randint(50, 300)
            made.append(PublicityRecord(community=community, kind=kinds[code], count=count, made_on=min(day + dt.timedelta(days=rng.randint(0, 27)), as_of),
                                        topic=rng.choice(TOPICS)))
        day += dt.timedelta(days=30)
    return made
