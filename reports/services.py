from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils.translation import gettext as _

from kis.lib.services import permission_check
from reports.models import AnnualNarrative, AnnualSection


@transaction.atomic
def narrative_save(
    *, year: int, section: int, text: str, user: User | None
) -> AnnualNarrative | None:
    """Save the manager's paragraph of one section; an empty text returns to the
    generated one."""
    permission_check(user, "reports.change_annualnarrative")
    if section not in AnnualSection.values:
        raise ValidationError(_("Unknown section."))
    text = text.strip()
    ProhibitNullCharactersValidator()(text)  # PostgreSQL cannot store NUL
    if not text:
        AnnualNarrative.objects.filter(year=year, section=section).delete()
        return None
    narrative, _created = AnnualNarrative.objects.update_or_create(
        year=year, section=section, defaults={"text": text, "updated_by": user}
    )
    return narrative
