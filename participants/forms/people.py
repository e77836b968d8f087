from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from stdnum.pl import pesel as stdnum_pesel

from kis.lib.validators import validate_pesel
from participants.access import participants_for
from participants.models import (
    Diagnosis,
    DropoutReason,
    Employment,
    Enrolment,
    ExitSituation,
    FamilyLink,
    Goal,
    Participant,
    Sex,
)
from participants.selectors.people import (
    SENSITIVE_FIELDS,
    can_see_sensitive,
    same_name_and_birth_date,
    visible_groups,
)
from projects.models import Project, StaffMember


class DateInput(forms.DateInput):
    """A date typed as 22.11.2026, whatever the browser's language (the browser's own
    date picker would follow the computer's locale, e.g. mm/dd/yyyy)."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": _("dd.mm.yyyy"), "autocomplete": "off", **(attrs or {})})


VERSION_MISSING = _(
    "The form arrived without the version of the data it was opened with, so it cannot "
    "be checked whether someone else changed them in the meantime. Nothing was saved: "
    "open the form again and enter your changes."
)


def version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


def require_version(form: forms.BaseForm) -> None:
    """An edit must carry the version the form was opened with (optimistic locking):
    without it somebody else's change would be overwritten unnoticed. Called from
    clean(); the field is hidden, so the error goes above the form."""
    if form.cleaned_data.get("version") is None:
        form.errors.pop("version", None)
        form.add_error(None, VERSION_MISSING)


class VersionFields(forms.Form):
    """Hidden fields for optimistic locking: the record's version and when the form
    was opened (to show what others changed since)."""

    version = version_field()
    opened_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)


# Asked by EU monitoring (SM EFS) rather than by the club's own work: a group of their
# own on the form, folded away until needed.
EU_FIELDS = [
    "citizenship",
    "country",
    "voivodeship",
    "county",
    "municipality_code",
    "degurba",
    "foreign_origin",
    "minority",
    "housing_exclusion",
]
# A new participant starts with the centre's territory (most live in its municipality).
CENTRE_DEFAULTS = ("voivodeship", "county", "municipality", "municipality_code", "degurba")


def new_participant_initial() -> dict:
    """What a new participant's form starts with: Polish citizenship, living in Poland,
    in the centre's municipality (its profile)."""
    from projects.selectors import organisation_get

    initial = {"citizenship": "pl", "country": "Polska"}
    centre = organisation_get()
    if centre is not None:
        initial.update({name: getattr(centre, name) for name in CENTRE_DEFAULTS})
    return initial


