"""The audit search as a workbook: the page's filters, sensitive values hidden as on the
page, formulas as text, managers and administrators only."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kis.models import AccessLog
from participants.services.people import participant_update
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_audit_export_holds_the_search(manager_client, manager, caseworker_client, caseworker):
    person = ParticipantFactory(last_name="Audytowana")
    other = ParticipantFactory(last_name="Inna")
    participant_update(person, city='=HYPERLINK("http://x.example","x")', disability="severe")
    AccessLog.objects.create(action="view", participant=person, participant_ref=person.pk,
                             username="ewa", what="card")  # fmt: skip
    AccessLog.objects.create(action="view", participant=other, participant_ref=other.pk,
                             username="ewa", what="card")  # fmt: skip
    html = manager_client.get(reverse("audit") + f"?participant={person.pk}").content.decode()
    assert reverse("audit_xlsx") + f"?participant={person.pk}" in html
    response = manager_client.get(reverse("audit_xlsx") + f"?participant={person.pk}")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    book = load_workbook(BytesIO(response.content))
    reads = list(book["Odczyty, eksporty i logowania"].iter_rows(min_row=2, values_only=True))
    assert [row[4] for row in reads] == [f"{person.last_name} {person.first_name} #{person.pk}"]
    changes = list(book["Zmiany danych osobowych"].iter_rows(min_row=2))
    texts = " ".join(str(c.value) for row in changes for c in row)
    assert "x.example" in texts  # the town changed, shown as text
    for row in changes:
        for cell in row:
            assert cell.data_type != "f"
    assert AccessLog.objects.filter(action="export", user=manager, what="audit search (XLSX)")
    assert caseworker_client.get(reverse("audit_xlsx")).status_code == 403
