"""Likely duplicates: pairs of records that may be one person registered twice.

Three signs, each said in words on the list:
- the same PESEL typed differently: the digits equal once spaces and dashes are left
  out, or two neighbouring digits swapped, or one digit different (a valid PESEL has a
  check digit, so one wrong digit leaves an invalid number: an old or imported record);
- the same name (ignoring case and Polish letters) and birth date;
- the same name and postal code.
Anonymised people are left out (they cannot be merged). Found in Python from one query
of the people's names, PESELs, birth dates and postal codes: each PESEL's ~110 variants
are looked up in a dictionary, so the work grows with the number of people, not with
its square.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kis.lib.services import Viewer
from kis.lib.text import fold
from participants.access import participants_for
from participants.models import Participant
from participants.personal_data import REGISTRY

SIGN_PESEL = _("PESEL typed differently")
SIGN_BIRTH_DATE = _("the same name and birth date")
SIGN_POSTAL_CODE = _("the same name and postal code")


@dataclass
class DuplicatePair:
    first: Participant
    second: Participant
    signs: list[Promise] = field(default_factory=list)


def _digits(pesel: str) -> str:
    return re.sub(r"\D", "", pesel or "")


def pesel_variants(digits: str) -> set[str]:
    """The numbers one typing slip away: two neighbouring digits swapped, or one digit
    different."""
    variants = set()
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            variants.add(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :])
    for i, digit in enumerate(digits):
        for other in "0123456789":
            if other != digit:
                variants.add(digits[:i] + other + digits[i + 1 :])
    return variants


def _name(person: Participant) -> str:
    return fold(f"{person.last_name} {person.first_name}")


def duplicate_pairs(user: Viewer) -> list[DuplicatePair]:
    """The likely duplicates among the people the user may see, by name."""
    people = list(
        participants_for(user)
        .filter(anonymised_at__isnull=True)
        .only("pk", "first_name", "last_name", "pesel", "birth_date", "postal_code", "city")
        .order_by("pk")
    )
    pairs: dict[tuple[int, int], DuplicatePair] = {}

    def add(a: Participant, b: Participant, sign: Promise) -> None:
        if a.pk == b.pk:
            return
        first, second = (a, b) if a.pk < b.pk else (b, a)
        pair = pairs.setdefault((first.pk, second.pk), DuplicatePair(first, second))
        if sign not in pair.signs:
            pair.signs.append(sign)

    by_digits: dict[str, list[Participant]] = defaultdict(list)
    for person in people:
        if digits := _digits(person.pesel):
            by_digits[digits].append(person)
    for digits, same in by_digits.items():
        for i, person in enumerate(same):  # equal digits, typed apart (spaces)
            for other in same[i + 1 :]:
                add(person, other, SIGN_PESEL)
        for variant in pesel_variants(digits):
            for person in same:
                for other in by_digits.get(variant, []):
                    add(person, other, SIGN_PESEL)
    for key, sign in (("birth_date", SIGN_BIRTH_DATE), ("postal_code", SIGN_POSTAL_CODE)):
        groups: dict[tuple, list[Participant]] = defaultdict(list)
        for person in people:
            value = getattr(person, key)
            if value and (name := _name(person)):
                groups[(name, value)].append(person)
        for same in groups.values():
            for i, person in enumerate(same):
                for other in same[i + 1 :]:
                    add(person, other, sign)
    return sorted(pairs.values(), key=lambda p: (_name(p.first), p.first.pk, p.second.pk))


def record_counts(participant: Participant) -> list[tuple[str, int]]:
    """How many records of each kind of the registry a person has (for the merge
    screen): one query a kind."""
    counts = []
    for entry in REGISTRY[1:]:
        count = entry.rows(participant.pk).aggregate(n=Count("pk", distinct=True))["n"]
        if count:
            counts.append((entry.section_title, count))
    return counts


def merge_pair(user: Viewer, first_pk: int, second_pk: int) -> QuerySet[Participant]:
    """The two records, among those the user may see."""
    return participants_for(user).filter(pk__in=[first_pk, second_pk])
