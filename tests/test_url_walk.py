"""Walk every staff URL as shequ1 (社区 C1): every object of shequ2's 社区 (C2) answers 404.

The walk reads the URL configuration itself, so a new URL with an object in its path fails
here until it is listed in OBJECT_URLS with the model it shows: nothing can be forgotten.
Every page shequ1 may open is opened too, and none may show a record of C2.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongzhi.core.admin import ScopedAdmin
from gongzhi.org.models import Grid, PartyOrganization, Place
from gongzhi.partylife.models import AwayReport, Meeting, MeetingAttachment
from gongzhi.people.models import Household, PartyMember, Person
from gongzhi.needs.models import Need, NeedPhoto, Project, Resource
from gongzhi.volunteers.models import Activity, Post, Shift, Team, Volunteer
from gongzhi.points.models import PointEntry, StarEvaluation
from gongzhi.bank.models import Account, CharityEvent, Counter, Deed, Redemption
from gongzhi.lectures.models import LectureOrder, LectureRequest, Teacher
from gongzhi.mediation.models import Case as MediationCase, Mediator, Session as MediationSession
from gongzhi.notices.models import Notice
from gongzhi.decisions.models import Convention, Matter, StepRecord
from gongzhi.culture.models import Campaign as CultureCampaign, FamilyStory

# URL name -> the model whose primary key is in its path.
OBJECT_URLS = {
    "culture:story": FamilyStory,
    "culture:story_edit": FamilyStory,
    "culture:story_photo": FamilyStory,
    "culture:campaign": CultureCampaign,
    "culture:campaign_edit": CultureCampaign,
    "partylife:away": PartyOrganization,
    "partylife:report": AwayReport,
    "org:place": Place,
    "org:place_children": Place,
    "org:place_create": Place,
    "org:grid": Grid,
    "org:org": PartyOrganization,
    "org:org_children": PartyOrganization,
    "org:org_create": PartyOrganization,
    "people:person": Person,
    "people:person_edit": Person,
    "people:household": Household,
    "people:member_status": PartyMember,
    "people:member_transfer": PartyMember,
    "partylife:member_exemptions": PartyMember,
    "points:statement": PartyMember,
    "points:entry_approve": PointEntry,
    "points:entry_reject": PointEntry,
    "points:entry_reverse": PointEntry,
    "points:star_evaluation": StarEvaluation,
    "points:star_history": PartyOrganization,
    "needs:need": Need,
    "needs:project": Project,
    "needs:photo_upload": Need,
    "needs:resource": Resource,
    "needs:project_resources": Project,
    "needs:photo": NeedPhoto,
    "needs:photo_delete": NeedPhoto,
    "volunteers:volunteer": Volunteer,
    "volunteers:certificate": Volunteer,
    "volunteers:activity": Activity,
    "volunteers:team": Team,
    "volunteers:team_edit": Team,
    "volunteers:post": Post,
    "volunteers:post_edit": Post,
    "volunteers:shift": Shift,
    "people:person_reveal": Person,
    "partylife:meeting": Meeting,
    "partylife:org_meetings": PartyOrganization,
    "partylife:ledger": PartyOrganization,
    "partylife:calendar": PartyOrganization,
    "partylife:meeting_qr": Meeting,
    "partylife:signin_close": Meeting,
    "partylife:attachment_upload": Meeting,
    "partylife:attachment": MeetingAttachment,
    "partylife:attachment_delete": MeetingAttachment,
    "bank:deed": Deed,
    "bank:account": Account,
    "bank:counter_manage": Counter,
    "bank:counter_statement": Counter,
    "bank:event": CharityEvent,
    "bank:counter": Counter,
    "bank:counter_weigh": Counter,
    "bank:counter_redeem": Counter,
    "bank:counter_receipts": Counter,
    "bank:receipt": Redemption,
    "bank:receipt_refund": Redemption,
    "bank:card_issue": Account,
    "mediation:case": MediationCase,
    "mediation:agreement": MediationCase,
    "mediation:session_file": MediationSession,
    "mediation:mediator": Mediator,
    "notices:notice": Notice,
    "decisions:matter": Matter,
    "decisions:record_docx": Matter,
    "decisions:record_pdf": Matter,
    "decisions:record_print": Matter,
    "decisions:signatures": StepRecord,
    "decisions:convention": Convention,
    "lectures:request": LectureRequest,
    "lectures:order": LectureOrder,
    "lectures:teacher": Teacher,
}
# URL name -> (query parameter, model) for pages that take an object in the query string.
QUERY_URLS = {
    "culture:stories": ("community", Place),
    "culture:campaigns": ("community", Place),
    "culture:publicity": ("community", Place),
    "people:person_new": ("place", Place),
    "people:household_new": ("place", Place),
    "people:household_options": ("place", Place),
    "people:search": ("place", Place),
    "people:members": ("org", PartyOrganization),
    "partylife:meeting_new": ("org", PartyOrganization),
    "partylife:compliance": ("org", PartyOrganization),
    "partylife:warnings": ("org", PartyOrganization),
    "points:ranking": ("org", PartyOrganization),
    "points:entry_new": ("member", PartyMember),
    "points:stars": ("org", PartyOrganization),
    "needs:ledger": ("place", Place),
    "needs:new": ("place", Place),
    "needs:project_new": ("needs", Need),
    "volunteers:list": ("community", Place),
    "needs:suggestions": ("community", Place),
    "needs:resources": ("place", Place),
    "needs:resource_new": ("place", Place),
    "needs:resource_survey": ("place", Place),
    "reports:dashboard": ("place", Place),
    "reports:report_new": ("place", Place),
    "bank:deeds": ("community", Place),
    "bank:accounts": ("community", Place),
    "bank:counters": ("community", Place),
    "bank:events": ("community", Place),
    "bank:rules": ("community", Place),
    "bank:expiry": ("community", Place),
    "mediation:cases": ("community", Place),
    "mediation:mediators": ("community", Place),
    "notices:board": ("community", Place),
    "notices:new": ("community", Place),
    "decisions:matters": ("community", Place),
    "decisions:conventions": ("community", Place),
    "lectures:requests": ("community", Place),
    "lectures:orders": ("community", Place),
    "lectures:order_new": ("community", Place),
}
# Background jobs in the path: private to the user who started them (404 for anyone else).
JOB_URLS = {"people:import_job", "people:import_confirm", "people:import_report", "people:export_job", "people:export_download", "jobs:progress",
            "reports:report_job", "reports:report_download"}
# Downloads whose path parameters name a kind and a format, not an object: the export must hold
# nothing of C2.
DOWNLOAD_URLS = {"people:import_template": [("residents", "csv"), ("members", "csv")]}
# Pages for members without a login, reached by a token in the path (a signed or random one, not
# an object's key): an unknown or altered token is a 404, and they show no staff data.
PUBLIC_TOKEN_URLS = {"partylife:signin", "partylife:member_home", "partylife:member_report", "bank:card", "bank:card_code", "lectures:teacher_link"}
# Public pages of what a community publishes (no login, anyone may read any community's): their
# own tests check that only published records appear and that no personal data does.
PUBLIC_PAGES = {"culture:public", "culture:public_story", "culture:public_story_photo", "culture:public_campaign", "needs:public_results", "needs:public_result", "bank:public", "notices:public_board", "notices:public_notice", "lectures:public"}
POST_ONLY = {"people:export", "points:stars_open"}  # starts a job; its file is checked in test_downloads_hold_nothing_of_c2
NOT_STAFF_PAGES = {"login", "logout", "set_language"}
# Pages for district administrators only (404 for shequ1) and actions that need a permission
# shequ1 does not hold (403 in scope, 404 out of scope): walked for 404s, not opened as pages.
DISTRICT_ADMIN_PAGES = {"people:reveals", "people:reveals_export"}
PERMISSION_URLS = {"people:person_reveal"}
# Files made for an object (walked for 404s; their content is checked by the app's own tests).
OBJECT_DOWNLOADS = {"culture:story_photo", "volunteers:certificate", "needs:photo", "bank:counter_statement", "mediation:agreement", "mediation:session_file", "decisions:record_docx", "decisions:record_pdf", "decisions:signatures"}
# Actions on an object that take POST only: walked for 404s, not opened as pages (405 in scope).
OBJECT_ACTIONS = {"partylife:signin_close", "partylife:attachment_upload", "partylife:attachment_delete",
                  "points:entry_approve", "points:entry_reject", "points:entry_reverse", "needs:photo_upload", "needs:photo_delete",
                  "bank:counter_weigh", "bank:counter_redeem", "bank:receipt_refund"}
C2_NAMES = ["和平社区", "和平里", "赵六", "3号楼", "和平第一网格", "和平社区党委", "和平里党支部"]


def staff_urls(patterns=None, namespace=""):
    """(name, has path parameters) for every named URL outside the admin."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from staff_urls(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", bool(p.pattern.converters)


