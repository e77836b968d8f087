# The roles' default permissions on the background jobs and the kept forms.

from django.db import migrations


def grant(apps, schema_editor):
    from kis.roles import grant_role_permissions

    grant_role_permissions(apps, ["kis"])


class Migration(migrations.Migration):
    dependencies = [
        ("kis", "0005_kept_form"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
