from django.db import transaction

from participants.models import Participant


@transaction.atomic
def processing_restriction_set(
    *, participant: Participant, restricted: bool, reason: str = ""
) -> None:
    """Restrict (art. 18 GDPR) or lift the restriction of a person's data. Recorded by
    the audit trail like every change."""
    participant.processing_restricted = restricted
    participant.restriction_reason = reason.strip()[:255] if restricted else ""
    participant.version += 1
    participant.save(
        update_fields=["processing_restricted", "restriction_reason", "version", "updated_at"]
    )
