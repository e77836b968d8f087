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
