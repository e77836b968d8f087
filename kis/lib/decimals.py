"""Amounts and hours typed the way people type them in Poland, in every form.

`899 346,16`, `899346,16` and `899346.16` (with plain, no-break or thin spaces between
the thousands, and an optional "zł") all mean 899 346,16 zł. Django's own decimal field
reads "899 346,16" as 89 934 616 once the spaces and the comma are dropped (the Polish
thousands separator is a no-break space, a typed space is not it), and refuses it in
admin. Anything that could be read two ways is refused with a Polish message instead of
being guessed: `1.234` and `1,234` (a thousand, or one and a bit?) where the field keeps
fewer than three decimals, `1,234,5` and `1.234,56` (two separators), `8 99346`
(thousands not in threes).

`DecimalInputField` is the one form field for every decimal: the model field
`kis.lib.models.DecimalField` makes it the form field of every model decimal, so model
forms and admin get it without being told (kis/tests/test_decimals.py checks every
model and every registered admin); a plain form names it itself.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kis.lib.formats import format_number

# A space, a no-break space, a narrow no-break space (what Word and Excel paste), a
# thin space and a figure space.
SPACES = "\u0020\u00a0\u202f\u2009\u2007"
_SPACE_RUN = re.compile(f"[{SPACES}]+")
_GROUPED = re.compile(r"\d{1,3}( \d{3})+")
_DIGITS = re.compile(r"\d+")
_CURRENCY = re.compile(rf"[{SPACES}]*(zł|zl|pln)\.?$", re.IGNORECASE)

MESSAGES = {
    "invalid": _("Enter a number, e.g. 899 346,16 or 1,5."),
    "separators": _(
        "Use one decimal separator (a comma or a dot) and separate thousands with "
        "spaces, e.g. 899 346,16."
    ),
    "ambiguous": _(
        "“%(value)s” could be read two ways: as thousands or as decimals. Separate "
        "thousands with a space (1 234) and decimals with a comma (1,23)."
    ),
    "grouping": _("Separate thousands with a space every three digits, e.g. 899 346,16."),
}


def parse_decimal(text: str, decimal_places: int | None = None) -> Decimal:
    """The number in `text`, or a ValidationError (code invalid, separators, ambiguous
    or grouping) with the Polish message. `decimal_places` is how many decimals the
    field keeps: with fewer than three, "1.234" is ambiguous."""
    value = text.strip()
    value = _CURRENCY.sub("", value)
    sign = ""
    if value[:1] in ("-", "\u2212", "+"):
        sign = "-" if value[0] != "+" else ""
        value = value[1:].lstrip(SPACES)
    value = _SPACE_RUN.sub(" ", value)
    separators = [c for c in value if c in ",."]
    if len(separators) > 1:
        raise ValidationError(MESSAGES["separators"], code="separators")
    whole, _sep, fraction = value.partition(separators[0]) if separators else (value, "", "")
    if separators and not _DIGITS.fullmatch(fraction):
        raise ValidationError(MESSAGES["invalid"], code="invalid")
    if " " in whole:
        if not _GROUPED.fullmatch(whole):
            raise ValidationError(MESSAGES["grouping"], code="grouping")
        whole = whole.replace(" ", "")
    elif whole and not _DIGITS.fullmatch(whole):
        raise ValidationError(MESSAGES["invalid"], code="invalid")
    if not whole and not fraction:
        raise ValidationError(MESSAGES["invalid"], code="invalid")
    if (
        separators
        and len(fraction) == 3
        and 1 <= len(whole) <= 3
        and whole != "0"
        and " " not in value
        and (decimal_places is None or decimal_places < 3)
    ):
        raise ValidationError(
            MESSAGES["ambiguous"], code="ambiguous", params={"value": text.strip()}
        )
    try:
        return Decimal(f"{sign}{whole or '0'}.{fraction or '0'}")
    except InvalidOperation:  # pragma: no cover - the patterns above allow digits only
        raise ValidationError(MESSAGES["invalid"], code="invalid") from None


def format_decimal(value: Decimal, decimal_places: int | None) -> str:
    """How a stored amount is shown back in its input: grouped by no-break spaces with
    the language's decimal separator ("899 346,16"); with `decimal_places`, always that
    many decimals (money), otherwise without trailing zeros ("1,5" hours)."""
    if decimal_places is None:
        normal = value.normalize()
        places = max(0, -normal.as_tuple().exponent)  # type: ignore[operator]  # finite here
        return format_number(value, places)
    return format_number(value, decimal_places)


class DecimalInput(forms.TextInput):
    """A text input (not type=number, which refuses "899 346,16" in the browser) with
    the decimal keyboard on tablets; a stored value is shown formatted."""

    def __init__(self, attrs: dict[str, Any] | None = None, decimal_places: int | None = None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})
        self.decimal_places = decimal_places

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal) and value.is_finite():
            return format_decimal(value, self.decimal_places)
        return super().format_value(value)


class DecimalInputField(forms.DecimalField):
    """A decimal typed the Polish way (see the module's docstring). `fixed_places`:
    show the stored value with all its decimals (money: "1 200,00"); otherwise
    trailing zeros are dropped ("1,5")."""

    widget = DecimalInput
    default_error_messages = {"invalid": MESSAGES["invalid"]}

    def __init__(self, *, fixed_places: bool = False, localize: bool = False, **kwargs: Any):
        # `localize` (Django's localized_fields) changes nothing: every spelling is read.
        super().__init__(**kwargs)
        if isinstance(self.widget, DecimalInput):
            self.widget.decimal_places = self.decimal_places if fixed_places else None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # No step/min/max attributes: they belong to type=number.
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # as the stubs' DecimalField
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int | float):
            return Decimal(str(value))
        return parse_decimal(str(value), self.decimal_places)

    def prepare_value(self, value: Any) -> Any:
        # What the user typed comes back formatted when it was understood
        # ("899346.16" → "899 346,16"), unchanged when it was not.
        if isinstance(value, str) and value.strip():
            try:
                return parse_decimal(value, self.decimal_places)
            except ValidationError:
                return value
        return value
