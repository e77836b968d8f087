"""About 60 invented participants with enrolments, drop-outs, jobs and returns.

Names are drawn at random (fixed seed) from common Polish first names and surnames;
PESEL numbers are generated with valid check digits. No real person is described.
Safe to re-run: people are keyed by PESEL, and history is written only once.
"""

import random
from contextlib import contextmanager
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from kis.lib.pesel import pesel_make
from participants.models import (
    Diagnosis,
    DropoutReason,
    Employment,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    ExitSituation,
    Goal,
    Participant,
    Sex,
)
from participants.services.people import (
    diagnosis_save,
    enrolment_create,
    enrolment_event_record,
    enrolment_leave_for_job,
    participant_create,
    participant_update,
)
from projects.models import Project, StaffMember
from projects.services import project_save

WOMEN = [
    "Anna",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Elżbieta",
    "Zofia",
    "Teresa",
    "Joanna",
    "Magdalena",
    "Monika",
    "Beata",
    "Dorota",
    "Jadwiga",
    "Halina",
    "Grażyna",
    "Renata",
    "Iwona",
    "Łucja",
    "Bożena",
]
MEN = [
    "Jan",
    "Andrzej",
    "Piotr",
    "Krzysztof",
    "Stanisław",
    "Tomasz",
    "Paweł",
    "Józef",
    "Marcin",
    "Marek",
    "Michał",
    "Grzegorz",
    "Jerzy",
    "Tadeusz",
    "Adam",
    "Łukasz",
    "Zbigniew",
    "Ryszard",
    "Dariusz",
    "Henryk",
]
# (male form, female form)
SURNAMES = [
    ("Nowak", "Nowak"),
    ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"),
    ("Woźniak", "Woźniak"),
    ("Mazur", "Mazur"),
    ("Krawczyk", "Krawczyk"),
    ("Kaczmarek", "Kaczmarek"),
    ("Zając", "Zając"),
    ("Wieczorek", "Wieczorek"),
    ("Wróbel", "Wróbel"),
    ("Dudek", "Dudek"),
    ("Pawlak", "Pawlak"),
    ("Walczak", "Walczak"),
    ("Sikora", "Sikora"),
    ("Baran", "Baran"),
    ("Szewczyk", "Szewczyk"),
    ("Ostrowski", "Ostrowska"),
    ("Michalski", "Michalska"),
    ("Zieliński", "Zielińska"),
    ("Jabłoński", "Jabłońska"),
    ("Górski", "Górska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Łuczak", "Łuczak"),
    ("Ślęzak", "Ślęzak"),
    ("Gołąb", "Gołąb"),
    ("Cieślak", "Cieślak"),
    ("Kołodziej", "Kołodziej"),
    ("Żak", "Żak"),
    ("Sobczak", "Sobczak"),
    ("Kamiński", "Kamińska"),
]
TOWNS = [
    ("Lipnica Dolna", "34-123"),
    ("Lipnica Górna", "34-124"),
    ("Zagórze", "34-125"),
    ("Brzezinka Mała", "34-126"),
]
STREETS = [
    "ul. Kasztanowa",
    "ul. Polna",
    "ul. Szkolna",
    "ul. Kościuszki",
    "os. Słoneczne",
    "ul. Ogrodowa",
    "ul. Młyńska",
]
EMPLOYERS = [
    "Piekarnia „Kłos” s.c.",
    "Zakład Usług Komunalnych w Lipnicy",
    "Sklep „Społem” PSS",
    "Spółdzielnia Socjalna „Razem”",
    "Hurtownia Budowlana BUDMAX",
    "Firma sprzątająca „Czysty Dom”",
    "Gospodarstwo ogrodnicze Zieleń",
]


# The demo centre's invented municipality (a county number no real one has).
DEMO_TERRITORY = {
    "voivodeship": "12",
    "county": "lipnicki",
    "municipality_code": "1298023",
}
# Lipnica Dolna is a town; the villages around it are rural (DEGURBA 3).
TOWN_DEGURBA = {"Lipnica Dolna": "2"}


