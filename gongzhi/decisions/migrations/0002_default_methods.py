"""The default decision methods (DOMAIN §7, local practice; district administrators edit them in
the admin): 四议两公开 in six steps, and 一征三议两公开, whose exact steps the seed does not confirm
(configurable). Never import app models here."""

from django.db import migrations

FOUR_TWO = (
    "sy2gk", "四议两公开",
    "党组织提议、两委商议、党员大会审议、居民会议或居民代表会议决议，决议公开、实施结果公开。"
    "书记、主任“一肩挑”的社区，提议与商议可合并召开。",
)
ONE_THREE_TWO = (
    "yz3y2gk", "一征三议两公开",
    "先广泛征求居民意见，再经党组织提议、两委商议、居民会议或居民代表会议决议，决议公开、实施结果公开。"
    "注意：各步骤的具体内容尚待确认，可由区级管理员按本地做法调整（可配置流程）。",
)

# order, name, actor, flags, extra
STEPS = {
    "sy2gk": [
        (1, "党组织提议", "party_org", dict(requires_minutes=True)),
        (2, "两委商议", "committees", dict(requires_attendance=True, requires_minutes=True, may_merge_with_previous=True)),
        (3, "党员大会审议", "party_congress", dict(
            requires_attendance=True, requires_vote=True, requires_minutes=True, requires_signatures=True,
            attendance_num=2, attendance_den=3, attendance_strict=False,
            agreement_basis="due", agreement_num=1, agreement_den=2, agreement_strict=True, on_fail="return", return_to_order=2)),
        (4, "居民会议或居民代表会议决议", "residents", dict(
            requires_attendance=True, requires_vote=True, requires_minutes=True, requires_signatures=True,
            attendance_num=1, attendance_den=2, attendance_strict=True,
            agreement_basis="present", agreement_num=1, agreement_den=2, agreement_strict=True, on_fail="end")),
        (5, "决议公开", "public", dict(requires_notice_text=True, publication_days=7, publishes="resolution")),
        (6, "实施结果公开", "public", dict(requires_notice_text=True, publication_days=7, publishes="result")),
    ],
    "yz3y2gk": [
        (1, "征求意见", "consultation", dict(requires_minutes=True)),
        (2, "党组织提议", "party_org", dict(requires_minutes=True)),
        (3, "两委商议", "committees", dict(requires_attendance=True, requires_minutes=True, may_merge_with_previous=True)),
        (4, "居民会议或居民代表会议决议", "residents", dict(
            requires_attendance=True, requires_vote=True, requires_minutes=True, requires_signatures=True,
            attendance_num=1, attendance_den=2, attendance_strict=True,
            agreement_basis="present", agreement_num=1, agreement_den=2, agreement_strict=True, on_fail="end")),
        (5, "决议公开", "public", dict(requires_notice_text=True, publication_days=7, publishes="resolution")),
        (6, "实施结果公开", "public", dict(requires_notice_text=True, publication_days=7, publishes="result")),
    ],
}


def load(apps, schema_editor):
    DecisionMethod = apps.get_model("decisions", "DecisionMethod")
    MethodStep = apps.get_model("decisions", "MethodStep")
    for code, name, description in (FOUR_TWO, ONE_THREE_TWO):
        method, created = DecisionMethod.objects.get_or_create(code=code, defaults=dict(name=name, description=description))
        if not created:
            continue
        for order, step_name, actor, extra in STEPS[code]:
            MethodStep.objects.create(method=method, order=order, name=step_name, actor=actor, **extra)


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_methods_matters_conventions")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
