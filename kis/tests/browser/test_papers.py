"""Papers in the browser: a PDF opens in a new tab while the app stays open and shows
that it is busy; every PDF's pages are saved as pictures in test-artifacts/pdf/ (to be
looked at, as DEVELOPERS.md asks); a caseworker uploads a signed attendance list."""

import io
from datetime import date
from pathlib import Path

import pdfplumber
from django.urls import reverse

from kis.tests.browser.conftest import BASE_DIR, BROWSER_TEST, login, screenshot
from kis.tests.papers_data import build_papers
from participants.models import AttendanceScan, Session
from participants.tests.support_factories import PDF_BYTES
from projects.tests.factories import ProjectStaffFactory, StaffMemberFactory

pytestmark = BROWSER_TEST

PAGES = BASE_DIR / "test-artifacts" / "pdf"


def _save_pages(name: str, content: bytes) -> list[Path]:
    """The PDF and a picture of each of its pages (70 dpi, like pdftoppm -r 70)."""
    PAGES.mkdir(parents=True, exist_ok=True)
    (PAGES / f"{name}.pdf").write_bytes(content)
    paths = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            path = PAGES / f"{name}-{number}.png"
            page.to_image(resolution=70).save(path)
            paths.append(path)
    return paths


def test_every_pdf_opens_in_a_new_tab_and_its_pages_are_pictured(page, manager, media_root):
    papers = build_papers(manager)
    login(page, manager.username)

    # The app stays open in its tab, busy while the document is prepared in the new one.
    page.goto(reverse("reports:annual", args=[2014]))
    link = page.get_by_role("link", name="Pobierz PDF")
    assert link.get_attribute("target") == "_blank"
    with page.context.expect_page() as new_tab:
        link.click()
    assert new_tab.value != page
    assert page.url.endswith("/reports/annual/2014/")
    busy = page.locator("a[aria-busy='true']")
    assert busy.inner_text() == "Przygotowywanie PDF…"
    screenshot(page, "papers-1-annual-busy")
    # Coming back to the app's tab ends the busy state.
    page.bring_to_front()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.get_by_role("link", name="Pobierz PDF").wait_for()

    for name, url in papers.items():
        response = page.request.get(url)
        assert response.ok, url
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("inline")
        pictures = _save_pages(name, response.body())
        assert pictures and all(p.stat().st_size > 1000 for p in pictures), name

    # The card offers the papers to sign, each in a new tab.
    from participants.models import Participant

    anna = Participant.objects.get(first_name="Anna")
    page.goto(reverse("participants:detail", args=[anna.pk]))
    clause = page.get_by_role("link", name="Klauzula informacyjna (PDF)")
    assert clause.get_attribute("target") == "_blank"
    with page.context.expect_page():
        clause.click()
    assert page.get_by_role("link", name="plan działania do podpisu (PDF)").count() == 1
    screenshot(page, "papers-2-card")


def test_a_caseworker_uploads_the_signed_list_and_the_activity_shows_it(
    page, caseworker, manager, media_root, tmp_path
):
    papers = build_papers(manager)
    session = Session.objects.get(date=date(2014, 3, 6))
    activity = session.activity
    ProjectStaffFactory(project=activity.project, staff_member=StaffMemberFactory(user=caseworker))
    login(page, caseworker.username)

    page.goto(reverse("participants:activity_detail", args=[activity.pk]))
    assert page.get_by_text("odbyte spotkania nie mają podpisanej listy").count() == 1
    screenshot(page, "papers-3-activity-lacking-lists")
    page.goto(reverse("participants:session_scan_upload", args=[session.pk]))
    assert "Próbna Anna" in page.locator(".entered-marks").inner_text()
    scan = tmp_path / "lista-podpisana.pdf"
    scan.write_bytes(PDF_BYTES)
    page.get_by_label("Skan podpisanej listy").set_input_files(str(scan))
    page.get_by_role("button", name="Zapisz skan").click()
    page.get_by_text("potwierdź, że są zgodne").wait_for()  # the confirmation is required
    page.get_by_label("Skan podpisanej listy").set_input_files(str(scan))
    page.get_by_label("Porównałem(-am) podpisy z wprowadzoną obecnością: są zgodne.").check()
    page.get_by_role("button", name="Zapisz skan").click()
    page.get_by_text("Podpisana lista obecności została zapisana.").wait_for()
    assert AttendanceScan.objects.filter(session=session).exists()
    screenshot(page, "papers-4-signed-list-saved")

    page.goto(reverse("participants:activity_scans", args=[activity.pk]))
    page.get_by_text("zgodna", exact=True).wait_for()
    screenshot(page, "papers-5-signed-lists-check")
    assert papers  # every paper of the data set was built
