"""Issuing a report ("Wydaj / wyślij") and comparing an issued report with today's data.

What is frozen (reports.models.IssuedReport): the PDF and the workbook exactly as
generated, and the report's data as canonical JSON (keys sorted, UTF-8, no spaces): its
identity (kind, year, project, date of the figures), who issued it and when, the
correction it makes, the note, every figure shown (key, scope, value, the ids of the
records it counted and, for amounts, each record's amount) and the narrative.

Decision on the checksum: a PDF cannot contain its own hash, so the checksum printed in
the PDF's footer is the SHA-256 of that JSON (`IssuedReport.data`, downloadable as it
is): it certifies the figures, the records behind them and the narrative, and anybody
can check a printed copy with `sha256sum` on the downloaded JSON. The files' own
SHA-256 are stored beside them and shown on the issued report's page.

The figures are those the report shows: the print template is rendered once with a
collector (`figure_collector`, filled by the {% figure %} tag), so the data hold exactly
the figures on the paper, and a figure added to a template is issued with it.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from weasyprint import HTML

from kis.lib.pdf import LocalFetcher
from kis.lib.services import permission_check
from participants.access import participants_for, sees_everybody
from projects.models import Project
from reports.figures import FIGURES, Figure, Scope, figure_label, scope_from
from reports.models import IssuedReport

Kind = IssuedReport.Kind


@dataclass
class Prepared:
    """A report as it would be issued now: its print context, PDF template, workbook and
    file names."""

    context: dict[str, Any]
    template: str
    xlsx: bytes
    as_of: date
    narrative: list[dict[str, Any]] = field(default_factory=list)


def prepare(kind: str, year: int, project: Project | None) -> Prepared:
    """The report's context and workbook, as the report's own views make them."""
    # The views own the reports' contexts (the page, the PDF and the workbook share them).
    from reports import views
    from reports.excel import annual_workbook, project_workbook, statutory_workbook
    from reports.narratives import narratives_for
    from reports.selectors import statutory_definitions

    if kind == Kind.ANNUAL:
        context = views._annual_context(year)
        summary = context["summary"]
        narrative = [
            {"section": section["number"], "label": str(section["label"]), "text": section["text"]}
            for section in context["sections"]
        ]
        xlsx = annual_workbook(summary, narratives_for(summary))
        return Prepared(context, "reports/annual_print.html", xlsx, summary.as_of, narrative)
    if kind == Kind.STATUTORY:
        context = views._statutory_context(year)
        report = context["report"]
        xlsx = statutory_workbook(report, statutory_definitions())
        return Prepared(context, "reports/statutory_print.html", xlsx, report.as_of)
    if kind == Kind.PROJECT and project is not None:
        context = views._project_context(project.pk)
        report = context["report"]
        return Prepared(
            context, "reports/project_print.html", project_workbook(report), report.as_of
        )
    raise ValidationError(_("Unknown report."))


def _identity(shown: dict[str, Any]) -> str:
    return json.dumps([shown["key"], shown["params"]], sort_keys=True)


def collect_figures(prepared: Prepared, *, with_records: bool = True) -> list[dict[str, Any]]:
    """Every figure the report shows, once each, with the records it counted."""
    collector: list[dict[str, Any]] = []
    render_to_string(prepared.template, {**prepared.context, "figure_collector": collector})
    figures: list[dict[str, Any]] = []
    seen: set[str] = set()
    for shown in collector:
        identity = _identity(shown)
        if identity in seen:
            continue
        seen.add(identity)
        if not with_records:
            figures.append(shown)
            continue
        figure = FIGURES[shown["key"]]
        scope = _scope(shown["params"])
        figures.append({**shown, **records_of(figure, scope)})
    return figures


def _scope(params: dict[str, str]) -> Scope:
    project = Project.objects.filter(pk=params["project"]).first() if "project" in params else None
    return scope_from(params, project)


def records_of(figure: Figure, scope: Scope) -> dict[str, Any]:
    """The ids of the records a figure counts; for an amount, each record's amount."""
    records = figure.queryset(scope).order_by("pk")
    if figure.total:
        amounts = {str(pk): str(value) for pk, value in records.values_list("pk", figure.total)}
        return {"ids": [int(pk) for pk in amounts], "amounts": amounts}
    return {"ids": list(records.values_list("pk", flat=True))}


def canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def render_issued_pdf(prepared: Prepared, issue: dict[str, Any]) -> bytes:
    html = render_to_string(prepared.template, {**prepared.context, "issue": issue})
    base_url = "http://kis.local/"
    return HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher(base_url)).write_pdf()


