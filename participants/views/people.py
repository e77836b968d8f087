import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from kis.audit import access_log, access_log_people
from kis.forms import SearchForm
from kis.lib.formsets import formset_changes
from kis.lib.http import SignedInRequest
from kis.lib.numbers import percentage
from kis.models import AccessLog
from participants.access import activities_for, participants_for, sees_everybody, why_nobody
from participants.filters import ParticipantFilter
from participants.forms.people import (
    EU_FIELDS,
    DiagnosisForm,
    EmploymentForm,
    EnrolmentEventForm,
    EnrolmentForm,
    ExitSituationForm,
    FamilyLinkForm,
    GoalFormSet,
    ParticipantForm,
)
from participants.models import Diagnosis, Employment, Enrolment, EnrolmentEvent, Participant
from participants.selectors.outcomes import enrolment_outcomes
from participants.selectors.people import (
    can_see_sensitive,
    participant_card,
    participant_family,
    participant_list,
    participant_search,
)
from participants.selectors.support import attendance_threshold, participant_activities
from participants.services.people import (
    ProcessingRestricted,
    diagnosis_save,
    employment_save,
    enrolment_create,
    enrolment_event_record,
    enrolment_leave_for_job,
    enrolments_create,
    exit_situation_set,
    family_link_create,
    participant_create,
    participant_update,
    untouchable,
)
from participants.services.support import activity_groups_leave, groups_with_future_sessions
from projects.models import Project


def restricted_refusal(request, participant):
    """Processing of this person's data is restricted, or they are anonymised for good:
    no edits, no exports."""
    access_log(request, AccessLog.Action.REFUSED, participant, request.path)
    if participant.anonymised_at is not None:
        messages.error(
            request,
            _(
                "This person's data are anonymised: they can no longer be changed, and "
                "nothing can be recorded for him or her."
            ),
        )
        return redirect("participants:detail", pk=participant.pk)
    messages.error(
        request,
        _(
            "Processing of this person's data is restricted (art. 18 GDPR): the data may "
            "not be changed or exported until the restriction is lifted."
        ),
    )
    return redirect("participants:detail", pk=participant.pk)


def add_validation_error(form, error: ValidationError, rename: dict | None = None) -> None:
    """Put a service's ValidationError on the form, next to the right fields."""
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            field = rename.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def log_refusal(request, error: ValidationError) -> None:
    """A write refused because of restricted processing is logged, like every such
    refusal (one entry per person)."""
    if isinstance(error, ProcessingRestricted):
        access_log_people(request, AccessLog.Action.REFUSED, error.people, request.path)


class ParticipantListView(PermissionRequiredMixin, FilterView):
    permission_required = "participants.view_participant"
    template_name = "participants/participant_list.html"
    filterset_class = ParticipantFilter
    paginate_by = 25
    context_object_name = "participants"

    def get_queryset(self):
        if sees_everybody(self.request.user):
            # The whole register: no `IN (all ids)` for the page's count to scan.
            return participant_list()
        return participant_list().filter(pk__in=participants_for(self.request.user).values("pk"))

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A new caseworker sees nobody: say why rather than show an empty register.
        if not context["paginator"].count and not self.request.GET:
            context["why_nobody"] = why_nobody(self.request.user)
        return context


class ParticipantDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "participants.view_participant"
    template_name = "participants/participant_detail.html"
    context_object_name = "participant"

    def get_object(self, queryset=None):
        if not participants_for(self.request.user).filter(pk=self.kwargs["pk"]).exists():
            raise Http404
        participant = participant_card(self.kwargs["pk"], self.request.user)
        access_log(self.request, AccessLog.Action.VIEW, participant, "card")
        return participant

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            # Each enrolment with its questionnaires and follow-ups after leaving.
            "enrolments": enrolment_outcomes(self.object),
            # Nothing can be recorded for a person whose data may not be processed.
            "editable": not untouchable([self.object]),
            "sensitive_allowed": can_see_sensitive(self.request.user),
            "family": participant_family(self.object, self.request.user),
            # Links only to the activities the user may open.
            "activities": self._activities(),
            "attendance_threshold": attendance_threshold(),
            # Papers to sign are printed only for a person whose data may be processed.
            "printable": not untouchable([self.object]),
            "access_history": (
                AccessLog.objects.filter(participant_ref=self.object.pk)[:20]
                if self.request.user.has_perm("kis.view_accesslog")
                else None
            ),
        }

    def _activities(self) -> list:
        """The person's activities; attendance (as the card shows it: hours present of
        the hours held so far) below KIS_ATTENDANCE_THRESHOLD is flagged."""
        threshold = attendance_threshold()
        activities: list[Any] = list(
            participant_activities(self.object).annotate(
                openable=Exists(activities_for(self.request.user).filter(pk=OuterRef("activity")))
            )
        )
        for assignment in activities:
            share = percentage(assignment.hours_attended, assignment.hours_held)
            assignment.below_threshold = share is not None and share < threshold
        return activities


