"""The 调研报告 (.docx) of the hand-counted district (report_fixtures.py): every figure in the
text and in table 1 equals the figure computed directly from the registry and, for a few, the
hand count; no "×"; 问题和不足 names exactly the organisations and places that trip each rule;
the charts are embedded (or, without a CJK font, said to be missing); the report job."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from gongzhi.core.indicators import Figure, Row, all_indicators, compute
from gongzhi.jobs.models import Job, JobStatus
from gongzhi.reports import units
from gongzhi.reports.alerts import Alert
from gongzhi.reports.content import figure_text, names_text, report_content
from gongzhi.reports.document import PRACTICE_SENTENCES, fact, report_docx, value_text

from . import report_fixtures
from .report_fixtures import Q1, TODAY, TRIPPED, held

district = report_fixtures.district  # the hand-counted district, a fixture


def _unit(w):
    return units.place_unit(w.D)


def _docx(w, **kw) -> Document:
    return Document(io.BytesIO(report_docx(unit=_unit(w), period=Q1, today=TODAY, **kw)))


def _paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _part(doc, heading_start: str, next_start: str | None) -> list[str]:
    """The paragraphs between the heading that starts with `heading_start` and the next one."""
    texts = _paragraphs(doc)
    first = next(i for i, t in enumerate(texts) if t.startswith(heading_start))
    last = next((i for i, t in enumerate(texts) if next_start and t.startswith(next_start)), len(texts))
    return texts[first + 1:last]


def _table(doc) -> dict[str, list[str]]:
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["类别", "名称", "数值", "计算公式"]
    return {row.cells[1].text: [c.text for c in row.cells] for row in table.rows[1:]}


@pytest.fixture
def report(district):
    return _docx(district)


def test_title_and_the_seed_structure(district, report):
    texts = _paragraphs(report)
    assert texts[0] == "示范区党建引领基层治理调研报告（2026年第1季度）"
    headings = [p.text for p in report.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["一、示范区党建引领基层治理基本情况", "二、示范区党建引领基层治理主要做法", "三、调研中发现的问题和不足",
                        "四、对推进示范区党建引领基层治理工作的意见建议"]
    assert report.core_properties.title == texts[0]


def test_no_number_is_left_to_fill_in(report):
    everything = "\n".join(_paragraphs(report)) + "".join(c.text for t in report.tables for r in t.rows for c in r.cells)
    assert "×" not in everything


def test_table_and_text_hold_every_figure_computed_directly(district, report):
    unit = _unit(district)
    registered = all_indicators()
    direct = compute(registered, unit.scope, Q1)
    table = _table(report)
    assert len(table) == len(registered)
    situation = "".join(_part(report, "一、", "表1"))
    for indicator in registered:
        name, value, formula = table[str(indicator.name)][1:]
        assert value == value_text(indicator, direct[indicator.code]), indicator.code
        assert formula == str(indicator.formula).replace("×", "乘以")
        assert fact(indicator, direct[indicator.code]) in situation, indicator.code


def test_hand_counted_figures(district, report):
    table = {name: cells[2] for name, cells in _table(report).items()}
    assert table["三会一课落实率"] == "25.0%（6/24）"
    assert table["参会率"] == "50.0%（5/10）"
    assert table["党员教育覆盖率"] == "25.0%（1/4）"
    assert table["组织生活会议次数"] == "7次"
    assert table["小区党组织覆盖率"] == "75.0%（3/4）"
    assert (table["登记需求"], table["办结需求"], table["逾期未办结需求"]) == ("2件", "1件", "1件")
    assert (table["党员志愿者"], table["群众志愿者"], table["党员先锋岗"]) == ("2人", "1人", "2个")
    assert table["志愿服务时长"] == "2.5小时"
    situation = "".join(_part(report, "一、", "表1"))
    assert "参会率50.0%（5/10）" in situation and "组织生活会议次数7次" in situation
    # every rate in the text is followed by its counts, and they are the table's
    for percent, n, d in re.findall(r"(\d+\.\d)%（(\d+)/(\d+)）", situation):
        assert Figure.rate(int(n), int(d)).display == f"{percent}%"


def test_practices_quote_the_practice_figures(district, report):
    practices = "".join(_part(report, "二、", "三、"))
    for sentence in ("召开“三会一课”等组织生活会议7次", "办结群众需求1件", "收集群众需求2件", "招募党员志愿者2人", "群众志愿者1人",
                     "设立“党员先锋岗”2个", "累计志愿服务2.5小时", "建有各级党组织8个"):
        assert sentence in practices
    assert "五星支部" not in practices  # none rated: a zero is not a practice


def test_practices_skip_an_indicator_that_is_not_registered(district, monkeypatch):
    from gongzhi.core import indicators

    kept = {code: i for code, i in indicators._registry.items() if code != "volunteers.pioneer_posts"}
    monkeypatch.setattr(indicators, "_registry", kept)
    report = _docx(district)
    assert "党员先锋岗" not in "".join(_paragraphs(report)) and "招募党员志愿者2人" in "".join(_part(report, "二、", "三、"))
    assert "volunteers.pioneer_posts" in PRACTICE_SENTENCES


def _problems(report) -> dict[str, tuple[set[str], int, int]]:
    """rule name → (names, how many trip, of how many), read back from 问题和不足."""
    out = {}
    for text in _part(report, "三、", "四、"):
        found = re.search(r"对照“(.+?)”，在有数据的(\d+)个.+?中，有(\d+)个：(.+?)。", text)
        assert found, text
        rule, total, k, names = found.groups()
        out[rule] = (set(names.split("、")), int(k), int(total))
    return out


def test_problems_name_exactly_the_units_that_trip_each_rule(district, report):
    assert _problems(report) == {rule: (names, len(names), total) for rule, (names, total) in TRIPPED.items()}
    problems = _part(report, "三、", "四、")
    assert problems[0].startswith("（一）部分党组织党员参与组织活动不足。")
    assert "示范区整体参会率50.0%（5/10）" in problems[0]


def test_suggestions_are_those_of_the_rules_that_trip(district, report):
    from gongzhi.reports.models import AlertRule

    suggestions = _part(report, "四、", "（本报告")
    expected = [r.suggestion for r in AlertRule.objects.filter(is_active=True, name__in=TRIPPED)]
    assert [s.split("。", 1)[1] for s in suggestions if s] == expected


def test_a_rule_that_does_not_trip_is_not_a_problem(district):
    from gongzhi.reports.models import AlertRule

    AlertRule.objects.filter(name="参会率低于80%").update(threshold=40)
    report = _docx(district)
    assert "参会率低于80%" not in _problems(report) and "参会率低于40%" not in _problems(report)
    assert len(_part(report, "三、", "四、")) == 4


def test_names_beyond_twenty_are_counted_not_listed():
    rows = [Row(key=n, model="org.partyorganization", name=f"第{n:02d}党支部", figure=Figure.rate(0, 1)) for n in range(1, 26)]
    text = names_text(Alert(rule=None, indicator=None, tripped=rows))
    assert text.endswith("第20党支部等25个") and "第21党支部" not in text
    twins = [Row(1, "org.place", "一号院", Figure.rate(0, 1), parent="幸福社区"), Row(2, "org.place", "一号院", Figure.rate(0, 1), parent="和平社区")]
    assert names_text(Alert(rule=None, indicator=None, tripped=twins)) == "一号院（幸福社区）、一号院（和平社区）"


def test_charts_of_the_child_units_are_embedded(district, report):
    images = [r for r in report.part.rels.values() if "image" in r.reltype]
    assert len(images) == 4  # one per key rate: 小区党组织覆盖率, 三会一课落实率, 参会率, 党员教育覆盖率
    captions = [t for t in _paragraphs(report) if t.startswith("图")]
    assert captions[0] == "图1  各下级单位小区党组织覆盖率"


def test_without_a_cjk_font_no_chart_is_drawn_and_the_report_says_so(district, settings):
    settings.GONGZHI_REPORT_FONT = "/nonexistent/font.ttf"
    report = _docx(district)
    assert not [r for r in report.part.rels.values() if "image" in r.reltype]
    assert any("未找到可显示中文的字体" in t for t in _paragraphs(report))


def test_chinese_fonts_are_set_for_east_asian_text(report):
    from docx.oxml.ns import qn

    body = report.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia"))
    heading = report.styles["Heading 1"].element.rPr.rFonts
    assert body == "仿宋" and heading.get(qn("w:eastAsia")) == "黑体" and heading.get(qn("w:eastAsiaTheme")) is None


def test_a_branch_unit_has_no_children_and_charts_its_own_rates(district):
    report = Document(io.BytesIO(report_docx(unit=units.org_unit(district.O_K1), period=Q1, today=TODAY)))
    texts = _paragraphs(report)
    assert texts[0] == "幸福家园党支部党建引领基层治理调研报告（2026年第1季度）"
    assert "参会率50.0%（4/8）" in "".join(texts)  # K1: 4 present of 8 due
    assert any(t == "图1  幸福家园党支部主要比率" for t in texts)


def test_queries_do_not_grow_with_the_records(district, settings):
    """Aggregates only: more meetings, attendance and needs cost no more queries (every figure
    computed: none kept from before, core.figure_cache)."""
    settings.GONGZHI_FIGURE_CACHE = False
    unit = _unit(district)

    def count():
        with CaptureQueriesContext(connection) as queries:
            report_content(unit=unit, period=Q1, today=TODAY)
        return len(queries.captured_queries)

    before = count()
    for day in range(1, 20):
        held(district.O_K4, "committee", Q1.start.replace(day=day), [(district.m_sunqi, "present")])
    assert count() == before


# ---- the job -------------------------------------------------------------------------------------

def _start(client, user, **query):
    client.force_login(user)
    return client.post(reverse("reports:report_new"), query)


def test_the_page_confirms_unit_and_period(district, client):
    client.force_login(district.jiedao1)
    page = client.get(reverse("reports:report_new"), {"place": district.S1.pk, "year": 2026, "quarter": 1})
    assert page.status_code == 200
    assert "东风街道党建引领基层治理调研报告（2026年第1季度）" in page.content.decode()


def test_a_unit_out_of_scope_is_a_404(district, client):
    client.force_login(district.shequ1)
    assert client.get(reverse("reports:report_new"), {"place": district.C2.pk}).status_code == 404
    assert client.post(reverse("reports:report_new"), {"place": district.C2.pk}).status_code == 404
    assert not Job.objects.exists()


def test_the_job_builds_both_files_with_progress_and_only_its_owner_downloads(district, client, monkeypatch):
    from gongzhi.jobs import progress

    labels = []
    monkeypatch.setattr(progress.Progress, "phase", lambda self, label, total=0: labels.append(label))
    response = _start(client, district.jiedao1, place=district.S1.pk, year=2026, quarter=1)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:report_job", args=[job.pk])
    assert job.status == JobStatus.DONE, job.error
    assert job.result["title"] == "东风街道党建引领基层治理调研报告（2026年第1季度）"
    assert any("统计组织生活指标" in label for label in labels) and any("生成 Word 报告" in label for label in labels)
    assert labels[-1].endswith(f"（第{len(labels)}步，共{len(labels)}步）")
    page = client.get(response["Location"]).content.decode()
    assert "调研报告已生成" in page and "?format=docx" in page and "?format=xlsx" in page

    download = reverse("reports:report_download", args=[job.pk])
    docx = client.get(download, {"format": "docx"})
    assert docx.status_code == 200 and "wordprocessingml" in docx["Content-Type"]
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert "（一）部分党组织党员参与组织活动不足。" in text
    xlsx = client.get(download, {"format": "xlsx"})
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    assert client.get(download, {"format": "pdf"}).status_code == 404

    client.force_login(district.quwei)  # another user, even one who sees more: the job is not theirs
    assert client.get(download, {"format": "docx"}).status_code == 404
    assert client.get(reverse("reports:report_job", args=[job.pk])).status_code == 404


def test_a_running_job_shows_its_progress(district, client):
    from django.utils import timezone

    from gongzhi.jobs import progress

    job = Job.objects.create(kind="reports.report", user=district.shequ1, status=JobStatus.RUNNING, started_at=timezone.now(),
                             params={"place": str(district.C1.pk), "start": "2026-01-01", "end": "2026-03-31", "period_kind": "quarter"})
    progress.Progress(job.pk).phase("统计组织生活指标（第2步，共9步）")
    client.force_login(district.shequ1)
    page = client.get(reverse("reports:report_job", args=[job.pk])).content.decode()
    assert "job-progress" in page and "统计组织生活指标（第2步，共9步）" in page
    assert client.get(reverse("reports:report_download", args=[job.pk]), {"format": "docx"}).status_code == 404  # not done yet


def test_figure_text_of_an_undefined_rate():
    assert figure_text(Figure.rate(0, 0)) == "—（0/0）"


@pytest.mark.django_db(transaction=True)
def test_two_threads_compute_what_one_does(transactional_db, district, settings):
    """A deployment computes the period before and the child units in a second thread, on its own
    connection (committed records here, so it sees them): the same figures as one thread."""
    from gongzhi.reports.content import report_content

    def figures(threads):
        settings.GONGZHI_REPORT_THREADS = threads
        settings.GONGZHI_FIGURE_CACHE = False
        content = report_content(unit=_unit(district), period=Q1, today=TODAY)
        return content.figures, content.previous, [(c.unit.label, c.figures) for c in content.children], [a.names for a in content.alerts]

    one = figures(1)
    assert one[2] and one[1]  # children and a period before: something to compare
    assert figures(2) == one


def test_practices_quote_the_governance_figures(district):
    import datetime as dt

    from gongzhi.mediation.tests import factories as mf

    for day in (dt.date(2026, 2, 3), dt.date(2026, 3, 20)):
        mf.case(district.shequ1, district.C1, received_on=day, today=day)
    mf.case(district.shequ1, district.C1, received_on=dt.date(2026, 4, 2), today=dt.date(2026, 4, 2))  # after Q1: not counted
    practices = "".join(_part(_docx(district), "二、", "三、"))
    assert "推进自治、法治、德治“三治并进”" in practices and "“第三调解室”受理矛盾纠纷2件" in practices
