"""What the club runs and what it spends: the centre, funding programmes, projects with
their indicators, budgets and expenditures, and the staff."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from kis.lib.formats import format_money, format_percent
from kis.lib.models import DecimalField, TimeStampedModel
from kis.lib.numbers import percentage
from kis.lib.territory import Degurba, Voivodeship, validate_municipality_code, voivodeship_of
from kis.lib.validators import validate_krs, validate_nip, validate_postal_code, validate_regon
from participants.models.outcomes import SCHEDULED, FollowUpKind, SituationGroup
from projects import voivodeships

ZERO = Decimal("0.00")
MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(ZERO)]
# PostgreSQL refuses NUL in text; forms refuse it, services calling full_clean() too.
NO_NUL = ProhibitNullCharactersValidator()


def validate_number_pattern(value: str) -> None:
    """A numbering pattern needs {n}, and knows no other placeholder than {rok}."""
    if "{n}" not in value:
        raise ValidationError(_("The pattern must contain {n}, the next number."))
    if re.sub(r"\{n\}|\{rok\}", "", value).count("{"):
        raise ValidationError(_("Only {n} (the number) and {rok} (the year) can be used."))


class Organisation(TimeStampedModel):
    """The welfare centre running the club. There is exactly one: it heads every page
    and report."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    name = models.CharField(
        _("centre's full name"),
        max_length=255,
        help_text=_("e.g. Ośrodek Pomocy Społecznej w Brzeszczach"),
    )
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, help_text=_("e.g. OPS")
    )
    street = models.CharField(_("street and number"), max_length=255, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=6, blank=True, validators=[validate_postal_code]
    )
    city = models.CharField(_("town"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[validate_nip])
    krs = models.CharField(
        _("KRS"),
        max_length=10,
        blank=True,
        validators=[validate_krs],
        help_text=_("Only for an NGO running the club."),
    )
    club_name = models.CharField(
        _("club's name"), max_length=255, default="Klub Integracji Społecznej"
    )
    club_manager = models.CharField(_("club's manager"), max_length=150, blank=True)
    contract_number_pattern = models.CharField(
        _("social contract numbers"),
        max_length=50,
        default="KS/{n}/{rok}",
        validators=[validate_number_pattern],
        help_text=_(
            "How a new social contract's number is proposed: {n} is the next number in "
            "the year, {rok} the year, e.g. KS/{n}/{rok} gives KS/7/2026."
        ),
    )
    director = models.CharField(_("centre's director"), max_length=150, blank=True)
    logo = models.ImageField(_("logo"), upload_to="logo/", blank=True)
    # The data protection officer (art. 37 GDPR), named in the information clause
    # (art. 13(1)(b)) every participant signs. Empty: the clause prints a blank line.
    dpo_name = models.CharField(_("data protection officer"), max_length=150, blank=True)
    dpo_email = models.EmailField(_("data protection officer's e-mail"), blank=True)
    dpo_phone = models.CharField(_("data protection officer's phone"), max_length=50, blank=True)
    # The centre's territory: the default address area of a new participant, since most
    # live in the centre's municipality (EU monitoring asks for each of these). The
    # report to the voivode is addressed to this voivodeship's voivode.
    voivodeship = models.CharField(
        _("voivodeship"), max_length=2, choices=Voivodeship.choices, blank=True
    )
    county = models.CharField(_("county (powiat)"), max_length=100, blank=True)
    municipality = models.CharField(_("municipality (gmina)"), max_length=100, blank=True)
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

    class Meta:
        verbose_name = _("centre and club profile")
        verbose_name_plural = _("centre and club profile")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="organisation_single_record"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return ", ".join(part for part in (self.street, town) if part)

    @property
    def voivode(self) -> "voivodeships.Voivode | None":
        """The voivode the club reports to (art. 18a(6)) and the office, by the centre's
        voivodeship."""
        return voivodeships.VOIVODES.get(self.voivodeship)

    def clean(self) -> None:
        voivodeship = voivodeship_of(self.municipality_code)
        if voivodeship and not self.voivodeship:
            self.voivodeship = voivodeship
        elif voivodeship and self.voivodeship != voivodeship:
            raise ValidationError(
                {
                    "voivodeship": _(
                        "The municipality's TERYT code lies in the voivodeship %(name)s."
                    )
                    % {"name": Voivodeship(voivodeship).label}
                }
            )


class FundingProgramme(TimeStampedModel):
    class Kind(models.TextChoices):
        EU = "eu", _("EU funds")
        STATE = "state", _("state budget / ministry")
        PFRON = "pfron", _("PFRON")
        MUNICIPALITY = "municipality", _("municipality's own funds")
        OTHER = "other", _("other")

    name = models.CharField(
        _("name"),
        max_length=255,
        help_text=_("e.g. Regionalny Program Operacyjny Województwa Małopolskiego 2014-2020"),
    )
    short_name = models.CharField(
        _("short name"), max_length=50, unique=True, help_text=_("e.g. RPO WM")
    )
    kind = models.CharField(_("kind of funding"), max_length=20, choices=Kind.choices)
    priority = models.CharField(_("priority axis"), max_length=255, blank=True)
    measure = models.CharField(_("measure"), max_length=255, blank=True)
    action = models.CharField(_("sub-measure / action"), max_length=255, blank=True)
    max_cofinancing_rate = DecimalField(
        _("maximum co-financing rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
        help_text=_("e.g. 60 for PFRON; empty if the programme sets none."),
    )
    institution = models.CharField(_("managing institution"), max_length=255, blank=True)
    retention_years = models.PositiveSmallIntegerField(
        _("years to keep the documents"),
        default=5,
        help_text=_(
            "Counted from 31 December of the year of the last payment (or of the project's "
            "end). 2021-2027 EU projects: 5 years."
        ),
    )
    logo_strip = models.ImageField(
        _("logo strip"),
        upload_to="funding-logos/",
        blank=True,
        help_text=_(
            "The logos the programme requires on documents (e.g. the European Funds, the "
            "Republic of Poland, the EU): one wide image, printed at the top of every page "
            "of its projects' papers."
        ),
    )

    class Meta:
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        ordering = ["short_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_cofinancing_rate__isnull=True)
                | Q(max_cofinancing_rate__gte=0, max_cofinancing_rate__lte=100),
                name="programme_rate_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name


class Project(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ACTIVE = "active", _("in progress")
        FINISHED = "finished", _("finished")
        SETTLED = "settled", _("settled")

    title = models.CharField(_("title"), max_length=255)
    number = models.CharField(
        _("project number"),
        max_length=100,
        blank=True,
        help_text=_("e.g. RPMP.09.01.01-12-0032/16"),
    )
    programme = models.ForeignKey(
        FundingProgramme,
        verbose_name=_("funding programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        help_text=_("Empty for the club's own programme without external funding."),
    )
    is_club_programme = models.BooleanField(
        _("the club's own programme"),
        default=False,
        help_text=_("The KIS's year-round reintegration programme rather than a funded project."),
    )
    funding_decision = models.CharField(
        _("funding decision"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Uchwała Nr 921/16 Zarządu Województwa Małopolskiego"),
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    ranking_position = models.PositiveIntegerField(
        _("place on the ranking list"),
        null=True,
        blank=True,
        help_text=_("In a funding competition, e.g. 15 (of 56)."),
    )
    ranking_total = models.PositiveIntegerField(
        _("projects on the ranking list"), null=True, blank=True
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    total_value = DecimalField(_("total value"), **MONEY, validators=NON_NEGATIVE)
    cofinancing = DecimalField(_("co-financing"), **MONEY, default=ZERO, validators=NON_NEGATIVE)
    own_contribution = DecimalField(
        _("own contribution"), **MONEY, default=ZERO, validators=NON_NEGATIVE
    )
    target_participants = models.PositiveIntegerField(
        _("target number of participants"), null=True, blank=True
    )
    target_groups = models.TextField(_("target groups"), blank=True)
    partners = models.TextField(_("partners"), blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    follows_up = models.BooleanField(
        _("follow up participants after they leave"),
        default=True,
        help_text=_(
            "Their situation 4 weeks, 3 and 6 months after leaving is to be recorded (EU "
            "projects): the list of follow-ups due shows them."
        ),
    )
    last_payment_date = models.DateField(
        _("date of the last payment"),
        null=True,
        blank=True,
        help_text=_("The retention period runs from the end of this year."),
    )
    keep_until = models.DateField(
        _("keep personal data until"),
        null=True,
        blank=True,
        help_text=_("Empty: computed from the programme's rule (see retention_until)."),
    )
    logo_strip = models.ImageField(
        _("logo strip"),
        upload_to="funding-logos/",
        blank=True,
        help_text=_(
            "Only if the project's logos differ from its programme's (e.g. a partner's "
            "logo added). Empty: the programme's logo strip."
        ),
    )
    staff: "models.ManyToManyField[StaffMember, ProjectStaff]" = models.ManyToManyField(
        "StaffMember",
        through="ProjectStaff",
        verbose_name=_("team"),
        related_name="projects",
        blank=True,
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "title"]
        permissions = [("view_budget", _("Can see project budgets and spending"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="project_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(total_value__gte=0, cofinancing__gte=0, own_contribution__gte=0),
                name="project_amounts_non_negative",
            ),
            # Rounded so that SQLite, which keeps decimals as floating point, compares
            # to the grosz like PostgreSQL does.
            models.CheckConstraint(
                condition=Q(total_value=Round(F("cofinancing") + F("own_contribution"), 2)),
                name="project_value_is_cofinancing_plus_own",
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="project_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(ranking_position__isnull=True)
                | Q(ranking_total__isnull=True)
                | Q(ranking_position__lte=F("ranking_total")),
                name="project_ranking_within_list",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # A finished or settled project takes nobody new: its figures are final.
    CLOSED_STATUSES = (Status.FINISHED, Status.SETTLED)

    @property
    def accepts_enrolments(self) -> bool:
        return self.status not in self.CLOSED_STATUSES

    @property
    def is_eu_funded(self) -> bool:
        return self.programme is not None and self.programme.kind == FundingProgramme.Kind.EU

    @property
    def funding_strip(self) -> "models.fields.files.ImageFieldFile":
        """The logo strip printed on the project's papers: its own, else its programme's
        (an empty file field when neither has one). EU-funded projects must carry it on
        every document given to participants."""
        if self.logo_strip or self.programme is None:
            return self.logo_strip
        return self.programme.logo_strip

    @property
    def cofinancing_rate(self) -> Decimal | None:
        return percentage(self.cofinancing, self.total_value)

    @property
    def retention_until(self):
        """The day after which the project's participants' data may be anonymised:
        the date set on the project, else 31 December of the year of the last payment
        (or of the end) plus the programme's years (5 without a programme)."""
        if self.keep_until:
            return self.keep_until
        years = self.programme.retention_years if self.programme else 5
        base = (self.last_payment_date or self.end_date).year
        return date(base + years, 12, 31)

    def years(self) -> list[int]:
        return list(range(self.start_date.year, self.end_date.year + 1))

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        amounts = (self.total_value, self.cofinancing, self.own_contribution)
        if all(a is not None for a in amounts) and self.total_value != (
            self.cofinancing + self.own_contribution
        ):
            errors["total_value"] = _(
                "The total value must equal co-financing plus own contribution, to the "
                "grosz: %(cofinancing)s + %(own)s = %(sum)s."
            ) % {
                "cofinancing": format_money(self.cofinancing),
                "own": format_money(self.own_contribution),
                "sum": format_money(self.cofinancing + self.own_contribution),
            }
        if (
            self.ranking_position
            and self.ranking_total
            and self.ranking_position > self.ranking_total
        ):
            errors["ranking_position"] = _("The place cannot be beyond the length of the list.")
        rate = self.programme.max_cofinancing_rate if self.programme else None
        if (
            rate is not None
            and self.total_value
            and self.cofinancing is not None
            and self.cofinancing * 100 > self.total_value * rate
        ):
            errors["cofinancing"] = _(
                "Co-financing is %(actual)s of the total value; the programme allows at "
                "most %(rate)s."
            ) % {"actual": format_percent(self.cofinancing_rate), "rate": format_percent(rate)}
        if errors:
            raise ValidationError(errors)


class Indicator(TimeStampedModel):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("output")
        RESULT = "result", _("result")

    class Nature(models.TextChoices):
        HARD = "hard", _("hard")
        SOFT = "soft", _("soft")

    class Measure(models.TextChoices):
        MANUAL = "manual", _("entered by hand (value, date and source)")
        PARTICIPANTS = "participants", _("people enrolled in the project")
        ACTION_PLAN = "action_plan", _("% of participants with an individual action plan")
        COMPLETED = "completed", _("% of participants who completed")
        JOBS = "jobs", _("people who left for a job")
        CONTRACTS = "contracts", _("people with a social contract")
        QUESTIONNAIRE = (
            "questionnaire",
            _("people whose questionnaire score improved (exit against entry)"),
        )
        FOLLOW_UP = "follow_up", _("situation after leaving (follow-ups)")

    class Unit(models.TextChoices):
        PERSONS = "persons", _("persons")
        PERCENT = "percent", _("% of participants")
        PIECES = "pieces", _("pieces")
        HOURS = "hours", _("hours")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RESULT)
    nature = models.CharField(
        _("hard / soft"), max_length=10, choices=Nature.choices, default=Nature.HARD
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.PERSONS)
    measure = models.CharField(
        _("measured from"),
        max_length=20,
        choices=Measure.choices,
        default=Measure.MANUAL,
        help_text=_("Where the project report takes the achieved value from."),
    )
    target_total = DecimalField(
        _("target"), max_digits=10, decimal_places=2, validators=NON_NEGATIVE
    )
    target_women = DecimalField(
        _("target: women"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    target_men = DecimalField(
        _("target: men"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    questionnaire = models.ForeignKey(
        "participants.Questionnaire",
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text=_("For a soft result: the questionnaire filled at entry and at exit."),
    )
    questionnaire_area = models.CharField(
        _("area of the questionnaire"),
        max_length=100,
        blank=True,
        help_text=_("Only the questions of this area count (e.g. motywacja); empty: all."),
    )
    follow_up_kind = models.CharField(
        _("follow-up"),
        max_length=10,
        choices=[(k, label) for k, label in FollowUpKind.choices if k in SCHEDULED],
        blank=True,
        help_text=_("For a result after leaving: which follow-up counts."),
    )
    follow_up_situation = models.CharField(
        _("situation counted"),
        max_length=30,
        choices=SituationGroup.choices,
        blank=True,
    )
    measurement = models.CharField(
        _("how it is measured"),
        max_length=255,
        blank=True,
        help_text=_("e.g. number of action plans drawn up; copy of the certificate"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_total__gte=0), name="indicator_target_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def by_sex(self) -> bool:
        """Whether the indicator's target is split into women and men."""
        return self.target_women is not None or self.target_men is not None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if (
            self.unit == self.Unit.PERCENT
            and self.target_total is not None
            and self.target_total > 100
        ):
            errors["target_total"] = _("A percentage cannot exceed 100.")
        elif (
            self.unit == self.Unit.PERSONS
            and self.target_total is not None
            and self.target_women is not None
            and self.target_men is not None
            and self.target_women + self.target_men != self.target_total
        ):
            errors["target_total"] = _("Women and men must add up to the total target.")
        measured_from_people = (self.Measure.QUESTIONNAIRE, self.Measure.FOLLOW_UP)
        if self.measure in measured_from_people and self.unit not in (
            self.Unit.PERSONS,
            self.Unit.PERCENT,
        ):
            errors["unit"] = _("This indicator counts people: persons or % of them.")
        if self.measure == self.Measure.QUESTIONNAIRE:
            if self.questionnaire_id is None:
                errors["questionnaire"] = _("Choose the questionnaire it is measured from.")
            elif self.questionnaire_area and self.questionnaire is not None:
                areas = set(self.questionnaire.questions.values_list("area", flat=True)) - {""}
                if self.questionnaire_area not in areas:
                    errors["questionnaire_area"] = _(
                        "The questionnaire has no questions of this area. Its areas: %(areas)s."
                    ) % {"areas": ", ".join(sorted(areas)) or "–"}
        elif self.questionnaire_id is not None or self.questionnaire_area:
            errors["questionnaire"] = _(
                "A questionnaire is chosen only for an indicator measured from questionnaires."
            )
        if self.measure == self.Measure.FOLLOW_UP:
            if not self.follow_up_kind:
                errors["follow_up_kind"] = _("Choose the follow-up it is measured from.")
            if not self.follow_up_situation:
                errors["follow_up_situation"] = _("Choose the situation it counts.")
        elif self.follow_up_kind or self.follow_up_situation:
            errors["follow_up_kind"] = _(
                "A follow-up is chosen only for an indicator measured from follow-ups."
            )
        if errors:
            raise ValidationError(errors)


class IndicatorValue(TimeStampedModel):
    """The achieved value of an indicator entered by hand (one measured by no selector:
    e.g. qualifications gained, from the certificates), as of a day and from a document.
    Values are kept as a history: the project report shows the latest one dated on or
    before the report's date."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="values",
    )
    date = models.DateField(_("as of"), help_text=_("The day the value was established."))
    value_total = DecimalField(
        _("achieved value"), max_digits=10, decimal_places=2, validators=NON_NEGATIVE
    )
    value_women = DecimalField(
        _("achieved: women"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    value_men = DecimalField(
        _("achieved: men"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    source = models.CharField(
        _("source (document)"),
        max_length=255,
        validators=[NO_NUL],
        help_text=_("e.g. zestawienie zaświadczeń z 30.06.2026, protokół nr 3/2026"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True, validators=[NO_NUL])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("achieved value of an indicator")
        verbose_name_plural = _("achieved values of indicators")
        ordering = ["indicator", "-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_total__gte=0)
                & (Q(value_women__isnull=True) | Q(value_women__gte=0))
                & (Q(value_men__isnull=True) | Q(value_men__gte=0)),
                name="indicator_value_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value_total} ({self.date:%d.%m.%Y})"

    def clean(self) -> None:
        indicator = getattr(self, "indicator", None)
        if indicator is None:
            return
        errors: dict[str, Any] = {}
        values = (self.value_total, self.value_women, self.value_men)
        if indicator.unit == Indicator.Unit.PERCENT and any(
            v is not None and v > 100 for v in values
        ):
            errors["value_total"] = _("A percentage cannot exceed 100.")
        if indicator.by_sex:
            for name in ("value_women", "value_men"):
                if getattr(self, name) is None:
                    errors[name] = _("The indicator is split by sex: enter this value too.")
        if (
            indicator.unit == Indicator.Unit.PERSONS
            and self.value_total is not None
            and self.value_women is not None
            and self.value_men is not None
            and self.value_women + self.value_men != self.value_total
        ):
            errors["value_total"] = _("Women and men must add up to the total.")
        project = indicator.project
        if self.date and self.date < project.start_date:
            errors["date"] = _("The date is before the project's start (%(date)s).") % {
                "date": project.start_date.strftime("%d.%m.%Y")
            }
        if errors:
            raise ValidationError(errors)


class BudgetCategory(TimeStampedModel):
    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("budget category")
        verbose_name_plural = _("budget categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class BudgetLine(TimeStampedModel):
    """What a project plans to spend in one category in one year."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.ForeignKey(
        BudgetCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    planned_amount = DecimalField(_("planned amount"), **MONEY, validators=NON_NEGATIVE)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["project", "year", "category__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "category", "year"], name="budget_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(planned_amount__gte=0), name="budget_line_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} – {self.category} {self.year}"

    def clean(self) -> None:
        project = getattr(self, "project", None)
        if not (project and self.year and project.start_date and project.end_date):
            return
        if not project.start_date.year <= self.year <= project.end_date.year:
            raise ValidationError(
                {
                    "year": _("The project runs from %(start)s to %(end)s.")
                    % {"start": project.start_date.year, "end": project.end_date.year}
                }
            )


class Expenditure(TimeStampedModel):
    class Source(models.TextChoices):
        EU = "eu", _("EU")
        STATE = "state", _("state budget")
        MUNICIPALITY = "municipality", _("municipality")
        PFRON = "pfron", _("PFRON")
        OTHER = "other", _("other")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="expenditures"
    )
    category = models.ForeignKey(
        BudgetCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    amount = DecimalField(_("amount"), **MONEY)
    source = models.CharField(_("funding source"), max_length=20, choices=Source.choices)
    document_number = models.CharField(
        _("document number"), max_length=100, blank=True, validators=[NO_NUL]
    )
    description = models.CharField(
        _("description"), max_length=255, blank=True, validators=[NO_NUL]
    )

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["project", "date", "pk"]
        indexes = [models.Index(fields=["project", "date"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.category}: {self.amount}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.amount is not None and (not self.amount.is_finite() or self.amount <= 0):
            errors["amount"] = _("The amount must be greater than zero.")
        project = getattr(self, "project", None)
        has_dates = project and self.date and project.start_date and project.end_date
        if project and has_dates and not project.start_date <= self.date <= project.end_date:
            errors["date"] = _(
                "The date is outside the project (%(start)s – %(end)s): such a cost "
                "cannot be charged to it."
            ) % {
                "start": project.start_date.strftime("%d.%m.%Y"),
                "end": project.end_date.strftime("%d.%m.%Y"),
            }
        if errors:
            raise ValidationError(errors)


class StaffMember(TimeStampedModel):
    class Role(models.TextChoices):
        MANAGER = "manager", _("club manager")
        PSYCHOLOGIST = "psychologist", _("psychologist")
        SOCIAL_WORKER = "social_worker", _("social worker")
        CAREER_ADVISOR = "career_advisor", _("career advisor")
        LAWYER = "lawyer", _("lawyer")
        TRAINER = "trainer", _("trainer")
        THERAPIST = "therapist", _("therapist")
        IT = "it", _("IT specialist")
        VOLUNTEER = "volunteer", _("volunteer")
        OTHER = "other", _("other")

    class Employment(models.TextChoices):
        EMPLOYMENT_CONTRACT = "employment", _("employment contract")
        MANDATE = "mandate", _("contract of mandate")
        SPECIFIC_WORK = "specific_work", _("contract for specific work")
        SELF_EMPLOYED = "self_employed", _("own business (invoice)")
        VOLUNTEER = "volunteer", _("volunteer agreement")

    class Sex(models.TextChoices):
        FEMALE = "F", _("woman")
        MALE = "M", _("man")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Blank only for records from before it was asked: the report to the voivode counts
    # volunteers by sex.
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    employment_type = models.CharField(
        _("type of employment"), max_length=20, choices=Employment.choices
    )
    hours_per_week = DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("80"))],
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
    )
    is_active = models.BooleanField(_("active"), default=True)
    works_since = models.DateField(
        _("in the club since"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: since before the first report. The report to the voivode counts "
            "the staff of its year."
        ),
    )
    works_until = models.DateField(
        _("in the club until"),
        null=True,
        blank=True,
        help_text=_("Fill in when the person leaves (rather than only unticking “active”)."),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0, hours_per_week__lte=80),
                name="staff_hours_0_80",
            ),
            models.CheckConstraint(
                condition=Q(works_until__isnull=True)
                | Q(works_since__isnull=True)
                | Q(works_until__gte=F("works_since")),
                name="staff_until_not_before_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.get_role_display()})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_volunteer(self) -> bool:
        return self.employment_type == self.Employment.VOLUNTEER

    def clean(self) -> None:
        if self.works_since and self.works_until and self.works_until < self.works_since:
            raise ValidationError(
                {"works_until": _("The end date cannot be before the start date.")}
            )


class ProjectStaff(TimeStampedModel):
    """A staff member's part in a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="assignments"
    )
    staff_member = models.ForeignKey(
        StaffMember,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    role = models.CharField(
        _("role in the project"),
        max_length=20,
        choices=StaffMember.Role.choices,
        blank=True,
        help_text=_("Empty: the staff member's usual role."),
    )
    hours_per_week = DecimalField(
        _("hours per week in the project"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("80"))],
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("project team")
        ordering = ["project", "staff_member__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "staff_member"], name="project_staff_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_member.full_name} – {self.project}"

    @property
    def effective_role(self) -> str:
        return self.get_role_display() if self.role else self.staff_member.get_role_display()
