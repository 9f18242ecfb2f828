"""Factories for people: valid ID numbers and phones through the real services' helpers."""

import datetime as dt
import itertools

import factory

from gongzhi.core.pinyin import name_initials
from gongzhi.core.validators import id_check_char
from gongzhi.people.models import Household, MemberCategory, PartyMember, Person
from gongzhi.people.services import identity_fields, phone_fields

_seq = itertools.count(1)


def id_number(birth: dt.date = dt.date(1980, 5, 17), male: bool = True, area: str = "410305") -> str:
    """A valid 18-digit ID number, unique per call."""
    n = next(_seq) % 500
    seq = 2 * n + (1 if male else 0)
    seq = seq if seq % 2 == (1 if male else 0) else seq + 1
    first17 = f"{area}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_char(first17)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        exclude = ("id_plain", "phone_plain", "birth", "male")

    name = factory.Sequence(lambda n: f"居民{n}")
    name_initials = factory.LazyAttribute(lambda o: name_initials(o.name))
    birth = dt.date(1980, 5, 17)
    male = True
    id_plain = factory.LazyAttribute(lambda o: id_number(o.birth, o.male))
    phone_plain = factory.Sequence(lambda n: f"138{n:08d}")
    place = None  # a building; required

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return super()._create(model_class, *args, **kwargs)

    @factory.lazy_attribute
    def gender(self):
        return identity_fields(self.id_plain)["gender"]

    @factory.lazy_attribute
    def birth_date(self):
        return identity_fields(self.id_plain)["birth_date"]

    id_number_enc = factory.LazyAttribute(lambda o: identity_fields(o.id_plain)["id_number_enc"])
    id_number_hash = factory.LazyAttribute(lambda o: identity_fields(o.id_plain)["id_number_hash"])
    id_number_mask = factory.LazyAttribute(lambda o: identity_fields(o.id_plain)["id_number_mask"])
    id_last4 = factory.LazyAttribute(lambda o: o.id_plain[-4:])
    phone_enc = factory.LazyAttribute(lambda o: phone_fields(o.phone_plain)["phone_enc"])
    phone_hash = factory.LazyAttribute(lambda o: phone_fields(o.phone_plain)["phone_hash"])
    phone_mask = factory.LazyAttribute(lambda o: phone_fields(o.phone_plain)["phone_mask"])


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    room = factory.Sequence(lambda n: f"1-{100 + n}")


class PartyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMember

    joined_on = dt.date(2010, 7, 1)
    full_on = dt.date(2011, 7, 1)
    category = MemberCategory.FULL
