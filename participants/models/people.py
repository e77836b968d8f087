"""The people the club supports: identity, situation, exclusion groups, enrolments in
projects with their history, diagnoses and action plans, and jobs taken."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from stdnum.pl import pesel as stdnum_pesel

from kis.lib.models import TimeStampedModel, model_field
from kis.lib.territory import Degurba, Voivodeship, validate_municipality_code, voivodeship_of
from kis.lib.text import fold
from kis.lib.validators import validate_pesel, validate_postal_code


class Sex(models.TextChoices):
    FEMALE = "F", _("woman")
    MALE = "M", _("man")


class Answer(models.TextChoices):
    """An answer to a question of EU monitoring that the person may decline to give
    (empty: not asked yet)."""

    YES = "yes", _("yes")
    NO = "no", _("no")
    REFUSED = "refused", _("refused to answer")


class Citizenship(models.TextChoices):
    POLISH = "pl", _("Polish")
    EU = "eu", _("of another EU country")
    NON_EU = "non_eu", _("of a country outside the EU")
    STATELESS = "stateless", _("stateless")

    @classmethod
    def third_country(cls) -> tuple[str, ...]:
        """A third-country national in EU terms: not a citizen of a member state."""
        return (cls.NON_EU, cls.STATELESS)


class ExitSituation(models.TextChoices):
    """Where a person went on leaving a project: for EU monitoring (the situation on
    leaving, collected within four weeks) and the report to the voivode (what the
    participants who finished did after the club)."""

    EMPLOYED = "employed", _("working (employed)")
    SELF_EMPLOYED = "self_employed", _("running his or her own business")
    COOPERATIVE = "cooperative", _("working in a social cooperative")
    CIS = "cis", _("referred to a social integration centre (CIS)")
    JOB_SEEKING = "job_seeking", _("looking for work")
    EDUCATION = "education", _("in education or training")
    INACTIVE = "inactive", _("economically inactive")
    OTHER = "other", _("other")


class ExclusionGroup(TimeStampedModel):
    """A group at risk of social exclusion (art. 1(2) of the Social Employment Act and
    others the centre uses). Editable catalogue."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(
        _("code"),
        max_length=50,
        blank=True,
        help_text=_("Used by the reports to find a group, e.g. single_parent. Do not change."),
    )
    is_statutory = models.BooleanField(
        _("statutory group"),
        default=False,
        help_text=_("Listed in art. 1(2) of the Social Employment Act (the voivode's report)."),
    )
    is_sensitive = models.BooleanField(
        _("sensitive"),
        default=False,
        help_text=_(
            "Health, addiction, disability or prison: shown only to users allowed to see "
            "sensitive data."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("exclusion group")
        verbose_name_plural = _("exclusion groups")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="exclusion_group_code_unique"
            ),
        ]

    # Codes the reports rely on.
    SINGLE_PARENT = "single_parent"

    def __str__(self) -> str:
        return self.name


