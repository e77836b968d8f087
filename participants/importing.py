"""Reading an import file, suggesting its mapping, and checking each row (the dry run).

The steps of the wizard (participants/views/imports.py):

1. `read_table` reads an XLSX or CSV file (`;`, `,` or tab; UTF-8 with or without BOM,
   or Windows-1250 as older Excel writes it) into text cells, and finds the header row.
2. `suggest_mapping` maps each column to a field (`TARGETS`) by its header: KIS's own
   participant-list export and the EU monitoring export (reports/eu_monitoring.py, the
   headers as the administrator configured them and the defaults) are recognised. A
   layout (the folded headers) keeps the mapping chosen last (ImportLayout).
3. `suggest_values` maps each value of a catalogue column (sex, education, labour-market
   status, citizenship, Tak/Nie answers, exclusion groups, project...) to a stored value,
   from the choices' codes and labels, the EU export's wording and common spellings.
4. `plan_rows` checks every row against the register as the importing user sees it and
   says what applying would do: create, update, unchanged or error, with warnings. The
   apply (participants/services/imports.py) runs the same plan again and writes it.

Matching (decision): by PESEL; without a PESEL by first name, last name and date of
birth (folded: "Wojcik" is "Wójcik"). A row that could be either of two people, or a
row with a PESEL whose name and birth date belong to somebody registered without a
PESEL, is an error: the import never merges people on its own (the duplicate merge
does, with a person choosing). An empty cell never clears a value held; exclusion
groups in the file are added to the person's, none is taken away.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.pl import pesel as stdnum_pesel

from kis.lib.services import Actor
from kis.lib.territory import Degurba, Voivodeship
from kis.lib.text import fold
from participants.models import (
    Answer,
    Citizenship,
    Enrolment,
    ExclusionGroup,
    ImportBatch,
    Participant,
    Sex,
)
from projects.models import Project

MAX_ROWS = 20_000
MAX_COLUMNS = 200


class ImportFileError(ValidationError):
    """The file cannot be read as a table."""


# --- reading ------------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    # The file's row number of the first data row (for the report: "row 5").
    first_row: int


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(_("The file cannot be read as an Excel workbook (XLSX).")) from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append([_text(value) for value in row[:MAX_COLUMNS]])
        if len(rows) > MAX_ROWS + 20:
            break
    book.close()
    return rows


def _csv_rows(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1250 decodes nearly everything
        raise ImportFileError(_("The file's characters cannot be read (use UTF-8)."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    return [[cell.strip() for cell in row[:MAX_COLUMNS]] for row in reader]


def read_table(name: str, content: bytes) -> Table:
    """The file as a table of text: its header row (the first row naming at least two
    known fields, else the first non-empty one) and the rows under it."""
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif name.lower().endswith((".csv", ".txt")):
        rows = _csv_rows(content)
    else:
        raise ImportFileError(_("Choose an Excel (XLSX) or CSV file."))
    known = header_index()
    header_at = None
    for number, row in enumerate(rows[:15]):
        if sum(1 for cell in row if _header_key(cell) in known) >= 2:
            header_at = number
            break
    if header_at is None:
        header_at = next((n for n, row in enumerate(rows) if any(row)), None)
    if header_at is None:
        raise ImportFileError(_("The file is empty."))
    headers = rows[header_at]
    while headers and not headers[-1]:
        headers = headers[:-1]
    width = len(headers)
    data = []
    for row in rows[header_at + 1 :]:
        cells = (row + [""] * width)[:width]
        data.append(cells)
    while data and not any(data[-1]):
        data.pop()
    if not data:
        raise ImportFileError(_("The file has a header row but no rows under it."))
    if len(data) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows: split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    return Table(headers=headers, rows=data, first_row=header_at + 2)


def layout_signature(headers: list[str]) -> str:
    return hashlib.sha256("\x1f".join(_header_key(h) for h in headers).encode()).hexdigest()


# --- what a column can be -------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    key: str
    label: Any
    kind: str  # text, pesel, date, choice, groups, project
    choices: Callable[[], list[tuple[str, str]]] | None = None
    sensitive: bool = False


def _choices(enum: Any) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(value, str(label)) for value, label in enum.choices if value]


def _groups() -> list[tuple[str, str]]:
    return [(str(g.pk), g.name) for g in ExclusionGroup.objects.filter(is_active=True)]


def _project_names() -> dict[str, tuple[str, str]]:
    return {
        str(pk): (number, title)
        for pk, number, title in Project.objects.values_list("pk", "number", "title")
    }


def _projects() -> list[tuple[str, str]]:
    return [
        (str(p.pk), f"{p.number} {p.title}".strip() if p.number else p.title)
        for p in Project.objects.order_by("-start_date", "title")
    ]


def _field_label(name: str) -> Any:
    from kis.lib.models import model_field

    return model_field(Participant, name).verbose_name


PARTICIPANT_TEXT = (
    "first_name",
    "last_name",
    "street",
    "postal_code",
    "city",
    "municipality",
    "country",
    "county",
    "municipality_code",
    "phone",
    "email",
    "legal_basis_document",
)
TARGETS: dict[str, Target] = {
    **{
        f"participant.{name}": Target(f"participant.{name}", _field_label(name), "text")
        for name in PARTICIPANT_TEXT
    },
    "participant.pesel": Target("participant.pesel", _field_label("pesel"), "pesel"),
    "participant.birth_date": Target("participant.birth_date", _field_label("birth_date"), "date"),
    "participant.legal_basis_date": Target(
        "participant.legal_basis_date", _field_label("legal_basis_date"), "date"
    ),
    "participant.sex": Target("participant.sex", _field_label("sex"), "choice", _choices(Sex)),
    "participant.education": Target(
        "participant.education",
        _field_label("education"),
        "choice",
        _choices(Participant.Education),
    ),
    "participant.labour_status": Target(
        "participant.labour_status",
        _field_label("labour_status"),
        "choice",
        _choices(Participant.LabourStatus),
    ),
    "participant.citizenship": Target(
        "participant.citizenship", _field_label("citizenship"), "choice", _choices(Citizenship)
    ),
    "participant.voivodeship": Target(
        "participant.voivodeship", _field_label("voivodeship"), "choice", _choices(Voivodeship)
    ),
    "participant.degurba": Target(
        "participant.degurba", _field_label("degurba"), "choice", _choices(Degurba)
    ),
    "participant.foreign_origin": Target(
        "participant.foreign_origin", _field_label("foreign_origin"), "choice", _choices(Answer)
    ),
    "participant.minority": Target(
        "participant.minority", _field_label("minority"), "choice", _choices(Answer)
    ),
    "participant.housing_exclusion": Target(
        "participant.housing_exclusion",
        _field_label("housing_exclusion"),
        "choice",
        _choices(Answer),
    ),
    "participant.disability": Target(
        "participant.disability",
        _field_label("disability"),
        "choice",
        _choices(Participant.Disability),
        sensitive=True,
    ),
    "participant.legal_basis": Target(
        "participant.legal_basis",
        _field_label("legal_basis"),
        "choice",
        _choices(Participant.LegalBasis),
    ),
    "participant.groups": Target("participant.groups", _field_label("groups"), "groups", _groups),
    "enrolment.project": Target(
        "enrolment.project", gettext_lazy("project (enrolment)"), "project", _projects
    ),
    "enrolment.start_date": Target(
        "enrolment.start_date", gettext_lazy("start of participation in the project"), "date"
    ),
    "enrolment.labour_status_at_start": Target(
        "enrolment.labour_status_at_start",
        gettext_lazy("labour-market status on joining the project"),
        "choice",
        _choices(Participant.LabourStatus),
    ),
}
# Only these are compared with and written to the participant's row.
PARTICIPANT_FIELDS = [key.split(".", 1)[1] for key in TARGETS if key.startswith("participant.")]


def _header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def header_index() -> dict[str, str]:
    """Known header texts (folded) → target: KIS's participant-list export in Polish
    and English, the EU monitoring export (configured and default headers), and the
    fields' own names."""
    from reports.eu_monitoring import COLUMNS, configured_columns

    index: dict[str, str] = {}

    def add(text: Any, key: str) -> None:
        folded = _header_key(str(text))
        if folded:
            index.setdefault(folded, key)

    export_headers = {
        "Last name": "participant.last_name",
        "First name": "participant.first_name",
        "PESEL": "participant.pesel",
        "Date of birth": "participant.birth_date",
        "Sex": "participant.sex",
        "Street and number": "participant.street",
        "Postal code": "participant.postal_code",
        "Town": "participant.city",
        "Municipality": "participant.municipality",
        "Phone": "participant.phone",
        "E-mail": "participant.email",
        "Education": "participant.education",
        "Labour-market status": "participant.labour_status",
        "Exclusion groups": "participant.groups",
        "Disability": "participant.disability",
    }
    for language in ("pl", "en"):
        with translation.override(language):
            for text, key in export_headers.items():
                add(_(text), key)
            for key, target in TARGETS.items():
                add(target.label, key)
    eu_fields = {
        "participant.citizenship": "participant.citizenship",
        "enrolment.start_date": "enrolment.start_date",
        "enrolment.labour_status_at_start": "enrolment.labour_status_at_start",
        "project.number": "enrolment.project",
    }
    configured = {c.column.key: c.header for c in configured_columns()}
    for column in COLUMNS:
        if column.key in ("age", "labour_status_detail", "third_country"):
            continue  # computed from other columns: nothing to import
        key = eu_fields.get(column.field, column.field)
        if key in TARGETS:
            add(column.header, key)
            if column.key in configured:
                add(configured[column.key], key)
    add("Nr projektu", "enrolment.project")
    add("Projekt", "enrolment.project")
    add("Data przystąpienia", "enrolment.start_date")
    add("Data urodzenia", "participant.birth_date")
    add("Grupy zagrożone wykluczeniem", "participant.groups")
    add("Grupy zagrożenia wykluczeniem społecznym", "participant.groups")
    return index


