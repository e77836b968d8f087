from django.db import migrations


def grant(apps, schema_editor):
    from kis.roles import grant_role_permissions

    grant_role_permissions(apps, ["kis", "auditlog"])


class Migration(migrations.Migration):
    """Managers and administrators may read the audit trail (nobody may change it)."""

    dependencies = [
        ("kis", "0002_access_log"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
