"""The record of reads: who opened or exported whose personal data, and logins.

Changes to personal data are recorded by django-auditlog (auditlog.LogEntry); this
model records what auditlog cannot see. Append-only: no edit or delete anywhere."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("opened the card")
        EXPORT = "export", _("exported data")
        PDF = "pdf", _("printed a PDF")
        LOGIN = "login", _("logged in")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logged out")
        REFUSED = "refused", _("refused (processing restricted)")
        ANONYMISED = "anonymised", _("anonymised")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    participant = models.ForeignKey(
        "participants.Participant",
        verbose_name=_("participant"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_log",
        db_constraint=False,  # the record outlives the person's deletion
    )
    participant_ref = models.PositiveBigIntegerField(_("participant id"), null=True, blank=True)
    what = models.CharField(_("what"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["participant_ref", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.username}: {self.get_action_display()}"
