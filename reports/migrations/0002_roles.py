from django.db import migrations


def grant(apps, schema_editor):
    from kis.roles import grant_role_permissions

    grant_role_permissions(apps, ["reports"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("kis", "0001_role_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