def c2_only(world, scope_of, model):
    """Objects shequ2 sees and shequ1 does not."""
    own = scope_of(world.shequ1).filter(model.objects.all()).values("pk")
    return list(scope_of(world.shequ2).filter(model.objects.all()).exclude(pk__in=own))


def test_every_url_with_an_object_is_listed():
    listed = OBJECT_URLS.keys() | JOB_URLS | DOWNLOAD_URLS.keys() | PUBLIC_TOKEN_URLS | PUBLIC_PAGES
    unlisted = [n for n, has_args in staff_urls() if has_args and n not in listed]
    assert not unlisted, f"add these URLs to OBJECT_URLS, JOB_URLS, DOWNLOAD_URLS or PUBLIC_PAGES: {unlisted}"


def test_another_users_jobs_are_404(client, world):
    from gongzhi.jobs.models import Job, JobStatus

    job = Job.objects.create(kind="people.import_check", user=world.shequ2, status=JobStatus.DONE,
                             params={"kind": "residents", "file": "upload.xlsx", "name": "和平社区.xlsx"}, result={"ok": True, "report": True})
    client.force_login(world.shequ1)
    for name in JOB_URLS:
        url = reverse(name, args=[job.pk])
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url).status_code in (404, 405), url


def test_public_token_pages_refuse_made_up_tokens(client, world):
    for name in PUBLIC_TOKEN_URLS:
        for token in ("x", "MQ:1tX:abc", "0" * 40):
            url = reverse(name, args=[token])
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"name": "张三", "digits": "1234"}).status_code == 404, url


