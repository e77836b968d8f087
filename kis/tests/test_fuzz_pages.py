"""Every form and every URL with a query string, as a browser submits them, then
spoilt (issue 12): never a server error, never a half-written refusal, and what is well
formed is accepted.

The forms are read from their pages (kis/tests/html_forms.py): an edit form posted back
exactly as its page carries it must save and change nothing (a form that loses a hidden
field, a date format or a decimal would fail here); a new record's form with the few
values a user types in must save one record. Hypothesis then spoils one to three fields
of that valid submission (NUL characters, over-long text, impossible dates and numbers,
unknown choices, fields left out or sent twice): the answer is a page with the reason
(200), a refusal (400/404) or a redirect, and a refusal writes nothing (every write is in
the audit trail, so its row count tells). The lists and searches get query strings built
the same way from their filter forms. Every admin change page, posted back as it is,
saves and changes nothing (or is refused where admin is read-only).

The participant, enrolment, drop-out, job, roll-call and expenditure forms have their own,
deeper fuzz tests (participants/tests/test_fuzz_forms.py, projects/tests/
test_fuzz_expenditure.py); the signed-list upload takes a file (participants/tests/
test_scans.py). Objects come from the role × URL matrix (kis/tests/matrix_data.py); the
signed-in user is a manager, who may open every one of these pages."""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlencode

import hypothesis
import pytest
from auditlog.models import LogEntry
from django.db import models, transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kis.tests.clients import https_client
from kis.tests.html_forms import page_forms
from kis.tests.matrix_data import args_for, build
from kis.tests.urls_util import all_urls
from participants.models import (
    Activity,
    ActivityParticipant,
    CommunityEvent,
    Diagnosis,
    DropoutReason,
    Employment,
    Enrolment,
    EnrolmentEvent,
    FamilyLink,
    FollowUp,
    Participant,
    Placement,
    QuestionnaireResponse,
    Session,
    ShortContact,
    SocialContract,
)
from participants.tests.factories import EnrolmentFactory
from projects.models import Expenditure, IndicatorValue
from projects.tests.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

# Few examples per form: there are some forty forms and lists, and a page costs a request.
# The same examples on every run, so that CI cannot fail by chance.
FUZZ = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,  # no .hypothesis directory in the working tree
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
PASSWORD = "correct-horse-battery-staple"  # kis.tests.factories.UserFactory's


@pytest.fixture
def world() -> dict:
    """The matrix's objects, and a few more that new records need: a project the person
    is not in, a person of the project not yet in the activity."""
    data = build()
    data["open_project"] = ProjectFactory(start_date=date(2016, 1, 1), end_date=date(2019, 12, 31))
    data["newcomer"] = EnrolmentFactory(
        project=data["project"], start_date=date(2016, 9, 1)
    ).participant
    return data


def manager_client(world: dict) -> Client:
    client = https_client()
    client.force_login(world["users"]["manager"])
    return client


@contextmanager
def rolled_back():
    """One example's writes, undone at its end (also after a failure)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------
# The forms.


@dataclass
class Target:
    """A form on a page: the page's URL name, the form's action (another URL name, or
    None for a form posting to its page), what a user types into it to make a valid
    submission (nothing for an edit form), and the records it saves."""

    page: str
    action: str | None = None
    typed: Callable[[dict, dict], dict] = lambda world, choices: {}
    saves: type[models.Model] | None = None  # a new record of this model
    record: Callable[[dict], models.Model] | None = None  # the record an edit form shows
    deletes: type[models.Model] | None = None
    query: Callable[[dict], dict] | None = None  # the page opened with this query

    def page_url(self, world: dict) -> str:
        url = reverse(self.page, args=args_for(self.page, world))
        return url + "?" + urlencode(self.query(world)) if self.query else url

    def form(self, client: Client, world: dict) -> tuple[str, dict[str, list[str]], dict]:
        """(where the form posts, its fields as the page carries them, its choices)."""
        response = client.get(self.page_url(world))
        assert response.status_code == 200, self.page
        action = reverse(self.action, args=action_args(self.action, world)) if self.action else ""
        forms = [
            form
            for form in page_forms(response.content.decode())
            if form["attrs"].get("method", "get").lower() == "post"
            and own_action(form["attrs"].get("action", "")) == action
        ]
        assert len(forms) == 1, f"{self.page}: {len(forms)} forms posting to {action!r}"
        data: dict[str, list[str]] = {}
        for name, value in forms[0]["fields"]:
            data.setdefault(name, []).append(value)
        posts_to = forms[0]["attrs"].get("action", "")
        if posts_to.startswith("?"):  # the page itself with a query
            return self.page_url(world).split("?")[0] + posts_to, data, forms[0]["choices"]
        return action or self.page_url(world), data, forms[0]["choices"]


def own_action(action: str) -> str:
    """A form's action, "" for the page itself (with or without a query)."""
    return "" if action.startswith("?") else action


