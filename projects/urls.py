from django.urls import path

from projects import views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectListView.as_view(), name="list"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="detail"),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/values/new/",
        views.IndicatorValueFormView.as_view(),
        name="indicator_value_create",
    ),
    path(
        "<int:pk>/indicator-values/<int:value_pk>/",
        views.IndicatorValueFormView.as_view(),
        name="indicator_value_edit",
    ),
    path("<int:pk>/expenditures/", views.ExpenditureListView.as_view(), name="expenditure_list"),
    path(
        "<int:pk>/expenditures/new/",
        views.ExpenditureFormView.as_view(),
        name="expenditure_create",
    ),
    path(
        "<int:pk>/expenditures/<int:expenditure_pk>/",
        views.ExpenditureFormView.as_view(),
        name="expenditure_edit",
    ),
    path(
        "<int:pk>/expenditures/<int:expenditure_pk>/delete/",
        views.expenditure_remove,
        name="expenditure_delete",
    ),
    path("logo/", views.organisation_logo, name="logo"),
]