def suggest_mapping(headers: list[str]) -> dict[str, str]:
    """Column number (as text, JSON's keys) → target, for the headers recognised; a
    target is suggested for one column only."""
    index = header_index()
    mapping: dict[str, str] = {}
    for number, header in enumerate(headers):
        key = index.get(_header_key(header))
        if key and key not in mapping.values():
            mapping[str(number)] = key
    return mapping


# --- values of catalogue columns ------------------------------------------------------------

SYNONYMS: dict[str, dict[str, str]] = {
    "participant.sex": {"k": "F", "f": "F", "z": "F", "kobieta": "F", "m": "M", "mezczyzna": "M"},
    "answer": {
        "t": "yes",
        "tak": "yes",
        "y": "yes",
        "1": "yes",
        "x": "yes",
        "n": "no",
        "nie": "no",
        "0": "no",
        "odmowa": "refused",
        "odmowa podania informacji": "refused",
    },
    "participant.citizenship": {"polskie": "pl", "polska": "pl", "pl": "pl"},
    "participant.disability": {"nie": "", "brak": "", "tak": "mild"},
}
ANSWER_TARGETS = (
    "participant.foreign_origin",
    "participant.minority",
    "participant.housing_exclusion",
)
# Stored as empty (e.g. "no disability"): a mapped value, not an unknown one.
EMPTY_VALUE = "∅"


