import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD
from gongzhi.accounts.models import Role, RoleGrant


def test_grant_must_match_node_level(world):
    bad = RoleGrant(user=world.nobody, role=Role.COMMUNITY_WORKER, place=world.S1)
    with pytest.raises(ValidationError) as e:
        bad.full_clean()
    assert "应授予在社区一级" in str(e.value)
    with pytest.raises(ValidationError):
        RoleGrant(user=world.nobody, role=Role.GRID_WORKER, place=world.C1).full_clean()
    RoleGrant(user=world.nobody, role=Role.GRID_WORKER, grid=world.G1).full_clean()


def test_login_and_logout(client, world):
    r = client.post(reverse("login"), {"username": "shequ1", "password": PASSWORD})
    assert r.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_wrong_password_has_a_chinese_message(client, world):
    r = client.post(reverse("login"), {"username": "shequ1", "password": "wrong"})
    assert "用户名或密码不正确" in r.content.decode()


def test_login_is_throttled_after_five_failures(client, world):
    for _ in range(5):
        client.post(reverse("login"), {"username": "shequ1", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    r = client.post(reverse("login"), {"username": "shequ1", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 429
    assert "暂时锁定" in r.content.decode()
    # Another user from the same address is not locked out.
    r = client.post(reverse("login"), {"username": "shequ2", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert r.status_code == 302


def test_pages_need_login(client, world):
    r = client.get(reverse("web:home"))
    assert r.status_code == 302 and reverse("login") in r["Location"]
