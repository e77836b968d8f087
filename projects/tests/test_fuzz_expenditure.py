"""Property-based tests: arbitrary costs, typed into the admin or passed to the service,
are recorded whole or refused with a ValidationError – never a server error, never a
row saved after a refusal.

Each example runs in a transaction of its own that is rolled back at its end. Objects
the strategies cannot know in advance are named by tokens ("@project", …) resolved to
primary keys in the test body."""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import hypothesis
import pytest
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kis.tests.clients import https_client
from projects.models import BudgetCategory, Expenditure, Project
from projects.services import expenditure_create
from projects.tests.factories import ProjectFactory, category

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    database=None,  # no .hypothesis directory in the working tree
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

PROJECT_DAYS = st.dates(date(2016, 6, 1), date(2019, 5, 31))  # ProjectFactory's dates


@contextmanager
def rolled_back():
    """One example's writes, undone at its end (also after a failure)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counts() -> tuple[int, int]:
    return Expenditure.objects.count(), AdminLogEntry.objects.count()


POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
CONTROL = "".join(map(chr, range(32))) + "\x7f\x85\u200b\u202e\u2028\ufeff"


def good_text(max_length: int):
    return st.text(st.sampled_from(POLISH + "abcXYZ0123456789 /.-"), max_size=max_length)


def junk_text(max_length: int):
    return st.one_of(
        st.text(st.sampled_from(POLISH + CONTROL + "aZ -/"), max_size=40),
        st.text(max_size=40),
        st.text(st.sampled_from(POLISH + "a"), min_size=max_length + 1, max_size=max_length + 60),
        st.sampled_from(["\x00", "FV\x00/1/2017", "\r\n", "<b>FV</b>", "' OR 1=1 --", "%s"]),
    )


# Amounts as an accountant might type them, well or badly.
AMOUNT_TEXTS = [
    "1e309",
    "-1e309",
    "NaN",
    "-NaN",
    "sNaN",
    "Infinity",
    "-inf",
    "-0",
    "0",
    "0.00",
    "0.001",
    "0.005",
    "3,5",
    "1 000,00",
    "1\xa0000.00",
    "999999999999999.99",
    "999999999999.99",
    "1000000000000.00",
    "1E+2",
    "1e-400",
    "0x10",
    "½",
    "١٠",
    " 5 ",
    "5\x00",
    "",
    "--1",
    "1.2.3",
]

DATE_TEXTS = [
    "",
    "31.02.2025",
    "29.02.2017",
    "2025-13-01",
    "abc",
    "00.00.0000",
    "01.01.0000",
    "1.1.1",
    "01.01.10000",
    "15.03.2017\x00",
    "15/03/2017",
    "31.05.2016",  # the day before the project
    "01.06.2019",  # the day after it
    "31.12.9999",
    "01.01.0001",
]


def dmy(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def junk_choice():
    return st.one_of(
        st.sampled_from(["", "0", "-1", "abc", "9" * 30, "1.0", "\x00", " "]),
        st.text(max_size=8),
        st.none(),
    )


@st.composite
def admin_posts(draw):
    good = {
        "project": st.just("@project"),
        "category": st.integers(1, 6).map(lambda order: f"@category{order}"),
        "date": PROJECT_DAYS.map(dmy),
        "amount": st.decimals(
            min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), places=2
        ).map(str),
        "source": st.sampled_from(Expenditure.Source.values),
        "document_number": good_text(100),
        "description": good_text(255),
    }
    bad = {
        "project": st.one_of(st.just("@deleted"), junk_choice()),
        "category": st.one_of(st.just("@deleted"), junk_choice()),
        "date": st.one_of(
            st.sampled_from(DATE_TEXTS),
            st.dates().map(dmy),
            st.dates().map(date.isoformat),
            st.text(st.sampled_from("0123456789.-/ "), max_size=12),
            st.none(),
        ),
        "amount": st.one_of(
            st.sampled_from(AMOUNT_TEXTS),
            st.decimals().map(str),
            st.text(st.sampled_from("0123456789.,-+eE "), max_size=20),
            st.none(),
        ),
        "source": junk_choice(),
        "document_number": junk_text(100),
        "description": junk_text(255),
    }
    spoilt = draw(
        st.one_of(st.just([]), st.lists(st.sampled_from(sorted(good)), unique=True, max_size=3)),
        label="spoilt",
    )
    data = {name: draw((bad if name in spoilt else good)[name], label=name) for name in good}
    return {**data, VALID: not spoilt}


# Set by admin_posts when no field was spoilt: the cost must then be recorded (a test
# of refusals alone would pass on a form that refuses everything).
VALID = "@valid"

ACCEPTED = {
    "project": "@project",
    "category": "@category1",
    "date": "15.03.2017",
    "amount": "307882.81",
    "source": "eu",
    "document_number": "FV/1/2017",
    "description": "",
    VALID: True,
}


def resolve(data: dict, project: Project, deleted: dict) -> dict:
    post = {}
    for name, value in data.items():
        if name == VALID:
            continue
        if value == "@project":
            value = str(project.pk)
        elif value == "@deleted":
            value = str(deleted[name])
        elif isinstance(value, str) and value.startswith("@category"):
            value = str(category(int(value.removeprefix("@category"))).pk)
        if value is not None:
            post[name] = value
    return post


@given(data=admin_posts())
@example(data=ACCEPTED)
@FUZZ
def test_admin_expenditure_form_never_fails_and_saves_whole_or_nothing(administrator, data):
    with rolled_back():
        project = ProjectFactory()
        # Primary keys of rows that no longer exist.
        gone_project, gone_category = ProjectFactory(), BudgetCategory.objects.create(name="Stara")
        deleted = {"project": gone_project.pk, "category": gone_category.pk}
        gone_project.delete()
        gone_category.delete()
        post = resolve(data, project, deleted)
        client = https_client()
        client.force_login(administrator)
        before = counts()

        response = client.post(reverse("admin:projects_expenditure_add"), post)

        hypothesis.event(f"HTTP {response.status_code}")
        assert response.status_code in (200, 302)
        if data[VALID]:
            hypothesis.event("valid, so accepted")
            assert response.status_code == 302, response.context["adminform"].form.errors
        expenditures, admin_log = counts()
        if response.status_code == 200:
            assert response.context["adminform"].form.errors
            assert (expenditures, admin_log) == before
            return
        assert response.url == reverse("admin:projects_expenditure_changelist")
        assert (expenditures, admin_log) == (before[0] + 1, before[1] + 1)
        saved = Expenditure.objects.latest("pk")
        assert saved.project == project
        assert saved.amount == Decimal(post["amount"])
        assert saved.amount > 0
        assert project.start_date <= saved.date <= project.end_date
        assert saved.source == post["source"]
        assert saved.document_number == post.get("document_number", "").strip()
        assert saved.description == post.get("description", "").strip()


# ---------------------------------------------------------------------------------------
# The service.

AMOUNTS = st.one_of(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999999.99"), places=2),
    st.decimals(),  # anything: NaN, sNaN, ±Infinity, any exponent
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.sampled_from(
        [
            Decimal("-0"),
            Decimal("0.00"),
            Decimal("1e309"),
            Decimal("999999999999999.99"),
            Decimal("999999999999.99"),
            Decimal("1E+2"),
            Decimal("0.001"),
            Decimal("1E-400"),
            Decimal("-1"),
            Decimal("Infinity"),
            Decimal("-Infinity"),
        ]
    ),
)


def check_service(project, *, must_save: bool, **arguments):
    """expenditure_create either saves exactly one whole row or raises ValidationError
    and saves nothing; any other exception fails the test. Well-formed arguments
    (`must_save`) are saved."""
    before = Expenditure.objects.count()
    try:
        expenditure, warnings = expenditure_create(project=project, **arguments)
    except ValidationError as error:
        hypothesis.event("refused")
        assert not must_save, f"well-formed arguments refused: {error}"
        assert Expenditure.objects.count() == before
        return
    hypothesis.event("saved")
    assert Expenditure.objects.count() == before + 1
    assert isinstance(warnings, list)
    saved = Expenditure.objects.get(pk=expenditure.pk)
    assert saved.amount == arguments["amount"]
    assert saved.amount > 0
    assert project.start_date <= saved.date <= project.end_date
    assert saved.date == arguments["date"]
    for name in ("source", "document_number", "description"):
        assert getattr(saved, name) == arguments[name]


@given(
    amount=AMOUNTS,
    day=st.one_of(PROJECT_DAYS, st.dates()),
    source=st.one_of(st.sampled_from(Expenditure.Source.values), junk_choice().filter(bool)),
)
@example(amount=Decimal("100.00"), day=date(2017, 3, 15), source="eu")
@FUZZ
def test_expenditure_service_saves_or_refuses_any_amount_and_date(amount, day, source):
    with rolled_back():
        project = ProjectFactory()
        well_formed = (
            amount.is_finite()
            and Decimal("0.01") <= amount <= Decimal("999999999999.99")
            and amount == amount.quantize(Decimal("0.01"))
            and project.start_date <= day <= project.end_date
            and source in Expenditure.Source.values
        )
        hypothesis.event("well formed" if well_formed else "malformed")
        check_service(
            project,
            must_save=well_formed,
            category=category(1),
            date=day,
            amount=amount,
            source=source,
            document_number="FV/1/2017",
            description="Materiały",
        )


@given(document_number=st.one_of(good_text(100), junk_text(100)), description=junk_text(255))
@FUZZ
def test_expenditure_service_saves_or_refuses_any_text(document_number, description):
    with rolled_back():
        well_formed = all(
            "\x00" not in text and len(text.strip()) <= limit
            for text, limit in ((document_number, 100), (description, 255))
        )
        check_service(
            ProjectFactory(),
            must_save=well_formed,
            category=category(1),
            date=date(2017, 3, 15),
            amount=Decimal("100.00"),
            source="eu",
            document_number=document_number,
            description=description,
        )


@pytest.mark.parametrize("amount", ["NaN", "-NaN", "sNaN"])
def test_expenditure_service_refuses_an_amount_that_is_not_a_number(amount):
    """Found by the tests above: Expenditure.clean() compares `amount <= 0`, which raises
    decimal.InvalidOperation for a NaN (the field's own check has already failed, but
    full_clean() calls clean() anyway)."""
    with pytest.raises(ValidationError):
        expenditure_create(
            project=ProjectFactory(),
            category=category(1),
            date=date(2017, 3, 15),
            amount=Decimal(amount),
            source="eu",
        )
    assert not Expenditure.objects.exists()


@pytest.mark.parametrize("field", ["document_number", "description"])
def test_expenditure_service_refuses_a_nul_character(field):
    """PostgreSQL cannot store NUL in text; forms refuse it, the service must too, on
    every database alike (SQLite would store it): a message on the field, nothing saved."""
    arguments = {"document_number": "FV/1/2017", "description": "Materiały", field: "FV\x00"}
    with pytest.raises(ValidationError) as refused:
        expenditure_create(
            project=ProjectFactory(),
            category=category(1),
            date=date(2017, 3, 15),
            amount=Decimal("100.00"),
            source="eu",
            **arguments,
        )
    assert list(refused.value.message_dict) == [field]
    assert refused.value.message_dict[field] == ["Znaki null są niedozwolone."]
    assert not Expenditure.objects.exists()
