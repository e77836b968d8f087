"""The import wizard (participants/importing.py): upload → columns → values → dry run
in the background → report → apply in the background → (undo). Managers import
anybody; a caseworker imports into his or her own projects and cannot touch a person
he or she cannot see. A batch is its owner's only: anybody else gets a 404."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kis.jobs import job_start, job_url
from kis.lib.http import SignedInRequest
from participants.access import (
    activities_for,
    participants_for,
    projects_worked_in,
    sees_everybody,
)
from participants.forms.imports import (
    AttendanceImportForm,
    ImportMappingForm,
    ImportUploadForm,
    ImportValuesForm,
)
from participants.importing import (
    TARGETS,
    ImportFileError,
    layout_signature,
    read_table,
    suggest_mapping,
    suggest_values,
)
from participants.models import ImportBatch, ImportLayout
from participants.selectors.people import can_see_sensitive
from participants.services.imports import (
    import_check_save,
    import_discard,
    import_undo,
    undo_conflicts,
)
from participants.tasks import import_check, import_run
from projects.models import Project

PERMISSION = "participants.add_participant"
ACTIONS = ("create", "update", "unchanged", "error", "warning")


def _steps() -> list[tuple[int, str]]:
    return [
        (1, _("file")),
        (2, _("columns")),
        (3, _("values")),
        (4, _("check and save")),
    ]


def _importer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Users who may import something: people or attendance (each batch then checks
    its own kind's permission)."""

    @wraps(view)
    def wrapped(request: SignedInRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (
            request.user.has_perm(PERMISSION)
            or request.user.has_perm("participants.add_attendance")
        ):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _batch(request: SignedInRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch, pk=pk, owner=request.user)
    needed = (
        "participants.add_attendance" if batch.kind == ImportBatch.Kind.ATTENDANCE else PERMISSION
    )
    if not request.user.has_perm(needed):
        raise PermissionDenied
    return batch


def _projects(request: SignedInRequest) -> QuerySet[Project]:
    projects = Project.objects.exclude(status__in=Project.CLOSED_STATUSES)
    if not sees_everybody(request.user):
        projects = projects.filter(pk__in=projects_worked_in(request.user).values("pk"))
    return projects.order_by("-start_date", "title")


@permission_required(PERMISSION, raise_exception=True)
def import_list(request: SignedInRequest) -> HttpResponse:
    """The start: a file to upload, and the user's earlier imports."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload.name, upload.read())
        except ImportFileError as error:
            form.add_error("file", error)
        else:
            signature = layout_signature(table.headers)
            layout = ImportLayout.objects.filter(signature=signature).first()
            batch = ImportBatch.objects.create(
                kind=ImportBatch.Kind.PARTICIPANTS,
                owner=request.user,
                file_name=upload.name[:255],
                layout=layout,
                headers=table.headers,
                rows=table.rows,
                mapping=layout.mapping if layout else suggest_mapping(table.headers),
                value_mapping=layout.value_mapping if layout else {},
                options={"first_row": table.first_row, "signature": signature},
            )
            return redirect("participants:import_mapping", batch.pk)
    batches = ImportBatch.objects.filter(owner=request.user).select_related("project")[:30]
    return render(
        request,
        "participants/imports/start.html",
        {"form": form, "batches": batches},
        status=400 if request.method == "POST" else 200,
    )


@permission_required(PERMISSION, raise_exception=True)
def import_mapping(request: SignedInRequest, pk: int) -> HttpResponse:
    """Step 2: which field each column is (suggested from the headers, or as chosen
    last time for files of this layout) and what applies to every row."""
    batch = _batch(request, pk)
    if batch.kind == ImportBatch.Kind.ATTENDANCE or batch.status not in (
        ImportBatch.Status.UPLOADED,
        ImportBatch.Status.CHECKED,
    ):
        return redirect("participants:import_report", batch.pk)
    initial = {f"column_{column}": key for column, key in batch.mapping.items()}
    initial.update(
        project=batch.project_id,
        legal_basis=batch.options.get("legal_basis", ""),
        legal_basis_date=batch.options.get("legal_basis_date"),
    )
    form = ImportMappingForm(
        request.POST or None,
        initial=initial,
        headers=batch.headers,
        samples=batch.rows[:3],
        projects=_projects(request),
        sensitive=can_see_sensitive(request.user),
        caseworker=not sees_everybody(request.user),
    )
    if request.method == "POST" and form.is_valid():
        batch.mapping = form.mapping()
        batch.project = form.cleaned_data["project"]
        day = form.cleaned_data["legal_basis_date"]
        batch.options = {
            **batch.options,
            "legal_basis": form.cleaned_data["legal_basis"],
            "legal_basis_date": day.isoformat() if day else "",
        }
        batch.save()
        return redirect("participants:import_values", batch.pk)
    return render(
        request,
        "participants/imports/mapping.html",
        {
            "batch": batch,
            "form": form,
            "reused": batch.layout_id is not None,
            "step": 2,
            "import_steps": _steps(),
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required(PERMISSION, raise_exception=True)
def import_values(request: SignedInRequest, pk: int) -> HttpResponse:
    """Step 3: what each value of a catalogue column means; then the dry run starts in
    the background, and the layout keeps the mapping for the next file."""
    batch = _batch(request, pk)
    if batch.kind == ImportBatch.Kind.ATTENDANCE or batch.status not in (
        ImportBatch.Status.UPLOADED,
        ImportBatch.Status.CHECKED,
    ):
        return redirect("participants:import_report", batch.pk)
    suggested = suggest_values(batch, batch.value_mapping)
    form = ImportValuesForm(request.POST or None, suggested=suggested)
    if request.method == "POST" and form.is_valid():
        batch.value_mapping = {**batch.value_mapping, **form.value_mapping()}
        layout, _created = ImportLayout.objects.update_or_create(
            signature=batch.options.get("signature") or layout_signature(batch.headers),
            defaults={
                "headers": batch.headers,
                "mapping": batch.mapping,
                "value_mapping": batch.value_mapping,
            },
        )
        batch.layout = layout
        batch.save()
        job = job_start(
            owner=request.user,
            kind="import_check",
            label=_("Checking the import of %(file)s") % {"file": batch.file_name},
            task=import_check,
            next_url=reverse("participants:import_report", args=[batch.pk]),
            batch_id=batch.pk,
        )
        return redirect(job.next_url if job.finished else job_url(job))
    return render(
        request,
        "participants/imports/values.html",
        {"batch": batch, "form": form, "step": 3, "import_steps": _steps()},
        status=400 if request.method == "POST" else 200,
    )


@_importer
def import_report(request: SignedInRequest, pk: int) -> HttpResponse:
    """Step 4: what the import does (or did) row by row; apply, discard or undo."""
    batch = _batch(request, pk)
    shown = request.GET.get("show", "")
    rows = batch.report
    if shown in ACTIONS:
        rows = [r for r in rows if (r["warnings"] if shown == "warning" else r["action"] == shown)]
    conflicts = undo_conflicts(batch) if batch.status == ImportBatch.Status.APPLIED else []
    if batch.status != ImportBatch.Status.CHECKED:
        # The batch keeps no names once saved: the people's names as they are now, of
        # those the user may see.
        ids = [r["participant"] for r in rows[:2000] if r.get("participant")]
        names = {
            pk: f"{first} {last}"
            for pk, first, last in participants_for(request.user)
            .filter(pk__in=ids)
            .values_list("pk", "first_name", "last_name")
        }
        rows = [{**r, "name": names.get(r.get("participant"), r["name"])} for r in rows]
    mapped = [
        (
            batch.headers[int(column)] if int(column) < len(batch.headers) else column,
            TARGETS[key].label,
        )
        for column, key in sorted(batch.mapping.items(), key=lambda item: int(item[0]))
        if key in TARGETS
    ]
    return render(
        request,
        "participants/imports/report.html",
        {
            "batch": batch,
            "rows": rows[:2000],
            "cut": len(rows) > 2000,
            "shown": shown,
            "summary": dict.fromkeys(ACTIONS, 0) | batch.summary,
            "conflicts": conflicts,
            "mapped": mapped,
            "step": 4,
            "import_steps": _steps(),
        },
    )


@require_POST
@_importer
def import_apply_view(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    if batch.status != ImportBatch.Status.CHECKED:
        messages.error(request, _("Only a checked import that was not applied can be applied."))
        return redirect("participants:import_report", batch.pk)
    job = job_start(
        owner=request.user,
        kind="import_apply",
        label=_("Saving the import of %(file)s") % {"file": batch.file_name},
        task=import_run,
        next_url=reverse("participants:import_report", args=[batch.pk]),
        batch_id=batch.pk,
    )
    if job.finished and job.status == job.Status.FAILED:
        messages.error(request, job.message)
        return redirect("participants:import_report", batch.pk)
    return redirect(job.next_url if job.finished else job_url(job))


@require_POST
@_importer
def import_undo_view(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        import_undo(batch=batch, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The import is undone."))
    return redirect("participants:import_report", batch.pk)


@require_POST
@_importer
def import_discard_view(request: SignedInRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        import_discard(batch=batch, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("participants:import_report", batch.pk)
    messages.success(request, _("The import is discarded; its copy of the file is deleted."))
    return redirect("participants:import_list")


@permission_required("participants.add_attendance", raise_exception=True)
def attendance_import(request: SignedInRequest) -> HttpResponse:
    """Attendance of past sessions of one activity from a grid (people × dates),
    checked like the roll call (participants/attendance_import.py); the report is the
    import's, saved through the roll call's service."""
    activities = (
        activities_for(request.user).select_related("project").order_by("-start_date", "name")
    )
    form = AttendanceImportForm(
        request.POST or None,
        request.FILES or None,
        activities=activities,
        initial={"activity": request.GET.get("activity", "")},  # from the activity's page
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload.name, upload.read())
        except ImportFileError as error:
            form.add_error("file", error)
        else:
            batch = ImportBatch.objects.create(
                kind=ImportBatch.Kind.ATTENDANCE,
                owner=request.user,
                file_name=upload.name[:255],
                headers=table.headers,
                rows=table.rows,
                activity=form.cleaned_data["activity"],
                options={"first_row": table.first_row},
            )
            import_check_save(batch=batch, user=request.user)
            return redirect("participants:import_report", batch.pk)
    return render(
        request,
        "participants/imports/attendance.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
