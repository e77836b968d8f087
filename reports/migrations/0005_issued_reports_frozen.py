"""Issued reports are never changed nor deleted: the database refuses it too, whatever
the door (the model, its queryset and admin refuse first, with a message)."""

from django.db import migrations

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION reports_issuedreport_frozen() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'An issued report cannot be changed or deleted';
    END;
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER reports_issuedreport_frozen BEFORE UPDATE OR DELETE ON reports_issuedreport
    FOR EACH ROW EXECUTE FUNCTION reports_issuedreport_frozen();
    """,
]
POSTGRES_UNDO = [
    "DROP TRIGGER IF EXISTS reports_issuedreport_frozen ON reports_issuedreport;",
    "DROP FUNCTION IF EXISTS reports_issuedreport_frozen();",
]
SQLITE = [
    """
    CREATE TRIGGER reports_issuedreport_no_update BEFORE UPDATE ON reports_issuedreport
    BEGIN SELECT RAISE(ABORT, 'An issued report cannot be changed'); END;
    """,
    """
    CREATE TRIGGER reports_issuedreport_no_delete BEFORE DELETE ON reports_issuedreport
    BEGIN SELECT RAISE(ABORT, 'An issued report cannot be deleted'); END;
    """,
]
SQLITE_UNDO = [
    "DROP TRIGGER IF EXISTS reports_issuedreport_no_update;",
    "DROP TRIGGER IF EXISTS reports_issuedreport_no_delete;",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def grant(apps, schema_editor):
    from kis.roles import grant_role_permissions

    grant_role_permissions(apps, ["reports"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_issued_reports")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_UNDO, "sqlite": SQLITE_UNDO}),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
