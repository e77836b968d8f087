"""Background jobs of the participants' app (kis/jobs.py): an import's dry run and its
application, with progress for the wizard's progress bar."""

from typing import Any

from django.utils.translation import gettext as _

from kis.jobs import JobContext, job_task
from participants.models import ImportBatch


def _progress(job: JobContext, what: str):
    def report(done: int, total: int) -> None:
        job.progress(
            100 * done / max(total, 1),
            _("%(what)s: row %(done)s of %(total)s") % {"what": what, "done": done, "total": total},
        )

    return report


@job_task
def import_check(job: JobContext, *, batch_id: int) -> dict[str, Any]:
    from participants.services.imports import import_check_save

    batch = ImportBatch.objects.get(pk=batch_id)
    batch = import_check_save(batch=batch, user=job.owner, progress=_progress(job, _("Checking")))
    job.progress(100, _("Checked: see the report."))
    return batch.summary


@job_task
def import_run(job: JobContext, *, batch_id: int) -> dict[str, Any]:
    from participants.services.imports import import_apply

    batch = ImportBatch.objects.get(pk=batch_id)
    # One transaction: its progress shows when it commits, so say so first.
    job.progress(5, _("Saving all rows in one transaction; this may take a while."))
    batch = import_apply(batch=batch, user=job.owner)
    job.progress(100, _("The import is saved."))
    return batch.summary
