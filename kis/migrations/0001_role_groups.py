from django.db import migrations


def create_role_groups(apps, schema_editor):
    from kis.roles import grant_role_permissions

    grant_role_permissions(apps, ["auth"])


class Migration(migrations.Migration):
    """The three role groups, with their default permissions on user accounts."""

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
