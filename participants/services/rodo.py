from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import transaction
from django.utils.translation import gettext as _

from kis.lib.services import Actor, permission_check
from participants.models import Participant
from participants.services.people import ProcessingRestricted


@transaction.atomic
def processing_restriction_set(
    *, participant: Participant, restricted: bool, reason: str = "", user: Actor = None
) -> None:
    """Restrict (art. 18 GDPR) or lift the restriction of a person's data. Recorded by
    the audit trail like every change. An anonymised person's record stays as it is."""
    permission_check(user, "participants.restrict_processing")
    if Participant.objects.filter(pk=participant.pk, anonymised_at__isnull=False).exists():
        raise ProcessingRestricted(
            _(
                "This person's data are anonymised: they can no longer be changed, and "
                "nothing can be recorded for him or her."
            ),
            [participant],
        )
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
