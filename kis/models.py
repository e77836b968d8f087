"""The record of reads: who opened or exported whose personal data, and logins.

Changes to personal data are recorded by django-auditlog (auditlog.LogEntry); this
model records what auditlog cannot see. Append-only: no edit or delete anywhere."""

import re

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# What a read was of. The entry stores the English text (stable: rows written years
# ago read the same), and shows its translation. Fixed texts, then texts with numbers
# (the record's or the month's); anything else is shown as it was stored.
WHAT_TEXTS: dict[str, Promise] = {
    "card": _("card"),
    "edit form": _("edit form"),
    "certificate": _("certificate"),
    "subject access export (JSON)": _("subject access export (JSON)"),
    "subject access export (PDF)": _("subject access export (PDF)"),
    "retention period over": _("retention period over"),
    "information clause": _("information clause (art. 13 GDPR)"),
    "follow-ups due": _("list of follow-ups after leaving"),
    "likely duplicates": _("list of likely duplicates"),
    "merge of duplicates": _("merge of duplicates"),
}
WHAT_PATTERNS: list[tuple[re.Pattern[str], Promise]] = [
    (re.compile(r"roll call, session (?P<session>\d+)"), _("roll call, session %(session)s")),
    (re.compile(r"activity grid (?P<activity>\d+)"), _("activity grid %(activity)s")),
    (
        re.compile(r"attendance list, session (?P<session>\d+)"),
        _("attendance list, session %(session)s"),
    ),
    (
        re.compile(r"attendance list, activity (?P<activity>\d+), (?P<month>\d+)/(?P<year>\d+)"),
        _("attendance list, activity %(activity)s, %(month)s/%(year)s"),
    ),
    (re.compile(r"job form (?P<pk>\d+)"), _("job form %(pk)s")),
    (re.compile(r"diagnosis form (?P<pk>\d+)"), _("diagnosis and action plan form %(pk)s")),
    (re.compile(r"social contract form (?P<pk>\d+)"), _("social contract form %(pk)s")),
    (
        re.compile(r"placement form (?P<pk>\d+)"),
        _("internship or socially useful work form %(pk)s"),
    ),
    (re.compile(r"questionnaire (?P<pk>\d+)"), _("questionnaire %(pk)s")),
    (re.compile(r"follow-up form (?P<pk>\d+)"), _("follow-up form %(pk)s")),
    (re.compile(r"admin: (?P<model>\w+) (?P<pk>\d+)"), _("administration: %(model)s %(pk)s")),
    (re.compile(r"admin list: (?P<models>\w+)"), _("administration: list of %(models)s")),
    # The papers (participants/views/printing.py, papers.py, scans.py).
    (re.compile(r"certificate (?P<number>\S+)"), _("certificate no. %(number)s")),
    (re.compile(r"social contract (?P<number>\S+)"), _("social contract no. %(number)s")),
    (re.compile(r"action plan (?P<pk>\d+)"), _("individual action plan %(pk)s")),
    (
        re.compile(r"signed list, session (?P<session>\d+)"),
        _("signed attendance list, session %(session)s"),
    ),
    (re.compile(r"background task (?P<pk>\d+)"), _("result of background task %(pk)s")),
    (
        re.compile(r"issued report (?P<pk>\d+) compared"),
        _("issued report %(pk)s compared with today's data"),
    ),
    # The list behind a report figure (reports.figures): its key and scope.
    (
        re.compile(r"report figure (?P<key>\S+)(?P<scope>.*)"),
        _("list behind the report figure %(key)s%(scope)s"),
    ),
    (re.compile(r"(?P<path>/\S*)"), _("page %(path)s")),
]


def what_text(what: str, named: dict[str, dict[str, str]] | None = None) -> str:
    """The stored `what` of an access-log entry in the reader's language; `named` gives
    names for the numbers it holds ({"activity": {"12": "Trening…"}}: the audit page)."""
    if what in WHAT_TEXTS:
        return str(WHAT_TEXTS[what])
    for pattern, text in WHAT_PATTERNS:
        if match := pattern.fullmatch(what):
            values = match.groupdict()
            for key, names in (named or {}).items():
                if values.get(key) in names:
                    values[key] = names[values[key]]
            if "model" in values:
                values["model"] = _model_name(values["model"])
            if "models" in values:
                values["models"] = _model_name(values["models"], plural=True)
            return str(text) % values
    return what


def _model_name(model_name: str, plural: bool = False) -> str:
    from django.apps import apps

    for app in ("participants", "projects"):
        try:
            opts = apps.get_model(app, model_name)._meta
            return str(opts.verbose_name_plural if plural else opts.verbose_name)
        except LookupError:
            continue
    return model_name


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
        # In a context: "access log" alone is django-axes' record of logins.
        verbose_name_plural = pgettext_lazy("KIS's record of reads", "access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["participant_ref", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.username}: {self.get_action_display()}"

    def get_what_display(self) -> str:
        return what_text(self.what)


class BackgroundJob(models.Model):
    """A piece of work done by the background worker (`manage.py db_worker`) for one
    user: an import's dry run or its application, a large PDF. The task updates its
    progress and message as it goes; the user's page polls them (`job` and its
    JSON) and gets the result (`result`, and a file to download if the task made one).
    Only its owner sees it. How to write one: kis/jobs.py."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", pgettext_lazy("background task", "in progress")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="background_jobs",
    )
    kind = models.CharField(_("kind"), max_length=50)
    label = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    result = models.JSONField(pgettext_lazy("background task", "result"), default=dict, blank=True)
    result_file = models.FileField(_("result file"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    # Where the user goes when the job is done (the next step of a wizard), if anywhere.
    next_url = models.CharField(_("next page"), max_length=300, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(
        pgettext_lazy("background task", "started"), null=True, blank=True
    )
    finished_at = models.DateTimeField(
        pgettext_lazy("background task", "finished"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class KeptForm(models.Model):
    """A form sent after its user's session had expired, kept so that it can be filled
    in again once he or she has logged in again (kis/sessions.py). It may hold anything
    a form holds, personal data included: kept on the server only (never in a cookie),
    found by a random token, for its own user only, deleted once filled in again or
    after KIS_KEPT_FORM_MINUTES. Files are not kept: they must be chosen again."""

    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    path = models.CharField(_("page"), max_length=500)
    # [[field name, [values]], …] as the browser sent them (without the CSRF token).
    data = models.JSONField(_("data"), default=list, blank=True)
    had_files = models.BooleanField(_("had files"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form kept after the session expired")
        verbose_name_plural = _("forms kept after the session expired")

    def __str__(self) -> str:
        return self.path
