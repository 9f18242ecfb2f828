"""Writes to the people registry. Atomic, scope-checked, Chinese errors naming the field."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from gongzhi.core import pii
from gongzhi.core.scope import Scope
from gongzhi.core.validators import parse_id_number, validate_mobile
from gongzhi.core.pinyin import name_initials
from gongzhi.core.text import clean_text, squeeze
from gongzhi.org.models import PartyOrganization, Place, PlaceLevel

from .models import (
    CommunityCheckin, Gender, Household, MemberCategory, MemberStatus, MemberTransfer, PartyMember, Person, PersonStatus, PiiReveal, RevealedField,
)

RESIDENCE_LEVELS = (PlaceLevel.BUILDING, PlaceLevel.UNIT)
MEMBER_MIN_AGE = 18


def identity_fields(id_number: str, *, gender: str | None = None, birth_date: dt.date | None = None) -> dict:
    """The stored columns for an ID number: ciphertext, blind index, mask, and what it encodes.

    A gender or birth date given beside the number must agree with it.
    """
    try:
        info = parse_id_number(id_number)
    except ValidationError as e:
        raise ValidationError({"id_number": e.messages})
    if gender and gender != info.gender:
        raise ValidationError({"gender": _("性别与公民身份号码不符：号码第17位表示%(gender)s。") % {"gender": Gender(info.gender).label}})
    if birth_date and birth_date != info.birth_date:
        raise ValidationError({"birth_date": _("出生日期与公民身份号码不符：号码中为%(date)s。") % {"date": f"{info.birth_date:%Y-%m-%d}"}})
    return {
        "id_number_enc": pii.encrypt(info.number),
        "id_number_hash": pii.blind_index(info.number),
        "id_number_mask": pii.mask_id_number(info.number),
        "id_last4": info.number[-4:],
        "gender": info.gender,
        "birth_date": info.birth_date,
    }


def phone_fields(phone: str) -> dict:
    if not squeeze(phone):
        return {"phone_enc": "", "phone_hash": "", "phone_mask": ""}
    try:
        number = validate_mobile(phone)
    except ValidationError as e:
        raise ValidationError({"phone": e.messages})
    return {"phone_enc": pii.encrypt(number), "phone_hash": pii.blind_index(number), "phone_mask": pii.mask_phone(number)}


def _check_residence(scope: Scope, place: Place, household: Household | None) -> None:
    scope.require(place)
    if place.level not in RESIDENCE_LEVELS:
        raise ValidationError({"place": _("居住地应为楼栋或单元，“%(place)s”是%(level)s。") % {"place": place, "level": place.get_level_display()}})
    if household is not None:
        scope.require(household)
        if household.place_id != place.pk:
            raise ValidationError({"household": _("所选的户在“%(household_place)s”，与居住楼栋“%(place)s”不一致。") % {"household_place": household.place, "place": place}})


def person_create(
    *, scope: Scope, acting_user=None, name: str, id_number: str, place: Place, phone: str = "",
    gender: str | None = None, birth_date: dt.date | None = None, household: Household | None = None, **attrs,
) -> Person:
    name = squeeze(name)
    if not name:
        raise ValidationError({"name": _("姓名不能为空。")})
    fields = identity_fields(id_number, gender=gender, birth_date=birth_date) | phone_fields(phone)
    existing = Person.objects.filter(id_number_hash=fields["id_number_hash"]).first()
    if existing is not None:
        if scope.contains(existing):
            message = _("该公民身份号码已在本辖区登记，不能重复登记。")
        else:
            message = _("该公民身份号码已在其他辖区登记，不能重复登记。")
        raise ValidationError({"id_number": message})
    _check_residence(scope, place, household)
    person = Person(name=name, name_initials=name_initials(name), place=place, household=household, **fields, **attrs)
    person.full_clean(exclude=["id_number_hash"])
    with transaction.atomic():
        person._history_user = acting_user
        person.save()
        place_counts_refresh([place.pk])
    return person


def person_update(*, scope: Scope, acting_user=None, person: Person, phone: str | None = None, **changes) -> Person:
    """Change a person's editable fields (not the ID number, which identifies them)."""
    scope.require(person)
    old_place_id = person.place_id
    if "name" in changes:
        changes["name"] = squeeze(changes["name"])
        if not changes["name"]:
            raise ValidationError({"name": _("姓名不能为空。")})
        changes["name_initials"] = name_initials(changes["name"])
    for key, value in changes.items():
        setattr(person, key, clean_text(value) if isinstance(value, str) and key not in ("name",) else value)
    if phone is not None:
        for key, value in phone_fields(phone).items():
            setattr(person, key, value)
    _check_residence(scope, person.place, person.household)
    person.full_clean(exclude=["id_number_hash"])
    with transaction.atomic():
        person._history_user = acting_user
        person.save()
        place_counts_refresh({old_place_id, person.place_id})
    return person


