"""The EU monitoring export (SM EFS): the header row in the configured order, one
correct row per participant, incomplete people refused or left out, restricted people
never exported, access and the download logged."""

from datetime import date, time
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from kis.models import AccessLog
from participants.models import Activity, Attendance, Session
from participants.tests.factories import ParticipantFactory
from participants.tests.support_factories import support_form
from projects.tests.factories import ProjectFactory
from reports.eu_monitoring import COLUMNS, configured_columns, eu_export
from reports.models import EuColumnSetting
from reports.tests.scenario import enrol

pytestmark = pytest.mark.django_db

TERRITORY = {
    "country": "Polska",
    "voivodeship": "12",
    "county": "oświęcimski",
    "municipality": "Brzeszcze",
    "municipality_code": "1213023",
    "degurba": "2",
}


def present(activity, day: date, *people) -> None:
    session = Session.objects.create(
        activity=activity, date=day, start_time=time(10), duration_hours=Decimal("2")
    )
    for person in people:
        Attendance.objects.create(session=session, participant=person, status="present")


@pytest.fixture
def project():
    project = ProjectFactory(
        number="FEMP.06.14-IP.01-0042/24", start_date=date(2024, 1, 1), end_date=date(2025, 12, 31)
    )
    anna = ParticipantFactory(
        first_name="Anna",
        last_name="Kowalska",
        pesel="85071312346",
        birth_date=date(1985, 7, 13),
        sex="F",
        city="Brzeszcze",
        postal_code="32-620",
        phone="600 100 200",
        email="anna@example.pl",
        education="isced3",
        labour_status="employed",  # now; on joining she was long-term unemployed
        disability="mild",
        citizenship="pl",
        foreign_origin="no",
        minority="refused",
        housing_exclusion="no",
        **TERRITORY,
    )
    anna_in = enrol(anna, project, date(2024, 2, 1))
    anna_in.labour_status_at_start = "long_term"
    anna_in.save()
    event = anna_in.events.create(
        kind="completed", date=date(2024, 10, 31), situation="job_seeking"
    )
    anna_in.status, anna_in.status_date, anna_in.end_date = "completed", event.date, event.date
    anna_in.save()
    bogdan = ParticipantFactory(
        first_name="Bogdan",
        last_name="Nowak",
        pesel="",
        birth_date=date(1970, 5, 6),
        sex="M",
        city="Jawiszowice",
        postal_code="32-626",
        education="isced1",
        citizenship="non_eu",
        foreign_origin="yes",
        minority="no",
        housing_exclusion="yes",
        **{**TERRITORY, "degurba": "3"},
    )
    bogdan_in = enrol(bogdan, project, date(2024, 3, 1))
    bogdan_in.labour_status_at_start = "unregistered"
    bogdan_in.save()
    celina = ParticipantFactory(  # no DEGURBA, no answer about a minority, no support
        first_name="Celina",
        last_name="Zawada",
        education="isced2",
        citizenship="pl",
        foreign_origin="no",
        housing_exclusion="no",
        **{**TERRITORY, "degurba": ""},
    )
    celina_in = enrol(celina, project, date(2024, 4, 1))
    celina_in.labour_status_at_start = "inactive"
    celina_in.save()
    dorota = ParticipantFactory(
        first_name="Dorota", last_name="Zastrzeżona", processing_restricted=True
    )
    enrol(dorota, project, date(2024, 2, 1))
    social = Activity.objects.create(
        project=project,
        support_form=support_form("trening kompetencji społecznych"),
        name="Trening",
        planned_hours=Decimal("20"),
        start_date=date(2024, 2, 1),
        end_date=date(2024, 12, 31),
    )
    course = Activity.objects.create(
        project=project,
        support_form=support_form("szkolenie zawodowe / kurs"),
        name="Kurs",
        planned_hours=Decimal("20"),
        start_date=date(2024, 2, 1),
        end_date=date(2024, 12, 31),
    )
    present(social, date(2024, 3, 5), anna, bogdan)
    present(social, date(2024, 2, 20), anna)
    present(course, date(2024, 4, 2), bogdan)
    return project


