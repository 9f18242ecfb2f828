"""资源清单 pages on hand-made cases: the list (filters, search, counts by kind, load, export, a
constant number of queries), a resource (commitments, availability), registering one, the survey
(地毯式摸底: all or nothing, errors naming 第N行, rows kept as typed), the contact-note rule (no
phone or ID number in clear, for resources and needs), committing a resource to a project (from
the project page and from a need's candidates), and 404 for another community's objects."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from gongzhi.needs import resources as rs
from gongzhi.needs import services
from gongzhi.needs.models import Need, ProjectResource, Resource, ResourceKind
from gongzhi.needs.tests.factories import need
from gongzhi.core.validators import holds_phone_or_id, validate_contact_note
from gongzhi.volunteers.models import Skill

K = ResourceKind
HX = {"HTTP_HX_REQUEST": "true"}


def skill(code):
    return Skill.objects.get(code=code)


def register(w, name, kind, place, scope=None, user=None, **fields):
    return rs.resource_register(scope=scope or w.s1, acting_user=user or w.shequ1, name=name, kind=kind, place=place, **fields)


@pytest.fixture
def w(world, scope_of):
    world.s1 = scope_of(world.shequ1)
    world.s2 = scope_of(world.shequ2)
    world.li = register(world, "李师傅", K.TALENT, world.B1, skills=[skill("electrician")], availability_note="周末")
    world.room = register(world, "社区活动室", K.THING, world.C1, quantity=40)
    world.fund = register(world, "党组织服务群众经费", K.FUND, world.C1, amount=Decimal("20000"))
    world.wang = register(world, "王五", K.PERSON, world.B2, available=False, availability_note="外出至月底")
    world.other = register(world, "和平电工", K.TALENT, world.B3, scope=world.s2, user=world.shequ2, skills=[skill("electrician")])
    return world


@pytest.fixture
def c1(client, w):
    client.force_login(w.shequ1)
    return client


def _project(w, scope=None, user=None, place=None, org=None, title="1号楼楼道灯不亮"):
    scope, user = scope or w.s1, user or w.shequ1
    n = need(scope, user, title=title, place=place or w.B1)
    return services.project_open(scope=scope, acting_user=user, name="楼道照明改造", organization=org or w.O_C1, leader_name="刘书记",
                                 needs=[n])


def _names(response):
    return [r.name for r in response.context["page"].rows]


# ---- the list -------------------------------------------------------------------------------------


def test_list_shows_the_scope_with_counts_by_kind(c1, w):
    r = c1.get(reverse("needs:resources"))
    assert r.status_code == 200
    assert _names(r) == ["王五", "李师傅", "社区活动室", "党组织服务群众经费"]  # by kind: 人, 才, 物, 资金
    assert r.context["page"].count == 4 and r.context["total"] == 4
    assert {code: n for code, _label, n, _url in r.context["tiles"]} == {"person": 1, "talent": 1, "thing": 1, "fund": 1, "unit": 0}
    html = r.content.decode()
    assert "和平电工" not in html and "外出至月底" in html and "20000.00 元" in html


@pytest.mark.parametrize("query, names", [
    ("?kind=talent", ["李师傅"]),
    ("?q=活动", ["社区活动室"]),
    ("?available=on", ["李师傅", "社区活动室", "党组织服务群众经费"]),
    ("?kind=thing&available=on", ["社区活动室"]),
    ("?q=电工", []),  # 和平电工 is the other community's
])
def test_list_filters_and_search(c1, w, query, names):
    r = c1.get(reverse("needs:resources") + query)
    assert _names(r) == names and r.context["page"].count == len(names)


def test_list_filters_by_skill_and_place(c1, w):
    assert _names(c1.get(reverse("needs:resources") + f"?skill={skill('electrician').pk}")) == ["李师傅"]
    r = c1.get(reverse("needs:resources") + f"?place={w.K2.pk}")
    assert _names(r) == ["王五"]
    assert {code: n for code, _label, n, _url in r.context["tiles"]} == {"person": 1, "talent": 0, "thing": 0, "fund": 0, "unit": 0}
    assert _names(c1.get(reverse("needs:resources") + f"?place={w.K1.pk}")) == ["李师傅"]
    assert c1.get(reverse("needs:resources") + f"?place={w.C2.pk}").status_code == 404


def test_list_shows_each_resources_load_of_open_projects(c1, w):
    project = _project(w)
    rs.resource_commit(scope=w.s1, acting_user=w.shequ1, project=project, resource=w.li, note="更换声控灯")
    rows = {r.name: r.load for r in c1.get(reverse("needs:resources")).context["page"].rows}
    assert rows["李师傅"] == 1 and rows["社区活动室"] == 0


def test_export_holds_the_filtered_list(c1, w):
    r = c1.get(reverse("needs:resources") + "?available=on&format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    rows = list(book["资源清单"].iter_rows(min_row=3, values_only=True))
    assert [(row[1], row[2]) for row in rows] == [("才", "李师傅"), ("物", "社区活动室"), ("资金", "党组织服务群众经费")]
    assert rows[0][4] == "电工" and rows[1][5] == 40 and rows[2][6] == 20000.0
    assert "和平电工" not in str(rows)


def test_list_queries_do_not_grow_with_rows(c1, w, django_assert_max_num_queries):
    with django_assert_max_num_queries(20) as few:
        c1.get(reverse("needs:resources"))
    for i in range(15):
        register(w, f"电工{i}", K.TALENT, w.B1, skills=[skill("electrician"), skill("plumbing")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = c1.get(reverse("needs:resources"))
    assert r.context["page"].count == 19


# ---- one resource ---------------------------------------------------------------------------------


def test_resource_page_and_availability_toggle(c1, w):
    project = _project(w)
    rs.resource_commit(scope=w.s1, acting_user=w.shequ1, project=project, resource=w.li, note="更换声控灯")
    url = reverse("needs:resource", args=[w.li.pk])
    html = c1.get(url).content.decode()
    assert "电工" in html and "楼道照明改造" in html and "更换声控灯" in html and "变更记录" in html
    r = c1.post(url, {"action": "availability", "availability-note": "住院至月底"}, follow=True)
    assert "已标记为暂不可用" in r.content.decode()
    w.li.refresh_from_db()
    assert (w.li.available, w.li.availability_note) == (False, "住院至月底")
    c1.post(url, {"action": "availability", "availability-note": ""})
    w.li.refresh_from_db()
    assert w.li.available is True


def test_register_one_resource(c1, w):
    r = c1.post(reverse("needs:resource_new"), {"name": "市供电所", "kind": "unit", "place": w.C1.pk, "unit_name": "市供电公司东风营业所"})
    assert "请填写驻区单位承诺提供的内容" in r.content.decode()
    r = c1.post(reverse("needs:resource_new"), {"name": "市供电所", "kind": "unit", "place": w.C1.pk, "unit_name": "市供电公司东风营业所",
                                                "commitment": "每季度一次用电安全检查", "contact_note": "经社区党委联系"})
    unit = Resource.objects.get(name="市供电所")
    assert r.status_code == 302 and r["Location"] == reverse("needs:resource", args=[unit.pk])
    assert unit.recorded_by == w.shequ1


# ---- the survey (地毯式摸底) ------------------------------------------------------------------------


def _survey(place, *rows):
    data = {"place": place.pk, "row-TOTAL_FORMS": str(len(rows)), "row-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"row-{i}-{k}": v for k, v in row.items()})
    return data


def test_survey_registers_every_row_at_the_place(c1, w):
    r = c1.post(reverse("needs:resource_survey"), _survey(
        w.B1,
        {"name": "赵师傅", "kind": "talent", "skills": [skill("plumbing").pk], "availability_note": "工作日晚上"},
        {"name": "", "kind": ""},  # a blank row is left out
        {"name": "1号楼架空层", "kind": "thing", "size": "30", "contact_note": "经楼栋长联系"},
        {"name": "楼栋互助金", "kind": "fund", "size": "1500.50"},
    ))
    assert r.status_code == 302 and r["Location"] == reverse("needs:resources") + f"?place={w.B1.pk}"
    made = {x.name: x for x in Resource.objects.filter(place=w.B1).exclude(pk=w.li.pk)}
    assert set(made) == {"赵师傅", "1号楼架空层", "楼栋互助金"}
    assert [s.code for s in made["赵师傅"].skills.all()] == ["plumbing"]
    assert (made["1号楼架空层"].quantity, made["楼栋互助金"].amount) == (30, Decimal("1500.50"))


def test_survey_is_all_or_nothing_and_names_the_row(c1, w):
    before = Resource.objects.count()
    r = c1.post(reverse("needs:resource_survey"), _survey(
        w.B1,
        {"name": "赵师傅", "kind": "talent", "skills": [skill("plumbing").pk]},
        {"name": "", "kind": ""},  # blank: the bad row below becomes 第2行
        {"name": "钱阿姨", "kind": "person", "contact_note": "电话13912345678"},
    ))
    assert r.status_code == 200 and Resource.objects.count() == before
    html = r.content.decode()
    assert "第2行：联系方式备注中不要填写电话号码或身份证号" in html and "本次未登记任何资源" in html
    rows = r.context["rows"].forms
    assert len(rows) == 2 and rows[1]["contact_note"].errors  # marked at its column
    assert 'value="赵师傅"' in html and 'value="钱阿姨"' in html  # the rows stay as typed


def test_survey_parse_errors_name_the_row_and_field(c1, w):
    r = c1.post(reverse("needs:resource_survey"), _survey(w.B1, {"name": "活动室", "kind": "thing", "size": "很多"},
                                                         {"name": "椅子", "kind": "thing", "size": "2.5"}))
    html = r.content.decode()
    assert "第1行：数量/金额：数量/金额应为数字。" in html and "第2行：数量/金额：数量应为整数" in html
    assert not Resource.objects.filter(name__in=["活动室", "椅子"]).exists()


def test_survey_without_rows_and_add_row(c1, w):
    r = c1.post(reverse("needs:resource_survey"), _survey(w.B1, {"name": " ", "kind": ""}))
    assert "请至少填写一行" in r.content.decode()
    html = c1.get(reverse("needs:resource_survey")).content.decode()
    assert html.count('class="survey-row"') == 3 and 'name="row-TOTAL_FORMS"' in html
    row = c1.get(reverse("needs:resource_survey_row") + "?row-TOTAL_FORMS=3", **HX).content.decode()
    assert 'name="row-3-name"' in row and 'value="4"' in row and "hx-swap-oob" in row
    assert c1.get(reverse("needs:resource_survey_row") + "?row-TOTAL_FORMS=100", **HX).status_code == 204  # 100 rows at most


# ---- the contact-note rule ------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "13812345678", "电话 138 1234 5678", "手机：138-1234-5678", "+86 13812345678", "１３８１２３４５６７８",
    "座机66123456", "座机６６１２３４５", "0371-66123456", "(0371) 6612 3456",
    "身份证410305197503080012", "41030519750308001X", "410305 19750308 001x",
])
def test_contact_note_rejects_phone_and_id_numbers(text):
    assert holds_phone_or_id(text)
    with pytest.raises(ValidationError, match="联系方式备注中不要填写电话号码或身份证号"):
        validate_contact_note(text)


@pytest.mark.parametrize("text", ["", "经社区居委会联系", "经3号楼楼栋长王阿姨联系", "2026-03-01 起可用", "2026年3月1日后联系",
                                  "周六 9:00-11:30", "2单元502室", "尾号5678"])
def test_contact_note_lets_ways_of_contact_pass(text):
    assert not holds_phone_or_id(text)
    validate_contact_note(text)


def test_need_contact_note_is_checked_too(c1, w):
    with pytest.raises(ValidationError) as e:
        need(w.s1, w.shequ1, place=w.B1, contact_note="王先生 13812345678")
    assert "contact_note" in e.value.message_dict
    r = c1.post(reverse("needs:new"), {"place": w.B1.pk, "title": "漏水", "category": Need._meta.get_field("category").related_model.objects.get(code="repair").pk,
                                       "channel": "phone", "urgency": "normal", "contact_note": "王先生 0371-66123456"})
    assert "联系方式备注中不要填写电话号码或身份证号" in r.content.decode()
    assert not Need.objects.filter(title="漏水").exists()


# ---- committing resources to projects -------------------------------------------------------------


def test_commit_from_the_project_page(c1, w):
    project = _project(w)
    assert f'hx-get="{reverse("needs:project_resources", args=[project.pk])}"' in c1.get(reverse("needs:project", args=[project.pk])).content.decode()
    url = reverse("needs:project_resources", args=[project.pk])
    r = c1.get(url, **HX)
    assert r.status_code == 200 and "<html" not in r.content.decode()
    options = [label for value, label in r.context["form"].fields["resource"].choices if value]
    assert options[0].startswith("李师傅") and "匹配分" in options[0]  # the electrician fits the lighting need best
    assert not any("和平电工" in o for o in options)
    r = c1.post(url, {"action": "commit", "resource": w.li.pk, "note": "每周六上午维修", "committed_on": "2026-03-02"})
    assert r.status_code == 302 and r["Location"].endswith("#resources")
    link = ProjectResource.objects.get(project=project)
    assert (link.resource, link.note, str(link.committed_on), link.committed_by) == (w.li, "每周六上午维修", "2026-03-02", w.shequ1)
    r = c1.get(url, **HX)
    assert "每周六上午维修" in r.content.decode()
    assert all(value != w.li.pk for value, _label in r.context["form"].fields["resource"].choices)  # offered once
    r = c1.post(url, {"action": "commit", "resource": w.li.pk, "note": "再来一次", "committed_on": "2026-03-02"}, **HX)
    assert "已投入本项目" in r.content.decode() and ProjectResource.objects.count() == 1


def test_commit_needs_a_note(c1, w):
    project = _project(w)
    r = c1.post(reverse("needs:project_resources", args=[project.pk]), {"action": "commit", "resource": w.room.pk, "note": "",
                                                                        "committed_on": "2026-03-02"})
    assert r.status_code == 200 and "请填写投入内容" in r.content.decode() and not ProjectResource.objects.exists()


def test_need_candidates_link_to_commit_when_the_need_is_in_a_project(c1, w):
    project = _project(w)
    n = project.needs.get()
    html = c1.get(reverse("needs:need", args=[n.pk])).content.decode()
    link = reverse("needs:project_resources", args=[project.pk]) + f"?resource={w.li.pk}"
    assert link in html and "投入项目" in html
    r = c1.get(link)
    assert r.status_code == 200 and r.context["form"]["resource"].value() == w.li.pk


# ---- scope ----------------------------------------------------------------------------------------


def test_another_communitys_resources_and_projects_are_404(c1, w):
    mine, theirs = _project(w), _project(w, scope=w.s2, user=w.shequ2, place=w.B3, org=w.O_C2, title="和平里路灯坏")
    url = reverse("needs:resource", args=[w.other.pk])
    assert c1.get(url).status_code == 404
    assert c1.post(url, {"action": "availability"}).status_code == 404
    commit = reverse("needs:project_resources", args=[mine.pk])
    assert c1.post(commit, {"action": "commit", "resource": w.other.pk, "note": "x", "committed_on": "2026-03-02"}).status_code == 404
    assert c1.get(commit + f"?resource={w.other.pk}").status_code == 404
    assert c1.get(reverse("needs:project_resources", args=[theirs.pk])).status_code == 404
    assert c1.post(reverse("needs:project_resources", args=[theirs.pk]),
                   {"action": "commit", "resource": w.li.pk, "note": "x", "committed_on": "2026-03-02"}).status_code == 404
    assert c1.get(reverse("needs:resource_new") + f"?place={w.C2.pk}").status_code == 404
    assert c1.post(reverse("needs:resource_new"), {"name": "越权", "kind": "thing", "place": w.C2.pk}).status_code == 404
    assert c1.post(reverse("needs:resource_survey"), _survey(w.K3, {"name": "越权", "kind": "thing"})).status_code == 404
    w.other.refresh_from_db()
    assert w.other.available and not ProjectResource.objects.exists() and not Resource.objects.filter(name="越权").exists()
