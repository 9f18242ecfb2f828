"""The district-wide defaults of the 道德银行's rules (DOMAIN §6, local practice: a community edits
its own): good-deed categories scored 5-20 by kind, 公示 7 days, 2 points per volunteer hour up to
40 a month, garbage points per kilogram with a cap of 5 a day, points lapse at year end once 24
months old, a violation bars redemption for a year. Never import app models here."""

from decimal import Decimal

from django.db import migrations

CATEGORIES = [
    # name, min, max
    ("见义勇为", 15, 20),
    ("助人为乐", 5, 15),
    ("孝老爱亲", 5, 15),
    ("诚实守信", 5, 10),
    ("敬业奉献", 5, 10),
    ("邻里互助", 5, 10),
    ("环境保护", 5, 10),
    ("移风易俗", 5, 10),
]

RATES = [("kitchen", "1"), ("recyclable", "2"), ("hazardous", "5"), ("other", "0.5")]


def load(apps, schema_editor):
    BankPolicy = apps.get_model("bank", "BankPolicy")
    DeedCategory = apps.get_model("bank", "DeedCategory")
    GarbageRate = apps.get_model("bank", "GarbageRate")
    if not BankPolicy.objects.filter(community__isnull=True).exists():
        BankPolicy.objects.create(community=None)
    for name, low, high in CATEGORIES:
        DeedCategory.objects.get_or_create(community=None, name=name, defaults=dict(min_points=low, max_points=high))
    for kind, rate in RATES:
        GarbageRate.objects.get_or_create(community=None, kind=kind, defaults=dict(points_per_kg=Decimal(rate)))


class Migration(migrations.Migration):
    dependencies = [("bank", "0002_rules_deeds_counters")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
