"""The role × URL matrix: every URL of the URLconf, opened (GET) by an anonymous
visitor, a caseworker who does not work with the records, a caseworker who does, a
manager and an administrator. A new URL without an entry here fails the test."""

import pytest
from django.urls import reverse

from kis.tests.clients import https_client
from kis.tests.matrix_data import args_for, build
from kis.tests.urls_util import all_urls
from participants.models import ShortContact

ROLES = ("anonymous", "cw_other", "cw_assigned", "manager", "admin")
PUBLIC = {"login", "set_language", "accessibility", "healthz"}  # set_language redirects back
# The session's state for static/js/session.js: 401 (not a login page) once it ended.
PUBLIC |= {"session_keepalive", "session_status"}

# 302 for anonymous = to the login page; 403 = no permission; 404 = the record is not
# among those the user may see; 405 = the URL takes POST only.
EXPECTED = {
    "accessibility": (200, 200, 200, 200, 200),
    "audit": (302, 403, 403, 200, 200),
    "audit_xlsx": (302, 403, 403, 200, 200),
    "dashboard": (302, 200, 200, 200, 200),
    "healthz": (200, 200, 200, 200, 200),
    "session_keepalive": (405, 405, 405, 405, 405),
    "session_status": (401, 200, 200, 200, 200),
    # A background job and its file: its owner's (the assigned caseworker's) only.
    "job": (302, 404, 200, 404, 404),
    "job_file": (302, 404, 200, 404, 404),
    "job_json": (302, 404, 200, 404, 404),
    "login": (200, 302, 302, 302, 302),
    "logout": (302, 405, 405, 405, 405),
    "participants:activity_assign": (302, 404, 200, 200, 200),
    # The people picker's search: a place's permission, and the activity's record.
    "participants:people_pick": (302, 200, 200, 200, 200),
    "participants:people_pick_for": (302, 404, 200, 200, 200),
    "participants:activity_create": (302, 200, 200, 200, 200),
    "participants:activity_detail": (302, 404, 200, 200, 200),
    "participants:activity_edit": (302, 404, 200, 200, 200),
    "participants:activity_list": (302, 200, 200, 200, 200),
    "participants:activity_month_pdf": (302, 404, 200, 200, 200),
    "participants:activity_xlsx": (302, 404, 200, 200, 200),
    "participants:certificate_pdf": (302, 404, 200, 200, 200),
    "participants:certificates_pdf": (302, 404, 200, 200, 200),
    "participants:contract_pdf": (302, 404, 200, 200, 200),
    "participants:action_plan_pdf": (302, 404, 200, 200, 200),
    "participants:information_clause_pdf": (302, 404, 200, 200, 200),
    # The import wizard: a batch is its owner's (the assigned caseworker's) only.
    "participants:import_list": (302, 200, 200, 200, 200),
    "participants:attendance_import": (302, 200, 200, 200, 200),
    "participants:import_mapping": (302, 404, 200, 404, 404),
    "participants:import_values": (302, 404, 200, 404, 404),
    "participants:import_report": (302, 404, 200, 404, 404),
    "participants:import_apply": (302, 405, 405, 405, 405),
    "participants:import_undo": (302, 405, 405, 405, 405),
    "participants:import_discard": (302, 405, 405, 405, 405),
    "participants:session_scan_upload": (302, 404, 200, 200, 200),
    "participants:session_scan": (302, 404, 200, 200, 200),
    "participants:activity_scans": (302, 404, 200, 200, 200),
    "participants:project_scans": (302, 404, 200, 200, 200),
    "participants:completion_set": (302, 405, 405, 405, 405),
    "participants:completion_bulk": (302, 405, 405, 405, 405),
    "participants:contact_create": (302, 404, 200, 200, 200),
    "participants:contact_delete": (302, 405, 405, 405, 405),
    "participants:contact_edit": (302, 404, 200, 200, 200),
    "participants:contract_create": (302, 404, 200, 200, 200),
    "participants:contract_edit": (302, 404, 200, 200, 200),
    "participants:contract_list": (302, 200, 200, 200, 200),
    "participants:contract_list_xlsx": (302, 200, 200, 200, 200),
    "participants:create": (302, 200, 200, 200, 200),
    "participants:duplicates": (302, 403, 403, 200, 200),
    "participants:merge": (302, 403, 403, 200, 200),
    "participants:detail": (302, 404, 200, 200, 200),
    "participants:diagnosis_create": (302, 404, 200, 200, 200),
    "participants:diagnosis_edit": (302, 404, 200, 200, 200),
    "participants:edit": (302, 404, 200, 200, 200),
    "participants:employment_create": (302, 404, 200, 200, 200),
    "participants:employment_edit": (302, 404, 200, 200, 200),
    "participants:enrol": (302, 404, 200, 200, 200),
    "participants:enrolment_event": (302, 404, 200, 200, 200),
    "participants:event_create": (302, 200, 200, 200, 200),
    "participants:event_edit": (302, 200, 200, 200, 200),
    "participants:event_list": (302, 200, 200, 200, 200),
    "participants:event_list_xlsx": (302, 200, 200, 200, 200),
    # The person's finished enrolment (a caseworker of the person's other project).
    "participants:exit_situation": (302, 404, 200, 200, 200),
    "participants:export_json": (302, 403, 403, 200, 200),
    "participants:follow_up_create": (302, 404, 200, 200, 200),
    "participants:follow_up_edit": (302, 404, 200, 200, 200),
    "participants:follow_up_list": (302, 200, 200, 200, 200),
    "participants:export_pdf": (302, 403, 403, 200, 200),
    "participants:export_pdf_start": (302, 405, 405, 405, 405),  # POST: in the background
    "participants:family_add": (302, 404, 200, 200, 200),
    "participants:leave_for_job": (302, 404, 200, 200, 200),
    "participants:list": (302, 200, 200, 200, 200),
    "participants:list_xlsx": (302, 200, 200, 200, 200),
    "participants:placement_create": (302, 404, 200, 200, 200),
    "participants:placement_edit": (302, 404, 200, 200, 200),
    "participants:placement_list": (302, 200, 200, 200, 200),
    "participants:placement_list_xlsx": (302, 200, 200, 200, 200),
    "participants:project_enrol": (302, 200, 200, 200, 200),
    "participants:project_enrol_bulk": (302, 405, 405, 405, 405),
    "participants:questionnaire_fill": (302, 404, 200, 200, 200),
    "participants:restriction": (302, 405, 405, 405, 405),
    "participants:roll_call": (302, 404, 200, 200, 200),
    "participants:week_sessions": (302, 200, 200, 200, 200),
    "participants:session_attendance_pdf": (302, 404, 200, 200, 200),
    "participants:session_create": (302, 404, 200, 200, 200),
    "participants:session_edit": (302, 404, 200, 200, 200),
    "participants:session_series": (302, 404, 200, 200, 200),
    "password_change": (302, 200, 200, 200, 200),
    "password_change_done": (302, 200, 200, 200, 200),
    "projects:detail": (302, 200, 200, 200, 200),
    "projects:expenditure_list": (302, 403, 403, 200, 200),
    "projects:expenditure_create": (302, 403, 403, 200, 200),
    "projects:expenditure_edit": (302, 403, 403, 200, 200),
    "projects:expenditure_delete": (302, 405, 405, 405, 405),
    "projects:indicator_value_create": (302, 403, 403, 200, 200),
    "projects:indicator_value_edit": (302, 403, 403, 200, 200),
    "projects:list": (302, 200, 200, 200, 200),
    "projects:logo": (302, 404, 404, 404, 404),
    "reports:annual": (302, 403, 403, 200, 200),
    "reports:annual_pdf": (302, 403, 403, 200, 200),
    "reports:annual_xlsx": (302, 403, 403, 200, 200),
    "reports:index": (302, 403, 403, 200, 200),
    "reports:narrative_update": (302, 405, 405, 405, 405),
    "reports:project": (302, 403, 403, 200, 200),
    "reports:project_pdf": (302, 403, 403, 200, 200),
    "reports:report_pdf_start": (302, 405, 405, 405, 405),  # POST: a background PDF
    "reports:project_xlsx": (302, 403, 403, 200, 200),
    "reports:eu": (302, 403, 403, 200, 200),
    # The matrix's person lacks EU monitoring data: the file is refused (back to the page).
    "reports:eu_xlsx": (302, 403, 403, 302, 302),
    "reports:statutory": (302, 403, 403, 200, 200),
    "reports:statutory_pdf": (302, 403, 403, 200, 200),
    "reports:statutory_xlsx": (302, 403, 403, 200, 200),
    # The list behind a figure: the matrix gives no year, and a year's figure without
    # its year is not found (reports/tests/test_figures.py opens every one with its).
    "reports:figure": (302, 403, 403, 404, 404),
    "reports:figure_xlsx": (302, 403, 403, 404, 404),
    # Issuing: without the report to issue (its kind and year) there is nothing to issue.
    "reports:issue": (302, 403, 403, 404, 404),
    "reports:issued_list": (302, 403, 403, 200, 200),
    "reports:issued_detail": (302, 403, 403, 200, 200),
    "reports:issued_compare": (302, 403, 403, 200, 200),
    "reports:issued_file": (302, 403, 403, 200, 200),
    "set_language": (302, 302, 302, 302, 302),
}


