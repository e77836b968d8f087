"""Background jobs: work too long for a request (an import of thousands of rows, a
large PDF), done by the worker (`manage.py db_worker`, django-tasks with the database
backend of django-tasks-db) while the user watches a progress bar.

Writing one:

    from kis.jobs import JobContext, job_start, job_task

    @job_task
    def import_dry_run(job: JobContext, *, batch_id: int) -> dict:
        for number, row in enumerate(rows, 1):
            job.progress(100 * number // len(rows), _("Row %(n)s") % {"n": number})
            ...
        job.attach_file("raport.xlsx", data)          # optional: a file to download
        return {"created": 10}                        # JSON, kept in job.result

    job = job_start(owner=request.user, kind="import", label=_("Import check"),
                    task=import_dry_run, next_url=..., batch_id=batch.pk)
    return redirect(job_url(job))                     # the status page, polled

The function must be defined at module level (the worker imports it by its path) and
take JSON-serialisable keyword arguments. It runs with no request and no user: it
passes `job.owner` to the services as the acting user, so permissions, record-level
access and the audit trail are the owner's. A `ValidationError` or `PermissionDenied`
it raises ends the job as failed with that message shown to the user; any other error
ends it as failed with a general message (the traceback is in the worker's log and in
django-tasks' result).

The status page is `job` (HTML, polls `job_json` every second via
static/js/jobs.js), the file `job_file`; all three answer 404 to anybody but the
owner. Progress written inside a transaction (`transaction.atomic`) becomes visible
when it commits: a job that writes in one transaction says so in its message before
it starts.

Tests run tasks at once, in the request that enqueues them (the immediate backend, set
by the autouse fixture in conftest.py); `@pytest.mark.task_queue` keeps the database
backend of production, and such a test runs the worker itself.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks.base import Task

from kis.models import BackgroundJob

logger = logging.getLogger(__name__)


class JobContext:
    """What a job's function gets: its record, progress reporting and its owner."""

    def __init__(self, job: BackgroundJob) -> None:
        self.job = job
        self._last: tuple[int, str] | None = None

    @property
    def owner(self) -> User:
        return self.job.owner

    @property
    def pk(self) -> int:
        return self.job.pk

    def progress(self, percent: float, message: str = "") -> None:
        """Report how far the job is (0–100) and what it does. Written only when the
        whole percent or the message changes, so a loop may call it for every row."""
        value = max(0, min(100, int(percent)))
        if self._last == (value, message):
            return
        self._last = (value, message)
        self.job.progress, self.job.message = value, message[:500]
        BackgroundJob.objects.filter(pk=self.job.pk).update(progress=value, message=message[:500])

    def attach_file(self, name: str, content: bytes) -> None:
        """The job's result file (a report, a PDF), offered to the owner for download."""
        if self.job.result_file:
            self.job.result_file.delete(save=False)
        self.job.result_file.save(name, ContentFile(content), save=False)
        self.job.result_name = name
        BackgroundJob.objects.filter(pk=self.job.pk).update(
            result_file=self.job.result_file.name, result_name=name
        )


JobFunction = Callable[..., dict[str, Any] | None]


def job_task(function: JobFunction) -> Task:
    """Make `function(job: JobContext, **kwargs)` a django-tasks task run for a
    BackgroundJob; `job_start` enqueues it."""

    @functools.wraps(function)
    def run(job_id: int, **kwargs: Any) -> None:
        job = BackgroundJob.objects.select_related("owner").get(pk=job_id)
        job.status, job.started_at = BackgroundJob.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
        context = JobContext(job)
        try:
            result = function(context, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            _finish(job, BackgroundJob.Status.FAILED, _message_of(error))
            return
        except Exception:
            logger.exception("background job %s (%s) failed", job.pk, job.kind)
            _finish(
                job,
                BackgroundJob.Status.FAILED,
                _(
                    "The task failed because of an error in the application. Nothing was "
                    "saved; please tell the administrator."
                ),
            )
            raise
        job.result = result or {}
        _finish(job, BackgroundJob.Status.DONE, job.message or _("Done."))

    return task()(run)


def _message_of(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return _("You are not allowed to do this.")
    return " ".join(error.messages)[:500]


def _finish(job: BackgroundJob, status: str, message: str) -> None:
    job.status, job.message, job.finished_at = status, message[:500], timezone.now()
    if status == BackgroundJob.Status.DONE:
        job.progress = 100
    job.save(update_fields=["status", "message", "finished_at", "progress", "result"])


def job_start(
    *,
    owner: User,
    kind: str,
    label: str,
    task: Task,
    next_url: str = "",
    **kwargs: Any,
) -> BackgroundJob:
    """Record a job for `owner` and hand it to the worker (at once in tests)."""
    jobs_prune(owner=owner)
    job = BackgroundJob.objects.create(owner=owner, kind=kind, label=label[:200], next_url=next_url)
    result = task.enqueue(job_id=job.pk, **kwargs)
    BackgroundJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


# A finished job's record and file (a report, a PDF with personal data) are kept this
# long for the owner to come back to; `jobs_prune` (at every job_start for the owner's
# own, and `manage.py prune_background_jobs` for everybody's) deletes older ones.
KEEP_FINISHED = timedelta(days=7)


def jobs_prune(*, owner: User | None = None, older_than: timedelta = KEEP_FINISHED) -> int:
    """Delete finished jobs older than `older_than`, with their files; how many."""
    jobs = BackgroundJob.objects.filter(
        status__in=(BackgroundJob.Status.DONE, BackgroundJob.Status.FAILED),
        finished_at__lt=timezone.now() - older_than,
    )
    if owner is not None:
        jobs = jobs.filter(owner=owner)
    count = 0
    for job in jobs:
        if job.result_file:
            job.result_file.delete(save=False)
        job.delete()
        count += 1
    return count


def job_url(job: BackgroundJob) -> str:
    return reverse("job", args=[job.pk])
