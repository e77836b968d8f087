from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import FormView, ListView

from kis.audit import access_log_people
from kis.lib.http import SignedInRequest
from kis.models import AccessLog
from participants.access import (
    activities_for,
    participants_for,
    projects_worked_in,
    sessions_for,
)
from participants.forms.support import (
    ActivityForm,
    AssignForm,
    CommunityEventForm,
    CompletionForm,
    PlacementForm,
    SessionForm,
    SessionSeriesForm,
    ShortContactForm,
    SocialContractForm,
)
from participants.models import (
    ActivityParticipant,
    Attendance,
    AttendanceScan,
    Certificate,
    CommunityEvent,
    Placement,
    Session,
    ShortContact,
    SocialContract,
)
from participants.models.support import MAX_DEPENDANTS
from participants.pickers import PickerFormMixin
from participants.selectors.papers import lacking_signed_list
from participants.selectors.support import (
    activity_grid,
    activity_list,
    session_roster,
    week_sessions_queryset,
)
from participants.services.people import processing_refusal, untouchable
from participants.services.support import (
    activity_completion_bulk,
    activity_completion_set,
    activity_participants_add,
    activity_save,
    community_event_save,
    contact_create,
    contact_delete,
    contact_update,
    is_care_point,
    placement_save,
    roll_call_save,
    session_save,
    session_series_create,
    social_contract_save,
)
from participants.views.people import (
    ParticipantChildFormView,
    add_validation_error,
    log_refusal,
    restricted_refusal,
)


class ActivityListView(PermissionRequiredMixin, ListView):
    permission_required = "participants.view_activity"
    template_name = "participants/activity_list.html"
    context_object_name = "activities"
    paginate_by = 50

    def get_queryset(self):
        activities = activity_list().filter(pk__in=activities_for(self.request.user).values("pk"))
        project = self.request.GET.get("project")
        if project and project.isdigit():
            activities = activities.filter(project_id=project)
        return activities


@permission_required("participants.view_activity", raise_exception=True)
def activity_detail(request, pk: int):
    """The activity: its people × sessions grid with hours and attendance %."""
    activity = get_object_or_404(
        activities_for(request.user)
        .select_related("project", "support_form")
        .prefetch_related("staff"),
        pk=pk,
    )
    grid = activity_grid(activity)
    access_log_people(
        request,
        AccessLog.Action.VIEW,
        [row.participant for row in grid.rows],
        f"activity grid {activity.pk}",
    )
    months = sorted({(s.date.year, s.date.month) for s in grid.sessions})
    # Signed lists: which held sessions lack one (the auditor's check has the rest).
    scans = {
        scan.session_id: scan for scan in AttendanceScan.objects.filter(session__activity=activity)
    }
    certificates = {
        c.assignment_id: c.number for c in Certificate.objects.filter(assignment__activity=activity)
    }
    today = timezone.localdate()
    printable = [
        row
        for row in grid.rows
        if row.assignment.completed_on and not untouchable([row.participant])
    ]
    return render(
        request,
        "participants/activity_detail.html",
        {
            "activity": activity,
            "grid": grid,
            "months": months,
            "today": timezone.localdate(),
            "scans": scans,
            "lacking": lacking_signed_list(activity.sessions.all()),
            "certificates": certificates,
            # Bulk completion: the day it is recorded for (today, within the activity) and
            # who is at or above the threshold without a completion yet.
            "completion_default": min(max(today, activity.start_date), activity.end_date),
            "at_threshold": [
                row
                for row in grid.rows
                if row.percent is not None
                and row.percent >= grid.threshold
                and not row.assignment.completed_on
                and not untouchable([row.participant])
            ],
            "certificates_to_print": len(printable),
        },
    )


