"""Large PDFs made in the background (reports/tasks.py, kis/jobs.py): the project
report is enqueued, its progress shown, the file kept for its owner only."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from kis import roles
from kis.models import BackgroundJob
from kis.tests.clients import https_client
from kis.tests.factories import UserFactory
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _start(client, kind: str, key: int):
    return client.post(reverse("reports:report_pdf_start", args=[kind, key]))


def test_the_project_report_is_made_in_the_background_and_kept_for_download(
    manager_client, manager
):
    project = ProjectFactory(title="Aktywna integracja w Lipnicy", number="POKL.07.01.01-12-001/13")
    page = manager_client.get(reverse("reports:project", args=[project.pk])).content.decode()
    start = reverse("reports:report_pdf_start", args=["project", project.pk])
    assert f'action="{start}"' in page  # the page's button starts the job
    response = _start(manager_client, "project", project.pk)
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("job", args=[job.pk])
    assert (job.owner, job.kind, job.status) == (manager, "report_pdf", BackgroundJob.Status.DONE)
    assert job.progress == 100 and job.message == "PDF jest gotowy."
    state = manager_client.get(reverse("job_json", args=[job.pk])).json()
    assert state["status"] == "done"
    status_page = manager_client.get(reverse("job", args=[job.pk])).content.decode()
    assert reverse("job_file", args=[job.pk]) in status_page
    pdf = manager_client.get(reverse("job_file", args=[job.pk]))
    assert pdf["Content-Disposition"].startswith("attachment")
    assert f"raport-projektu-{project.pk}.pdf" in pdf["Content-Disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(b"".join(pdf))).pages)
    assert "POKL.07.01.01-12-001/13" in text


def test_the_annual_summary_too(manager_client):
    assert _start(manager_client, "annual", 2014).status_code == 302
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.DONE
    assert job.result_name == "podsumowanie-kis-2014.pdf"


def test_the_file_is_refused_to_another_user(manager_client):
    project = ProjectFactory()
    _start(manager_client, "project", project.pk)
    job = BackgroundJob.objects.get()
    other = https_client()
    other.force_login(UserFactory(role=roles.MANAGER))
    for name in ("job", "job_json", "job_file"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404, name


def test_only_who_may_see_the_reports_starts_one(caseworker_client, manager_client):
    project = ProjectFactory()
    assert _start(caseworker_client, "project", project.pk).status_code == 403
    assert _start(manager_client, "everything", 1).status_code == 404
    assert _start(manager_client, "project", project.pk + 1000).status_code == 404
    assert _start(manager_client, "annual", 1900).status_code == 404
    url = reverse("reports:report_pdf_start", args=["project", project.pk])
    assert manager_client.get(url).status_code == 405
    assert not BackgroundJob.objects.exists()
