"""A small district with hand-counted records in 2026 Q1 for the report's tests (the root
`world`, plus the meetings of partylife/tests/test_indicators.py, needs, volunteers, posts).

Hand counts for the whole district (区 示范区) in 2026 Q1:
  三会一课落实率  K1 4/8, K3 2/8, K4 0/8                 → 6/24 = 25.0%
  参会率         K1 4/8, K3 1/2 (K4 held nothing)        → 5/10 = 50.0%
  党员教育覆盖率  张三 of 张三 李四 赵六 孙七                 → 1/4 = 25.0%
  组织生活会议次数 K1 5 + K3 2                             → 7
  小区党组织覆盖率 K1 K3 K4 of K1 K2 K3 K4                  → 3/4 = 75.0%
  needs         C1: one registered 10 Jan, still open (overdue); C3: one registered 12 Jan, closed
                20 Jan                                   → 登记 2, 办结 1, 逾期 1 (幸福社区)
  volunteers    党员 张三 (C1) 赵六 (C2), 群众 李四 (C1)       → 2 and 1; 张三 served 2.5 h on 10 Jan
  posts         党员先锋岗 C1, C3 (and an inactive one in C1) → 2
The alert rules (defaults) then trip:
  参会率低于80%          和平里党支部, 幸福家园党支部                 (of 2 with meetings)
  党员教育覆盖率低于95%   南山苑党支部, 和平里党支部, 幸福家园党支部    (of 3)
  三会一课落实率低于100%  南山苑党支部, 和平里党支部, 幸福家园党支部    (of 3)
  小区未建党组织          老厂宿舍                                 (of 4)
  需求逾期未办结          幸福社区                                 (of 3)
"""

import datetime as dt
from decimal import Decimal

import pytest

from gongzhi.core.indicators import Period
from gongzhi.core.scope import EVERYTHING
from gongzhi.needs.models import Need, NeedStatus
from gongzhi.needs.tests.factories import at, need
from gongzhi.partylife.models import AttendanceStatus
from gongzhi.people.tests.factories import PartyMemberFactory
from gongzhi.volunteers.models import Post, PostKind, ServiceRecord, ServiceSource, Volunteer, VolunteerKind
from gongzhi.partylife.tests.factories import held

D = dt.date
P, L, A = AttendanceStatus.PRESENT, AttendanceStatus.LEAVE, AttendanceStatus.ABSENT
Q1 = Period.quarter(2026, 1)
TODAY = D(2026, 4, 10)

TRIPPED = {
    "参会率低于80%": ({"和平里党支部", "幸福家园党支部"}, 2),
    "党员教育覆盖率低于95%": ({"南山苑党支部", "和平里党支部", "幸福家园党支部"}, 3),
    "三会一课落实率低于100%": ({"南山苑党支部", "和平里党支部", "幸福家园党支部"}, 3),
    "小区未建党组织": ({"老厂宿舍"}, 4),
    "需求逾期未办结": ({"幸福社区"}, 3),
}


@pytest.fixture
def district(world):
    w = world
    w.m_lisi = PartyMemberFactory(person=w.lisi, organization=w.O_K1)
    zs, ls, zl = w.m_zhangsan, w.m_lisi, w.m_zhaoliu
    held(w.O_K1, "committee", D(2026, 1, 5), [(zs, P), (ls, A)])
    held(w.O_K1, "committee", D(2026, 1, 25))
    held(w.O_K1, "committee", D(2026, 2, 5), [(zs, P), (ls, L)])
    held(w.O_K1, "theme_day", D(2026, 1, 20), [(zs, P), (ls, A)])
    held(w.O_K1, "lecture", D(2026, 3, 10), [(zs, P), (ls, A)])
    held(w.O_K3, "branch_congress", D(2026, 2, 10), [(zl, P)])
    held(w.O_K3, "theme_day", D(2026, 3, 5), [(zl, A)])

    need(EVERYTHING, w.quwei, place=w.B1, registered_at=at(D(2026, 1, 10)))
    closed = need(EVERYTHING, w.quwei, place=w.B4, registered_at=at(D(2026, 1, 12)))
    Need.objects.filter(pk=closed.pk).update(status=NeedStatus.CLOSED, closed_at=at(D(2026, 1, 20)))

    def volunteer(person, community, kind):
        return Volunteer.objects.create(person=person, community=community, kind=kind, registered_on=D(2025, 12, 1))
    v1 = volunteer(w.zhangsan, w.C1, VolunteerKind.MEMBER)
    volunteer(w.zhaoliu, w.C2, VolunteerKind.MEMBER)
    volunteer(w.lisi, w.C1, VolunteerKind.RESIDENT)
    ServiceRecord.objects.create(volunteer=v1, community=w.C1, served_on=D(2026, 1, 10), hours=Decimal("2.5"), source=ServiceSource.ACTIVITY,
                                 source_id=1, description="楼道清扫", verified_by=w.quwei, verified_at=at(D(2026, 1, 11)))
    Post.objects.create(name="幸福先锋岗", kind=PostKind.PIONEER, community=w.C1)
    Post.objects.create(name="南山先锋岗", kind=PostKind.PIONEER, community=w.C3)
    Post.objects.create(name="旧先锋岗", kind=PostKind.PIONEER, community=w.C1, is_active=False)
    return w
