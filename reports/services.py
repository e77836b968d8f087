from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils.translation import gettext as _

from reports.models import AnnualNarrative, AnnualSection


@transaction.atomic
def narrative_save(*, year: int, section: int, text: str, user) -> AnnualNarrative | None:
    """Save the manager's paragraph of one section; an empty text returns to the
    generated one."""
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


@transaction.atomic
def eu_column_setting_save(*, setting, user=None):
    """An administrator's change to a column of the EU monitoring export."""
    from kis.lib.services import permission_check

    permission_check(
        user,
        "reports.change_eucolumnsetting" if setting.pk else "reports.add_eucolumnsetting",
    )
    setting.header = setting.header.strip()
    setting.full_clean()
    setting.save()
    return setting


@transaction.atomic
def eu_column_setting_delete(*, setting, user=None) -> None:
    """Back to the column's default header, place and inclusion."""
    from kis.lib.services import permission_check

    permission_check(user, "reports.delete_eucolumnsetting")
    setting.delete()
