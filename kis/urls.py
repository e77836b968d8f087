from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from kis import health, sessions, views
from kis.forms import LoginForm

admin.site.site_header = _("KIS – Social Integration Club system")
admin.site.site_title = _("KIS administration")
admin.site.index_title = _("Configuration")

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("session/keepalive/", sessions.session_keepalive, name="session_keepalive"),
    path("session/status/", sessions.session_status, name="session_status"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("audit/", views.audit, name="audit"),
    path("audit/xlsx/", views.audit_xlsx, name="audit_xlsx"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/state/", views.job_json, name="job_json"),
    path("jobs/<int:pk>/file/", views.job_file, name="job_file"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The language switch must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("participants/", include("participants.urls")),
    path("projects/", include("projects.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
