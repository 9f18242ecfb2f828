"""Default need categories and their time limits (calendar days from registration). Local
practice: a district edits them in the admin. Never import app models here."""

from django.db import migrations

CATEGORIES = [
    # code, name, order, days to 受理, days to 办结
    ("sanitation", "环境卫生", 10, 1, 7),
    ("repair", "设施维修", 20, 2, 15),
    ("dispute", "矛盾纠纷", 30, 1, 30),
    ("elderly_disabled", "养老助残", 40, 2, 15),
    ("employment", "就业帮扶", 50, 3, 30),
    ("policy", "政策咨询", 60, 1, 5),
    ("safety", "安全隐患", 70, 1, 3),
    ("other", "其他", 90, 3, 30),
]


def load(apps, schema_editor):
    NeedCategory = apps.get_model("needs", "NeedCategory")
    for code, name, order, accept_days, close_days in CATEGORIES:
        NeedCategory.objects.get_or_create(code=code, defaults=dict(name=name, order=order, accept_days=accept_days, close_days=close_days))


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_needs_projects_tasks")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