class Participant(TimeStampedModel):
    class Education(models.TextChoices):
        # ISCED groups as used in EU (ESF) participant monitoring.
        NONE = "isced0", _("below primary (ISCED 0)")
        PRIMARY = "isced1", _("primary (ISCED 1)")
        LOWER_SECONDARY = "isced2", _("lower secondary (ISCED 2)")
        UPPER_SECONDARY = "isced3", _("upper secondary or vocational (ISCED 3)")
        POST_SECONDARY = "isced4", _("post-secondary (ISCED 4)")
        TERTIARY = "isced5", _("higher education (ISCED 5–8)")

    class LabourStatus(models.TextChoices):
        REGISTERED_UNEMPLOYED = "unemployed", _("registered unemployed")
        LONG_TERM_UNEMPLOYED = "long_term", _("long-term unemployed")
        UNREGISTERED_UNEMPLOYED = (
            "unregistered",
            _("unemployed, not registered at the labour office"),
        )
        INACTIVE = "inactive", _("economically inactive")
        INACTIVE_LEARNING = (
            "inactive_learning",
            _("economically inactive, in education or training"),
        )
        EMPLOYED = "employed", _("employed")

    class Disability(models.TextChoices):
        NONE = "", _("none / not stated")
        MILD = "mild", _("mild degree")
        MODERATE = "moderate", _("moderate degree")
        SEVERE = "severe", _("severe degree")
        CERTIFICATE = "certificate", _("disability certificate (under 16)")
        REFUSED = "refused", _("refused to answer")

        @classmethod
        def declared(cls) -> tuple[str, ...]:
            """A disability stated by a certificate of any degree."""
            return (cls.MILD, cls.MODERATE, cls.SEVERE, cls.CERTIFICATE)

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", _("consent of the person (art. 6(1)(a), 9(2)(a) GDPR)")
        LEGAL_OBLIGATION = (
            "law",
            _("legal obligation: social assistance and social employment acts"),
        )
        PUBLIC_TASK = "public_task", _("public task (art. 6(1)(e) GDPR)")
        PROJECT_AGREEMENT = "project", _("EU project participation agreement")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    pesel = models.CharField(
        _("PESEL"),
        max_length=11,
        blank=True,
        validators=[validate_pesel],
        help_text=_("Leave empty for a person without a PESEL number (foreigner, repatriate)."),
    )
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    street = models.CharField(_("street and number"), max_length=255, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[validate_postal_code]
    )
    city = models.CharField(_("town"), max_length=100, blank=True)
    municipality = models.CharField(_("municipality (gmina)"), max_length=100, blank=True)
    # Where the person lives, as EU monitoring asks it (see kis.lib.territory).
    country = models.CharField(_("country of residence"), max_length=100, blank=True)
    voivodeship = models.CharField(
        _("voivodeship"), max_length=2, choices=Voivodeship.choices, blank=True
    )
    county = models.CharField(_("county (powiat)"), max_length=100, blank=True)
    municipality_code = models.CharField(
        _("municipality's TERYT code"),
        max_length=7,
        blank=True,
        validators=[validate_municipality_code],
        help_text=_("7 digits (TERC), e.g. 1206011; the voivodeship follows from it."),
    )
    degurba = models.CharField(
        _("degree of urbanisation (DEGURBA)"), max_length=1, choices=Degurba.choices, blank=True
    )
    citizenship = models.CharField(
        _("citizenship"), max_length=10, choices=Citizenship.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    education = models.CharField(
        _("education"), max_length=10, choices=Education.choices, blank=True
    )
    labour_status = models.CharField(
        _("labour-market status"), max_length=20, choices=LabourStatus.choices, blank=True
    )
    disability = models.CharField(
        _("disability"), max_length=20, choices=Disability.choices, blank=True, default=""
    )
    health_notes = models.TextField(
        _("health and addiction notes"),
        blank=True,
        help_text=_("Sensitive: only what the support needs."),
    )
    groups = models.ManyToManyField(
        ExclusionGroup, verbose_name=_("exclusion groups"), blank=True, related_name="participants"
    )
    # The disadvantages EU monitoring asks about ("refused to answer" allowed).
    foreign_origin = models.CharField(
        _("person of foreign origin"), max_length=10, choices=Answer.choices, blank=True
    )
    minority = models.CharField(
        _("member of a national or ethnic minority"),
        max_length=10,
        choices=Answer.choices,
        blank=True,
        help_text=_("Sensitive: ethnic origin."),
    )
    housing_exclusion = models.CharField(
        _("homeless or excluded from housing"), max_length=10, choices=Answer.choices, blank=True
    )
    legal_basis = models.CharField(
        _("legal basis for processing"), max_length=20, choices=LegalBasis.choices
    )
    legal_basis_date = models.DateField(_("date of consent / basis"))
    legal_basis_document = models.CharField(
        _("document"),
        max_length=255,
        blank=True,
        help_text=_("e.g. the signed consent form no. 12/2026, or the decision's number."),
    )
    processing_restricted = models.BooleanField(
        _("processing restricted"),
        default=False,
        help_text=_("Art. 18 GDPR: the data are kept but may not be changed or exported."),
    )
    restriction_reason = models.CharField(
        _("reason for the restriction"), max_length=255, blank=True
    )
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # Optimistic locking: a form carries the version it was opened with.
    version = models.PositiveIntegerField(default=1, editable=False)
    family: "models.ManyToManyField[Participant, FamilyLink]" = models.ManyToManyField(
        "self", through="FamilyLink", symmetrical=False, blank=True, related_name="+"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    # Folded (lower case, no diacritics) name and PESEL, so that "Wojcik" finds
    # "Wójcik" on every database. Derived in save().
    search_text = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["last_name", "first_name"]
        permissions = [
            (
                "view_sensitive_data",
                _("Can see health, addiction, disability and prison data"),
            ),
            ("view_all_participants", _("Can see every participant of the centre")),
            ("export_participant", _("Can export everything held about a person")),
            ("restrict_processing", _("Can restrict or lift the processing of a person's data")),
            ("merge_participants", _("Can merge two records of one person")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["pesel"], condition=~Q(pesel=""), name="participant_pesel_unique"
            ),
        ]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def save(self, *args, **kwargs):
        # Cut to the column: a few letters fold into many (e.g. "ﷺ" into 18).
        max_length = model_field(self, "search_text").max_length
        self.search_text = fold(f"{self.last_name} {self.first_name} {self.pesel}")[:max_length]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def third_country_national(self) -> bool | None:
        if not self.citizenship:
            return None
        return self.citizenship in Citizenship.third_country()

    def clean(self) -> None:
        """The voivodeship follows from the municipality's TERYT code; with a PESEL,
        birth date and sex come from it; entered values must agree."""
        errors = {}
        voivodeship = voivodeship_of(self.municipality_code)
        if voivodeship and not self.voivodeship:
            self.voivodeship = voivodeship
        elif voivodeship and self.voivodeship != voivodeship:
            errors["voivodeship"] = _(
                "The municipality's TERYT code lies in the voivodeship %(name)s."
            ) % {"name": Voivodeship(voivodeship).label}
        if not self.pesel or not stdnum_pesel.is_valid(self.pesel):
            if errors:
                raise ValidationError(errors)
            return
        birth_date = stdnum_pesel.get_birth_date(self.pesel)
        sex = Sex.FEMALE if stdnum_pesel.get_gender(self.pesel) == "F" else Sex.MALE
        if self.birth_date and self.birth_date != birth_date:
            errors["birth_date"] = _("The PESEL number gives the date of birth %(date)s.") % {
                "date": birth_date.strftime("%d.%m.%Y")
            }
        if self.sex and self.sex != sex:
            errors["sex"] = _("The PESEL number gives the sex: %(sex)s.") % {"sex": Sex(sex).label}
        if errors:
            raise ValidationError(errors)
        self.birth_date, self.sex = birth_date, sex


class FamilyLink(TimeStampedModel):
    """A member of the participant's family or surroundings who is supported too."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("spouse / partner")
        CHILD = "child", _("child")
        PARENT = "parent", _("parent")
        SIBLING = "sibling", _("brother / sister")
        OTHER = "other", _("other relative or household member")

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="family_links",
    )
    relative = models.ForeignKey(
        Participant,
        verbose_name=_("family member"),
        on_delete=models.CASCADE,
        related_name="family_links_as_relative",
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        constraints = [
            models.UniqueConstraint(fields=["participant", "relative"], name="family_link_unique"),
            models.CheckConstraint(
                condition=~Q(participant=F("relative")), name="family_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.relative} ({self.get_relation_display()})"


class DropoutReason(TimeStampedModel):
    """Why a person dropped out (the Brzeszcze 2014 summary's reasons and others the
    centre adds). Editable catalogue."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(
        _("code"),
        max_length=50,
        blank=True,
        help_text=_("Used by the application to find a reason, e.g. other. Do not change."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("drop-out reason")
        verbose_name_plural = _("drop-out reasons")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="dropout_reason_code_unique"
            ),
        ]

    # Codes the application relies on.
    OTHER = "other"

    def __str__(self) -> str:
        return self.name


class Enrolment(TimeStampedModel):
    """A participant's participation in one project (or the club's own programme).

    Its status is the latest of its events; the events keep the whole history
    (drop-out, job, return, completion)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        COMPLETED = "completed", _("completed")
        DROPPED_OUT = "dropped_out", _("dropped out")
        LEFT_FOR_JOB = "left_for_job", _("left for a job")

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    start_date = models.DateField(_("start date"))
    referred_from = models.ForeignKey(
        "projects.Project",
        verbose_name=_("referred from project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        help_text=_("e.g. a project participant referred to the club."),
    )
    referral_note = models.CharField(
        _("referral"),
        max_length=255,
        blank=True,
        help_text=_("Who referred the person, e.g. the social worker or the labour office."),
    )
    labour_status_at_start = models.CharField(
        _("labour-market status on joining"),
        max_length=20,
        choices=Participant.LabourStatus.choices,
        blank=True,
        help_text=_("As on the day of joining the project (EU monitoring asks for it)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    status_date = models.DateField(_("status since"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "project"], name="enrolment_once_per_project"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="enrolment_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=Q(status_date__gte=F("start_date")),
                name="enrolment_status_not_before_start",
            ),
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return f"{self.participant} – {self.project}"

    def clean(self) -> None:
        project = getattr(self, "project", None)
        if (
            project
            and self.start_date
            and not (project.start_date <= self.start_date <= project.end_date)
        ):
            raise ValidationError(
                {
                    "start_date": _("The date must lie within the project: %(start)s – %(end)s.")
                    % {
                        "start": project.start_date.strftime("%d.%m.%Y"),
                        "end": project.end_date.strftime("%d.%m.%Y"),
                    }
                }
            )
        if self.referred_from_id and self.referred_from_id == getattr(project, "pk", None):
            raise ValidationError(
                {"referred_from": _("A project cannot refer a person to itself.")}
            )


class EnrolmentEvent(TimeStampedModel):
    """One change of an enrolment's status, kept for the history and the reports."""

    class Kind(models.TextChoices):
        STARTED = "started", _("started")
        DROPPED_OUT = "dropped_out", _("dropped out")
        LEFT_FOR_JOB = "left_for_job", _("left for a job")
        RETURNED = "returned", _("returned after a job")
        COMPLETED = "completed", _("completed")

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    reason = models.ForeignKey(
        DropoutReason,
        verbose_name=_("drop-out reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    situation = models.CharField(
        _("situation on leaving"),
        max_length=20,
        choices=ExitSituation.choices,
        blank=True,
        help_text=_(
            "Where the person went on leaving (EU monitoring collects it within four weeks)."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The events that end taking part: the person's situation on leaving belongs to them.
    EXITS = (Kind.DROPPED_OUT, Kind.LEFT_FOR_JOB, Kind.COMPLETED)

    class Meta:
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment history")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="dropped_out", reason__isnull=False)
                | (~Q(kind="dropped_out") & Q(reason__isnull=True)),
                name="event_reason_only_for_dropout",
            ),
            models.CheckConstraint(
                condition=Q(situation="")
                | Q(kind__in=["dropped_out", "left_for_job", "completed"]),
                name="event_situation_only_on_leaving",
            ),
        ]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}"


class Diagnosis(TimeStampedModel):
    """The diagnosis of needs and the individual action plan (IPD) drawn up after it."""

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="diagnoses",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="diagnoses",
    )
    date = models.DateField(_("date"))
    staff = models.ManyToManyField(
        "projects.StaffMember",
        verbose_name=_("diagnosed by"),
        blank=True,
        related_name="diagnoses",
        help_text=_("e.g. the psychologist and the career advisor."),
    )
    needs = models.TextField(_("needs found"))
    has_action_plan = models.BooleanField(_("individual action plan drawn up"), default=True)

    class Meta:
        verbose_name = _("diagnosis and action plan")
        verbose_name_plural = _("diagnoses and action plans")
        ordering = ["-date"]

    def __str__(self) -> str:
        return _("Diagnosis of %(date)s") % {"date": self.date.strftime("%d.%m.%Y")}


