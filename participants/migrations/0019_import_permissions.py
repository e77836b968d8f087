# The roles' default permissions on the import's models (added by 0018 after 0017's grant).

from django.db import migrations


def grant(apps, schema_editor):
    from kis.roles import grant_role_permissions

    grant_role_permissions(apps, ["participants"])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0018_imports"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