def household_create(*, scope: Scope, acting_user=None, place: Place, room: str, head: Person | None = None) -> Household:
    room = squeeze(room)
    _check_residence(scope, place, None)
    if Household.objects.filter(place=place, room=room).exists():
        raise ValidationError({"room": _("“%(place)s”的%(room)s室已登记为一户。") % {"place": place, "room": room}})
    household = Household(place=place, room=room, head=head)
    household.full_clean()
    with transaction.atomic():
        household._history_user = acting_user
        household.save()
        if head is not None:
            Person.objects.filter(pk=head.pk).update(household=household, relation_to_head="本人")
        place_counts_refresh([place.pk])
    return household


def household_update(
    *, scope: Scope, acting_user=None, household: Household, room: str | None = None, head: Person | None = None, note: str | None = None,
) -> Household:
    """Change a household's room, head (one of its members) or note: a new history version."""
    scope.require(household)
    if room is not None:
        room = squeeze(room)
        if Household.objects.filter(place_id=household.place_id, room=room).exclude(pk=household.pk).exists():
            raise ValidationError({"room": _("“%(place)s”的%(room)s室已登记为一户。") % {"place": household.place, "room": room}})
        household.room = room
    if head is not None:
        if head.household_id != household.pk:
            raise ValidationError({"head": _("户主须是本户成员。")})
        household.head = head
    if note is not None:
        household.note = clean_text(note)
    household.full_clean()
    with transaction.atomic():
        household._history_user = acting_user
        household.save()
    return household


def member_create(
    *, scope: Scope, acting_user=None, person: Person, organization: PartyOrganization, joined_on: dt.date,
    category: str = MemberCategory.FULL, full_on: dt.date | None = None, **attrs,
) -> PartyMember:
    scope.require(person)
    scope.require(organization)
    if hasattr(person, "party_member"):
        raise ValidationError({"person": _("%(name)s已是党员，在“%(org)s”。") % {"name": person.name, "org": person.party_member.organization}})
    age = joined_on.year - person.birth_date.year - ((joined_on.month, joined_on.day) < (person.birth_date.month, person.birth_date.day))
    if age < MEMBER_MIN_AGE:
        raise ValidationError({"joined_on": _("入党时须年满%(min_age)s岁：%(name)s在%(date)s时%(age)s岁。") % {
            "min_age": MEMBER_MIN_AGE, "name": person.name, "date": f"{joined_on:%Y-%m-%d}", "age": age,
        }})
    if full_on and full_on <= joined_on:
        raise ValidationError({"full_on": _("转正日期应晚于入党日期。")})
    if category == MemberCategory.FULL and not full_on:
        raise ValidationError({"full_on": _("正式党员须填写转正日期。")})
    member = PartyMember(person=person, organization=organization, joined_on=joined_on, category=category, full_on=full_on, **attrs)
    member.full_clean()
    with transaction.atomic():
        member._history_user = acting_user
        member.save()
        status = "member" if category == MemberCategory.FULL else "probationary"
        Person.objects.filter(pk=person.pk).update(political_status=status)
        place_counts_refresh([person.place_id])
        org_counts_refresh([organization.pk])
    return member


