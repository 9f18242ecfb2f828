from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "gongzhi.org"
    label = "org"
    verbose_name = "区划与组织"
