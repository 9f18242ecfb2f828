"""Default volunteer skills and the record rules (认定时限 30 days, 签到容差 30 minutes). They are
data: a district edits them in the admin. Never import app models here."""

from django.db import migrations

SKILLS = [
    # code, name, order
    ("medical", "医疗", 10),
    ("legal", "法律", 20),
    ("education", "教育", 30),
    ("electrician", "电工", 40),
    ("plumbing", "水暖", 50),
    ("counselling", "心理疏导", 60),
    ("arts", "文艺", 70),
    ("it", "信息技术", 80),
    ("care", "照护", 90),
]


def load(apps, schema_editor):
    Skill = apps.get_model("volunteers", "Skill")
    RecordRules = apps.get_model("volunteers", "RecordRules")
    for code, name, order in SKILLS:
        Skill.objects.get_or_create(code=code, defaults=dict(name=name, order=order))
    if not RecordRules.objects.exists():
        RecordRules.objects.create(verify_within_days=30, checkin_tolerance_minutes=30)


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_volunteers_teams_posts_activities_records")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
