from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kis.lib.models import TimeStampedModel


class AnnualSection(models.IntegerChoices):
    SERVED = 1, _("People served")
    LONG_TERM = 2, _("Long-term cooperation and social contracts")
    SUPPORTED_EMPLOYMENT = 3, _("Supported employment with the labour office")
    PROJECTS = 4, _("Projects")
    COMMUNITY = 5, _("Community actions and events")
    BUDGET = 6, _("Budget")
    JOBS = 7, _("People who took up work")


class AnnualNarrative(TimeStampedModel):
    """The manager's paragraph above one section of the annual summary of one year."""

    year = models.PositiveSmallIntegerField(_("year"))
    section = models.PositiveSmallIntegerField(_("section"), choices=AnnualSection.choices)
    text = models.TextField(_("text"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("annual summary paragraph")
        verbose_name_plural = _("annual summary paragraphs")
        ordering = ["-year", "section"]
        permissions = [("view_reports", _("Can see and download the reports"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "section"], name="narrative_once_per_section"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_section_display()}"


def eu_column_choices() -> list[tuple[str, str]]:
    from reports.eu_monitoring import COLUMNS

    return [(column.key, column.header) for column in COLUMNS]


class EuColumnSetting(TimeStampedModel):
    """An administrator's change to one column of the EU monitoring export: its header
    text, its place, or leaving it out. The managing authorities change the participant
    template between calls; the default table is `reports.eu_monitoring.COLUMNS`, and a
    column without a setting keeps its default."""

    key = models.CharField(_("column"), max_length=40, unique=True, choices=eu_column_choices)
    header = models.CharField(
        _("header text"),
        max_length=255,
        blank=True,
        help_text=_("Empty: the default header text."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"),
        null=True,
        blank=True,
        help_text=_(
            "Where the column goes (1 = first); empty: its default place. Columns with the "
            "same position keep their default order."
        ),
    )
    included = models.BooleanField(_("included in the export"), default=True)

    class Meta:
        verbose_name = _("EU monitoring export column")
        verbose_name_plural = _("EU monitoring export columns")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.header or self.get_key_display()


class IssuedReportQuerySet(models.QuerySet):
    """Issued reports are never changed nor deleted, in bulk either."""

    def update(self, **kwargs):
        raise IssuedReportFrozen(_("An issued report cannot be changed."))

    def delete(self):
        raise IssuedReportFrozen(_("An issued report cannot be deleted."))


class IssuedReportFrozen(Exception):
    pass


class IssuedReport(models.Model):
    """A report as it was issued ("Wydaj / wyślij"): the PDF and the workbook exactly as
    generated, the figures as data (with the records each counted), the narrative, who
    issued it and when. Never changed nor deleted (the model, its queryset, admin and a
    database trigger refuse it: migration 0005); a correction is a new issue naming the
    one it corrects.

    `data` is the canonical JSON (keys sorted, UTF-8) of the report's identity, its
    figures (key, scope, value, ids of the records counted) and its narrative;
    `checksum` is its SHA-256, printed in the PDF's footer: anybody can check a printed
    report against the data downloaded as JSON (`sha256sum`). A PDF cannot contain its own
    hash, so the files' own SHA-256 are stored beside them (`pdf_sha256`, `xlsx_sha256`)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("annual summary")
        PROJECT = "project", _("project report")
        STATUTORY = "statutory", _("report to the voivode")

    kind = models.CharField(_("report"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_reports",
    )
    as_of = models.DateField(_("figures as of"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_by_name = models.CharField(_("issued by (name)"), max_length=255)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    note = models.TextField(_("note"), blank=True)
    data = models.TextField(_("figures (JSON)"))
    checksum = models.CharField(_("SHA-256 of the figures"), max_length=64)
    pdf = models.BinaryField(_("PDF"))
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    xlsx = models.BinaryField(_("workbook"))
    xlsx_sha256 = models.CharField(_("SHA-256 of the workbook"), max_length=64)

    objects = IssuedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued report")
        verbose_name_plural = _("issued reports")
        ordering = ["-year", "kind", "-issued_at"]
        default_permissions = ("add", "view")

    def __str__(self) -> str:
        what = self.project.title if self.project_id and self.project else str(self.year)
        return f"{self.get_kind_display()} {what}, {self.issued_at:%d.%m.%Y %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise IssuedReportFrozen(_("An issued report cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise IssuedReportFrozen(_("An issued report cannot be deleted."))
