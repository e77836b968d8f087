from django.db import migrations

# (name, statutory: art. 1(2) of the Social Employment Act, sensitive)
EXCLUSION_GROUPS = [
    ("osoby bezdomne realizujące indywidualny program wychodzenia z bezdomności", True, False),
    ("osoby uzależnione od alkoholu po zakończeniu programu psychoterapii", True, True),
    ("osoby uzależnione od narkotyków lub innych środków odurzających po zakończeniu programu terapeutycznego", True, True),
    ("osoby chore psychicznie", True, True),
    ("osoby długotrwale bezrobotne", True, False),
    ("osoby zwalniane z zakładów karnych mające trudności w integracji ze środowiskiem", True, True),
    ("uchodźcy realizujący indywidualny program integracji", True, False),
    ("osoby niepełnosprawne", True, True),
    ("osoby w ubóstwie", False, False),
    ("samotni rodzice", False, False),
    ("osoby korzystające z Programu Operacyjnego Pomoc Żywnościowa", False, False),
    ("repatrianci", False, False),
    ("osoby współuzależnione", False, True),
    ("rodziny wieloproblemowe", False, False),
]

# The reasons of the Brzeszcze 2014 summary.
DROPOUT_REASONS = [
    "ciąg alkoholowy",
    "brak chęci do współpracy",
    "brak nawyków systematyczności, regularności, autodyscypliny",
    "zmiana miejsca zamieszkania",
    "długoterminowe stacjonarne leczenie odwykowe",
    "konieczność sprawowania opieki nad dziećmi o różnych porach dnia",
    "inny powód",
]


def seed(apps, schema_editor):
    from kis.roles import grant_role_permissions

    ExclusionGroup = apps.get_model("participants", "ExclusionGroup")
    DropoutReason = apps.get_model("participants", "DropoutReason")
    for order, (name, statutory, sensitive) in enumerate(EXCLUSION_GROUPS, start=1):
        ExclusionGroup.objects.get_or_create(
            name=name,
            defaults={"is_statutory": statutory, "is_sensitive": sensitive, "order": order},
        )
    for order, name in enumerate(DROPOUT_REASONS, start=1):
        DropoutReason.objects.get_or_create(name=name, defaults={"order": order})
    grant_role_permissions(apps, ["participants"])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0001_initial"),
        ("kis", "0001_role_groups"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