def workbook_rows(response) -> list[dict]:
    assert response.status_code == 200, response
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_one_correct_row_per_complete_participant(manager_client, project):
    response = manager_client.get(reverse("reports:eu_xlsx", args=[project.pk]) + "?complete=1")
    rows = workbook_rows(response)
    assert [row["Nazwisko"] for row in rows] == ["Kowalska", "Nowak"]
    anna, bogdan = rows
    assert anna == {
        "Numer projektu": "FEMP.06.14-IP.01-0042/24",
        "Obywatelstwo": "Obywatelstwo polskie",
        "Rodzaj uczestnika": "Indywidualny",
        "Imię": "Anna",
        "Nazwisko": "Kowalska",
        "PESEL": "85071312346",
        "Płeć": "Kobieta",
        "Wiek w chwili przystąpienia do projektu": 38,
        "Wykształcenie": "Ponadgimnazjalne (ISCED 3) lub policealne (ISCED 4)",
        "Kraj": "Polska",
        "Województwo": "małopolskie",
        "Powiat": "oświęcimski",
        "Gmina": "Brzeszcze",
        "Miejscowość": "Brzeszcze",
        "Kod pocztowy": "32-620",
        "Obszar wg stopnia urbanizacji (DEGURBA)": 2,
        "Telefon kontaktowy": "600 100 200",
        "Adres e-mail": "anna@example.pl",
        "Data rozpoczęcia udziału w projekcie": anna["Data rozpoczęcia udziału w projekcie"],
        "Data zakończenia udziału w projekcie": anna["Data zakończenia udziału w projekcie"],
        "Status osoby na rynku pracy w chwili przystąpienia do projektu": (
            "Osoba bezrobotna zarejestrowana w ewidencji urzędów pracy"
        ),
        "W tym": "Osoba długotrwale bezrobotna",
        "Sytuacja osoby w momencie zakończenia udziału w projekcie": "Osoba poszukująca pracy",
        "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką "
        "uczestnictwa": "Tak",
        "Rodzaj przyznanego wsparcia": "Aktywna integracja o charakterze społecznym",
        "Data rozpoczęcia udziału we wsparciu": anna["Data rozpoczęcia udziału we wsparciu"],
        "Osoba obcego pochodzenia": "Nie",
        "Obywatel państwa trzeciego": "Nie",
        "Osoba należąca do mniejszości narodowej lub etnicznej (w tym społeczności "
        "zmarginalizowane)": "Odmowa podania informacji",
        "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań": "Nie",
        "Osoba z niepełnosprawnościami": "Tak",
    }
    # Dates are dates (shown as 01.02.2024), not text.
    assert anna["Data rozpoczęcia udziału w projekcie"].date() == date(2024, 2, 1)
    assert anna["Data zakończenia udziału w projekcie"].date() == date(2024, 10, 31)
    assert anna["Data rozpoczęcia udziału we wsparciu"].date() == date(2024, 2, 20)
    assert bogdan["PESEL"] == "brak PESEL"
    assert bogdan["Obywatelstwo"] == "Brak polskiego obywatelstwa lub UE"
    assert bogdan["Obywatel państwa trzeciego"] == "Tak"
    assert bogdan["Osoba obcego pochodzenia"] == "Tak"
    assert bogdan["Wiek w chwili przystąpienia do projektu"] == 53
    assert bogdan["Obszar wg stopnia urbanizacji (DEGURBA)"] == 3
    assert bogdan["Status osoby na rynku pracy w chwili przystąpienia do projektu"] == (
        "Osoba bezrobotna niezarejestrowana w ewidencji urzędów pracy"
    )
    assert bogdan["W tym"] == "Inne"
    # Still taking part: no end, no situation on leaving, no "completed the path".
    assert bogdan["Data zakończenia udziału w projekcie"] is None
    assert bogdan["Sytuacja osoby w momencie zakończenia udziału w projekcie"] is None
    # Both kinds of support, the earliest first, from his first session.
    assert bogdan["Rodzaj przyznanego wsparcia"] == (
        "Aktywna integracja o charakterze społecznym; Aktywna integracja o charakterze zawodowym"
    )
    assert bogdan["Data rozpoczęcia udziału we wsparciu"].date() == date(2024, 3, 5)
    assert bogdan["Osoba z niepełnosprawnościami"] == "Nie"
    assert bogdan["Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań"] == "Tak"
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["S2"].number_format == "DD.MM.YYYY" and sheet.freeze_panes == "A2"


