"""The EU monitoring export (SM EFS in CST2021, successor of SL2014's PEFS): one row per
participant of a project, with the columns of the system's participant file.

`COLUMNS` is THE table of the export: each column's key, default header text (exactly
as the system's template words it: data, never translated), default place (its place
in the list), the participant's field it comes from (`field`, for the import, which
recognises these headers) and how its value is computed from the person's row
(`value`), with the system's wording of each stored value (`values`, stored value →
text; the import reads it backwards). An administrator changes the header texts, the
order and which columns are exported in admin (EU monitoring export columns,
`reports.models.EuColumnSetting`) without a code change: the managing authorities
change their templates between calls.

Incomplete people (decision): a person lacking a required value (`required`) is never
exported with holes. The export page lists who lacks what, each one click from the
form where it is entered; the file is refused while anybody is incomplete, unless the
manager asks for "only the complete ones", and then it holds only them (the page says
who was left out). People whose processing is restricted (art. 18 GDPR) or who are
anonymised are never exported; the refusal is logged.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Min, Prefetch, QuerySet
from django.utils import timezone

from kis.lib.collation import polish
from kis.lib.territory import Voivodeship
from participants.models import (
    Answer,
    Attendance,
    Citizenship,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    ExitSituation,
    Participant,
    SupportForm,
)
from projects.models import Project

LabourStatus = Participant.LabourStatus
Education = Participant.Education
Kind = EnrolmentEvent.Kind

# --- the system's wording of KIS's values ---------------------------------------------

CITIZENSHIP: dict[str, str] = {
    Citizenship.POLISH: "Obywatelstwo polskie",
    Citizenship.EU: "Brak polskiego obywatelstwa – obywatel kraju UE",
    Citizenship.NON_EU: "Brak polskiego obywatelstwa lub UE",
    Citizenship.STATELESS: "Bezpaństwowiec",
}
SEX: dict[str, str] = {"F": "Kobieta", "M": "Mężczyzna"}
EDUCATION: dict[str, str] = {
    Education.NONE: "Niższe niż podstawowe (ISCED 0)",
    Education.PRIMARY: "Podstawowe (ISCED 1)",
    Education.LOWER_SECONDARY: "Gimnazjalne (ISCED 2)",
    Education.UPPER_SECONDARY: "Ponadgimnazjalne (ISCED 3) lub policealne (ISCED 4)",
    Education.POST_SECONDARY: "Ponadgimnazjalne (ISCED 3) lub policealne (ISCED 4)",
    Education.TERTIARY: "Wyższe (ISCED 5–8)",
}
UNEMPLOYED_REGISTERED = "Osoba bezrobotna zarejestrowana w ewidencji urzędów pracy"
LABOUR_STATUS: dict[str, str] = {
    LabourStatus.REGISTERED_UNEMPLOYED: UNEMPLOYED_REGISTERED,
    LabourStatus.LONG_TERM_UNEMPLOYED: UNEMPLOYED_REGISTERED,
    LabourStatus.UNREGISTERED_UNEMPLOYED: (
        "Osoba bezrobotna niezarejestrowana w ewidencji urzędów pracy"
    ),
    LabourStatus.INACTIVE: "Osoba bierna zawodowo",
    LabourStatus.INACTIVE_LEARNING: "Osoba bierna zawodowo",
    LabourStatus.EMPLOYED: "Osoba pracująca",
}
OTHER = "Inne"
LABOUR_STATUS_DETAIL: dict[str, str] = {
    LabourStatus.REGISTERED_UNEMPLOYED: OTHER,
    LabourStatus.LONG_TERM_UNEMPLOYED: "Osoba długotrwale bezrobotna",
    LabourStatus.UNREGISTERED_UNEMPLOYED: OTHER,
    LabourStatus.INACTIVE: OTHER,
    LabourStatus.INACTIVE_LEARNING: "Osoba ucząca się/kształcąca się",
    LabourStatus.EMPLOYED: OTHER,
}
WORKING = "Osoba pracująca (łącznie z prowadzącymi działalność na własny rachunek)"
EXIT_SITUATION: dict[str, str] = {
    ExitSituation.EMPLOYED: WORKING,
    ExitSituation.SELF_EMPLOYED: WORKING,
    ExitSituation.COOPERATIVE: WORKING,
    ExitSituation.CIS: OTHER,
    ExitSituation.JOB_SEEKING: "Osoba poszukująca pracy",
    ExitSituation.EDUCATION: "Osoba kształcąca się lub szkoląca",
    ExitSituation.INACTIVE: "Osoba bierna zawodowo",
    ExitSituation.OTHER: OTHER,
}
YES, NO, REFUSED = "Tak", "Nie", "Odmowa podania informacji"
ANSWER: dict[str, str] = {Answer.YES: YES, Answer.NO: NO, Answer.REFUSED: REFUSED}
SUPPORT_TYPE: dict[str, str] = {
    SupportForm.Reintegration.SOCIAL: "Aktywna integracja o charakterze społecznym",
    SupportForm.Reintegration.VOCATIONAL: "Aktywna integracja o charakterze zawodowym",
}
INDIVIDUAL = "Indywidualny"
NO_PESEL = "brak PESEL"
DISABLED_GROUP = "disabled"


# --- a person's row -----------------------------------------------------------------


@dataclass
class EuRow:
    """One participant of the project, with what the columns are computed from."""

    enrolment: Enrolment
    # The kinds of support (reintegration) the person was present at in the project,
    # each with the first day: the support received.
    support: dict[str, date] = field(default_factory=dict)
    values: list = field(default_factory=list)
    # The headers of the required columns without a value, and where each is entered.
    missing: list[str] = field(default_factory=list)
    missing_in: set[str] = field(default_factory=set)

    @property
    def participant(self) -> Participant:
        return self.enrolment.participant

    @property
    def project(self) -> Project:
        return self.enrolment.project

    @property
    def has_ended(self) -> bool:
        return self.enrolment.status != Enrolment.Status.ACTIVE

    @property
    def exit_event(self) -> EnrolmentEvent | None:
        """The event the person left with, while he or she is away."""
        events = list(self.enrolment.events.all())
        last = events[-1] if events else None
        return last if last is not None and last.kind in EnrolmentEvent.EXITS else None

    @property
    def complete(self) -> bool:
        return not self.missing


def _answer(value: str) -> str:
    return ANSWER.get(value, "")


def _disability(row: EuRow) -> str:
    person = row.participant
    if person.disability == Participant.Disability.REFUSED:
        return REFUSED
    groups = {group.code for group in person.groups.all()}
    if person.disability in Participant.Disability.declared() or DISABLED_GROUP in groups:
        return YES
    return NO


def _third_country(row: EuRow) -> str:
    third = row.participant.third_country_national
    return "" if third is None else (YES if third else NO)


def _support_type(row: EuRow) -> str:
    kinds = sorted(row.support, key=lambda kind: (row.support[kind], kind))
    return "; ".join(SUPPORT_TYPE[kind] for kind in kinds)


def _support_start(row: EuRow) -> date | None:
    return min(row.support.values()) if row.support else None


def _exit_situation(row: EuRow) -> str:
    event = row.exit_event
    return EXIT_SITUATION.get(event.situation, "") if event else ""


def _completed_path(row: EuRow) -> str:
    if not row.has_ended:
        return ""
    return YES if row.enrolment.status == Enrolment.Status.COMPLETED else NO


def _labour_status(row: EuRow) -> str:
    return row.enrolment.labour_status_at_start


def _ended(row: EuRow) -> bool:
    return row.has_ended


@dataclass(frozen=True)
class EuColumn:
    key: str
    header: str
    value: Callable[[EuRow], object]
    # Where the value comes from ("participant.pesel", "enrolment.start_date"), for the
    # import; "" for a value computed from several records or a constant.
    field: str = ""
    # The system's wording of each stored value (stored value → text).
    values: dict[str, str] | None = None
    # Required for every person (True), for some (a function of the row) or never.
    required: bool | Callable[[EuRow], bool] = True
    # What is missing, in words, and where it is entered: "person" (the participant's
    # form), "enrolment" (the card, the project's enrolment), "project" (admin) or
    # "support" (the project's activities and roll calls).
    entered_in: str = "person"

    def is_required(self, row: EuRow) -> bool:
        return self.required(row) if callable(self.required) else self.required


def _person(name: str) -> Callable[[EuRow], object]:
    return lambda row: getattr(row.participant, name)


def _mapped(name: str, mapping: dict[str, str]) -> Callable[[EuRow], object]:
    return lambda row: mapping.get(getattr(row.participant, name), "")


COLUMNS: list[EuColumn] = [
    EuColumn(
        "project_number",
        "Numer projektu",
        lambda row: row.project.number,
        field="project.number",
        entered_in="project",
    ),
    EuColumn(
        "citizenship",
        "Obywatelstwo",
        _mapped("citizenship", CITIZENSHIP),
        field="participant.citizenship",
        values=CITIZENSHIP,
    ),
    EuColumn("participant_kind", "Rodzaj uczestnika", lambda row: INDIVIDUAL),
    EuColumn("first_name", "Imię", _person("first_name"), field="participant.first_name"),
    EuColumn("last_name", "Nazwisko", _person("last_name"), field="participant.last_name"),
    EuColumn(
        "pesel",
        "PESEL",
        lambda row: row.participant.pesel or NO_PESEL,
        field="participant.pesel",
        values={"": NO_PESEL},
    ),
    EuColumn("sex", "Płeć", _mapped("sex", SEX), field="participant.sex", values=SEX),
    EuColumn(
        "age",
        "Wiek w chwili przystąpienia do projektu",
        lambda row: row.participant.age_on(row.enrolment.start_date),
        field="participant.birth_date",
    ),
    EuColumn(
        "education",
        "Wykształcenie",
        _mapped("education", EDUCATION),
        field="participant.education",
        values=EDUCATION,
    ),
    EuColumn("country", "Kraj", _person("country"), field="participant.country"),
    EuColumn(
        "voivodeship",
        "Województwo",
        _mapped("voivodeship", dict(Voivodeship.choices)),
        field="participant.voivodeship",
        values=dict(Voivodeship.choices),
    ),
    EuColumn("county", "Powiat", _person("county"), field="participant.county"),
    EuColumn("municipality", "Gmina", _person("municipality"), field="participant.municipality"),
    EuColumn("locality", "Miejscowość", _person("city"), field="participant.city"),
    EuColumn(
        "postal_code", "Kod pocztowy", _person("postal_code"), field="participant.postal_code"
    ),
    EuColumn(
        "degurba",
        "Obszar wg stopnia urbanizacji (DEGURBA)",
        lambda row: int(row.participant.degurba) if row.participant.degurba else None,
        field="participant.degurba",
        values={"1": "1", "2": "2", "3": "3"},
    ),
    EuColumn(
        "phone", "Telefon kontaktowy", _person("phone"), field="participant.phone", required=False
    ),
    EuColumn("email", "Adres e-mail", _person("email"), field="participant.email", required=False),
    EuColumn(
        "start_date",
        "Data rozpoczęcia udziału w projekcie",
        lambda row: row.enrolment.start_date,
        field="enrolment.start_date",
        entered_in="enrolment",
    ),
    EuColumn(
        "end_date",
        "Data zakończenia udziału w projekcie",
        lambda row: row.enrolment.end_date if row.has_ended else None,
        field="enrolment.end_date",
        required=_ended,
        entered_in="enrolment",
    ),
    EuColumn(
        "labour_status",
        "Status osoby na rynku pracy w chwili przystąpienia do projektu",
        lambda row: LABOUR_STATUS.get(_labour_status(row), ""),
        field="enrolment.labour_status_at_start",
        values=LABOUR_STATUS,
        entered_in="enrolment",
    ),
    EuColumn(
        "labour_status_detail",
        "W tym",
        lambda row: LABOUR_STATUS_DETAIL.get(_labour_status(row), ""),
        field="enrolment.labour_status_at_start",
        values=LABOUR_STATUS_DETAIL,
        entered_in="enrolment",
    ),
    EuColumn(
        "exit_situation",
        "Sytuacja osoby w momencie zakończenia udziału w projekcie",
        _exit_situation,
        field="enrolment_event.situation",
        values=EXIT_SITUATION,
        required=_ended,
        entered_in="enrolment",
    ),
    EuColumn(
        "completed_path",
        "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa",
        _completed_path,
        field="enrolment.status",
        values={Enrolment.Status.COMPLETED: YES},
        required=_ended,
        entered_in="enrolment",
    ),
    EuColumn(
        "support_type",
        "Rodzaj przyznanego wsparcia",
        _support_type,
        values=SUPPORT_TYPE,
        entered_in="support",
    ),
    EuColumn(
        "support_start",
        "Data rozpoczęcia udziału we wsparciu",
        _support_start,
        entered_in="support",
    ),
    EuColumn(
        "foreign_origin",
        "Osoba obcego pochodzenia",
        lambda row: _answer(row.participant.foreign_origin),
        field="participant.foreign_origin",
        values=ANSWER,
    ),
    EuColumn(
        "third_country",
        "Obywatel państwa trzeciego",
        _third_country,
        field="participant.citizenship",
        values=dict.fromkeys(Citizenship.third_country(), YES),
    ),
    EuColumn(
        "minority",
        "Osoba należąca do mniejszości narodowej lub etnicznej (w tym społeczności "
        "zmarginalizowane)",
        lambda row: _answer(row.participant.minority),
        field="participant.minority",
        values=ANSWER,
    ),
    EuColumn(
        "housing_exclusion",
        "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań",
        lambda row: _answer(row.participant.housing_exclusion),
        field="participant.housing_exclusion",
        values=ANSWER,
    ),
    EuColumn(
        "disability",
        "Osoba z niepełnosprawnościami",
        _disability,
        field="participant.disability",
        values={**dict.fromkeys(Participant.Disability.declared(), YES), "refused": REFUSED},
    ),
]


def column(key: str) -> EuColumn:
    for entry in COLUMNS:
        if entry.key == key:
            return entry
    raise LookupError(key)


@dataclass(frozen=True)
class ConfiguredColumn:
    column: EuColumn
    header: str
    position: int


def configured_columns() -> list[ConfiguredColumn]:
    """The export's columns as the administrator set them (EuColumnSetting): header
    texts, order and the columns left out; the default table where nothing is set."""
    from reports.models import EuColumnSetting

    settings = {s.key: s for s in EuColumnSetting.objects.all()}
    chosen: list[tuple[tuple[int, bool, int], ConfiguredColumn]] = []
    for index, entry in enumerate(COLUMNS, start=1):
        setting = settings.get(entry.key)
        if setting is not None and not setting.included:
            continue
        header = (setting.header.strip() if setting else "") or entry.header
        placed = setting.position if setting is not None else None
        position = placed or index
        # A column placed by the administrator goes before one that is there by default.
        key = (position, not placed, index)
        chosen.append((key, ConfiguredColumn(entry, header, position)))
    return [c for _key, c in sorted(chosen, key=lambda item: item[0])]


# --- the export ------------------------------------------------------------------------


@dataclass
class EuExport:
    project: Project
    columns: list[ConfiguredColumn]
    rows: list[EuRow]
    # Not exported: processing restricted (art. 18 GDPR) or anonymised.
    withheld: list[Participant]

    @property
    def complete(self) -> list[EuRow]:
        return [row for row in self.rows if row.complete]

    @property
    def incomplete(self) -> list[EuRow]:
        return [row for row in self.rows if not row.complete]

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


def _empty(value) -> bool:
    return value is None or value == ""


def eu_export(project: Project, participants: QuerySet[Participant]) -> EuExport:
    """The project's participants among `participants` (the user's, participants.access)
    with their row of values and what is missing. Four queries whatever the number of
    people."""
    columns = configured_columns()
    enrolments = list(
        Enrolment.objects.filter(project=project, participant__in=participants)
        .select_related("participant", "project")
        .prefetch_related(
            Prefetch("participant__groups", queryset=ExclusionGroup.objects.only("code")),
            Prefetch("events", queryset=EnrolmentEvent.objects.order_by("date", "pk")),
        )
        .order_by(
            polish("participant__last_name").asc(), polish("participant__first_name").asc(), "pk"
        )
    )
    today = timezone.localdate()
    support: dict[int, dict[str, date]] = {}
    for mark in (
        Attendance.objects.filter(
            session__activity__project=project,
            session__date__lte=today,
            status=Attendance.Status.PRESENT,
            participant__in=[e.participant_id for e in enrolments],
        )
        .values("participant_id", "session__activity__support_form__reintegration")
        .annotate(first=Min("session__date"))
        .order_by()
    ):
        kinds = support.setdefault(mark["participant_id"], {})
        kinds[mark["session__activity__support_form__reintegration"]] = mark["first"]
    rows: list[EuRow] = []
    withheld: list[Participant] = []
    for enrolment in enrolments:
        person = enrolment.participant
        if person.processing_restricted or person.anonymised_at is not None:
            withheld.append(person)
            continue
        row = EuRow(enrolment, support.get(person.pk, {}))
        # Only the columns exported are required: one left out is not asked for.
        row.values = [c.column.value(row) for c in columns]
        row.missing = [
            c.header
            for c, value in zip(columns, row.values, strict=True)
            if c.column.is_required(row) and _empty(value)
        ]
        row.missing_in = {
            c.column.entered_in
            for c, value in zip(columns, row.values, strict=True)
            if c.column.is_required(row) and _empty(value)
        }
        rows.append(row)
    return EuExport(project, columns, rows, withheld)
