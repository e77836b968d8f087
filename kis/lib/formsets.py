"""Model formsets written through services rather than saved by the formset."""

from typing import Any, TypeVar

from django.db.models import Model
from django.forms import BaseModelFormSet

M = TypeVar("M", bound=Model)


def formset_changes(formset: "BaseModelFormSet[M, Any]") -> tuple[list[M], list[M]]:
    """What a valid model formset asks to write, without writing it: the instances of
    the forms added or changed (already holding the posted values), and the saved
    instances of the forms marked for deletion. A service then saves and deletes them."""
    deleted_forms = formset.deleted_forms if formset.can_delete else []
    deleted = [form.instance for form in deleted_forms if form.instance.pk is not None]
    saved = [
        form.instance for form in formset.forms if form not in deleted_forms and form.has_changed()
    ]
    return saved, deleted
