"""What came of the support, beyond the enrolment's history: questionnaires filled at
entry and at exit (soft results), and follow-up contacts after a person left a project
(the situation 4 weeks, 3 and 6 months after leaving that EU projects report)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kis.lib.dates import add_months
from kis.lib.models import TimeStampedModel

# --- questionnaires ----------------------------------------------------------------------


class Questionnaire(TimeStampedModel):
    """A questionnaire an administrator defines: its scale (the points and their labels)
    and its questions. Filled for a person's enrolment at entry and at exit; comparing the
    two measures soft results (Więcbork: "ankiety porównawcze w momencie rozpoczęcia zajęć
    i po ich ukończeniu")."""

    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        help_text=_("e.g. Ankieta kompetencji społecznych i motywacji"),
    )
    instructions = models.TextField(
        _("instructions"),
        blank=True,
        help_text=_("Shown above the questions, e.g. how the person should answer."),
    )
    projects = models.ManyToManyField(
        "projects.Project",
        verbose_name=_("used in projects"),
        blank=True,
        related_name="questionnaires",
        help_text=_("Empty: offered in every project."),
    )
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("A questionnaire no longer in use is not offered for new answers."),
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def offered_in(self, project_id: int) -> bool:
        """Whether the questionnaire is offered in a project (from prefetched projects)."""
        projects = self.projects.all()
        return not projects or any(p.pk == project_id for p in projects)


