"""Writes behind the papers: the register of certificates issued and the signed
attendance lists (scans) of sessions. Each checks the user's permission (None: the
application itself) and the people's restriction or anonymisation, validates, writes
atomically; the audit trail records them (they are in the registry of personal data)."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kis.lib.collation import polish
from kis.lib.services import Actor, permission_check
from kis.lib.uploads import SUFFIXES, document_kind
from participants.models import (
    Activity,
    ActivityParticipant,
    Attendance,
    AttendanceScan,
    Certificate,
    Participant,
    Session,
)
from participants.services.people import processing_check

# A scan of a few pages at 300 dpi is 1–5 MB; nginx takes requests up to 20 MB
# (deploy/nginx-site.conf.in).
SCAN_MAX_BYTES = 10 * 1024 * 1024


def _by(user: Actor) -> Actor:
    return user if getattr(user, "is_authenticated", False) else None


@transaction.atomic
def certificate_issue(*, assignment: ActivityParticipant, user: Actor = None) -> Certificate:
    """The certificate of a completed activity, issued on first printing with the next
    number of the year (1/2026, 2/2026, …); printed again, it keeps its number and date.
    Two people printing at once get different numbers (the database's unique number per
    year, retried)."""
    existing = Certificate.objects.filter(assignment=assignment).first()
    if existing is not None:
        return existing
    permission_check(user, "participants.add_certificate")
    if assignment.completed_on is None:
        raise ValidationError(_("Only a completed activity earns a certificate."))
    processing_check([assignment.participant_id])
    today = timezone.localdate()
    for _attempt in range(5):
        last = Certificate.objects.filter(year=today.year).aggregate(last=Max("sequence"))
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    assignment=assignment,
                    year=today.year,
                    sequence=(last["last"] or 0) + 1,
                    issued_on=today,
                    issued_by=_by(user),
                )
        except IntegrityError:
            # The number was taken meanwhile, or this very certificate was issued.
            existing = Certificate.objects.filter(assignment=assignment).first()
            if existing is not None:
                return existing
    raise ValidationError(_("The certificate could not be numbered: try again."))


@transaction.atomic
def certificates_issue_all(
    *, activity: Activity, user: Actor = None
) -> list[tuple[ActivityParticipant, Certificate]]:
    """The certificates of everybody who completed the activity, for printing them all
    in one PDF: those already issued keep their numbers, the others are issued now with
    the next numbers of the register, in the order of the people's names. People whose
    processing is restricted or who are anonymised get none (their papers are refused
    everywhere)."""
    permission_check(user, "participants.add_certificate")
    assignments = (
        ActivityParticipant.objects.filter(
            activity=activity,
            completed_on__isnull=False,
            participant__processing_restricted=False,
            participant__anonymised_at__isnull=True,
        )
        .select_related("participant")
        .order_by(
            polish("participant__last_name").asc(), polish("participant__first_name").asc(), "pk"
        )
    )
    return [(a, certificate_issue(assignment=a, user=user)) for a in assignments]


def session_people(session: Session) -> list[int]:
    """The people the signed list of a session must match: those with a mark at it."""
    return list(Attendance.objects.filter(session=session).values_list("participant_id", flat=True))


@transaction.atomic
def attendance_scan_save(
    *,
    session: Session,
    file: UploadedFile,
    matches_attendance: bool,
    user: Actor = None,
) -> AttendanceScan:
    """Store the scan of a session's signed attendance list (PDF, JPEG or PNG, checked by
    its content, at most SCAN_MAX_BYTES), replacing an earlier one (whose file is deleted
    after the commit). Whoever uploads it confirms that the signatures match the
    attendance entered. Refused for a session still to come and when somebody on the list
    is anonymised (his or her records are frozen)."""
    existing = AttendanceScan.objects.filter(session=session).first()
    permission_check(
        user,
        "participants.change_attendancescan" if existing else "participants.add_attendancescan",
    )
    errors = {}
    if session.date > timezone.localdate():
        errors["file"] = _("The session has not taken place yet: there is no signed list.")
    if not matches_attendance:
        errors["matches_attendance"] = _(
            "Compare the signed list with the attendance entered and confirm that they "
            "match; if they do not, correct the roll call first."
        )
    if errors:
        raise ValidationError(errors)
    try:
        kind = document_kind(file, max_bytes=SCAN_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    anonymised = Participant.objects.filter(
        pk__in=session_people(session), anonymised_at__isnull=False
    )
    if anonymised.exists():
        processing_check(anonymised)
    scan = existing or AttendanceScan(session=session)
    old_name = scan.file.name if existing else ""
    scan.content_type = kind
    scan.size = file.size or 0
    scan.matches_attendance = True
    scan.uploaded_at = timezone.now()
    scan.uploaded_by = _by(user)
    # The stored name is random (upload_to); the suffix follows the content, not the
    # name the file came with.
    scan.file.save(f"scan{SUFFIXES[kind]}", file, save=False)
    try:
        scan.full_clean(exclude=["file"])
        scan.save()
    except Exception:
        scan.file.storage.delete(scan.file.name)  # nothing half-saved on disk either
        raise
    if old_name and old_name != scan.file.name:
        storage = scan.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return scan