def action_args(name: str, world: dict) -> list:
    if name == "participants:contact_delete":
        return [world["person"].pk, world["contact"].pk]
    if name == "projects:expenditure_delete":
        return [world["project"].pk, world["expenditure"].pk]
    if name == "participants:completion_bulk":
        return [world["activity"].pk]
    if name == "reports:narrative_update":
        return [2017, 1]
    return args_for(name, world)


def first_choice(choices: dict, name: str) -> str:
    return next(value for value in choices[name] if value)


TARGETS = [
    # Edit forms: posted back as the page carries them.
    Target("participants:edit", record=lambda w: w["person"]),
    Target("participants:employment_edit", record=lambda w: w["job"]),
    Target("participants:diagnosis_edit", record=lambda w: w["diagnosis"]),
    Target("participants:contract_edit", record=lambda w: w["contract"]),
    Target("participants:placement_edit", record=lambda w: w["placement"]),
    Target("participants:contact_edit", record=lambda w: w["contact"]),
    Target("participants:follow_up_edit", record=lambda w: w["follow_up"]),
    Target("participants:exit_situation", record=lambda w: w["finished"]),
    Target("participants:activity_edit", record=lambda w: w["activity"]),
    Target("participants:session_edit", record=lambda w: w["session"]),
    Target("participants:event_edit", record=lambda w: w["event"]),
    Target("projects:indicator_value_edit", record=lambda w: w["indicator_value"]),
    # The roll call records when it was taken: a save, not "nothing changed".
    Target("participants:roll_call"),
    # New records: what a user types in.
    Target(
        "participants:create",
        typed=lambda w, c: {
            "first_name": "Anna",
            "last_name": "Nowak",
            "birth_date": "01.01.1980",
            "sex": "F",
            "legal_basis": "consent",
        },
        saves=Participant,
    ),
    Target(
        "participants:enrol",
        typed=lambda w, c: {"project": str(w["open_project"].pk), "start_date": "02.01.2017"},
        saves=Enrolment,
    ),
    Target(
        "participants:enrolment_event",
        typed=lambda w, c: {"reason": str(DropoutReason.objects.filter(is_active=True)[0].pk)},
        saves=EnrolmentEvent,
    ),
    Target(
        "participants:leave_for_job",
        typed=lambda w, c: {
            "start_date": timezone.localdate().strftime("%d.%m.%Y"),
            "employer": "Piekarnia",
            "contract": "employment",
        },
        saves=Employment,
    ),
    Target(
        "participants:employment_create",
        typed=lambda w, c: {"start_date": "01.06.2018", "employer": "Sklep", "contract": "mandate"},
        saves=Employment,
    ),
    Target(
        "participants:diagnosis_create",
        typed=lambda w, c: {"date": "15.09.2016", "needs": "Praca, mieszkanie"},
        saves=Diagnosis,
    ),
    Target(
        "participants:contract_create",
        typed=lambda w, c: {
            "number": "KS/2/2017",
            "signed_on": "02.01.2017",
            "start_date": "02.01.2017",
            "end_date": "31.12.2017",
            "goals": "Praca",
            "participant_obligations": "Udział w zajęciach",
            "centre_obligations": "Wsparcie",
            "caseworker": str(w["contract"].caseworker_id),
        },
        saves=SocialContract,
    ),
    Target(
        "participants:placement_create",
        typed=lambda w, c: {
            "kind": "internship",
            "employer_name": "Piekarnia",
            "start_date": "01.10.2017",
            "end_date": "31.12.2017",
            "hours_per_month": "160",
        },
        saves=Placement,
    ),
    Target(
        "participants:contact_create",
        typed=lambda w, c: {"kind": "consultation", "staff": str(w["contract"].caseworker_id)},
        saves=ShortContact,
    ),
    Target(
        "participants:follow_up_create",
        typed=lambda w, c: {
            "kind": "6m",
            "situation": "employed",
            "source": first_choice(c, "source"),
        },
        saves=FollowUp,
    ),
    Target(
        "participants:activity_create",
        typed=lambda w, c: {
            "project": str(w["project"].pk),
            "support_form": str(w["activity"].support_form_id),
            "name": "Warsztaty",
            "planned_hours": "10",
            "start_date": "02.01.2017",
            "end_date": "30.06.2017",
        },
        saves=Activity,
    ),
    Target(
        "participants:activity_assign",
        typed=lambda w, c: {"participants": str(w["newcomer"].pk)},
        saves=ActivityParticipant,
    ),
    Target(
        "participants:session_create",
        typed=lambda w, c: {"date": "14.03.2017", "start_time": "16:00", "duration_hours": "3"},
        saves=Session,
    ),
    Target(
        "participants:session_series",
        typed=lambda w, c: {
            "weekdays": ["1", "3"],
            "first_date": "01.05.2017",
            "weeks": "2",
            "start_time": "10:00",
            "duration_hours": "3,5",
        },
        saves=Session,
    ),
    Target(
        "participants:event_create",
        typed=lambda w, c: {"name": "Wigilia", "date": "20.12.2017", "place": "Klub"},
        saves=CommunityEvent,
    ),
    Target(
        "participants:family_add",
        typed=lambda w, c: {"relative": str(w["relative"].pk), "relation": "sibling"},
        saves=FamilyLink,
    ),
    Target(
        "projects:indicator_value_create",
        typed=lambda w, c: {"date": "31.12.2017", "value_total": "3", "source": "Lista obecności"},
        saves=IndicatorValue,
    ),
    Target(
        "participants:questionnaire_fill",
        typed=lambda w, c: {n: c[n][0] for n in c if n.startswith("question_")},
        saves=QuestionnaireResponse,
    ),
    Target("projects:expenditure_edit", record=lambda w: w["expenditure"]),
    Target(
        "projects:expenditure_create",
        typed=lambda w, c: {
            "date": "15.03.2017",
            "category": first_choice(c, "category"),
            "amount": "1 234,56",
            "source": "eu",
        },
        saves=Expenditure,
    ),
    # Two records of one person made one (the matrix's person and the relative).
    Target("participants:merge", typed=lambda w, c: {"confirm": "on"}),
    # Forms posting elsewhere than their page.
    Target(
        "participants:detail",
        action="participants:restriction",
        typed=lambda w, c: {"reason": "Sprzeciw osoby (art. 21 RODO)"},
    ),
    Target("participants:contact_edit", action="participants:contact_delete", deletes=ShortContact),
    Target("projects:expenditure_edit", action="projects:expenditure_delete", deletes=Expenditure),
    # The project's enrolment page, with a search that finds one person not in it yet.
    Target(
        "participants:project_enrol",
        query=lambda w: {"q": w["relative"].last_name + " " + w["relative"].first_name},
        typed=lambda w, c: {"start_date": "02.01.2017"},
        saves=Enrolment,
    ),
    Target(
        "participants:project_enrol",
        query=lambda w: {"q": w["relative"].last_name + " " + w["relative"].first_name},
        action="participants:project_enrol_bulk",
        typed=lambda w, c: {"participant": str(w["relative"].pk), "start_date": "02.01.2017"},
        saves=Enrolment,
    ),
    # Answers with a message on the grid's page whatever it is sent (a redirect).
    Target(
        "participants:activity_detail",
        action="participants:completion_bulk",
        typed=lambda w, c: {"completed_on": "30.06.2017", "assignment": str(w["assignment"].pk)},
    ),
    Target(
        "reports:annual",
        action="reports:narrative_update",
        typed=lambda w, c: {"text": "W 2017 roku Klub prowadził zajęcia."},
    ),
    Target(
        "password_change",
        typed=lambda w, c: {
            "old_password": PASSWORD,
            "new_password1": "Nowe-hasło-kis-2027",
            "new_password2": "Nowe-hasło-kis-2027",
        },
    ),
]