def eu_monitoring_data(n: int, town: str, groups: list[ExclusionGroup]) -> dict:
    """What EU monitoring asks of demo person n: mostly Polish people of the centre's
    municipality; a Ukrainian citizen now and then; a few who refused to say whether
    they belong to a minority; three whose data are not complete yet (so that the
    export's list of missing data has something to show). Drawn from a generator of its
    own, so that the rest of the demo stays as it was."""
    rng = random.Random(3026_000 + n)
    foreigner = n % 29 == 5
    incomplete = n in (3, 17, 30)
    homeless = any(g.code == "homeless" for g in groups)
    return {
        "country": "Polska",
        **DEMO_TERRITORY,
        "degurba": "" if incomplete else TOWN_DEGURBA.get(town, "3"),
        "citizenship": "non_eu" if foreigner else "pl",
        "foreign_origin": "yes" if foreigner else "no",
        "minority": "" if incomplete else rng.choice(["no"] * 8 + ["refused"]),
        "housing_exclusion": "yes" if homeless else "no",
    }


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


@contextmanager
def _open_while_history_is_written(projects: list[Project]):
    """The people took part while the projects ran, but a finished or settled project
    takes nobody new: such a project is reopened while their history is written, then
    closed again (inside the demo's transaction)."""
    closed = {project: project.status for project in projects if not project.accepts_enrolments}
    for project in closed:
        project.status = Project.Status.ACTIVE
        project_save(project=project)
    yield
    for project, status in closed.items():
        project.status = status
        project_save(project=project)


@transaction.atomic
def demo_participants_create(projects: list[Project], count: int = 60) -> list[Participant]:
    with _open_while_history_is_written(projects):
        return _participants_create(projects, count)


def _participants_create(projects: list[Project], count: int) -> list[Participant]:
    rpo, ministry, club = projects
    user = get_user_model().objects.filter(username="pracownik").first()
    groups = list(ExclusionGroup.objects.all())
    reasons = list(DropoutReason.objects.exclude(code=DropoutReason.OTHER))
    psychologist = StaffMember.objects.filter(role=StaffMember.Role.PSYCHOLOGIST).first()
    advisor = StaffMember.objects.filter(role=StaffMember.Role.CAREER_ADVISOR).first()
    today = date(2026, 11, 20)

    people = []
    for n in range(count):
        # One generator per person, so that a re-run draws the same person again.
        rng = random.Random(2026_000 + n)
        female = rng.random() < 0.58
        surname = rng.choice(SURNAMES)[1 if female else 0]
        first = rng.choice(WOMEN if female else MEN)
        birth = _day(rng, date(1961, 1, 1), date(2004, 12, 31))
        pesel = pesel_make(birth, female, 101 + n * 7)
        existing = Participant.objects.filter(pesel=pesel).first()
        if existing:
            if not existing.country:  # a demo made before EU monitoring was asked
                participant_update(
                    existing,
                    **eu_monitoring_data(n, existing.city, list(existing.groups.all())),
                )
            people.append(existing)
            continue
        town, postal = rng.choice(TOWNS)
        chosen = rng.sample(groups, rng.choice([1, 1, 2, 2, 3]))
        person = participant_create(
            registered_by=user,
            groups=chosen,
            first_name=first,
            last_name=surname,
            pesel=pesel,
            birth_date=birth,
            sex=Sex.FEMALE if female else Sex.MALE,
            street=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
            postal_code=postal,
            city=town,
            municipality="Lipnica Dolna",
            phone=f"6{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            education=rng.choice(["isced1", "isced2", "isced2", "isced3", "isced3", "isced4"]),
            labour_status=rng.choice(["unemployed", "long_term", "long_term", "inactive"]),
            legal_basis=Participant.LegalBasis.LEGAL_OBLIGATION,
            legal_basis_date=date(2024, 1, 8) + timedelta(days=n * 9),
            **eu_monitoring_data(n, town, chosen),
        )
        _history(rng, person, n, rpo, ministry, club, user, reasons, today)
        if n < 36 and psychologist and advisor:
            enrolment = person.enrolments.get(project=rpo)
            start = enrolment.start_date
            diagnosis_save(
                diagnosis=Diagnosis(
                    participant=person,
                    date=_day(rng, start, start + timedelta(days=21)),
                    enrolment=enrolment,
                    needs="Niska motywacja do poszukiwania pracy, brak aktualnych kwalifikacji, "
                    "trudności w organizacji dnia.",
                ),
                staff=[psychologist, advisor],
                goals=[
                    Goal(
                        description="Przygotowanie CV i listu motywacyjnego",
                        target_date=start + timedelta(days=90),
                        achieved=rng.random() < 0.8,
                    ),
                    Goal(
                        description="Ukończenie szkolenia zawodowego",
                        target_date=start + timedelta(days=365),
                        achieved=None,
                    ),
                ],
            )
        people.append(person)
    return people