class ScalePoint(TimeStampedModel):
    """One point of a questionnaire's answer scale, e.g. 1 – zdecydowanie się nie zgadzam."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="points",
    )
    value = models.PositiveSmallIntegerField(
        _("points"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    label = models.CharField(_("label"), max_length=100, help_text=_("e.g. raczej się zgadzam"))

    class Meta:
        verbose_name = _("point of the scale")
        verbose_name_plural = _("scale")
        ordering = ["questionnaire", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "value"], name="scale_point_unique_value"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0, value__lte=10), name="scale_point_0_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} – {self.label}"


class Question(TimeStampedModel):
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=500)
    area = models.CharField(
        _("area"),
        max_length=100,
        blank=True,
        help_text=_(
            "e.g. umiejętności społeczne; an indicator may count the questions of one area only."
        ),
    )
    reverse = models.BooleanField(
        _("counted in reverse"),
        default=False,
        help_text=_(
            "A lower answer is the better one (e.g. “I often feel helpless”): its points "
            "are reversed in the score. Cannot be changed once the question is answered."
        ),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class QuestionnaireResponse(TimeStampedModel):
    """A questionnaire filled for a person's enrolment, at entry or at exit (once each)."""

    class Moment(models.TextChoices):
        ENTRY = "entry", _("at entry")
        EXIT = "exit", _("at exit")

    enrolment = models.ForeignKey(
        "participants.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="questionnaire_responses",
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    moment = models.CharField(_("when"), max_length=10, choices=Moment.choices)
    date = models.DateField(_("date filled"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("filled questionnaire")
        verbose_name_plural = _("filled questionnaires")
        ordering = ["enrolment", "questionnaire", "moment"]  # "entry" before "exit"
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "questionnaire", "moment"],
                name="questionnaire_once_per_moment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} – {self.get_moment_display()}, {self.date:%d.%m.%Y}"


class QuestionnaireAnswer(TimeStampedModel):
    """The points a person chose for one question (the scale's value as chosen; a
    question counted in reverse is reversed when scores are compared)."""

    response = models.ForeignKey(
        QuestionnaireResponse,
        verbose_name=_("filled questionnaire"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    value = models.PositiveSmallIntegerField(_("answer (points)"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response", "question__order", "question"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
            models.CheckConstraint(condition=Q(value__lte=10), name="answer_at_most_10"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


# --- follow-up after exit ------------------------------------------------------------------


class FollowUpKind(models.TextChoices):
    WEEKS_4 = "4w", _("4 weeks after leaving")
    MONTHS_3 = "3m", _("3 months after leaving")
    MONTHS_6 = "6m", _("6 months after leaving")
    OTHER = "other", _("other contact")


class Situation(models.TextChoices):
    # Said as what the person does (gender-neutral in Polish): "zatrudnienie", not
    # "pracujący".
    EMPLOYED = "employed", pgettext_lazy("situation after leaving", "employed")
    SELF_EMPLOYED = "self_employed", pgettext_lazy("situation after leaving", "self-employed")
    JOB_SEEKING = "job_seeking", pgettext_lazy("situation after leaving", "job-seeking")
    EDUCATION = "education", pgettext_lazy("situation after leaving", "in education or training")
    INACTIVE = "inactive", pgettext_lazy("situation after leaving", "inactive")
    NO_CONTACT = "no_contact", pgettext_lazy("situation after leaving", "no contact")


class SituationGroup(models.TextChoices):
    """What a follow-up indicator counts: the situations of each group."""

    EMPLOYMENT = "employment", _("in employment, including self-employment")
    EMPLOYMENT_OR_SEEKING = "employment_or_seeking", _("in employment or job-seeking")
    ACTIVE = (
        "active",
        _("in employment, job-seeking, or in education or training"),
    )
    JOB_SEEKING = "job_seeking", pgettext_lazy("people counted", "job-seeking")
    EDUCATION = "education", pgettext_lazy("people counted", "in education or training")


SITUATION_GROUPS: dict[str, tuple[str, ...]] = {
    SituationGroup.EMPLOYMENT: (Situation.EMPLOYED, Situation.SELF_EMPLOYED),
    SituationGroup.EMPLOYMENT_OR_SEEKING: (
        Situation.EMPLOYED,
        Situation.SELF_EMPLOYED,
        Situation.JOB_SEEKING,
    ),
    SituationGroup.ACTIVE: (
        Situation.EMPLOYED,
        Situation.SELF_EMPLOYED,
        Situation.JOB_SEEKING,
        Situation.EDUCATION,
    ),
    SituationGroup.JOB_SEEKING: (Situation.JOB_SEEKING,),
    SituationGroup.EDUCATION: (Situation.EDUCATION,),
}

# How long after leaving each scheduled follow-up asks about, in months (0: on leaving).
SCHEDULE_MONTHS: dict[str, int] = {
    FollowUpKind.WEEKS_4: 0,
    FollowUpKind.MONTHS_3: 3,
    FollowUpKind.MONTHS_6: 6,
}
SCHEDULED = tuple(SCHEDULE_MONTHS)
# Every follow-up is to be made within four weeks of the day it asks about (ESF+: result
# data within 4 weeks of leaving).
WITHIN = timedelta(weeks=4)


@dataclass(frozen=True)
class Window:
    """When a scheduled follow-up can be made: from `opens` (the day it asks about), and
    by `due`; after that it is overdue."""

    opens: date
    due: date


def follow_up_window(kind: str, exit_date: date) -> Window:
    """THE schedule of follow-ups (the list of those due, the form's check, the card and
    the project report): 4 weeks – from the day of leaving to 4 weeks after it; 3 and 6
    months – from 3 (6) months after leaving, within 4 weeks."""
    opens = add_months(exit_date, SCHEDULE_MONTHS[kind])
    return Window(opens, opens + WITHIN)


def latest_exit_opened(kind: str, day: date) -> date:
    """The latest day of leaving whose follow-up of `kind` has opened by `day` (so that a
    query can ask for exits on or before it)."""
    exit_date = add_months(day, -SCHEDULE_MONTHS[kind])
    while follow_up_window(kind, exit_date + timedelta(days=1)).opens <= day:
        exit_date += timedelta(days=1)
    return exit_date


class FollowUp(TimeStampedModel):
    """A contact after a person's enrolment ended: his or her situation then, and where
    the information came from."""

    class Source(models.TextChoices):
        PHONE = "phone", _("telephone")
        MEETING = "meeting", _("meeting in person")
        EMPLOYER = "employer", _("document from the employer")
        LABOUR_OFFICE = "labour_office", _("labour office data")
        DECLARATION = "declaration", _("the person's written declaration")
        OTHER = "other", _("other")

    enrolment = models.ForeignKey(
        "participants.Enrolment",
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    # The end of participation the contact follows (a person who came back after a job
    # and left again has another); set by the service from the enrolment.
    exit_date = models.DateField(_("left the project on"), editable=False)
    kind = models.CharField(_("follow-up"), max_length=10, choices=FollowUpKind.choices)
    date = models.DateField(_("date of the contact"))
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    note = models.CharField(
        _("note"),
        max_length=500,
        blank=True,
        help_text=_("e.g. the employer and the kind of contract."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("follow-up after leaving")
        verbose_name_plural = _("follow-ups after leaving")
        ordering = ["exit_date", "date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__gte=F("exit_date")), name="follow_up_not_before_exit"
            ),
            models.UniqueConstraint(
                fields=["enrolment", "exit_date", "kind"],
                condition=~Q(kind="other"),
                name="follow_up_once_per_exit",
            ),
        ]
        indexes = [models.Index(fields=["kind", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_situation_display()} ({self.date:%d.%m.%Y})"
