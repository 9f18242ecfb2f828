"""Defaults [local, from DOMAIN §4]: the district's points rules (基础分 60, floor 0, yearly) and a
五星支部 criteria set of 8 indicators worth 110 points. Both are data: district admins edit them,
and a change to the rules is a new version."""

import datetime as dt
from decimal import Decimal as D

from django.db import migrations

NOT_LECTURE = ["branch_congress", "committee", "group", "theme_day", "life_meeting", "review"]
RULES = [  # code, category, name, points, source, meeting type codes, cap
    ("attend", "组织生活", "参加三会一课、主题党日、组织生活会", D("1"), "attend", [], D("30")),
    ("absent", "组织生活", "无故缺席三会一课、主题党日", D("-2"), "absent", NOT_LECTURE, None),
    ("absent_study", "学习教育", "无故缺席党课学习", D("-3"), "absent", ["lecture"], None),
    ("lecture", "学习教育", "讲授党课", D("5"), "lecture", [], None),
    ("training", "学习教育", "参加培训（每学时）", D("1"), "training", [], D("20")),
    ("article", "作用发挥", "撰写心得文章、录制微党课", D("3"), "manual", [], D("15")),
    ("volunteer", "作用发挥", "参加志愿服务（每小时）", D("0.5"), "volunteer", [], D("20")),
    ("merit", "作用发挥", "其他突出表现", D("5"), "manual", [], D("20")),
    ("dues", "遵规守纪", "连续6个月未交党费", D("-2"), "manual", [], None),
    ("misconduct", "遵规守纪", "违反纪律", D("-10"), "manual", [], None),
]
INDICATORS = [  # name, max points, source, description
    ("班子建设", D("15"), "", "支部委员会健全，书记履职"),
    ("三会一课落实", D("15"), "compliance", "三会一课落实率 × 满分"),
    ("党员参会", D("15"), "attendance", "参会率 × 满分"),
    ("党员教育", D("15"), "education", "党员教育覆盖率 × 满分"),
    ("党员积分", D("10"), "points", "党员平均积分 ÷ 100 × 满分"),
    ("服务群众", D("15"), "", "需求办结、志愿服务、联系群众"),
    ("阵地建设", D("10"), "", "活动场所、制度上墙、台账规范"),
    ("特色创新", D("15"), "", "特色品牌、创新项目"),
]
LEVELS = [(5, D("90"), True, D("0.10")), (4, D("80"), False, None), (3, D("70"), False, None), (2, D("60"), False, None), (1, D("0"), False, None)]


def load(apps, schema_editor):
    RuleSet, RuleVersion, Rule = (apps.get_model("points", m) for m in ("RuleSet", "RuleVersion", "Rule"))
    MeetingType = apps.get_model("partylife", "MeetingType")
    if not RuleSet.objects.filter(organization__isnull=True).exists():
        ruleset = RuleSet.objects.create(name="党员积分管理考核细则")
        version = RuleVersion.objects.create(ruleset=ruleset, number=1, effective_from=dt.date(2000, 1, 1), note="初始版本")
        types = {t.code: t for t in MeetingType.objects.all()}
        for order, (code, category, name, points, source, type_codes, cap) in enumerate(RULES, start=1):
            rule = Rule.objects.create(version=version, code=code, order=order, category=category, name=name, points=points, source=source, cap=cap)
            rule.meeting_types.set([types[c] for c in type_codes if c in types])
    StarScheme, StarIndicator, StarLevel = (apps.get_model("points", m) for m in ("StarScheme", "StarIndicator", "StarLevel"))
    if not StarScheme.objects.exists():
        scheme = StarScheme.objects.create(name="五星支部评定标准")
        for order, (name, max_points, source, description) in enumerate(INDICATORS, start=1):
            StarIndicator.objects.create(scheme=scheme, order=order, name=name, max_points=max_points, source=source, description=description)
        for stars, min_score, innovation, share in LEVELS:
            StarLevel.objects.create(scheme=scheme, stars=stars, min_score=min_score, needs_innovation=innovation, expected_share=share)


class Migration(migrations.Migration):
    dependencies = [("points", "0001_rule_sets_ledger_stars"), ("partylife", "0002_default_types_and_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
