from django.db import migrations

# The six categories of the Brzeszcze 2014 KIS summary; administrators may edit them.
CATEGORIES = [
    ("Aktywna integracja", "treningi miękkie, szkolenia, doradztwo"),
    ("Praca socjalna", "upowszechnianie pracy socjalnej"),
    ("Działania o charakterze środowiskowym", "pikniki, wycieczki, spotkania okolicznościowe"),
    ("Zasiłki celowe i specjalne zasiłki celowe", ""),
    ("Zarządzanie projektem", ""),
    ("Obsługa administracyjna i materiały", "pozostała obsługa administracyjna i materiały"),
]


def seed(apps, schema_editor):
    from kis.roles import grant_role_permissions

    BudgetCategory = apps.get_model("projects", "BudgetCategory")
    for order, (name, description) in enumerate(CATEGORIES, start=1):
        BudgetCategory.objects.get_or_create(
            name=name, defaults={"description": description, "order": order}
        )
    grant_role_permissions(apps, ["projects"])


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("kis", "0001_role_groups"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
