"""Background jobs of the reports (kis/jobs.py): the large PDFs. A project report of a
large project (800 activities) takes WeasyPrint 16 s and more, the annual summary
several: made by the worker, with progress, and kept for the user to download (its
owner only; `job_file`), while the request that asks for it returns at once."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from kis.jobs import JobContext, job_task
from kis.lib.pdf import pdf_bytes

VIEW = "reports.view_reports"


@job_task
def report_pdf(job: JobContext, *, report: str, key: int) -> dict[str, Any]:
    """`report` "project" (key: the project) or "annual" (key: the year)."""
    from reports.views import PDF_REPORTS

    if not job.owner.has_perm(VIEW):  # the permission may have gone since the request
        raise PermissionDenied
    template, context_of, filename = PDF_REPORTS[report]
    job.progress(10, _("Computing the figures"))
    context = context_of(key)
    job.progress(40, _("Laying out the pages"))
    job.attach_file(filename % {"key": key}, pdf_bytes(template, context))
    job.progress(100, _("The PDF is ready."))
    return {}
