"""Reads behind the papers: the auditor's check that every held session has a signed
attendance list matching the attendance entered."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q

from participants.models import Attendance, AttendanceScan, Session
from participants.models.support import SessionQuerySet


class ScanStatus:
    OK = "ok"
    MISSING = "missing"  # a held session without a signed list
    REMOVED = "removed"  # deleted when a person on it was anonymised
    NO_ROLL_CALL = "no_roll_call"  # a scan, but no attendance entered to compare with
    CHANGED = "changed"  # attendance changed after the scan was uploaded


@dataclass
class SignedListRow:
    session: Session
    marked: int
    present: int
    last_change: datetime | None
    scan: AttendanceScan | None

    @property
    def status(self) -> str:
        if self.scan is None:
            return ScanStatus.MISSING
        if not self.scan.file:
            return ScanStatus.REMOVED
        if not self.marked:
            return ScanStatus.NO_ROLL_CALL
        if self.last_change and self.last_change > self.scan.uploaded_at:
            return ScanStatus.CHANGED
        return ScanStatus.OK

    @property
    def ok(self) -> bool:
        return self.status == ScanStatus.OK


@dataclass
class SignedListCheck:
    rows: list[SignedListRow]

    @property
    def held(self) -> int:
        return len(self.rows)

    @property
    def matching(self) -> int:
        return sum(1 for row in self.rows if row.ok)

    @property
    def missing(self) -> int:
        return sum(1 for row in self.rows if row.status == ScanStatus.MISSING)

    @property
    def problems(self) -> list[SignedListRow]:
        return [row for row in self.rows if not row.ok]


def signed_list_check(sessions: SessionQuerySet) -> SignedListCheck:
    """For every held session among `sessions` (`Session.objects.held`, the one
    definition): its marks, its scan and whether the scan still matches: a scan uploaded
    before the last change of the marks may show other attendance. One query."""
    rows = (
        sessions.held()
        .select_related("activity", "scan__uploaded_by")
        .annotate(
            marked=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT)),
            last_change=Max("attendance__updated_at"),
        )
        .order_by("date", "start_time", "pk")
    )
    return SignedListCheck(
        [
            SignedListRow(
                session,
                session.marked,
                session.present,
                session.last_change,
                getattr(session, "scan", None),
            )
            for session in rows
        ]
    )


def lacking_signed_list(sessions: SessionQuerySet) -> set[int]:
    """Ids of the held sessions among `sessions` without a signed list (one query)."""
    return set(sessions.held().filter(scan__isnull=True).values_list("pk", flat=True))