def test_downloads_hold_nothing_of_c2(client, world):
    client.force_login(world.shequ1)
    for name, arguments in DOWNLOAD_URLS.items():
        for args in arguments:
            response = client.get(reverse(name, args=args))
            assert response.status_code == 200
            content = b"".join(response.streaming_content) if response.streaming else response.content
            text = content.decode("utf-8-sig")
            leaked = [n for n in C2_NAMES if n in text]
            assert not leaked, f"{name} {args} holds {leaked}"
    from gongzhi.people.tests.test_import_views import exported

    for kind in ("residents", "members"):
        text = exported(client, kind, "csv").decode("utf-8-sig")
        assert "张三" in text and not [n for n in C2_NAMES if n in text], kind


@pytest.fixture
def reports(world):
    """On each side (C1 and C2): a 思想汇报, two points entries, a star evaluation, a need with a photo and a project, a
    resource, a volunteer, an activity, a team, a post and a shift."""
    import datetime as dt

    from django.utils import timezone

    from gongzhi.points.models import Rule, StarScheme

    for org in (world.O_K1, world.O_K3):
        StarEvaluation.objects.create(organization=org, year=2025, scheme=StarScheme.objects.get())
    from gongzhi.accounts.scopes import scope_for_user
    from gongzhi.needs import services as needs
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongzhi.needs.photo_services import photo_add
    from gongzhi.needs.resources import resource_register
    from gongzhi.needs.tests.factories import need
    from gongzhi.needs.tests.test_photos import png

    for user, building, org in ((world.shequ1, world.B1, world.O_C1), (world.shequ2, world.B3, world.O_C2)):  # a need and a project on each side
        scope = scope_for_user(user)
        first = need(scope, user, title="楼道灯不亮", place=building)
        needs.project_open(scope=scope, acting_user=user, name="照明改造", organization=org, leader_name="书记", needs=[first])
        photo_add(scope=scope, acting_user=user, need=first, file=SimpleUploadedFile("楼道.png", png(), content_type="image/png"))
        resource_register(scope=scope, acting_user=user, name="活动室", kind="thing", place=building, quantity=30)
    from gongzhi.volunteers import services as volunteering

    starts = timezone.make_aware(dt.datetime(2026, 11, 20, 9))
    for user, community, person in ((world.shequ1, world.C1, world.zhangsan), (world.shequ2, world.C2, world.zhaoliu)):  # a volunteer and an activity each
        scope = scope_for_user(user)
        volunteering.volunteer_register(scope=scope, acting_user=user, person=person, community=community, kind="member")
        volunteering.activity_create(scope=scope, acting_user=user, community=community, title="楼道清扫", starts_at=starts,
                                     ends_at=starts + dt.timedelta(hours=2), capacity=5, signup_deadline=starts)
        volunteering.team_create(scope=scope, acting_user=user, community=community, name="红马甲")
        post = volunteering.post_create(scope=scope, acting_user=user, community=community, name="值守点")
        volunteering.shift_create(scope=scope, acting_user=user, post=post, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    from gongzhi.bank import services as bank
    from gongzhi.notices.services import notice_publish
    from gongzhi.bank.models import DeedCategory

    helping = DeedCategory.objects.get(community__isnull=True, name="助人为乐")
    for user, community, person in ((world.shequ1, world.C1, world.zhangsan), (world.shequ2, world.C2, world.zhaoliu)):  # the 道德银行 on each side
        scope = scope_for_user(user)
        bank.deed_report(scope=scope, acting_user=user, person=person, category=helping, description="护送老人回家", occurred_on=dt.date(2026, 11, 2),
                         reported_by="社区登记")
        account = bank.holder_account(person=person)
        bank.earn(account=account, points=10, memo="善行积分")
        station = bank.counter_open(scope=scope, acting_user=user, community=community, kind="station", name="积分驿站")
        soap = bank.goods_save(scope=scope, acting_user=user, counter=station, name="肥皂", points=2, stock=None)
        bank.redemption_confirm(scope=scope, acting_user=user, counter=station, code=bank.code_issue(account=account).code, items=[(soap.pk, 1)],
                                key=f"walk-{community.pk}")
        bank.event_create(scope=scope, acting_user=user, community=community, kind="market", title="公益集市", held_on=dt.date(2026, 12, 5), venue="广场")
        notice_publish(community=community, kind="announcement", title=f"{community.name}公告", body="停水通知。", acting_user=user)
    from gongzhi.decisions import services as decisions
    from gongzhi.decisions.tests.factories import matter, record_next

    for user, community in ((world.shequ1, world.C1), (world.shequ2, world.C2)):  # a decision matter with a signed step, a 公约
        scope = scope_for_user(user)
        decided = matter(scope, user, community, title="加装电梯")
        for _ in range(3):
            record_next(scope, user, decided)
        decisions.convention_create(scope=scope, acting_user=user, community=community, title="居民公约")
    article = Rule.objects.get(code="article", version__ruleset__organization__isnull=True)
    for member in (world.m_zhangsan, world.m_zhaoliu):
        AwayReport.objects.create(member=member, title="思想汇报", content="近期情况。", submitted_at=timezone.make_aware(dt.datetime(2026, 11, 2, 9)))
        for status in ("pending", "approved"):  # and a points entry of each kind
            PointEntry.objects.create(member=member, rule=article, code="article", cycle=2026, occurred_on=dt.date(2026, 11, 2), amount=3,
                                      source_kind="manual", evidence="心得", status=status)
    from gongzhi.mediation.tests.factories import case as mediation_case, mediator as mediation_mediator
    from gongzhi.mediation import services as mediation

    for user, community in ((world.shequ1, world.C1), (world.shequ2, world.C2)):  # a mediation case with a session on each side
        m = mediation_mediator(user, community)
        c = mediation_case(user, community, parties=[{"role": "applicant", "name": "张三" if community == world.C1 else "赵六"},
                                                     {"role": "respondent", "name": "邻居"}])
        mediation.case_assign(acting_user=user, case=c, mediator=m)
        mediation.session_record(acting_user=user, case=c, held_on=dt.date(2026, 11, 10), place="调解室", attendees="双方", record="调解", today=dt.date(2026, 11, 27))


    from gongzhi.lectures.tests import factories as lectures

    for community, person in ((world.C1, world.zhangsan), (world.C2, world.zhaoliu)):  # 法治讲座: a 社区 teacher, a request, an order
        teacher = lectures.teacher(community, name=f"{person.name}讲师", kind="resident", organisation="")
        lectures.order(community, [teacher], [lectures.request(community, person)])

    from gongzhi.culture.tests import factories as culture

    for community, person in ((world.C1, world.lisi), (world.C2, world.zhaoliu)):  # 德治: a story, a campaign with a nominee, publicity
        culture.story(community, title=f"{community.name}家风")
        culture.nomination(culture.campaign(community, "voting", title=f"{community.name}好婆婆评选"), person)
        culture.publicity(community, "banner", 2, dt.date(2026, 11, 2), f"{community.name}横幅")


def test_every_object_of_the_sibling_community_is_404(client, world, scope_of, reports):
    client.force_login(world.shequ1)
    checked = 0
    for name, model in OBJECT_URLS.items():
        objects = c2_only(world, scope_of, model)
        assert objects, f"the world has no C2 {model.__name__}"
        for obj in objects:
            url = reverse(name, args=[obj.pk])
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"name": "越权"}).status_code in (404, 405), url
            checked += 1
    for name, (param, model) in QUERY_URLS.items():
        for obj in c2_only(world, scope_of, model):
            url = f"{reverse(name)}?{param}={obj.pk}"
            assert client.get(url).status_code == 404, url
            checked += 1
    assert checked > 20


