from django.db import migrations

GROUP_CODES = {
    "osoby bezdomne realizujące indywidualny program wychodzenia z bezdomności": "homeless",
    "osoby uzależnione od alkoholu po zakończeniu programu psychoterapii": "alcohol",
    "osoby uzależnione od narkotyków lub innych środków odurzających po zakończeniu programu terapeutycznego": "drugs",
    "osoby chore psychicznie": "mental_illness",
    "osoby długotrwale bezrobotne": "long_term_unemployed",
    "osoby zwalniane z zakładów karnych mające trudności w integracji ze środowiskiem": "prison",
    "uchodźcy realizujący indywidualny program integracji": "refugees",
    "osoby niepełnosprawne": "disabled",
    "osoby w ubóstwie": "poverty",
    "samotni rodzice": "single_parent",
    "osoby korzystające z Programu Operacyjnego Pomoc Żywnościowa": "food_aid",
    "repatrianci": "repatriates",
    "osoby współuzależnione": "co_addicted",
    "rodziny wieloproblemowe": "multi_problem_family",
}
FORM_CODES = {
    "staż zawodowy": "internship",
    "prace społecznie użyteczne": "psu",
    "działania środowiskowe": "community",
    "punkt opieki nad osobami zależnymi": "care_point",
}


def fill(apps, schema_editor):
    ExclusionGroup = apps.get_model("participants", "ExclusionGroup")
    SupportForm = apps.get_model("participants", "SupportForm")
    for name, code in GROUP_CODES.items():
        ExclusionGroup.objects.filter(name=name, code="").update(code=code)
    for name, code in FORM_CODES.items():
        SupportForm.objects.filter(name=name, code="").update(code=code)


class Migration(migrations.Migration):
    dependencies = [("participants", "0005_codes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
