"""Demo support: activities with sessions and attendance (the care point with the
children each parent left), social contracts, internships and socially useful work,
community events – for the three demo projects – and one-off help (short contacts): the
people who came once or twice for advice, a few of them walk-ins registered only for it.

Shaped like the Więcbork and Brzeszcze documents (support forms, planned hours,
picnics and trips), with invented employers and the invented people of
participants.demo. Deterministic (fixed seeds) and safe to re-run: activities are
keyed by project and name, contracts by number, placements by the labour office's
referral number, events by name and date, walk-ins by PESEL and short contacts by
person, day, form and staff member; an activity that already has sessions is left as
it is.

Only sessions may lie in the future (the caseworker's week shows them); roll calls are
taken for past sessions through the service, except those of the current week of the
running workshop, left for the dashboard to show as waiting.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kis.lib.dates import public_holidays
from kis.lib.pesel import pesel_make
from participants.models import (
    Activity,
    Attendance,
    CommunityEvent,
    Employment,
    Enrolment,
    EnrolmentEvent,
    Participant,
    Placement,
    Session,
    ShortContact,
    SocialContract,
    SupportForm,
)
from participants.services.people import enrolment_leave_for_job, participant_create
from participants.services.support import (
    activity_completion_set,
    activity_participants_add,
    activity_save,
    community_event_save,
    contact_create,
    placement_save,
    roll_call_save,
    series_dates,
    session_series_create,
    social_contract_save,
)
from projects.models import Project, StaffMember

D = Decimal
Role = StaffMember.Role
Kind = EnrolmentEvent.Kind
PRESENT, ABSENT, EXCUSED = (
    Attendance.Status.PRESENT,
    Attendance.Status.ABSENT,
    Attendance.Status.EXCUSED,
)
# The demo's "today" at the latest: nothing but sessions is dated after it.
DEMO_TODAY = date(2026, 11, 20)
CLUB_ROOM = "sala szkoleniowa KIS, ul. Kasztanowa 12, Lipnica Dolna"
# Support forms seeded by migration 0004 (name → reintegration, mode), in case one
# was deleted from the catalogue.
FORMS = {
    "poradnictwo psychologiczne": ("social", "individual"),
    "poradnictwo prawne": ("social", "individual"),
    "grupa samopomocowa": ("social", "group"),
    "trening kompetencji społecznych": ("social", "group"),
    "trening kompetencji zawodowych": ("vocational", "group"),
    "szkolenie zawodowe / kurs": ("vocational", "group"),
    "grupowa terapia psychospołeczna": ("social", "group"),
    "punkt opieki nad osobami zależnymi": ("social", "group"),
}


@dataclass(frozen=True)
class Spec:
    """One demo activity: a weekly series from `first_monday`, in blocks of
    (topic, weeks), on `weekdays` (0 = Monday) at `start` for `hours` each."""

    project: str  # "rpo", "ministry" or "club"
    name: str
    form: str
    first_monday: date
    weekdays: tuple[int, ...]
    start: time
    hours: str
    blocks: tuple[tuple[str, int], ...]
    staff: tuple[str, ...]
    people: int
    content: str
    place: str = CLUB_ROOM
    prefer_groups: tuple[str, ...] = ()
    # The running workshop: this week's past sessions wait for their roll call.
    live: bool = False
    # No certificates for the care point: it looks after the participants' dependants.
    certificates: bool = True
    planned_hours: str | None = None  # default: the hours of all sessions

    def dates(self) -> list[date]:
        """The dates of its sessions: public holidays are skipped, as by the series."""
        weeks = sum(weeks for _topic, weeks in self.blocks)
        dates = series_dates(
            first_date=self.first_monday, weekdays=self.weekdays, repetitions=weeks
        )
        free = public_holidays(dates[0], dates[-1])
        return [d for d in dates if d not in free]


ADDICTION_GROUPS = ("uzależnion", "współuzależnion")
SPECS = (
    # --- EU project (RPO WM), 01.06.2024 – 31.05.2027 -------------------------------
    Spec(
        "rpo",
        "Diagnoza indywidualna",
        "poradnictwo psychologiczne",
        date(2024, 11, 18),
        (0,),
        time(9, 0),
        "2",
        (("Rozmowa diagnostyczna i wywiad", 4), ("Testy i kwestionariusze", 4), ("IPD", 4)),
        (Role.PSYCHOLOGIST, Role.CAREER_ADVISOR),
        10,
        "Indywidualna diagnoza potrzeb i potencjału uczestnika prowadzona przez psychologa "
        "i doradcę zawodowego. Na jej podstawie opracowano Indywidualny Plan Działania "
        "określający ścieżkę reintegracji społecznej i zawodowej.",
        place="pokój konsultacyjny KIS, ul. Kasztanowa 12, Lipnica Dolna",
    ),
    Spec(
        "rpo",
        "Grupa samopomocowa",
        "grupa samopomocowa",
        date(2025, 3, 3),
        (2,),
        time(15, 0),
        "2",
        (("Spotkanie grupy samopomocowej", 6),),
        (Role.PSYCHOLOGIST,),
        10,
        "Spotkania grupy wsparcia prowadzone metodą samopomocy pod opieką psychologa. "
        "Uczestnicy dzielili się doświadczeniami w radzeniu sobie z trudnościami dnia "
        "codziennego i wzajemnie motywowali do zmiany.",
    ),
    Spec(
        "rpo",
        "Trening kompetencji społecznych – grupa I",
        "trening kompetencji społecznych",
        date(2025, 9, 15),
        (1, 3),
        time(9, 0),
        "3.5",
        (
            ("Komunikacja interpersonalna", 3),
            ("Asertywność i radzenie sobie ze stresem", 3),
            ("Rozwiązywanie konfliktów", 3),
            ("Praca w zespole i autoprezentacja", 3),
        ),
        (Role.PSYCHOLOGIST, Role.TRAINER),
        14,
        "Trening obejmował komunikację interpersonalną, asertywność, radzenie sobie ze "
        "stresem i rozwiązywanie konfliktów. Zajęcia prowadzono metodami warsztatowymi: "
        "scenki, praca w parach i w grupach.",
    ),
    Spec(
        "rpo",
        "Trening kompetencji zawodowych – aktywne poszukiwanie pracy",
        "trening kompetencji zawodowych",
        date(2025, 4, 7),
        (0,),
        time(10, 0),
        "3",
        (
            ("Rynek pracy i źródła ofert", 3),
            ("CV i list motywacyjny", 3),
            ("Rozmowa kwalifikacyjna", 3),
            ("Prawa i obowiązki pracownika", 3),
        ),
        (Role.CAREER_ADVISOR,),
        12,
        "Zajęcia z aktywnego poszukiwania pracy: analiza lokalnego rynku pracy, "
        "przygotowanie CV i listu motywacyjnego, symulacje rozmów kwalifikacyjnych. "
        "Uczestnicy poznali także podstawowe prawa i obowiązki pracownika.",
    ),
    Spec(
        "rpo",
        "Kurs obsługi komputera i Internetu",
        "szkolenie zawodowe / kurs",
        date(2026, 2, 2),
        (1, 3),
        time(9, 0),
        "3",
        (("Podstawy obsługi komputera", 2), ("Edytor tekstu", 2), ("Internet i e-usługi", 2)),
        (Role.TRAINER,),
        12,
        "Kurs obejmował podstawy obsługi komputera, pracę z edytorem tekstu oraz "
        "korzystanie z Internetu, poczty elektronicznej i e-usług publicznych (ePUAP, "
        "profil zaufany). Zajęcia odbywały się w pracowni komputerowej.",
        place="pracownia komputerowa, Szkoła Podstawowa nr 1 w Lipnicy Dolnej",
    ),
    Spec(
        "rpo",
        "Poradnictwo prawne",
        "poradnictwo prawne",
        date(2025, 9, 29),
        (4,),
        time(12, 0),
        "2",
        (("Dyżur prawnika", 3),),
        (Role.LAWYER,),
        8,
        "Indywidualne konsultacje z prawnikiem dotyczące m.in. zadłużeń i postępowań "
        "egzekucyjnych, spraw rodzinnych i alimentacyjnych oraz uprawnień pracowniczych.",
        place="pokój konsultacyjny KIS, ul. Kasztanowa 12, Lipnica Dolna",
    ),
    Spec(
        "rpo",
        "Warsztaty „Krok do pracy” – grupa jesienna 2026",
        "trening kompetencji zawodowych",
        date(2026, 9, 7),
        (1, 3),
        time(10, 0),
        "3",
        (
            ("Bilans kompetencji", 3),
            ("Planowanie kariery", 3),
            ("Komunikacja w miejscu pracy", 3),
            ("Autoprezentacja i rozmowa kwalifikacyjna", 3),
            ("Przygotowanie do stażu", 3),
        ),
        (Role.TRAINER, Role.SOCIAL_WORKER),
        14,
        "Cykl warsztatów przygotowujących do wejścia na rynek pracy: bilans kompetencji, "
        "planowanie kariery, komunikacja w miejscu pracy i przygotowanie do stażu. "
        "Zajęcia prowadzono w małej grupie z elementami pracy indywidualnej.",
        live=True,
    ),
    # --- ministry programme "Od wykluczenia do aktywizacji", 01.04.–31.12.2025 --------
    Spec(
        "ministry",
        "Szkolenie zawodowe: kucharz",
        "szkolenie zawodowe / kurs",
        date(2025, 6, 2),
        (1, 3),
        time(8, 0),
        "6",
        (("Zajęcia teoretyczne", 4), ("Zajęcia praktyczne w kuchni", 6)),
        (Role.TRAINER,),
        9,
        "Szkolenie zawodowe w zakresie przygotowywania potraw i napojów, zasad HACCP "
        "oraz organizacji pracy w kuchni. Część praktyczna odbyła się w kuchni "
        "szkoleniowej; szkolenie zakończyło się egzaminem wewnętrznym.",
        place="kuchnia szkoleniowa, Zespół Szkół Ponadpodstawowych w Lipnicy Dolnej",
    ),
    Spec(
        "ministry",
        "Szkolenie zawodowe: magazynier z obsługą wózka widłowego",
        "szkolenie zawodowe / kurs",
        date(2025, 9, 1),
        (0, 2),
        time(8, 0),
        "5",
        (("Gospodarka magazynowa", 3), ("Obsługa wózka widłowego – praktyka", 4)),
        (Role.TRAINER,),
        8,
        "Szkolenie obejmowało gospodarkę magazynową, obsługę programu magazynowego "
        "i bezpieczną obsługę wózków jezdniowych z napędem silnikowym. Uczestnicy "
        "przystąpili do egzaminu przed komisją Urzędu Dozoru Technicznego.",
        place="Centrum Logistyczne Lipnica, ul. Przemysłowa 4, Lipnica Dolna",
    ),
    Spec(
        "ministry",
        "Terapia grupowa dla osób uzależnionych i współuzależnionych",
        "grupowa terapia psychospołeczna",
        date(2025, 5, 5),
        (3,),
        time(16, 0),
        "2",
        (
            ("Mechanizmy uzależnienia", 5),
            ("Zapobieganie nawrotom", 5),
            ("Relacje w rodzinie", 5),
            ("Trzeźwe życie na co dzień", 5),
        ),
        (Role.PSYCHOLOGIST,),
        10,
        "Grupowa terapia psychospołeczna dla osób uzależnionych od alkoholu i ich "
        "bliskich. Omawiano mechanizmy uzależnienia, zapobieganie nawrotom oraz "
        "odbudowę relacji rodzinnych.",
        prefer_groups=ADDICTION_GROUPS,
    ),
    Spec(
        "ministry",
        "Grupa samopomocowa",
        "grupa samopomocowa",
        date(2025, 9, 1),
        (1,),
        time(15, 0),
        "2",
        (("Spotkanie grupy samopomocowej", 15),),
        (Role.PSYCHOLOGIST,),
        10,
        "Cotygodniowe spotkania grupy samopomocowej wspierające utrzymanie zmian "
        "osiągniętych w programie. Uczestnicy wymieniali doświadczenia i wspólnie "
        "planowali dalsze kroki.",
    ),
    # --- the club's own programme 2024–2027 ------------------------------------------
    Spec(
        "club",
        "Punkt opieki nad osobami zależnymi „Plastuś”",
        "punkt opieki nad osobami zależnymi",
        date(2025, 10, 6),
        (0,),
        time(9, 0),
        "4",
        (("Opieka nad dziećmi uczestników", 38),),
        (Role.VOLUNTEER,),
        8,
        "Opieka nad dziećmi i osobami zależnymi uczestników w czasie ich zajęć w Klubie. "
        "Zajęcia plastyczne, ruchowe i czytanie bajek pod opieką wolontariuszki.",
        place="sala zabaw „Plastuś”, ul. Kasztanowa 12, Lipnica Dolna",
        prefer_groups=("samotni rodzice",),
        certificates=False,
    ),
    Spec(
        "club",
        "Klub pracy 2025",
        "trening kompetencji zawodowych",
        date(2025, 1, 6),
        (2,),
        time(10, 0),
        "3",
        (("Spotkanie Klubu pracy", 50),),
        (Role.CAREER_ADVISOR, Role.SOCIAL_WORKER),
        14,
        "Cotygodniowe spotkania Klubu pracy: przegląd ofert pracy, wspólne pisanie "
        "dokumentów aplikacyjnych i przygotowanie do rozmów z pracodawcami. "
        "Uczestnicy korzystali z komputera, telefonu i prasy z ofertami.",
    ),
    Spec(
        "club",
        "Klub pracy 2026",
        "trening kompetencji zawodowych",
        date(2026, 1, 5),
        (2,),
        time(10, 0),
        "3",
        (("Spotkanie Klubu pracy", 50),),
        (Role.CAREER_ADVISOR, Role.SOCIAL_WORKER),
        14,
        "Cotygodniowe spotkania Klubu pracy: przegląd ofert pracy, wspólne pisanie "
        "dokumentów aplikacyjnych i przygotowanie do rozmów z pracodawcami. "
        "Uczestnicy korzystali z komputera, telefonu i prasy z ofertami.",
    ),
)

INTERNSHIP_EMPLOYERS = [
    ("Restauracja „Pod Lipami” Sp. z o.o.", "677"),
    ("Centrum Logistyczne Lipnica Sp. z o.o.", "549"),
    ("Piekarnia „Kłos” s.c.", "944"),
    ("Przedszkole Niepubliczne „Bajka”", "551"),
    ("Hurtownia Budowlana BUDMAX", "628"),
]
PSU_EMPLOYERS = [
    ("Zakład Usług Komunalnych w Lipnicy", "549"),
    ("Miejsko-Gminny Ośrodek Kultury w Lipnicy Dolnej", "551"),
    ("Szkoła Podstawowa nr 1 w Lipnicy Dolnej", "551"),
    ("Urząd Miejski w Lipnicy Dolnej", "549"),
]
# (start, end, hired) – hired: the person left the project for a job with the employer.
INTERNSHIPS = [
    (date(2025, 3, 3), date(2025, 5, 31), True),
    (date(2025, 4, 1), date(2025, 6, 30), False),
    (date(2025, 6, 2), date(2025, 8, 31), True),
    (date(2025, 9, 1), date(2025, 11, 30), False),
    (date(2026, 3, 2), date(2026, 5, 31), True),
    (date(2026, 9, 1), date(2026, 11, 30), False),
]
PSU_STARTS = {
    2025: [date(2025, 2, 3), date(2025, 4, 1), date(2025, 6, 2), date(2025, 9, 1)],
    2026: [date(2026, 2, 2), date(2026, 4, 1), date(2026, 6, 1), date(2026, 9, 1)],
}
PSU_COUNTS = {2025: 12, 2026: 8}
CONTRACT_COUNTS = {2025: 35, 2026: 15}
GOALS = [
    "Podjęcie zatrudnienia lub pracy społecznie użytecznej; wzmocnienie umiejętności "
    "poszukiwania pracy.",
    "Utrzymanie abstynencji i odbudowa relacji rodzinnych; podniesienie kwalifikacji zawodowych.",
    "Uregulowanie sytuacji mieszkaniowej i zadłużeń; regularny udział w zajęciach Klubu.",
    "Wzmocnienie samodzielności w organizacji opieki nad dziećmi i powrót na rynek pracy.",
]
PARTICIPANT_OBLIGATIONS = (
    "Regularny udział w zajęciach Klubu Integracji Społecznej (co najmniej 80% obecności), "
    "pozostawanie w rejestrze Powiatowego Urzędu Pracy, comiesięczny kontakt "
    "z pracownikiem socjalnym i informowanie o zmianach sytuacji."
)
CENTRE_OBLIGATIONS = (
    "Zapewnienie udziału w treningach, poradnictwie i szkoleniach Klubu, wsparcie "
    "pracownika socjalnego i doradcy zawodowego, pomoc finansowa w formie zasiłku "
    "celowego na dojazdy."
)
TERMINATIONS = [
    "nieprzestrzeganie postanowień kontraktu – powrót do nadużywania alkoholu",
    "brak współpracy – nieusprawiedliwione nieobecności na zajęciach",
    "zmiana miejsca zamieszkania",
]
# (name, first day, last day, place, project key, outside_count, registry people, text)
EVENTS = [
    (
        "Czerwiec Aktywnych Społeczności 2025 – piknik rodzinny",
        date(2025, 6, 14),
        None,
        "Park Miejski w Lipnicy Dolnej",
        "club",
        120,
        36,
        "Piknik dla mieszkańców gminy przygotowany przez uczestników Klubu: stoiska "
        "z wypiekami, gry i zabawy dla dzieci, pokaz pierwszej pomocy.",
    ),
    (
        "Wyjazd kulturalny do Łodzi – Teatr Wielki",
        date(2025, 10, 18),
        None,
        "Łódź, Teatr Wielki",
        "ministry",
        4,
        18,
        "Wyjazd na przedstawienie operowe połączony ze zwiedzaniem Łodzi; uczestnikom "
        "towarzyszyli członkowie rodzin.",
    ),
    (
        "Mikołajki 2025",
        date(2025, 12, 5),
        None,
        "świetlica KIS, ul. Kasztanowa 12, Lipnica Dolna",
        "club",
        40,
        28,
        "Spotkanie mikołajkowe dla uczestników i ich dzieci: wspólne dekorowanie "
        "pierników, paczki dla dzieci, występ dzieci z punktu opieki „Plastuś”.",
    ),
    (
        "Czerwiec Aktywnych Społeczności 2026 – piknik rodzinny",
        date(2026, 6, 13),
        None,
        "Park Miejski w Lipnicy Dolnej",
        "club",
        135,
        38,
        "Drugi piknik dla mieszkańców: kiermasz rękodzieła uczestników, turniej "
        "rodzinny, stoisko informacyjne Klubu i Powiatowego Urzędu Pracy.",
    ),
    (
        "Wyjazd integracyjny do Zawoi",
        date(2026, 8, 28),
        date(2026, 8, 29),
        "Zawoja, Babiogórski Park Narodowy",
        "rpo",
        6,
        24,
        "Dwudniowy wyjazd integracyjny: wędrówka szlakiem na Markowe Szczawiny, "
        "ognisko i zajęcia integracyjne prowadzone przez psychologa.",
    ),
]


@dataclass
class Availability:
    """When a person took part in a project: periods between starting (or returning)
    and dropping out, leaving for a job or completing."""

    enrolment: Enrolment
    periods: list[tuple[date, date]] = field(default_factory=list)

    @property
    def participant(self) -> Participant:
        return self.enrolment.participant

    def on(self, day: date) -> bool:
        return any(start <= day < end for start, end in self.periods)

    def throughout(self, first: date, last: date) -> bool:
        return any(start <= first and last < end for start, end in self.periods)

    def first_day_in(self, first: date, last: date) -> date | None:
        for start, end in self.periods:
            day = max(start, first)
            if day <= last and day < end:
                return day
        return None


def _availability(project: Project) -> list[Availability]:
    """The project's enrolments with their periods, in a stable order (PESEL)."""
    enrolments = (
        Enrolment.objects.filter(project=project)
        .select_related("participant")
        .prefetch_related("participant__groups", "events")
        .order_by("participant__pesel", "participant__last_name", "pk")
    )
    result = []
    for enrolment in enrolments:
        availability, start = Availability(enrolment), None
        for event in sorted(enrolment.events.all(), key=lambda e: (e.date, e.pk)):
            if event.kind in (Kind.STARTED, Kind.RETURNED):
                start = event.date
            elif start is not None:
                availability.periods.append((start, event.date))
                start = None
        if start is not None:
            availability.periods.append((start, date.max))
        result.append(availability)
    return result


