"""The admin obeys the same scope: lists cut down, out-of-scope objects 404, choices limited."""

from django.urls import reverse


def test_admin_change_list_is_scoped(client, world):
    client.force_login(world.shequ1)
    r = client.get(reverse("admin:people_person_changelist"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "张三" in html and "赵六" not in html and "孙七" not in html


def test_admin_out_of_scope_object_is_404(client, world):
    client.force_login(world.shequ1)
    for name, obj in [("people_person", world.zhaoliu), ("org_place", world.C2), ("org_partyorganization", world.O_C2), ("org_grid", world.G2), ("people_household", world.H3), ("people_partymember", world.m_zhaoliu)]:
        assert client.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 404, name
        assert client.get(reverse(f"admin:{name}_history", args=[obj.pk])).status_code == 404, name
    assert client.get(reverse("admin:people_person_change", args=[world.zhangsan.pk])).status_code == 200


def test_admin_choices_are_limited_to_scope(client, world):
    client.force_login(world.shequ1)
    r = client.post(
        reverse("admin:people_partymember_change", args=[world.m_zhangsan.pk]),
        {"person": world.zhangsan.pk, "organization": world.O_C2.pk, "category": "full", "joined_on": "2010-07-01", "full_on": "2011-07-01", "status": "active"},
    )
    assert r.status_code == 200  # form redisplayed with an error, nothing saved
    world.m_zhangsan.refresh_from_db()
    assert world.m_zhangsan.organization == world.O_K1


def test_users_admin_only_for_district_admin(client, world):
    client.force_login(world.shequ1)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    client.force_login(world.quwei)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


def test_config_is_read_only_below_district(client, world):
    from gongzhi.org.models import OrgKind

    kind = OrgKind.objects.get(code="party_group")
    client.force_login(world.shequ1)
    r = client.post(reverse("admin:org_orgkind_change", args=[kind.pk]), {"code": "party_group", "name": "改名", "order": 1})
    assert r.status_code == 403
