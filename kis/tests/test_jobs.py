"""Background jobs (kis/jobs.py): progress, result, file, failure, the owner alone sees
them; and the production path: the database backend queues, `db_worker` runs."""

import os

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from kis.jobs import JobContext, job_start, job_task, jobs_prune
from kis.models import AccessLog, BackgroundJob
from kis.tests.factories import UserFactory

SEEN: list[tuple[int, str]] = []


@job_task
def count_to(job: JobContext, *, up_to: int, fail: str = "") -> dict:
    for number in range(1, up_to + 1):
        job.progress(100 * number / up_to, f"Wiersz {number} z {up_to}")
        SEEN.append((BackgroundJob.objects.get(pk=job.pk).progress, job.owner.username))
    if fail == "validation":
        raise ValidationError("Plik nie ma wierszy.")
    if fail == "bug":
        raise ZeroDivisionError
    job.attach_file("wynik.txt", b"gotowe")
    return {"counted": up_to}


@pytest.fixture
def owner(db):
    return UserFactory(username="ewa")


def test_a_job_reports_progress_and_its_result(owner, media_root):
    SEEN.clear()
    job = job_start(owner=owner, kind="test", label="Liczenie", task=count_to, up_to=4)
    assert SEEN == [(25, "ewa"), (50, "ewa"), (75, "ewa"), (100, "ewa")]
    assert job.status == BackgroundJob.Status.DONE
    assert job.result == {"counted": 4}
    assert job.progress == 100 and job.finished_at is not None
    assert job.result_file.read() == b"gotowe" and job.result_name == "wynik.txt"
    assert job.task_id


def test_a_refusal_is_the_jobs_message_and_a_bug_a_general_one(owner):
    job = job_start(owner=owner, kind="test", label="L", task=count_to, up_to=1, fail="validation")
    assert (job.status, job.message) == (BackgroundJob.Status.FAILED, "Plik nie ma wierszy.")
    job = job_start(owner=owner, kind="test", label="L", task=count_to, up_to=1, fail="bug")
    assert job.status == BackgroundJob.Status.FAILED
    assert "błędu w programie" in job.message


def test_only_the_owner_sees_the_job_page_its_state_and_file(owner, media_root):
    from kis.tests.clients import https_client

    job = job_start(owner=owner, kind="test", label="Liczenie", task=count_to, up_to=2)
    mine, other = https_client(), https_client()
    mine.force_login(owner)
    other.force_login(UserFactory(username="jan"))
    for name in ("job", "job_json", "job_file"):
        url = reverse(name, args=[job.pk])
        assert other.get(url).status_code == 404, name
        assert https_client().get(url).status_code == 302, name  # to the login page
        assert mine.get(url).status_code == 200, name
    state = mine.get(reverse("job_json", args=[job.pk])).json()
    assert state["status"] == "done" and state["progress"] == 100 and state["finished"]
    assert state["file_url"] == reverse("job_file", args=[job.pk])
    page = mine.get(reverse("job", args=[job.pk])).content.decode()
    assert "Liczenie" in page and "Pobierz plik" in page
    assert AccessLog.objects.filter(
        user=owner, action=AccessLog.Action.EXPORT, what=f"background task {job.pk}"
    ).exists()


@pytest.mark.task_queue
# The worker closes "old" connections as it wakes (close_old_connections), which in a
# test's transaction would be the test's own: these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_production_queues_the_task_and_the_worker_runs_it(owner, media_root):
    from django_tasks_db.models import DBTaskResult

    job = job_start(owner=owner, kind="test", label="Liczenie", task=count_to, up_to=3)
    assert job.status == BackgroundJob.Status.QUEUED and job.progress == 0
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.result == {"counted": 3}
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


@pytest.mark.task_queue
# The worker closes "old" connections as it wakes (close_old_connections), which in a
# test's transaction would be the test's own: these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_healthz_fails_while_a_task_waits_for_a_worker_too_long(owner, media_root, settings):
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    job = job_start(owner=owner, kind="test", label="Liczenie", task=count_to, up_to=1)
    assert Client().get(reverse("healthz")).status_code == 200  # queued just now
    DBTaskResult.objects.filter(id=job.task_id).update(
        enqueued_at=timezone.now() - timedelta(seconds=settings.KIS_WORKER_LATE_SECONDS + 5)
    )
    response = Client().get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"] == "error"
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert Client().get(reverse("healthz")).status_code == 200


def test_finished_jobs_and_their_files_are_pruned_after_a_week(owner, media_root):
    from datetime import timedelta

    from django.utils import timezone

    old = job_start(owner=owner, kind="test", label="Stare", task=count_to, up_to=1)
    path = old.result_file.path
    other = job_start(
        owner=UserFactory(username="jan"), kind="test", label="Inne", task=count_to, up_to=1
    )
    BackgroundJob.objects.update(finished_at=timezone.now() - timedelta(days=8))
    assert jobs_prune(owner=owner) == 1  # as job_start does first
    assert not BackgroundJob.objects.filter(pk=old.pk).exists()
    assert not os.path.exists(path)
    assert BackgroundJob.objects.filter(pk=other.pk).exists()  # somebody else's: the command's
    job_start(owner=owner, kind="test", label="Nowe", task=count_to, up_to=1)
    call_command("prune_background_jobs", verbosity=0)
    assert list(BackgroundJob.objects.values_list("label", flat=True)) == ["Nowe"]