# Values a form might be sent instead of what its page offers.
JUNK = [
    "",
    " ",
    "\x00",
    "Ł\x00ucja",
    "a" * 5000,
    "ﷺ" * 300,  # folds (NFKD) into 18 letters each
    "-1",
    "0",
    "9" * 30,
    "1e309",
    "NaN",
    "3,5,5",
    "١٢",
    "abc",
    "31.02.2017",
    "01.01.0000",
    "31.12.9999",
    "2017-03-07",
    "25:61",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x","click")',
    "\u202eakjcuŁ",
]


def junk_value():
    return st.one_of(
        st.sampled_from(JUNK),
        st.text(max_size=20),
        st.lists(st.sampled_from(JUNK[:8]), min_size=2, max_size=3),  # a field sent twice
        st.none(),  # left out altogether
    )


@st.composite
def spoilt(draw, names: list[str]) -> dict:
    """{field: its junk value (None: left out)} for none, or one to three, of the fields."""
    some = st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)
    chosen = draw(st.one_of(st.just([]), some) if names else st.just([]), label="spoilt")
    changes = {name: draw(junk_value(), label=name) for name in chosen}
    if draw(st.booleans(), label="unknown field"):
        changes["zz_unknown"] = draw(junk_value())
    return changes


def valid_submission(target: Target, client: Client, world: dict) -> tuple[str, dict, dict]:
    url, data, choices = target.form(client, world)
    typed = target.typed(world, choices)
    for name, value in typed.items():
        data[name] = value if isinstance(value, list) else [value]
    return url, data, choices


