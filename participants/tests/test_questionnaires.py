"""Issue 14, point 10: questionnaires at entry and exit. Defined by administrators (admin,
through the services), filled on one page by the caseworker, refused for people whose
data may not be processed, audited, and shown on the card."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kis.models import AccessLog
from participants.models import (
    Question,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireResponse,
    ScalePoint,
)
from participants.services.anonymise import participant_anonymise
from participants.services.outcomes import (
    answer_field,
    question_delete,
    question_save,
    questionnaire_fill,
    scale_point_delete,
    scale_point_save,
)
from participants.services.people import ProcessingRestricted
from participants.tests.factories import EnrolmentFactory
from participants.tests.outcome_factories import fill, make_questionnaire
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment():
    return EnrolmentFactory(start_date=date(2017, 1, 9))


@pytest.fixture
def questionnaire(enrolment):
    return make_questionnaire(projects=[enrolment.project])


def _answers(questionnaire, values):
    return {q.pk: v for q, v in zip(questionnaire.questions.all(), values, strict=True)}


def _fill(enrolment, questionnaire, moment="entry", day=date(2017, 1, 10), values=(2, 4, 3), **kw):
    return questionnaire_fill(
        enrolment=enrolment,
        questionnaire=questionnaire,
        moment=moment,
        date=day,
        answers=_answers(questionnaire, values),
        **kw,
    )


# --- the service -------------------------------------------------------------------------


def test_a_questionnaire_is_filled_once_at_entry_and_corrected_in_place(
    enrolment, questionnaire, caseworker
):
    response = _fill(enrolment, questionnaire, user=caseworker)
    assert response.filled_by == caseworker
    assert [a.value for a in response.answers.order_by("question__order")] == [2, 4, 3]
    again = _fill(
        enrolment, questionnaire, values=(2, 5, 3), day=date(2017, 1, 11), user=caseworker
    )
    assert again.pk == response.pk and again.date == date(2017, 1, 11)
    assert [a.value for a in again.answers.order_by("question__order")] == [2, 5, 3]
    assert QuestionnaireResponse.objects.count() == 1 and QuestionnaireAnswer.objects.count() == 3
    # Every answer is in the audit trail; only the one that changed was written again.
    second = QuestionnaireAnswer.objects.get(response=response, question__order=2)
    assert [e.changes_dict["value"] for e in LogEntry.objects.get_for_object(second)] in (
        [["4", "5"], ["None", "4"]],
        [["None", "4"], ["4", "5"]],
    )
    first = QuestionnaireAnswer.objects.get(response=response, question__order=1)
    assert LogEntry.objects.get_for_object(first).count() == 1


@pytest.mark.parametrize(
    ("answers", "field_of", "message"),
    [
        ({1: 2, 3: 3}, 2, "Zaznacz odpowiedź."),  # question 2 without an answer
        ({1: 2, 2: 7, 3: 3}, 2, "To nie jest punkt skali."),
    ],
)
def test_every_question_is_answered_with_a_point_of_the_scale(
    enrolment, questionnaire, answers, field_of, message
):
    questions = {q.order: q for q in questionnaire.questions.all()}
    with pytest.raises(ValidationError) as refused:
        questionnaire_fill(
            enrolment=enrolment,
            questionnaire=questionnaire,
            moment="entry",
            date=date(2017, 1, 10),
            answers={questions[order].pk: value for order, value in answers.items()},
        )
    assert refused.value.message_dict[answer_field(questions[field_of])] == [message]
    assert not QuestionnaireResponse.objects.exists()


def test_the_exit_is_not_before_the_entry(enrolment, questionnaire):
    _fill(enrolment, questionnaire, day=date(2017, 3, 1))
    with pytest.raises(ValidationError) as refused:
        _fill(enrolment, questionnaire, moment="exit", day=date(2017, 2, 1), values=(3, 3, 3))
    assert "nie może być wcześniejsza niż ankieta na wejściu (01.03.2017)" in str(refused.value)
    _fill(enrolment, questionnaire, moment="exit", day=date(2017, 6, 1), values=(3, 3, 3))
    with pytest.raises(ValidationError):
        _fill(enrolment, questionnaire, day=date(2017, 7, 1))  # entry after the exit
    with pytest.raises(ValidationError):
        _fill(enrolment, questionnaire, day=date(2099, 1, 1))


def test_only_a_questionnaire_of_the_project_in_use_takes_new_answers(enrolment, questionnaire):
    elsewhere = make_questionnaire(name="Ankieta innego projektu", projects=[ProjectFactory()])
    with pytest.raises(ValidationError, match="nie jest używana w tym projekcie"):
        _fill(enrolment, elsewhere)
    _fill(enrolment, questionnaire)
    questionnaire.is_active = False
    questionnaire.save()
    _fill(enrolment, questionnaire, values=(1, 1, 1))  # a correction still can be made
    with pytest.raises(ValidationError):
        _fill(enrolment, questionnaire, moment="exit", day=date(2017, 6, 1))


def test_restricted_anonymised_and_unauthorised_are_refused(enrolment, questionnaire, no_role_user):
    with pytest.raises(PermissionDenied):
        _fill(enrolment, questionnaire, user=no_role_user)
    person = enrolment.participant
    person.processing_restricted = True
    person.save()
    with pytest.raises(ProcessingRestricted):
        _fill(enrolment, questionnaire)
    person.processing_restricted = False
    person.save()
    participant_anonymise(person)
    with pytest.raises(ProcessingRestricted):
        _fill(enrolment, questionnaire)
    assert not QuestionnaireResponse.objects.exists()


def test_anonymisation_keeps_the_points_and_erases_the_note(enrolment, questionnaire):
    response = _fill(enrolment, questionnaire, note="Wypełniała z pomocą córki Marty")
    participant_anonymise(enrolment.participant)
    response.refresh_from_db()
    assert response.note == "" and response.date == date(2017, 1, 10)
    assert [a.value for a in response.answers.order_by("question__order")] == [2, 4, 3]


# --- the definition ------------------------------------------------------------------------


def test_what_answers_rely_on_cannot_change(enrolment, questionnaire):
    _fill(enrolment, questionnaire)
    reversed_one = questionnaire.questions.get(order=2)
    reversed_one.reverse = False
    with pytest.raises(ValidationError, match="Dodaj nowe pytanie"):
        question_save(question=reversed_one)
    reversed_one.refresh_from_db()
    reversed_one.text = "Rzadko czuję się bezradny(-a) wobec urzędów."  # rewording is allowed
    question_save(question=reversed_one)
    with pytest.raises(ValidationError, match="Nie można usunąć"):
        question_delete(question=reversed_one)
    chosen = ScalePoint.objects.get(questionnaire=questionnaire, value=4)
    chosen.value = 6
    with pytest.raises(ValidationError):
        scale_point_save(point=chosen)
    chosen.refresh_from_db()
    with pytest.raises(ValidationError):
        scale_point_delete(point=chosen)
    chosen.label = "raczej tak"
    scale_point_save(point=chosen)
    unused = ScalePoint.objects.get(questionnaire=questionnaire, value=5)
    scale_point_delete(point=unused)
    assert list(questionnaire.points.values_list("value", flat=True)) == [1, 2, 3, 4]
    assert Question.objects.get(pk=reversed_one.pk).reverse is True


def _inline(prefix, rows):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(sum(1 for r in rows if "id" in r)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{key}": value for key, value in row.items()})
    return data


def test_an_administrator_defines_a_questionnaire_in_admin(administrator_client, enrolment):
    data = {
        "name": "Ankieta motywacji",
        "instructions": "Zaznacz jedną odpowiedź przy każdym zdaniu.",
        "projects": [str(enrolment.project_id)],
        "is_active": "on",
        **_inline(
            "points",
            [
                {"value": str(v), "label": label}
                for v, label in ((1, "nie"), (2, "raczej nie"), (3, "tak"))
            ],
        ),
        **_inline(
            "questions",
            [
                {"order": "1", "text": "Chcę pracować.", "area": "motywacja"},
                {
                    "order": "2",
                    "text": "Nie wierzę, że znajdę pracę.",
                    "area": "motywacja",
                    "reverse": "on",
                },
            ],
        ),
    }
    response = administrator_client.post(reverse("admin:participants_questionnaire_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    questionnaire = Questionnaire.objects.get(name="Ankieta motywacji")
    assert list(questionnaire.projects.all()) == [enrolment.project]
    assert list(questionnaire.points.values_list("value", "label")) == [
        (1, "nie"),
        (2, "raczej nie"),
        (3, "tak"),
    ]
    assert [(q.text, q.reverse) for q in questionnaire.questions.all()] == [
        ("Chcę pracować.", False),
        ("Nie wierzę, że znajdę pracę.", True),
    ]
    # Once answered, the admin cannot flip the reversed question either.
    fill(enrolment, questionnaire, "entry", date(2017, 1, 10), [3, 1])
    points = list(questionnaire.points.all())
    questions = list(questionnaire.questions.all())
    data.update(
        _inline(
            "points",
            [
                {
                    "id": str(p.pk),
                    "questionnaire": str(questionnaire.pk),
                    "value": str(p.value),
                    "label": p.label,
                }
                for p in points
            ],
        )
    )
    data.update(
        _inline(
            "questions",
            [
                {
                    "id": str(q.pk),
                    "questionnaire": str(questionnaire.pk),
                    "order": str(q.order),
                    "text": q.text,
                    "area": q.area,
                }
                for q in questions
            ],
        )
    )
    del data["questions-1-reverse"]  # unticked
    url = reverse("admin:participants_questionnaire_change", args=[questionnaire.pk])
    response = administrator_client.post(url, data)
    assert response.status_code == 200
    assert "Na to pytanie udzielono już odpowiedzi" in response.content.decode()
    assert Question.objects.get(pk=questions[1].pk).reverse is True


# --- the page -------------------------------------------------------------------------------


def _url(enrolment, questionnaire, moment="entry"):
    return reverse(
        "participants:questionnaire_fill",
        args=[enrolment.participant_id, enrolment.pk, questionnaire.pk, moment],
    )


def test_the_page_is_for_users_who_may_open_the_person(
    client, no_role_user, caseworker_client, enrolment, questionnaire
):
    url = _url(enrolment, questionnaire)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(no_role_user)
    assert client.get(url).status_code == 403
    assert caseworker_client.get(url).status_code == 404  # not one of his or her people


def test_the_caseworker_fills_the_questionnaire_on_one_page(
    caseworker_client, caseworkers_see_all, enrolment, questionnaire
):
    url = _url(enrolment, questionnaire)
    html = caseworker_client.get(url).content.decode()
    # One row of radio buttons per question, one per point of the scale, each labelled.
    assert html.count('type="radio"') == 3 * 5
    assert "zdecydowanie się zgadzam" in html and "Umiejętności społeczne" in html
    assert "Tab przechodzi do następnego pytania" in html
    questions = list(questionnaire.questions.all())
    data = {
        "date": "10.01.2017",
        "note": "",
        answer_field(questions[0]): "2",
        answer_field(questions[2]): "3",
    }
    response = caseworker_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zaznacz odpowiedź." in html and not QuestionnaireResponse.objects.exists()
    data[answer_field(questions[1])] = "4"
    response = caseworker_client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("participants:detail", args=[enrolment.participant_id])
    saved = QuestionnaireResponse.objects.get()
    assert (saved.moment, saved.date) == ("entry", date(2017, 1, 10))
    html = caseworker_client.get(url).content.decode()
    assert "wprowadzasz poprawkę" in html
    assert (
        f'name="{answer_field(questions[1])}" value="4" id="{answer_field(questions[1])}-4" checked'
        in html
    )
    assert AccessLog.objects.filter(what=f"questionnaire {saved.pk}").exists()


def test_the_page_refuses_restricted_people(
    caseworker_client, caseworkers_see_all, enrolment, questionnaire
):
    person = enrolment.participant
    person.processing_restricted = True
    person.save()
    response = caseworker_client.get(_url(enrolment, questionnaire))
    assert response.status_code == 302
    assert response.url == reverse("participants:detail", args=[person.pk])


def test_the_card_shows_the_scores(
    caseworker_client, caseworkers_see_all, enrolment, questionnaire
):
    fill(enrolment, questionnaire, "entry", date(2017, 1, 10), [2, 4, 3])
    fill(enrolment, questionnaire, "exit", date(2017, 6, 10), [4, 2, 3])
    html = caseworker_client.get(
        reverse("participants:detail", args=[enrolment.participant_id])
    ).content.decode()
    # Entry: 2 + (6 − 4) + 3 = 7 of 15; exit: 4 + (6 − 2) + 3 = 11 of 15.
    assert "na wejściu 10.01.2017 – 7 z 15 pkt" in html
    assert "na zakończenie 10.06.2017 – 11 z 15 pkt" in html
    assert "wynik się poprawił" in html
