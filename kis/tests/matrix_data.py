"""Objects for the role × URL matrix: one of everything, in a project where the
'assigned' caseworker works and the 'other' caseworker does not."""

from datetime import date, time
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from kis import roles
from kis.models import BackgroundJob
from kis.tests.factories import UserFactory
from participants.models import (
    ActivityParticipant,
    CommunityEvent,
    Diagnosis,
    Employment,
    EnrolmentEvent,
    ImportBatch,
    Placement,
    Session,
    ShortContact,
    SocialContract,
)
from participants.services.papers import attendance_scan_save
from participants.services.people import enrolment_event_record
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from participants.tests.outcome_factories import follow_up, make_questionnaire
from participants.tests.support_factories import ActivityFactory, scan_upload
from projects.models import BudgetCategory, Expenditure, IndicatorValue
from projects.services import expenditure_save, indicator_value_save
from projects.tests.factories import (
    IndicatorFactory,
    ProjectFactory,
    ProjectStaffFactory,
    StaffMemberFactory,
)
from reports.models import IssuedReport


def build() -> dict:
    today = timezone.localdate()
    assigned = UserFactory(username="cw-assigned", role=roles.CASEWORKER)
    other = UserFactory(username="cw-other", role=roles.CASEWORKER)
    manager = UserFactory(username="manager", role=roles.MANAGER)
    admin = UserFactory(
        username="admin", role=roles.ADMINISTRATOR, is_staff=True, is_superuser=True
    )
    project = ProjectFactory(start_date=date(2016, 1, 1), end_date=date(today.year + 1, 12, 31))
    staff = StaffMemberFactory(user=assigned, role="social_worker")
    ProjectStaffFactory(project=project, staff_member=staff)
    enrolment = EnrolmentFactory(project=project, start_date=date(2016, 9, 1))
    person = enrolment.participant
    relative = ParticipantFactory()
    activity = ActivityFactory(
        project=project, start_date=date(2017, 1, 2), end_date=date(2017, 6, 30)
    )
    assignment = ActivityParticipant.objects.create(
        activity=activity, participant=person, completed_on=date(2017, 6, 30)
    )
    session = Session.objects.create(
        activity=activity, date=date(2017, 3, 7), start_time=time(16), duration_hours=Decimal("3")
    )
    job = Employment.objects.create(
        participant=person, start_date=date(2017, 5, 1), employer="Sklep", contract="employment"
    )
    diagnosis = Diagnosis.objects.create(participant=person, date=date(2016, 9, 10), needs="Praca")
    contract = SocialContract.objects.create(
        number="KS/1/2017",
        participant=person,
        signed_on=date(2017, 1, 2),
        start_date=date(2017, 1, 2),
        end_date=date(2017, 12, 31),
        goals="Praca",
        participant_obligations="Udział",
        centre_obligations="Wsparcie",
        caseworker=staff,
    )
    placement = Placement.objects.create(
        kind="psu",
        participant=person,
        employer_name="Gmina",
        start_date=date(2017, 3, 1),
        end_date=date(2017, 9, 30),
        hours_per_month=Decimal("40"),
    )
    event = CommunityEvent.objects.create(name="Piknik", date=date(2017, 6, 10), place="Park")
    # An earlier project the person completed, with a follow-up after leaving.
    earlier = ProjectFactory(start_date=date(2016, 1, 1), end_date=date(2017, 12, 31))
    ProjectStaffFactory(project=earlier, staff_member=staff)
    ended = EnrolmentFactory(participant=person, project=earlier, start_date=date(2016, 2, 1))
    enrolment_event_record(
        enrolment=ended, kind="completed", date=date(2017, 6, 30), recorded_by=None
    )
    after_leaving = follow_up(ended, "4w", date(2017, 7, 10), "employed")
    questionnaire = make_questionnaire(projects=[project])
    indicator = IndicatorFactory(project=project, name="Uzyskanie kwalifikacji")
    value = indicator_value_save(
        value=IndicatorValue(
            indicator=indicator, date=date(2017, 6, 30), value_total=Decimal("5"), source="Lista"
        )
    )
    contact = ShortContact.objects.create(
        participant=person,
        date=date(2017, 4, 3),
        kind=ShortContact.Kind.CONSULTATION,
        staff=staff,
        duration_hours=Decimal("1"),
    )
    # A project the person finished: its situation on leaving can be recorded.
    finished = EnrolmentFactory(
        participant=person,
        project=ProjectFactory(start_date=date(2016, 1, 1), end_date=date(2017, 12, 31)),
        start_date=date(2016, 9, 1),
        status="completed",
        status_date=date(2017, 6, 30),
        end_date=date(2017, 6, 30),
    )
    EnrolmentEvent.objects.create(enrolment=finished, kind="completed", date=date(2017, 6, 30))
    expenditure, _warnings = expenditure_save(
        expenditure=Expenditure(
            project=project,
            category=BudgetCategory.objects.first(),
            date=date(2017, 3, 1),
            amount=Decimal("120.50"),
            source="eu",
            document_number="FV/1/2017",
        )
    )
    # A signed list (under the test's MEDIA_ROOT: the matrix asks for `media_root`).
    attendance_scan_save(session=session, file=scan_upload(), matches_attendance=True)
    # A background job of the assigned caseworker's, with a file (kis/jobs.py): its owner's only.
    background_job = BackgroundJob.objects.create(owner=assigned, kind="test", label="Raport")
    background_job.result_file.save("raport.txt", ContentFile(b"raport"))
    # An issued annual summary (stand-in files: the matrix tests who may open it).
    issued = IssuedReport.objects.create(
        kind="annual",
        year=2017,
        as_of=date(2017, 12, 31),
        issued_at=timezone.now(),
        issued_by=manager,
        issued_by_name="Kierownik",
        data='{"figures":[],"narrative":[]}',
        checksum="0" * 64,
        pdf=b"%PDF-1.7",
        pdf_sha256="0" * 64,
        xlsx=b"PK",
        xlsx_sha256="0" * 64,
    )
    # An import of the assigned caseworker's (participants/importing.py): hers only.
    batch = ImportBatch.objects.create(
        kind="participants",
        owner=assigned,
        file_name="lista.csv",
        headers=["Nazwisko", "Płeć"],
        rows=[["Nowak", "K"]],
        mapping={"0": "participant.last_name", "1": "participant.sex"},
    )
    return {
        "issued": issued,
        "background_job": background_job,
        "import_batch": batch,
        "users": {"cw_other": other, "cw_assigned": assigned, "manager": manager, "admin": admin},
        "person": person,
        "relative": relative,
        "enrolment": enrolment,
        "project": project,
        "activity": activity,
        "assignment": assignment,
        "session": session,
        "job": job,
        "diagnosis": diagnosis,
        "contract": contract,
        "placement": placement,
        "event": event,
        "ended": ended,
        "follow_up": after_leaving,
        "questionnaire": questionnaire,
        "indicator": indicator,
        "indicator_value": value,
        "contact": contact,
        "finished": finished,
        "expenditure": expenditure,
    }