def values_of(record: models.Model) -> dict:
    """A record's stored values, but for the bookkeeping an edit moves on."""
    fresh = type(record)._default_manager.get(pk=record.pk)
    skipped = {"version", "updated_at", "modified", "search_text", "last_login"}
    return {
        f.attname: seconds(getattr(fresh, f.attname))
        for f in fresh._meta.concrete_fields
        if f.name not in skipped
    }


def seconds(value):
    """A moment as a page shows it, to the second (admin's date and time fields)."""
    return value.replace(microsecond=0) if isinstance(value, datetime) else value


def rows(model: type[models.Model] | None) -> int:
    return model._default_manager.count() if model else 0


# One test per table, looping over it, rather than one per entry: the matrix's objects
# are made once (each entry in a transaction rolled back at its end), which keeps these
# tests to a minute or so; a failure names its entry.


def test_a_form_as_its_page_carries_it_with_what_a_user_types_is_accepted(world):
    client = manager_client(world)
    for target in TARGETS:
        with rolled_back():
            check_accepted(target, client, world)


def check_accepted(target: Target, client: Client, world: dict) -> None:
    url, data, _ = valid_submission(target, client, world)
    before = values_of(target.record(world)) if target.record else None
    saved, deleted = rows(target.saves), rows(target.deletes)

    response = client.post(url, data)

    errors = response.context.get("form").errors if response.context else None
    assert response.status_code == 302, f"{target.page}: refused {errors}"
    if target.saves:
        assert rows(target.saves) > saved, f"{target.page}: nothing saved"
    if target.deletes:
        assert rows(target.deletes) == deleted - 1
    if before is not None:
        assert values_of(target.record(world)) == before, f"{target.page}: posting back changed it"


def test_a_spoilt_form_is_refused_whole_or_accepted_never_a_server_error(world):
    client = manager_client(world)
    for target in TARGETS:
        check_spoilt(target, client, world)


def check_spoilt(target: Target, client: Client, world: dict) -> None:
    with rolled_back():
        url, data, _ = valid_submission(target, client, world)
    names = sorted(name for name in data if name != "csrfmiddlewaretoken")

    @given(changes=spoilt(names))
    @FUZZ
    def post(changes):
        with rolled_back():
            sent = {name: values for name, values in data.items() if name not in changes}
            for name, value in changes.items():
                if value is not None:
                    sent[name] = value
            written, saved = LogEntry.objects.count(), rows(target.saves)

            # A server error would raise here (the test client re-raises it).
            response = client.post(url, sent)

            hypothesis.event(f"HTTP {response.status_code}")
            assert response.status_code in (200, 302, 400, 404), target.page
            if not changes or set(changes) == {"zz_unknown"}:
                assert response.status_code == 302, f"{target.page}: valid input refused"
            if response.status_code != 302:
                assert LogEntry.objects.count() == written, f"{target.page}: refused, yet written"
                assert rows(target.saves) == saved

    post()


# ---------------------------------------------------------------------------------------
# URLs with a query string.


