from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


def model_field(model: type[models.Model] | models.Model, name: str) -> models.Field:
    """The field `name` of a model: its own or a many-to-many one, never a reverse
    relation (which has no verbose name, choices or length)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise FieldDoesNotExist(f"{model._meta.label}.{name} is a reverse relation")
    return field


class DecimalField(models.DecimalField):
    """Django's decimal field whose form field reads amounts and hours typed the Polish
    way (kis.lib.decimals.DecimalInputField), in model forms and admin alike. Money
    (two decimals, 12 or more digits) is shown back with its grosze ("1 200,00").

    Migrations see Django's own field (deconstruct), so swapping it in changes no
    schema; kis/tests/test_decimals.py refuses a model decimal that is not this one."""

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        from kis.lib.decimals import DecimalInputField

        money = self.decimal_places == 2 and self.max_digits >= 12
        return super().formfield(
            form_class=form_class or DecimalInputField,
            choices_form_class=choices_form_class,
            **{"fixed_places": money, **kwargs},
        )

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
