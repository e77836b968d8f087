"""Django admin that writes through the services, like every other door to the data.

An admin page saves with `form.save()`, `obj.save()` and `obj.delete()` unless told
otherwise, which would skip the rules the services hold (restriction and
anonymisation, the history of an enrolment, the dates of a project's records…).
`ServiceAdmin` sends every write to the services instead: the main record
(`save_service`, `delete_service`), the rows of its inlines (`inline_services`), the
"delete selected" action and the change list. A service's refusal is shown on the page
like a validation error, and nothing is saved. Inlines whose rules the admin cannot
honour are `ReadOnlyInline`s, with a note saying where to change them.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import router, transaction
from django.db.models import Model, QuerySet
from django.forms import BaseForm, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise

from kis.lib.formsets import formset_changes

# Set on the request while a refused save is shown again (see changeform_view).
REFUSAL = "_kis_service_refusal"


def model_fields(form: ModelForm) -> dict[str, Any]:
    """The cleaned values of the form's editable model fields, many-to-many ones apart
    (a hidden `version` is the optimistic lock's, not a value to save)."""
    opts = form._meta.model._meta
    names = {f.name for f in opts.concrete_fields if f.editable}
    return {name: value for name, value in form.cleaned_data.items() if name in names}


def adopt(obj: Model, saved: Model) -> None:
    """Make the admin's unsaved instance the record a service created (the admin goes on
    with its own instance: the history entry, the redirect to the new record)."""
    obj.__dict__.update(saved.__dict__)


def _log_refusal(request: HttpRequest, error: ValidationError) -> None:
    """A refusal because of people's restricted or anonymised data is logged, one entry
    per person, as in the app (after the rollback, so that it stays)."""
    people = getattr(error, "people", None)
    if people:
        from kis.audit import access_log_people
        from kis.models import AccessLog

        access_log_people(request, AccessLog.Action.REFUSED, people, request.path)


def _add_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ServiceAdmin(admin.ModelAdmin):
    """A model admin whose every write goes through services.

    Subclasses define `save_service(request, obj, form, change)` (the main record with
    its many-to-many fields) and `delete_service(request, obj)`, and name in
    `inline_services` the services of the inlines whose rows may be written here:
    {model: (save(request, parent, obj), delete(request, obj))}. Other inlines must be
    read-only."""

    inline_services: dict[type[Model], tuple[Callable, Callable]] = {}

    def save_service(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        raise NotImplementedError

    def delete_service(self, request: HttpRequest, obj: Any) -> None:
        raise NotImplementedError

    # --- the hooks Django calls --------------------------------------------------

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        self.save_service(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # No form.save_m2m(): the main record's many-to-many fields are the service's.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        saved, deleted = formset_changes(formset)
        # What the admin's history entry ("Changed … Added …") reads.
        formset.new_objects = [obj for obj in saved if obj.pk is None]
        formset.changed_objects = [
            (f.instance, f.changed_data)
            for f in formset.forms
            if f.instance in saved and f.instance.pk is not None
        ]
        formset.deleted_objects = deleted
        if not saved and not deleted:
            return
        if formset.model not in self.inline_services:
            raise ImproperlyConfigured(
                f"{type(self).__name__}: no service writes {formset.model.__name__}; make its "
                "inline a ReadOnlyInline or name its services in inline_services."
            )
        save, delete = self.inline_services[formset.model]
        for obj in deleted:
            delete(request, obj)
        for obj in saved:
            setattr(obj, formset.fk.name, form.instance)
            save(request, form.instance, obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete_service(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        # One by one through the service; a refusal undoes them all (response_action).
        for obj in queryset:
            self.delete_service(request, obj)

    # --- a refusal is shown, nothing saved ------------------------------------------

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[ModelForm]:
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal: ValidationError | None = getattr(request, REFUSAL, None)
        if refusal is None:
            return form_class
        shown = refusal

        class Refused(form_class):  # type: ignore[valid-type,misc]  # a class made at run time
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                _add_errors(self, shown)
                return data

        return Refused

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The save ran in the admin's transaction, now rolled back. The same
            # request is shown again with the service's errors on the form: what was
            # typed stays, nothing is saved.
            if request.method != "POST" or getattr(request, REFUSAL, None) is not None:
                raise
            _log_refusal(request, error)
            setattr(request, REFUSAL, error)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            _log_refusal(request, error)
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                    current_app=self.admin_site.name,
                )
            )

    def response_action(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().response_action(request, queryset)
        except ValidationError as error:
            _log_refusal(request, error)
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Rows edited in the list (list_editable) are saved through save_model too.
        try:
            return super().changelist_view(request, extra_context)
        except ValidationError as error:
            _log_refusal(request, error)
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyInline(admin.TabularInline):
    """Rows shown on the page of the record they belong to, not changed here: their
    rules live in the app's services and the admin cannot honour them. `note` says, in
    the user's language, where they are changed."""

    template = "admin/kis/readonly_tabular.html"
    note: str | Promise = ""
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
