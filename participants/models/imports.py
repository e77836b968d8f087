"""Imports of participants (and their enrolment in a project) from a spreadsheet, and of
past attendance: the file's layout with its mapping (reused for the next file of the
same layout), a batch with its dry-run report, and what the batch changed (before-images
for undo). The reading, matching and checking is participants/importing.py; the writes
are participants/services/imports.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kis.lib.models import TimeStampedModel


class ImportLayout(TimeStampedModel):
    """A file layout: its header row (folded), with the column and value mapping last
    chosen for it. The next file with the same headers starts with that mapping."""

    signature = models.CharField(_("signature"), max_length=64, unique=True)
    headers = models.JSONField(_("headers"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict)
    value_mapping = models.JSONField(_("value mapping"), default=dict)

    class Meta:
        verbose_name = _("import file layout")
        verbose_name_plural = _("import file layouts")

    def __str__(self) -> str:
        return ", ".join(self.headers[:4])


class ImportBatch(TimeStampedModel):
    """One imported file: uploaded, mapped, checked (dry run), applied, perhaps undone.

    Personal data (decision): the file's rows are kept (`rows`) only until the batch is
    applied or discarded; after that the batch keeps the report without names (row
    numbers, what was done, the messages, the person's id) and the before-images of the
    records it changed (ImportChange), which anonymisation deletes."""

    class Kind(models.TextChoices):
        PARTICIPANTS = "participants", _("participants")
        ATTENDANCE = "attendance", _("attendance")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        CHECKED = "checked", _("checked")
        APPLIED = "applied", _("applied")
        UNDONE = "undone", _("undone")
        DISCARDED = "discarded", _("discarded")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    layout = models.ForeignKey(
        ImportLayout, verbose_name=_("layout"), on_delete=models.SET_NULL, null=True, blank=True
    )
    headers = models.JSONField(_("headers"), default=list)
    rows = models.JSONField(_("rows"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict)
    value_mapping = models.JSONField(_("value mapping"), default=dict)
    # Chosen on the mapping page: the project everybody is enrolled in (unless a column
    # names it), the legal basis of the new people (unless a column gives it).
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    activity = models.ForeignKey(
        "participants.Activity",
        verbose_name=_("activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    options = models.JSONField(_("options"), default=dict)
    report = models.JSONField(_("report"), default=list)
    summary = models.JSONField(_("summary"), default=dict)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d.%m.%Y %H:%M})"


class ImportChange(models.Model):
    """A record an applied batch created or changed, with what it was before: the undo
    of the batch deletes what it created and puts back the before-image of what it
    changed, if nobody changed them since (`version_after`)."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="changes")
    row = models.PositiveIntegerField(_("row"))
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("participant"),
    )
    # "participant", "enrolment" or "attendance".
    model = models.CharField(_("kind of record"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("record id"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    version_after = models.PositiveIntegerField(_("version after"), null=True, blank=True)

    class Meta:
        verbose_name = _("change made by an import")
        verbose_name_plural = _("changes made by imports")
        ordering = ["batch", "pk"]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.row}: {self.model} {self.object_id} {self.action}"
