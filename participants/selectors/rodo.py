"""Everything the register holds about one person, for the subject-access export."""

from django.db.models import Q

from kis.models import AccessLog
from participants.models import (
    ActivityParticipant,
    Attendance,
    Participant,
)


def _fields(obj, names: list[str]) -> dict:
    return {name: getattr(obj, name) for name in names}


PERSON_FIELDS = [
    "first_name",
    "last_name",
    "pesel",
    "birth_date",
    "sex",
    "street",
    "postal_code",
    "city",
    "municipality",
    "phone",
    "email",
    "education",
    "labour_status",
    "disability",
    "health_notes",
    "legal_basis",
    "legal_basis_date",
    "legal_basis_document",
    "processing_restricted",
    "restriction_reason",
    "created_at",
    "updated_at",
]


def subject_data(participant: Participant) -> dict:
    """A plain dictionary (JSON-ready) of the person's data, enrolments and their
    history, action plans, jobs, support and attendance, contracts, placements, events
    and the access log. A fixed number of queries."""
    p = Participant.objects.prefetch_related(
        "groups",
        "enrolments__project",
        "enrolments__events__reason",
        "diagnoses__goals",
        "diagnoses__staff",
        "employments",
        "contracts__caseworker",
        "placements",
        "events",
        "family_links__relative",
    ).get(pk=participant.pk)
    attendance = (
        Attendance.objects.filter(participant=p)
        .select_related("session__activity")
        .order_by("session__date", "session__start_time")
    )
    assignments = ActivityParticipant.objects.filter(participant=p).select_related(
        "activity__project", "activity__support_form"
    )
    log = AccessLog.objects.filter(Q(participant=p) | Q(participant_ref=p.pk)).order_by("at")
    return {
        "person": {
            **_fields(p, PERSON_FIELDS),
            "exclusion_groups": [g.name for g in p.groups.all()],
            "family_members": [
                {"name": link.relative.full_name, "relation": link.get_relation_display()}
                for link in p.family_links.all()
            ],
        },
        "enrolments": [
            {
                "project": e.project.title,
                "project_number": e.project.number,
                "start_date": e.start_date,
                "status": e.get_status_display(),
                "history": [
                    {
                        "date": ev.date,
                        "event": ev.get_kind_display(),
                        "reason": ev.reason.name if ev.reason else "",
                        "note": ev.note,
                    }
                    for ev in e.events.all()
                ],
            }
            for e in p.enrolments.all()
        ],
        "diagnoses": [
            {
                "date": d.date,
                "needs": d.needs,
                "action_plan": d.has_action_plan,
                "staff": [s.full_name for s in d.staff.all()],
                "goals": [
                    {"goal": g.description, "target_date": g.target_date, "achieved": g.achieved}
                    for g in d.goals.all()
                ],
            }
            for d in p.diagnoses.all()
        ],
        "jobs": [
            _fields(j, ["employer", "start_date", "end_date", "contract", "is_long_term"])
            for j in p.employments.all()
        ],
        "activities": [
            {
                "activity": a.activity.name,
                "support_form": a.activity.support_form.name,
                "project": a.activity.project.title,
                "completed_on": a.completed_on,
            }
            for a in assignments
        ],
        "attendance": [
            {
                "date": a.session.date,
                "activity": a.session.activity.name,
                "hours": a.session.duration_hours,
                "status": a.get_status_display(),
            }
            for a in attendance
        ],
        "social_contracts": [
            _fields(
                c,
                [
                    "number",
                    "signed_on",
                    "start_date",
                    "end_date",
                    "goals",
                    "participant_obligations",
                    "centre_obligations",
                    "status",
                    "termination_reason",
                    "review_date",
                ],
            )
            | {"caseworker": c.caseworker.full_name}
            for c in p.contracts.all()
        ],
        "placements": [
            _fields(
                x,
                [
                    "kind",
                    "employer_name",
                    "referral_number",
                    "start_date",
                    "end_date",
                    "hours_per_month",
                    "hiring_declared",
                    "outcome",
                ],
            )
            for x in p.placements.all()
        ],
        "community_events": [
            {"name": e.name, "date": e.date, "place": e.place} for e in p.events.all()
        ],
        "access_log": [
            {
                "when": entry.at,
                "user": entry.username,
                "action": entry.get_action_display(),
                "what": entry.what,
            }
            for entry in log
        ],
    }
