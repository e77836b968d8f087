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


@job_task
def subject_access_pdf(job: JobContext, *, participant_id: int) -> dict[str, Any]:
    """The subject-access export (art. 15 GDPR) as a PDF, for the job's owner: checked
    again here (the permission, the person visible to the owner, not anonymised nor
    restricted: a ValidationError ends the job with its message), logged as the owner's
    export like the PDF made in a request."""
    from django.core.exceptions import PermissionDenied

    from kis.audit import access_log
    from kis.lib.pdf import pdf_bytes
    from kis.models import AccessLog
    from participants.access import participants_for
    from participants.selectors.rodo import subject_access_check
    from participants.views.rodo import subject_access_context

    owner = job.owner
    person = participants_for(owner).filter(pk=participant_id).first()
    if person is None or not owner.has_perm("participants.export_participant"):
        raise PermissionDenied
    subject_access_check(person)
    job.progress(10, _("Gathering the data"))
    access_log(None, AccessLog.Action.EXPORT, person, "subject access export (PDF)", user=owner)
    context = subject_access_context(person)
    job.progress(50, _("Laying out the pages"))
    job.attach_file(
        f"dane-osoby-{person.pk}.pdf",
        pdf_bytes("participants/print/subject_access.html", context),
    )
    job.progress(100, _("The PDF is ready."))
    return {}