def test_admin_objects_of_the_sibling_community_are_404(client, world, scope_of):
    client.force_login(world.shequ1)
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ScopedAdmin):
            continue
        opts = model._meta
        for obj in c2_only(world, scope_of, model):
            for view in ("change", "delete", "history"):
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])
                assert client.get(url).status_code == 404, url


def test_pages_shequ1_may_open_show_nothing_of_c2(client, world, scope_of, reports):
    client.force_login(world.shequ1)
    skipped = NOT_STAFF_PAGES | DISTRICT_ADMIN_PAGES | POST_ONLY
    urls = [reverse(n) for n, has_args in staff_urls() if not has_args and n not in skipped and n not in QUERY_URLS]
    urls += [reverse(n) for n in QUERY_URLS]
    for name, model in OBJECT_URLS.items():
        if name in PERMISSION_URLS or name in OBJECT_ACTIONS or name in OBJECT_DOWNLOADS:
            continue
        urls += [reverse(name, args=[o.pk]) for o in scope_of(world.shequ1).filter(model.objects.all())]
    assert len(urls) > 20
    for url in urls:
        r = client.get(url, follow=True)
        assert r.status_code == 200, url
        html = r.content.decode()
        leaked = [n for n in C2_NAMES if n in html]
        assert not leaked, f"{url} shows {leaked}"


def test_district_admin_pages_are_404_for_shequ1(client, world):
    client.force_login(world.shequ1)
    for name in DISTRICT_ADMIN_PAGES:
        assert client.get(reverse(name)).status_code == 404, name


@pytest.mark.parametrize("username", ["shequ1", "wangge1", "zhibu1"])
def test_no_scope_no_other_community(client, world, scope_of, username):
    """Narrower roles inside C1 never reach C2 either."""
    client.force_login(getattr(world, username))
    for obj in c2_only(world, scope_of, Person):
        assert client.get(reverse("people:person", args=[obj.pk])).status_code == 404