def _in_groups(person: Participant, fragments: tuple[str, ...]) -> bool:
    return any(f in group.name for group in person.groups.all() for f in fragments)


def _nip(office: str, serial: int) -> str:
    """A NIP with a correct check digit (tax office prefix + serial)."""
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        body = f"{office}{serial % 1_000_000:06d}"
        check = sum(w * int(d) for w, d in zip(weights, body, strict=True)) % 11
        if check < 10:
            return f"{body}{check}"
        serial += 1


def _staff() -> dict[str, StaffMember]:
    staff: dict[str, StaffMember] = {}
    for member in StaffMember.objects.filter(is_active=True).order_by("pk"):
        staff.setdefault(member.role, member)
    return staff


def _form(name: str) -> SupportForm:
    reintegration, mode = FORMS[name]
    form, _ = SupportForm.objects.get_or_create(  # direct write: a catalogue (no service)
        name=name, defaults={"reintegration": reintegration, "mode": mode}
    )
    return form


@transaction.atomic
def demo_support_create(projects: list[Project]) -> None:
    rpo, ministry, club = projects
    keyed = {"rpo": rpo, "ministry": ministry, "club": club}
    today = timezone.localdate()
    cutoff = min(today, DEMO_TODAY)
    user = get_user_model().objects.filter(username="pracownik").first()
    staff = _staff()
    # Jobs after internships change who is in a project when: placements come first.
    _placements(rpo, club, user, cutoff)
    for n, spec in enumerate(SPECS):
        _activity(
            spec, keyed[spec.project], staff, user, today, cutoff, random.Random(2026_500 + n)
        )
    if Role.SOCIAL_WORKER in staff:
        _contracts(club, staff[Role.SOCIAL_WORKER], cutoff)
    _events(keyed, cutoff)
    _short_contacts(keyed, staff, user, cutoff)