def _history(rng, person, n, rpo, ministry, club, user, reasons, today):
    """Enrolments and what happened, spread over the demo projects' years."""
    club_start = _day(rng, date(2024, 1, 8), date(2026, 6, 30))
    club_enrolment = enrolment_create(
        participant=person,
        project=club,
        start_date=club_start,
        recorded_by=user,
        referral_note="pracownik socjalny",
    )
    if n < 36:
        enrolment = enrolment_create(
            participant=person,
            project=rpo,
            start_date=_day(rng, date(2024, 6, 3), date(2025, 3, 31)),
            recorded_by=user,
            referred_from=club if n % 3 == 0 else None,
        )
        fate = n % 12
        if fate in (1, 5, 9):
            enrolment_event_record(
                enrolment=enrolment,
                kind=EnrolmentEvent.Kind.DROPPED_OUT,
                recorded_by=user,
                date=enrolment.start_date + timedelta(days=rng.randint(40, 300)),
                reason=reasons[n % len(reasons)],
                # One in three not known yet: the EU export lists them.
                situation=[ExitSituation.JOB_SEEKING, ExitSituation.INACTIVE, ""][n % 3],
            )
        elif fate in (2, 7):
            start = enrolment.start_date + timedelta(days=rng.randint(60, 400))
            enrolment_leave_for_job(
                enrolment=enrolment,
                recorded_by=user,
                start_date=start,
                employer=rng.choice(EMPLOYERS),
                contract=Employment.Contract.EMPLOYMENT,
                is_long_term=fate == 7,
                after_internship=fate == 7,
                end_date=start + timedelta(days=89) if fate == 2 else None,
            )
            if fate == 2 and start + timedelta(days=100) <= today:
                enrolment_event_record(
                    enrolment=enrolment,
                    kind=EnrolmentEvent.Kind.RETURNED,
                    recorded_by=user,
                    date=start + timedelta(days=100),
                    note="umowa na 3 miesiące wygasła",
                )
    if 20 <= n < 44:
        enrolment = enrolment_create(
            participant=person,
            project=ministry,
            start_date=_day(rng, date(2025, 4, 1), date(2025, 5, 15)),
            recorded_by=user,
        )
        if n % 8 == 3:
            enrolment_event_record(
                enrolment=enrolment,
                kind=EnrolmentEvent.Kind.DROPPED_OUT,
                recorded_by=user,
                date=date(2025, 8, 20),
                reason=reasons[(n + 2) % len(reasons)],
                situation=ExitSituation.JOB_SEEKING,
            )
        else:
            enrolment_event_record(
                enrolment=enrolment,
                kind=EnrolmentEvent.Kind.COMPLETED,
                recorded_by=user,
                date=date(2025, 12, 15),
                situation=[
                    ExitSituation.EMPLOYED,
                    ExitSituation.JOB_SEEKING,
                    ExitSituation.EDUCATION,
                    ExitSituation.CIS,
                ][n % 4],
            )
    if n % 10 == 4 and club_enrolment.status == Enrolment.Status.ACTIVE:
        start = club_start + timedelta(days=rng.randint(30, 120))
        if start <= today:
            enrolment_leave_for_job(
                enrolment=club_enrolment,
                recorded_by=user,
                start_date=start,
                employer=rng.choice(EMPLOYERS),
                contract=Employment.Contract.MANDATE,
                is_long_term=False,
                after_socially_useful_work=True,
            )