def args_for(name: str, d: dict) -> list:
    """The URL arguments of each named URL, from the objects above."""
    p, e = d["person"].pk, d["enrolment"].pk
    table = {
        "participants:detail": [p],
        "participants:edit": [p],
        "participants:export_json": [p],
        "participants:export_pdf": [p],
        "participants:export_pdf_start": [p],
        "participants:restriction": [p],
        "participants:merge": [p, d["relative"].pk],
        "participants:enrol": [p],
        "participants:leave_for_job": [p, e],
        "participants:enrolment_event": [p, e, "dropped_out"],
        "participants:employment_create": [p],
        "participants:employment_edit": [p, d["job"].pk],
        "participants:diagnosis_create": [p],
        "participants:diagnosis_edit": [p, d["diagnosis"].pk],
        "participants:family_add": [p],
        "participants:project_enrol": [d["project"].pk],
        "participants:project_enrol_bulk": [d["project"].pk],
        "participants:contract_create": [p],
        "participants:contract_edit": [p, d["contract"].pk],
        "participants:placement_create": [p],
        "participants:placement_edit": [p, d["placement"].pk],
        "participants:contact_create": [p],
        "participants:contact_edit": [p, d["contact"].pk],
        "participants:contact_delete": [p, d["contact"].pk],
        "participants:activity_detail": [d["activity"].pk],
        "participants:activity_edit": [d["activity"].pk],
        "participants:activity_assign": [d["activity"].pk],
        "participants:people_pick": ["event"],
        "participants:people_pick_for": ["activity", d["activity"].pk],
        "participants:session_create": [d["activity"].pk],
        "participants:session_series": [d["activity"].pk],
        "participants:completion_set": [d["activity"].pk, d["assignment"].pk],
        "participants:completion_bulk": [d["activity"].pk],
        "participants:certificates_pdf": [d["activity"].pk],
        "participants:roll_call": [d["session"].pk],
        "participants:session_edit": [d["session"].pk],
        "participants:session_attendance_pdf": [d["session"].pk],
        "participants:activity_month_pdf": [d["activity"].pk, 2017, 3],
        "participants:certificate_pdf": [d["activity"].pk, d["assignment"].pk],
        "participants:contract_pdf": [p, d["contract"].pk],
        "participants:action_plan_pdf": [p, d["diagnosis"].pk],
        "participants:information_clause_pdf": [p],
        "participants:session_scan_upload": [d["session"].pk],
        "participants:session_scan": [d["session"].pk],
        "participants:activity_scans": [d["activity"].pk],
        "participants:project_scans": [d["project"].pk],
        "participants:event_edit": [d["event"].pk],
        "participants:questionnaire_fill": [p, e, d["questionnaire"].pk, "entry"],
        "participants:follow_up_create": [p, d["ended"].pk],
        "participants:follow_up_edit": [p, d["follow_up"].pk],
        "participants:activity_xlsx": [d["activity"].pk],
        "participants:exit_situation": [p, d["finished"].pk],
        "projects:detail": [d["project"].pk],
        "projects:indicator_value_create": [d["project"].pk, d["indicator"].pk],
        "projects:expenditure_list": [d["project"].pk],
        "projects:expenditure_create": [d["project"].pk],
        "projects:expenditure_edit": [d["project"].pk, d["expenditure"].pk],
        "projects:expenditure_delete": [d["project"].pk, d["expenditure"].pk],
        "projects:indicator_value_edit": [d["project"].pk, d["indicator_value"].pk],
        "reports:annual": [2017],
        "reports:annual_pdf": [2017],
        "reports:annual_xlsx": [2017],
        "reports:narrative_update": [2017, 1],
        "reports:project": [d["project"].pk],
        "reports:project_pdf": [d["project"].pk],
        "reports:report_pdf_start": ["project", d["project"].pk],
        "reports:project_xlsx": [d["project"].pk],
        "reports:eu": [d["project"].pk],
        "reports:eu_xlsx": [d["project"].pk],
        "reports:statutory": [2017],
        "reports:statutory_pdf": [2017],
        "reports:statutory_xlsx": [2017],
        "reports:figure": ["annual.served"],
        "reports:issued_detail": [d["issued"].pk],
        "reports:issued_compare": [d["issued"].pk],
        "reports:issued_file": [d["issued"].pk, "pdf"],
        "reports:figure_xlsx": ["annual.served"],
        "job": [d["background_job"].pk],
        **{
            f"participants:import_{step}": [d["import_batch"].pk]
            for step in ("mapping", "values", "report", "apply", "undo", "discard")
        },
        "job_json": [d["background_job"].pk],
        "job_file": [d["background_job"].pk],
    }
    return table.get(name, [])
