"""The import wizard in a real browser, step by step, with a picture of each step in
test-artifacts/screenshots/import-*.png (look at them after changing the wizard), and
axe-core's check of each page."""

from datetime import date

from kis.models import BackgroundJob
from kis.tests.browser.conftest import BROWSER_TEST, axe_violations, login, screenshot
from participants.models import ImportBatch, Participant
from participants.tests.factories import ParticipantFactory
from participants.tests.test_imports import KNOWN_PESEL, NEW_PESEL, workbook
from projects.tests.factories import ProjectFactory

pytestmark = BROWSER_TEST


def test_the_wizard_step_by_step(page, manager, tmp_path):
    project = ProjectFactory(
        title="Aktywni w Lipnicy", start_date=date(2016, 6, 1), end_date=date(2019, 5, 31)
    )
    ParticipantFactory(first_name="Katarzyna", last_name="Testowa", pesel=KNOWN_PESEL)
    path = tmp_path / "uczestnicy.xlsx"
    path.write_bytes(workbook())
    login(page, manager.username)
    page.get_by_role("link", name="Import", exact=True).first.click()
    page.wait_for_url("**/participants/import/")
    screenshot(page, "import-1-file")
    assert axe_violations(page) == []
    page.get_by_label("Plik (XLSX lub CSV)").set_input_files(str(path))
    page.get_by_role("button", name="Wczytaj i wskaż kolumny").click()
    page.get_by_role("heading", name="Import: co zawiera każda kolumna").wait_for()
    # Recognised from the headers.
    assert page.get_by_label("PESEL", exact=True).input_value() == "participant.pesel"
    page.get_by_label("Zapisz wszystkich do projektu").select_option(label=project.title)
    page.get_by_label("Podstawa przetwarzania danych nowych osób").select_option(value="law")
    page.get_by_label("Data zgody lub podstawy").fill("2017-09-01")
    screenshot(page, "import-2-columns")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Dalej: wartości").click()
    page.get_by_role("heading", name="Import: co znaczą wartości").wait_for()
    assert page.get_by_label("„Kobieta”").input_value() == "F"
    assert page.get_by_label("„doktorat”").input_value() == ""  # unknown: an error row
    screenshot(page, "import-3-values")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sprawdź wiersze (bez zapisywania)").click()
    page.get_by_role("heading", name="Import: sprawdzenie przed zapisaniem").wait_for()
    assert page.get_by_text("Ta sama osoba co w wierszu 3.").is_visible()
    screenshot(page, "import-4-report")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Zapisz 5 wierszy").click()
    page.get_by_text("Cofnij cały import").wait_for()
    screenshot(page, "import-5-saved")
    assert Participant.objects.filter(pesel=NEW_PESEL).exists()
    # The progress page of a job still running (tests run tasks at once: made by hand).
    job = BackgroundJob.objects.create(
        owner=manager,
        kind="import_check",
        label="Sprawdzanie importu pliku uczestnicy.xlsx",
        status=BackgroundJob.Status.RUNNING,
        progress=40,
        message="Sprawdzanie: wiersz 2000 z 5000",
    )
    page.goto(f"/jobs/{job.pk}/")
    page.get_by_text("Sprawdzanie: wiersz 2000 z 5000").wait_for()
    screenshot(page, "import-progress")
    assert axe_violations(page) == []
    BackgroundJob.objects.filter(pk=job.pk).update(
        status="done", progress=100, message="Sprawdzono: zobacz raport.",
        next_url=f"/participants/import/{ImportBatch.objects.get().pk}/",
    )  # fmt: skip
    page.wait_for_url("**/participants/import/*/")  # the page follows the job by itself
    page.get_by_role("button", name="Cofnij cały import").click()
    page.get_by_text("Import został cofnięty.").wait_for()
    assert not Participant.objects.filter(pesel=NEW_PESEL).exists()


def test_the_attendance_import(page, manager, tmp_path):
    from datetime import time

    from openpyxl import Workbook

    from participants.models import Attendance
    from participants.tests.support_factories import ActivityFactory, SessionFactory, assign

    activity = ActivityFactory(name="Warsztaty kulinarne")
    for day in (date(2017, 3, 7), date(2017, 3, 14)):
        SessionFactory(activity=activity, date=day, start_time=time(16))
    anna = assign(activity, ParticipantFactory(first_name="Anna", last_name="Nowak")).participant
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(["Nazwisko", "Imię", "07.03.2017", "14.03.2017", "21.03.2017"])
    sheet.append(["Nowak", "Anna", "✓", "U", ""])
    sheet.append(["Obca", "Osoba", "✓", "", ""])
    path = tmp_path / "obecnosci.xlsx"
    book.save(path)
    login(page, manager.username)
    page.goto("/participants/import/attendance/")
    page.get_by_label("Zajęcia").select_option(label=activity.name)
    page.get_by_label("Plik (XLSX lub CSV)").set_input_files(str(path))
    screenshot(page, "import-attendance-1-file")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Wczytaj i sprawdź").click()
    page.get_by_text("Osoba nie jest uczestnikiem tych zajęć.").wait_for()
    assert page.get_by_text("Zajęcia nie mają spotkania dnia 21.03.2017").is_visible()
    screenshot(page, "import-attendance-2-report")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Zapisz 1 wiersz").click()
    page.get_by_text("Zapisano").first.wait_for()
    assert dict(
        Attendance.objects.filter(participant=anna).values_list("session__date", "status")
    ) == {
        date(2017, 3, 7): "present",
        date(2017, 3, 14): "excused",
    }