class ActivityFormView(PermissionRequiredMixin, FormView):
    form_class = ActivityForm
    template_name = "participants/support_form.html"
    request: SignedInRequest

    def get_permission_required(self):
        return [
            "participants.change_activity" if "pk" in self.kwargs else "participants.add_activity"
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["projects"] = projects_worked_in(self.request.user)
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(
                activities_for(self.request.user), pk=self.kwargs["pk"]
            )
        elif self.request.GET.get("project", "").isdigit():
            kwargs["initial"] = {"project": self.request.GET["project"]}
        return kwargs

    def form_valid(self, form):
        try:
            activity = activity_save(
                activity=form.instance,
                staff=list(form.cleaned_data["staff"]),
                user=self.request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The activity has been saved."))
        return redirect("participants:activity_detail", pk=activity.pk)

    def get_context_data(self, **kwargs):
        title = _("Edit the activity") if "pk" in self.kwargs else _("New activity")
        return {
            **super().get_context_data(**kwargs),
            "title": title,
            "cancel_url": reverse("participants:activity_list"),
        }


class ActivityChildView(PermissionRequiredMixin, FormView):
    """A form about one activity; back to the activity after saving."""

    template_name = "participants/support_form.html"
    title: str | Promise = ""
    request: SignedInRequest

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.activity = get_object_or_404(
            activities_for(request.user).select_related("project"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self):
        return reverse("participants:activity_detail", args=[self.activity.pk])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "activity": self.activity,
            "title": f"{self.title}: {self.activity}",
            "cancel_url": self.get_success_url(),
        }


class SessionCreateView(ActivityChildView):
    permission_required = "participants.add_session"
    form_class = SessionForm
    title = gettext_lazy("New session")

    def get_form_kwargs(self):
        instance = Session(activity=self.activity)
        return {**super().get_form_kwargs(), "instance": instance}

    def get_initial(self):
        """What KIS knows: the time, length and staff of the activity's latest session,
        a week after it (today at the earliest); without one, today (within the
        activity) and the activity's staff."""
        activity = self.activity
        today = timezone.localdate()
        last = activity.sessions.order_by("-date", "-start_time").first()
        if last is None:
            day = min(max(today, activity.start_date), activity.end_date)
            return {"date": day, "staff": list(activity.staff.all())}
        day = max(last.date + timedelta(days=7), today)
        return {
            "date": day if day <= activity.end_date else None,
            "start_time": last.start_time,
            "duration_hours": last.duration_hours,
            "staff": list(last.staff.all()) or list(activity.staff.all()),
        }

    def form_valid(self, form):
        try:
            session_save(
                session=form.instance, staff=form.cleaned_data["staff"], user=self.request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The session has been added."))
        return super().form_valid(form)


class SessionSeriesView(ActivityChildView):
    permission_required = "participants.add_session"
    form_class = SessionSeriesForm
    title = gettext_lazy("Series of sessions")

    def get_initial(self):
        return {"first_date": max(self.activity.start_date, timezone.localdate())}

    def form_valid(self, form):
        try:
            series = session_series_create(
                activity=self.activity, **form.cleaned_data, user=self.request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        count = len(series.sessions)
        messages.success(
            self.request,
            ngettext(
                "%(count)s session has been added.", "%(count)s sessions have been added.", count
            )
            % {"count": count},
        )
        if series.skipped:
            messages.info(
                self.request,
                _("Public holidays skipped: %(days)s.")
                % {
                    "days": ", ".join(
                        f"{day.strftime('%d.%m.%Y')} ({name})"
                        for day, name in series.skipped.items()
                    )
                },
            )
        return super().form_valid(form)


class AssignView(PickerFormMixin, ActivityChildView):
    permission_required = "participants.add_activityparticipant"
    form_class = AssignForm
    title = gettext_lazy("Assign participants")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "activity": self.activity}

    def form_valid(self, form):
        try:
            added = activity_participants_add(
                activity=self.activity,
                participants=list(form.cleaned_data["participants"]),
                user=self.request.user,
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)s person has been assigned.", "%(count)s people have been assigned.", added
            )
            % {"count": added},
        )
        return super().form_valid(form)


@require_POST
@permission_required("participants.change_activityparticipant", raise_exception=True)
def completion_set(request, pk: int, assignment_pk: int):
    assignment = get_object_or_404(
        ActivityParticipant.objects.select_related("activity", "participant").filter(
            activity__in=activities_for(request.user)
        ),
        pk=assignment_pk,
        activity_id=pk,
    )
    if assignment.participant.processing_restricted:
        return restricted_refusal(request, assignment.participant)
    form = CompletionForm(request.POST)
    if form.is_valid():
        try:
            activity_completion_set(
                assignment=assignment,
                completed_on=form.cleaned_data["completed_on"],
                user=request.user,
            )
            messages.success(request, _("Saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Enter the date as dd.mm.yyyy."))
    return redirect("participants:activity_detail", pk=pk)


@require_POST
@permission_required("participants.change_activityparticipant", raise_exception=True)
def completion_bulk(request: SignedInRequest, pk: int):
    """Completion for several people of the activity's grid at once: those ticked, or
    everybody at or above the attendance threshold (`activity_completion_bulk`)."""
    activity = get_object_or_404(activities_for(request.user), pk=pk)
    form = CompletionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["completed_on"] is None:
        messages.error(request, _("Enter the date of completion as dd.mm.yyyy."))
        return redirect("participants:activity_detail", pk=pk)
    ids = [int(v) for v in request.POST.getlist("assignment") if v.isdigit()]
    at_threshold = request.POST.get("which") == "threshold"
    if not ids and not at_threshold:
        messages.error(request, _("Tick the people who completed the activity."))
        return redirect("participants:activity_detail", pk=pk)
    try:
        done = activity_completion_bulk(
            activity=activity,
            completed_on=form.cleaned_data["completed_on"],
            assignment_ids=[] if at_threshold else ids,
            at_threshold=at_threshold,
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("participants:activity_detail", pk=pk)
    count = len(done.marked)
    messages.success(
        request,
        ngettext(
            "Completion recorded for %(count)s person.",
            "Completion recorded for %(count)s people.",
            count,
        )
        % {"count": count},
    )
    if done.already:
        messages.info(
            request,
            _("Already recorded before (kept): %(names)s.")
            % {"names": ", ".join(p.full_name for p in done.already)},
        )
    if done.refused:
        log_refusal(request, processing_refusal(done.refused))
        messages.warning(
            request,
            _("Left out, their data may not be processed: %(names)s.")
            % {"names": ", ".join(p.full_name for p in done.refused)},
        )
    return redirect("participants:activity_detail", pk=pk)


class SessionEditView(PermissionRequiredMixin, FormView):
    permission_required = "participants.change_session"
    form_class = SessionForm
    template_name = "participants/support_form.html"
    request: SignedInRequest

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.session = get_object_or_404(
            Session.objects.select_related("activity").filter(
                activity__in=activities_for(request.user)
            ),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.session}

    def form_valid(self, form):
        try:
            session_save(
                session=form.instance, staff=form.cleaned_data["staff"], user=self.request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The session has been saved."))
        return redirect("participants:activity_detail", pk=self.session.activity_id)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "title": _("Edit the session: %(session)s") % {"session": self.session},
            "cancel_url": reverse("participants:activity_detail", args=[self.session.activity_id]),
        }


def _usual_dependants(session: Session) -> dict[int, int]:
    """At the care point: how many dependants each person left at this activity's
    latest earlier session he or she was present at (most bring the same children every
    time), to fill in the roll call. One query."""
    usual: dict[int, int] = {}
    for participant_id, count in (
        Attendance.objects.filter(
            session__activity_id=session.activity_id,
            session__date__lt=session.date,
            status=Attendance.Status.PRESENT,
            dependants__gt=0,
        )
        .order_by("session__date", "session__start_time")
        .values_list("participant_id", "dependants")
    ):
        usual[participant_id] = count
    return usual


@dataclass
class RollCallPost:
    """What a refused roll call sent, shown again as typed."""

    marks: dict[int, str]
    seen: dict[int, str]
    dependants: dict[int, int | None]


def _roll_call_rows(session: Session, care_point: bool = False, posted: RollCallPost | None = None):
    """Everybody assigned, with the mark to show (posted, saved, or present). Only the
    people on the session's list (taking part in the project that day) can be marked;
    the others are shown greyed with the reason. At the care point, with the dependants
    each left in its care (posted, saved, else as at his or her latest session, else 1)."""
    saved = {
        a.participant_id: a
        for a in Attendance.objects.filter(session=session).only(
            "participant_id", "status", "dependants"
        )
    }
    usual = _usual_dependants(session) if care_point else {}
    rows = []
    for entry in session_roster(session):
        pid = entry.assignment.participant_id
        mark = saved.get(pid)
        status = mark.status if mark else ""
        dependants: int | None = (
            mark.dependants if mark and mark.dependants else None
        ) or usual.get(pid, 1)
        invalid = False
        if posted is not None and pid in posted.marks:
            status = posted.marks[pid]
            dependants = posted.dependants.get(pid)
            invalid = status == Attendance.Status.PRESENT and not (
                dependants and 1 <= dependants <= MAX_DEPENDANTS
            )
        rows.append(
            {
                "participant": entry.participant,
                "mark": (status or Attendance.Status.PRESENT) if entry.on_list else "",
                "saved": posted.seen.get(pid, "")
                if posted is not None and pid in posted.marks
                else (mark.status if mark else ""),
                "dependants": dependants,
                "dependants_invalid": care_point and invalid,
                "on_list": entry.on_list,
                "reason": entry.reason,
                # Processing restricted or anonymised: shown but cannot be marked.
                "restricted": bool(untouchable([entry.participant])),
                "anonymised": entry.participant.anonymised_at is not None,
            }
        )
    return rows


@permission_required("participants.add_attendance", raise_exception=True)
def roll_call(request, pk: int):
    """One page per session: everybody present by default, saved in one request."""
    session = get_object_or_404(
        sessions_for(request.user).select_related(
            "activity__project", "activity__support_form", "roll_call_by"
        ),
        pk=pk,
    )
    in_future = session.date > timezone.localdate()
    care_point = is_care_point(session)
    if request.method == "POST":
        if in_future:
            messages.error(request, _("The roll call of a future session cannot be taken yet."))
            return redirect("participants:roll_call", pk=pk)
        marks, seen, dependants = {}, {}, {}
        try:
            for key, value in request.POST.items():
                if key.startswith("mark_"):
                    marks[int(key[5:])] = value
                elif key.startswith("seen_"):
                    seen[int(key[5:])] = value
                elif key.startswith("dependants_") and care_point:
                    # Left empty or not a number: the service asks for it by name.
                    count = value.strip()
                    dependants[int(key[11:])] = int(count) if count.isdigit() else None
        except ValueError:
            return HttpResponseBadRequest()
        if "all_present" in request.POST:
            marks = dict.fromkeys(marks, Attendance.Status.PRESENT)
        try:
            conflicts = roll_call_save(
                session=session,
                marks=marks,
                seen=seen,
                recorded_by=request.user,
                dependants=dependants,
            )
        except ValidationError as error:
            # Shown again as typed, with the reason: nothing was saved.
            messages.error(request, " ".join(error.messages))
            return _roll_call_page(
                request, session, care_point, RollCallPost(marks, seen, dependants)
            )
        if conflicts:
            labels = dict(Attendance.Status.choices)
            for conflict in conflicts:
                messages.warning(
                    request,
                    _(
                        "%(name)s: someone else marked “%(theirs)s” in the meantime; your "
                        "“%(yours)s” was not saved. Check and save again if needed."
                    )
                    % {
                        "name": conflict.participant.full_name,
                        "theirs": labels.get(conflict.theirs, _("no mark")),
                        "yours": labels.get(conflict.yours, _("no mark")),
                    },
                )
        else:
            messages.success(request, _("The roll call has been saved."))
        return redirect("participants:roll_call", pk=pk)
    return _roll_call_page(request, session, care_point)


def _roll_call_page(request, session, care_point: bool, posted: RollCallPost | None = None):
    rows = _roll_call_rows(session, care_point, posted)
    access_log_people(
        request,
        AccessLog.Action.VIEW,
        [row["participant"] for row in rows],
        f"roll call, session {session.pk}",
    )
    return render(
        request,
        "participants/roll_call.html",
        {
            "session": session,
            "rows": rows,
            "statuses": Attendance.Status.choices,
            "in_future": session.date > timezone.localdate(),
            "markable": any(row["on_list"] and not row["restricted"] for row in rows),
            "care_point": care_point,
            "max_dependants": MAX_DEPENDANTS,
            # A trainer of this session only may not open the activity itself.
            "activity_open": activities_for(request.user).filter(pk=session.activity_id).exists(),
        },
    )


class ContractFormView(ParticipantChildFormView):
    form_class = SocialContractForm

    def get_permission_required(self):
        return [
            "participants.change_socialcontract"
            if "pk" in self.kwargs
            else "participants.add_socialcontract"
        ]

    @property
    def title(self):
        return _("Edit the social contract") if "pk" in self.kwargs else _("New social contract")

    def read(self) -> str:
        return f"social contract form {self.kwargs['pk']}" if "pk" in self.kwargs else ""

    def get_form_kwargs(self):
        instance = (
            get_object_or_404(SocialContract, pk=self.kwargs["pk"], participant=self.participant)
            if "pk" in self.kwargs
            else SocialContract(participant=self.participant)
        )
        return {**super().get_form_kwargs(), "instance": instance, "user": self.request.user}

    def form_valid(self, form):
        try:
            social_contract_save(contract=form.instance, user=self.request.user)
        except ValidationError as error:
            log_refusal(self.request, error)
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The social contract has been saved."))
        return super().form_valid(form)


class PlacementFormView(ParticipantChildFormView):
    form_class = PlacementForm

    def get_permission_required(self):
        return [
            "participants.change_placement" if "pk" in self.kwargs else "participants.add_placement"
        ]

    @property
    def title(self):
        return (
            _("Edit the internship or socially useful work")
            if "pk" in self.kwargs
            else _("New internship or socially useful work")
        )

    def read(self) -> str:
        return f"placement form {self.kwargs['pk']}" if "pk" in self.kwargs else ""

    def get_form_kwargs(self):
        instance = (
            get_object_or_404(Placement, pk=self.kwargs["pk"], participant=self.participant)
            if "pk" in self.kwargs
            else Placement(participant=self.participant)
        )
        return {**super().get_form_kwargs(), "instance": instance, "participant": self.participant}

    def form_valid(self, form):
        try:
            placement_save(placement=form.instance, user=self.request.user)
        except ValidationError as error:
            log_refusal(self.request, error)
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The placement has been saved."))
        return super().form_valid(form)


class WeekSessionsView(PermissionRequiredMixin, ListView):
    """Every session of this week the user may take the roll call of (the dashboard lists
    the first few), those without a roll call first; `?day=` one day of the week."""

    permission_required = "participants.add_attendance"
    template_name = "participants/week_sessions.html"
    context_object_name = "sessions"
    paginate_by = 50

    def get_queryset(self):
        self.today = timezone.localdate()
        sessions = week_sessions_queryset(self.request.user, self.today)
        self.day = None
        with suppress(ValueError):  # no day, or not a date: the whole week
            self.day = date.fromisoformat(self.request.GET.get("day", ""))
        if self.day is not None:
            sessions = sessions.filter(date=self.day)
        return sessions

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "today": self.today,
            "day": self.day,
            "only_own": getattr(self.request.user, "staff_member", None) is not None,
        }


class EventListView(PermissionRequiredMixin, ListView):
    permission_required = "participants.view_communityevent"
    template_name = "participants/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        from django.db.models import Count

        return (
            CommunityEvent.objects.select_related("project")
            .annotate(registry_count=Count("participants"))
            .order_by("-date", "pk")
        )


class EventFormView(PickerFormMixin, PermissionRequiredMixin, FormView):
    form_class = CommunityEventForm
    template_name = "participants/support_form.html"
    request: SignedInRequest

    def get_permission_required(self):
        return [
            "participants.change_communityevent"
            if "pk" in self.kwargs
            else "participants.add_communityevent"
        ]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(CommunityEvent, pk=self.kwargs["pk"])
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            community_event_save(
                event=form.instance, participants=form.participant_list(), user=self.request.user
            )
        except ValidationError as error:
            log_refusal(self.request, error)
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The event has been saved."))
        return redirect("participants:event_list")

    def get_context_data(self, **kwargs):
        title = _("Edit the event") if "pk" in self.kwargs else _("New community event")
        return {
            **super().get_context_data(**kwargs),
            "title": title,
            "cancel_url": reverse("participants:event_list"),
        }


class ShortContactFormView(ParticipantChildFormView):
    """One-off help for the person of the card: recorded, or corrected (pk)."""

    form_class = ShortContactForm
    template_name = "participants/contact_form.html"

    def get_permission_required(self):
        return [
            "participants.change_shortcontact"
            if "pk" in self.kwargs
            else "participants.add_shortcontact"
        ]

    @property
    def title(self):
        return _("Edit the one-off help") if "pk" in self.kwargs else _("Record one-off help")

    def read(self) -> str:
        return f"short contact form {self.kwargs['pk']}" if "pk" in self.kwargs else ""

    def load(self, **kwargs) -> None:
        self.contact = (
            get_object_or_404(ShortContact, pk=kwargs["pk"], participant=self.participant)
            if "pk" in kwargs
            else None
        )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.contact or ShortContact(participant=self.participant),
            "user": self.request.user,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "contact": self.contact}

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if self.contact is None:
                contact_create(participant=self.participant, user=self.request.user, **fields)
            else:
                contact_update(contact=form.instance, user=self.request.user, **fields)
        except ValidationError as error:
            log_refusal(self.request, error)
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The one-off help has been saved."))
        return super().form_valid(form)


@require_POST
@permission_required("participants.delete_shortcontact", raise_exception=True)
def contact_delete_view(request, participant_pk: int, pk: int):
    """Delete a short contact recorded by mistake, from its form."""
    participant = get_object_or_404(participants_for(request.user), pk=participant_pk)
    contact = get_object_or_404(ShortContact, pk=pk, participant=participant)
    if untouchable([participant]):
        return restricted_refusal(request, participant)
    contact_delete(contact=contact, user=request.user)
    messages.success(request, _("The one-off help has been deleted."))
    return redirect("participants:detail", pk=participant.pk)