class ParticipantFormView(PermissionRequiredMixin, FormView):
    """Register a participant, or edit one (pk in the URL)."""

    form_class = ParticipantForm
    template_name = "participants/participant_form.html"
    request: SignedInRequest

    def get_permission_required(self):
        return [
            "participants.change_participant"
            if "pk" in self.kwargs
            else "participants.add_participant"
        ]

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.participant = (
            get_object_or_404(participants_for(request.user), pk=kwargs["pk"])
            if "pk" in kwargs
            else None
        )
        if self.participant and untouchable([self.participant]):
            return restricted_refusal(request, self.participant)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.participant:  # the form shows the person's data: a read like the card
            access_log(request, AccessLog.Action.VIEW, self.participant, "edit form")
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "instance": self.participant,
        }

    def form_valid(self, form):
        fields = form.service_fields()
        try:
            if self.participant:
                participant = participant_update(
                    self.participant,
                    expected_version=form.cleaned_data.get("version"),
                    opened_at=form.cleaned_data.get("opened_at"),
                    editor=self.request.user,
                    **fields,
                )
                messages.success(self.request, _("The participant's data have been saved."))
            else:
                participant = participant_create(registered_by=self.request.user, **fields)
                messages.success(self.request, _("The participant has been registered."))
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        return redirect("participants:detail", pk=participant.pk)

    def get_context_data(self, **kwargs):
        title = _("Edit participant") if self.participant else _("Register a participant")
        context = super().get_context_data(**kwargs)
        form = context["form"]
        # Open when asked for (the EU export's list of missing data links to #eu) or
        # when one of its fields has an error.
        context["eu_open"] = self.request.GET.get("eu") == "1" or any(
            name in form.errors for name in EU_FIELDS
        )
        return {**context, "title": title, "participant": self.participant}


class ParticipantChildFormView(PermissionRequiredMixin, FormView):
    """A form about one participant, reached from the card; back to the card after."""

    template_name = "participants/form.html"
    request: SignedInRequest

    @property
    def title(self) -> str | Promise:
        return ""

    def dispatch(self, request, *args, **kwargs):
        # Permission first (403), then record-level access (404), then restriction.
        if not self.has_permission():
            return self.handle_no_permission()
        self.participant = get_object_or_404(
            participants_for(request.user), pk=kwargs["participant_pk"]
        )
        if untouchable([self.participant]):
            return restricted_refusal(request, self.participant)
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        """Fetch further objects of the URL, once the participant is known."""

    def read(self) -> str:
        """What the page shows of the person's records beyond the name, for the access
        log ("" for nothing: a form for a new record)."""
        return ""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)  # the record may not be found
        if what := self.read():
            access_log(request, AccessLog.Action.VIEW, self.participant, what)
        return response

    def get_success_url(self):
        return reverse("participants:detail", args=[self.participant.pk])

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "participant": self.participant,
            "title": self.title,
            "cancel_url": self.get_success_url(),
        }


