"""Validators of Polish identifiers, used on model fields so that admin, forms and
services all apply them (checksums by python-stdnum)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.pl import nip, pesel, regon

POSTAL_CODE_RE = re.compile(r"^\d{2}-\d{3}$")


def validate_regon(value: str) -> None:
    if not value:
        return
    if not regon.is_valid(value):
        raise ValidationError(
            _("Enter a valid REGON number: 9 or 14 digits with a correct check digit."),
            code="invalid_regon",
        )


def validate_nip(value: str) -> None:
    if not value:
        return
    if not nip.is_valid(value):
        raise ValidationError(
            _("Enter a valid NIP number: 10 digits with a correct check digit."),
            code="invalid_nip",
        )


def validate_krs(value: str) -> None:
    if value and not re.fullmatch(r"\d{10}", value):
        raise ValidationError(_("A KRS number has exactly 10 digits."), code="invalid_krs")


def validate_postal_code(value: str) -> None:
    if value and not POSTAL_CODE_RE.match(value):
        raise ValidationError(
            _("Enter the postal code as XX-XXX, e.g. 32-620."), code="invalid_postal_code"
        )


def validate_pesel(value: str) -> None:
    """11 digits, a valid birth date and a correct check digit."""
    if not value:
        return
    if not re.fullmatch(r"\d{11}", value):
        raise ValidationError(_("A PESEL number has exactly 11 digits."), code="invalid_pesel")
    try:
        pesel.get_birth_date(value)
    except Exception:
        raise ValidationError(
            _("This PESEL number does not encode a valid date of birth."), code="invalid_pesel"
        ) from None
    if not pesel.is_valid(value):
        raise ValidationError(
            _("This PESEL number has a wrong check digit: check it against the ID card."),
            code="invalid_pesel",
        )
