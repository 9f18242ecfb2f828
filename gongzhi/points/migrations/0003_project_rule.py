"""A rule for projects closed (销号) that a member served as a committed resource [local]: +2 per
project, at most 10 a year, added to the district default's first version when it has none (a
district that already edited its rules adds it as a new version in the admin)."""

from decimal import Decimal as D

from django.db import migrations, models


def load(apps, schema_editor):
    Rule, RuleVersion = apps.get_model("points", "Rule"), apps.get_model("points", "RuleVersion")
    for version in RuleVersion.objects.filter(ruleset__organization__isnull=True, number=1):
        if not Rule.objects.filter(version=version, source="project").exists() and not Rule.objects.filter(version=version, code="project").exists():
            order = (Rule.objects.filter(version=version, category="作用发挥").aggregate(m=models.Max("order"))["m"] or 0)
            Rule.objects.create(version=version, code="project", order=order, category="作用发挥", name="参与惠民项目并销号",
                                points=D("2"), source="project", cap=D("10"))


class Migration(migrations.Migration):
    dependencies = [("points", "0002_default_rules_and_star_scheme")]
    operations = [
        migrations.AlterField(
            model_name="rule", name="source",
            field=models.CharField(choices=[("manual", "人工录入（须审核）"), ("attend", "参加会议（自动）"), ("absent", "无故缺席（自动）"),
                                            ("lecture", "讲授党课（自动）"), ("training", "培训学时（自动）"), ("volunteer", "志愿服务时长（自动）"),
                                            ("project", "参与项目销号（自动）")],
                                   default="manual", max_length=16, verbose_name="来源"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
