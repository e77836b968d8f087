"""One set of test data with a paper of every kind the app prints (kis/tests/test_pdfs.py
and the browser tests read them all)."""

from datetime import date

from django.urls import reverse

from participants.models import Diagnosis, Goal, Session, SocialContract
from participants.services.support import roll_call_save
from projects.models import Indicator
from projects.tests.factories import OrganisationFactory
from reports.tests.scenario import build_2014

CENTRE = "Ośrodek Pomocy Społecznej w Testowicach"


def build_papers(manager) -> dict[str, str]:
    """The 2014 club year with a paper of every kind: name → URL. Uploads nothing; the
    caller gives a MEDIA_ROOT of its own (the `media_root` fixture) if it adds any."""
    OrganisationFactory(
        regon="072228543", street="ul. Długa 5", postal_code="32-620", voivodeship="12"
    )
    year = build_2014()
    p = year.people
    Indicator.objects.create(
        project=year.pokl, name="Uczestnicy projektu", measure="participants", target_total=60
    )
    training = year.pokl.activities.get()
    training.assignments.create(participant=p["Anna"])
    training.assignments.create(participant=p["Dorota"])
    session = Session.objects.get(activity=training, date=date(2014, 3, 6))
    roll_call_save(
        session=session,
        marks={p["Anna"].pk: "present", p["Dorota"].pk: "excused"},
        seen={},
        recorded_by=manager,
    )
    care = p["Anna"].activity_assignments.get(activity__name="Plastuś III")
    care.completed_on = date(2014, 5, 5)
    care.save()
    diagnosis = Diagnosis.objects.create(
        participant=p["Anna"],
        enrolment=p["Anna"].enrolments.get(project=year.pokl),
        date=date(2014, 2, 10),
        needs="Brak doświadczenia zawodowego.",
    )
    Goal.objects.create(
        diagnosis=diagnosis, description="Ukończy kurs kasjera", target_date=date(2014, 6, 30)
    )
    contract = SocialContract.objects.get(number="KS/1/2014")
    return {
        "annual": reverse("reports:annual_pdf", args=[2014]),
        "project": reverse("reports:project_pdf", args=[year.pokl.pk]),
        "statutory": reverse("reports:statutory_pdf", args=[2014]),
        "session": reverse("participants:session_attendance_pdf", args=[session.pk]),
        "session_blank": reverse("participants:session_attendance_pdf", args=[session.pk])
        + "?blank=1",
        "month": reverse("participants:activity_month_pdf", args=[training.pk, 2014, 3]),
        "certificate": reverse("participants:certificate_pdf", args=[care.activity_id, care.pk]),
        "subject_access": reverse("participants:export_pdf", args=[p["Anna"].pk]),
        "contract": reverse(
            "participants:contract_pdf", args=[contract.participant_id, contract.pk]
        ),
        "action_plan": reverse("participants:action_plan_pdf", args=[p["Anna"].pk, diagnosis.pk]),
        "information_clause": reverse("participants:information_clause_pdf", args=[p["Anna"].pk]),
    }
