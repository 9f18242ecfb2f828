"""Editing a team and a post on hand-made cases: the services save, refuse a bad value naming the
field, keep the community, members and shifts, and write a history row by the acting user; the
edit pages are prefilled, reached from the team and post pages, and a sibling community's team or
post is a 404 for shequ1."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from gongzhi.volunteers import services
from gongzhi.volunteers.models import Post, PostKind, Team, TeamKind
from gongzhi.volunteers.tests.factories import ago, volunteer


@pytest.fixture
def w(world, scope_of):
    world.s1, world.s2 = scope_of(world.shequ1), scope_of(world.shequ2)
    world.team = services.team_create(scope=world.s1, acting_user=world.shequ1, community=world.C1, name="幸福红马甲", leader_name="刘书记")
    world.other_team = services.team_create(scope=world.s1, acting_user=world.shequ1, community=world.C1, name="幸福义诊队")
    world.post = services.post_create(scope=world.s1, acting_user=world.shequ1, community=world.C1, name="东门值守点", place=world.K1)
    world.team2 = services.team_create(scope=world.s2, acting_user=world.shequ2, community=world.C2, name="和平义诊队")
    world.post2 = services.post_create(scope=world.s2, acting_user=world.shequ2, community=world.C2, name="和平里值守点")
    return world


@pytest.fixture
def c1(client, w):
    client.force_login(w.shequ1)
    return client


def _refused(call) -> dict:
    with pytest.raises(ValidationError) as e:
        call()
    return e.value.message_dict


# ---- services -------------------------------------------------------------------------------------


def test_team_update_saves_keeps_members_and_writes_history(w):
    member = services.team_member_add(scope=w.s1, acting_user=w.shequ1, team=w.team, volunteer=volunteer(w, w.s1, w.zhangsan))
    before = w.team.history.count()
    team = services.team_update(scope=w.s1, acting_user=w.shequ1, team=w.team, name=" 幸福红马甲服务队 ", kind=TeamKind.PROFESSIONAL,
                                leader_name="王主任", description="楼道巡查", founded_on=dt.date(2024, 3, 5))
    team.refresh_from_db()
    assert (team.name, team.kind, team.leader_name, team.description, team.founded_on, team.community) == (
        "幸福红马甲服务队", TeamKind.PROFESSIONAL, "王主任", "楼道巡查", dt.date(2024, 3, 5), w.C1)
    assert list(team.memberships.all()) == [member]
    assert team.history.count() == before + 1
    row = team.history.first()
    assert row.history_type == "~" and row.history_user == w.shequ1 and row.name == "幸福红马甲服务队"


def test_team_update_refuses_bad_values_naming_the_field(w):
    def update(**changes):
        values = {"name": "幸福红马甲", "kind": TeamKind.GENERAL} | changes
        return lambda: services.team_update(scope=w.s1, acting_user=w.shequ1, team=w.team, **values)

    assert _refused(update(name="  ")) == {"name": ["请填写队伍名称。"]}
    assert _refused(update(name="幸福义诊队")) == {"name": ["本社区已有名为“幸福义诊队”的队伍。"]}
    assert _refused(update(kind="choir")) == {"kind": ["请选择队伍类别。"]}
    # its own name again is no clash; nothing was changed by the refusals
    services.team_update(scope=w.s1, acting_user=w.shequ1, team=w.team, name="幸福红马甲", kind=TeamKind.SOCIAL_ORG)
    w.team.refresh_from_db()
    assert w.team.kind == TeamKind.SOCIAL_ORG and w.team.leader_name == ""


def test_post_update_saves_keeps_shifts_and_writes_history(w):
    start = ago(hours=1)
    shift = services.shift_create(scope=w.s1, acting_user=w.shequ1, post=w.post, starts_at=start, ends_at=start + dt.timedelta(hours=4))
    before = w.post.history.count()
    post = services.post_update(scope=w.s1, acting_user=w.shequ1, post=w.post, name="东门党员先锋岗", kind=PostKind.PIONEER, place=w.K2,
                                description="早晚高峰", is_active=False)
    post.refresh_from_db()
    assert (post.name, post.kind, post.place, post.description, post.is_active, post.community) == (
        "东门党员先锋岗", PostKind.PIONEER, w.K2, "早晚高峰", False, w.C1)
    assert list(post.shifts.all()) == [shift]
    assert post.history.count() == before + 1 and post.history.first().history_user == w.shequ1


def test_post_update_refuses_bad_values_naming_the_field(w):
    def update(**changes):
        values = {"name": "东门值守点", "kind": PostKind.DUTY} | changes
        return lambda: services.post_update(scope=w.s1, acting_user=w.shequ1, post=w.post, **values)

    assert _refused(update(name="")) == {"name": ["请填写岗位名称。"]}
    assert _refused(update(kind="gate")) == {"kind": ["请选择岗位类别。"]}
    assert _refused(update(place=w.K3)) == {"place": ["岗位地点应在本社区内。"]}  # 和平里 is in 和平社区
    w.post.refresh_from_db()
    assert w.post.place == w.K1 and w.post.is_active


def test_updates_out_of_scope_are_refused(w):
    with pytest.raises(Http404):
        services.team_update(scope=w.s1, acting_user=w.shequ1, team=w.team2, name="改名", kind=TeamKind.GENERAL)
    with pytest.raises(Http404):
        services.post_update(scope=w.s1, acting_user=w.shequ1, post=w.post2, name="改名", kind=PostKind.DUTY)
    assert Team.objects.get(pk=w.team2.pk).name == "和平义诊队" and Post.objects.get(pk=w.post2.pk).name == "和平里值守点"


# ---- pages ----------------------------------------------------------------------------------------


def test_team_edit_page(c1, w):
    url = reverse("volunteers:team_edit", args=[w.team.pk])
    assert url == f"/volunteers/teams/{w.team.pk}/edit/"
    assert url in c1.get(reverse("volunteers:team", args=[w.team.pk])).content.decode()  # the 编辑 button
    html = c1.get(url).content.decode()
    assert 'value="幸福红马甲"' in html and 'value="刘书记"' in html
    r = c1.post(url, {"name": "幸福义诊队", "kind": TeamKind.GENERAL})
    assert r.status_code == 200 and "本社区已有名为“幸福义诊队”的队伍。" in r.content.decode()
    r = c1.post(url, {"name": "幸福红马甲服务队", "kind": TeamKind.PROFESSIONAL, "leader_name": "王主任", "founded_on": "2024-03-05",
                      "community": w.C2.pk})  # the community is not editable: a posted one is ignored
    assert r.status_code == 302 and r["Location"] == reverse("volunteers:team", args=[w.team.pk])
    w.team.refresh_from_db()
    assert (w.team.name, w.team.kind, w.team.leader_name, w.team.community) == ("幸福红马甲服务队", TeamKind.PROFESSIONAL, "王主任", w.C1)
    assert w.team.history.first().history_user == w.shequ1


def test_post_edit_page(c1, w):
    url = reverse("volunteers:post_edit", args=[w.post.pk])
    assert url in c1.get(reverse("volunteers:post", args=[w.post.pk])).content.decode()  # the 编辑 button
    html = c1.get(url).content.decode()
    assert 'value="东门值守点"' in html and f'value="{w.K1.pk}" selected' in html and 'id="id_is_active" checked' in html
    r = c1.post(url, {"name": " ", "kind": PostKind.DUTY, "is_active": "on"})
    assert r.status_code == 200 and "请填写岗位名称。" in r.content.decode()
    r = c1.post(url, {"name": "东门党员先锋岗", "kind": PostKind.PIONEER, "place": w.K2.pk, "description": "早晚高峰"})  # 启用 unticked
    assert r.status_code == 302 and r["Location"] == reverse("volunteers:post", args=[w.post.pk])
    w.post.refresh_from_db()
    assert (w.post.name, w.post.kind, w.post.place, w.post.is_active) == ("东门党员先锋岗", PostKind.PIONEER, w.K2, False)
    assert "已停用" in c1.get(reverse("volunteers:post", args=[w.post.pk])).content.decode()
    assert "东门党员先锋岗" not in c1.get(reverse("volunteers:posts")).content.decode()


def test_another_communitys_team_and_post_are_404_for_shequ1(c1, w):
    for name, obj in (("volunteers:team_edit", w.team2), ("volunteers:post_edit", w.post2)):
        url = reverse(name, args=[obj.pk])
        assert c1.get(url).status_code == 404
        assert c1.post(url, {"name": "改名", "kind": "general"}).status_code == 404
    assert Team.objects.get(pk=w.team2.pk).name == "和平义诊队" and Post.objects.get(pk=w.post2.pk).name == "和平里值守点"