class ParticipantForm(VersionFields, forms.ModelForm):
    confirm_not_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different person with the same name and date of birth"),
        required=False,
    )

    class Meta:
        model = Participant
        fields = [
            "first_name",
            "last_name",
            "pesel",
            "birth_date",
            "sex",
            "street",
            "postal_code",
            "city",
            "municipality",
            "phone",
            "email",
            "education",
            "labour_status",
            "disability",
            "health_notes",
            "groups",
            *EU_FIELDS,
            "legal_basis",
            "legal_basis_date",
            "legal_basis_document",
        ]
        widgets = {
            "birth_date": DateInput(),
            "legal_basis_date": DateInput(),
            "groups": forms.CheckboxSelectMultiple,
            "health_notes": forms.Textarea(attrs={"rows": 3}),
            "pesel": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "postal_code": forms.TextInput(attrs={"placeholder": "00-000"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.sensitive_allowed = can_see_sensitive(user)
        if not self.sensitive_allowed:
            for name in SENSITIVE_FIELDS:
                del self.fields[name]
        self.fields["groups"].queryset = visible_groups(user).filter(is_active=True)
        self.fields["birth_date"].required = False
        self.fields["sex"].required = False
        self.fields["birth_date"].help_text = _("Filled in from the PESEL number if left empty.")
        self.fields["legal_basis_date"].initial = timezone.localdate()
        if not self.instance.pk:
            for name, value in new_participant_initial().items():
                if name in self.fields and value:
                    self.fields[name].initial = value
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        self.fields["opened_at"].initial = timezone.now()
        self.duplicates = []

    def clean_pesel(self):
        # Validated here, not only on the model, because clean() reads the birth date
        # and sex out of it.
        pesel = self.cleaned_data["pesel"].strip()
        validate_pesel(pesel)
        return pesel

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.instance.pk:
            require_version(self)
        pesel = data.get("pesel")
        if pesel and "pesel" not in self.errors:
            # With a PESEL, empty birth date and sex come from it; entered values are
            # compared with it by the model.
            if not data.get("birth_date"):
                data["birth_date"] = stdnum_pesel.get_birth_date(pesel)
            if not data.get("sex"):
                data["sex"] = Sex.FEMALE if stdnum_pesel.get_gender(pesel) == "F" else Sex.MALE
            existing = Participant.objects.filter(pesel=pesel).exclude(pk=self.instance.pk).first()
            if existing and not self._visible(existing):
                # Say no more than that: who the person is is not this user's to know.
                self.add_error(
                    "pesel",
                    _(
                        "A participant with this PESEL is already registered, but you have "
                        "no access to his or her card: ask a manager."
                    ),
                )
            elif existing:
                self.add_error(
                    "pesel",
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("A participant with this PESEL is already registered:"),
                        reverse("participants:detail", args=[existing.pk]),
                        existing.full_name,
                    ),
                )
        elif "pesel" not in self.errors:  # no PESEL at all (not a wrong one)
            for name in ("birth_date", "sex"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Required when there is no PESEL number."))
        self._check_same_name(data)
        return data

    def _check_same_name(self, data):
        names = (data.get("first_name"), data.get("last_name"), data.get("birth_date"))
        if not all(names) or data.get("confirm_not_duplicate"):
            return
        self.duplicates = list(
            same_name_and_birth_date(
                first_name=names[0],
                last_name=names[1],
                birth_date=names[2],
                exclude_pk=self.instance.pk,
            )[:5]
        )
        visible = [p for p in self.duplicates if self._visible(p)]
        if visible:
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((reverse("participants:detail", args=[p.pk]), p.full_name) for p in visible),
            )
            self.add_error(
                "confirm_not_duplicate",
                format_html(
                    "{} {}. {}",
                    _("A person with the same name and date of birth is already registered:"),
                    links,
                    _("Open the card instead, or tick the box to register a different person."),
                ),
            )
        elif self.duplicates:
            self.add_error(
                "confirm_not_duplicate",
                _(
                    "A person with the same name and date of birth is already registered, but "
                    "you have no access to his or her card: ask a manager, or tick the box to "
                    "register a different person."
                ),
            )

    def _visible(self, person: Participant) -> bool:
        return participants_for(self.user).filter(pk=person.pk).exists()

    def service_fields(self) -> dict:
        """Cleaned model fields for the services (groups and confirmation apart)."""
        data = dict(self.cleaned_data)
        data.pop("confirm_not_duplicate", None)
        data.pop("version", None)
        data.pop("opened_at", None)
        groups = list(data.pop("groups", []))
        if not self.sensitive_allowed and self.instance.pk:
            # Keep the sensitive groups that this user cannot see.
            groups += list(self.instance.groups.filter(is_sensitive=True))
        return {"groups": groups, **data}


class EnrolmentForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = [
            "project",
            "start_date",
            "labour_status_at_start",
            "referred_from",
            "referral_note",
        ]
        widgets = {"start_date": DateInput()}

    def __init__(self, *args, participant=None, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()
        if participant is not None:
            self.fields["labour_status_at_start"].initial = participant.labour_status
        else:  # several people from the project page: each one's own status
            del self.fields["labour_status_at_start"]
        open_projects = Project.objects.exclude(status__in=Project.CLOSED_STATUSES)
        if participant is not None:
            open_projects = open_projects.exclude(enrolments__participant=participant)
        self.fields["project"].queryset = open_projects
        self.fields["referred_from"].queryset = Project.objects.all()
        if project is not None:
            del self.fields["project"]


SITUATION_HELP = _(
    "Where the person went on leaving, if known; it can be added later on the card "
    "(EU monitoring collects it within four weeks of leaving)."
)


class EnrolmentEventForm(forms.Form):
    version = version_field()
    date = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.ModelChoiceField(
        label=_("Reason"), queryset=DropoutReason.objects.filter(is_active=True), required=False
    )
    situation = forms.ChoiceField(
        label=_("Situation on leaving"),
        choices=[("", "---------"), *ExitSituation.choices],
        required=False,
        help_text=SITUATION_HELP,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    leave_groups = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args, with_reason: bool, with_situation: bool = False, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        if groups:
            # A drop-out: offered to take the person out of the future sessions of the
            # groups he or she is in (participants.services.support.activity_groups_leave).
            self.fields["leave_groups"].label = _(
                "Take the person out of the future sessions of his or her groups: %(groups)s"
            ) % {"groups": ", ".join(a.name for a in groups)}
        else:
            del self.fields["leave_groups"]
        if with_reason:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
        if not with_situation:
            del self.fields["situation"]

    def clean(self):
        data = super().clean()
        require_version(self)
        return data


class ExitSituationForm(forms.Form):
    situation = forms.ChoiceField(
        label=_("Situation on leaving"), choices=ExitSituation.choices, help_text=SITUATION_HELP
    )


class EmploymentForm(forms.ModelForm):
    class Meta:
        model = Employment
        fields = [
            "start_date",
            "end_date",
            "employer",
            "contract",
            "is_long_term",
            "after_internship",
            "after_socially_useful_work",
            "enrolment",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, participant, leaving=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = participant.enrolments.select_related("project")
        self.fields["enrolment"].label_from_instance = lambda e: e.project.title
        if leaving:
            del self.fields["enrolment"]
            self.fields["exit_date"] = forms.DateField(
                label=_("Left the project on"),
                required=False,
                widget=DateInput(),
                help_text=_("Leave empty if it is the day the job started."),
            )
            self.fields["note"] = forms.CharField(label=_("Note"), max_length=500, required=False)
            self.fields["version"] = version_field()
            self.order_fields(["start_date", "exit_date"])
        self.leaving = leaving

    def clean(self):
        data = super().clean()
        if self.leaving:
            require_version(self)
        return data


class DiagnosisForm(forms.ModelForm):
    class Meta:
        model = Diagnosis
        fields = ["date", "enrolment", "staff", "needs", "has_action_plan"]
        widgets = {
            "date": DateInput(),
            "staff": forms.CheckboxSelectMultiple,
            "needs": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, participant, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        enrolments = list(participant.enrolments.select_related("project"))
        self.fields["enrolment"].queryset = participant.enrolments.select_related("project")
        self.fields["enrolment"].label_from_instance = lambda e: e.project.title
        self.fields["staff"].queryset = StaffMember.objects.filter(is_active=True)
        if self.instance.pk is None:
            # What KIS knows: today, the person's only project, the user's own staff
            # record (the instance's empty values would hide a field's initial).
            self.initial["date"] = self.initial.get("date") or timezone.localdate()
            if len(enrolments) == 1 and not self.initial.get("enrolment"):
                self.initial["enrolment"] = enrolments[0].pk
            own = getattr(user, "staff_member", None)
            if own is not None and own.is_active and not self.initial.get("staff"):
                self.initial["staff"] = [own.pk]


GoalFormSet: "type[BaseInlineFormSet[Goal, Diagnosis, forms.ModelForm[Goal]]]" = (
    inlineformset_factory(
        Diagnosis,
        Goal,
        fields=["description", "target_date", "achieved", "achieved_date"],
        widgets={"target_date": DateInput(), "achieved_date": DateInput()},
        extra=2,
        can_delete=True,
    )
)


class FamilyLinkForm(forms.ModelForm):
    class Meta:
        model = FamilyLink
        fields = ["relative", "relation"]
        widgets = {"relative": forms.RadioSelect}

    def __init__(self, *args, participant, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.participant = participant
        # Not offered: people whose data may no longer be processed.
        self.fields["relative"].queryset = candidates.exclude(pk=participant.pk).filter(
            processing_restricted=False, anonymised_at__isnull=True
        )
        self.fields["relative"].empty_label = None
