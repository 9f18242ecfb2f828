"""The people services: normalised identity columns, member rules, the places' counters."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from gongzhi.core import pii
from gongzhi.org.models import Place
from gongzhi.people import services
from gongzhi.people.models import MemberCategory, Person, PersonStatus
from gongzhi.people.tests.factories import HouseholdFactory, PartyMemberFactory, PersonFactory, id_number

VALID = "11010519491231002X"  # the example of GB 11643-1999


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# ---------------------------------------------------------------- identity and phone columns


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",  # lower-case x
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and X
        "１１０１０５１９４９１２３１００２ｘ",  # full-width lower-case x
        " 110105 19491231 002x ",  # spaces
        "110105\u300019491231002X",  # the ideographic space
    ],
)
def test_identity_fields_normalise_full_width_digits_spaces_and_lower_case_x(settings, typed):
    fields = services.identity_fields(typed)
    assert fields["id_number_hash"] == pii.blind_index(VALID)
    assert fields["id_number_mask"] == "110105********002X"
    assert fields["id_last4"] == "002X"
    assert pii.decrypt(fields["id_number_enc"]) == VALID
    assert fields["gender"] == "F"  # 17th digit 2 is even
    assert fields["birth_date"] == dt.date(1949, 12, 31)


def test_identity_fields_never_store_the_plain_number():
    fields = services.identity_fields(VALID)
    assert VALID not in "".join(str(v) for v in fields.values())


def test_identity_fields_bad_check_digit_is_a_chinese_error_at_id_number():
    with pytest.raises(ValidationError) as e:
        services.identity_fields("110105194912310021")
    assert "校验位" in errors_of(e)["id_number"][0]


def test_identity_fields_gender_and_birth_date_must_agree_with_the_number():
    with pytest.raises(ValidationError) as e:
        services.identity_fields(VALID, gender="M")
    assert "性别与公民身份号码不符" in errors_of(e)["gender"][0]
    with pytest.raises(ValidationError) as e:
        services.identity_fields(VALID, birth_date=dt.date(1950, 1, 1))
    assert "1949-12-31" in errors_of(e)["birth_date"][0]
    assert services.identity_fields(VALID, gender="F", birth_date=dt.date(1949, 12, 31))["gender"] == "F"


def test_phone_fields_normalise_full_width_digits_and_reject_bad_numbers():
    fields = services.phone_fields("１３８ １２３４ ５６７８")
    assert fields["phone_hash"] == pii.blind_index("13812345678")
    assert fields["phone_mask"] == "138****5678"
    assert services.phone_fields("+86 138-1234-5678")["phone_hash"] == pii.blind_index("13812345678")
    assert services.phone_fields("  ") == {"phone_enc": "", "phone_hash": "", "phone_mask": ""}
    with pytest.raises(ValidationError) as e:
        services.phone_fields("12812345678")
    assert "手机号码" in errors_of(e)["phone"][0]


# ---------------------------------------------------------------- person_create / person_update


def test_person_create_duplicate_id_says_where_it_is_registered(world, scope_of):
    zhaoliu_id = pii.decrypt(world.zhaoliu.id_number_enc)
    zhangsan_id = pii.decrypt(world.zhangsan.id_number_enc)
    s1 = scope_of(world.shequ1)
    with pytest.raises(ValidationError) as e:
        services.person_create(scope=s1, name="甲", id_number=zhangsan_id, place=world.B1)
    assert errors_of(e)["id_number"] == ["该公民身份号码已在本辖区登记，不能重复登记。"]
    with pytest.raises(ValidationError) as e:
        services.person_create(scope=s1, name="乙", id_number=zhaoliu_id.lower(), place=world.B1)
    assert errors_of(e)["id_number"] == ["该公民身份号码已在其他辖区登记，不能重复登记。"]


def test_person_create_outside_the_scope_is_404(world, scope_of):
    with pytest.raises(Http404):
        services.person_create(scope=scope_of(world.shequ1), name="甲", id_number=id_number(), place=world.B3)


def test_person_create_records_who_and_refreshes_counts(world, scope_of):
    person = services.person_create(scope=scope_of(world.shequ1), acting_user=world.shequ1, name=" 周 八 ", id_number=id_number(), place=world.B2, phone="13900001111")
    assert person.name == "周八" and person.name_initials == "zb"
    assert person.history.get().history_user == world.shequ1
    assert Place.objects.get(pk=world.B2.pk).resident_count == 2


# ---------------------------------------------------------------- members


def test_member_create_under_18_is_an_error_at_joined_on(world, scope_of):
    young = PersonFactory(name="少年", place=world.B1, birth=dt.date(2000, 6, 1))
    with pytest.raises(ValidationError) as e:
        services.member_create(scope=scope_of(world.shequ1), person=young, organization=world.O_K1, joined_on=dt.date(2018, 5, 31), full_on=dt.date(2019, 6, 1))
    assert errors_of(e)["joined_on"] == ["入党时须年满18岁：少年在2018-05-31时17岁。"]
    member = services.member_create(scope=scope_of(world.shequ1), person=young, organization=world.O_K1, joined_on=dt.date(2018, 6, 1), full_on=dt.date(2019, 6, 1))
    assert member.pk


def test_member_create_full_on_must_follow_joined_on(world, scope_of):
    s1 = scope_of(world.shequ1)
    with pytest.raises(ValidationError) as e:
        services.member_create(scope=s1, person=world.lisi, organization=world.O_K1, joined_on=dt.date(2010, 7, 1), full_on=dt.date(2010, 7, 1))
    assert errors_of(e)["full_on"] == ["转正日期应晚于入党日期。"]
    with pytest.raises(ValidationError) as e:
        services.member_create(scope=s1, person=world.lisi, organization=world.O_K1, joined_on=dt.date(2010, 7, 1), full_on=dt.date(2009, 7, 1))
    assert errors_of(e)["full_on"] == ["转正日期应晚于入党日期。"]
    with pytest.raises(ValidationError) as e:
        services.member_create(scope=s1, person=world.lisi, organization=world.O_K1, joined_on=dt.date(2010, 7, 1))
    assert errors_of(e)["full_on"] == ["正式党员须填写转正日期。"]


def test_member_create_sets_political_status_and_counts(world, scope_of):
    services.member_create(scope=scope_of(world.shequ1), person=world.lisi, organization=world.O_K1, joined_on=dt.date(2020, 7, 1), category=MemberCategory.PROBATIONARY)
    assert Person.objects.get(pk=world.lisi.pk).political_status == "probationary"
    assert Place.objects.get(pk=world.B1.pk).member_count == 2
    world.O_K1.refresh_from_db()
    assert world.O_K1.member_count == 2


# ---------------------------------------------------------------- counters


def test_place_counts_refresh_counts_residents_households_and_active_members(world):
    assert (world.B1.resident_count, world.B1.household_count, world.B1.member_count) == (2, 1, 1)
    extra = PersonFactory(name="新人", place=world.B1)
    HouseholdFactory(place=world.B1, room="9-999")
    PersonFactory(name="迁出者", place=world.B1, status=PersonStatus.MOVED_OUT)
    member = PartyMemberFactory(person=extra, organization=world.O_K1)
    PartyMemberFactory(person=PersonFactory(name="转出者", place=world.B1), organization=world.O_K1, status="transferred_out")
    services.place_counts_refresh([world.B1.pk, world.B2.pk, None])
    b1 = Place.objects.get(pk=world.B1.pk)
    assert (b1.resident_count, b1.household_count, b1.member_count) == (4, 2, 2)
    Person.objects.filter(pk=member.person_id).update(status=PersonStatus.DECEASED)
    services.place_counts_refresh([world.B1.pk])
    b1.refresh_from_db()
    assert (b1.resident_count, b1.member_count) == (3, 1)
    # the other places are left as they were, and the parents hold only their own records
    assert Place.objects.get(pk=world.B2.pk).resident_count == 1
    assert Place.objects.get(pk=world.K1.pk).resident_count == 0


def test_place_counts_refresh_of_a_place_emptied_is_zero(world):
    Person.objects.filter(place=world.B2).update(place=world.B1)
    services.place_counts_refresh([world.B2.pk])
    assert Place.objects.get(pk=world.B2.pk).resident_count == 0


def test_person_update_moving_refreshes_both_places(world, scope_of):
    services.person_update(scope=scope_of(world.shequ1), person=world.wangwu, place=world.B1)
    assert Place.objects.get(pk=world.B2.pk).resident_count == 0
    assert Place.objects.get(pk=world.B1.pk).resident_count == 3


def test_household_create_duplicate_room_is_an_error_at_room(world, scope_of):
    with pytest.raises(ValidationError) as e:
        services.household_create(scope=scope_of(world.shequ1), place=world.B1, room="1-101")
    assert "已登记为一户" in errors_of(e)["room"][0]
