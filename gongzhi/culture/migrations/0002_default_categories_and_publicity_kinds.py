"""The district-wide 评选类别 the seed names (好党员, 好媳妇, 好婆婆 around 建党节、国庆节、重阳节;
道德榜样) and 最美家庭, and the publicity kinds whose counts the report quotes (横幅 条, 展板 个,
宣传手册/活页, 微信推文 条) with 宣传单 and 宣讲活动. Data, edited in the admin. Never import app
models here."""

from django.db import migrations

CATEGORIES = [
    # name, standard
    ("道德榜样", "助人为乐、见义勇为、诚实守信、敬业奉献、孝老爱亲等方面事迹突出"),
    ("好党员", "理想信念坚定，在服务群众、志愿服务、社区治理中发挥先锋模范作用"),
    ("好媳妇", "孝敬老人、关爱家人、家庭和睦，邻里称道"),
    ("好婆婆", "关爱晚辈、明理持家、带头弘扬好家风"),
    ("最美家庭", "家风良好、家庭和美、热心公益、邻里和睦"),
    ("好邻居", "邻里互助、热心社区事务"),
]

KINDS = [
    # code, name, unit
    ("banner", "横幅", "条"),
    ("board", "展板", "个"),
    ("booklet", "宣传手册/活页", "份"),
    ("leaflet", "宣传单", "份"),
    ("wechat", "微信推文", "条"),
    ("talk", "宣讲活动", "场"),
]


def load(apps, schema_editor):
    AwardCategory = apps.get_model("culture", "AwardCategory")
    PublicityKind = apps.get_model("culture", "PublicityKind")
    for order, (name, standard) in enumerate(CATEGORIES, start=1):
        AwardCategory.objects.get_or_create(community=None, name=name, defaults=dict(description=standard, order=order))
    for order, (code, name, unit) in enumerate(KINDS, start=1):
        PublicityKind.objects.get_or_create(code=code, defaults=dict(name=name, unit=unit, order=order))


class Migration(migrations.Migration):
    dependencies = [("culture", "0001_stories_awards_publicity")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