# --- activities, sessions, roll calls --------------------------------------------------


def _activity(spec, project, staff, user, today, cutoff, rng) -> None:
    dates = spec.dates()
    activity = Activity.objects.filter(project=project, name=spec.name).first()
    if activity is None:
        hours = D(spec.hours) * len(dates)
        activity = activity_save(
            activity=Activity(
                project=project,
                support_form=_form(spec.form),
                name=spec.name,
                planned_hours=D(spec.planned_hours) if spec.planned_hours else hours,
                start_date=dates[0],
                end_date=dates[-1],
                place=spec.place,
                content=spec.content,
            ),
            staff=[staff[role] for role in spec.staff if role in staff],
        )
    if activity.sessions.exists():
        return

    people = _pick(spec, _availability(project), dates[0], dates[-1], rng)
    activity_participants_add(activity=activity, participants=[a.participant for a in people])
    monday = spec.first_monday
    for topic, weeks in spec.blocks:
        session_series_create(
            activity=activity,
            first_date=monday,
            weekdays=list(spec.weekdays),
            start_time=spec.start,
            duration_hours=D(spec.hours),
            weeks=weeks,
            topic=topic,
        )
        monday += timedelta(weeks=weeks)

    this_monday = today - timedelta(days=today.weekday())
    # Most people attend well; one or two fall below the threshold.
    low = set(rng.sample(range(len(people)), k=min(len(people), rng.choice([1, 1, 2]))))
    rates = [
        rng.uniform(0.5, 0.72) if i in low else rng.uniform(0.9, 1.0) for i in range(len(people))
    ]
    held = [s for s in activity.sessions.order_by("date", "start_time") if s.date <= today]
    present_hours = {a.participant.pk: D(0) for a in people}
    # At the care point each parent leaves his or her one to three children, and now
    # and then a child stays at home.
    children = (
        {a.participant.pk: rng.choice([1, 1, 1, 2, 2, 3]) for a in people}
        if activity.support_form.code == SupportForm.CARE_POINT
        else {}
    )
    taken = []
    for session in held:
        if spec.live and session.date >= this_monday:
            continue  # left for the caseworker's dashboard
        marks: dict[int, str] = {}
        dependants: dict[int, int | None] = {}
        for availability, rate in zip(people, rates, strict=True):
            pid = availability.participant.pk
            if not availability.on(session.date):
                continue  # not taking part in the project that day: not on the list
            elif rng.random() < rate:
                marks[pid] = PRESENT
                present_hours[pid] += session.duration_hours
                if children:
                    dependants[pid] = max(children[pid] - (rng.random() < 0.1), 1)
            else:
                marks[pid] = EXCUSED if rng.random() < 0.45 else ABSENT
        roll_call_save(
            session=session, marks=marks, seen={}, recorded_by=user, dependants=dependants
        )
        taken.append(session)
    _roll_call_times(taken)

    held_hours = sum((s.duration_hours for s in held), D(0))
    if not (spec.certificates and held and activity.end_date < cutoff and held_hours):
        return
    last = held[-1].date
    for assignment in activity.assignments.all():
        if present_hours[assignment.participant_id] * 100 >= held_hours * 80:
            activity_completion_set(assignment=assignment, completed_on=last)


