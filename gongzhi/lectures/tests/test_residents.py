"""What residents do without a login: 点单, 附议 (one per resident, a database constraint) and
评价 (one per resident and lecture, 1–5), on the public page, identified by name and ID number."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gongzhi.core.scope import EVERYTHING
from gongzhi.lectures import services
from gongzhi.lectures.models import Feedback, LectureRequest, RequestChannel, RequestSecond, RequestStatus
from gongzhi.people.tests.factories import PersonFactory

from . import factories as f


def _id(person):
    from gongzhi.core.pii import decrypt

    return decrypt(person.id_number_enc)


def test_one_second_per_resident(world):
    w = world
    r = f.request(w.C1, w.zhangsan)
    services.request_second(request=r, person=w.lisi)
    with pytest.raises(ValidationError) as e:
        services.request_second(request=r, person=w.lisi)
    assert e.value.message_dict == {"name": ["您已附议过这个点单，每位居民只能附议一次。"]}
    with pytest.raises(IntegrityError), transaction.atomic():  # the rule is the database's
        RequestSecond.objects.create(request=r, person=w.lisi)
    services.request_second(request=r, person=w.wangwu)
    assert r.seconds.count() == 2


def test_who_may_second(world):
    w = world
    r = f.request(w.C1, w.zhangsan)
    with pytest.raises(ValidationError) as e:
        services.request_second(request=r, person=w.zhangsan)
    assert e.value.message_dict == {"name": ["这是您本人的点单，不需要附议。"]}
    with pytest.raises(ValidationError) as e:
        services.request_second(request=r, person=w.zhaoliu)  # lives in C2
    assert e.value.message_dict == {"name": ["只有本社区登记在册的居民可以附议。"]}
    services.request_decline(scope=EVERYTHING, acting_user=None, request=r, reason="重复")
    with pytest.raises(ValidationError) as e:
        services.request_second(request=r, person=w.lisi)
    assert e.value.message_dict == {"name": ["该点单已未采纳，不再接受附议。"]}


def test_request_checks(world):
    w = world
    with pytest.raises(ValidationError) as e:
        services.request_submit(community=w.C1, person=w.zhaoliu, topic=None, wish="想听")
    assert e.value.message_dict == {"name": ["只有本社区登记在册的居民可以点单。"]}
    with pytest.raises(ValidationError) as e:
        services.request_submit(community=w.C1, person=w.zhangsan, topic=None, wish=" ")
    assert e.value.message_dict == {"topic": ["请选择讲座主题，或写下想听的内容。"]}
    f.request(w.C1, w.zhangsan)
    with pytest.raises(ValidationError) as e:
        f.request(w.C1, w.zhangsan)
    assert e.value.message_dict == {"topic": ["您已点过“识破电信网络诈骗”，还在办理中，不必重复点单。"]}
    wish = f.request(w.C1, w.zhangsan, title=None, wish="高空抛物谁来担责")
    assert (wish.subject, wish.channel) == ("高空抛物谁来担责", RequestChannel.PUBLIC)


def test_one_feedback_per_resident(world):
    w = world
    t = f.teacher(w.D)
    o = f.order(w.C1, [t])
    with pytest.raises(ValidationError) as e:
        services.feedback_give(order=o, person=w.lisi, rating=5)
    assert e.value.message_dict == {"rating": ["只能评价已开讲、尚未结单的讲座。"]}
    o = f.held(f.accepted(o, t))
    services.feedback_give(order=o, person=w.lisi, rating=5, comment="讲得实在")
    with pytest.raises(ValidationError) as e:
        services.feedback_give(order=o, person=w.lisi, rating=4)
    assert e.value.message_dict == {"name": ["您已评价过这场讲座，每位居民只能评价一次。"]}
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(order=o, person=w.lisi, rating=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(order=o, person=w.wangwu, rating=6)  # the CHECK 1–5
    with pytest.raises(ValidationError) as e:
        services.feedback_give(order=o, person=w.wangwu, rating=0)
    assert e.value.message_dict == {"rating": ["评分应为1至5分。"]}
    with pytest.raises(ValidationError) as e:
        services.feedback_give(order=o, person=w.zhaoliu, rating=4)
    assert e.value.message_dict == {"name": ["只有本社区登记在册的居民可以评价。"]}


def test_public_page_request_second_feedback(client, world):
    w = world
    url = reverse("lectures:public", args=[w.C1.pk])
    topic = f.topic("物业服务合同与物业费")
    wrong = client.post(url, {"action": "request", "topic": topic.pk, "name": "张三", "id_number": _id(w.lisi)})
    assert "姓名与身份证号不符，或不是本社区登记在册的居民。" in wrong.content.decode()
    response = client.post(url, {"action": "request", "topic": topic.pk, "wish": "物业费上涨怎么办", "name": "张三", "id_number": _id(w.zhangsan)})
    assert response.status_code == 302
    r = LectureRequest.objects.get()
    assert (r.person, r.topic, r.wish, r.status) == (w.zhangsan, topic, "物业费上涨怎么办", RequestStatus.OPEN)
    second = {"action": "second", "request": r.pk, f"second-{r.pk}-name": "李四", f"second-{r.pk}-id_number": _id(w.lisi)}
    assert client.post(url, second).status_code == 302
    again = client.post(url, second)
    assert "您已附议过这个点单" in again.content.decode()
    page = client.get(url).content.decode()
    assert "张* 20" in page and "张三" not in page and "1 人附议" in page
    t = f.teacher(w.D)
    o = f.held(f.accepted(f.order(w.C1, [t], [r]), t), attendance=25)
    page = client.get(url).content.decode()
    assert "已开讲" in page and "25 人参加" in page
    fb = {"action": "feedback", "order": o.pk, f"feedback-{o.pk}-rating": "4", f"feedback-{o.pk}-comment": "很有用",
          f"feedback-{o.pk}-name": "王五", f"feedback-{o.pk}-id_number": _id(w.wangwu)}
    assert client.post(url, fb).status_code == 302
    assert "评分 4.0（1 人评价）" in client.get(url).content.decode()
    assert client.post(url, {"action": "second", "request": 999999}).status_code == 404
    other = f.request(w.C2, w.zhaoliu)
    assert client.post(url, {"action": "second", "request": other.pk}).status_code == 404  # another 社区's request


def test_the_public_page_stops_guessing_after_ten_failed_checks(client, world):
    from gongzhi.lectures.public_views import FAILURES

    url = reverse("lectures:public", args=[world.C1.pk])
    topic = f.topic("物业服务合同与物业费")
    for _i in range(FAILURES.limit):
        client.post(url, {"action": "request", "topic": topic.pk, "name": "张三", "id_number": _id(world.lisi)}, REMOTE_ADDR="10.0.0.5")
    right = {"action": "request", "topic": topic.pk, "name": "张三", "id_number": _id(world.zhangsan)}
    assert "尝试次数过多" in client.post(url, right, REMOTE_ADDR="10.0.0.5").content.decode()
    assert not LectureRequest.objects.exists()
    assert client.post(url, right, REMOTE_ADDR="10.0.0.6").status_code == 302  # another address is not held back


def test_public_page_of_a_non_community_is_404(client, world):
    assert client.get(reverse("lectures:public", args=[world.K1.pk])).status_code == 404


def test_resident_of_a_compound_building_is_identified(world):
    w = world
    newcomer = PersonFactory(name="欧阳娜娜", place=w.B2)
    r = f.request(w.C1, newcomer)
    assert r.community == w.C1
