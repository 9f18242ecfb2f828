"""Defaults of mediation (DOMAIN §7): the NBS list of dispute categories, the three tiers of the
第三调解室 (seed: 调解志愿者 for small neighbour disputes, 社区调解员 for ordinary conflicts, 社区法官
for larger civil disputes; a case escalates upward) and the rules (人民调解法: finished normally
within one month; 司法确认 applied for within 30 days; a warning 5 days before the due date,
local). Data: district admins edit them in the admin. Never import app models here."""

from django.db import migrations

CATEGORIES = [("marriage", "婚姻家庭"), ("housing", "房屋宅基地"), ("neighbour", "邻里"), ("damages", "损害赔偿"),
              ("business", "生产经营"), ("other", "其他")]
TIERS = [  # code, name, rank, handles
    ("volunteer", "调解志愿者", 1, "邻里小纠纷"),
    ("mediator", "社区调解员", 2, "一般矛盾纠纷"),
    ("judge", "社区法官", 3, "较大民事纠纷"),
]


def load(apps, schema_editor):
    Category = apps.get_model("mediation", "Category")
    Tier = apps.get_model("mediation", "Tier")
    MediationRules = apps.get_model("mediation", "MediationRules")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(code=code, defaults=dict(name=name, order=order))
    for code, name, rank, handles in TIERS:
        Tier.objects.get_or_create(code=code, defaults=dict(name=name, rank=rank, handles=handles))
    if not MediationRules.objects.exists():
        MediationRules.objects.create(due_days=30, confirm_days=30, warn_days=5)


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_cases_mediators_sessions")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
