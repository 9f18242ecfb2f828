"""数据看板: a community worker's page holds their community only, the comparison with the
previous period, the period form's Chinese errors, 404 outside the grants, and a bounded number
of queries that does not grow with the child units (beyond the indicators' own work)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongzhi.core import indicators
from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Section
from gongzhi.org.models import PlaceLevel
from gongzhi.org.tests import factories as of
from gongzhi.reports.forms import PeriodForm
from gongzhi.reports.selectors import Line

URL = "/reports/"
C2_NAMES = ("和平社区", "和平里", "和平物业", "赵六")


def test_the_url_name():
    assert reverse("reports:dashboard") == URL


def test_a_community_worker_sees_their_community_only(client, world):
    client.force_login(world.shequ1)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "幸福社区" in html and "幸福家园" in html and "老厂宿舍" in html  # the unit, its 小区 (children and alerts)
    for name in C2_NAMES:
        assert name not in html
    assert "小区党组织覆盖率" in html and "50.0%" in html  # K1 has a branch, K2 not
    assert response.context["unit"].place == world.C1
    assert [row.unit.place for row in response.context["board"].children] == [world.K1, world.K2]


@pytest.mark.parametrize("user, query", [
    ("shequ1", "place={C2}"),
    ("shequ1", "place={S1}"),
    ("jiedao1", "place={C3}"),
    ("zhibu1", "org={O_K3}"),
])
def test_outside_the_grants_is_404(client, world, user, query):
    client.force_login(getattr(world, user))
    pks = {name: getattr(world, name).pk for name in ("C2", "S1", "C3", "O_K3")}
    assert client.get(f"{URL}?{query.format(**pks)}").status_code == 404


def test_a_drill_down_link_keeps_the_period(client, world):
    client.force_login(world.quwei)
    html = client.get(f"{URL}?place={world.S1.pk}&year=2025&quarter=2").content.decode()
    assert f'href="?place={world.C1.pk}&amp;year=2025&amp;quarter=2"' in html
    assert "2025年第2季度" in html and "2025年第1季度" in html  # the period and the one compared with
    assert f'href="?place={world.D.pk}&amp;year=2025&amp;quarter=2"' in html  # the breadcrumb to the district


@pytest.mark.parametrize("query, message", [
    ("year=abc", "请从列表中选择年度。"),
    ("year=2025&quarter=2&month=5", "季度和月份只能选一个。"),
    ("start=2026-03-05&end=2026-03-01", "结束日期不能早于开始日期。"),
    ("start=2026-03-05", "自定义时段请同时填写开始和结束日期。"),
    ("start=2026-3-40&end=2026-04-01", "请按“年-月-日”填写日期"),
    ("quarter=9", "请从列表中选择季度。"),
])
def test_bad_period_input_says_why_and_shows_this_year(client, world, query, message):
    client.force_login(world.shequ1)
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "以下为本年度至今的数据。" in html
    today = dt.date.today()
    assert response.context["period"] == Period.year(today.year).up_to(today)


@pytest.mark.parametrize("data, period", [
    ({}, Period.year(2026).up_to(dt.date(2026, 11, 27))),
    ({"year": "2025"}, Period.year(2025)),
    ({"year": "2026", "quarter": "4"}, Period.quarter(2026, 4).up_to(dt.date(2026, 11, 27))),
    ({"year": "2025", "month": "2"}, Period.month(2025, 2)),
    ({"start": "2026-03-01", "end": "2026-03-10"}, Period(dt.date(2026, 3, 1), dt.date(2026, 3, 10))),
])
def test_the_period_asked_for(data, period):
    form = PeriodForm(data or None, today=dt.date(2026, 11, 27))
    assert form.period() == period


def test_a_period_not_begun_is_refused():
    form = PeriodForm({"year": "2026", "month": "12"}, today=dt.date(2026, 11, 27))
    assert not form.is_valid() and "所选时段尚未开始，请选择今天以前的时段。" in form.non_field_errors()


# ---- the comparison with the previous period, on hand-made indicators -------------------------------

def _fake(code, kind=Kind.RATE, higher_is_better=True, period_free=False, section=Section.PARTY_LIFE, figures=None):
    """An indicator whose figure is looked up by the period's first day (no query)."""
    figures = figures or {}
    return Indicator(code=code, section=section, name=f"假{code}", formula=f"{code} 的算法", kind=kind, higher_is_better=higher_is_better,
                     period_free=period_free, compute=lambda scope, period: figures.get(period.start, Figure.rate(0, 0)))


Q2, Q1 = dt.date(2025, 4, 1), dt.date(2025, 1, 1)
FAKES = {
    "t.better": _fake("t.better", figures={Q2: Figure.rate(8, 10), Q1: Figure.rate(6, 10)}),  # 80% from 60%: good
    "t.worse": _fake("t.worse", figures={Q2: Figure.rate(1, 4), Q1: Figure.rate(1, 2)}),  # 25% from 50%: bad
    "t.overdue": _fake("t.overdue", kind=Kind.COUNT, higher_is_better=False, section=Section.SERVICE,
                       figures={Q2: Figure.count(3), Q1: Figure.count(7)}),  # fewer overdue: good
    "t.new": _fake("t.new", figures={Q2: Figure.rate(1, 2)}),  # nothing the quarter before
    "t.standing": _fake("t.standing", kind=Kind.COUNT, period_free=True, section=Section.ORGANISATION,
                        figures={Q2: Figure.count(4), Q1: Figure.count(1)}),
}