@dataclass
class Query:
    """A page that reads its query string: its URL name, and for each parameter the
    values a user can send from the page (its filter form's choices or typed text)."""

    name: str
    params: dict[str, Callable[[dict], st.SearchStrategy]] = field(default_factory=dict)
    form_params: bool = True  # parameters also read from the page's GET form
    anonymous: bool = False
    user: str = "manager"  # who opens it (kis.tests.matrix_data's users)
    answers: tuple[int, ...] = ()  # to valid queries; without: as to no query at all


def days():
    return st.dates(date(2014, 1, 1), date(2030, 12, 31)).map(lambda d: d.strftime("%d.%m.%Y"))


def words():
    return st.text(st.sampled_from("abcłóśżĄĆ "), max_size=12)


def pages():
    # The lists of the matrix have one page; a page past the end is not found (404).
    return st.just("1")


PICKER = {
    "q": lambda w: words(),
    "project": lambda w: st.just(str(w["project"].pk)),
    "page": lambda w: pages(),
}
IMPORT_ACTIONS = ("create", "update", "unchanged", "error", "warning")  # views.imports.ACTIONS
PERSON_LIST = {"q": lambda w: words(), "year": lambda w: st.integers(2000, 2100).map(str)}
QUERIES = [
    Query("participants:list", {**PERSON_LIST, "page": lambda w: pages()}),
    Query("participants:list_xlsx", {**PERSON_LIST}, form_params=False),
    Query("participants:contract_list", {**PERSON_LIST, "page": lambda w: pages()}),
    Query("participants:contract_list_xlsx", {**PERSON_LIST}, form_params=False),
    Query("participants:placement_list", {**PERSON_LIST, "page": lambda w: pages()}),
    Query("participants:placement_list_xlsx", {**PERSON_LIST}, form_params=False),
    Query("participants:event_list", {"page": lambda w: pages()}),
    Query(
        "participants:activity_list",
        {"project": lambda w: st.just(str(w["project"].pk)), "page": lambda w: pages()},
    ),
    Query("participants:activity_create", {"project": lambda w: st.just(str(w["project"].pk))}),
    Query(
        "participants:follow_up_list",
        {"overdue": lambda w: st.just("1"), "page": lambda w: pages()},
    ),
    Query("participants:follow_up_create", {"kind": lambda w: st.sampled_from(["4w", "6m"])}),
    Query("participants:project_enrol", {"q": lambda w: words()}),
    Query("participants:family_add", {"q": lambda w: words()}),
    Query("participants:edit", {"eu": lambda w: st.just("1")}),
    Query(
        "audit",
        {
            "participant": lambda w: st.just(str(w["person"].pk)),
            "user": lambda w: st.sampled_from(["manager", "cw-assigned", ""]),
            "date_from": lambda w: days(),
            "date_to": lambda w: days(),
            "page": lambda w: pages(),
            "changes_page": lambda w: pages(),
        },
    ),
    Query(
        "audit_xlsx",
        {
            "participant": lambda w: st.just(str(w["person"].pk)),
            "date_from": lambda w: days(),
        },
        form_params=False,
    ),
    Query(
        "participants:session_attendance_pdf",
        {"blank": lambda w: st.just("1")},
        form_params=False,
    ),
    # The matrix's person lacks EU data: refused without complete=1, a file with it.
    Query(
        "reports:eu_xlsx",
        {"complete": lambda w: st.just("1")},
        form_params=False,
        answers=(200, 302),
    ),
    Query(
        "participants:week_sessions",
        {
            "day": lambda w: st.dates(date(2016, 1, 1), date(2030, 12, 31)).map(date.isoformat),
            "page": lambda w: pages(),
        },
    ),
    Query("participants:duplicates", {"page": lambda w: pages()}),
    # A batch is seen by the caseworker who imported it.
    Query(
        "participants:import_report",
        {"show": lambda w: st.sampled_from(IMPORT_ACTIONS)},
        user="cw_assigned",
    ),
    Query(
        "projects:expenditure_list",
        {
            "year": lambda w: st.integers(2000, 2100).map(str),
            "category": lambda w: st.just(str(w["expenditure"].category_id)),
            "source": lambda w: st.sampled_from(Expenditure.Source.values),
            "page": lambda w: pages(),
        },
    ),
    # The people picker's search (JSON), for an event and for an activity.
    Query("participants:people_pick", {**PICKER}, form_params=False),
    Query("participants:people_pick_for", {**PICKER}, form_params=False),
    # The list behind a report's figure, of the year asked (without one: not found).
    Query(
        "reports:figure",
        {"year": lambda w: st.integers(2014, 2030).map(str)},
        form_params=False,
        answers=(200,),
    ),
    Query(
        "login",
        {"next": lambda w: st.sampled_from(["/participants/", "/", "/reports/"])},
        anonymous=True,
    ),
]


