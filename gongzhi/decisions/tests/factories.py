"""Helpers for the decisions tests: a matter of the default 四议两公开 method and the data that
records each of its steps."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from gongzhi.decisions import services
from gongzhi.decisions.models import DecisionMethod

DAY = dt.date(2026, 3, 2)


def four_two() -> DecisionMethod:
    return DecisionMethod.objects.get(code="sy2gk")


def one_three_two() -> DecisionMethod:
    return DecisionMethod.objects.get(code="yz3y2gk")


def signatures(name="签字.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 signed sheet", content_type="application/pdf")


def matter(scope, user, community, *, title="加装电梯", method=None, compound=None):
    return services.matter_create(scope=scope, acting_user=user, community=community, title=title, method=method or four_two(),
                                  description="幸福家园1号楼加装电梯", compound=compound)


def step_data(step, *, day=DAY, due=30, present=25, yes=20, no=3, abstain=2, also=None, **extra):
    """What `step` (and `also`, a step merged with it) requires, filled in (a passing vote unless
    told otherwise)."""
    data = services.StepData(held_on=day, minutes=f"{step.name}会议纪要")
    if also is not None and (also.requires_attendance or also.requires_vote):
        data.due_count, data.present_count = due, present
    if step.requires_attendance or step.requires_vote:
        data.due_count, data.present_count = due, present
    if step.requires_vote:
        data.votes_for, data.votes_against, data.votes_abstain = yes, no, abstain
    if step.requires_signatures:
        data.signatures = signatures()
    if step.requires_notice_text:
        data.notice_text = f"{step.name}：经居民代表会议表决通过，为1号楼加装电梯。"
    for key, value in extra.items():
        setattr(data, key, value)
    return data


def record_next(scope, user, m, **kw):
    m.refresh_from_db()
    merge = kw.pop("merge_next", False)
    also = m.method.steps.filter(order=m.current_step.order + 1).first() if merge else None
    return services.step_record(scope=scope, acting_user=user, matter=m, step=m.current_step, data=step_data(m.current_step, also=also, **kw),
                                merge_next=merge, today=kw.get("day", DAY) + dt.timedelta(days=30))


def run_all(scope, user, m):
    while True:
        m.refresh_from_db()
        if m.current_step is None:
            return m
        record_next(scope, user, m)
