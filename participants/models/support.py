"""What the club does for people: support forms delivered as activities with sessions
and attendance (at the care point, with the dependants each adult left in its care);
one-off help (short contacts); social contracts; internships and socially useful work;
community events."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kis.lib.models import DecimalField, TimeStampedModel
from kis.lib.validators import validate_nip

if TYPE_CHECKING:
    from participants.models.people import Participant

# One-off help longer than a working day is not a short contact.
MAX_CONTACT_HOURS = Decimal("8")
SAME_CONTACT_TWICE = _(
    "This person already has this form of help from this staff member on this day: open "
    "that contact and change its duration instead."
)


class SupportForm(TimeStampedModel):
    """A kind of support (training, counselling, therapy…). Editable catalogue."""

    class Reintegration(models.TextChoices):
        SOCIAL = "social", _("social reintegration")
        VOCATIONAL = "vocational", _("vocational reintegration")

    class Mode(models.TextChoices):
        INDIVIDUAL = "individual", _("individual")
        GROUP = "group", pgettext_lazy("form of support", "group")

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(
        _("code"),
        max_length=50,
        blank=True,
        help_text=_("Used by the reports to find a form, e.g. care_point. Do not change."),
    )
    reintegration = models.CharField(
        _("reintegration"), max_length=20, choices=Reintegration.choices
    )
    mode = models.CharField(_("individual or group"), max_length=20, choices=Mode.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("support form")
        verbose_name_plural = _("support forms")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="support_form_code_unique"
            ),
        ]

    # Codes the reports rely on.
    CARE_POINT = "care_point"

    def __str__(self) -> str:
        return self.name


class Activity(TimeStampedModel):
    """One run of a support form in a project: a training cycle, a group, a course."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    support_form = models.ForeignKey(
        SupportForm,
        verbose_name=_("support form"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    name = models.CharField(_("name"), max_length=255)
    staff = models.ManyToManyField(
        "projects.StaffMember", verbose_name=_("staff"), blank=True, related_name="activities"
    )
    planned_hours = DecimalField(
        _("planned hours"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    content = models.TextField(
        _("programme / content"), blank=True, help_text=_("Printed on the certificates.")
    )
    participants: "models.ManyToManyField[Participant, ActivityParticipant]" = (
        models.ManyToManyField(
            "participants.Participant",
            through="ActivityParticipant",
            verbose_name=_("participants"),
            related_name="activities",
            blank=True,
        )
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="activity_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(planned_hours__gt=0), name="activity_planned_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        project = getattr(self, "project", None)
        if (
            project
            and self.start_date
            and self.end_date
            and not (project.start_date <= self.start_date and self.end_date <= project.end_date)
        ):
            errors["start_date"] = _(
                "The activity must lie within the project: %(start)s – %(end)s."
            ) % {
                "start": project.start_date.strftime("%d.%m.%Y"),
                "end": project.end_date.strftime("%d.%m.%Y"),
            }
        if errors:
            raise ValidationError(errors)


class ActivityParticipant(TimeStampedModel):
    """A participant assigned to an activity (only people enrolled in its project)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="assignments"
    )
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="activity_assignments",
    )
    completed_on = models.DateField(
        _("completed on"),
        null=True,
        blank=True,
        help_text=_("Filled when the person completes the activity: a certificate can be printed."),
    )

    class Meta:
        verbose_name = _("assigned participant")
        verbose_name_plural = _("assigned participants")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "participant"], name="activity_participant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.activity}"


class SessionQuerySet(models.QuerySet):
    def held(self, as_of: date | None = None) -> "SessionQuerySet":
        """THE definition of a held session, used by every figure of support delivered
        (reports' hours, attendance %, the roll call): a session counts as held by the
        end of the day `as_of` (default and at most today) when it is dated on or
        before `as_of` and either its date is past or its roll call was taken (it has
        attendance marks). A planned session is never counted as delivered."""
        today = timezone.localdate()
        as_of = today if as_of is None else min(as_of, today)
        if as_of < today:
            return self.filter(date__lte=as_of)
        roll_call = Q(roll_call_at__isnull=False) | Exists(
            Attendance.objects.filter(session=OuterRef("pk"))
        )
        return self.filter(Q(date__lt=today) | roll_call, date__lte=today)


class Session(TimeStampedModel):
    """One meeting of an activity."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    duration_hours = DecimalField(
        _("duration (hours)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    staff = models.ManyToManyField(
        "projects.StaffMember", verbose_name=_("staff"), blank=True, related_name="sessions"
    )
    roll_call_at = models.DateTimeField(_("roll call taken"), null=True, blank=True, editable=False)
    roll_call_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("roll call by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0), name="session_duration_positive"
            ),
            models.UniqueConstraint(
                fields=["activity", "date", "start_time"], name="session_unique_time"
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.activity} – {self.date:%d.%m.%Y} {self.start_time:%H:%M}"

    def clean(self) -> None:
        activity = getattr(self, "activity", None)
        if activity and self.date and not activity.start_date <= self.date <= activity.end_date:
            raise ValidationError(
                {
                    "date": _("The session must lie within the activity: %(start)s – %(end)s.")
                    % {
                        "start": activity.start_date.strftime("%d.%m.%Y"),
                        "end": activity.end_date.strftime("%d.%m.%Y"),
                    }
                }
            )


# More dependants than this left by one person at one session is a typing error.
MAX_DEPENDANTS = 20


class Attendance(TimeStampedModel):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="attendance"
    )
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    # At a session of the care point (SupportForm.CARE_POINT) the adults on the list are
    # the parents and carers; one marked present left this many dependants (children,
    # or adults who need care) in the care point's care during the session. What the
    # care-point worker knows as each person hands them over. 0 everywhere else.
    dependants = models.PositiveSmallIntegerField(
        _("dependants in care"),
        default=0,
        validators=[MaxValueValidator(MAX_DEPENDANTS)],
        help_text=_("At the care point: how many dependants the person left in its care."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(status="present") | Q(dependants=0),
                name="attendance_dependants_only_when_present",
            ),
            models.CheckConstraint(
                condition=Q(dependants__lte=MAX_DEPENDANTS),
                name="attendance_dependants_at_most_20",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.session}: {self.get_status_display()}"


class SocialContract(TimeStampedModel):
    """A social contract (art. 108 of the Social Assistance Act)."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("in force")
        FULFILLED = "fulfilled", _("fulfilled")
        TERMINATED = "terminated", _("terminated")

    number = models.CharField(_("number"), max_length=50, unique=True)
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="contracts",
    )
    signed_on = models.DateField(_("date signed"))
    start_date = models.DateField(_("in force from"))
    end_date = models.DateField(_("in force until"))
    goals = models.TextField(_("goals"))
    participant_obligations = models.TextField(_("the participant's obligations"))
    centre_obligations = models.TextField(_("the centre's obligations"))
    caseworker = models.ForeignKey(
        "projects.StaffMember",
        verbose_name=_("caseworker"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_FORCE
    )
    termination_reason = models.CharField(_("reason for termination"), max_length=255, blank=True)
    review_date = models.DateField(_("review date"), null=True, blank=True)

    class Meta:
        verbose_name = _("social contract")
        verbose_name_plural = _("social contracts")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="contract_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="terminated") | ~Q(termination_reason=""),
                name="contract_termination_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.status == self.Status.TERMINATED and not self.termination_reason:
            errors["termination_reason"] = _("Give the reason for terminating the contract.")
        if errors:
            raise ValidationError(errors)


class Placement(TimeStampedModel):
    """An internship or socially useful work arranged with the county labour office."""

    class Kind(models.TextChoices):
        INTERNSHIP = "internship", _("internship")
        SOCIALLY_USEFUL_WORK = "psu", _("socially useful work")

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("ongoing")
        HIRED = "hired", _("hired by the employer")
        NOT_HIRED = "not_hired", _("not hired")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="placements",
    )
    employer_name = models.CharField(_("employer"), max_length=255)
    employer_nip = models.CharField(
        _("employer's NIP"), max_length=10, blank=True, validators=[validate_nip]
    )
    referral_number = models.CharField(
        _("labour office (PUP) referral number"), max_length=100, blank=True
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    hours_per_month = DecimalField(
        _("hours per month"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    hiring_declared = models.BooleanField(_("the employer declared hiring"), default=False)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.ONGOING
    )
    employment = models.OneToOneField(
        "participants.Employment",
        verbose_name=_("job taken"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placement",
    )

    class Meta:
        verbose_name = _("internship or socially useful work")
        verbose_name_plural = _("internships and socially useful work")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="placement_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_month__gt=0), name="placement_hours_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.employer_name}"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.employment_id and self.outcome != self.Outcome.HIRED:
            errors["outcome"] = _("A linked job means the person was hired.")
        if errors:
            raise ValidationError(errors)


class CommunityEvent(TimeStampedModel):
    """A community action: a picnic, a trip, a holiday gathering; open to outsiders."""

    name = models.CharField(_("name"), max_length=255)
    date = models.DateField(_("date"))
    end_date = models.DateField(
        _("last day"), null=True, blank=True, help_text=_("For events of several days.")
    )
    place = models.CharField(_("place"), max_length=255)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    participants = models.ManyToManyField(
        "participants.Participant",
        verbose_name=_("participants from the register"),
        blank=True,
        related_name="events",
    )
    outside_count = models.PositiveIntegerField(_("people from outside the projects"), default=0)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("community event")
        verbose_name_plural = _("community events")
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")),
                name="event_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d.%m.%Y})"

    def clean(self) -> None:
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": _("The last day cannot be before the first.")})


class Certificate(TimeStampedModel):
    """The register of certificates issued: a certificate of completing an activity is
    numbered within the year it is first issued (1/2026, 2/2026, …) and keeps that
    number however often it is printed again."""

    assignment = models.OneToOneField(
        ActivityParticipant,
        verbose_name=_("completion of the activity"),
        # An issued certificate stays in the register: what it certifies cannot go.
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    year = models.PositiveSmallIntegerField(_("year of issue"))
    sequence = models.PositiveIntegerField(_("number in the year"))
    issued_on = models.DateField(_("date of issue"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("certificate issued")
        verbose_name_plural = _("register of certificates issued")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="certificate_number_unique"),
            models.CheckConstraint(
                condition=Q(sequence__gte=1), name="certificate_sequence_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"{self.sequence}/{self.year}"


def _scan_path(instance: "AttendanceScan", filename: str) -> str:
    """A name that says nothing about the people on the list and cannot be guessed."""
    import secrets
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    today = timezone.localdate()
    return f"attendance-scans/{today:%Y/%m}/{secrets.token_hex(16)}{suffix}"


class AttendanceScan(TimeStampedModel):
    """The signed attendance list of a session, scanned (PDF, JPEG or PNG): the paper an
    auditor compares with the attendance entered. Stored under MEDIA_ROOT, served only
    to users who may open the session (participants.views.scans)."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    session = models.OneToOneField(
        Session,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="scan",
    )
    file = models.FileField(_("scan of the signed list"), upload_to=_scan_path, blank=True)
    content_type = models.CharField(_("file type"), max_length=30, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    matches_attendance = models.BooleanField(
        _("the signatures match the attendance entered"),
        default=False,
        help_text=_(
            "Confirmed by whoever uploaded the scan, after comparing it with the roll call."
        ),
    )
    uploaded_at = models.DateTimeField(_("uploaded"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("signed attendance list")
        verbose_name_plural = _("signed attendance lists")
        ordering = ["session__date"]

    def __str__(self) -> str:
        return str(self.session)

    @property
    def uploader(self) -> str:
        """Who uploaded it, by name ("" for the application itself)."""
        user = self.uploaded_by
        return (user.get_full_name() or user.get_username()) if user else ""


class ShortContact(TimeStampedModel):
    """One-off help for a person in the register, enrolled or not: a single counselling
    session, a consultation, information given to a walk-in. The person is *served* in
    its year, but it is neither long-term cooperation nor taking part in a project, not
    even in the project it may be recorded under; its hours are reported apart from the
    hours of activities.

    Its form is a choice of its own rather than the catalogue of support forms: the
    catalogue's individual forms include internships and socially useful work, which are
    not one-off help, and lack consultation and information; which specialist helped
    (psychologist, lawyer, career advisor) is the staff member's role."""

    class Kind(models.TextChoices):
        COUNSELLING = "counselling", _("individual counselling")
        CONSULTATION = "consultation", _("consultation")
        INFORMATION = "information", _("information")

    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="short_contacts",
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("form of help"), max_length=20, choices=Kind.choices)
    staff = models.ForeignKey(
        "projects.StaffMember",
        verbose_name=_("given by"),
        on_delete=models.PROTECT,
        related_name="short_contacts",
    )
    duration_hours = DecimalField(
        _("duration (hours)"),
        max_digits=4,
        decimal_places=2,
        validators=[
            MinValueValidator(
                Decimal("0.25"), message=_("At least a quarter of an hour (0.25 h).")
            ),
            MaxValueValidator(
                MAX_CONTACT_HOURS,
                message=_("At most %(limit_value)s h: longer help is an activity with sessions."),
            ),
        ],
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="short_contacts",
        help_text=_(
            "The project the help was given in, if any. The person does not become its participant."
        ),
    )
    note = models.CharField(
        _("note"),
        max_length=500,
        blank=True,
        help_text=_("What it was about, in a few words: only what the support needs."),
    )

    class Meta:
        verbose_name = _("short contact")
        verbose_name_plural = _("short contacts")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0, duration_hours__lte=MAX_CONTACT_HOURS),
                name="short_contact_duration_0_8",
            ),
            # A form sent twice (a double click) must not count one conversation twice.
            models.UniqueConstraint(
                fields=["participant", "date", "kind", "staff"],
                name="short_contact_unique",
                violation_error_message=SAME_CONTACT_TWICE,
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}"

    def clean(self) -> None:
        project = getattr(self, "project", None)
        if project and self.date and not project.start_date <= self.date <= project.end_date:
            raise ValidationError(
                {
                    "date": _("The date must lie within the project: %(start)s – %(end)s.")
                    % {
                        "start": project.start_date.strftime("%d.%m.%Y"),
                        "end": project.end_date.strftime("%d.%m.%Y"),
                    }
                }
            )
