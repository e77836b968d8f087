"""Participants' models: the people (people.py) and the support they get (support.py)."""

from participants.models.people import (
    Diagnosis,
    DropoutReason,
    Employment,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    FamilyLink,
    Goal,
    Participant,
    Sex,
)
from participants.models.support import (
    Activity,
    ActivityParticipant,
    Attendance,
    AttendanceScan,
    Certificate,
    CommunityEvent,
    Placement,
    Session,
    SocialContract,
    SupportForm,
)

__all__ = [
    "Activity",
    "ActivityParticipant",
    "Attendance",
    "AttendanceScan",
    "Certificate",
    "CommunityEvent",
    "Diagnosis",
    "DropoutReason",
    "Employment",
    "Enrolment",
    "EnrolmentEvent",
    "ExclusionGroup",
    "FamilyLink",
    "Goal",
    "Participant",
    "Placement",
    "Session",
    "SocialContract",
    "Sex",
    "SupportForm",
]
