from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis.lib.decimals import DecimalInputField
from participants.access import participants_for
from participants.forms.people import DateInput
from participants.models import (
    Activity,
    CommunityEvent,
    Employment,
    Placement,
    Session,
    ShortContact,
    SocialContract,
    SupportForm,
)
from participants.pickers import PeopleField, picker_groups
from participants.selectors.support import contract_number_proposed
from participants.services.support import Repeat
from projects.models import Project, StaffMember

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class TimeInput(forms.TimeInput):
    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": _("hh:mm"), "autocomplete": "off", **(attrs or {})}, format="%H:%M"
        )


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "project",
            "support_form",
            "name",
            "staff",
            "planned_hours",
            "start_date",
            "end_date",
            "place",
            "content",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "staff": forms.CheckboxSelectMultiple,
            "content": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support_form"].queryset = SupportForm.objects.filter(is_active=True)
        self.fields["staff"].queryset = StaffMember.objects.filter(is_active=True)
        # The user's own projects (participants.access.projects_worked_in), and the
        # activity's own when it is edited.
        self.fields["project"].queryset = Project.objects.filter(
            Q(pk__in=projects.values("pk")) | Q(pk=self.instance.project_id)
        )


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["date", "start_time", "duration_hours", "topic", "staff"]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "staff": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = StaffMember.objects.filter(is_active=True)


class SessionSeriesForm(forms.Form):
    first_date = forms.DateField(label=_("From"), widget=DateInput())
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    duration_hours = DecimalInputField(
        label=_("Duration (hours)"), max_digits=4, decimal_places=2, min_value=Decimal("0.25")
    )
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        choices=Repeat.choices,
        initial=Repeat.WEEKLY,
        widget=forms.RadioSelect,
        help_text=_(
            "Once a month: on the same weekday of the same week of the month as the first "
            "session (e.g. every first Friday)."
        ),
    )
    weeks = forms.IntegerField(
        label=_("Number of repetitions"),
        min_value=1,
        max_value=52,
        initial=12,
        help_text=_(
            "Weeks, fortnights or months. Public holidays are skipped (the skipped days "
            "are listed after saving)."
        ),
    )
    topic = forms.CharField(label=_("Topic"), max_length=255, required=False)


class AssignForm(forms.Form):
    participants = PeopleField(label=_("People enrolled in the project"))

    def __init__(self, *args, user, activity, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered: enrolled in the activity's project, not yet in its group, visible to
        # the user, data still processed (participants.pickers.activity_people).
        field: PeopleField = self.fields["participants"]  # type: ignore[assignment]
        field.offer(
            user,
            "activity",
            activity.pk,
            groups=picker_groups(user, project=activity.project_id, exclude=activity.pk),
        )


class CompletionForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput(), required=False)