@pytest.fixture
def fakes(monkeypatch):
    monkeypatch.setattr(indicators, "_registry", dict(FAKES))


def test_the_comparison_with_the_previous_period(client, world, fakes):
    client.force_login(world.shequ1)
    response = client.get(f"{URL}?year=2025&quarter=2")
    board = response.context["board"]
    assert board.previous == Period.quarter(2025, 1)
    lines = {line.indicator.code: line for block in board.sections for line in block.lines}
    assert [b.code for b in board.sections] == ["organisation", "party_life", "service"]  # the registry's order
    better, worse, overdue = lines["t.better"], lines["t.worse"], lines["t.overdue"]
    assert (better.delta, better.trend, better.tone, better.change_label) == (Decimal("20.0"), "up", "good", "较上期上升 20.0个百分点")
    assert (worse.delta, worse.trend, worse.tone) == (Decimal("-25.0"), "down", "bad")
    assert (overdue.delta, overdue.trend, overdue.tone, overdue.delta_display) == (Decimal("-4"), "down", "good", "4")
    assert lines["t.new"].trend == "" and lines["t.new"].change_label == "上期无可比数据"
    assert lines["t.standing"].previous is None and lines["t.standing"].trend == ""
    html = response.content.decode()
    assert "↑ 20.0" in html and "↓ 25.0" in html and "↓ 4" in html
    assert 'class="kpi tone-good" data-code="t.better"' in html and 'class="kpi tone-bad" data-code="t.worse"' in html
    assert "t.standing 的算法" in html and "8 / 10" in html


def test_a_line_without_a_preference_is_not_coloured():
    line = Line(_fake("t.neutral", higher_is_better=None), Figure.rate(1, 2), Figure.rate(1, 4))
    assert line.trend == "up" and line.tone == ""
    assert Line(_fake("t.flat"), Figure.rate(1, 2), Figure.rate(2, 4)).change_label == "与上期持平"


# ---- queries -----------------------------------------------------------------------------------

def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_the_child_units(client, world, fakes):
    """Indicators that make no query: the page's own queries are the same for 2 or 4 children."""
    client.force_login(world.quwei)
    url = f"{URL}?place={world.S1.pk}"
    two = _queries(client, url)
    of.place(world.S1, PlaceLevel.COMMUNITY, "新建社区一")
    of.place(world.S1, PlaceLevel.COMMUNITY, "新建社区二")
    assert len(client.get(url).context["board"].children) == 4
    assert _queries(client, url) == two


def test_queries_bounded_with_the_real_indicators(client, world, django_assert_max_num_queries):
    client.force_login(world.shequ1)
    client.get(URL)  # warm the session and the caches of configuration
    with django_assert_max_num_queries(260):
        client.get(URL)


@pytest.mark.parametrize("user, shows", [
    ("zhibu1", "幸福家园党支部"),  # an organisation unit
    ("wangge1", "幸福第一网格"),  # a grid grant: the whole scope, no drill-down
    ("jiedao1", "东风街道"),
    ("nobody", "我的范围"),  # no grants: empty figures, no error
])
def test_every_kind_of_user_gets_a_page(client, world, user, shows):
    client.force_login(getattr(world, user))
    response = client.get(URL)
    assert response.status_code == 200
    assert shows in response.content.decode()


def test_the_wall_display_and_english(client, world):
    client.force_login(world.quwei)
    html = client.get(f"{URL}?place={world.S1.pk}&screen=1").content.decode()
    assert "东风街道数据大屏" in html and 'class="sidenav"' not in html and "dash-children-data" in html
    client.cookies["django_language"] = "en"
    assert client.get(f"{URL}?place={world.S1.pk}").status_code == 200


def test_the_alerts_panel_names_the_worst_and_expands_to_all(client, world, monkeypatch):
    from gongzhi.core.indicators import Row
    from gongzhi.reports.models import AlertRule

    rows = [Row(key=i, model="org.partyorganization", name=f"第{i}支部", figure=Figure.rate(i, 10), url=f"/orgs/{i}/") for i in range(10)]
    fake = Indicator(code="t.attendance", section=Section.PARTY_LIFE, name="假参会率", formula="实到 ÷ 应到", kind=Kind.RATE,
                     compute=lambda scope, period: Figure.rate(45, 100), breakdown=lambda scope, period: rows, breakdown_label="党支部")
    monkeypatch.setattr(indicators, "_registry", {"t.attendance": fake})
    AlertRule.objects.all().delete()
    AlertRule.objects.create(name="假参会率低于80%", indicator="t.attendance", comparison="lt", threshold=Decimal("80"), problem="问题")
    AlertRule.objects.create(name="未登记的指标", indicator="t.gone", comparison="lt", threshold=Decimal("80"), problem="问题", order=5)
    client.force_login(world.shequ1)
    html = client.get(URL).content.decode()
    panel = html[html.index('id="alerts"'):html.index('class="card dash-chart-card"')]
    assert "8 / 10" in panel and "10 个党支部中有 8 个" in panel and "整体假参会率 45.0%" in panel
    shown, rest = panel.split("展开全部 8 个")
    assert [f"第{i}支部" in shown for i in range(8)] == [True] * 5 + [False] * 3  # the worst five first
    assert all(f'<a href="/orgs/{i}/">第{i}支部</a>' in rest for i in (5, 6, 7))
    assert "第8支部" not in panel and "第9支部" not in panel
    assert "指标“t.gone”尚未登记，此规则暂不生效。" in panel
