"""五星支部 ratings on hand-made cases: auto points from a few meetings whose rates are worked out
below, the star thresholds (5★ needs an innovation project; scores exactly on a line), evidence
for adjustments, read-only once published, scope (another community's evaluation is a 404), the
summary by star level with its share warning, and the pages."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongzhi.org.tests import factories as of
from gongzhi.partylife.models import AttendanceStatus, LecturerRole
from gongzhi.people.tests.factories import PartyMemberFactory
from gongzhi.points import star_selectors as selectors
from gongzhi.points import star_services as services
from gongzhi.points.models import EvaluationStatus, IndicatorScore, IndicatorSource, StarEvaluation, StarScheme
from gongzhi.partylife.tests.factories import held as _held

D = dt.date
P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT
TODAY = D(2026, 11, 27)


@pytest.fixture
def branches(world):
    """K1's 2025 (the world already has a 支委会 on 2 June, without attendance rows), with 李四 a
    member of K1 too, and a 党小组 G under K1 (it holds meetings but is no 支部: never rated).

    A 支部 must hold in a year (default rules): 党员大会 4 (quarterly) + 支委会 12 + 党课 4 + 书记讲党课 1
    + 主题党日 12 + 组织生活会 1 + 民主评议 1 = 35.
      支委会 Jan (张三 P, 李四 A), Feb, Jun             → 3 met
      主题党日 Mar (张三 P, 李四 A)                     → 1 met
      党课 Feb by the secretary (张三 P, 李四 L)         → 党课 Q1 1 + 书记讲党课 1 = 2 met
      落实率 6/35 = 17.1% → 15 × 6 / 35 = 2.571 → 2.6
      参会率 rows: 3 present of 6 due                   → 50.0% → 7.5
      教育覆盖率 (党课, 主题党日): 张三 yes, 李四 no       → 1/2 = 50.0% → 7.5
    """
    w = world
    w.m_lisi = PartyMemberFactory(person=w.lisi, organization=w.O_K1)
    w.O_G = of.org("party_group", w.K1, w.O_K1, name="幸福家园第一党小组")
    zs, ls = w.m_zhangsan, w.m_lisi
    _held(w.O_K1, "committee", D(2025, 1, 6), [(zs, P), (ls, A)])
    _held(w.O_K1, "committee", D(2025, 2, 6))
    _held(w.O_K1, "theme_day", D(2025, 3, 10), [(zs, P), (ls, A)])
    _held(w.O_K1, "lecture", D(2025, 2, 20), [(zs, P), (ls, L)], lecturer_role=LecturerRole.SECRETARY)
    _held(w.O_G, "group", D(2025, 1, 8), [(zs, P)])
    return w


@pytest.fixture
def average(monkeypatch):
    """党员平均积分 fixed at 72.5 (the ledger is tested in its own module): 72.5 ÷ 100 × 10 = 7.25 → 7.3."""
    monkeypatch.setattr(services, "average_score", lambda **kw: Decimal("72.5"))
    monkeypatch.setattr(services, "average_scores", lambda **kw: {o.pk: Decimal("72.5") for o in kw["organizations"]})


def _open(w, user, scope_of, year=2025):
    return services.evaluations_open(scope=scope_of(user), acting_user=user, year=year, today=TODAY)


def _scores(evaluation):
    return {s.indicator.name: s for s in evaluation.scores.select_related("indicator")}


def _set_total(evaluation, total: Decimal):
    """Fill the indicators in order, each up to its maximum, until `total` is reached."""
    for score in evaluation.scores.select_related("indicator").order_by("indicator__order"):
        score.points, total = min(total, score.indicator.max_points), total - min(total, score.indicator.max_points)
        score.save(update_fields=["points"])


def _set_points(evaluation, points: dict):
    for name, value in points.items():
        IndicatorScore.objects.filter(evaluation=evaluation, indicator__name=name).update(points=Decimal(value))


# ---- opening: which branches, and the auto points ------------------------------------------------

def test_open_rates_branches_not_groups_and_only_once(branches, scope_of, average):
    w = branches
    created = _open(w, w.quwei, scope_of)
    assert sorted(e.organization.name for e in created) == ["南山苑党支部", "和平里党支部", "幸福家园党支部"]
    assert all(e.status == EvaluationStatus.DRAFT and e.scores.count() == 8 for e in created)
    assert _open(w, w.quwei, scope_of) == []  # each branch once a year


def test_street_staff_opens_only_their_street(branches, scope_of, average):
    w = branches
    assert sorted(e.organization.name for e in _open(w, w.jiedao1, scope_of)) == ["和平里党支部", "幸福家园党支部"]


def test_community_worker_may_not_open(branches, scope_of):
    with pytest.raises(PermissionDenied):
        _open(branches, branches.shequ1, scope_of)


def test_year_must_not_be_in_the_future(branches, scope_of):
    with pytest.raises(ValidationError) as e:
        _open(branches, branches.quwei, scope_of, year=2027)
    assert "year" in e.value.error_dict


def test_auto_points_from_meetings_worked_out_by_hand(branches, scope_of, average):
    w = branches
    k1 = next(e for e in _open(w, w.quwei, scope_of) if e.organization_id == w.O_K1.pk)
    s = _scores(k1)
    assert (s["三会一课落实"].auto_value, s["三会一课落实"].auto_points, s["三会一课落实"].points) == (Decimal("0.1714"), Decimal("2.6"), Decimal("2.6"))
    assert s["三会一课落实"].source_note == "三会一课落实率 6/35 = 17.1%（2025年）"
    assert (s["党员参会"].auto_value, s["党员参会"].auto_points) == (Decimal("0.5"), Decimal("7.5"))
    assert s["党员参会"].source_note == "参会率 3/6 = 50.0%（2025年）"
    assert (s["党员教育"].auto_value, s["党员教育"].auto_points) == (Decimal("0.5"), Decimal("7.5"))
    assert s["党员教育"].source_note == "党员教育覆盖率 1/2 = 50.0%（2025年）"
    assert (s["党员积分"].auto_value, s["党员积分"].auto_points) == (Decimal("72.5"), Decimal("7.3"))
    assert s["党员积分"].source_note == "党员平均积分 72.5 分（2025年，在册党员）"
    for name in ("班子建设", "服务群众", "阵地建设", "特色创新"):  # the evaluator's
        assert (s[name].auto_value, s[name].auto_points, s[name].points, s[name].source_note) == (None, None, 0, "")


def test_branch_without_meetings_scores_zero_with_a_note(branches, scope_of, average):
    w = branches
    k4 = next(e for e in _open(w, w.quwei, scope_of) if e.organization_id == w.O_K4.pk)
    s = _scores(k4)
    assert (s["三会一课落实"].auto_points, s["三会一课落实"].source_note) == (Decimal("0.0"), "三会一课落实率 0/35 = 0.0%（2025年）")
    assert (s["党员参会"].auto_value, s["党员参会"].auto_points) == (None, Decimal("0"))
    assert s["党员参会"].source_note == "参会率：2025年无统计对象，计 0 分"


def test_auto_points_are_capped_at_the_maximum(branches, scope_of, monkeypatch):
    monkeypatch.setattr(services, "average_scores", lambda **kw: {o.pk: Decimal("130") for o in kw["organizations"]})
    k1 = next(e for e in _open(branches, branches.quwei, scope_of) if e.organization_id == branches.O_K1.pk)
    assert _scores(k1)["党员积分"].auto_points == Decimal("10.0")


def test_average_points_come_from_the_ledger(branches, scope_of):
    """Not patched: the ledger's own average for K1's members (the base score without entries)."""
    from gongzhi.points.selectors import average_score

    w = branches
    k1 = next(e for e in _open(w, w.quwei, scope_of) if e.organization_id == w.O_K1.pk)
    avg = average_score(scope=scope_of(w.quwei), organization=w.O_K1, cycle=2025, today=TODAY)
    score = _scores(k1)["党员积分"]
    assert score.auto_value == avg and score.auto_points == (avg / 10).quantize(Decimal("0.1"))


def test_figures_of_many_branches_at_once_equal_those_of_each_alone(branches, scope_of):
    """The batched education coverage and average score (used when rating every branch) give
    exactly what the one-organisation selectors give, for branches, a 党小组 and a 社区党委 above them."""
    from gongzhi.partylife import selectors as partylife
    from gongzhi.points.selectors import average_score, average_scores

    w, scope = branches, scope_of(branches.quwei)
    nodes = [w.O_K1, w.O_G, w.O_K4, w.O_C1]
    start, end = D(2025, 1, 1), D(2025, 12, 31)
    batched = partylife.education_coverages(scope=scope, start=start, end=end, nodes=nodes)
    assert batched == {n.pk: partylife.education_coverage(scope=scope, start=start, end=end, node=n) for n in nodes}
    assert (batched[w.O_K1.pk].numerator, batched[w.O_K1.pk].denominator) == (1, 2)
    averages = average_scores(scope=scope, organizations=nodes, cycle=2025, today=TODAY)
    assert averages == {n.pk: average_score(scope=scope, organization=n, cycle=2025, today=TODAY) for n in nodes}
    assert averages[w.O_K1.pk] is not None


def test_the_running_year_is_counted_up_to_today(branches, scope_of, average):
    k1 = next(e for e in _open(branches, branches.quwei, scope_of, year=2026) if e.organization_id == branches.O_K1.pk)
    assert _scores(k1)["党员参会"].source_note == "参会率：2026年，截至11月27日无统计对象，计 0 分"


def test_refresh_rereads_figures_and_keeps_adjustments(branches, scope_of, average):
    w = branches
    s = scope_of(w.quwei)
    k1 = next(e for e in _open(w, w.quwei, scope_of) if e.organization_id == w.O_K1.pk)
    services.score_adjust(scope=s, acting_user=w.quwei, evaluation=k1, indicator=_scores(k1)["党员教育"].indicator,
                          points=Decimal("12"), evidence="另有线上学习记录")
    _held(w.O_K1, "committee", D(2025, 3, 6), [(w.m_zhangsan, P), (w.m_lisi, P)])  # recorded late
    services.evaluation_refresh(scope=s, acting_user=w.quwei, evaluation=k1, today=TODAY)
    after = _scores(k1)
    assert after["三会一课落实"].points == Decimal("3.0")  # 7/35 × 15
    assert after["党员参会"].source_note == "参会率 5/8 = 62.5%（2025年）"
    assert (after["党员教育"].auto_points, after["党员教育"].points, after["党员教育"].evidence) == (Decimal("7.5"), Decimal("12"), "另有线上学习记录")


# ---- adjusting ------------------------------------------------------------------------------------

@pytest.fixture
def k1(branches, scope_of, average):
    return next(e for e in _open(branches, branches.jiedao1, scope_of) if e.organization_id == branches.O_K1.pk)


def _adjust(w, scope_of, evaluation, name, points, evidence="", user=None):
    user = user or w.jiedao1
    indicator = _scores(evaluation)[name].indicator
    return services.score_adjust(scope=scope_of(user), acting_user=user, evaluation=evaluation, indicator=indicator,
                                 points=Decimal(points), evidence=evidence)


def test_evidence_is_required_when_points_differ_from_the_system(branches, scope_of, k1):
    w = branches
    with pytest.raises(ValidationError) as e:
        _adjust(w, scope_of, k1, "党员参会", "10")
    assert list(e.value.error_dict) == ["evidence"]
    assert "党员参会" in e.value.messages[0] and "7.5" in e.value.messages[0]
    score = _adjust(w, scope_of, k1, "党员参会", "10", "  部分会议签到表未录入  经核实补记 ")
    assert (score.points, score.evidence, score.adjusted_by) == (Decimal("10"), "部分会议签到表未录入 经核实补记", w.jiedao1)
    back = _adjust(w, scope_of, k1, "党员参会", "7.5")  # back to the system's points: no evidence needed
    assert (back.points, back.adjusted_by) == (Decimal("7.5"), None)


def test_evaluator_filled_indicators_need_a_basis_for_any_points(branches, scope_of, k1):
    with pytest.raises(ValidationError) as e:
        _adjust(branches, scope_of, k1, "班子建设", "12")
    assert "evidence" in e.value.error_dict
    assert _adjust(branches, scope_of, k1, "班子建设", "0").points == 0


@pytest.mark.parametrize("points", ["-1", "15.1", "7.25"])
def test_points_must_lie_between_zero_and_the_maximum(branches, scope_of, k1, points):
    with pytest.raises(ValidationError) as e:
        _adjust(branches, scope_of, k1, "党员参会", points, "依据")
    assert list(e.value.error_dict) == ["points"]


def test_details_and_the_combined_form_are_all_or_nothing(branches, scope_of, k1):
    w = branches
    s = scope_of(w.jiedao1)
    ids = {name: sc.indicator_id for name, sc in _scores(k1).items()}
    with pytest.raises(ValidationError) as e:
        services.evaluation_save(scope=s, acting_user=w.jiedao1, evaluation=k1, innovation_project="红色物业",
                                 is_model_site=True, scores={ids["班子建设"]: (Decimal("14"), "支委会健全"), ids["服务群众"]: (Decimal("12"), "")})
    assert set(e.value.error_dict) == {f"evidence_{ids['服务群众']}"}
    k1.refresh_from_db()
    assert k1.innovation_project == "" and _scores(k1)["班子建设"].points == 0
    services.evaluation_update(scope=s, acting_user=w.jiedao1, evaluation=k1, innovation_project=" 红色物业 ", is_model_site=True)
    k1.refresh_from_db()
    assert (k1.innovation_project, k1.is_model_site) == ("红色物业", True)


# ---- thresholds -----------------------------------------------------------------------------------

@pytest.mark.parametrize("total, innovation, stars", [
    ("110", True, 5), ("90", True, 5), ("90", False, 4), ("100", False, 4), ("89.9", True, 4), ("80", False, 4),
    ("79.9", False, 3), ("70", False, 3), ("69.9", False, 2), ("60", False, 2), ("59.9", False, 1), ("0", False, 1),
])
def test_levels_by_total_and_innovation(db, total, innovation, stars):
    levels = list(StarScheme.objects.get(name="五星支部评定标准").levels.all())
    assert selectors.level_for(levels, Decimal(total), innovation).stars == stars


def _publish(w, scope_of, evaluation, points: dict, innovation=""):
    _set_points(evaluation, points)
    if innovation:
        StarEvaluation.objects.filter(pk=evaluation.pk).update(innovation_project=innovation)
        evaluation.refresh_from_db()
    return services.evaluation_publish(scope=scope_of(w.quwei), acting_user=w.quwei, evaluation=evaluation)


FULL = {"班子建设": "15", "三会一课落实": "15", "党员参会": "15", "党员教育": "15", "党员积分": "10", "服务群众": "15", "阵地建设": "5", "特色创新": "0"}  # 90


def test_publish_exactly_on_the_five_star_line_without_innovation_is_four(branches, scope_of, k1):
    e = _publish(branches, scope_of, k1, FULL)
    assert (e.total, e.stars, e.status, e.evaluated_by) == (Decimal("90"), 4, EvaluationStatus.PUBLISHED, branches.quwei)
    assert e.published_at is not None


def test_publish_exactly_on_the_five_star_line_with_innovation_is_five(branches, scope_of, k1):
    e = _publish(branches, scope_of, k1, FULL, innovation="“楼栋微治理”项目")
    assert (e.total, e.stars) == (Decimal("90"), 5)


def test_a_published_rating_is_publicised_on_its_community_notice_board(branches, scope_of, k1):
    from gongzhi.notices.models import NoticeKind
    from gongzhi.notices.selectors import notice_for

    e = _publish(branches, scope_of, k1, FULL)
    notice = notice_for(e, NoticeKind.PUBLICITY)
    day = timezone.localdate(e.published_at)
    assert (notice.community, notice.starts_on, notice.ends_on) == (branches.C1, day, day + dt.timedelta(days=5))  # K1 lies in C1; 5 days
    assert notice.title == "2025年度五星支部评定公示：幸福家园党支部"
    assert "评定总分 90.0 分，评定为 4 星" in notice.body


def test_publish_just_below_a_line(branches, scope_of, k1):
    e = _publish(branches, scope_of, k1, FULL | {"阵地建设": "4.9"}, innovation="项目")
    assert (e.total, e.stars) == (Decimal("89.9"), 4)


def test_published_is_read_only(branches, scope_of, k1):
    w = branches
    _publish(w, scope_of, k1, FULL)
    s = scope_of(w.quwei)
    for attempt in (
        lambda: _adjust(w, scope_of, k1, "党员参会", "10", "依据", user=w.quwei),
        lambda: services.evaluation_update(scope=s, acting_user=w.quwei, evaluation=k1, innovation_project="x", is_model_site=False),
        lambda: services.evaluation_refresh(scope=s, acting_user=w.quwei, evaluation=k1, today=TODAY),
        lambda: services.evaluation_publish(scope=s, acting_user=w.quwei, evaluation=k1),
    ):
        with pytest.raises(ValidationError) as e:
            attempt()
        assert "已公布" in e.value.messages[0]


# ---- scope and roles ------------------------------------------------------------------------------

def test_another_street_cannot_touch_an_evaluation(branches, scope_of, average):
    w = branches
    k4 = next(e for e in _open(w, w.quwei, scope_of) if e.organization_id == w.O_K4.pk)
    with pytest.raises(Http404):
        _adjust(w, scope_of, k4, "党员参会", "10", "依据", user=w.jiedao1)
    with pytest.raises(Http404):
        selectors.evaluation_get(scope=scope_of(w.shequ1), pk=k4.pk)


def test_community_worker_sees_but_may_not_rate(branches, scope_of, k1):
    with pytest.raises(PermissionDenied):
        _adjust(branches, scope_of, k1, "党员参会", "10", "依据", user=branches.shequ1)


# ---- history and summary ---------------------------------------------------------------------------

@pytest.fixture
def rated(branches, scope_of, average):
    """2024: K1 3★ (75), K3 4★ (85). 2025: K1 5★ (95, 示范点), K3 3★ (72), K4 still a draft."""
    w = branches
    s = scope_of(w.quwei)
    for year, plan in ((2024, {w.O_K1: ("75", ""), w.O_K3: ("85", "")}), (2025, {w.O_K1: ("95", "红色物业联盟"), w.O_K3: ("72", "")})):
        for e in _open(w, w.quwei, scope_of, year=year):
            if e.organization in plan:
                total, innovation = plan[e.organization]
                _set_total(e, Decimal(total))
                services.evaluation_update(scope=s, acting_user=w.quwei, evaluation=e, innovation_project=innovation,
                                           is_model_site=year == 2025 and e.organization == w.O_K1)
                services.evaluation_publish(scope=s, acting_user=w.quwei, evaluation=e)
    return w


def test_history_shows_stars_up_and_down(rated, scope_of):
    w = rated
    k1 = selectors.branch_history(scope=scope_of(w.shequ1), organization=w.O_K1)
    assert [(e.year, e.stars, e.change) for e in k1] == [(2025, 5, 2), (2024, 3, None)]
    k3 = selectors.branch_history(scope=scope_of(w.quwei), organization=w.O_K3)
    assert [(e.year, e.stars, e.change) for e in k3] == [(2025, 3, -1), (2024, 4, None)]


def test_summary_counts_and_the_share_warning(rated, scope_of):
    w = rated
    summary = selectors.star_summary(scope=scope_of(w.quwei), year=2025)
    assert (summary.branches, summary.published, summary.drafts, summary.unrated, summary.model_sites) == (3, 2, 1, 1, 1)
    assert [(r.stars, r.count, r.share) for r in summary.levels] == [
        (5, 1, Decimal("0.5")), (4, 0, Decimal("0")), (3, 1, Decimal("0.5")), (2, 0, Decimal("0")), (1, 0, Decimal("0"))]
    assert summary.warnings == ["5星支部占 50.0%，高于预期的约 10% 超过 5 个百分点，请复核评定尺度。"]
    street = selectors.star_summary(scope=scope_of(w.jiedao1), year=2025, node=w.O_C2)
    assert (street.branches, street.published, street.levels[2].count, street.warnings) == (1, 1, 1, [])  # 0 of 1 is no news


def test_too_few_five_stars_among_enough_branches(branches, scope_of, average):
    w = branches
    for i in range(7):  # 10 branches, none 5★: 10% of 10 would be one
        of.org("compound_branch", w.K1, w.O_C1, name=f"新支部{i}")
    s = scope_of(w.quwei)
    for e in _open(w, w.quwei, scope_of):
        services.evaluation_publish(scope=s, acting_user=w.quwei, evaluation=e)
    assert selectors.star_summary(scope=s, year=2025).warnings == ["5星支部占 0.0%，低于预期的约 10% 超过 5 个百分点。"]


def test_no_warning_within_five_points(branches, scope_of, average):
    w = branches
    for i in range(9):  # 1 of 12 branches 5★: 8.3%, within 5 points of the expected 10%
        of.org("compound_branch", w.K1, w.O_C1, name=f"新支部{i}")
    s = scope_of(w.quwei)
    for e in _open(w, w.quwei, scope_of):
        if e.organization_id == w.O_K1.pk:
            _set_points(e, FULL)
            services.evaluation_update(scope=s, acting_user=w.quwei, evaluation=e, innovation_project="项目", is_model_site=False)
        services.evaluation_publish(scope=s, acting_user=w.quwei, evaluation=e)
    summary = selectors.star_summary(scope=s, year=2025)
    assert (summary.published, summary.levels[0].count, summary.levels[0].share) == (12, 1, Decimal("0.0833"))
    assert not any("5星" in x for x in summary.warnings)


def test_branch_ratings_with_last_years_stars(rated, scope_of):
    rows = {r.name: r for r in selectors.branch_ratings(scope=scope_of(rated.quwei), year=2025)}
    assert (rows["幸福家园党支部"].rating_stars, rows["幸福家园党支部"].previous_stars, rows["幸福家园党支部"].model_site) == (5, 3, True)
    assert (rows["南山苑党支部"].rating_status, rows["南山苑党支部"].rating_stars) == ("draft", None)
    assert [r.name for r in selectors.branch_ratings(scope=scope_of(rated.quwei), year=2025, stars=0)] == ["南山苑党支部"]


# ---- pages ----------------------------------------------------------------------------------------

def test_summary_page_and_export(client, rated):
    client.force_login(rated.jiedao1)
    html = client.get(reverse("points:stars"), {"year": 2025}).content.decode()
    assert "2025年度五星支部评定" in html and "幸福家园党支部" in html and "开始评定" in html
    assert "南山苑党支部" not in html  # another street
    response = client.get(reverse("points:stars"), {"year": 2025, "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book["星级评定"].values)
    assert rows[0][:3] == ("党组织", "类别", "所在地")
    assert [(r[0], r[6], r[8]) for r in rows[1:]] == [("幸福家园党支部", 5, "+2"), ("和平里党支部", 3, "-1")]
    levels = list(book["按星级汇总"].values)
    assert levels[1][:6] == ("5星", 90, "是", 1, 0.5, 0.1)
    assert ("未评定", None, None, 0, None, None) in levels  # of jiedao1's two branches, both published


def test_summary_has_no_open_button_for_a_community_worker(client, rated):
    client.force_login(rated.shequ1)
    html = client.get(reverse("points:stars"), {"year": 2025}).content.decode()
    assert "幸福家园党支部" in html and "开始评定" not in html and "和平里" not in html
    assert client.post(reverse("points:stars_open"), {"year": 2025}).status_code == 403


def test_evaluation_page_saves_and_publishes(client, branches, scope_of, k1):
    w = branches
    client.force_login(w.jiedao1)
    url = reverse("points:star_evaluation", args=[k1.pk])
    ids = {name: sc.indicator_id for name, sc in _scores(k1).items()}
    data = {"action": "save", "innovation_project": ""} | {f"points_{sc.indicator_id}": sc.points for sc in _scores(k1).values()}
    data[f"points_{ids['党员参会']}"] = "12"
    html = client.post(url, data).content.decode()
    assert "请填写调整依据" in html
    data[f"evidence_{ids['党员参会']}"] = "线上参会记录"
    assert client.post(url, data).status_code == 302
    assert _scores(k1)["党员参会"].points == Decimal("12")
    assert client.post(url, {"action": "publish"}).status_code == 302
    html = client.get(url).content.decode()
    assert "已公布" in html and 'name="points_' not in html and "线上参会记录" in html
    client.post(url, data)  # ignored: read-only
    assert _scores(k1)["党员参会"].evidence == "线上参会记录"


def test_pages_of_another_community_are_404(client, rated):
    k1 = StarEvaluation.objects.get(organization=rated.O_K1, year=2025)
    client.force_login(rated.shequ2)
    assert client.get(reverse("points:star_evaluation", args=[k1.pk])).status_code == 404
    assert client.post(reverse("points:star_evaluation", args=[k1.pk]), {"action": "publish"}).status_code == 404
    assert client.get(reverse("points:star_history", args=[rated.O_K1.pk])).status_code == 404
    assert client.get(reverse("points:stars"), {"org": rated.O_K1.pk}).status_code == 404
    assert client.get(reverse("points:star_history", args=[rated.O_K3.pk])).status_code == 200


def test_history_page(client, rated):
    client.force_login(rated.shequ1)
    html = client.get(reverse("points:star_history", args=[rated.O_K1.pk])).content.decode()
    assert "2025年度" in html and "2024年度" in html and "↑ 2" in html


def test_indicator_sources_are_the_defaults(db):
    scheme = StarScheme.objects.get(name="五星支部评定标准")
    assert sum(i.max_points for i in scheme.indicators.all()) == 110
    assert {i.source for i in scheme.indicators.all()} == {s.value for s in IndicatorSource}


def test_summary_page_queries_do_not_grow_with_the_branches(client, rated, scope_of):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = rated
    client.force_login(w.quwei)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("points:stars"), {"year": 2025}).status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for i in range(5):
        of.org("compound_branch", w.K1, w.O_C1, name=f"新支部{i}")
    _open(w, w.quwei, scope_of)
    assert queries() == before
