from django.db import migrations


def grant(apps, schema_editor):
    from kis.roles import grant_role_permissions

    grant_role_permissions(apps, ["projects"])


class Migration(migrations.Migration):
    """The accountant's role (Księgowy) and the managers' recording of spending outside
    admin (kis/roles.py): adds only, what an administrator withdrew stays withdrawn."""

    dependencies = [
        ("projects", "0009_letterhead_and_logo_strips"),
        ("kis", "0001_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
