"""Default alert rules [local; DOMAIN §10 and the seed's 问题和不足]: 参会率 under 80%, 党员教育覆盖率
under 95%, 三会一课落实率 under 100%, 小区 without a party organisation, needs overdue. Data: district
admins edit them in the admin."""

from decimal import Decimal as D

from django.db import migrations

RULES = [  # name, indicator, comparison, threshold, problem, suggestion
    ("参会率低于80%", "partylife.attendance", "lt", D("80"), "部分党组织党员参与组织活动不足",
     "丰富组织生活形式和内容，对经常不参加组织活动的党员逐一谈心谈话、跟踪管理，提高党员参会率。"),
    ("党员教育覆盖率低于95%", "partylife.education", "lt", D("95"), "部分党组织党员教育覆盖不全",
     "严格落实“三会一课”和主题党日，运用户外党课、线上学习等方式，确保党员教育全覆盖。"),
    ("三会一课落实率低于100%", "partylife.compliance", "lt", D("100"), "部分党组织“三会一课”落实滞后",
     "把“三会一课”纳入支部标准化建设考核，按月提醒、按季通报，工作任务重时也不放松。"),
    ("小区未建党组织", "org.compound_coverage", "lt", D("100"), "部分小区尚未建立党组织",
     "摸清小区党员底数，采取单独建、联合建等方式，推动小区党组织应建尽建。"),
    ("需求逾期未办结", "needs.overdue", "gt", D("0"), "部分群众需求逾期未办结",
     "落实“挂账销号”，对逾期需求逐项明确责任人和时限，按期办结并回访。"),
]


def load(apps, schema_editor):
    AlertRule = apps.get_model("reports", "AlertRule")
    if AlertRule.objects.exists():
        return
    for order, (name, indicator, comparison, threshold, problem, suggestion) in enumerate(RULES, start=1):
        AlertRule.objects.create(name=name, indicator=indicator, comparison=comparison, threshold=threshold, problem=problem,
                                 suggestion=suggestion, order=order)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_alert_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
