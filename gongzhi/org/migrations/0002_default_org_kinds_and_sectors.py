"""Default party-organisation kinds (the seed report's four levels plus 两新) and 两新 sectors.

They are data: a district edits them in the admin. Never import app models here.
"""

from django.db import migrations

KINDS = [
    # code, name, order, is_top, place_level, covers_compounds, is_new_sector, allowed parents
    ("street_committee", "街道党工委", 10, True, "street", False, False, []),
    ("community_committee", "社区党委", 20, False, "community", False, False, ["street_committee"]),
    ("community_general_branch", "社区党总支", 21, False, "community", False, False, ["street_committee"]),
    ("compound_branch", "小区党支部", 30, False, "compound", True, False, ["community_committee", "community_general_branch"]),
    ("new_committee", "两新组织党委", 40, False, "", False, True, ["street_committee"]),
    ("new_branch", "两新组织党支部", 41, False, "", False, True, ["street_committee", "community_committee", "community_general_branch", "new_committee"]),
    ("party_group", "党小组", 50, False, "", False, False, ["compound_branch", "new_branch"]),
]

SECTORS = [
    ("office_building", "商务楼宇", 10),
    ("market", "商圈市场", 20),
    ("internet", "互联网企业", 30),
    ("law_firm", "律师行业", 40),
    ("social_org", "社会组织", 50),
    ("other", "其他非公企业", 90),
]


def load(apps, schema_editor):
    OrgKind = apps.get_model("org", "OrgKind")
    NewSector = apps.get_model("org", "NewSector")
    by_code = {}
    for code, name, order, is_top, level, covers, new, _ in KINDS:
        by_code[code], _created = OrgKind.objects.get_or_create(
            code=code,
            defaults=dict(name=name, order=order, is_top=is_top, place_level=level, covers_compounds=covers, is_new_sector=new),
        )
    for code, *_, parents in KINDS:
        by_code[code].allowed_parents.add(*[by_code[p] for p in parents])
    for code, name, order in SECTORS:
        NewSector.objects.get_or_create(code=code, defaults=dict(name=name, order=order))


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
