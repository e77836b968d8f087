from django.db import migrations

# (name, reintegration, mode) – the support forms of the source documents.
SUPPORT_FORMS = [
    ("trening kompetencji społecznych", "social", "group"),
    ("trening kompetencji zawodowych", "vocational", "group"),
    ("trening kompetencji życiowych", "social", "group"),
    ("trening kompetencji rodzicielskich", "social", "group"),
    ("trening ekonomiczny (budżet domowy)", "social", "group"),
    ("warsztat promujący zdrowie", "social", "group"),
    ("indywidualne poradnictwo zawodowe", "vocational", "individual"),
    ("poradnictwo psychologiczne", "social", "individual"),
    ("poradnictwo prawne", "social", "individual"),
    ("grupowa terapia psychospołeczna", "social", "group"),
    ("terapia indywidualna", "social", "individual"),
    ("grupa samopomocowa", "social", "group"),
    ("szkolenie zawodowe / kurs", "vocational", "group"),
    ("staż zawodowy", "vocational", "individual"),
    ("prace społecznie użyteczne", "vocational", "individual"),
    ("działania środowiskowe", "social", "group"),
    ("punkt opieki nad osobami zależnymi", "social", "group"),
]


def seed(apps, schema_editor):
    from kis.roles import grant_role_permissions

    SupportForm = apps.get_model("participants", "SupportForm")
    for order, (name, reintegration, mode) in enumerate(SUPPORT_FORMS, start=1):
        SupportForm.objects.get_or_create(
            name=name, defaults={"reintegration": reintegration, "mode": mode, "order": order}
        )
    grant_role_permissions(apps, ["participants"])


class Migration(migrations.Migration):
    dependencies = [("participants", "0003_support")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