def member_change_status(
    *, scope: Scope, acting_user=None, member: PartyMember, status: str, on: dt.date, reason: str = ""
) -> PartyMember:
    """Record that a member was transferred out, died, or is back on the roll (在册).

    The change is a new version in the member's history (who, when, why); past versions are
    never rewritten. The place and organisation counters are recounted in the same transaction.
    """
    scope.require(member)
    if status not in MemberStatus.values:
        raise ValidationError({"status": _("未知的党员状态。")})
    if status == member.status:
        raise ValidationError({"status": _("该党员当前已是“%(status)s”状态。") % {"status": MemberStatus(status).label}})
    if on > dt.date.today():
        raise ValidationError({"on": _("变更日期不能晚于今天。")})
    if on < member.joined_on:
        raise ValidationError({"on": _("变更日期不能早于入党日期。")})
    member.status = status
    member.status_changed_on = on
    with transaction.atomic():
        member._history_user = acting_user
        member._change_reason = clean_text(reason)
        member.save(update_fields=["status", "status_changed_on", "updated_at"])
        place_counts_refresh([member.person.place_id])
        org_counts_refresh([member.organization_id])
    return member


@transaction.atomic
def member_transfer(
    *, scope: Scope, acting_user=None, member: PartyMember, to_organization: PartyOrganization, on: dt.date, reason: str = "",
    today: dt.date | None = None,
) -> MemberTransfer:
    """组织关系转接 inside the district: from `on` the member belongs to `to_organization`.

    Both organisations must be in the user's scope. The date is the first day in the new
    organisation; it may not be earlier than a meeting the member is recorded at (those records
    stay with the organisation that held them) nor than an earlier transfer."""
    scope.require(member)
    scope.require(to_organization)
    today = today or dt.date.today()
    errors = {}
    if member.status != MemberStatus.ACTIVE:
        errors["to_organization"] = _("只能转接在册党员的组织关系。")
    elif to_organization.pk == member.organization_id:
        errors["to_organization"] = _("转入党组织与当前所在党组织相同。")
    if on > today:
        errors["on"] = _("转接日期不能晚于今天。")
    elif on <= member.joined_on:
        errors["on"] = _("转接日期应晚于入党日期。")
    else:
        last_meeting = member.attendance.order_by("-meeting__held_on").values_list("meeting__held_on", flat=True).first()
        last_transfer = member.transfers.order_by("-transferred_on").values_list("transferred_on", flat=True).first()
        if last_meeting and on <= last_meeting:
            errors["on"] = _("转接日期应晚于该党员已记录的最近一次会议（%(date)s）。") % {"date": f"{last_meeting:%Y-%m-%d}"}
        elif last_transfer and on <= last_transfer:
            errors["on"] = _("转接日期应晚于上一次转接（%(date)s）。") % {"date": f"{last_transfer:%Y-%m-%d}"}
    if errors:
        raise ValidationError(errors)
    transfer = MemberTransfer.objects.create(member=member, from_organization_id=member.organization_id, to_organization=to_organization,
                                             transferred_on=on, recorded_by=acting_user)
    old = member.organization_id
    member.organization = to_organization
    member._history_user = acting_user
    member._change_reason = clean_text(reason) or _("组织关系转接")
    member.save(update_fields=["organization", "updated_at"])
    org_counts_refresh([old, to_organization.pk])
    return transfer


