"""Record-level access: which participants and activities a user may see.

One helper per entity, used by every list, card, search, form, export and PDF.
Managers and administrators (permission "view_all_participants") see everybody of
their centre; a caseworker sees the participants of the projects and activities he or
she is assigned to (as a staff member linked to the user account), those he or she
registered, and those he or she gave one-off help to (the staff member of a short
contact). KIS_CASEWORKERS_SEE_ALL gives every caseworker everybody (small centres).

One-off help and access: a walk-in new to the register is registered by the caseworker
who sees him or her, and so is visible to that caseworker; the counsellor, lawyer or
psychologist named on a contact sees the person from then on (a manager may record
the help a colleague gave). A caseworker cannot record help for a person he or she
cannot see: the registration form says the person is already registered and to ask a
manager, as for enrolments. Recording a contact is never a way to open a card one may
not see.
"""

from django.conf import settings
from django.db.models import Q, QuerySet

from participants.models import (
    Activity,
    ActivityParticipant,
    Enrolment,
    Participant,
    Session,
    ShortContact,
)
from projects.models import Project


def sees_everybody(user) -> bool:
    return (
        user.is_superuser
        or settings.KIS_CASEWORKERS_SEE_ALL
        or user.has_perm("participants.view_all_participants")
    )


def participants_for(user) -> QuerySet[Participant]:
    """The participants a user may see (a filter, safe to combine with others)."""
    if sees_everybody(user):
        return Participant.objects.all()
    staff = getattr(user, "staff_member", None)
    mine = Q(registered_by=user)
    if staff is not None:
        # One subquery per way in (no joins multiplying the rows).
        for ids in (
            Enrolment.objects.filter(project__assignments__staff_member=staff),
            ActivityParticipant.objects.filter(activity__staff=staff),
            ShortContact.objects.filter(staff=staff),
        ):
            mine |= Q(pk__in=ids.values("participant_id"))
    return Participant.objects.filter(mine)


def why_nobody(user) -> str:
    """Why a user who sees nobody sees nobody, or "" if that is not the reason: no staff
    record linked to the account, or a staff record in no project or activity yet."""
    if sees_everybody(user):
        return ""
    staff = getattr(user, "staff_member", None)
    if staff is None:
        return "no_staff_record"
    working = staff.assignments.exists() or Activity.objects.filter(staff=staff).exists()
    return "" if working else "not_assigned"


def activities_for(user) -> QuerySet[Activity]:
    """Activities a user may open: those of his or her projects or where he or she is
    staff (everything for whoever sees everybody)."""
    if sees_everybody(user):
        return Activity.objects.all()
    staff = getattr(user, "staff_member", None)
    if staff is None:
        return Activity.objects.none()
    mine = Q(project__assignments__staff_member=staff) | Q(staff=staff)
    return Activity.objects.filter(pk__in=Activity.objects.filter(mine).values("pk"))


def sessions_for(user) -> QuerySet[Session]:
    """Sessions whose roll call (and attendance list) a user may open: those of the
    activities he or she may open, and those he or she is staff of, e.g. a trainer who
    runs one session of somebody else's activity; that trainer opens that session only,
    not the activity."""
    activities = activities_for(user)
    if sees_everybody(user):
        return Session.objects.all()
    staff = getattr(user, "staff_member", None)
    if staff is None:
        return Session.objects.filter(activity__in=activities)
    mine = Q(activity__in=activities) | Q(staff=staff)
    return Session.objects.filter(pk__in=Session.objects.filter(mine).values("pk"))


def projects_worked_in(user) -> QuerySet[Project]:
    """Projects whose activities a user runs: those he or she is staff of (everything
    for whoever sees everybody). A caseworker creates activities only there, so that he
    or she can open them afterwards."""
    if sees_everybody(user):
        return Project.objects.all()
    staff = getattr(user, "staff_member", None)
    if staff is None:
        return Project.objects.none()
    return Project.objects.filter(assignments__staff_member=staff).distinct()
