"""Small helpers shared by the services of every app (participants, projects)."""

from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Who writes: the user at the door (a view, admin), or None for the application itself
# (a management command, the demo, a data migration). Views past LoginRequiredMiddleware
# have a signed-in user: their request is a SignedInRequest (kis/lib/http.py).
Actor: TypeAlias = "User | None"
# Who reads (selectors, access helpers): the user of the request; an anonymous one sees
# nothing (LoginRequiredMiddleware keeps him or her out before that).
Viewer: TypeAlias = "User | AnonymousUser"

M = TypeVar("M", bound=models.Model)


def permission_check(user: Actor, *permissions: str) -> None:
    """Refuse (PermissionDenied, a 403 in a view or admin) a write by a user without
    the permissions. `user` None is the application itself: a management command, the
    demo, a data migration; the doors people use (views, admin) always pass the user."""
    if user is not None and not user.has_perms(permissions):
        raise PermissionDenied


def delete_checked(obj: models.Model) -> None:
    """Delete; a record other records still depend on (PROTECT) is refused with a
    message naming what depends on it, instead of a server error."""
    try:
        obj.delete()
    except ProtectedError as error:
        names = sorted({str(o._meta.verbose_name_plural) for o in error.protected_objects})
        raise ValidationError(
            _("“%(object)s” cannot be deleted: it is still used by: %(used_by)s.")
            % {"object": obj, "used_by": ", ".join(names)}
        ) from None


def changed_fields(obj: models.Model, names: list[str]) -> set[str]:
    """Which of `names` an edited (unsaved) instance changes compared with the database;
    every one of them for a new record."""
    if obj.pk is None:
        return set(names)
    saved = type(obj)._base_manager.filter(pk=obj.pk).values(*names).first()
    if saved is None:
        return set(names)
    fields = {f.name: f for f in obj._meta.concrete_fields if f.name in names}
    return {name for name in names if saved[name] != fields[name].value_from_object(obj)}


def keyed_instance(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """The record found by its natural key (`lookup`), or a new one, with `values` set
    and nothing saved: for code that loads data again and again (the demo, an import),
    which then saves it through the entity's service."""
    obj = model._default_manager.filter(**lookup).first() or model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    return obj