class Goal(TimeStampedModel):
    """A goal of the individual action plan."""

    diagnosis = models.ForeignKey(
        Diagnosis, verbose_name=_("diagnosis"), on_delete=models.CASCADE, related_name="goals"
    )
    description = models.CharField(_("goal"), max_length=500)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    achieved = models.BooleanField(_("achieved"), null=True, blank=True)
    achieved_date = models.DateField(_("date achieved"), null=True, blank=True)

    class Meta:
        verbose_name = _("action plan goal")
        verbose_name_plural = _("action plan goals")
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        if self.achieved_date and not self.achieved:
            raise ValidationError(
                {"achieved": _("A date achieved is given: mark the goal as achieved.")}
            )


class Employment(TimeStampedModel):
    """A job the participant took up."""

    class Contract(models.TextChoices):
        EMPLOYMENT = "employment", _("employment contract")
        MANDATE = "mandate", _("contract of mandate")
        SPECIFIC_WORK = "specific_work", _("contract for specific work")
        SELF_EMPLOYMENT = "self_employment", _("own business")
        SOCIAL_COOPERATIVE = "cooperative", _("social cooperative")
        SEASONAL = "seasonal", _("seasonal work")
        OTHER = "other", _("other")

    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant"),
        on_delete=models.CASCADE,
        related_name="employments",
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employments",
        help_text=_("The project the person left for this job, if any."),
    )
    start_date = models.DateField(_("date started"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    employer = models.CharField(_("employer"), max_length=255)
    contract = models.CharField(_("kind of contract"), max_length=20, choices=Contract.choices)
    is_long_term = models.BooleanField(
        _("longer-term job"),
        default=False,
        help_text=_("Unchecked: short-term (up to 3 months)."),
    )
    after_internship = models.BooleanField(_("after an internship"), default=False)
    after_socially_useful_work = models.BooleanField(_("after socially useful work"), default=False)

    class Meta:
        verbose_name = _("job taken")
        verbose_name_plural = _("jobs taken")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="employment_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer} ({self.start_date:%d.%m.%Y})"
