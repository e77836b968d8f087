"""Writes of outcomes: questionnaires (their definition by administrators, and their
filling for a person's enrolment at entry and at exit) and follow-up contacts after a
person left a project. Each checks the user's permission (None: the application
itself) and the person's restriction or anonymisation, validates, writes atomically and
is audited (django-auditlog records every model written here)."""

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kis.lib.services import Actor, changed_fields, delete_checked, permission_check
from participants.models import (
    SCHEDULED,
    Enrolment,
    FollowUp,
    Question,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireResponse,
    ScalePoint,
    follow_up_window,
)
from participants.services.people import processing_check

Moment = QuestionnaireResponse.Moment


def _perm(obj: Model, action_if_new: str = "add") -> str:
    action = "change" if obj.pk is not None and not obj._state.adding else action_if_new
    return f"{obj._meta.app_label}.{action}_{obj._meta.model_name}"


def _not_in_future(day: date, field: str = "date") -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


# --- questionnaires: the definition (administrators) ----------------------------------------


@transaction.atomic
def questionnaire_save(
    *, questionnaire: Questionnaire, projects: list | None = None, user: Actor = None
) -> Questionnaire:
    """Create or change a questionnaire, with the projects it is offered in (None:
    unchanged; empty: every project)."""
    permission_check(user, _perm(questionnaire))
    questionnaire.full_clean()
    questionnaire.save()
    if projects is not None:
        questionnaire.projects.set(projects)
    return questionnaire


@transaction.atomic
def questionnaire_delete(*, questionnaire: Questionnaire, user: Actor = None) -> None:
    """Delete a questionnaire defined by mistake; one already filled in, or measuring an
    indicator, is refused (mark it as no longer in use instead)."""
    permission_check(user, "participants.delete_questionnaire")
    delete_checked(questionnaire)


def _answered(question_pk: int | None) -> bool:
    return (
        question_pk is not None
        and QuestionnaireAnswer.objects.filter(question_id=question_pk).exists()
    )


@transaction.atomic
def question_save(*, question: Question, user: Actor = None) -> Question:
    """Add or change a question. Once it has answers, whether it counts in reverse and
    its questionnaire stay as they are: changing them would change, unseen, every score
    compared so far (add a new question instead)."""
    permission_check(user, _perm(question))
    if _answered(question.pk):
        frozen = changed_fields(question, ["reverse", "questionnaire"])
        if frozen:
            raise ValidationError(
                {
                    name: _(
                        "The question has already been answered: this cannot be changed "
                        "any more. Add a new question instead."
                    )
                    for name in frozen
                }
            )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question, user: Actor = None) -> None:
    """Delete a question; one already answered is refused (its answers are figures)."""
    permission_check(user, "participants.delete_question")
    delete_checked(question)


def _points_used(questionnaire_id: int, value: int) -> bool:
    return QuestionnaireAnswer.objects.filter(
        response__questionnaire_id=questionnaire_id, value=value
    ).exists()


@transaction.atomic
def scale_point_save(*, point: ScalePoint, user: Actor = None) -> ScalePoint:
    """Add or change a point of a questionnaire's scale. The label may always be
    reworded; the points of a value somebody chose stay (the answers hold them)."""
    permission_check(user, _perm(point))
    if point.pk is not None:
        saved = ScalePoint.objects.get(pk=point.pk)
        moved = (saved.value, saved.questionnaire_id) != (point.value, point.questionnaire_id)
        if moved and _points_used(saved.questionnaire_id, saved.value):
            raise ValidationError(
                {"value": _("Answers already have these points: they cannot be changed.")}
            )
    point.full_clean()
    point.save()
    return point


@transaction.atomic
def scale_point_delete(*, point: ScalePoint, user: Actor = None) -> None:
    permission_check(user, "participants.delete_scalepoint")
    if _points_used(point.questionnaire_id, point.value):
        raise ValidationError(
            _("Answers already have the points “%(point)s”: it cannot be removed.")
            % {"point": point}
        )
    point.delete()


# --- questionnaires: filled for a person's enrolment -----------------------------------------


def answer_field(question: Question) -> str:
    """The name under which an answer travels (the form's field, the service's errors)."""
    return f"question_{question.pk}"


