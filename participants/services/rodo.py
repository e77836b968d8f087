from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import transaction

from participants.models import Participant


@transaction.atomic
def processing_restriction_set(
    *, participant: Participant, restricted: bool, reason: str = ""
) -> None:
    """Restrict (art. 18 GDPR) or lift the restriction of a person's data. Recorded by
    the audit trail like every change."""
    reason = reason.strip() if restricted else ""
    field = Participant._meta.get_field("restriction_reason")
    try:
        ProhibitNullCharactersValidator()(reason)
        MaxLengthValidator(field.max_length)(reason)
    except ValidationError as error:
        raise ValidationError({"restriction_reason": error.messages}) from None
    participant.processing_restricted = restricted
    participant.restriction_reason = reason
    participant.version += 1
    participant.save(
        update_fields=["processing_restricted", "restriction_reason", "version", "updated_at"]
    )
