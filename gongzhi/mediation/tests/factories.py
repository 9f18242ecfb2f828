"""Building mediation records for tests, through the services."""

import datetime as dt

from gongzhi.accounts.scopes import scope_for_user

from .. import services
from ..models import Category, Tier


def tier(code: str) -> Tier:
    return Tier.objects.get(code=code)


def category(code: str = "neighbour") -> Category:
    return Category.objects.get(code=code)


def mediator(user, community, name="刘调解", tier_code="volunteer", login=None, phone="13900001111"):
    return services.mediator_save(scope=scope_for_user(user), acting_user=user, community=community, name=name, tier=tier(tier_code),
                                  phone=phone, user=login)


PARTIES = [
    {"role": "applicant", "name": "张三", "gender": "male", "age": 51, "phone": "13812345678", "address": "幸福家园1号楼1-101"},
    {"role": "respondent", "name": "王五", "gender": "male", "age": 47, "phone": "13700002222", "address": "幸福家园1号楼2-101"},
]


def case(user, community, *, received_on=dt.date(2026, 11, 2), tier_code="volunteer", category_code="neighbour", parties=None,
         today=dt.date(2026, 11, 27), description="楼上漏水殃及楼下，双方就维修费用争执"):
    return services.case_open(scope=scope_for_user(user), acting_user=user, community=community, category=category(category_code),
                              tier=tier(tier_code), source="party", description=description, received_on=received_on,
                              parties=parties or PARTIES, today=today)
