"""Matters move through their method's steps in order: nothing skipped or recorded out of turn, a
missing item or counts that do not add up refused (Chinese message naming the field), pass/fail
computed from the threshold, a failed vote ends or returns the matter, 一肩挑 merges only where the
社区 says so and the method allows it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gongzhi.decisions import services
from gongzhi.decisions.models import MatterStatus, Outcome, StepRecord
from gongzhi.decisions.tests.factories import DAY, four_two, matter, one_three_two, record_next, run_all, step_data


@pytest.fixture
def c1(world, scope_of):
    world.s1 = scope_of(world.shequ1)
    return world


def _step(order, method=None):
    return (method or four_two()).steps.get(order=order)


def test_a_matter_starts_at_the_first_step(c1):
    m = matter(c1.s1, c1.shequ1, c1.C1, compound=c1.K1)
    assert m.current_step.name == "党组织提议"
    assert m.status == MatterStatus.OPEN


def test_compound_must_belong_to_the_community(c1):
    with pytest.raises(ValidationError) as e:
        matter(c1.s1, c1.shequ1, c1.C1, compound=c1.K3)
    assert "小区不属于该社区" in str(e.value)


def test_no_step_may_be_skipped_or_recorded_out_of_order(c1):
    m = matter(c1.s1, c1.shequ1, c1.C1)
    for order in (2, 3, 5, 6):
        step = _step(order)
        with pytest.raises(ValidationError) as e:
            services.step_record(scope=c1.s1, acting_user=c1.shequ1, matter=m, step=step, data=step_data(step), today=DAY)
        assert e.value.message_dict["step"] == [f"下一步应为“党组织提议”，不能跳过或提前记录“{step.name}”。"]
    record_next(c1.s1, c1.shequ1, m)
    m.refresh_from_db()
    assert m.current_step.order == 2
    step = _step(1)  # already recorded: not again
    with pytest.raises(ValidationError):
        services.step_record(scope=c1.s1, acting_user=c1.shequ1, matter=m, step=step, data=step_data(step), today=DAY)
    assert StepRecord.objects.filter(matter=m).count() == 1


def test_the_whole_method_in_order(c1):
    m = run_all(c1.s1, c1.shequ1, matter(c1.s1, c1.shequ1, c1.C1))
    records = list(m.records.select_related("step").order_by("id"))
    assert [r.step.order for r in records] == [1, 2, 3, 4, 5, 6]
    assert all(r.outcome == Outcome.PASSED and r.recorded_by == c1.shequ1 and r.created_at for r in records)
    assert m.status == MatterStatus.ENDED and m.current_step is None
    assert records[2].threshold == "到会不少于应到人数的2/3；同意超过应到人数的1/2"
    assert records[4].published_from == DAY and records[4].published_until == DAY + dt.timedelta(days=6)


def test_status_passed_after_the_last_vote(c1):
    m = matter(c1.s1, c1.shequ1, c1.C1)
    for _ in range(4):
        record_next(c1.s1, c1.shequ1, m)
    m.refresh_from_db()
    assert m.status == MatterStatus.PASSED and m.current_step.name == "决议公开"


@pytest.mark.parametrize("field, value, message", [
    ("minutes", "", "“党员大会审议”须填写会议纪要。"),
    ("signatures", None, "“党员大会审议”须填写签字扫描件。"),
    ("due_count", None, "“党员大会审议”须填写应到人数。"),
    ("votes_against", None, "“党员大会审议”须填写反对票数。"),
])
def test_a_missing_required_item_is_refused(c1, field, value, message):
    m = matter(c1.s1, c1.shequ1, c1.C1)
    record_next(c1.s1, c1.shequ1, m)
    record_next(c1.s1, c1.shequ1, m)
    with pytest.raises(ValidationError) as e:
        record_next(c1.s1, c1.shequ1, m, **{field: value})
    assert e.value.message_dict[field] == [message]


def test_counts_must_add_up(c1):
    m = matter(c1.s1, c1.shequ1, c1.C1)
    record_next(c1.s1, c1.shequ1, m)
    record_next(c1.s1, c1.shequ1, m)
    with pytest.raises(ValidationError) as e:
        record_next(c1.s1, c1.shequ1, m, due=30, present=31)
    assert e.value.message_dict["present_count"] == ["实到人数（31）不能多于应到人数（30）。"]
    with pytest.raises(ValidationError) as e:
        record_next(c1.s1, c1.shequ1, m, due=30, present=20, yes=16, no=3, abstain=2)
    assert e.value.message_dict["votes_for"] == ["赞成、反对、弃权票数之和（21）不能多于实到人数（20）。"]


def test_notice_text_required_for_publication(c1):
    m = matter(c1.s1, c1.shequ1, c1.C1)
    for _ in range(4):
        record_next(c1.s1, c1.shequ1, m)
    with pytest.raises(ValidationError) as e:
        record_next(c1.s1, c1.shequ1, m, notice_text="")
    assert e.value.message_dict["notice_text"] == ["“决议公开”须填写公开内容。"]


def test_below_threshold_never_passes_and_returns_as_the_method_says(c1):
    """党员大会 not quorate (19 of 30 due): failed, the matter goes back to 两委商议 (the method's
    return step); recorded again, 20 attend and 16 agree: passed."""
    m = matter(c1.s1, c1.shequ1, c1.C1)
    record_next(c1.s1, c1.shequ1, m)
    record_next(c1.s1, c1.shequ1, m)
    [failed] = record_next(c1.s1, c1.shequ1, m, due=30, present=19, yes=19, no=0, abstain=0)
    assert failed.outcome == Outcome.FAILED and "至少须到 20 人" in failed.fail_reason
    m.refresh_from_db()
    assert m.status == MatterStatus.OPEN and m.current_step.name == "两委商议"
    record_next(c1.s1, c1.shequ1, m)
    [third] = record_next(c1.s1, c1.shequ1, m, due=30, present=20, yes=15, no=5, abstain=0)
    assert third.outcome == Outcome.FAILED   # 15 of 30 due is not more than half
    record_next(c1.s1, c1.shequ1, m)
    [passed] = record_next(c1.s1, c1.shequ1, m, due=30, present=20, yes=16, no=4, abstain=0)
    assert passed.outcome == Outcome.PASSED
    m.refresh_from_db()
    assert m.current_step.name == "居民会议或居民代表会议决议"


def test_failed_residents_vote_ends_the_matter(c1):
    m = matter(c1.s1, c1.shequ1, c1.C1)
    for _ in range(3):
        record_next(c1.s1, c1.shequ1, m)
    [record] = record_next(c1.s1, c1.shequ1, m, due=40, present=21, yes=10, no=11, abstain=0)
    assert record.outcome == Outcome.FAILED
    m.refresh_from_db()
    assert m.status == MatterStatus.FAILED and m.current_step is None
    step = _step(5)
    with pytest.raises(ValidationError) as e:
        services.step_record(scope=c1.s1, acting_user=c1.shequ1, matter=m, step=step, data=step_data(step), today=DAY)
    assert "该事项未通过，不能再记录步骤" in str(e.value)


def test_merge_only_under_one_post(c1):
    m = matter(c1.s1, c1.shequ1, c1.C1)
    assert services.merge_candidate(m) is None
    with pytest.raises(ValidationError) as e:
        record_next(c1.s1, c1.shequ1, m, merge_next=True)
    assert "一肩挑" in e.value.message_dict["merge_next"][0]
    assert not m.records.exists()
    services.setting_save(scope=c1.s1, acting_user=c1.shequ1, community=c1.C1, secretary_is_director=True)
    m.refresh_from_db()
    assert services.merge_candidate(m).name == "两委商议"
    first, second = record_next(c1.s1, c1.shequ1, m, merge_next=True, due=7, present=7)
    assert (first.step.order, second.step.order) == (1, 2)
    assert not first.merged_with_previous and second.merged_with_previous
    assert first.held_on == second.held_on and second.present_count == 7
    m.refresh_from_db()
    assert m.current_step.order == 3
    assert services.merge_candidate(m) is None   # 党员大会 never merges
    with pytest.raises(ValidationError):
        record_next(c1.s1, c1.shequ1, m, merge_next=True)


def test_merge_in_the_other_method_where_it_allows(c1):
    services.setting_save(scope=c1.s1, acting_user=c1.shequ1, community=c1.C1, secretary_is_director=True)
    m = matter(c1.s1, c1.shequ1, c1.C1, method=one_three_two())
    assert services.merge_candidate(m) is None   # 党组织提议 may not merge with 征求意见
    record_next(c1.s1, c1.shequ1, m)
    m.refresh_from_db()
    assert services.merge_candidate(m).name == "两委商议"


def test_dates_go_forward(c1):
    m = matter(c1.s1, c1.shequ1, c1.C1)
    record_next(c1.s1, c1.shequ1, m, day=DAY)
    with pytest.raises(ValidationError) as e:
        record_next(c1.s1, c1.shequ1, m, day=DAY - dt.timedelta(days=1))
    assert "不能早于上一步骤" in e.value.message_dict["held_on"][0]


def test_signatures_must_be_a_scan(c1):
    from django.core.files.uploadedfile import SimpleUploadedFile

    m = matter(c1.s1, c1.shequ1, c1.C1)
    record_next(c1.s1, c1.shequ1, m)
    record_next(c1.s1, c1.shequ1, m)
    with pytest.raises(ValidationError) as e:
        record_next(c1.s1, c1.shequ1, m, signatures=SimpleUploadedFile("a.pdf", b"not a pdf"))
    assert "PDF、JPG 或 PNG" in e.value.message_dict["signatures"][0]


def test_withdraw(c1):
    m = matter(c1.s1, c1.shequ1, c1.C1)
    with pytest.raises(ValidationError):
        services.matter_withdraw(scope=c1.s1, acting_user=c1.shequ1, matter=m, reason="")
    m = services.matter_withdraw(scope=c1.s1, acting_user=c1.shequ1, matter=m, reason="居民另有方案")
    assert m.status == MatterStatus.WITHDRAWN and m.current_step is None
