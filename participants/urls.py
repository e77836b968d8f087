from django.urls import path

from participants.views import people as views

app_name = "participants"

urlpatterns = [
    path("", views.ParticipantListView.as_view(), name="list"),
    path("new/", views.ParticipantFormView.as_view(), name="create"),
    path("<int:pk>/", views.ParticipantDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ParticipantFormView.as_view(), name="edit"),
    path("<int:participant_pk>/enrol/", views.EnrolmentCreateView.as_view(), name="enrol"),
    path(
        "<int:participant_pk>/enrolments/<int:pk>/job/",
        views.LeaveForJobView.as_view(),
        name="leave_for_job",
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
    path("<int:participant_pk>/family/", views.FamilyLinkView.as_view(), name="family_add"),
    path("project/<int:project_pk>/enrol/", views.ProjectEnrolView.as_view(), name="project_enrol"),
]