def query_params(query: Query, client: Client, world: dict) -> dict[str, st.SearchStrategy]:
    """Valid values of each parameter: the query's own, and the choices of the page's
    filter form (a select offers its options; a text field, a few letters)."""
    params = {name: make(world) for name, make in query.params.items()}
    if query.form_params:
        response = client.get(reverse(query.name, args=args_for(query.name, world)))
        for form in page_forms(response.content.decode()):
            if form["attrs"].get("method", "get").lower() != "get":
                continue
            for name, _ in form["fields"]:
                params.setdefault(name, words())
            for name, values in form["choices"].items():
                params[name] = st.sampled_from(values)
    return params


@st.composite
def query_strings(draw, params: dict[str, st.SearchStrategy]) -> tuple[list, bool]:
    """(the query's pairs, whether all of them are as the page offers them)."""
    names = sorted(params)
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=4), label="params")
    spoilt_names = draw(
        st.one_of(st.just([]), st.lists(st.sampled_from(names), unique=True, max_size=2)),
        label="spoilt",
    )
    pairs = []
    for name in chosen:
        if name in spoilt_names:
            value = draw(junk_value(), label=name)
            for one in value if isinstance(value, list) else [value or ""]:
                pairs.append((name, one))
        else:
            pairs.append((name, draw(params[name], label=name)))
    valid = not set(chosen) & set(spoilt_names)
    if draw(st.booleans(), label="unknown parameter"):
        pairs.append(
            (draw(st.sampled_from(["zz", "q\x00", "page[]", ""])), draw(junk_value()) or "")
        )
    return pairs, valid


def form_errors(response) -> dict:
    """The errors of the page's filter or search form, if it has one."""
    context = response.context or {}
    for key in ("filter", "form", "search"):
        form = context.get(key)
        form = getattr(form, "form", form)
        if form is not None and hasattr(form, "errors") and form.is_bound:
            return dict(form.errors)
    return {}


def test_any_query_string_is_answered_never_a_server_error(world):
    for query in QUERIES:
        client = https_client()
        if not query.anonymous:
            client.force_login(world["users"][query.user])
        check_query(query, client, world)


def check_query(query: Query, client: Client, world: dict) -> None:
    url = reverse(query.name, args=args_for(query.name, world))
    with rolled_back():
        params = query_params(query, client, world)
        plain = client.get(url).status_code
    assert plain in (200, 302) or query.answers, f"{url}: {plain} without a query"

    @given(query_string=query_strings(params))
    @FUZZ
    def get(query_string):
        pairs, valid = query_string
        with rolled_back():
            response = client.get(url + "?" + urlencode(pairs))

            hypothesis.event(f"HTTP {response.status_code}")
            assert response.status_code in (200, 302, 400, 404), url
            if valid:
                # What the page itself offers is answered as without a query.
                asked = {name for name, _ in pairs} & set(params)
                answers = (query.answers or (plain,)) if asked else (plain,)
                assert response.status_code in answers, f"{url}?{urlencode(pairs)}"
                assert form_errors(response) == {}, f"{url}?{urlencode(pairs)}"

    get()


def test_the_tables_above_name_every_form_and_every_query_of_the_app(world):
    """A new form or filter on a page of the matrix must be added above."""
    client = manager_client(world)
    posting, getting = set(), set()
    # Every page of the URLconf (files apart), and the targets' pages as they open them.
    pages = {(t.page, t.page_url(world)) for t in TARGETS}
    for name in all_urls():
        if not name.startswith("admin:") and not name.endswith(FILES):
            pages.add((name, reverse(name, args=args_for(name, world))))
    for name, url in sorted(pages):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        for form in page_forms(response.content.decode()):
            method = form["attrs"].get("method", "get").lower()
            action = own_action(form["attrs"].get("action", ""))
            target = resolve(action).view_name if action else None
            if target in ("set_language", "logout"):
                continue
            (posting if method == "post" else getting).add((name, target))
    known_posts = {(t.page, t.action) for t in TARGETS} | COVERED_ELSEWHERE
    missing = posting - known_posts
    assert missing == set(), f"forms without an entry in TARGETS: {missing}"
    # A filter or search form asks the page it names (the header's search: the list).
    unqueried = {target or page for page, target in getting} - {q.name for q in QUERIES}
    assert unqueried == set(), f"filters without an entry in QUERIES: {unqueried}"


