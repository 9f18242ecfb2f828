"""Default alert rule [local; DOMAIN §7: a mediation is normally finished within one month]:
mediation cases open past their due date. Data: district admins edit it in the admin."""

from decimal import Decimal as D

from django.db import migrations

RULE = ("调解案件逾期未结", "mediation.overdue", "gt", D("0"), "部分矛盾纠纷调解案件超过一个月仍未调结",
        "对逾期案件逐件明确调解员和办结时限，疑难案件及时升级至社区调解员或社区法官，确保一个月内调结。")


def load(apps, schema_editor):
    AlertRule = apps.get_model("reports", "AlertRule")
    name, indicator, comparison, threshold, problem, suggestion = RULE
    if AlertRule.objects.filter(indicator=indicator).exists():
        return
    order = (AlertRule.objects.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    AlertRule.objects.create(name=name, indicator=indicator, comparison=comparison, threshold=threshold, problem=problem,
                             suggestion=suggestion, order=order)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_default_alert_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
