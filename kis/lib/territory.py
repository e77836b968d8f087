"""Where a person lives, as EU monitoring (SM EFS) and the statistics office ask it:
the voivodeship, the municipality's TERYT code and the degree of urbanisation.

Decision (no TERYT data offline): the TERYT register (TERC) is published by the
statistics office as a download; the Django packages on PyPI that implement it
(django-teryt, django-teryt-tree, django-cities-teryt) ship no data and load it from
that download, which a centre's closed intranet cannot reach. So KIS keeps the
municipality's 7-digit TERC code as typed (checked for its form: a real voivodeship
code, a county, a municipality and its kind), takes the voivodeship from its first
two digits, and keeps the county and municipality names as text. The centre's own
territory (its profile in admin) is the default for a new participant, since most
people live in the centre's municipality."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Voivodeship(models.TextChoices):
    """The 16 voivodeships, by their TERYT code. Their names are proper names: the same
    in every language of the interface."""

    DOLNOSLASKIE = "02", "dolnośląskie"
    KUJAWSKO_POMORSKIE = "04", "kujawsko-pomorskie"
    LUBELSKIE = "06", "lubelskie"
    LUBUSKIE = "08", "lubuskie"
    LODZKIE = "10", "łódzkie"
    MALOPOLSKIE = "12", "małopolskie"
    MAZOWIECKIE = "14", "mazowieckie"
    OPOLSKIE = "16", "opolskie"
    PODKARPACKIE = "18", "podkarpackie"
    PODLASKIE = "20", "podlaskie"
    POMORSKIE = "22", "pomorskie"
    SLASKIE = "24", "śląskie"
    SWIETOKRZYSKIE = "26", "świętokrzyskie"
    WARMINSKO_MAZURSKIE = "28", "warmińsko-mazurskie"
    WIELKOPOLSKIE = "30", "wielkopolskie"
    ZACHODNIOPOMORSKIE = "32", "zachodniopomorskie"


class Degurba(models.TextChoices):
    """Eurostat's degree of urbanisation of the municipality (LAU), as EU monitoring
    codes it."""

    CITY = "1", _("1 – cities (densely populated area)")
    TOWN = "2", _("2 – towns and suburbs (intermediate density)")
    RURAL = "3", _("3 – rural area (thinly populated)")


# WW voivodeship, PP county (01–99; 61 and above: a city with county rights), GG
# municipality, R its kind: 1 urban, 2 rural, 3 urban-rural, 4 the town and 5 the rural
# part of an urban-rural one, 8 a district of Warsaw, 9 a delegation of another city.
MUNICIPALITY_CODE = re.compile(r"(?P<voivodeship>\d{2})(?!00)\d{2}(?!00)\d{2}[1-589]")


def voivodeship_of(code: str) -> str:
    """The voivodeship (its TERYT code) of a municipality's TERYT code, "" if none."""
    match = MUNICIPALITY_CODE.fullmatch(code or "")
    if match and match["voivodeship"] in Voivodeship.values:
        return match["voivodeship"]
    return ""


def validate_municipality_code(value: str) -> None:
    if not value:
        return
    if not voivodeship_of(value):
        raise ValidationError(
            _(
                "Enter the municipality's 7-digit TERYT code (TERC), e.g. 1206011: "
                "voivodeship, county, municipality and its kind."
            ),
            code="invalid",
        )