def test_header_row_in_the_configured_order(manager_client, project):
    default = [column.header for column in COLUMNS]
    url = reverse("reports:eu_xlsx", args=[project.pk]) + "?complete=1"
    sheet = load_workbook(BytesIO(manager_client.get(url).content)).active
    assert [cell.value for cell in sheet[1]] == default

    # A call's template: sex first, PESEL renamed, e-mail left out.
    EuColumnSetting.objects.create(key="sex", position=1)
    EuColumnSetting.objects.create(key="pesel", header="Numer PESEL")
    EuColumnSetting.objects.create(key="email", included=False)
    sheet = load_workbook(BytesIO(manager_client.get(url).content)).active
    expected = ["Płeć"] + [
        "Numer PESEL" if h == "PESEL" else h for h in default if h not in ("Płeć", "Adres e-mail")
    ]
    assert [cell.value for cell in sheet[1]] == expected
    assert [cell.value for cell in sheet[2]][:6] == [
        "Kobieta",
        "FEMP.06.14-IP.01-0042/24",
        "Obywatelstwo polskie",
        "Indywidualny",
        "Anna",
        "Kowalska",
    ]
    # The page lists the columns in the same order.
    html = manager_client.get(reverse("reports:eu", args=[project.pk])).content.decode()
    assert html.index("<li>Płeć</li>") < html.index("<li>Numer projektu</li>")
    assert "<li>Adres e-mail</li>" not in html


def test_incomplete_people_refuse_the_file_and_are_listed(manager_client, project):
    response = manager_client.get(reverse("reports:eu_xlsx", args=[project.pk]))
    assert response.status_code == 302 and response.url == reverse("reports:eu", args=[project.pk])
    page = manager_client.get(response.url).content.decode()
    assert "Pliku nie przygotowano" in page
    assert "Zawada Celina" in page
    for missing in (
        "Obszar wg stopnia urbanizacji (DEGURBA)",
        "Osoba należąca do mniejszości narodowej lub etnicznej",
        "Rodzaj przyznanego wsparcia",
    ):
        assert missing in page
    celina = project.enrolments.get(participant__last_name="Zawada").participant
    # One click from the form where the data go, its EU section open.
    assert f'href="{reverse("participants:edit", args=[celina.pk])}?eu=1#eu"' in page
    assert "Pobierz tylko 2 kompletnych uczestników" in page
    form = manager_client.get(reverse("participants:edit", args=[celina.pk]) + "?eu=1")
    assert 'id="eu" open' in form.content.decode()


def test_a_column_left_out_is_not_required(manager_client, project):
    EuColumnSetting.objects.create(key="degurba", included=False)
    EuColumnSetting.objects.create(key="minority", included=False)
    from participants.models import Participant

    export = eu_export(project, Participant.objects.all())
    [celina] = export.incomplete
    assert celina.missing == [
        "Rodzaj przyznanego wsparcia",
        "Data rozpoczęcia udziału we wsparciu",
    ]


def test_complete_project_downloads_without_asking(manager_client, project):
    project.enrolments.filter(participant__last_name="Zawada").delete()
    response = manager_client.get(reverse("reports:eu_xlsx", args=[project.pk]))
    assert len(workbook_rows(response)) == 2
    assert response["Content-Disposition"] == (
        f'attachment; filename="monitoring-efs-projekt-{project.pk}.xlsx"'
    )
    assert "no-store" in response["Cache-Control"]


