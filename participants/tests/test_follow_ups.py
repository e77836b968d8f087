"""Issue 14, point 11: follow-ups after leaving. The schedule, the service's rules, the
list of follow-ups due (whom it shows, and to whom), the form, the card and the
dashboard; figures against the scenario of outcome_scenario.py."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kis import roles
from kis.models import AccessLog
from kis.tests.factories import UserFactory
from participants.models import FollowUp, follow_up_window, latest_exit_opened
from participants.models.outcomes import Window
from participants.selectors.outcomes import StepState, follow_ups_due, follow_ups_due_counts
from participants.services.anonymise import participant_anonymise
from participants.services.outcomes import follow_up_save
from participants.services.people import ProcessingRestricted, enrolment_event_record
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.outcome_factories import follow_up
from participants.tests.outcome_scenario import build_outcomes

pytestmark = pytest.mark.django_db

ON_31_JULY = date(2017, 7, 31)


@pytest.fixture
def s():
    return build_outcomes()


@pytest.fixture
def on_31_july(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: ON_31_JULY)


# --- the schedule -------------------------------------------------------------------------


def test_the_schedule_of_follow_ups():
    left = date(2026, 8, 31)
    # 4 weeks: from the day of leaving, within 4 weeks.
    assert follow_up_window("4w", left) == Window(date(2026, 8, 31), date(2026, 9, 28))
    # 3 months: from 30.11 (November has no 31st), within 4 weeks; 6 months from 28.02.
    assert follow_up_window("3m", left) == Window(date(2026, 11, 30), date(2026, 12, 28))
    assert follow_up_window("6m", left) == Window(date(2027, 2, 28), date(2027, 3, 28))
    # By 28.02.2027 the 3-month follow-up has come for everybody who left by 30.11.2026.
    assert latest_exit_opened("3m", date(2027, 2, 28)) == date(2026, 11, 30)
    assert latest_exit_opened("4w", date(2027, 2, 28)) == date(2027, 2, 28)


# --- the service --------------------------------------------------------------------------


def _new(enrolment, kind="4w", day=date(2017, 7, 25), situation="employed"):
    return FollowUp(enrolment=enrolment, kind=kind, date=day, situation=situation, source="phone")


def test_a_follow_up_follows_an_exit_and_keeps_its_date(s):
    edward = s.enrolments["Edward"]
    first = edward.follow_ups.get(date=date(2017, 5, 10))
    assert (first.exit_date, first.kind) == (date(2017, 4, 30), "4w")  # his first exit
    latest = edward.follow_ups.get(date=date(2017, 7, 15))
    assert latest.exit_date == date(2017, 6, 30)  # his second
    first.situation = "self_employed"  # corrected later: it stays with the first exit
    follow_up_save(follow_up=first)
    first.refresh_from_db()
    assert (first.exit_date, first.situation) == (date(2017, 4, 30), "self_employed")


@pytest.mark.parametrize(
    ("name", "kind", "day", "field", "message"),
    [
        # Still taking part: nothing to follow.
        ("Celina", "4w", date(2017, 7, 1), "__all__", "nadal uczestniczy w projekcie"),
        # Jan left on 20.07.2017: the 3-month follow-up asks about 20.10.2017.
        ("Jan", "3m", date(2017, 9, 1), "date", "na dzień 20.10.2017"),
        # Anna's 4-week follow-up is recorded already.
        ("Anna", "4w", date(2017, 4, 20), "kind", "już odnotowany"),
        # A contact before leaving.
        ("Jan", "other", date(2017, 7, 1), "date", "wcześniejszy niż zakończenie udziału"),
        # In the future.
        ("Jan", "4w", date(2099, 1, 1), "date", "nie może być z przyszłości"),
    ],
)
def test_the_service_refuses_a_follow_up_that_cannot_be(s, name, kind, day, field, message):
    with pytest.raises(ValidationError) as refused:
        follow_up_save(follow_up=_new(s.enrolments[name], kind, day))
    assert message in " ".join(refused.value.messages)
    assert field == "__all__" or field in refused.value.message_dict
    assert not FollowUp.objects.filter(enrolment=s.enrolments[name], date=day).exists()


def test_the_service_refuses_restricted_anonymised_and_unauthorised(s, no_role_user):
    kamil, jan = s.people["Kamil"], s.people["Jan"]
    kamil.processing_restricted = True
    kamil.save()
    with pytest.raises(ProcessingRestricted):
        follow_up_save(follow_up=_new(s.enrolments["Kamil"]))
    participant_anonymise(jan)
    with pytest.raises(ProcessingRestricted):
        follow_up_save(follow_up=_new(s.enrolments["Jan"]))
    with pytest.raises(PermissionDenied):
        follow_up_save(follow_up=_new(s.enrolments["Irena"], "other"), user=no_role_user)
    assert not FollowUp.objects.filter(date=date(2017, 7, 25)).exists()


def test_a_follow_up_is_audited(s, caseworker):
    saved = follow_up_save(follow_up=_new(s.enrolments["Jan"]), user=caseworker)
    assert saved.recorded_by == caseworker
    entry = LogEntry.objects.get_for_object(saved).get()
    assert entry.changes_dict["situation"] == ["None", "employed"]


# --- the list of follow-ups due -----------------------------------------------------------


def test_follow_ups_due_are_the_people_with_a_follow_up_to_make(s, manager):
    rows = follow_ups_due(manager, today=ON_31_JULY)
    # Beata: 3 months overdue since 25.06; Kamil: 4 weeks overdue since 29.06; Jan: 4 weeks
    # due by 17.08. Not Anna, Dawid, Edward or Irena (nothing due before September), not
    # Celina (still taking part), not Helena (her project does not follow people up).
    assert [(r.participant.first_name, r.next_due, r.overdue) for r in rows] == [
        ("Beata", date(2017, 6, 25), True),
        ("Kamil", date(2017, 6, 29), True),
        ("Jan", date(2017, 8, 17), False),
    ]
    beata = rows[0]
    assert [(step.kind, step.state) for step in beata.steps] == [
        ("4w", StepState.DONE),
        ("3m", StepState.OVERDUE),
        ("6m", StepState.UPCOMING),
    ]
    assert beata.steps[2].opens == date(2017, 8, 28)
    assert [step.kind for step in beata.tasks] == ["3m"]
    counts = follow_ups_due_counts(manager, today=ON_31_JULY)
    assert (counts.people, counts.overdue) == (3, 2)


def test_follow_ups_due_show_only_people_the_user_may_see(s):
    caseworker = UserFactory(role=roles.CASEWORKER)
    s.people["Kamil"].registered_by = caseworker
    s.people["Kamil"].save()
    rows = follow_ups_due(caseworker, today=ON_31_JULY)
    assert [r.participant.first_name for r in rows] == ["Kamil"]


def test_nobody_is_due_whose_data_may_not_be_processed(s, manager):
    s.people["Beata"].processing_restricted = True
    s.people["Beata"].save()
    participant_anonymise(s.people["Jan"])
    rows = follow_ups_due(manager, today=ON_31_JULY)
    assert [r.participant.first_name for r in rows] == ["Kamil"]


# --- pages ----------------------------------------------------------------------------------


def test_the_list_is_for_signed_in_users_with_the_permission(client, no_role_user, s):
    url = reverse("participants:follow_up_list")
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    client.force_login(no_role_user)
    assert client.get(url).status_code == 403


def test_from_the_dashboard_to_the_list_to_the_form(
    caseworker_client, caseworkers_see_all, s, on_31_july
):
    dashboard = caseworker_client.get(reverse("dashboard")).content.decode()
    # The to-do list: each person one click from the form, the overdue ones said so.
    todo = dashboard.split('class="card h-100 todo-follow-ups"')[1].split("</ul>")[0]
    assert "3 osoby czekają na kontakt po zakończeniu udziału" in todo
    assert todo.count("zaległe:") == 2
    url = reverse("participants:follow_up_list")
    assert f'href="{url}"' in dashboard
    html = caseworker_client.get(url).content.decode()
    assert "3 osoby czekają na kontakt." in html
    assert html.index("Beataowska") < html.index("Kamilowski") < html.index("Janowski")
    assert "zaległy: termin 25.06.2017" in html and "do 17.08.2017" in html
    form_url = (
        reverse(
            "participants:follow_up_create", args=[s.people["Beata"].pk, s.enrolments["Beata"].pk]
        )
        + "?kind=3m"
    )
    assert form_url in html
    only_overdue = caseworker_client.get(url, {"overdue": "1"}).content.decode()
    assert "Janowski" not in only_overdue and "Kamilowski" in only_overdue
    # The list names people: a read of each of them is logged.
    assert AccessLog.objects.filter(what="follow-ups due", participant=s.people["Jan"]).exists()

    form = caseworker_client.get(form_url).content.decode()
    assert "Zakończenie udziału: 28.02.2017" in form
    assert '<option value="3m" selected>' in form
    response = caseworker_client.post(
        form_url,
        {
            "kind": "3m",
            "date": "20.06.2017",
            "situation": "education",
            "source": "labour_office",
            "note": "Kurs magazyniera w PUP",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("participants:detail", args=[s.people["Beata"].pk])
    made = FollowUp.objects.get(enrolment=s.enrolments["Beata"], kind="3m")
    assert (made.exit_date, made.situation) == (date(2017, 2, 28), "education")
    html = caseworker_client.get(url).content.decode()
    assert "Beataowska" not in html


def test_the_form_says_what_is_wrong_in_polish(caseworker_client, caseworkers_see_all, s):
    jan = s.enrolments["Jan"]
    url = reverse("participants:follow_up_create", args=[jan.participant_id, jan.pk])
    response = caseworker_client.post(
        url, {"kind": "3m", "date": "01.09.2017", "situation": "employed", "source": "phone"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ten kontakt dotyczy sytuacji na dzień 20.10.2017" in html
    assert not FollowUp.objects.filter(enrolment=jan).exists()


def test_the_form_refuses_restricted_and_anonymised_people(
    caseworker_client, caseworkers_see_all, s
):
    kamil = s.enrolments["Kamil"]
    s.people["Kamil"].processing_restricted = True
    s.people["Kamil"].save()
    url = reverse("participants:follow_up_create", args=[kamil.participant_id, kamil.pk])
    data = {"kind": "4w", "date": "25.07.2017", "situation": "employed", "source": "phone"}
    response = caseworker_client.post(url, data)
    assert response.status_code == 302
    assert response.url == reverse("participants:detail", args=[kamil.participant_id])
    participant_anonymise(s.people["Jan"])
    jan = s.enrolments["Jan"]
    url = reverse("participants:follow_up_create", args=[jan.participant_id, jan.pk])
    assert caseworker_client.post(url, data).status_code == 302
    assert not FollowUp.objects.filter(enrolment__in=[kamil, jan]).exists()
    assert AccessLog.objects.filter(action="refused", participant=s.people["Kamil"]).exists()


def test_the_form_of_somebody_the_caseworker_may_not_see_is_not_found(caseworker_client, s):
    kamil = s.enrolments["Kamil"]
    url = reverse("participants:follow_up_create", args=[kamil.participant_id, kamil.pk])
    assert caseworker_client.get(url).status_code == 404


def test_no_form_for_a_person_still_taking_part(caseworker_client, caseworkers_see_all, s):
    celina = s.enrolments["Celina"]
    url = reverse("participants:follow_up_create", args=[celina.participant_id, celina.pk])
    response = caseworker_client.get(url, follow=True)
    assert "nadal uczestniczy w projekcie" in response.content.decode()


def test_the_card_shows_the_follow_ups(caseworker_client, caseworkers_see_all, s, on_31_july):
    edward = s.people["Edward"]
    html = caseworker_client.get(reverse("participants:detail", args=[edward.pk])).content.decode()
    assert "Po zakończeniu udziału" in html
    # His latest exit (30.06): 4 weeks recorded; 3 months from 30.09.
    assert "bierność zawodowa (15.07.2017, telefon)" in html
    assert "od 30.09.2017" in html
    # The contact after his first exit is kept and said so.
    assert "po zakończeniu udziału 30.04.2017" in html and "zatrudnienie" in html
    beata = s.people["Beata"]
    html = caseworker_client.get(reverse("participants:detail", args=[beata.pk])).content.decode()
    assert "zaległy: termin 25.06.2017" in html
    assert (
        reverse("participants:follow_up_create", args=[beata.pk, s.enrolments["Beata"].pk])
        + "?kind=3m"
    ) in html


# --- query counts stay flat ------------------------------------------------------------------


def _leavers(project, n):
    """People who left on 31.03.2017 and were followed up after 4 weeks: on 31.07 their
    3-month follow-up is overdue."""
    for _ in range(n):
        enrolment = EnrolmentFactory(
            participant=ParticipantFactory(), project=project, start_date=date(2017, 1, 9)
        )
        enrolment_event_record(
            enrolment=enrolment, kind="completed", date=date(2017, 3, 31), recorded_by=None
        )
        enrolment.refresh_from_db()
        follow_up(enrolment, "4w", date(2017, 4, 10), "employed")


def test_the_lists_queries_stay_flat(manager_client, s, on_31_july, django_assert_max_num_queries):
    url = reverse("participants:follow_up_list")
    _leavers(s.project, 3)
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(url).status_code == 200
    _leavers(s.project, 57)
    with django_assert_max_num_queries(len(few)):
        html = manager_client.get(url).content.decode()
    assert "63 osoby czekają na kontakt." in html  # 3 + 60 whose 3 months are overdue


def test_the_cards_queries_stay_flat(manager_client, s, django_assert_max_num_queries):
    edward = s.people["Edward"]
    url = reverse("participants:detail", args=[edward.pk])
    _leavers(s.project, 3)
    with CaptureQueriesContext(connection) as few:
        assert manager_client.get(url).status_code == 200
    _leavers(s.project, 57)
    # And more of his own: another project left, with follow-ups and questionnaires.
    other = EnrolmentFactory(participant=edward, project=s.other, start_date=date(2017, 1, 9))
    enrolment_event_record(
        enrolment=other, kind="completed", date=date(2017, 3, 31), recorded_by=None
    )
    follow_up(other, "4w", date(2017, 4, 10), "employed")
    follow_up(other, "other", date(2017, 5, 10), "employed")
    with django_assert_max_num_queries(len(few)):
        assert manager_client.get(url).status_code == 200


def test_due_counts_in_sql_agree_with_the_list_on_every_day(s, manager):
    """The dashboard's counts (SQL) against the list's rows (Python) day by day through
    every window of the scenario, their opening and due days included."""
    day = date(2017, 6, 1)
    while day <= date(2018, 3, 1):
        rows = follow_ups_due(manager, today=day)
        counts = follow_ups_due_counts(manager, today=day)
        assert (counts.people, counts.overdue) == (
            len(rows),
            sum(1 for row in rows if row.overdue),
        ), day
        day += timedelta(days=3)
