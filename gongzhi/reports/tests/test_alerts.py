"""问题和不足: a rule read against an indicator's breakdown trips exactly the rows past its
threshold, worst first; undefined values never trip; a rule on an unknown indicator trips nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from gongzhi.core import indicators
from gongzhi.core.indicators import Figure, Indicator, Kind, Period, Row, Section
from gongzhi.core.scope import EVERYTHING
from gongzhi.reports.alerts import evaluate
from gongzhi.reports.models import AlertRule

PERIOD = Period.year(2025)
RATES = {"甲支部": (5, 10), "乙支部": (9, 10), "丙支部": (7, 10), "丁支部": (0, 0), "戊支部": (79, 100), "己支部": (8, 10)}
COUNTS = {"一社区": 0, "二社区": 3, "三社区": 5}


def _rows(figures):
    return [Row(key=i, model="org.partyorganization", name=name, figure=figure, url=f"/x/{i}/") for i, (name, figure) in enumerate(figures.items())]


@pytest.fixture
def fake_registry(monkeypatch):
    registry = dict(indicators._registry)
    registry["test.rate"] = Indicator(
        code="test.rate", section=Section.PARTY_LIFE, name="测试参会率", formula="实到 ÷ 应到", kind=Kind.RATE,
        compute=lambda scope, period: Figure.rate(29, 50), breakdown_label="党支部",
        breakdown=lambda scope, period: _rows({name: Figure.rate(*nd) for name, nd in RATES.items()}),
    )
    registry["test.count"] = Indicator(
        code="test.count", section=Section.SERVICE, name="测试逾期需求", formula="件数", kind=Kind.COUNT,
        compute=lambda scope, period: Figure.count(8),
        breakdown=lambda scope, period: _rows({name: Figure.count(n) for name, n in COUNTS.items()}),
    )
    registry["test.plain"] = Indicator(
        code="test.plain", section=Section.SERVICE, name="无分项", formula="件数", kind=Kind.COUNT, compute=lambda scope, period: Figure.count(1),
    )
    monkeypatch.setattr(indicators, "_registry", registry)


def _rule(indicator, comparison, threshold, **kwargs):
    return AlertRule.objects.create(name=f"{indicator} {comparison} {threshold}", indicator=indicator, comparison=comparison,
                                    threshold=Decimal(threshold), problem="问题", **kwargs)


def test_rows_below_the_threshold_worst_first(db, fake_registry):
    rule = _rule("test.rate", "lt", "80")
    [alert] = evaluate(scope=EVERYTHING, period=PERIOD, rules=[rule])
    assert alert.names == ["甲支部", "丙支部", "戊支部"]  # 50% < 70% < 79%; 80% and 90% do not trip
    assert alert.looked_at == 5  # 丁支部 has nothing to count: not looked at, never tripping
    assert alert.trips and alert.overall.display == "58.0%"
    assert alert.tripped[0].url == "/x/0/"


def test_rows_above_the_threshold_worst_first(db, fake_registry):
    [alert] = evaluate(scope=EVERYTHING, period=PERIOD, rules=[_rule("test.count", "gt", "0")])
    assert alert.names == ["三社区", "二社区"] and alert.looked_at == 3


def test_nothing_trips_on_the_edge_or_when_undefined(db, fake_registry):
    [alert] = evaluate(scope=EVERYTHING, period=PERIOD, rules=[_rule("test.rate", "lt", "50")])
    assert alert.names == [] and not alert.trips
    assert not AlertRule(comparison="lt", threshold=Decimal("80")).trips(None)
    assert not AlertRule(comparison="gt", threshold=Decimal("0")).trips(None)


def test_unknown_indicator_or_no_breakdown_trips_nothing(db, fake_registry):
    unknown, plain = _rule("test.missing", "lt", "80"), _rule("test.plain", "gt", "0")
    a, b = evaluate(scope=EVERYTHING, period=PERIOD, rules=[unknown, plain])
    assert a.indicator is None and a.tripped == [] and a.looked_at == 0
    assert b.indicator.code == "test.plain" and b.tripped == [] and b.overall is None


def test_only_active_rules_in_their_order(db, fake_registry):
    AlertRule.objects.all().delete()
    _rule("test.count", "gt", "0", order=2)
    _rule("test.rate", "lt", "80", order=1)
    _rule("test.rate", "lt", "95", order=3, is_active=False)
    alerts = evaluate(scope=EVERYTHING, period=PERIOD)
    assert [a.rule.indicator for a in alerts] == ["test.rate", "test.count"]


def test_the_default_rules_name_registered_indicators_with_a_breakdown(world):
    """The rules loaded by migration 0002 work with the indicators the apps register."""
    for rule in AlertRule.objects.filter(is_active=True):
        assert rule.indicator_definition is not None, rule.indicator
        assert rule.indicator_definition.breakdown is not None, rule.indicator


def test_the_world_trips_on_the_compound_without_a_branch(world, scope_of):
    from gongzhi.reports.units import unit_for

    rule = AlertRule.objects.get(indicator="org.compound_coverage")
    c1 = unit_for(scope_of(world.shequ1))
    [alert] = evaluate(scope=c1.scope, period=Period.year(2025).up_to(dt.date(2025, 12, 31)), rules=[rule])
    assert alert.names == ["老厂宿舍"] and alert.looked_at == 2


# ---- the admin: district admins edit the rules; the indicator must exist and have a breakdown -------

def _form(indicator):
    from gongzhi.reports.admin import AlertRuleForm

    return AlertRuleForm({"name": "测试", "indicator": indicator, "comparison": "lt", "threshold": "80", "problem": "问题",
                          "suggestion": "", "order": "1", "is_active": "on"})


def test_the_admin_form_checks_the_indicator(db, fake_registry):
    assert _form("test.rate").is_valid()
    unknown = _form("test.missing")
    assert not unknown.is_valid() and unknown.errors["indicator"] == ["指标代码“test.missing”不在指标登记表中，请从列表中选择。"]
    plain = _form("test.plain")
    assert not plain.is_valid() and plain.errors["indicator"] == ["指标“无分项”没有按党组织或地点的分项，无法逐一比对，请选择有分项的指标。"]


def test_only_district_admins_change_the_rules(client, world):
    rule = AlertRule.objects.first()
    url = f"/admin/reports/alertrule/{rule.pk}/change/"
    client.force_login(world.shequ1)
    assert client.get("/admin/reports/alertrule/").status_code == 200
    response = client.post(url, {"name": "改名"})
    assert response.status_code == 403
    client.force_login(world.quwei)
    page = client.get(url)
    assert page.status_code == 200 and "小区党组织覆盖率（org.compound_coverage）" in page.content.decode()


def test_mediation_cases_past_their_month_trip_the_default_alert(world, scope_of):
    """Migration 0003: a 社区 with a case open past its due date (received + 30 days) is named."""
    from django.utils import timezone

    from gongzhi.mediation.tests import factories as mf
    from gongzhi.reports.units import unit_for

    today = timezone.localdate()
    mf.case(world.shequ1, world.C1, received_on=today - dt.timedelta(days=31), today=today)  # due yesterday: overdue
    mf.case(world.shequ2, world.C2, received_on=today - dt.timedelta(days=30), today=today)  # due today: not yet
    rule = AlertRule.objects.get(indicator="mediation.overdue")
    s1 = unit_for(scope_of(world.jiedao1))
    [alert] = evaluate(scope=s1.scope, period=Period.year(today.year).up_to(today), rules=[rule])
    assert alert.names == ["幸福社区"] and alert.looked_at == 2
