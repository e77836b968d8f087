from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kis.models import AccessLog


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Append-only: nobody adds, changes or deletes entries, administrators included."""

    list_display = ["at", "username", "ip_address", "action", "participant_ref", "what_shown"]
    list_filter = ["action"]
    search_fields = ["username", "what", "=participant_ref"]
    date_hierarchy = "at"

    @admin.display(description=_("what"), ordering="what")
    def what_shown(self, entry: AccessLog) -> str:
        return entry.get_what_display()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- user accounts and roles ------------------------------------------------------------

from contextvars import ContextVar  # noqa: E402
from typing import Any  # noqa: E402

from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin  # noqa: E402
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin  # noqa: E402
from django.contrib.auth.forms import (  # noqa: E402
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    UserChangeForm,
)
from django.contrib.auth.models import Group, Permission, User  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.forms import ModelChoiceField  # noqa: E402
from django.utils.text import capfirst  # noqa: E402
from django.utils.translation import gettext  # noqa: E402

from kis.lib.admin import ServiceAdmin, adopt  # noqa: E402
from kis.services import UNCHANGED, user_account_save, user_password_set  # noqa: E402

# Who changes a password on admin's password page (its form saves without the request).
_ACTOR: ContextVar[User | None] = ContextVar("password_actor", default=None)

PERMISSION_ACTIONS = {
    "add": _("adding"),
    "change": _("changing"),
    "delete": _("deleting"),
    "view": _("viewing"),
}


def permission_label(permission: Permission) -> str:
    """A permission as administrators read it: "Uczestnicy | uczestnicy | dodawanie"
    rather than Django's stored English "participants | participant | Can add
    participant" (the names are stored in English when the permission is created)."""
    model = permission.content_type.model_class()
    if model is None:  # a model no longer installed
        return str(permission)
    app = apps_verbose_name(permission.content_type.app_label)
    action, _sep, model_name = permission.codename.partition("_")
    if action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        what = str(PERMISSION_ACTIONS[action])
    else:
        what = gettext(permission.name)  # our own permissions' names are translated
    return f"{capfirst(app)} | {capfirst(model._meta.verbose_name_plural)} | {what}"


def apps_verbose_name(label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def _with_permission_labels(field):
    if field is not None and field.queryset.model is Permission:
        field.queryset = field.queryset.select_related("content_type")
        field.label_from_instance = permission_label
    return field


def _staff_member_field() -> ModelChoiceField:
    from projects.models import StaffMember

    return ModelChoiceField(
        queryset=StaffMember.objects.order_by("last_name", "first_name"),
        required=False,
        label=_("Staff member"),
        help_text=_(
            "The staff record of this user. A caseworker sees the participants of the "
            "projects and activities his or her staff record works in, so a caseworker "
            "without one sees nobody."
        ),
    )


def _free_staff(field: Any, account: User | None) -> None:
    """Offer the staff records without an account, and the account's own (`field` is
    the form's staff_member ModelChoiceField)."""
    mine = Q(user=account) if account is not None and account.pk else Q(pk__in=[])
    field.queryset = field.queryset.filter(Q(user__isnull=True) | mine)


class UserForm(UserChangeForm):
    staff_member = _staff_member_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _free_staff(self.fields["staff_member"], self.instance)
        self.fields["staff_member"].initial = getattr(self.instance, "staff_member", None)


class UserAddForm(AdminUserCreationForm):
    staff_member = _staff_member_field()

    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]  # not in the stubs
        fields = ("username", "first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _free_staff(self.fields["staff_member"], None)


class PasswordForm(AdminPasswordChangeForm):
    def save(self, commit: bool = True) -> User:
        data = self.cleaned_data
        password = data["password1"] if data["set_usable_password"] else None
        return user_password_set(account=self.user, password=password, user=_ACTOR.get())


class _UserAdminBase(DjangoUserAdmin):
    """Django's user admin with get_form taking `change` like ModelAdmin's (ServiceAdmin
    passes it on)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs.setdefault("form", self.add_form)
        return admin.ModelAdmin.get_form(self, request, obj, change, **kwargs)


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(ServiceAdmin, _UserAdminBase):
    """Accounts saved through kis.services (user_account_save, user_password_set), with
    the link to the user's staff record on the user's own page."""

    form = UserForm
    add_form = UserAddForm
    change_password_form = PasswordForm
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "email", "is_staff", "is_active")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "staff_member")}),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "staff_member",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return _with_permission_labels(
            super().formfield_for_manytomany(db_field, request, **kwargs)
        )

    def save_service(self, request, obj, form, change):
        data = form.cleaned_data
        usable = data.get("set_usable_password", True)
        saved = user_account_save(
            account=obj if change else None,
            username=data["username"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
            groups=data.get("groups"),
            permissions=data.get("user_permissions"),
            password=None if change else (data.get("password1") if usable else None),
            usable_password=True if change else usable,
            is_staff=data.get("is_staff", obj.is_staff),
            is_superuser=data.get("is_superuser", obj.is_superuser),
            is_active=data.get("is_active", obj.is_active),
            staff_member=data.get("staff_member") if "staff_member" in form.fields else UNCHANGED,
            user=request.user,
        )
        adopt(obj, saved)

    def delete_service(self, request, obj):
        from kis.lib.services import delete_checked, permission_check

        permission_check(request.user, "auth.delete_user")
        delete_checked(obj)

    def user_change_password(self, request, id, form_url=""):
        token = _ACTOR.set(request.user)  # direct write: none (a context variable)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _ACTOR.reset(token)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """The roles (kis/roles.py), their permissions named in Polish."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return _with_permission_labels(
            super().formfield_for_manytomany(db_field, request, **kwargs)
        )