def _pick(spec, availability, first, last, rng) -> list[Availability]:
    """People in the project for the whole activity, preferring the activity's groups;
    if too few, also those there when it starts."""
    whole = [a for a in availability if a.throughout(first, last)]
    start = [a for a in availability if a.on(first) and a not in whole]
    chosen = []
    if spec.prefer_groups:
        preferred = [a for a in whole + start if _in_groups(a.participant, spec.prefer_groups)]
        chosen = preferred[: max(spec.people * 2 // 3, 1)]
    for pool in (whole, start):
        rest = [a for a in pool if a not in chosen]
        rng.shuffle(rest)
        chosen += rest[: max(spec.people - len(chosen), 0)]
    return sorted(chosen, key=lambda a: a.participant.pesel)


def _roll_call_times(sessions: list[Session]) -> None:
    """The roll call of a demo session was taken when it ended, not when the demo ran.
    The one write of the demo past the services: it only dates the roll calls that
    roll_call_save recorded, as if taken on the day (no personal data)."""
    zone = timezone.get_current_timezone()
    for session in sessions:
        minutes = int(session.duration_hours * 60)
        ended = datetime.combine(session.date, session.start_time) + timedelta(minutes=minutes)
        Session.objects.filter(pk=session.pk).update(  # direct write: the demo's clock
            roll_call_at=timezone.make_aware(ended, zone)
        )


# --- internships and socially useful work ---------------------------------------------


def _placements(rpo, club, user, cutoff) -> None:
    rng = random.Random(2026_700)
    in_rpo = _availability(rpo)
    used = set(Placement.objects.values_list("participant_id", flat=True))
    for k, (start, end, hired) in enumerate(INTERNSHIPS, start=1):
        number = f"PUP.OS.5431.{k + 10}.{start.year}"
        if start > cutoff or Placement.objects.filter(referral_number=number).exists():
            continue
        job_day = end + timedelta(days=1)
        candidates = [
            a
            for a in in_rpo
            if a.throughout(start - timedelta(days=60), min(job_day, cutoff))
            and a.participant.pk not in used
            and (not hired or a.enrolment.status == Enrolment.Status.ACTIVE)
        ]
        if not candidates:
            continue
        person = rng.choice(candidates)
        employer, office = INTERNSHIP_EMPLOYERS[k % len(INTERNSHIP_EMPLOYERS)]
        placement = Placement(
            kind=Placement.Kind.INTERNSHIP,
            participant=person.participant,
            employer_name=employer,
            employer_nip=_nip(office, 231_000 + 917 * k),
            referral_number=number,
            start_date=start,
            end_date=end,
            hours_per_month=D("160"),
            hiring_declared=True,
            outcome=Placement.Outcome.ONGOING if end >= cutoff else Placement.Outcome.NOT_HIRED,
        )
        if hired and job_day <= cutoff:
            enrolment = Enrolment.objects.get(pk=person.enrolment.pk)
            placement.outcome = Placement.Outcome.HIRED
            placement.employment = enrolment_leave_for_job(
                enrolment=enrolment,
                recorded_by=user,
                note="zatrudnienie po stażu",
                start_date=job_day,
                employer=employer,
                contract=Employment.Contract.EMPLOYMENT,
                is_long_term=True,
                after_internship=True,
            )
            # The job ends the person's time in the project for what follows.
            person.periods = [(s, min(e, job_day)) for s, e in person.periods]
        placement_save(placement=placement)
        used.add(person.participant.pk)

    in_club = _availability(club)
    for year, count in PSU_COUNTS.items():
        _psu(year, count, in_club, used, cutoff, random.Random(2026_800 + year))


def _psu(year, count, in_club, used, cutoff, rng) -> None:
    """Socially useful work, 40 h a month, mostly for women 50+ and single parents;
    first for those whose job after it is already recorded."""
    existing = Placement.objects.filter(
        referral_number__startswith="PUP.OS.5432.", referral_number__endswith=f".{year}"
    )
    if existing.exists():
        return  # written by an earlier run: a later "today" must not shift the numbers
    year_end = date(year, 12, 31)
    jobs = Employment.objects.filter(
        after_socially_useful_work=True, start_date__year=year, placement__isnull=True
    ).select_related("participant")
    plans: list[
        tuple[Any, date, date, Employment | None]
    ] = []  # (availability or participant, start, end, employment)
    by_person = {a.participant.pk: a for a in in_club}
    job: Employment | None  # below, None: a placement that led to no job
    for job in jobs.order_by("start_date", "pk"):
        start = max(job.start_date - timedelta(days=120), date(year, 1, 2))
        availability = by_person.get(job.participant_id)
        if availability:
            start = max(start, availability.first_day_in(date(year, 1, 1), year_end) or start)
        end = job.start_date - timedelta(days=1)
        if start <= end:
            plans.append((job.participant, start, end, job))
    starts = [d for d in PSU_STARTS[year] if d <= cutoff]

    def preferred(a: Availability) -> bool:
        person = a.participant
        return (person.sex == "F" and person.age_on(date(year, 1, 1)) >= 50) or _in_groups(
            person, ("samotni rodzice",)
        )

    taken = {p.pk for p, *_ in plans}
    slots = [
        (start, min(start + timedelta(days=rng.choice([120, 150, 181])), year_end))
        for n in range(max(count - len(plans), 0))
        if starts
        for start in [starts[n % len(starts)]]
    ]
    # The favoured groups first, as far as there are such people; then anyone.
    for favoured_only in (True, False):
        for slot in list(slots):
            start, end = slot
            pool = [
                a
                for a in in_club
                if a.throughout(start, min(end, cutoff))
                and a.participant.pk not in taken | used
                and (preferred(a) or not favoured_only)
            ]
            if pool:
                chosen = rng.choice(pool)
                taken.add(chosen.participant.pk)
                plans.append((chosen.participant, start, end, None))
                slots.remove(slot)

    plans.sort(key=lambda plan: (plan[1], plan[0].pesel))
    for k, (person, start, end, job) in enumerate(plans, start=1):
        number = f"PUP.OS.5432.{k + 20}.{year}"
        if Placement.objects.filter(referral_number=number).exists():
            continue
        employer, office = PSU_EMPLOYERS[k % len(PSU_EMPLOYERS)]
        placement = Placement(
            kind=Placement.Kind.SOCIALLY_USEFUL_WORK,
            participant=person,
            employer_name=employer if not job else job.employer,
            employer_nip=_nip(office, 402_000 + 613 * k + year),
            referral_number=number,
            start_date=start,
            end_date=end,
            hours_per_month=D("40"),
            outcome=(
                Placement.Outcome.HIRED
                if job
                else Placement.Outcome.ONGOING
                if end >= cutoff
                else Placement.Outcome.NOT_HIRED
            ),
            employment=job,
        )
        placement_save(placement=placement)
        used.add(person.pk)


# --- social contracts -----------------------------------------------------------------


def _contracts(club, caseworker, cutoff) -> None:
    in_club = _availability(club)
    for year, count in CONTRACT_COUNTS.items():
        if SocialContract.objects.filter(
            number__startswith="KS/", number__endswith=f"/{year}"
        ).exists():
            continue  # written by an earlier run: a later "today" must not shift the numbers
        rng = random.Random(2026_900 + year)
        last_signing = min(date(year, 12, 1), cutoff - timedelta(days=7))
        plans = []
        for availability in in_club:
            first = availability.first_day_in(date(year, 1, 1), last_signing)
            if first is None:
                continue
            signed = max(first + timedelta(days=rng.randint(3, 14)), date(year, 1, 5))
            signed += timedelta(days=rng.randint(0, 30))
            if signed <= last_signing and availability.on(signed):
                plans.append((signed, availability))
        rng.shuffle(plans)
        plans = sorted(plans[:count], key=lambda plan: (plan[0], plan[1].participant.pesel))
        terminated = set(rng.sample(range(len(plans)), k=min(len(plans), 3 if year < 2026 else 1)))
        for k, (signed, availability) in enumerate(plans, start=1):
            number = f"KS/{k}/{year}"
            if SocialContract.objects.filter(number=number).exists():
                continue
            end = min(signed + timedelta(days=rng.choice([181, 273, 364])), date(year, 12, 31))
            if k - 1 in terminated:
                status, reason = SocialContract.Status.TERMINATED, TERMINATIONS[k % 3]
            elif end < cutoff:
                status, reason = SocialContract.Status.FULFILLED, ""
            else:
                status, reason = SocialContract.Status.IN_FORCE, ""
            review = signed + timedelta(days=91)
            contract = SocialContract(
                number=number,
                participant=availability.participant,
                signed_on=signed,
                start_date=signed,
                end_date=end,
                goals=GOALS[k % len(GOALS)],
                participant_obligations=PARTICIPANT_OBLIGATIONS,
                centre_obligations=CENTRE_OBLIGATIONS,
                caseworker=caseworker,
                status=status,
                termination_reason=reason,
                review_date=review if review <= min(end, cutoff) else None,
            )
            social_contract_save(contract=contract)


# --- community events -----------------------------------------------------------------


def _events(keyed, cutoff) -> None:
    everyone = {key: _availability(project) for key, project in keyed.items()}
    for n, (name, first, last, place, key, outside, size, text) in enumerate(EVENTS):
        if first > cutoff or CommunityEvent.objects.filter(name=name, date=first).exists():
            continue
        rng = random.Random(2026_950 + n)
        # A club event is open to everyone in any project; a project's to its people.
        pools = everyone.values() if key == "club" else [everyone[key]]
        people = {a.participant.pk: a.participant for pool in pools for a in pool if a.on(first)}
        chosen = sorted(people.values(), key=lambda p: p.pesel)
        chosen = rng.sample(chosen, k=min(size, len(chosen)))
        event = CommunityEvent(
            name=name,
            date=first,
            end_date=last,
            place=place,
            project=keyed[key],
            outside_count=outside,
            description=text,
        )
        community_event_save(event=event, participants=chosen)


# --- one-off help (short contacts) -------------------------------------------------------

# Walk-ins: people registered only for advice, never enrolled: (first name, surname, sex,
# birth date, town).
WALK_INS = [
    ("Genowefa", "Kubiak", "F", date(1958, 4, 11), "Lipnica Dolna"),
    ("Wiesław", "Marciniak", "M", date(1966, 9, 2), "Zagórze"),
    ("Aleksandra", "Pietrzak", "F", date(1991, 1, 23), "Lipnica Górna"),
    ("Kazimierz", "Duda", "M", date(1971, 12, 5), "Lipnica Dolna"),
    ("Patrycja", "Szymańska", "F", date(1996, 6, 30), "Brzezinka Mała"),
    ("Roman", "Jasiński", "M", date(1963, 3, 17), "Lipnica Dolna"),
    ("Danuta", "Wilk", "F", date(1955, 8, 8), "Zagórze"),
    ("Sebastian", "Kozłowski", "M", date(1988, 11, 14), "Lipnica Dolna"),
    ("Urszula", "Adamska", "F", date(1979, 5, 26), "Lipnica Górna"),
    ("Mirosław", "Lis", "M", date(1969, 2, 9), "Lipnica Dolna"),
    ("Wioletta", "Czarnecka", "F", date(1984, 10, 3), "Brzezinka Mała"),
    ("Henryk", "Sadowski", "M", date(1960, 7, 21), "Lipnica Dolna"),
]
# (form, staff role, hours, note): what a walk-in comes for.
ADVICE = [
    (ShortContact.Kind.INFORMATION, Role.SOCIAL_WORKER, "0.5", "oferta Klubu i zasady udziału"),
    (
        ShortContact.Kind.INFORMATION,
        Role.SOCIAL_WORKER,
        "0.5",
        "zasiłki i dodatki – gdzie złożyć wniosek",
    ),
    (
        ShortContact.Kind.CONSULTATION,
        Role.LAWYER,
        "1",
        "zadłużenie czynszowe, pismo do spółdzielni",
    ),
    (ShortContact.Kind.CONSULTATION, Role.LAWYER, "1.5", "alimenty – wniosek do sądu"),
    (ShortContact.Kind.COUNSELLING, Role.PSYCHOLOGIST, "1", "rozmowa wspierająca po utracie pracy"),
    (ShortContact.Kind.COUNSELLING, Role.CAREER_ADVISOR, "1.5", "CV i oferty pracy w okolicy"),
    (
        ShortContact.Kind.COUNSELLING,
        Role.CAREER_ADVISOR,
        "1",
        "przygotowanie do rozmowy kwalifikacyjnej",
    ),
]
SHORT_CONTACTS_FROM = date(2025, 1, 13)


def _short_contacts(keyed, staff, user, cutoff) -> None:
    """About forty contacts: the walk-ins' one to three visits, and a consultation or a
    counselling session for some of the club's participants. Planned from fixed dates
    and seeds, then only those up to "today" are recorded: a later run adds the rest."""
    rng = random.Random(2026_990)
    span = (DEMO_TODAY - SHORT_CONTACTS_FROM).days
    # (a participant, or the index of a walk-in in WALK_INS; day; advice; project)
    plans: list[tuple[Participant | int, date, tuple[str, str, str, str], Project | None]] = []
    for k in range(len(WALK_INS)):
        first = SHORT_CONTACTS_FROM + timedelta(days=rng.randrange(span - 30))
        for visit in range(rng.choice([1, 2, 2, 3])):
            day = first + timedelta(days=visit * rng.randint(7, 35))
            plans.append((k, day, rng.choice(ADVICE), None))
    club = keyed["club"]
    members = [a.participant for a in _availability(club)]
    for person in rng.sample(members, k=min(12, len(members))):
        day = SHORT_CONTACTS_FROM + timedelta(days=rng.randrange(span))
        project = club if rng.random() < 0.5 else None
        plans.append((person, day, rng.choice(ADVICE[2:]), project))
    walk_ins: dict[int, Participant] = {}
    for whom, day, (kind, role, hours, note), project in sorted(
        plans, key=lambda plan: (plan[1], str(plan[0]))
    ):
        if day > cutoff or role not in staff:
            continue
        if isinstance(whom, int):
            who = walk_ins[whom] = walk_ins.get(whom) or _walk_in(whom, day, user)
        else:
            who = whom
        if project is not None and not (
            project.accepts_enrolments and project.start_date <= day <= project.end_date
        ):
            project = None
        if ShortContact.objects.filter(
            participant=who, date=day, kind=kind, staff=staff[role]
        ).exists():
            continue
        contact_create(
            participant=who,
            date=day,
            kind=kind,
            staff=staff[role],
            duration_hours=D(hours),
            project=project,
            note=note,
        )


def _walk_in(k: int, day: date, user) -> Participant:
    """A walk-in of WALK_INS, registered on his or her first visit (once: by PESEL)."""
    first_name, last_name, sex, born, town = WALK_INS[k]
    pesel = pesel_make(born, sex == "F", 800 + k * 3)
    existing = Participant.objects.filter(pesel=pesel).first()
    if existing is not None:
        return existing
    return participant_create(
        registered_by=user,
        first_name=first_name,
        last_name=last_name,
        pesel=pesel,
        birth_date=born,
        sex=sex,
        city=town,
        municipality="Lipnica Dolna",
        legal_basis=Participant.LegalBasis.LEGAL_OBLIGATION,
        legal_basis_date=day,
        legal_basis_document="wywiad środowiskowy – porada jednorazowa",
    )
