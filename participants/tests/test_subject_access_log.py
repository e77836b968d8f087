"""The subject-access export's access log (art. 15 GDPR): the PDF summarises it month by
month (a person on a weekly roll call for years has thousands of entries), the JSON
keeps every entry."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from kis.models import AccessLog
from kis.tests.pdf_checks import pdf_pages
from participants.selectors.rodo import access_log_months
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


def _log(person, at: datetime, username: str, action: str, what: str) -> None:
    entry = AccessLog.objects.create(
        username=username, action=action, participant=person, participant_ref=person.pk, what=what
    )
    AccessLog.objects.filter(pk=entry.pk).update(at=at)  # `at` is set on creation


@pytest.fixture
def person():
    person = ParticipantFactory(first_name="Łucja", last_name="Żółkiewska")
    view, pdf = AccessLog.Action.VIEW, AccessLog.Action.PDF
    # October 2026: 3 card reads by "ewa", 1 by "jan", a certificate by "jan".
    for day in (2, 9, 16):
        _log(person, datetime(2026, 10, day, 10, tzinfo=WARSAW), "ewa", view, "card")
    _log(person, datetime(2026, 10, 20, 10, tzinfo=WARSAW), "jan", view, "card")
    _log(person, datetime(2026, 10, 21, 10, tzinfo=WARSAW), "jan", pdf, "certificate KS/7/2026")
    # 1 November 00:30 in Warsaw is still 31 October in UTC: a November entry.
    _log(person, datetime(2026, 11, 1, 0, 30, tzinfo=WARSAW), "ewa", view, "edit form")
    # Somebody else's entry is not the person's.
    _log(ParticipantFactory(), datetime(2026, 10, 5, tzinfo=WARSAW), "ewa", view, "card")
    return person


def test_the_months_count_what_was_read_and_by_whom(person):
    november, october = access_log_months(person.pk)
    assert (november["month"].year, november["month"].month, november["entries"]) == (2026, 11, 1)
    assert november["who"] == [("ewa", 1)]
    assert october["entries"] == 5
    assert october["what"] == [("karta", 4), ("zaświadczenie nr KS/7/2026", 1)]
    assert october["who"] == [("ewa", 3), ("jan", 2)]


def test_the_summary_takes_two_queries_however_many_entries(person, django_assert_num_queries):
    with django_assert_num_queries(2):
        access_log_months(person.pk)
    for day in range(1, 29):
        _log(
            person,
            datetime(2026, 9, day, tzinfo=WARSAW),
            f"u{day}",
            "view",
            f"roll call, session {day}",
        )
    with django_assert_num_queries(2):
        september = access_log_months(person.pk)[-1]
    assert september["entries"] == 28 and len(september["who"]) == 28


def test_the_pdf_prints_the_months_and_the_json_every_entry(manager_client, person):
    data = json.loads(
        manager_client.get(reverse("participants:export_json", args=[person.pk])).content
    )
    # Six entries of the fixture and the export itself.
    assert len(data["access_log"]) == 7
    assert "access_log_months" not in data
    response = manager_client.get(reverse("participants:export_pdf", args=[person.pk]))
    text = " ".join(" ".join(pdf_pages(response.content)).split())
    assert "Kto otwierał lub eksportował dane, miesiąc po miesiącu" in text
    assert "Październik 2026" in text and "Listopad 2026" in text
    assert "karta (4)" in text and "ewa (3); jan (2)" in text
    assert "formularz edycji (1)" in text
    # No line per entry: the dates of the reads are only in the JSON.
    assert "02.10.2026" not in text and "16.10.2026" not in text


def test_a_long_month_names_the_most_frequent_and_counts_the_rest(manager_client, person):
    for n in range(8):
        _log(
            person,
            datetime(2026, 9, 1 + n, tzinfo=WARSAW),
            "ewa",
            "view",
            f"roll call, session {n}",
        )
    response = manager_client.get(reverse("participants:export_pdf", args=[person.pk]))
    text = " ".join(" ".join(pdf_pages(response.content)).split())
    assert "Wrzesień 2026" in text
    assert "i jeszcze 3" in text


def test_the_pdf_is_made_in_the_background_for_its_owner_only(manager_client, manager, person):
    from kis import roles
    from kis.models import BackgroundJob
    from kis.tests.clients import https_client
    from kis.tests.factories import UserFactory

    card = manager_client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    start = reverse("participants:export_pdf_start", args=[person.pk])
    assert f'action="{start}"' in card
    response = manager_client.post(start)
    job = BackgroundJob.objects.get()
    assert response.url == reverse("job", args=[job.pk])
    assert (job.owner, job.status, job.result_name) == (
        manager,
        BackgroundJob.Status.DONE,
        f"dane-osoby-{person.pk}.pdf",
    )
    # Logged as the owner's export, like the PDF made in a request.
    assert AccessLog.objects.filter(
        participant=person, action="export", what="subject access export (PDF)", user=manager
    ).exists()
    pdf = b"".join(manager_client.get(reverse("job_file", args=[job.pk])))
    assert "Październik 2026" in " ".join(pdf_pages(pdf))
    other = https_client()
    other.force_login(UserFactory(role=roles.MANAGER))
    assert other.get(reverse("job_file", args=[job.pk])).status_code == 404


def test_a_restricted_person_is_refused_before_any_job(manager_client, person):
    from kis.models import BackgroundJob
    from participants.models import Participant

    Participant.objects.filter(pk=person.pk).update(processing_restricted=True)
    response = manager_client.post(reverse("participants:export_pdf_start", args=[person.pk]))
    assert response.url == reverse("participants:detail", args=[person.pk])
    assert not BackgroundJob.objects.exists()


def test_a_caseworker_cannot_start_it(caseworker_client, person):
    url = reverse("participants:export_pdf_start", args=[person.pk])
    assert caseworker_client.post(url).status_code == 403