def checkin_create(*, scope: Scope, acting_user=None, member: PartyMember, community: Place, employer: str, employer_level: str, registered_on: dt.date) -> CommunityCheckin:
    scope.require(community)
    if community.level != PlaceLevel.COMMUNITY:
        raise ValidationError({"community": _("报到社区应为社区一级。")})
    checkin = CommunityCheckin(member=member, community=community, employer=clean_text(employer), employer_level=employer_level, registered_on=registered_on)
    checkin.full_clean()
    with transaction.atomic():
        checkin._history_user = acting_user
        checkin.save()
    return checkin


REVEAL_PERMISSION = "people.reveal_personal_data"
REVEAL_REASON_MIN = 4
_ENCRYPTED = {RevealedField.ID_NUMBER: "id_number_enc", RevealedField.PHONE: "phone_enc"}


def person_reveal(*, scope: Scope, acting_user, person: Person, field: str, reason: str, ip: str = "") -> str:
    """The full ID number or phone of a person, for a user holding the permission who states
    why. Each look is logged (who, whose, what, when, why, from where) in the same transaction;
    the log never holds the value."""
    scope.require(person)
    if acting_user is None or not acting_user.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied(_("您没有查看完整身份证号和手机号的权限。"))
    if field not in _ENCRYPTED:
        raise ValidationError({"field": _("只能查看完整的公民身份号码或手机号码。")})
    reason = clean_text(reason or "")
    if len(reason) < REVEAL_REASON_MIN:
        raise ValidationError({"reason": _("请填写查看原因（至少%(min)s个字）。") % {"min": REVEAL_REASON_MIN}})
    token = getattr(person, _ENCRYPTED[field])
    if not token:
        raise ValidationError({"field": _("%(name)s没有登记%(field)s。") % {"name": person.name, "field": RevealedField(field).label}})
    reveal = PiiReveal(user=acting_user, person=person, field=field, reason=reason, ip_address=ip or None)
    reveal.full_clean()
    with transaction.atomic():
        reveal.save()
        return pii.decrypt(token)


def place_counts_refresh(place_ids) -> None:
    """Recount, from the records, the residents, households and members attached to these places."""
    ids = [pk for pk in set(place_ids) if pk]
    if not ids:
        return
    residents = dict(
        Person.objects.filter(place_id__in=ids, status=PersonStatus.RESIDENT).values_list("place_id").annotate(n=Count("id")).values_list("place_id", "n")
    )
    members = dict(
        Person.objects.filter(place_id__in=ids, status=PersonStatus.RESIDENT, party_member__status="active")
        .values_list("place_id").annotate(n=Count("id")).values_list("place_id", "n")
    )
    households = dict(Household.objects.filter(place_id__in=ids).values_list("place_id").annotate(n=Count("id")).values_list("place_id", "n"))
    places = list(Place.objects.filter(pk__in=ids))
    for place in places:
        place.resident_count = residents.get(place.pk, 0)
        place.member_count = members.get(place.pk, 0)
        place.household_count = households.get(place.pk, 0)
    Place.objects.bulk_update(places, ["resident_count", "member_count", "household_count"])


def org_counts_refresh(org_ids) -> None:
    """Recount the active members attached directly to these organisations."""
    ids = [pk for pk in set(org_ids) if pk]
    counts = dict(PartyMember.objects.filter(organization_id__in=ids, status="active").values_list("organization_id").annotate(n=Count("id")).values_list("organization_id", "n"))
    orgs = list(PartyOrganization.objects.filter(pk__in=ids))
    for org in orgs:
        org.member_count = counts.get(org.pk, 0)
    PartyOrganization.objects.bulk_update(orgs, ["member_count"])


def counts_refresh_all() -> None:
    """Recount every place and organisation (after a bulk load)."""
    for chunk in _chunks(list(Place.objects.values_list("pk", flat=True)), 2000):
        place_counts_refresh(chunk)
    for chunk in _chunks(list(PartyOrganization.objects.values_list("pk", flat=True)), 2000):
        org_counts_refresh(chunk)


def _chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i : i + size]
