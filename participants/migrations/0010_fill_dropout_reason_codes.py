from django.db import migrations

# The reasons seeded by 0002_catalogues_and_roles, by their Polish names. A reason the
# centre renamed keeps an empty code (nothing relies on it) and can be given one in admin.
REASON_CODES = {
    "ciąg alkoholowy": "alcohol_relapse",
    "brak chęci do współpracy": "no_cooperation",
    "brak nawyków systematyczności, regularności, autodyscypliny": "no_self_discipline",
    "zmiana miejsca zamieszkania": "moved_away",
    "długoterminowe stacjonarne leczenie odwykowe": "inpatient_treatment",
    "konieczność sprawowania opieki nad dziećmi o różnych porach dnia": "childcare",
    "inny powód": "other",
}


def fill(apps, schema_editor):
    DropoutReason = apps.get_model("participants", "DropoutReason")
    for name, code in REASON_CODES.items():
        DropoutReason.objects.filter(name=name, code="").update(code=code)


class Migration(migrations.Migration):
    dependencies = [("participants", "0009_dropout_reason_code")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
