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
    CommunityEvent,
    Placement,
    Session,
    ShortContact,
    SocialContract,
    SupportForm,
)

__all__ = [
    "Activity",
    "ActivityParticipant",
    "Attendance",
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
    "ShortContact",
    "SocialContract",
    "Sex",
    "SupportForm",
]
