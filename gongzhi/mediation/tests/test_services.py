"""Tiers and escalation, the due date and the one-month alert, the agreement and the 司法确认
window, 回访: on hand-made dates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongzhi.accounts.scopes import scope_for_user

from .. import selectors, services
from ..models import Assignment, CaseStatus, MediationRules
from .factories import case, mediator, tier

NOW = timezone.make_aware(dt.datetime(2026, 11, 3, 9))
TODAY = dt.date(2026, 11, 27)


def test_defaults_are_data(world):
    assert [t.name for t in selectors.tiers()] == ["调解志愿者", "社区调解员", "社区法官"]
    assert [c.name for c in selectors.categories()] == ["婚姻家庭", "房屋宅基地", "邻里", "损害赔偿", "生产经营", "其他"]
    rules = MediationRules.current()
    assert (rules.due_days, rules.confirm_days, rules.warn_days) == (30, 30, 5)


def test_intake_numbers_and_due_date(world):
    first = case(world.shequ1, world.C1, received_on=dt.date(2026, 11, 2))
    second = case(world.shequ1, world.C1, received_on=dt.date(2026, 11, 3))
    assert (first.seq, second.seq) == (1, 2)
    assert first.number == "（2026）调字第1号"
    assert first.due_on == dt.date(2026, 12, 2)  # 2 Nov + 30 days
    assert first.status == CaseStatus.RECEIVED
    parties = list(first.parties.all())
    assert [p.get_role_display() for p in parties] == ["申请人", "被申请人"]
    assert parties[0].phone_mask == "138****5678" and "13812345678" not in parties[0].phone_enc


def test_intake_needs_both_sides_and_a_description(world):
    with pytest.raises(ValidationError) as e:
        case(world.shequ1, world.C1, parties=[{"role": "applicant", "name": "张三"}], description="")
    assert "请至少填写一名申请人和一名被申请人。" in e.value.message_dict["parties"]
    assert e.value.message_dict["description"] == ["请填写纠纷简要情况。"]


def test_intake_outside_scope_is_404(world):
    from django.http import Http404

    with pytest.raises(Http404):
        case(world.shequ1, world.C2)


def test_assign_needs_a_mediator_of_the_tier(world):
    c = case(world.shequ1, world.C1)
    judge = mediator(world.shequ1, world.C1, name="陈法官", tier_code="judge")
    with pytest.raises(ValidationError) as e:
        services.case_assign(acting_user=world.shequ1, case=c, mediator=judge)
    assert e.value.message_dict["mediator"] == ["陈法官不是调解志愿者，请选择该层级的调解员。"]
    other = mediator(world.shequ2, world.C2, name="和平志愿者")
    with pytest.raises(ValidationError):
        services.case_assign(acting_user=world.shequ1, case=c, mediator=other)
    volunteer = mediator(world.shequ1, world.C1)
    c = services.case_assign(acting_user=world.shequ1, case=c, mediator=volunteer, now=NOW)
    assert c.status == CaseStatus.MEDIATING and c.mediator == volunteer


def test_escalation_only_upward_with_a_reason_and_history(world):
    c = case(world.shequ1, world.C1)
    volunteer = mediator(world.shequ1, world.C1)
    officer = mediator(world.shequ1, world.C1, name="李调解员", tier_code="mediator")
    judge = mediator(world.shequ1, world.C1, name="陈法官", tier_code="judge")
    services.case_assign(acting_user=world.shequ1, case=c, mediator=volunteer, now=NOW)
    with pytest.raises(ValidationError) as e:
        services.case_escalate(acting_user=world.shequ1, case=c, tier=tier("mediator"), reason="  ")
    assert e.value.message_dict == {"reason": ["请填写升级原因。"]}
    with pytest.raises(ValidationError) as e:
        services.case_escalate(acting_user=world.shequ1, case=c, tier=tier("volunteer"), reason="再试")
    assert e.value.message_dict["tier"] == ["只能升级到比“调解志愿者”更高的层级。"]
    c = services.case_escalate(acting_user=world.shequ1, case=c, tier=tier("mediator"), reason="涉及维修费用，志愿者调解未果", mediator=officer,
                               now=NOW + dt.timedelta(days=3))
    assert (c.tier.code, c.mediator, c.status) == ("mediator", officer, CaseStatus.MEDIATING)
    with pytest.raises(ValidationError):  # and never back down
        services.case_escalate(acting_user=world.shequ1, case=c, tier=tier("volunteer"), reason="回退")
    c = services.case_escalate(acting_user=world.shequ1, case=c, tier=tier("judge"), reason="索赔金额较大", now=NOW + dt.timedelta(days=6))
    assert c.mediator is None and c.status == CaseStatus.RECEIVED  # waits for a 社区法官
    services.case_assign(acting_user=world.shequ1, case=c, mediator=judge, now=NOW + dt.timedelta(days=7))
    history = [(a.kind, a.from_tier and a.from_tier.code, a.tier.code, a.mediator and a.mediator.name, a.reason)
               for a in Assignment.objects.filter(case=c)]
    assert history == [
        ("assign", None, "volunteer", "刘调解", ""),
        ("escalate", "volunteer", "mediator", "李调解员", "涉及维修费用，志愿者调解未果"),
        ("escalate", "mediator", "judge", None, "索赔金额较大"),
        ("assign", None, "judge", "陈法官", ""),
    ]
    labels = [r["label"] for r in selectors.case_timeline(c)]
    assert labels == ["登记受理", "分派", "升级", "升级", "分派"]


def test_overdue_and_warned_on_hand_made_dates(world):
    scope = scope_for_user(world.shequ1)
    old = case(world.shequ1, world.C1, received_on=dt.date(2026, 10, 20))  # due 19 Nov: overdue on 27 Nov
    near = case(world.shequ1, world.C1, received_on=dt.date(2026, 10, 30))  # due 29 Nov: 2 days left, warned (≤ 5)
    fresh = case(world.shequ1, world.C1, received_on=dt.date(2026, 11, 20))  # due 20 Dec: fine
    edge = case(world.shequ1, world.C1, received_on=dt.date(2026, 10, 28))  # due 27 Nov = today: not yet overdue, warned
    assert old.overdue_on(TODAY) and not near.overdue_on(TODAY) and not edge.overdue_on(TODAY)
    assert near.warned_on(TODAY, 5) and edge.warned_on(TODAY, 5) and not fresh.warned_on(TODAY, 5)
    assert selectors.due_counts(scope=scope, today=TODAY) == selectors.DueCounts(overdue=1, warned=2)
    assert list(selectors.overdue_cases(scope=scope, today=TODAY)) == [old]
    assert [(c.name, n) for c, n in selectors.overdue_by_community(scope=scope_for_user(world.jiedao1), today=TODAY)] == [("幸福社区", 1), ("和平社区", 0)]
    # closing the old one ends its alert
    services.case_close(acting_user=world.shequ1, case=old, status=CaseStatus.WITHDRAWN, closed_on=dt.date(2026, 11, 25), note="双方自行和解，申请人撤回", today=TODAY)
    assert selectors.due_counts(scope=scope, today=TODAY).overdue == 0


def _agreed(world, agreed_on=dt.date(2026, 11, 20)):
    c = case(world.shequ1, world.C1)
    services.case_assign(acting_user=world.shequ1, case=c, mediator=mediator(world.shequ1, world.C1), now=NOW)
    services.session_record(acting_user=world.shequ1, case=c, held_on=dt.date(2026, 11, 10), place="社区第三调解室", attendees="张三、王五、刘调解",
                            record="双方陈述漏水经过，王五同意承担维修费用。", today=TODAY)
    return services.case_agree(acting_user=world.shequ1, case=c, agreed_on=agreed_on, facts="2026年10月王五家卫生间漏水，致张三家顶棚受损。",
                               terms="王五赔偿张三维修费2000元。", performance="一次性现金支付", perform_by=dt.date(2026, 11, 30), today=TODAY)


def test_agreement_needs_a_session_and_its_terms(world):
    c = case(world.shequ1, world.C1)
    services.case_assign(acting_user=world.shequ1, case=c, mediator=mediator(world.shequ1, world.C1), now=NOW)
    with pytest.raises(ValidationError) as e:
        services.case_agree(acting_user=world.shequ1, case=c, agreed_on=dt.date(2026, 11, 20), facts="", terms="", performance="", perform_by=None, today=TODAY)
    errors = e.value.message_dict
    assert errors["terms"] == ["请先记录至少一次调解（笔录），再制作调解协议。"]
    assert errors["facts"] == ["请填写主要事实和争议事项。"] and errors["perform_by"] == ["请填写履行期限。"]


def test_judicial_confirmation_window(world):
    c = _agreed(world, agreed_on=dt.date(2026, 11, 20))
    assert c.status == CaseStatus.AGREED and c.closed_on == dt.date(2026, 11, 20)
    assert c.confirm_until == dt.date(2026, 12, 20)  # 20 Nov + 30 days
    assert c.confirmation_state(dt.date(2026, 12, 20)) == "open"
    assert c.confirmation_state(dt.date(2026, 12, 21)) == "expired"
    with pytest.raises(ValidationError):
        services.session_record(acting_user=world.shequ1, case=c, held_on=TODAY, place="调解室", attendees="双方", record="再谈", today=TODAY)
    c = services.confirmation_record(acting_user=world.shequ1, case=c, applied_on=dt.date(2026, 11, 25), today=TODAY)
    assert c.confirmation_state(dt.date(2027, 1, 5)) == "applied"


def test_followup_on_performance(world):
    c = _agreed(world)
    with pytest.raises(ValidationError) as e:
        services.followup_record(acting_user=world.shequ1, case=c, visited_on=TODAY, performance="partly", note="", today=TODAY)
    assert e.value.message_dict == {"note": ["未完全履行的，请写明情况。"]}
    f = services.followup_record(acting_user=world.shequ1, case=c, visited_on=TODAY, performance="partly", note="已付1000元", today=TODAY)
    assert f.get_performance_display() == "部分履行"
    assert [r["label"] for r in selectors.case_timeline(c)][-3:] == ["调解", "调解成功", "回访"]