class EnrolmentCreateView(ParticipantChildFormView):
    permission_required = "participants.add_enrolment"
    form_class = EnrolmentForm
    title = gettext_lazy("Enrol in a project")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "participant": self.participant}

    def form_valid(self, form):
        try:
            enrolment_create(
                participant=self.participant,
                recorded_by=self.request.user,
                project=form.cleaned_data["project"],
                start_date=form.cleaned_data["start_date"],
                referred_from=form.cleaned_data["referred_from"],
                referral_note=form.cleaned_data["referral_note"],
                labour_status_at_start=form.cleaned_data["labour_status_at_start"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The participant has been enrolled."))
        return super().form_valid(form)


class ProjectEnrolView(PermissionRequiredMixin, FormView):
    """Enrol participants from the project page: find a person, enrol with one click."""

    permission_required = "participants.add_enrolment"
    form_class = EnrolmentForm
    template_name = "participants/project_enrol.html"
    request: SignedInRequest

    def dispatch(self, request, *args, **kwargs):
        self.project = get_object_or_404(Project, pk=kwargs["project_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project}

    def form_valid(self, form):
        # The person is one of the buttons of the page: anything else is not found.
        participant_pk = self.request.POST.get("participant", "")
        if not re.fullmatch(r"[0-9]{1,18}", participant_pk):
            raise Http404
        participant = get_object_or_404(participants_for(self.request.user), pk=participant_pk)
        if participant.processing_restricted:
            return restricted_refusal(self.request, participant)
        try:
            enrolment_create(
                participant=participant,
                project=self.project,
                recorded_by=self.request.user,
                start_date=form.cleaned_data["start_date"],
                referred_from=form.cleaned_data["referred_from"],
                referral_note=form.cleaned_data["referral_note"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(name)s has been enrolled in the project.") % {"name": participant.full_name},
        )
        search = SearchForm(self.request.GET)
        return redirect(
            reverse("participants:project_enrol", args=[self.project.pk])
            + "?"
            + urlencode({"q": search.query()})
        )

    def get_context_data(self, **kwargs):
        search = SearchForm(self.request.GET)
        query = search.query()
        candidates: QuerySet[Participant] | list[Participant] = []
        if query and self.project.accepts_enrolments:
            candidates = participant_search(participants_for(self.request.user), query).exclude(
                enrolments__project=self.project
            )[:20]
        return {
            **super().get_context_data(**kwargs),
            "project": self.project,
            "search": search,
            "q": query,
            "candidates": candidates,
        }


@require_POST
@permission_required("participants.add_enrolment", raise_exception=True)
def project_enrol_bulk(request: SignedInRequest, project_pk: int):
    """Enrol the people ticked on the project's enrolment page at once, on one start
    date (`enrolments_create`: all or nothing)."""
    project = get_object_or_404(Project, pk=project_pk)
    back = (
        reverse("participants:project_enrol", args=[project.pk])
        + "?"
        + urlencode({"q": request.POST.get("q", "")})
    )
    form = EnrolmentForm(request.POST, project=project)
    ids = [v for v in request.POST.getlist("participant") if re.fullmatch(r"[0-9]{1,18}", v)]
    people = list(participants_for(request.user).filter(pk__in=ids).order_by("last_name", "pk"))
    if not ids or len(people) != len(set(ids)):
        messages.error(request, _("Tick the people to enrol."))
        return redirect(back)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    refused = untouchable(people)
    if refused:
        return restricted_refusal(request, refused[0])
    try:
        enrolments_create(
            participants=people,
            project=project,
            start_date=form.cleaned_data["start_date"],
            referred_from=form.cleaned_data["referred_from"],
            referral_note=form.cleaned_data["referral_note"],
            recorded_by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "%(count)s person has been enrolled in the project: %(names)s.",
            "%(count)s people have been enrolled in the project: %(names)s.",
            len(people),
        )
        % {"count": len(people), "names": ", ".join(p.full_name for p in people)},
    )
    return redirect(back)


EVENT_TITLES = {
    EnrolmentEvent.Kind.DROPPED_OUT: gettext_lazy("Record a drop-out"),
    EnrolmentEvent.Kind.COMPLETED: gettext_lazy("Record completion"),
    EnrolmentEvent.Kind.RETURNED: gettext_lazy("Record a return after a job"),
}


class EnrolmentEventView(ParticipantChildFormView):
    permission_required = "participants.add_enrolmentevent"
    form_class = EnrolmentEventForm

    def load(self, **kwargs) -> None:
        self.enrolment = get_object_or_404(
            Enrolment.objects.select_related("project", "participant"),
            pk=kwargs["pk"],
            participant=self.participant,
        )
        self.kind = kwargs["kind"]
        if self.kind not in EVENT_TITLES:
            raise Http404

    @property
    def title(self):
        return f"{EVENT_TITLES[self.kind]}: {self.enrolment.project}"

    def get_form_kwargs(self):
        groups = []
        if self.kind == EnrolmentEvent.Kind.DROPPED_OUT and self.request.user.has_perm(
            "participants.delete_activityparticipant"
        ):
            groups = list(
                groups_with_future_sessions(
                    self.participant, self.enrolment.project, timezone.localdate()
                )
            )
        return {
            **super().get_form_kwargs(),
            "with_reason": self.kind == EnrolmentEvent.Kind.DROPPED_OUT,
            "with_situation": self.kind in EnrolmentEvent.EXITS,
            "groups": groups,
        }

    def get_initial(self):
        return {**super().get_initial(), "version": self.enrolment.version}

    def form_valid(self, form):
        try:
            # The drop-out and taking the person out of his or her groups: both or neither.
            with transaction.atomic():
                enrolment_event_record(
                    enrolment=self.enrolment,
                    kind=self.kind,
                    recorded_by=self.request.user,
                    date=form.cleaned_data["date"],
                    reason=form.cleaned_data.get("reason"),
                    note=form.cleaned_data["note"],
                    situation=form.cleaned_data.get("situation", ""),
                    expected_version=form.cleaned_data.get("version"),
                )
                left = None
                if form.cleaned_data.get("leave_groups"):
                    left = activity_groups_leave(
                        participant=self.participant,
                        project=self.enrolment.project,
                        after=form.cleaned_data["date"],
                        user=self.request.user,
                    )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The change has been recorded."))
        if left and left.removed:
            messages.info(
                self.request,
                _("Taken out of the future sessions of: %(groups)s.")
                % {"groups": ", ".join(a.name for a in left.removed)},
            )
        if left and left.kept:
            messages.info(
                self.request,
                _(
                    "Kept in %(groups)s for the attendance marked so far; the attendance "
                    "lists leave the person out after leaving."
                )
                % {"groups": ", ".join(a.name for a in left.kept)},
            )
        return super().form_valid(form)


class ExitSituationView(ParticipantChildFormView):
    """Where the person went on leaving a project, recorded or corrected afterwards."""

    permission_required = "participants.change_enrolment"
    form_class = ExitSituationForm

    def load(self, **kwargs) -> None:
        self.enrolment = get_object_or_404(
            Enrolment.objects.select_related("project"),
            pk=kwargs["pk"],
            participant=self.participant,
        )
        last = self.enrolment.events.order_by("-date", "-pk").first()
        if last is None or last.kind not in EnrolmentEvent.EXITS:
            raise Http404("The person is still taking part.")
        self.exit: EnrolmentEvent = last

    @property
    def title(self):
        return _("Situation on leaving: %(project)s") % {"project": self.enrolment.project}

    def read(self) -> str:
        return f"situation on leaving, enrolment {self.enrolment.pk}"

    def get_initial(self):
        return {**super().get_initial(), "situation": self.exit.situation}

    def form_valid(self, form):
        try:
            exit_situation_set(
                enrolment=self.enrolment,
                situation=form.cleaned_data["situation"],
                user=self.request.user,
            )
        except ValidationError as error:
            log_refusal(self.request, error)
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The situation on leaving has been saved."))
        return super().form_valid(form)


class LeaveForJobView(ParticipantChildFormView):
    """The person leaves a project for a job: the job and the exit in one form."""

    permission_required = ("participants.add_enrolmentevent", "participants.add_employment")
    form_class = EmploymentForm

    def load(self, **kwargs) -> None:
        self.enrolment = get_object_or_404(
            Enrolment.objects.select_related("project"),
            pk=kwargs["pk"],
            participant=self.participant,
        )

    @property
    def title(self):
        return _("Left for a job: %(project)s") % {"project": self.enrolment.project}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "participant": self.participant, "leaving": True}

    def get_initial(self):
        return {**super().get_initial(), "version": self.enrolment.version}

    def form_valid(self, form):
        fields = dict(form.cleaned_data)
        note = fields.pop("note", "")
        version = fields.pop("version", None)
        exit_date = fields.pop("exit_date", None)
        try:
            enrolment_leave_for_job(
                enrolment=self.enrolment,
                recorded_by=self.request.user,
                exit_date=exit_date,
                note=note,
                expected_version=version,
                **fields,
            )
        except ValidationError as error:
            # The exit's date is the job's start when the form leaves it empty.
            exit_field = "exit_date" if exit_date else "start_date"
            add_validation_error(form, error, rename={"date": exit_field})
            return self.form_invalid(form)
        messages.success(
            self.request, _("The job has been recorded and the person has left the project.")
        )
        return super().form_valid(form)


class EmploymentFormView(ParticipantChildFormView):
    form_class = EmploymentForm

    def get_permission_required(self):
        return [
            "participants.change_employment"
            if "pk" in self.kwargs
            else "participants.add_employment"
        ]

    @property
    def title(self):
        return _("Edit the job") if "pk" in self.kwargs else _("Record a job taken")

    def read(self) -> str:
        return f"job form {self.kwargs['pk']}" if "pk" in self.kwargs else ""

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "participant": self.participant}
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(
                Employment, pk=self.kwargs["pk"], participant=self.participant
            )
        else:
            kwargs["instance"] = Employment(participant=self.participant)
        return kwargs

    def form_valid(self, form):
        try:
            employment_save(employment=form.instance, user=self.request.user)
        except ValidationError as error:
            log_refusal(self.request, error)
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The job has been saved."))
        return super().form_valid(form)


class DiagnosisFormView(ParticipantChildFormView):
    """A diagnosis with its action plan goals, saved together."""

    form_class = DiagnosisForm
    template_name = "participants/diagnosis_form.html"

    def get_permission_required(self):
        return [
            "participants.change_diagnosis" if "pk" in self.kwargs else "participants.add_diagnosis"
        ]

    @property
    def title(self):
        return (
            _("Edit the diagnosis and action plan")
            if "pk" in self.kwargs
            else _("Diagnosis and individual action plan")
        )

    def read(self) -> str:
        return f"diagnosis form {self.kwargs['pk']}" if "pk" in self.kwargs else ""

    def get_instance(self):
        if "pk" in self.kwargs:
            return get_object_or_404(Diagnosis, pk=self.kwargs["pk"], participant=self.participant)
        return Diagnosis(participant=self.participant)

    def load(self, **kwargs) -> None:
        self.instance = self.get_instance()

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "participant": self.participant,
            "instance": self.instance,
            "user": self.request.user,
        }

    def get_goals(self):
        data = self.request.POST if self.request.method == "POST" else None
        return GoalFormSet(data, instance=self.instance, prefix="goals")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("goals", self.get_goals())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        goals = self.get_goals()
        if not goals.is_valid():
            return self.render_to_response(self.get_context_data(form=form, goals=goals))
        saved, deleted = formset_changes(goals)
        try:
            diagnosis_save(
                diagnosis=form.instance,
                staff=list(form.cleaned_data["staff"]),
                goals=saved,
                deleted_goals=deleted,
                user=self.request.user,
            )
        except ValidationError as error:
            log_refusal(self.request, error)
            add_validation_error(form, error)
            return self.render_to_response(self.get_context_data(form=form, goals=goals))
        messages.success(self.request, _("The diagnosis and action plan have been saved."))
        return super().form_valid(form)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form, goals=self.get_goals()))


class FamilyLinkView(ParticipantChildFormView):
    permission_required = "participants.add_familylink"
    form_class = FamilyLinkForm
    template_name = "participants/family_form.html"
    title = gettext_lazy("Add a family member who is supported too")

    def load(self, **kwargs) -> None:
        self.search = SearchForm(self.request.GET)

    def get_form_kwargs(self):
        query = self.search.query()
        if self.request.method == "POST":
            candidates = participants_for(self.request.user)
        elif query:
            candidates = participant_search(participants_for(self.request.user), query)[:20]
            candidates = Participant.objects.filter(pk__in=[p.pk for p in candidates])
        else:
            candidates = Participant.objects.none()
        return {
            **super().get_form_kwargs(),
            "participant": self.participant,
            "candidates": candidates,
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "search": self.search}

    def form_valid(self, form):
        try:
            family_link_create(
                participant=self.participant,
                relative=form.cleaned_data["relative"],
                relation=form.cleaned_data["relation"],
                user=self.request.user,
            )
        except ValidationError as error:
            log_refusal(self.request, error)
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The family member has been linked."))
        return super().form_valid(form)
