"""Papers a participant signs, as PDF, made from the register and reached from the card
in one click: the social contract (art. 108 of the Social Assistance Act), the
individual action plan and the information clause (art. 13 GDPR).

Each is refused (with the card's message) for a person whose processing is restricted
or who is anonymised, and its printing goes to the access log."""

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kis.audit import access_log
from kis.lib.pdf import render_pdf
from kis.models import AccessLog
from participants.access import participants_for
from participants.models import Diagnosis, Enrolment, Participant, SocialContract
from participants.services.people import untouchable
from participants.views.people import restricted_refusal
from projects.models import Project
from projects.selectors import letterhead


def _person(request: HttpRequest, pk: int) -> Participant:
    return get_object_or_404(participants_for(request.user), pk=pk)


def paper_project(participant: Participant) -> Project | None:
    """The project whose logo strip heads a paper given to the person: the latest one
    he or she is taking part in that has a strip (an EU-funded project must carry it on
    every document given to participants), else the latest one with a strip."""
    enrolments = (
        Enrolment.objects.filter(participant=participant)
        .select_related("project__programme")
        .order_by("-start_date", "-pk")
    )
    with_strip = [e for e in enrolments if e.project.funding_strip]
    active = [e for e in with_strip if e.status == Enrolment.Status.ACTIVE]
    chosen = active or with_strip
    return chosen[0].project if chosen else None


def _paper(request, participant, template: str, context: dict, filename: str, what: str):
    access_log(request, AccessLog.Action.PDF, participant, what)
    context = {
        **letterhead(context.pop("project", None) or paper_project(participant)),
        "participant": participant,
        "today": timezone.localdate(),
        **context,
    }
    return render_pdf(request, template, context, filename)


@permission_required("participants.view_socialcontract", raise_exception=True)
def contract_pdf(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    """The social contract for both parties to sign: the parties, goals, both sides'
    obligations, the period, its review and evaluation."""
    participant = _person(request, participant_pk)
    contract = get_object_or_404(
        SocialContract.objects.select_related("caseworker"), pk=pk, participant=participant
    )
    if untouchable([participant]):
        return restricted_refusal(request, participant)
    return _paper(
        request,
        participant,
        "participants/print/social_contract.html",
        {"contract": contract},
        f"kontrakt-socjalny-{contract.pk}.pdf",
        f"social contract {contract.number}",
    )


@permission_required("participants.view_diagnosis", raise_exception=True)
def action_plan_pdf(request: HttpRequest, participant_pk: int, pk: int) -> HttpResponse:
    """The individual action plan drawn up after a diagnosis: the needs found, the goals
    with their dates, the support planned and the signatures."""
    participant = _person(request, participant_pk)
    diagnosis = get_object_or_404(
        Diagnosis.objects.select_related("enrolment__project__programme").prefetch_related(
            "staff", "goals"
        ),
        pk=pk,
        participant=participant,
        has_action_plan=True,
    )
    if untouchable([participant]):
        return restricted_refusal(request, participant)
    project = diagnosis.enrolment.project if diagnosis.enrolment is not None else None
    activities = (
        participant.activity_assignments.filter(activity__project=project)
        .select_related("activity__support_form")
        .order_by("activity__start_date", "activity__name")
        if project
        else []
    )
    return _paper(
        request,
        participant,
        "participants/print/action_plan.html",
        {
            "diagnosis": diagnosis,
            "project": project,
            "plan_project": project,
            "activities": list(activities),
        },
        f"plan-dzialania-{diagnosis.pk}.pdf",
        f"action plan {diagnosis.pk}",
    )


@permission_required("participants.view_participant", raise_exception=True)
def information_clause_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The information of art. 13 GDPR for the person to sign: the controller, the data
    protection officer, purposes, legal basis, recipients, how long the data are kept
    (each of the person's projects) and the person's rights."""
    participant = _person(request, pk)
    if untouchable([participant]):
        return restricted_refusal(request, participant)
    enrolments = list(
        participant.enrolments.select_related("project__programme").order_by("start_date", "pk")
    )
    programmes = [e.project.programme for e in enrolments if e.project.programme is not None]
    institutions = sorted({p.institution for p in programmes if p.institution})
    return _paper(
        request,
        participant,
        "participants/print/information_clause.html",
        {"enrolments": enrolments, "institutions": institutions},
        f"klauzula-informacyjna-{participant.pk}.pdf",
        "information clause",
    )
