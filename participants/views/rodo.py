"""Data-protection duties: the subject-access export, restricting processing, and the
card's access history (managers)."""

import json
from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kis.audit import access_log
from kis.lib.pdf import render_pdf
from kis.models import AccessLog
from participants.access import participants_for
from participants.selectors.rodo import subject_access_check, subject_data, subject_labels
from participants.services.people import ProcessingRestricted
from participants.services.rodo import processing_restriction_set
from participants.views.people import log_refusal
from projects.selectors import letterhead


def _person(request, pk: int):
    return get_object_or_404(participants_for(request.user), pk=pk)


def _export_refusal(request, participant) -> HttpResponse | None:
    """The card with the reason, if the person's data cannot be exported (anonymised,
    or processing restricted); the refusal is logged."""
    try:
        subject_access_check(participant)
    except ProcessingRestricted as error:
        log_refusal(request, error)
        messages.error(request, " ".join(error.messages))
        return redirect("participants:detail", pk=participant.pk)
    return None


@permission_required("participants.export_participant", raise_exception=True)
def export_json(request, pk: int):
    """Everything held about a person, as JSON (art. 15 GDPR)."""
    participant = _person(request, pk)
    if refusal := _export_refusal(request, participant):
        return refusal
    access_log(request, AccessLog.Action.EXPORT, participant, "subject access export (JSON)")
    data = subject_data(participant)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="dane-osoby-{participant.pk}.json"'
    return response


@permission_required("participants.export_participant", raise_exception=True)
def export_pdf(request, pk: int):
    """Everything held about a person, as a PDF (art. 15 GDPR)."""
    participant = _person(request, pk)
    if refusal := _export_refusal(request, participant):
        return refusal
    access_log(request, AccessLog.Action.EXPORT, participant, "subject access export (PDF)")
    return render_pdf(
        request,
        "participants/print/subject_access.html",
        {
            **letterhead(),
            "sections": _sections(subject_data(participant)),
            "participant": participant,
        },
        f"dane-osoby-{participant.pk}.pdf",
        download=True,
    )


def _flat(value) -> str:
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "d.m.Y H:i")
    if isinstance(value, date):
        return formats.date_format(value, "d.m.Y")
    return "" if value is None else str(value)


def _sections(data: dict) -> list[dict]:
    """The export as titled tables of (label, value) rows, for the PDF."""
    sections = []
    for key, (title, labels) in subject_labels().items():
        value = data[key]
        entries = [value] if isinstance(value, dict) else value
        sections.append(
            {
                "title": title,
                "entries": [[(labels[k], _flat(v)) for k, v in entry.items()] for entry in entries],
            }
        )
    return sections


@require_POST
@permission_required("participants.restrict_processing", raise_exception=True)
def restriction(request, pk: int):
    participant = _person(request, pk)
    restrict = request.POST.get("restrict") == "1"
    try:
        processing_restriction_set(
            participant=participant,
            restricted=restrict,
            reason=request.POST.get("reason", ""),
            user=request.user,
        )
    except ProcessingRestricted as error:  # anonymised: nothing to restrict any more
        log_refusal(request, error)
        messages.error(request, " ".join(error.messages))
        return redirect("participants:detail", pk=pk)
    except ValidationError as error:
        # The form is a button and a reason on the card: the reason's error goes there.
        messages.error(
            request,
            _("The reason for the restriction: %(errors)s") % {"errors": " ".join(error.messages)},
        )
        return redirect("participants:detail", pk=pk)
    messages.success(
        request,
        _("Processing of the data has been restricted.")
        if restrict
        else _("The restriction has been lifted."),
    )
    return redirect("participants:detail", pk=pk)