def test_restricted_people_are_never_exported_and_the_download_is_logged(
    manager_client, manager, project
):
    response = manager_client.get(reverse("reports:eu_xlsx", args=[project.pk]) + "?complete=1")
    rows = workbook_rows(response)
    assert "Zastrzeżona" not in {row["Nazwisko"] for row in rows}
    exported = AccessLog.objects.filter(action="export", user=manager)
    assert sorted(e.participant.last_name for e in exported) == ["Kowalska", "Nowak"]
    assert exported.first().what == f"EU monitoring export, project {project.pk} (XLSX)"
    refused = AccessLog.objects.get(action="refused")
    assert refused.participant.last_name == "Zastrzeżona"
    page = manager_client.get(reverse("reports:eu", args=[project.pk])).content.decode()
    assert "1 osoba nie jest eksportowana" in page


def test_formula_payloads_come_back_as_text(manager_client, project):
    payloads = ['=HYPERLINK("http://x.example","click")', "+1", "-1", "@x", "\t=1", "\r=1"]
    from participants.models import Participant

    for name, texts in (("Kowalska", payloads[:3]), ("Nowak", payloads[3:])):
        person = Participant.objects.get(last_name=name)
        person.last_name, person.city, person.county = texts
        person.save()
    project.enrolments.filter(participant__degurba="").delete()
    content = manager_client.get(reverse("reports:eu_xlsx", args=[project.pk])).content
    sheet = load_workbook(BytesIO(content)).active
    texts = []
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str) and cell.value.replace("\n", "\r") in payloads:
                assert cell.data_type == "s" and cell.quotePrefix
                texts.append(cell.value.replace("\n", "\r"))
    # XML turns a carriage return into a line feed; both start a formula alike.
    assert sorted(texts) == sorted(payloads)


def test_who_may_export(client, caseworker_client, manager_client, manager, project):
    for name in ("reports:eu", "reports:eu_xlsx"):
        url = reverse(name, args=[project.pk])
        assert client.get(url).status_code == 302
        assert caseworker_client.get(url).status_code == 403
    assert manager_client.get(reverse("reports:eu", args=[project.pk])).status_code == 200
    # Disability and ethnic origin: without the sensitive-data permission, no export.
    for group in manager.groups.all():
        group.permissions.remove(Permission.objects.get(codename="view_sensitive_data"))
    from kis.tests.clients import https_client

    again = https_client()
    again.force_login(type(manager).objects.get(pk=manager.pk))
    assert again.get(reverse("reports:eu", args=[project.pk])).status_code == 403


def test_query_count_does_not_grow_with_people(manager_client, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("reports:eu", args=[project.pk])
    manager_client.get(url)
    with CaptureQueriesContext(connection) as few:
        manager_client.get(url)
    for n in range(30):
        person = ParticipantFactory(first_name=f"Osoba{n}", **TERRITORY)
        enrol(person, project, date(2024, 5, 1))
    with CaptureQueriesContext(connection) as many:
        html = manager_client.get(url).content.decode()
    assert "33 uczestników projektu" in html  # the restricted person apart
    assert len(few) == len(many), (len(few), len(many))


def test_configured_columns_default_to_the_table():
    assert [c.header for c in configured_columns()] == [c.header for c in COLUMNS]
    assert len({c.key for c in COLUMNS}) == len(COLUMNS)
    # What the import reads: where each value comes from, and the system's wording.
    assert {c.key: c.field for c in COLUMNS}["pesel"] == "participant.pesel"
    assert {c.key: c.values for c in COLUMNS}["sex"] == {"F": "Kobieta", "M": "Mężczyzna"}


def test_an_administrator_changes_a_header_in_admin(administrator_client, manager_client, project):
    changelist = reverse("admin:reports_eucolumnsetting_changelist")
    assert administrator_client.get(changelist).status_code == 200
    add = reverse("admin:reports_eucolumnsetting_add")
    assert "Numer projektu" in administrator_client.get(add).content.decode()
    response = administrator_client.post(
        add, {"key": "project_number", "header": "  Nr umowy  ", "position": "", "included": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert EuColumnSetting.objects.get(key="project_number").header == "Nr umowy"
    html = manager_client.get(reverse("reports:eu", args=[project.pk])).content.decode()
    assert "<li>Nr umowy</li>" in html
    assert manager_client.get(changelist).status_code == 302  # admin is for administrators
