"""Households of plausible families: sizes, relations, ages that fit them, names, ID numbers, phones.

Everything comes from one random.Random, so a seed (and the reference date) fixes every person.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass

from gongzhi.core.validators import id_check_char

from . import names

# 户 sizes 1-6 with a mean of about 2.7 (national 2020 census: 2.62).
HOUSEHOLD_SIZES = ((1, 20), (2, 30), (3, 26), (4, 13), (5, 7), (6, 4))
SELF, SPOUSE, CHILD, PARENT, GRANDCHILD, SIBLING = "本人", "配偶", "子女", "父母", "孙子女", "兄弟姐妹"
FAMILY_SHAPES = {
    1: (((SELF,), 1),),
    2: (((SELF, SPOUSE), 70), ((SELF, CHILD), 15), ((SELF, PARENT), 10), ((SELF, SIBLING), 5)),
    3: (((SELF, SPOUSE, CHILD), 80), ((SELF, SPOUSE, PARENT), 10), ((SELF, CHILD, CHILD), 5), ((SELF, PARENT, PARENT), 5)),
    4: (((SELF, SPOUSE, CHILD, CHILD), 55), ((SELF, SPOUSE, CHILD, PARENT), 30), ((SELF, SPOUSE, CHILD, GRANDCHILD), 15)),
    5: (((SELF, SPOUSE, CHILD, PARENT, PARENT), 50), ((SELF, SPOUSE, CHILD, CHILD, PARENT), 25), ((SELF, SPOUSE, CHILD, CHILD, GRANDCHILD), 25)),
    6: (((SELF, SPOUSE, CHILD, CHILD, PARENT, PARENT), 60), ((SELF, SPOUSE, CHILD, CHILD, GRANDCHILD, GRANDCHILD), 40)),
}
# Heads' ages: (from, to, weight).
HEAD_AGES = ((22, 29, 10), (30, 39, 24), (40, 49, 22), (50, 59, 18), (60, 69, 14), (70, 79, 9), (80, 92, 3))
# Mobile prefixes in use (all match ^1[3-9]\d{9}$).
MOBILE_PREFIXES = tuple(
    str(p) for p in itertools.chain(range(130, 140), (145, 147), range(150, 154), range(155, 160), (166, 170, 173),
                                    range(175, 179), range(180, 190), (191, 198, 199))
)
SEQUENCES_PER_DAY = 500  # ID sequence numbers for one birth date and one gender


@dataclass(slots=True)
class Resident:
    relation: str
    gender: str
    age: int
    surname: str = ""
    name: str = ""
    ethnicity: str = "汉族"
    birth_date: dt.date | None = None
    id_number: str = ""
    phone: str = ""


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


class FamilyMaker:
    def __init__(self, rng: random.Random, as_of: dt.date, area_code: str):
        self.rng = rng
        self.as_of = as_of
        self.area_code = area_code
        self.sequences_used: dict[int, int] = {}
        self.surnames = [s for s, _ in names.SURNAMES]
        self.surname_weights = list(itertools.accumulate(w for _, w in names.SURNAMES))
        self.ethnicities = [e for e, _ in names.ETHNICITIES]
        self.ethnicity_weights = list(itertools.accumulate(w for _, w in names.ETHNICITIES))

    def household(self) -> list[Resident]:
        size = self.rng.choices([s for s, _ in HOUSEHOLD_SIZES], weights=[w for _, w in HOUSEHOLD_SIZES])[0]
        shapes = FAMILY_SHAPES[size]
        shape = self.rng.choices([s for s, _ in shapes], weights=[w for _, w in shapes])[0]
        family = self._ages(shape)
        self._surnames(family)
        self._ethnicities(family)
        for person in family:
            self._identity(person)
        return family

    # ages and genders -------------------------------------------------------------------
    def _ages(self, shape) -> list[Resident]:
        rng = self.rng
        head = Resident(SELF, "M" if rng.random() < (0.6 if SPOUSE in shape else 0.5) else "F", self._head_age(shape))
        family = [head]
        children = []
        for relation in shape[1:]:
            if relation == SPOUSE:
                family.append(self._spouse(head))
            elif relation == CHILD:
                children.append(self._child(head, children, adult=GRANDCHILD in shape))
                family.append(children[-1])
            elif relation == GRANDCHILD:
                family.append(self._grandchild(children[0]))
            elif relation == SIBLING:
                family.append(Resident(SIBLING, rng.choice("MF"), max(10, head.age + rng.randint(-8, 8))))
        parents = shape.count(PARENT)
        family += self._parents(head, parents) if parents else []
        return family

    def _head_age(self, shape) -> int:
        low, high = 20, 92
        if CHILD in shape:
            low, high = 24, 80
        if PARENT in shape:
            low, high = 25, 58
        if GRANDCHILD in shape:
            low, high = 50, 85
        for _ in range(10):
            start, end, _w = self.rng.choices(HEAD_AGES, weights=[w for *_, w in HEAD_AGES])[0]
            age = self.rng.randint(start, end)
            if low <= age <= high:
                return age
        return self.rng.randint(low, high)

    def _spouse(self, head: Resident) -> Resident:
        gap = self.rng.randint(-2, 5)  # husbands a little older, on average
        age = head.age - gap if head.gender == "M" else head.age + gap
        return Resident(SPOUSE, "F" if head.gender == "M" else "M", max(20, age))

    def _child(self, head: Resident, siblings: list[Resident], adult: bool) -> Resident:
        """A son or daughter born when the head was 22-38 (old enough to be a parent when `adult`)."""
        if siblings:
            age = max(0, siblings[0].age - self.rng.randint(1, 8))
        elif adult:
            age = head.age - self.rng.randint(22, min(35, head.age - 22))
        else:
            age = head.age - self.rng.randint(22, min(38, head.age))
        return Resident(CHILD, self.rng.choice("MF"), age)

    def _grandchild(self, child: Resident) -> Resident:
        age = max(0, child.age - self.rng.randint(22, max(22, min(35, child.age))))
        return Resident(GRANDCHILD, self.rng.choice("MF"), age)

    def _parents(self, head: Resident, count: int) -> list[Resident]:
        father_age = min(95, head.age + self.rng.randint(24, 35))
        mother = Resident(PARENT, "F", max(head.age + 20, father_age - self.rng.randint(-2, 5)))
        if count == 1:
            return [mother if self.rng.random() < 0.6 else Resident(PARENT, "M", father_age)]
        return [Resident(PARENT, "M", father_age), mother]

    # names ------------------------------------------------------------------------------
    def _surnames(self, family: list[Resident]) -> None:
        head = family[0]
        head.surname = self.surname()
        spouse = next((p for p in family if p.relation == SPOUSE), None)
        if spouse:
            spouse.surname = self.surname()
        husband = head if head.gender == "M" or spouse is None else spouse
        children = [p for p in family if p.relation == CHILD]
        for person in family:
            if person.relation == CHILD:
                person.surname = husband.surname if self.rng.random() < 0.92 else head.surname
            elif person.relation == SIBLING or (person.relation == PARENT and person.gender == "M"):
                person.surname = head.surname
            elif person.relation == PARENT:
                person.surname = self.surname()
            elif person.relation == GRANDCHILD:
                son = children and children[0].gender == "M"
                person.surname = children[0].surname if son else self.surname()
        for person in family:
            person.name = person.surname + self.given_name(person.gender, self.as_of.year - person.age)

    def surname(self) -> str:
        return self.rng.choices(self.surnames, cum_weights=self.surname_weights)[0]

    def given_name(self, gender: str, birth_year: int) -> str:
        chars = next(pool for last_year, pool in names.GIVEN_CHARS if birth_year <= last_year)[gender]
        if self.rng.random() < 0.2:
            return self.rng.choice(chars)
        return self.rng.choice(chars) + self.rng.choice(chars)

    def full_name(self) -> str:
        gender = self.rng.choice("MF")
        return self.surname() + self.given_name(gender, self.as_of.year - self.rng.randint(30, 60))

    def _ethnicities(self, family: list[Resident]) -> None:
        own = self.rng.choices(self.ethnicities, cum_weights=self.ethnicity_weights)[0]
        for person in family:
            married_in = person.relation == SPOUSE and self.rng.random() < 0.2
            person.ethnicity = self.rng.choices(self.ethnicities, cum_weights=self.ethnicity_weights)[0] if married_in else own

    # identity ---------------------------------------------------------------------------
    def _identity(self, person: Resident) -> None:
        days = person.age * 365 + person.age // 4 + self.rng.randrange(365)
        person.birth_date = self.as_of - dt.timedelta(days=days)
        person.id_number = self.id_number(person.birth_date, person.gender)
        person.phone = self.phone() if self.rng.random() < self._phone_share(person.age) else ""

    def id_number(self, birth: dt.date, gender: str) -> str:
        """A GB 11643 number, unique in the district: the k-th person of a birth date and gender
        gets sequence k·7919 (mod 500) shifted by the date, odd for men, even for women."""
        key = birth.toordinal() * 2 + (gender == "M")
        k = self.sequences_used.get(key, 0)
        if k >= SEQUENCES_PER_DAY:
            raise RuntimeError(f"出生日期 {birth} 的顺序码已用尽。")
        self.sequences_used[key] = k + 1
        n = (k * 7919 + birth.toordinal() * 131) % SEQUENCES_PER_DAY
        first17 = f"{self.area_code}{birth:%Y%m%d}{2 * n + (gender == 'M'):03d}"
        return first17 + id_check_char(first17)

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    @staticmethod
    def _phone_share(age: int) -> float:
        if age < 12:
            return 0.0
        if age < 18:
            return 0.5
        return 0.95 if age < 70 else 0.7
