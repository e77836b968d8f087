"""Every PDF the app makes, generated from one set of test data and read as the person
who receives it would: in Polish (no English source string of a choice or verbose name,
no stored code), the centre's letterhead and "Strona X z Y" on every page, nothing
outside the page, the figures and labels it exists for. The papers of one kind are
tested in depth next to their code (participants/tests/test_papers.py,
participants/tests/test_scans.py, reports/tests/)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from kis.tests.papers_data import CENTRE, build_papers
from kis.tests.pdf_checks import english_in, pdf_pages, raw_codes, words_outside
from participants.models import Attendance, Session
from participants.tests.support_factories import png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]


@pytest.fixture
def papers(manager, media_root) -> dict[str, str]:
    return build_papers(manager)


def _pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf"
    # Opened in the browser (a new tab), saved under its name.
    assert response["Content-Disposition"].startswith("inline; filename=")
    return response.content


def test_the_checks_know_the_english_they_look_for():
    assert {"registered unemployed", "lower secondary (ISCED 2)", "project number"} <= set(
        english_in("registered unemployed; lower secondary (ISCED 2); Project number")
    )
    assert {"unemployed", "isced2", "in_force"} <= raw_codes()
    assert english_in("Zarejestrowany bezrobotny, projekt nr RPMP, PESEL, REGON, PFRON") == []


# What each paper exists for: its figures and labels (the project report's activity table
# with every column, the participant-hours one included).
EXPECTED = {
    "project": [
        "Osobogodziny obecności",
        "Trening kompetencji społecznych",
        "207 209,61 zł",
        "Podpis osoby zatwierdzającej",
    ],
    "annual": ["Podsumowanie 2014 r.", "207 209,61 zł", "Podpis osoby sporządzającej"],
    "statutory": ["Nadawca", "Adresat", "Wojewoda Małopolski", "REGON: 072228543"],
    "session": ["Lista obecności", "06.03.2014", "Próbna Anna", "obecna", "usprawiedliwiona"],
    "session_blank": ["Lista obecności", "Próbna Anna", "Podpis uczestnika"],
    "month": ["Lista obecności", "04.03.2014", "06.03.2014", "Próbna Dorota"],
    "certificate": ["ZAŚWIADCZENIE", "nr 1/", "Anna Próbna", "pieczęć ośrodka"],
    "subject_access": ["Dane przechowywane o osobie", "Obecność", "Plastuś III"],
    "contract": ["KONTRAKT SOCJALNY", "nr KS/1/2014", "art. 108", "Podpis uczestnika"],
    "action_plan": ["INDYWIDUALNY PLAN DZIAŁANIA", "Ukończy kurs kasjera", "30.06.2014"],
    "information_clause": ["art. 13", "Administratorem", "Prezesa Urzędu Ochrony Danych"],
}


def test_every_pdf(papers, manager_client):
    """Each paper once, every check on it (WeasyPrint takes its time)."""
    assert set(EXPECTED) == set(papers)
    for name, url in papers.items():
        content = _pdf(manager_client, url)
        pages = pdf_pages(content)
        text = " ".join(pages)
        # In Polish: no English source string of a choice or verbose name, no raw code.
        assert english_in(text) == [], name
        assert "True" not in text and "False" not in text, name
        # The letterhead and "Strona X z Y" on every page.
        for number, page in enumerate(pages, 1):
            assert CENTRE in page, (name, number)
            assert "REGON 072228543" in page, (name, number)
            assert f"Strona {number} z {len(pages)}" in page, (name, number)
        # Nothing outside the page box (pdfplumber's word coordinates).
        assert words_outside(content) == [], name
        for label in EXPECTED[name]:
            assert label in text, (name, label)
        if name == "session_blank":
            assert "obecna" not in text and "usprawiedliwiona" not in text


def test_the_statutory_report_totals_its_activities(papers, manager_client):
    text = " ".join(pdf_pages(_pdf(manager_client, papers["statutory"])))
    # 2014: the training's 2 sessions (3,5 h each) and the care point's 1 (4 h).
    assert "Razem 3 11,0" in text


def test_an_eu_funded_project_carries_its_logo_strip_on_every_page(papers, manager_client):
    from projects.models import Project

    pokl = Project.objects.get(number="POKL.07.01.01-12-001/13")
    assert pokl.is_eu_funded
    pokl.programme.logo_strip.save("pasek.png", ContentFile(png_bytes()))
    for name in ("session", "month", "project", "action_plan"):
        reader = PdfReader(io.BytesIO(_pdf(manager_client, papers[name])))
        assert all(len(page.images) >= 1 for page in reader.pages), name
    # Not on the papers of the club's own programme (no strip).
    certificate = PdfReader(io.BytesIO(_pdf(manager_client, papers["certificate"])))
    assert all(len(page.images) == 0 for page in certificate.pages)


def test_pdf_of_a_session_without_marks_is_blank(papers, manager_client):
    session = Session.objects.get(date=date(2014, 3, 4))
    assert not Attendance.objects.filter(session=session).exists()
    text = " ".join(
        pdf_pages(
            _pdf(manager_client, reverse("participants:session_attendance_pdf", args=[session.pk]))
        )
    )
    assert "Każdy obecny uczestnik podpisuje się" in text
    assert "obecna" not in text


def test_a_long_name_and_a_big_number_stay_on_the_page(papers, manager_client):
    """A long activity name and a big number do not push the project report's table
    past the margin."""
    from participants.models import Activity, SupportForm
    from projects.models import Project

    pokl = Project.objects.get(number="POKL.07.01.01-12-001/13")
    Activity.objects.create(
        project=pokl,
        support_form=SupportForm.objects.get(name="trening kompetencji społecznych"),
        name="Trening kompetencji społecznych i zawodowych dla osób długotrwale "
        "bezrobotnych z gmin Brzeszcze, Oświęcim i Kęty – grupa wieczorna",
        planned_hours=Decimal("12345.5"),
        start_date=date(2014, 1, 1),
        end_date=date(2014, 12, 31),
    )
    assert words_outside(_pdf(manager_client, papers["project"])) == []
