"""The three users' journeys, and the wrong user's, in a real browser."""

import re
from datetime import time, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from kis.tests.browser.conftest import BROWSER_TEST, login, screenshot
from participants.models import (
    Attendance,
    Enrolment,
    FollowUp,
    Participant,
    QuestionnaireResponse,
    Session,
)
from participants.services.people import enrolment_event_record
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.outcome_factories import make_questionnaire
from participants.tests.support_factories import ActivityFactory
from projects.models import BudgetLine, Project
from projects.tests.factories import (
    OrganisationFactory,
    ProjectFactory,
    ProjectStaffFactory,
    StaffMemberFactory,
)
from reports.tests.scenario import build_2014

pytestmark = BROWSER_TEST


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return " ".join(p.extract_text() for p in PdfReader(BytesIO(data)).pages).replace("\xa0", " ")


def test_caseworker_registers_enrols_and_takes_the_roll_call(page, caseworker):
    OrganisationFactory()
    today = timezone.localdate()
    project = ProjectFactory(
        title="Aktywność daje możliwość",
        number="RPMP.09.01.01-12-0032/16",
        start_date=today - timedelta(days=300),
        end_date=today + timedelta(days=300),
    )
    activity = ActivityFactory(
        project=project,
        name="Trening kompetencji społecznych – grupa I",
        start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=60),
    )
    session = Session.objects.create(
        activity=activity,
        date=today - timedelta(days=1),
        start_time=time(16),
        duration_hours=Decimal("3.5"),
        topic="Komunikacja",
    )
    # The caseworker works in the project and runs the group (record-level access).
    trainer = StaffMemberFactory(user=caseworker, first_name="Ewa", last_name="Ślusarczyk")
    ProjectStaffFactory(project=project, staff_member=trainer)
    activity.staff.add(trainer)

    login(page, caseworker.username)
    screenshot(page, "caseworker-1-dashboard")

    # Register: first a PESEL with a wrong check digit, then the right one.
    nav(page).get_by_role("link", name="Uczestnicy").click()
    page.get_by_role("link", name="Zarejestruj uczestnika").click()
    page.get_by_label("Imię").fill("Żaneta")
    page.get_by_label("Nazwisko").fill("Ślęzak")
    page.get_by_label("PESEL").fill("02270803625")
    page.get_by_label("Miejscowość").fill("Brzeszcze")
    page.get_by_label("Podstawa przetwarzania danych").select_option("law")
    page.get_by_role("button", name="Zapisz").click()
    expect_text(page, "Ten numer PESEL ma błędną cyfrę kontrolną")
    assert page.get_by_label("Imię").input_value() == "Żaneta"  # nothing lost
    assert page.get_by_label("Miejscowość").input_value() == "Brzeszcze"
    assert not Participant.objects.exists()
    screenshot(page, "caseworker-2-invalid-pesel")
    page.get_by_label("PESEL").fill("02270803624")
    page.get_by_role("button", name="Zapisz").click()
    expect_text(page, "Uczestnik został zarejestrowany.")
    person = Participant.objects.get()
    assert (person.first_name, person.birth_date.isoformat(), person.sex) == (
        "Żaneta",
        "2002-07-08",
        "F",
    )
    screenshot(page, "caseworker-3-card")

    # Enrol in the project.
    page.get_by_role("link", name="Zapisz do projektu").click()
    page.locator("#id_project").select_option(label=project.title)
    page.get_by_label("Data rozpoczęcia").fill((today - timedelta(days=10)).strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Zapisz").click()
    expect_text(page, "Uczestnik został zapisany do projektu.")
    assert Enrolment.objects.get().project == project

    # Assign to the activity and open the session.
    page.goto(f"/participants/activities/{activity.pk}/")
    page.get_by_role("link", name="Przypisz uczestników").click()
    # The people picker: typed, found on the server, taken with Enter.
    screenshot(page, "caseworker-3b-assign")
    picker = page.locator("#id_participants")
    with page.expect_response(lambda r: "/participants/pick/" in r.url):
        picker.press_sequentially("slezak", delay=20)
    page.get_by_role("option", name=re.compile(r"^Ślęzak Żaneta \(ur\. 2002")).wait_for()
    picker.press("Enter")  # the only one found
    page.get_by_role("button", name="Zapisz").click()
    expect_text(page, "Przypisano 1 osobę.")
    page.get_by_role("link", name="Sprawdź obecność").click()
    screenshot(page, "caseworker-4-roll-call")

    # Roll call with the keyboard only: focus the person's mark, arrow to "absent",
    # arrow back to "present", Enter saves.
    page.locator(f"#mark-{person.pk}-present").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator(f"#mark-{person.pk}-absent").is_checked()
    page.keyboard.press("ArrowLeft")
    assert page.locator(f"#mark-{person.pk}-present").is_checked()
    page.keyboard.press("Enter")
    expect_text(page, "Lista obecności została zapisana.")
    assert Attendance.objects.get(session=session).status == "present"
    screenshot(page, "caseworker-5-roll-call-saved")

    # The card shows the attendance %.
    page.goto(f"/participants/{person.pk}/")
    row = page.locator("table.participant-activities tbody tr").first
    assert "100\xa0%" in row.inner_text() or "100 %" in row.inner_text()
    assert "3,5 / 3,5" in row.inner_text()
    screenshot(page, "caseworker-6-card-attendance")

    # Print the attendance list: a PDF with the person's name arrives.
    page.goto(f"/participants/activities/sessions/{session.pk}/")
    href = page.get_by_role("link", name="lista obecności (PDF)").get_attribute("href")
    response = page.request.get(href)
    assert response.headers["content-type"] == "application/pdf"
    text = _pdf_text(response.body())
    assert "Ślęzak Żaneta" in text and "RPMP.09.01.01-12-0032/16" in text


def test_manager_edits_the_summary_and_downloads_it(page, manager, tmp_path):
    OrganisationFactory()
    scenario = build_2014()
    login(page, manager.username)
    nav(page).get_by_role("link", name="Raporty").click()
    page.get_by_role("link", name="2014").first.click()
    expect_text(page, "Podsumowanie 2014 r.")
    screenshot(page, "manager-1-annual-summary")

    # Edit the paragraph of section 1.
    section = page.locator("#section-1")
    section.get_by_text("Edytuj akapit").click()
    section.get_by_label("Akapit części 1").fill(
        "W 2014 roku z Klubu skorzystało 8 osób; dziękujemy partnerom."
    )
    section.get_by_role("button", name="Zapisz akapit").click()
    expect_text(page, "Akapit został zapisany.")
    assert "dziękujemy partnerom" in page.locator("#section-1 .narrative").inner_text()
    screenshot(page, "manager-2-paragraph-saved")

    # The PDF opens in a new tab; the summary stays open in this one.
    link = page.get_by_role("link", name="Pobierz PDF")
    with page.context.expect_page():
        link.click()
    assert "/reports/annual/2014/" in page.url
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.headers["content-disposition"] == 'inline; filename="podsumowanie-kis-2014.pdf"'
    text = _pdf_text(pdf.body())
    assert "207 209,61 zł" in text and "89,35 %" in text and "dziękujemy partnerom" in text

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Pobierz Excel").click()
    workbook = load_workbook(BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    rows = list(workbook["Podsumowanie"].iter_rows(values_only=True))
    assert ("Osoby korzystające z usług Klubu", 8, 4, 4) in rows

    page.goto("/reports/")
    page.get_by_role("link", name=scenario.pokl.title).click()
    expect_text(page, "Raport projektu")
    expect_text(page, "ciąg alkoholowy")
    screenshot(page, "manager-3-project-report")


def test_administrator_configures_a_project_in_admin(page, administrator, manager):
    login(page, administrator.username)
    page.goto("/admin/projects/fundingprogramme/add/")
    page.locator("#id_name").fill(
        "Regionalny Program Operacyjny Województwa Małopolskiego 2014-2020"
    )
    page.locator("#id_short_name").fill("RPO WM")
    page.locator("#id_kind").select_option("eu")
    page.get_by_role("button", name="Zapisz", exact=True).click()
    expect_text(page, "RPO WM")
    screenshot(page, "admin-1-programme")

    page.goto("/admin/projects/project/add/")
    page.locator("#id_title").fill("Aktywność daje możliwość")
    page.locator("#id_number").fill("RPMP.09.01.01-12-0032/16")
    page.locator("#id_programme").select_option(label="RPO WM")
    page.locator("#id_start_date").fill("01.06.2016")
    page.locator("#id_end_date").fill("31.05.2019")
    page.locator("#id_total_value").fill("899346.16")
    page.locator("#id_cofinancing").fill("764444.23")
    page.locator("#id_own_contribution").fill("134901.94")  # one grosz too much
    page.locator("#budget_lines-group").get_by_role(
        "button", name=re.compile("Dodaj kolejn")
    ).click()
    page.locator("#id_budget_lines-0-year").fill("2017")
    page.locator("#id_budget_lines-0-category").select_option(label="Aktywna integracja")
    page.locator("#id_budget_lines-0-planned_amount").fill("360000")
    page.get_by_role("button", name="Zapisz", exact=True).click()
    expect_text(page, "musi być równa sumie dofinansowania i wkładu własnego")
    assert not Project.objects.exists()
    screenshot(page, "admin-2-sum-refused")

    page.locator("#id_own_contribution").fill("134901.93")
    page.get_by_role("button", name="Zapisz", exact=True).click()
    expect_text(page, "Dodano: projekt „")  # Django's message in a form right for every model
    project = Project.objects.get()
    assert BudgetLine.objects.get(project=project).planned_amount == Decimal("360000.00")
    screenshot(page, "admin-3-project-saved")

    # The manager now sees it.
    page.context.clear_cookies()
    login(page, manager.username)
    page.goto("/projects/")
    page.get_by_role("link", name="Aktywność daje możliwość").click()
    expect_text(page, "899\xa0346,16\xa0zł")
    screenshot(page, "admin-4-manager-sees-project")


def test_wrong_user_and_anonymous_are_refused(page, caseworker):
    page.goto("/reports/")
    assert "/accounts/login/" in page.url
    login(page, caseworker.username)
    response = page.goto("/reports/annual/2025/")
    assert response.status == 403
    expect_text(page, "Brak dostępu")
    screenshot(page, "wrong-user-refused")
    assert page.get_by_role("link", name="Raporty", exact=True).count() == 0


def test_participant_form_is_usable_with_the_keyboard(page, caseworker):
    login(page, caseworker.username)
    page.goto("/participants/new/")
    page.get_by_label("Imię").focus()
    page.keyboard.type("Łucja")
    page.keyboard.press("Tab")
    page.keyboard.type("Wójcik")
    page.keyboard.press("Tab")
    page.keyboard.type("02270803624")
    # Walk through the form with Tab until the legal basis select is reached.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_legal_basis":
            break
    page.keyboard.press("ArrowDown")  # choose the first basis
    assert page.get_by_label("Podstawa przetwarzania danych").input_value() != ""
    # On past the date (pre-filled with today) and the document to the Save button.
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Zapisz":
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == "Zapisz"
    page.keyboard.press("Enter")
    expect_text(page, "Uczestnik został zarejestrowany.")
    assert Participant.objects.get().last_name == "Wójcik"


def test_caseworker_fills_a_questionnaire_with_the_keyboard_and_records_a_follow_up(
    page, caseworker, caseworkers_see_all
):
    OrganisationFactory()
    today = timezone.localdate()
    project = ProjectFactory(
        start_date=today - timedelta(days=400), end_date=today + timedelta(days=400)
    )
    questionnaire = make_questionnaire(projects=[project])
    person = ParticipantFactory(first_name="Żaneta", last_name="Ślęzak", pesel="")
    EnrolmentFactory(participant=person, project=project, start_date=today - timedelta(days=60))
    leaver = EnrolmentFactory(
        participant=ParticipantFactory(first_name="Jerzy", last_name="Żak", sex="M", pesel=""),
        project=project,
        start_date=today - timedelta(days=90),
    )
    enrolment_event_record(
        enrolment=leaver, kind="completed", date=today - timedelta(days=10), recorded_by=None
    )
    login(page, caseworker.username)
    page.goto(f"/participants/{person.pk}/")
    page.locator(".enrolment-questionnaires").get_by_role("link", name="wypełnij").first.click()
    expect_text(page, "Ankieta kompetencji społecznych, na wejściu")
    # The keyboard only: arrows choose within a question, Tab goes to the next one,
    # Space chooses, Enter saves.
    first, second, third = questionnaire.questions.all()
    page.locator(f"#question_{first.pk}-1").focus()
    page.keyboard.press("ArrowRight")  # question 1: 2
    page.keyboard.press("Tab")  # question 2, on its first point
    for _ in range(3):
        page.keyboard.press("ArrowRight")  # 2, 3, 4
    assert page.locator(f"#question_{second.pk}-4").is_checked()
    page.keyboard.press("Tab")  # question 3
    page.keyboard.press("Space")  # 1
    assert page.locator(f"#question_{third.pk}-1").is_checked()
    screenshot(page, "caseworker-questionnaire-keyboard")
    page.keyboard.press("Enter")
    expect_text(page, "Ankieta została zapisana.")
    response = QuestionnaireResponse.objects.get(enrolment__participant=person)
    assert [a.value for a in response.answers.order_by("question__order")] == [2, 4, 1]
    screenshot(page, "caseworker-card-questionnaire")

    # The follow-up due, from the menu to the list to the form.
    nav(page).get_by_role("link", name="Monitoring").click()
    expect_text(page, "1 osoba czeka na kontakt.")
    page.get_by_role("link", name="odnotuj").click()
    assert page.get_by_label("Kontakt po zakończeniu udziału").input_value() == "4w"
    page.get_by_label("zatrudnienie").check()
    page.get_by_label("Źródło").select_option(label="telefon")
    page.get_by_label("Uwagi").fill("Umowa o pracę w piekarni")
    screenshot(page, "caseworker-follow-up-form")
    page.get_by_role("button", name="Zapisz").click()
    expect_text(page, "Kontakt został odnotowany.")
    follow_up = FollowUp.objects.get(enrolment=leaver)
    assert (follow_up.kind, follow_up.situation, follow_up.date) == ("4w", "employed", today)
    screenshot(page, "caseworker-card-follow-up")


def nav(page):
    return page.get_by_role("navigation", name="Nawigacja główna")


def expect_text(page, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for(state="visible")