def test_every_url_has_an_entry():
    names = {name for name in all_urls() if not name.startswith("admin:")}
    assert names - set(EXPECTED) == set(), "add the new URLs to EXPECTED"
    assert set(EXPECTED) - names == set(), "remove URLs that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_role_url_matrix(name, media_root):
    data = build()
    url = reverse(name, args=args_for(name, data))
    got = []
    for role in ROLES:
        client = https_client()
        if role != "anonymous":
            client.force_login(data["users"][role])
        response = client.get(url)
        got.append(response.status_code)
        if role == "anonymous" and response.status_code == 302 and name not in PUBLIC:
            assert response.url.startswith("/accounts/login/"), url
    assert tuple(got) == EXPECTED[name], f"{url}: {dict(zip(ROLES, got, strict=True))}"


@pytest.mark.django_db
def test_admin_is_for_administrators_only():
    data = build()
    admin_urls = [
        url
        for name, url in all_urls().items()
        # The admin's login and logout pages are open to everybody.
        if name.startswith("admin:") and name not in ("admin:login", "admin:logout")
    ]
    assert len(admin_urls) > 50
    for role in ("cw_assigned", "manager"):
        client = https_client()
        client.force_login(data["users"][role])
        for url in admin_urls:
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response.url, (role, url)
    admin = https_client()
    admin.force_login(data["users"]["admin"])
    assert admin.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_post_only_urls_refuse_the_wrong_user():
    data = build()
    other, assigned = https_client(), https_client()
    other.force_login(data["users"]["cw_other"])
    assigned.force_login(data["users"]["cw_assigned"])
    completion = reverse(
        "participants:completion_set", args=[data["activity"].pk, data["assignment"].pk]
    )
    assert other.post(completion, {"completed_on": ""}).status_code == 404
    contact = reverse("participants:contact_delete", args=[data["person"].pk, data["contact"].pk])
    assert other.post(contact).status_code == 404
    assert ShortContact.objects.filter(pk=data["contact"].pk).exists()
    restriction = reverse("participants:restriction", args=[data["person"].pk])
    assert assigned.post(restriction, {"restrict": "1"}).status_code == 403
    narrative = reverse("reports:narrative_update", args=[2017, 1])
    assert assigned.post(narrative, {"text": "x"}).status_code == 403
    data["person"].refresh_from_db()
    assert not data["person"].processing_restricted


# The accountant (kis.roles.ACCOUNTANT): projects, budgets and spending; no people.
ACCOUNTANT_OPENS = {
    "dashboard",
    "accessibility",
    "healthz",
    "password_change",
    "password_change_done",
    "projects:list",
    "projects:detail",
    "projects:expenditure_list",
    "projects:expenditure_create",
    "projects:expenditure_edit",
}


@pytest.mark.django_db
def test_the_accountant_opens_projects_and_spending_but_no_people(media_root):
    from kis import roles
    from kis.tests.factories import UserFactory

    data = build()
    accountant = UserFactory(username="accountant", role=roles.ACCOUNTANT)
    client = https_client()
    client.force_login(accountant)
    for name in sorted(EXPECTED):
        if name in ("login", "set_language", "logout", "projects:logo") or name in PUBLIC:
            continue
        status = client.get(reverse(name, args=args_for(name, data))).status_code
        if name in ACCOUNTANT_OPENS:
            assert status == 200, name
        else:
            assert status in (403, 404, 405), (name, status)
    page = client.get(reverse("projects:detail", args=[data["project"].pk])).content.decode()
    assert data["person"].last_name not in page
