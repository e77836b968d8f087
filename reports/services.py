from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils.translation import gettext as _

from kis.lib.services import Actor, permission_check
from reports.models import AnnualNarrative, AnnualSection, EuColumnSetting


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


@transaction.atomic
def eu_column_setting_save(*, setting: EuColumnSetting, user: Actor = None) -> EuColumnSetting:
    """An administrator's change to a column of the EU monitoring export."""
    permission_check(
        user,
        "reports.change_eucolumnsetting" if setting.pk else "reports.add_eucolumnsetting",
    )
    setting.header = setting.header.strip()
    setting.full_clean()
    setting.save()
    return setting


@transaction.atomic
def eu_column_setting_delete(*, setting: EuColumnSetting, user: Actor = None) -> None:
    """Back to the column's default header, place and inclusion."""
    permission_check(user, "reports.delete_eucolumnsetting")
    setting.delete()
