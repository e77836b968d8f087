from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("annual/<int:year>/", views.annual, name="annual"),
    path("annual/<int:year>/pdf/", views.annual_pdf, name="annual_pdf"),
    path("annual/<int:year>/xlsx/", views.annual_xlsx, name="annual_xlsx"),
    path(
        "annual/<int:year>/narrative/<int:section>/",
        views.narrative_update,
        name="narrative_update",
    ),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/pdf/", views.project_pdf, name="project_pdf"),
    path("statutory/<int:year>/", views.statutory, name="statutory"),
    path("statutory/<int:year>/pdf/", views.statutory_pdf, name="statutory_pdf"),
]