# URLs of files, not pages (no forms to find).
FILES = ("_pdf", "_xlsx", "_json", "_scan", "healthz", "logo", "_file")
# Forms tested by their own tests (the module's docstring says which).
COVERED_ELSEWHERE = {
    ("participants:session_scan_upload", None),  # participants/tests/test_scans.py
    ("participants:import_list", None),  # a file: participants/tests/test_imports.py
    ("participants:attendance_import", None),  # a file: test_attendance_import.py
    # Buttons without fields that start a background PDF (nothing to fuzz but the id in
    # the URL): participants/tests/test_subject_access_log.py, test_background_pdf.py.
    ("participants:detail", "participants:export_pdf_start"),
    ("reports:project", "reports:report_pdf_start"),
}


# ---------------------------------------------------------------------------------------
# Admin: every change page posted back as it carries its form.

# Shown read-only to administrators (admin gives no change permission): a post is refused
# (403). These at least must stay so: the audit trail, the access log, what is recorded
# only through the app.
ADMIN_READ_ONLY = {
    "auditlog.LogEntry",
    "kis.AccessLog",
    "participants.EnrolmentEvent",
    "reports.IssuedReport",  # an issued report is never changed (reports.issuing)
}


def admin_may_change(record: models.Model, user) -> bool:
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return admin.site._registry[type(record)].has_change_permission(request, record)


# Rows that neither the matrix nor the set-up below makes: written by the app itself
# (lock-out records, background tasks, questionnaire answers, certificates issued) or a
# configuration row admin creates on first save.
ADMIN_WITHOUT_ROWS = {
    "axes.AccessAttempt",
    "axes.AccessFailureLog",
    "django_tasks_database.DBTaskResult",
    "participants.Certificate",
    "participants.QuestionnaireResponse",
    "reports.EuColumnSetting",
}


def admin_models() -> list[str]:
    from django.contrib import admin

    labels = {model._meta.label for model in admin.site._registry}
    assert labels >= ADMIN_WITHOUT_ROWS, "ADMIN_WITHOUT_ROWS names a model admin no longer has"
    return sorted(labels - ADMIN_WITHOUT_ROWS)


def test_an_admin_change_page_posted_back_as_it_is_saves_and_changes_nothing(world):
    from participants.models import FamilyLink
    from projects.tests.factories import BudgetLineFactory, OrganisationFactory

    OrganisationFactory()
    BudgetLineFactory(project=world["project"])
    FamilyLink.objects.create(
        participant=world["person"], relative=world["relative"], relation="sibling"
    )
    for label in admin_models():
        with rolled_back():
            check_admin_change_page(label, world)


def check_admin_change_page(label: str, world: dict) -> None:
    from django.apps import apps

    client = https_client()
    client.force_login(world["users"]["admin"])  # a login, in axes's log
    client.get(reverse("participants:detail", args=[world["person"].pk]))  # a read, in ours
    model = apps.get_model(label)
    record = model._default_manager.order_by("pk").first()
    assert record is not None, f"{label}: add a row to the set-up or to ADMIN_WITHOUT_ROWS"
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    response = client.get(url)
    assert response.status_code == 200
    own = [
        form
        for form in page_forms(response.content.decode())
        if form["attrs"].get("method", "").lower() == "post" and not form["attrs"].get("action")
    ]
    data: dict[str, list[str]] = {}
    for name, value in own[0]["fields"] if own else []:
        data.setdefault(name, []).append(value)
    before = values_of(record)

    response = client.post(url, data)

    if not admin_may_change(record, world["users"]["admin"]):
        assert response.status_code == 403, label
    elif label in ADMIN_READ_ONLY:
        raise AssertionError(f"{label} became changeable in admin")
    else:
        context = response.context or {}
        errors = context["adminform"].form.errors if "adminform" in context else None
        assert response.status_code == 302, f"{label}: refused {errors} {context.get('errors')}"
    assert values_of(record) == before, f"{label}: posting the page back changed it"