class SocialContractForm(forms.ModelForm):
    class Meta:
        model = SocialContract
        fields = [
            "number",
            "signed_on",
            "start_date",
            "end_date",
            "goals",
            "participant_obligations",
            "centre_obligations",
            "caseworker",
            "status",
            "termination_reason",
            "review_date",
        ]
        widgets = {
            "signed_on": DateInput(),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "review_date": DateInput(),
            "goals": forms.Textarea(attrs={"rows": 3}),
            "participant_obligations": forms.Textarea(attrs={"rows": 3}),
            "centre_obligations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only social workers lead a contract (and the contract's own, when edited).
        self.fields["caseworker"].queryset = StaffMember.objects.filter(
            Q(is_active=True, role=StaffMember.Role.SOCIAL_WORKER)
            | Q(pk=self.instance.caseworker_id)
        )
        if self.instance.pk is None:
            today = timezone.localdate()
            # A new contract is in force: its status and ending are for later edits.
            del self.fields["status"], self.fields["termination_reason"]
            # The instance's empty values would hide these (model_to_dict).
            proposed = {
                "signed_on": today,
                "start_date": today,
                "number": contract_number_proposed(today.year),
            }
            own = getattr(user, "staff_member", None)
            if own is not None and own.is_active and own.role == StaffMember.Role.SOCIAL_WORKER:
                proposed["caseworker"] = own.pk
            for name, value in proposed.items():
                if not self.initial.get(name):
                    self.initial[name] = value


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = [
            "kind",
            "employer_name",
            "employer_nip",
            "referral_number",
            "start_date",
            "end_date",
            "hours_per_month",
            "hiring_declared",
            "outcome",
            "employment",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new placement is under way: how it ended (and the job it led to) is
            # recorded when it does.
            del self.fields["outcome"], self.fields["employment"]
            if not self.initial.get("start_date"):
                self.initial["start_date"] = timezone.localdate()
            return
        self.fields["employment"].queryset = Employment.objects.filter(participant=participant)
        self.fields["employment"].help_text = _(
            "If the person was hired, record the job on the card first, then link it here."
        )


class CommunityEventForm(forms.ModelForm):
    class Meta:
        model = CommunityEvent
        fields = [
            "name",
            "date",
            "end_date",
            "place",
            "project",
            "outside_count",
            "description",
            "participants",
        ]
        widgets = {
            "date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"participants": PeopleField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible_participants = participants_for(user)
        participants: PeopleField = self.fields["participants"]  # type: ignore[assignment]
        # Offered: the people the user may see and whose data may still be processed
        # (participants.pickers.event_people), searched on the server.
        participants.offer(user, "event")
        offered = participants.offered
        participants.required = False
        # The others already on the list stay there untouched.
        self.kept = (
            list(self.instance.participants.exclude(pk__in=offered.values("pk")))
            if self.instance.pk
            else []
        )
        seen = set(
            visible_participants.filter(pk__in=[p.pk for p in self.kept]).values_list(
                "pk", flat=True
            )
        )
        locked = [p for p in self.kept if p.processing_restricted and p.pk in seen]
        if locked:
            participants.help_text = _(
                "Also on the list and not changed here, as the processing of their data is "
                "restricted: %(names)s."
            ) % {"names": ", ".join(f"{p.last_name} {p.first_name}" for p in locked)}

    def participant_list(self) -> list:
        """Everybody on the list after saving: those ticked and those kept."""
        return [*self.cleaned_data["participants"], *self.kept]


class AttendanceScanForm(forms.Form):
    """The scan of a session's signed attendance list. Its type and size are checked by
    the service, from the file's content (participants.services.papers)."""

    file = forms.FileField(
        label=_("Scan of the signed list"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    matches_attendance = forms.BooleanField(
        label=_("I have compared the signatures with the attendance entered: they match."),
        required=False,
    )


class ShortContactForm(forms.ModelForm):
    """One-off help, entered on the day: today, the user's own staff record and an hour
    are filled in."""

    class Meta:
        model = ShortContact
        fields = ["date", "kind", "staff", "duration_hours", "project", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Staff still working here, and the contact's own when it is edited.
        self.fields["staff"].queryset = StaffMember.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.staff_id)
        )
        self.fields["project"].queryset = Project.objects.filter(
            ~Q(status__in=Project.CLOSED_STATUSES) | Q(pk=self.instance.project_id)
        )
        self.fields["project"].empty_label = _("none (outside projects)")
        if self.instance.pk is None:
            own = getattr(user, "staff_member", None)
            self.initial["date"] = timezone.localdate()
            self.initial["duration_hours"] = Decimal("1")
            if own is not None and own.is_active:
                self.initial["staff"] = own.pk
            # The person's only project still running, if he or she takes part in one.
            if self.instance.participant_id:
                running = Project.objects.filter(
                    enrolments__participant_id=self.instance.participant_id
                ).exclude(status__in=Project.CLOSED_STATUSES)
                only = list(running.distinct().values_list("pk", flat=True)[:2])
                if len(only) == 1:
                    self.initial["project"] = only[0]
