"""Default meeting types and frequency rules (《中国共产党支部工作条例（试行）》 2018; 党课 quarterly
is local practice). They are data: a district edits them in the admin. Never import app models here.
"""

from django.db import migrations

TYPES = [
    # code, name, order, is_education, is_lecture, quorum
    ("branch_congress", "支部党员大会", 10, False, False, "members"),
    ("committee", "支委会", 20, False, False, ""),
    ("group", "党小组会", 30, False, False, ""),
    ("lecture", "党课", 40, True, True, ""),
    ("theme_day", "主题党日", 50, True, False, ""),
    ("life_meeting", "组织生活会", 60, False, False, ""),
    ("review", "民主评议党员", 70, False, False, ""),
]
BRANCH_RULES = [
    # meeting type, period, times, by secretary
    ("branch_congress", "quarter", 1, False),
    ("committee", "month", 1, False),
    ("lecture", "quarter", 1, False),
    ("lecture", "year", 1, True),
    ("theme_day", "month", 1, False),
    ("life_meeting", "year", 1, False),
    ("review", "year", 1, False),
]
BRANCH_KINDS = ["compound_branch", "new_branch"]
GROUP_RULES = {"party_group": [("group", "month", 1, False)]}  # 党小组会 is the groups' own, not the branch's


def load(apps, schema_editor):
    MeetingType = apps.get_model("partylife", "MeetingType")
    FrequencyRule = apps.get_model("partylife", "FrequencyRule")
    OrgKind = apps.get_model("org", "OrgKind")
    types = {}
    for code, name, order, education, lecture, quorum in TYPES:
        types[code], _ = MeetingType.objects.get_or_create(
            code=code, defaults=dict(name=name, order=order, is_education=education, is_lecture=lecture, quorum=quorum),
        )
    rules = {kind: BRANCH_RULES for kind in BRANCH_KINDS} | GROUP_RULES
    for kind_code, kind_rules in rules.items():
        kind = OrgKind.objects.filter(code=kind_code).first()
        if kind is None:
            continue
        for type_code, period, times, by_secretary in kind_rules:
            FrequencyRule.objects.get_or_create(
                org_kind=kind, meeting_type=types[type_code], by_secretary=by_secretary, defaults=dict(period=period, times=times),
            )


class Migration(migrations.Migration):
    dependencies = [("partylife", "0001_initial"), ("org", "0002_default_org_kinds_and_sectors")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