@transaction.atomic
def questionnaire_fill(
    *,
    enrolment: Enrolment,
    questionnaire: Questionnaire,
    moment: str,
    date: date,
    answers: Mapping[int, int],
    note: str = "",
    user: Actor = None,
) -> QuestionnaireResponse:
    """Record a questionnaire filled for an enrolment at entry or at exit, or correct it
    (there is one of each). `answers` maps a question's id to the points chosen; every
    question is answered, with one of the scale's points. The exit one is not dated
    before the entry one. A questionnaire no longer in use, or not offered in the
    enrolment's project, takes no new answers."""
    current = (
        QuestionnaireResponse.objects.select_for_update()
        .filter(enrolment=enrolment, questionnaire=questionnaire, moment=moment)
        .first()
    )
    permission_check(
        user,
        "participants.change_questionnaireresponse"
        if current
        else "participants.add_questionnaireresponse",
    )
    processing_check([enrolment.participant_id])
    if moment not in Moment.values:
        raise ValidationError(_("Unknown moment of the questionnaire."))
    if current is None and not (
        questionnaire.is_active and questionnaire.offered_in(enrolment.project_id)
    ):
        raise ValidationError(
            _("The questionnaire “%(name)s” is not used in this project.") % {"name": questionnaire}
        )
    _not_in_future(date)
    other = (
        QuestionnaireResponse.objects.filter(enrolment=enrolment, questionnaire=questionnaire)
        .exclude(moment=moment)
        .first()
    )
    if other is not None:
        if moment == Moment.EXIT and date < other.date:
            raise ValidationError(
                {
                    "date": _("The exit questionnaire cannot be before the entry one (%(date)s).")
                    % {"date": other.date.strftime("%d.%m.%Y")}
                }
            )
        if moment == Moment.ENTRY and date > other.date:
            raise ValidationError(
                {
                    "date": _("The entry questionnaire cannot be after the exit one (%(date)s).")
                    % {"date": other.date.strftime("%d.%m.%Y")}
                }
            )
    questions = list(questionnaire.questions.all())
    points = set(questionnaire.points.values_list("value", flat=True))
    errors: dict[str, str] = {}
    missing = 0
    for question in questions:
        value = answers.get(question.pk)
        if value is None:
            missing += 1
            errors[answer_field(question)] = _("Choose an answer.")
        elif value not in points:
            errors[answer_field(question)] = _("This is not a point of the scale.")
    if set(answers) - {q.pk for q in questions}:
        errors["__all__"] = _("Answers to questions of another questionnaire.")
    elif missing:
        errors["__all__"] = ngettext(
            "%(count)s question has no answer.", "%(count)s questions have no answer.", missing
        ) % {"count": missing}
    if errors:
        raise ValidationError(errors)
    response = current or QuestionnaireResponse(
        enrolment=enrolment,
        questionnaire=questionnaire,
        moment=moment,
        filled_by=user if getattr(user, "is_authenticated", False) else None,
    )
    response.date, response.note = date, note
    response.full_clean()
    response.save()
    saved = {a.question_id: a for a in response.answers.all()} if current else {}
    for question in questions:
        answer = saved.get(question.pk) or QuestionnaireAnswer(response=response, question=question)
        if answer.pk is not None and answer.value == answers[question.pk]:
            continue
        answer.value = answers[question.pk]
        answer.full_clean()
        answer.save()  # one by one: each answer is in the audit trail
    return response


@transaction.atomic
def questionnaire_response_delete(*, response: QuestionnaireResponse, user: Actor = None) -> None:
    """Delete a questionnaire filled by mistake, with its answers."""
    permission_check(user, "participants.delete_questionnaireresponse")
    processing_check([response.enrolment.participant_id])
    response.delete()


# --- follow-ups after leaving ------------------------------------------------------------------


@transaction.atomic
def follow_up_save(*, follow_up: FollowUp, user: Actor = None) -> FollowUp:
    """Record a contact after a person left a project, or correct one.

    Only for an enrolment that has ended: the contact follows that exit (its date is kept
    with the contact). A scheduled follow-up (4 weeks, 3 or 6 months) is recorded once
    per exit, and not before the day it asks about: the situation 3 months after leaving
    is known from 3 months after leaving on. The contact is not in the future."""
    permission_check(user, _perm(follow_up))
    enrolment = Enrolment.objects.select_for_update().get(pk=follow_up.enrolment_id)
    processing_check([enrolment.participant_id])
    if follow_up.pk is None:
        if enrolment.end_date is None:
            raise ValidationError(
                _("The person is still taking part in the project: there is no exit to follow.")
            )
        follow_up.exit_date = enrolment.end_date
        if getattr(user, "is_authenticated", False):
            follow_up.recorded_by = user
    else:
        saved = FollowUp.objects.get(pk=follow_up.pk)
        if saved.enrolment_id != follow_up.enrolment_id:
            raise ValidationError(
                {"enrolment": _("A follow-up stays with the enrolment it was recorded for.")}
            )
        follow_up.exit_date = saved.exit_date
    if follow_up.date is not None:
        _not_in_future(follow_up.date)
        if follow_up.kind in SCHEDULED:
            opens = follow_up_window(follow_up.kind, follow_up.exit_date).opens
            if follow_up.date < opens:
                raise ValidationError(
                    {
                        "date": _(
                            "This follow-up asks about the situation on %(opens)s (left the "
                            "project on %(exit)s): it can be recorded from that day."
                        )
                        % {
                            "opens": opens.strftime("%d.%m.%Y"),
                            "exit": follow_up.exit_date.strftime("%d.%m.%Y"),
                        }
                    }
                )
        elif follow_up.date < follow_up.exit_date:
            raise ValidationError(
                {
                    "date": _("The contact cannot be before leaving the project (%(date)s).")
                    % {"date": follow_up.exit_date.strftime("%d.%m.%Y")}
                }
            )
    if (
        follow_up.kind in SCHEDULED
        and FollowUp.objects.filter(
            enrolment_id=follow_up.enrolment_id,
            exit_date=follow_up.exit_date,
            kind=follow_up.kind,
        )
        .exclude(pk=follow_up.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "kind": _(
                    "This follow-up is already recorded for this exit: open it from the "
                    "card to correct it."
                )
            }
        )
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_delete(*, follow_up: FollowUp, user: Actor = None) -> None:
    permission_check(user, "participants.delete_followup")
    processing_check([follow_up.enrolment.participant_id])
    follow_up.delete()