@transaction.atomic
def report_issue(
    *,
    kind: str,
    year: int | None = None,
    project: Project | None = None,
    user: User | None,
    corrects: IssuedReport | None = None,
    note: str = "",
) -> IssuedReport:
    """Freeze a report as it is now: its PDF, workbook, figures (with their records) and
    narrative, with who issued it and when. A correction names the issue it corrects,
    which must be of the same report."""
    permission_check(user, "reports.add_issuedreport")
    if kind not in Kind.values:
        raise ValidationError(_("Unknown report."))
    if kind == Kind.PROJECT:
        if project is None:
            raise ValidationError(_("Choose the project."))
    elif year is None:
        raise ValidationError(_("Choose the year."))
    else:
        project = None
    now = timezone.now()
    prepared = prepare(kind, year or 0, project)
    year = prepared.as_of.year if kind == Kind.PROJECT or year is None else year
    if corrects is not None and (
        corrects.kind != kind
        or corrects.year != year
        or corrects.project_id != getattr(project, "pk", None)
    ):
        raise ValidationError(_("A correction corrects an issue of the same report."))
    note = note.strip().replace("\x00", "")
    issued_by = (user.get_full_name() or user.get_username()) if user else _("the application")
    data = {
        "report": kind,
        "year": year,
        "project": project.pk if project else None,
        "as_of": prepared.as_of.isoformat(),
        "issued_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "issued_by": issued_by,
        "corrects": corrects.pk if corrects else None,
        "note": note,
        "figures": collect_figures(prepared),
        "narrative": prepared.narrative,
    }
    text = canonical(data)
    checksum = sha256(text.encode())
    issue = {"checksum": checksum, "issued_at": now, "issued_by": issued_by, "corrects": corrects}
    pdf = render_issued_pdf(prepared, issue)
    issued = IssuedReport(
        kind=kind,
        year=year,
        project=project,
        as_of=prepared.as_of,
        issued_at=now,
        issued_by=user,
        issued_by_name=issued_by,
        corrects=corrects,
        note=note,
        data=text,
        checksum=checksum,
        pdf=pdf,
        pdf_sha256=sha256(pdf),
        xlsx=prepared.xlsx,
        xlsx_sha256=sha256(prepared.xlsx),
    )
    issued.full_clean()
    issued.save()
    return issued


# --- then and now ----------------------------------------------------------------------------


@dataclass
class Record:
    """A record behind a figure, as the comparison names it."""

    pk: int
    text: str
    url: str = ""
    amount_then: str | None = None
    amount_now: str | None = None
    participant_id: int | None = None  # the person named (the access log's entry)


@dataclass
class Change:
    key: str
    label: str
    params: dict[str, str]
    then: Any
    now: Any
    added: list[Record]
    removed: list[Record]
    amounts: list[Record]  # records in both whose amount changed
    url: str = ""

    @property
    def changed(self) -> bool:
        return str(self.then) != str(self.now) or bool(self.added or self.removed or self.amounts)


def _value(value: Any) -> Decimal:
    return Decimal(str(value))


def _describe(figure: Figure, pks: list[int], user: Any) -> dict[int, Record]:
    """How each record is named: a person the user may open by name (a link to the card),
    another as "person without access", a record since deleted as such."""
    from reports.drilldown import NO_ACCESS

    kind = figure.kind
    model: type[Model] = kind.model
    records = {
        record.pk: record
        for record in model._default_manager.filter(pk__in=pks).select_related(*kind.related)
    }
    visible: set[int] | None = None
    if kind.person is not None and not sees_everybody(user):
        visible = set(participants_for(user).values_list("pk", flat=True))
    described: dict[int, Record] = {}
    for pk in pks:
        record = records.get(pk)
        if record is None:
            described[pk] = Record(pk, _("record deleted since (no. %(pk)s)") % {"pk": pk})
            continue
        person = None
        if kind.person is not None:
            person = record
            for part in filter(None, kind.person.split("__")):
                person = getattr(person, part)
        if person is not None and visible is not None and person.pk not in visible:
            described[pk] = Record(pk, str(NO_ACCESS))
            continue
        text = str(record) if person is None or person is record else f"{person} – {record}"
        url = reverse("participants:detail", args=[person.pk]) if person is not None else ""
        described[pk] = Record(pk, text, url, participant_id=getattr(person, "pk", None))
    return described


def compare(issued: IssuedReport, user: Any) -> list[Change]:
    """Figure by figure, the issued value and today's, and the records that make the
    difference: counted then and not now (removed), now and not then (added), and, for
    amounts, records whose amount changed. One query per figure, two more per changed
    one."""
    from django.utils.http import urlencode

    data = json.loads(issued.data)
    changes: list[Change] = []
    # Figures the report shows now but did not then (a table that had no rows): zero
    # then, every record of theirs added since.
    identities = {_identity(shown) for shown in data["figures"]}
    project = issued.project if issued.kind == Kind.PROJECT else None
    today = collect_figures(prepare(issued.kind, issued.year, project), with_records=False)
    for shown in today:
        if _identity(shown) not in identities:
            data["figures"].append({**shown, "value": 0, "ids": [], "amounts": {}, "new": True})
    for shown in data["figures"]:
        figure = FIGURES.get(shown["key"])
        if figure is None:  # a figure since removed from the registry
            continue
        scope = _scope(shown["params"])
        now = records_of(figure, scope)
        then_ids, now_ids = set(shown["ids"]), set(now["ids"])
        value_now = figure.value(scope)
        amounts_then = shown.get("amounts", {})
        amounts_now = now.get("amounts", {})
        differing = sorted(
            int(pk)
            for pk in set(amounts_then) & set(amounts_now)
            if _value(amounts_then[pk]) != _value(amounts_now[pk])
        )
        change = Change(
            shown["key"],
            figure_label(figure, scope),
            shown["params"],
            shown["value"],
            value_now,
            [],
            [],
            [],
            reverse("reports:figure", args=[figure.key]) + "?" + urlencode(scope.params()),
        )
        value_differs = _value(shown["value"]) != _value(value_now)
        if shown.get("new") and not value_differs and then_ids == now_ids:
            continue  # shown now, and zero both then and now
        if value_differs or then_ids != now_ids or differing:
            involved = sorted((then_ids ^ now_ids) | set(differing))
            named = _describe(figure, involved, user)
            change.added = [named[pk] for pk in sorted(now_ids - then_ids)]
            change.removed = [named[pk] for pk in sorted(then_ids - now_ids)]
            for pk in differing:
                record = named[pk]
                record.amount_then, record.amount_now = amounts_then[str(pk)], amounts_now[str(pk)]
                change.amounts.append(record)
        changes.append(change)
    return changes