LABOUR_KEYS = {"participant.labour_status", "enrolment.labour_status_at_start"}


def _eu_values(key: str) -> dict[str, str]:
    """The EU export's wording → stored value (the first stored value of a wording)."""
    from reports.eu_monitoring import COLUMNS

    wording: dict[str, str] = {}
    for column in COLUMNS:
        if column.values is None or column.key in ("labour_status_detail", "third_country"):
            continue
        if not (column.field == key or (key in LABOUR_KEYS and column.field in LABOUR_KEYS)):
            continue
        for stored, text in column.values.items():
            wording.setdefault(fold(text), stored or EMPTY_VALUE)
    return wording


def distinct_values(batch: ImportBatch, key: str) -> list[str]:
    """The values found in the column mapped to `key` (each item of a list of groups)."""
    columns = [int(c) for c, target in batch.mapping.items() if target == key]
    values: dict[str, None] = {}
    for row in batch.rows:
        for column in columns:
            text = row[column].strip() if column < len(row) else ""
            if not text:
                continue
            items = _split_list(text) if TARGETS[key].kind == "groups" else [text]
            for item in items:
                values.setdefault(item, None)
    return sorted(values, key=fold)


def _split_list(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[;,\n]", text) if item.strip()]


def suggest_value(key: str, raw: str, choices: list[tuple[str, str]]) -> str:
    """The stored value `raw` most likely means, "" if none is clear."""
    target = TARGETS[key]
    folded = fold(raw)
    if target.kind == "project":
        # The choices of a project column are (pk, "number title"): match either part.
        projects = _project_names()
        for value, label in choices:
            number, title = projects.get(value, ("", ""))
            if folded in {fold(number), fold(title), fold(label)} - {""}:
                return value
        return ""
    for value, label in choices:
        if folded in (fold(value), fold(label)):
            return value
    with translation.override("en"):
        for value, label in target.choices() if target.choices else []:
            if folded == fold(str(label)):
                return value
    synonyms = SYNONYMS.get("answer" if key in ANSWER_TARGETS else key, {})
    if folded in synonyms:
        return synonyms[folded] or EMPTY_VALUE
    eu = _eu_values(key)
    if folded in eu:
        return eu[folded]
    if key == "participant.voivodeship":
        for value, label in choices:
            if folded.replace("wojewodztwo ", "") == fold(label):
                return value
    return ""


def suggest_values(batch: ImportBatch, previous: dict[str, dict[str, str]]) -> dict[str, dict]:
    """For each catalogue column mapped: its values with the stored value chosen before
    for this layout, or suggested."""
    suggested: dict[str, dict] = {}
    for key in dict.fromkeys(batch.mapping.values()):
        target = TARGETS.get(key)
        if target is None or target.choices is None:
            continue
        choices = target.choices()
        known = previous.get(key, {})
        suggested[key] = {
            raw: known.get(raw) if raw in known else suggest_value(key, raw, choices)
            for raw in distinct_values(batch, key)
        }
    return suggested


# --- checking the rows ----------------------------------------------------------------------


@dataclass
class RowPlan:
    row: int
    name: str = ""
    action: str = "unchanged"  # create, update, unchanged, error
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    participant: Participant | None = None
    fields: dict[str, Any] = field(default_factory=dict)  # to write (create: all given)
    groups_added: list[ExclusionGroup] = field(default_factory=list)
    enrol_in: Project | None = None
    enrol_start: date | None = None
    labour_status_at_start: str | None = None

    def report(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "name": self.name,
            "action": self.action,
            "errors": self.errors,
            "warnings": self.warnings,
            "changes": self.changes,
            "participant": self.participant.pk
            if self.participant and self.participant.pk
            else None,
        }


DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S")


def parse_date(text: str) -> date | None:
    """DD.MM.RRRR or ISO (and Excel's dates, read as ISO); None if not a date."""
    text = text.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


class _Register:
    """The register as the importing user sees it, loaded once for the whole file."""

    def __init__(self, user: Actor) -> None:
        from participants.access import participants_for, projects_worked_in, sees_everybody

        people = Participant.objects.only(
            "pk", "pesel", "first_name", "last_name", "birth_date"
        ).order_by()
        self.by_pesel: dict[str, int] = {}
        self.by_name: dict[tuple[str, str, date], list[int]] = {}
        self.pesel_of: dict[int, str] = {}
        for person in people.iterator(chunk_size=2000):
            if person.pesel:
                self.by_pesel[person.pesel] = person.pk
            self.pesel_of[person.pk] = person.pesel
            key = (fold(person.first_name), fold(person.last_name), person.birth_date)
            self.by_name.setdefault(key, []).append(person.pk)
        self.everybody = user is None or sees_everybody(user)
        self.visible: set[int] = (
            set() if self.everybody else set(participants_for(user).values_list("pk", flat=True))
        )
        self.my_projects: set[int] | None = (
            None if self.everybody else set(projects_worked_in(user).values_list("pk", flat=True))
        )
        self.enrolled: dict[tuple[int, int], date] = {
            (e["participant_id"], e["project_id"]): e["start_date"]
            for e in Enrolment.objects.values("participant_id", "project_id", "start_date")
        }
        self.projects = {p.pk: p for p in Project.objects.all()}
        self.groups = {g.pk: g for g in ExclusionGroup.objects.all()}

    def sees(self, pk: int) -> bool:
        return self.everybody or pk in self.visible


def _column_label(batch: ImportBatch, column: int) -> str:
    header = batch.headers[column] if column < len(batch.headers) else ""
    return header or _("column %(number)s") % {"number": column + 1}


def plan_rows(
    batch: ImportBatch,
    *,
    user: Actor,
    progress: Callable[[int, int], None] | None = None,
) -> list[RowPlan]:
    """What importing each row would do, as `user` sees the register now."""
    from participants.selectors.people import can_see_sensitive

    register = _Register(user)
    sensitive_ok = user is None or can_see_sensitive(user)
    first_row = int(batch.options.get("first_row", 2))
    seen: dict[tuple, int] = {}
    plans = []
    total = len(batch.rows)
    people_cache: dict[int, Participant] = {}
    for index, row in enumerate(batch.rows):
        plan = _plan_row(batch, row, first_row + index, register, sensitive_ok, seen, people_cache)
        plans.append(plan)
        if progress is not None:
            progress(index + 1, total)
    return plans


def _values(batch: ImportBatch, row: list[str], plan: RowPlan) -> dict[str, Any]:
    """The row's cells as typed values, by target; errors for what cannot be read."""
    values: dict[str, Any] = {}
    for column_text, key in batch.mapping.items():
        target = TARGETS.get(key)
        column = int(column_text)
        if target is None or column >= len(row):
            continue
        raw = row[column].strip()
        if not raw:
            continue
        label = _column_label(batch, column)
        if target.kind == "text":
            values[key] = raw
        elif target.kind == "pesel":
            digits = re.sub(r"\s", "", raw)
            if fold(digits) in ("brak pesel", "brak"):
                continue
            if digits.isdigit() and len(digits) < 11:
                digits = digits.zfill(11)  # a number cell lost its leading zero
            values[key] = digits
        elif target.kind == "date":
            day = parse_date(raw)
            if day is None:
                plan.errors.append(
                    _(
                        "“%(value)s” in column “%(column)s” is not a date (DD.MM.RRRR or RRRR-MM-DD)."
                    )
                    % {"value": raw, "column": label}
                )
            else:
                values[key] = day
        else:
            mapping = batch.value_mapping.get(key, {})
            items = _split_list(raw) if target.kind == "groups" else [raw]
            chosen = []
            for item in items:
                stored = mapping.get(item, "")
                if not stored:
                    plan.errors.append(
                        _("Unknown value “%(value)s” in column “%(column)s”.")
                        % {"value": item, "column": label}
                    )
                    continue
                chosen.append("" if stored == EMPTY_VALUE else stored)
            if target.kind == "groups":
                values[key] = chosen
            elif chosen:
                values[key] = chosen[0]
    return values


def _plan_row(
    batch: ImportBatch,
    row: list[str],
    number: int,
    register: _Register,
    sensitive_ok: bool,
    seen: dict[tuple, int],
    people_cache: dict[int, Participant],
) -> RowPlan:
    plan = RowPlan(row=number)
    if not any(cell.strip() for cell in row):
        plan.action = "unchanged"
        plan.warnings.append(_("An empty row: skipped."))
        return plan
    values = _values(batch, row, plan)
    first = values.get("participant.first_name", "")
    last = values.get("participant.last_name", "")
    plan.name = f"{first} {last}".strip()
    for key in [k for k in values if TARGETS[k].sensitive] if not sensitive_ok else []:
        del values[key]
        plan.warnings.append(
            _("%(field)s left out: you may not enter sensitive data.")
            % {"field": TARGETS[key].label}
        )
    if not sensitive_ok and values.get("participant.groups"):
        kept = [g for g in values["participant.groups"] if not register.groups[int(g)].is_sensitive]
        if len(kept) != len(values["participant.groups"]):
            plan.warnings.append(
                _("Sensitive exclusion groups left out: you may not enter sensitive data.")
            )
        values["participant.groups"] = kept

    # PESEL: check digit, and the birth date and sex it gives.
    pesel = values.get("participant.pesel", "")
    birth = values.get("participant.birth_date")
    sex = values.get("participant.sex")
    if pesel:
        if not re.fullmatch(r"\d{11}", pesel):
            plan.errors.append(_("PESEL “%(pesel)s” does not have 11 digits.") % {"pesel": pesel})
            pesel = ""
        elif not stdnum_pesel.is_valid(pesel):
            plan.errors.append(
                _("PESEL “%(pesel)s” has a wrong check digit (or no valid date of birth).")
                % {"pesel": pesel}
            )
            pesel = ""
        else:
            pesel_birth = stdnum_pesel.get_birth_date(pesel)
            pesel_sex = Sex.FEMALE if stdnum_pesel.get_gender(pesel) == "F" else Sex.MALE
            if birth and birth != pesel_birth:
                plan.errors.append(
                    _("PESEL %(pesel)s gives the date of birth %(pesel_date)s, the file %(date)s.")
                    % {"pesel": pesel, "pesel_date": _day(pesel_birth), "date": _day(birth)}
                )
            if sex and sex != pesel_sex:
                plan.errors.append(
                    _("PESEL %(pesel)s gives the sex: %(pesel_sex)s, the file: %(sex)s.")
                    % {
                        "pesel": pesel,
                        "pesel_sex": Sex(pesel_sex).label,
                        "sex": Sex(sex).label,
                    }
                )
            birth, sex = pesel_birth, pesel_sex
            values["participant.birth_date"], values["participant.sex"] = birth, sex

    # Who the row is.
    match: int | None = None
    name_key = (fold(first), fold(last), birth) if first and last and birth else None
    born = _day(birth) if birth else ""
    if pesel:
        match = register.by_pesel.get(pesel)
        if match is None and name_key:
            without = [pk for pk in register.by_name.get(name_key, []) if not register.pesel_of[pk]]
            if without:
                plan.errors.append(
                    _(
                        "%(name)s, born %(date)s, is already registered without a PESEL: "
                        "enter the PESEL on his or her card first (the import does not "
                        "join people by itself)."
                    )
                    % {"name": plan.name, "date": born}
                )
        seen_key: tuple | None = ("pesel", pesel)
    elif name_key:
        candidates = register.by_name.get(name_key, [])
        if len(candidates) > 1:
            plan.errors.append(
                _(
                    "%(count)s people named %(name)s were born on %(date)s: give the PESEL "
                    "to say which one (nothing is joined by guess)."
                )
                % {"count": len(candidates), "name": plan.name, "date": born}
            )
        elif candidates:
            match = candidates[0]
            plan.warnings.append(_("Found by name and date of birth (no PESEL in the file)."))
        seen_key = ("name", *name_key)
    else:
        seen_key = None
    if seen_key is not None:
        if seen_key in seen:
            plan.errors.append(_("The same person as in row %(row)s.") % {"row": seen[seen_key]})
        else:
            seen[seen_key] = number

    person: Participant | None = None
    if match is not None:
        if not register.sees(match):
            plan.errors.append(
                _(
                    "This person is already registered, and you do not have access to him "
                    "or her: ask a manager to import this row."
                )
            )
        else:
            person = people_cache.get(match) or Participant.objects.prefetch_related("groups").get(
                pk=match
            )
            people_cache[match] = person
            if person.processing_restricted or person.anonymised_at is not None:
                plan.errors.append(
                    _("%(name)s: processing is restricted or the data are anonymised.")
                    % {"name": person.full_name}
                )
    plan.participant = person

    # The fields to write.
    given = {
        key.split(".", 1)[1]: value
        for key, value in values.items()
        if key.startswith("participant.") and key != "participant.groups"
    }
    if person is None:
        for name, option in (
            ("legal_basis", "legal_basis"),
            ("legal_basis_date", "legal_basis_date"),
        ):
            if name not in given and batch.options.get(option):
                default = batch.options[option]
                given[name] = date.fromisoformat(default) if name.endswith("date") else default
        for name in (
            "first_name",
            "last_name",
            "birth_date",
            "sex",
            "legal_basis",
            "legal_basis_date",
        ):
            if not given.get(name):
                plan.errors.append(
                    _("A required value is missing: %(field)s.") % {"field": _field_label(name)}
                )
        plan.fields = given
        groups = [register.groups[int(g)] for g in values.get("participant.groups", [])]
        plan.groups_added = groups
        candidate = Participant(**given)
        if not plan.errors:
            _validate(candidate, plan)
        if plan.errors:
            plan.action = "error"
            return plan
        plan.action = "create"
    else:
        changed = {}
        for name, value in given.items():
            if getattr(person, name) != value:
                changed[name] = value
        held = {g.pk for g in person.groups.all()}
        new_groups = [
            register.groups[int(g)]
            for g in values.get("participant.groups", [])
            if int(g) not in held
        ]
        plan.fields = changed
        plan.groups_added = new_groups
        plan.changes = [str(_field_label(name)) for name in changed]
        if new_groups:
            plan.changes.append(
                _("exclusion groups: + %(groups)s")
                % {"groups": ", ".join(g.name for g in new_groups)}
            )
        if changed and not plan.errors:
            candidate = Participant.objects.get(pk=person.pk)
            for name, value in changed.items():
                setattr(candidate, name, value)
            _validate(candidate, plan)
        plan.action = "update" if (changed or new_groups) else "unchanged"

    _plan_enrolment(batch, values, plan, register, person)
    if plan.errors:
        plan.action = "error"
    return plan


def _validate(candidate: Participant, plan: RowPlan) -> None:
    try:
        # Uniqueness (the PESEL) is the matching's: a query per row here would be most of
        # the dry run's time. The save (participant_create) checks everything again.
        candidate.full_clean(
            validate_unique=False, validate_constraints=False, exclude=["registered_by"]
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = _field_label(name) if name != "__all__" else ""
            for message in messages:
                plan.errors.append(f"{label}: {message}" if label else message)


def _plan_enrolment(
    batch: ImportBatch,
    values: dict[str, Any],
    plan: RowPlan,
    register: _Register,
    person: Participant | None,
) -> None:
    project_id = values.get("enrolment.project") or (batch.project_id and str(batch.project_id))
    if not project_id:
        if register.my_projects is not None:
            plan.errors.append(
                _("A caseworker imports people into one of his or her projects: name the project.")
            )
        return
    project = register.projects[int(project_id)]
    if register.my_projects is not None and project.pk not in register.my_projects:
        plan.errors.append(
            _("You do not work in the project “%(project)s”.") % {"project": project.title}
        )
        return
    start = values.get("enrolment.start_date")
    if person is not None and (person.pk, project.pk) in register.enrolled:
        since = register.enrolled[(person.pk, project.pk)]
        if start and start != since:
            plan.warnings.append(
                _("Already in the project since %(since)s: the start %(date)s is not changed.")
                % {"since": _day(since), "date": _day(start)}
            )
        return
    if not project.accepts_enrolments:
        plan.errors.append(
            _("The project “%(project)s” takes nobody new (%(status)s).")
            % {"project": project.title, "status": project.get_status_display()}
        )
        return
    if start is None:
        plan.errors.append(
            _("A required value is missing: %(field)s.")
            % {"field": TARGETS["enrolment.start_date"].label}
        )
        return
    if not project.start_date <= start <= project.end_date:
        plan.errors.append(
            _("The start %(date)s lies outside the project “%(project)s” (%(start)s – %(end)s).")
            % {
                "date": _day(start),
                "project": project.title,
                "start": _day(project.start_date),
                "end": _day(project.end_date),
            }
        )
        return
    if start > timezone.localdate():
        plan.errors.append(_("The start %(date)s is in the future.") % {"date": _day(start)})
        return
    plan.enrol_in, plan.enrol_start = project, start
    plan.labour_status_at_start = values.get("enrolment.labour_status_at_start")
    plan.changes.append(
        _("enrolment in “%(project)s” from %(date)s")
        % {"project": project.title, "date": _day(start)}
    )
    if plan.action == "unchanged":
        plan.action = "update"


def summary_of(plans: Iterable[RowPlan]) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "unchanged": 0, "error": 0, "warning": 0}
    for plan in plans:
        counts[plan.action] += 1
        if plan.warnings:
            counts["warning"] += 1
    return counts
