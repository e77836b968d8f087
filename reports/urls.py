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
    path("pdf/<str:kind>/<int:key>/", views.report_pdf_start, name="report_pdf_start"),
    path("projects/<int:pk>/xlsx/", views.project_xlsx, name="project_xlsx"),
    path("projects/<int:pk>/eu/", views.eu, name="eu"),
    path("projects/<int:pk>/eu/xlsx/", views.eu_xlsx, name="eu_xlsx"),
    path("statutory/<int:year>/", views.statutory, name="statutory"),
    path("statutory/<int:year>/pdf/", views.statutory_pdf, name="statutory_pdf"),
    path("statutory/<int:year>/xlsx/", views.statutory_xlsx, name="statutory_xlsx"),
    path("figures/<str:key>/", views.figure_list, name="figure"),
    path("figures/<str:key>/xlsx/", views.figure_xlsx, name="figure_xlsx"),
    path("issue/", views.issue, name="issue"),
    path("issued/", views.issued_list, name="issued_list"),
    path("issued/<int:pk>/", views.issued_detail, name="issued_detail"),
    path("issued/<int:pk>/compare/", views.issued_compare, name="issued_compare"),
    path("issued/<int:pk>/<str:extension>/", views.issued_file, name="issued_file"),
]
