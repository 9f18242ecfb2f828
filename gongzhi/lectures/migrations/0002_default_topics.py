"""A starting list of 法治讲座 topics (DOMAIN §7, seed: the teacher team's usual subjects); the
district adds its own. Never import app models here."""

from django.db import migrations

TOPICS = [
    # title, category, description
    ("民法典婚姻家庭编解读", "marriage", "结婚、离婚、夫妻共同财产、子女抚养与赡养义务"),
    ("继承与遗嘱", "marriage", "法定继承顺序、遗嘱的几种形式与效力、遗产分割"),
    ("物业服务合同与物业费", "property", "业主与物业公司的权利义务、物业费纠纷怎么办"),
    ("业主大会与业主委员会", "property", "如何成立业委会、公共收益与维修资金的使用"),
    ("识破电信网络诈骗", "fraud", "冒充客服、刷单返利、虚假投资理财等常见骗局与防范"),
    ("养老诈骗防范", "fraud", "保健品、以房养老、虚假养老项目等针对老年人的骗局"),
    ("劳动合同与工资报酬", "labour", "签订劳动合同、加班费、拖欠工资怎么维权"),
    ("工伤认定与社会保险", "labour", "工伤认定程序、灵活就业人员参保"),
    ("未成年人保护法与家庭教育", "minors", "监护责任、校园欺凌、网络保护、家庭教育促进法"),
    ("老年人权益保障", "elderly", "赡养与扶养、老年人财产与婚姻自由、意定监护"),
    ("邻里纠纷与相邻关系", "neighbours", "噪音、漏水、通风采光、饲养宠物等纠纷的处理"),
    ("人民调解与法律援助", "other", "怎样申请人民调解和法律援助、司法确认"),
]


def load(apps, schema_editor):
    Topic = apps.get_model("lectures", "Topic")
    for i, (title, category, description) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(title=title, defaults=dict(category=category, description=description, order=i * 10))


class Migration(migrations.Migration):
    dependencies = [("lectures", "0001_lectures_loop")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
