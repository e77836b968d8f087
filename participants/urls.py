from django.urls import path

from participants.views import (
    exports,
    imports,
    merge,
    outcomes,
    papers,
    pickers,
    printing,
    rodo,
    scans,
    support,
)
from participants.views import people as views

app_name = "participants"

urlpatterns = [
    path("", views.ParticipantListView.as_view(), name="list"),
    path("xlsx/", exports.participants_xlsx, name="list_xlsx"),
    path("import/", imports.import_list, name="import_list"),
    path("import/attendance/", imports.attendance_import, name="attendance_import"),
    path("import/<int:pk>/columns/", imports.import_mapping, name="import_mapping"),
    path("import/<int:pk>/values/", imports.import_values, name="import_values"),
    path("import/<int:pk>/", imports.import_report, name="import_report"),
    path("import/<int:pk>/apply/", imports.import_apply_view, name="import_apply"),
    path("import/<int:pk>/undo/", imports.import_undo_view, name="import_undo"),
    path("import/<int:pk>/discard/", imports.import_discard_view, name="import_discard"),
    path("contracts/", exports.ContractListView.as_view(), name="contract_list"),
    path("contracts/xlsx/", exports.contracts_xlsx, name="contract_list_xlsx"),
    path("placements/", exports.PlacementListView.as_view(), name="placement_list"),
    path("placements/xlsx/", exports.placements_xlsx, name="placement_list_xlsx"),
    path("new/", views.ParticipantFormView.as_view(), name="create"),
    path("duplicates/", merge.DuplicateListView.as_view(), name="duplicates"),
    path("merge/<int:kept>/<int:merged>/", merge.MergeView.as_view(), name="merge"),
    path("<int:pk>/", views.ParticipantDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ParticipantFormView.as_view(), name="edit"),
    path("<int:pk>/export/json/", rodo.export_json, name="export_json"),
    path("<int:pk>/export/pdf/", rodo.export_pdf, name="export_pdf"),
    path("<int:pk>/export/pdf/start/", rodo.export_pdf_start, name="export_pdf_start"),
    path("<int:pk>/restriction/", rodo.restriction, name="restriction"),
    path(
        "<int:pk>/information-clause/pdf/",
        papers.information_clause_pdf,
        name="information_clause_pdf",
    ),
    path("<int:participant_pk>/enrol/", views.EnrolmentCreateView.as_view(), name="enrol"),
    path(
        "<int:participant_pk>/enrolments/<int:pk>/job/",
        views.LeaveForJobView.as_view(),
        name="leave_for_job",
    ),
    path(
        "<int:participant_pk>/enrolments/<int:pk>/situation/",
        views.ExitSituationView.as_view(),
        name="exit_situation",
    ),
    path(
        "<int:participant_pk>/enrolments/<int:pk>/<str:kind>/",
        views.EnrolmentEventView.as_view(),
        name="enrolment_event",
    ),
    path(
        "<int:participant_pk>/jobs/new/",
        views.EmploymentFormView.as_view(),
        name="employment_create",
    ),
    path(
        "<int:participant_pk>/jobs/<int:pk>/",
        views.EmploymentFormView.as_view(),
        name="employment_edit",
    ),
    path(
        "<int:participant_pk>/diagnoses/new/",
        views.DiagnosisFormView.as_view(),
        name="diagnosis_create",
    ),
    path(
        "<int:participant_pk>/diagnoses/<int:pk>/",
        views.DiagnosisFormView.as_view(),
        name="diagnosis_edit",
    ),
    path(
        "<int:participant_pk>/diagnoses/<int:pk>/plan/pdf/",
        papers.action_plan_pdf,
        name="action_plan_pdf",
    ),
    path("<int:participant_pk>/family/", views.FamilyLinkView.as_view(), name="family_add"),
    # Outcomes: questionnaires at entry and exit, follow-ups after leaving.
    path(
        "<int:participant_pk>/enrolments/<int:pk>/questionnaires/<int:questionnaire_pk>/<str:moment>/",
        outcomes.QuestionnaireFillView.as_view(),
        name="questionnaire_fill",
    ),
    path(
        "<int:participant_pk>/enrolments/<int:pk>/follow-ups/new/",
        outcomes.FollowUpFormView.as_view(),
        name="follow_up_create",
    ),
    path(
        "<int:participant_pk>/follow-ups/<int:follow_up_pk>/",
        outcomes.FollowUpFormView.as_view(),
        name="follow_up_edit",
    ),
    path("follow-ups/", outcomes.follow_up_list, name="follow_up_list"),
    path("project/<int:project_pk>/enrol/", views.ProjectEnrolView.as_view(), name="project_enrol"),
    path(
        "project/<int:project_pk>/enrol/several/",
        views.project_enrol_bulk,
        name="project_enrol_bulk",
    ),
    path(
        "<int:participant_pk>/contracts/new/",
        support.ContractFormView.as_view(),
        name="contract_create",
    ),
    path(
        "<int:participant_pk>/contracts/<int:pk>/",
        support.ContractFormView.as_view(),
        name="contract_edit",
    ),
    path(
        "<int:participant_pk>/contracts/<int:pk>/pdf/",
        papers.contract_pdf,
        name="contract_pdf",
    ),
    path(
        "<int:participant_pk>/placements/new/",
        support.PlacementFormView.as_view(),
        name="placement_create",
    ),
    path(
        "<int:participant_pk>/placements/<int:pk>/",
        support.PlacementFormView.as_view(),
        name="placement_edit",
    ),
    path(
        "<int:participant_pk>/contacts/new/",
        support.ShortContactFormView.as_view(),
        name="contact_create",
    ),
    path(
        "<int:participant_pk>/contacts/<int:pk>/",
        support.ShortContactFormView.as_view(),
        name="contact_edit",
    ),
    path(
        "<int:participant_pk>/contacts/<int:pk>/delete/",
        support.contact_delete_view,
        name="contact_delete",
    ),
    # Support: activities, sessions, roll call.
    path("activities/", support.ActivityListView.as_view(), name="activity_list"),
    path("activities/new/", support.ActivityFormView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", support.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/xlsx/", exports.activity_xlsx, name="activity_xlsx"),
    path("activities/<int:pk>/edit/", support.ActivityFormView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/assign/", support.AssignView.as_view(), name="activity_assign"),
    path(
        "activities/<int:pk>/sessions/new/",
        support.SessionCreateView.as_view(),
        name="session_create",
    ),
    path(
        "activities/<int:pk>/sessions/series/",
        support.SessionSeriesView.as_view(),
        name="session_series",
    ),
    path(
        "activities/<int:pk>/completion/",
        support.completion_bulk,
        name="completion_bulk",
    ),
    path(
        "activities/<int:pk>/completion/<int:assignment_pk>/",
        support.completion_set,
        name="completion_set",
    ),
    path("activities/sessions/week/", support.WeekSessionsView.as_view(), name="week_sessions"),
    path("activities/sessions/<int:pk>/", support.roll_call, name="roll_call"),
    path(
        "activities/sessions/<int:pk>/pdf/",
        printing.session_attendance_pdf,
        name="session_attendance_pdf",
    ),
    path(
        "activities/<int:pk>/attendance/<int:year>/<int:month>/pdf/",
        printing.activity_month_attendance_pdf,
        name="activity_month_pdf",
    ),
    path(
        "activities/<int:pk>/certificates/pdf/",
        printing.certificates_pdf,
        name="certificates_pdf",
    ),
    path(
        "activities/<int:pk>/certificate/<int:assignment_pk>/pdf/",
        printing.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        "activities/sessions/<int:pk>/edit/", support.SessionEditView.as_view(), name="session_edit"
    ),
    # Signed attendance lists: upload, the scan itself, the auditor's check.
    path(
        "activities/sessions/<int:pk>/signed-list/",
        scans.session_scan_upload,
        name="session_scan_upload",
    ),
    path(
        "activities/sessions/<int:pk>/signed-list/file/",
        scans.session_scan,
        name="session_scan",
    ),
    path("activities/<int:pk>/signed-lists/", scans.activity_scans, name="activity_scans"),
    path(
        "project/<int:project_pk>/signed-lists/",
        scans.project_scans,
        name="project_scans",
    ),
    # The people picker's search (participants/pickers.py): one page of JSON.
    path("pick/<str:scope>/", pickers.people_pick, name="people_pick"),
    path("pick/<str:scope>/<int:ref>/", pickers.people_pick, name="people_pick_for"),
    path("events/", support.EventListView.as_view(), name="event_list"),
    path("events/xlsx/", exports.events_xlsx, name="event_list_xlsx"),
    path("events/new/", support.EventFormView.as_view(), name="event_create"),
    path("events/<int:pk>/", support.EventFormView.as_view(), name="event_edit"),
]
