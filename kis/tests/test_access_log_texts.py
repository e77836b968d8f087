"""The access log's "what" is stored as a stable English text (rows of years ago
included) and shown in the reader's language: on /audit/, in admin and in the
subject-access export (art. 15)."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from kis.models import AccessLog, what_text
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("card", "karta"),
        ("edit form", "formularz edycji"),
        ("certificate", "zaświadczenie"),
        ("subject access export (PDF)", "kopia danych osoby (PDF, art. 15 RODO)"),
        ("retention period over", "upłynął okres przechowywania"),
        ("roll call, session 12", "sprawdzanie obecności, spotkanie 12"),
        ("activity grid 7", "tabela obecności zajęć 7"),
        ("attendance list, session 3", "lista obecności, spotkanie 3"),
        ("attendance list, activity 4, 11/2026", "lista obecności, zajęcia 4, 11/2026"),
        ("job form 5", "formularz zatrudnienia 5"),
        ("diagnosis form 6", "formularz diagnozy i planu działania 6"),
        ("social contract form 8", "formularz kontraktu socjalnego 8"),
        ("placement form 9", "formularz stażu lub prac społecznie użytecznych 9"),
        ("admin: participant 10", "panel administracyjny: uczestnik 10"),
        ("follow-ups due", "lista kontaktów po zakończeniu udziału"),
        ("questionnaire 11", "ankieta 11"),
        ("follow-up form 12", "formularz kontaktu po zakończeniu udziału 12"),
        ("admin: followup 13", "panel administracyjny: kontakt po zakończeniu udziału 13"),
        ("/participants/10/edit/", "strona /participants/10/edit/"),
        (
            "report figure annual.served year=2014 (XLSX)",
            "lista do liczby ze sprawozdania annual.served year=2014 (XLSX)",
        ),
        ("something else", "something else"),  # unknown: as it was stored
        ("", ""),
    ],
)
def test_stored_texts_are_shown_in_polish(stored, shown):
    with translation.override("pl"):
        assert what_text(stored) == shown


def test_the_audit_page_and_the_export_show_polish(manager_client):
    person = ParticipantFactory()
    manager_client.get(reverse("participants:detail", args=[person.pk]))
    entry = AccessLog.objects.get(participant=person.pk, action=AccessLog.Action.VIEW)
    assert entry.what == "card"  # the stored text is the stable one
    page = manager_client.get(reverse("audit"), {"participant": person.pk}).content.decode()
    assert "<td>karta</td>" in page
    exported = json.loads(
        manager_client.get(reverse("participants:export_json", args=[person.pk])).content
    )
    whats = [row["what"] for row in exported["access_log"]]
    assert "karta" in whats and "kopia danych osoby (JSON, art. 15 RODO)" in whats
    assert "card" not in whats
