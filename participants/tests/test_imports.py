"""The import of participants (participants/importing.py, services/imports.py, the
wizard's views): a workbook with valid, invalid and duplicate rows gives the expected
report; applying twice changes nothing the second time; undo restores the database
exactly; a caseworker's import cannot touch a person he or she cannot see; every view
refuses the wrong user."""

import io
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import Workbook

from kis import roles
from kis.lib.pesel import pesel_make
from kis.tests.clients import https_client
from kis.tests.factories import UserFactory
from participants.forms.imports import ImportValuesForm
from participants.importing import read_table, suggest_mapping, suggest_values
from participants.models import (
    Enrolment,
    ImportBatch,
    ImportLayout,
    Participant,
)
from participants.services.imports import import_apply, import_check_save, import_undo
from participants.tests.factories import EnrolmentFactory, ParticipantFactory
from projects.tests.factories import ProjectFactory, ProjectStaffFactory, StaffMemberFactory

HEADERS = [
    "Nazwisko",
    "Imię",
    "PESEL",
    "Data urodzenia",
    "Płeć",
    "Kod pocztowy",
    "Miejscowość",
    "Wykształcenie",
    "Obywatelstwo",
    "Data rozpoczęcia udziału w projekcie",
]
NEW_PESEL = pesel_make(date(1980, 5, 17), True, 1)
MAN_PESEL = pesel_make(date(1979, 2, 3), False, 2)
KNOWN_PESEL = pesel_make(date(1975, 3, 14), True, 901)
UNCHANGED_PESEL = pesel_make(date(1975, 3, 14), True, 902)
BAD_CHECK = NEW_PESEL[:10] + str((int(NEW_PESEL[10]) + 1) % 10)


def rows():
    edu = "Podstawowe (ISCED 1)"
    pl = "Obywatelstwo polskie"
    return [
        # 2: new, with a PESEL
        [
            "Nowak",
            "Anna",
            NEW_PESEL,
            "17.05.1980",
            "Kobieta",
            "34-100",
            "Wadowice",
            edu,
            pl,
            "01.09.2017",
        ],
        # 3: new, no PESEL: name + date of birth (ISO), sex "K"
        ["Zielińska", "Maria", "", "1990-01-02", "K", "", "Lipnica", edu, pl, "2017-09-01"],
        # 4: wrong check digit
        ["Kowal", "Ewa", BAD_CHECK, "", "Kobieta", "", "", edu, pl, "01.09.2017"],
        # 5: PESEL of a man, the file says a woman
        ["Mazur", "Adam", MAN_PESEL, "", "Kobieta", "", "", edu, pl, "01.09.2017"],
        # 6: last name missing
        ["", "Jan", pesel_make(date(1985, 1, 1), False, 3), "", "", "", "", edu, pl, "01.09.2017"],
        # 7: unknown education
        [
            "Wrona",
            "Piotr",
            pesel_make(date(1986, 6, 6), False, 4),
            "",
            "",
            "",
            "",
            "doktorat",
            pl,
            "01.09.2017",
        ],
        # 8: start outside the project
        [
            "Sowa",
            "Ola",
            pesel_make(date(1987, 7, 7), True, 5),
            "",
            "",
            "",
            "",
            edu,
            pl,
            "01.09.2020",
        ],
        # 9: the same person as row 2
        ["Nowak", "Anna", NEW_PESEL, "", "", "", "", edu, pl, "01.09.2017"],
        # 10: registered: new postal code, and enrolled from now
        ["Testowa", "Katarzyna", KNOWN_PESEL, "", "", "34-200", "", "", "", "01.10.2017"],
        # 11: registered and enrolled, nothing new (another start: a warning, not changed)
        ["Stała", "Katarzyna", UNCHANGED_PESEL, "", "", "34-123", "", "", "", "15.09.2016"],
        # 12: two people with this name and date of birth, no PESEL
        ["Bliźniak", "Jan", "", "05.05.1970", "M", "", "", "", "", "01.09.2017"],
    ]


def workbook(data=None, headers=HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Lista uczestników (eksport)"])  # a title above the header row
    sheet.append(headers)
    for row in data if data is not None else rows():
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def world(db):
    project = ProjectFactory(start_date=date(2016, 6, 1), end_date=date(2019, 5, 31))
    known = ParticipantFactory(
        first_name="Katarzyna", last_name="Testowa", pesel=KNOWN_PESEL, postal_code="34-123"
    )
    steady = ParticipantFactory(
        first_name="Katarzyna", last_name="Stała", pesel=UNCHANGED_PESEL, postal_code="34-123"
    )
    EnrolmentFactory(participant=steady, project=project, start_date=date(2016, 9, 1))
    for _ in range(2):
        ParticipantFactory(
            first_name="Jan", last_name="Bliźniak", pesel="", sex="M", birth_date=date(1970, 5, 5)
        )
    manager = UserFactory(username="kierownik", role=roles.MANAGER)
    return {"project": project, "known": known, "steady": steady, "manager": manager}


def batch_for(user, content: bytes, project=None, **options) -> ImportBatch:
    table = read_table("lista.xlsx", content)
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.PARTICIPANTS,
        owner=user,
        file_name="lista.xlsx",
        headers=table.headers,
        rows=table.rows,
        mapping=suggest_mapping(table.headers),
        project=project,
        options={
            "first_row": table.first_row,
            "legal_basis": "law",
            "legal_basis_date": "2017-09-01",
            **options,
        },
    )
    batch.value_mapping = suggest_values(batch, {})
    batch.save()
    return batch


def test_headers_of_kis_and_the_eu_export_are_recognised(world):
    table = read_table("lista.xlsx", workbook())
    assert table.first_row == 3  # under the title and the header row
    assert suggest_mapping(table.headers) == {
        "0": "participant.last_name",
        "1": "participant.first_name",
        "2": "participant.pesel",
        "3": "participant.birth_date",
        "4": "participant.sex",
        "5": "participant.postal_code",
        "6": "participant.city",
        "7": "participant.education",
        "8": "participant.citizenship",
        "9": "enrolment.start_date",
    }


def test_the_dry_run_reports_every_row(world):
    batch = batch_for(world["manager"], workbook(), project=world["project"])
    count = Participant.objects.count()
    batch = import_check_save(batch=batch, user=world["manager"])
    assert Participant.objects.count() == count  # a dry run writes nothing
    report = {r["row"]: r for r in batch.report}
    assert {n: r["action"] for n, r in report.items()} == {
        3: "create",
        4: "create",
        5: "error",
        6: "error",
        7: "error",
        8: "error",
        9: "error",
        10: "error",
        11: "update",
        12: "unchanged",
        13: "error",
    }
    assert batch.summary == {"create": 2, "update": 1, "unchanged": 1, "error": 7, "warning": 1}
    assert report[5]["errors"] == [
        f"PESEL „{BAD_CHECK}” ma błędną cyfrę kontrolną (albo niepoprawną datę urodzenia).",
        "Brak wymaganej wartości: data urodzenia.",
    ]
    assert report[6]["errors"] == [
        f"Z numeru PESEL {MAN_PESEL} wynika płeć: mężczyzna, a w pliku: kobieta."
    ]
    assert report[7]["errors"] == ["Brak wymaganej wartości: nazwisko."]
    assert report[8]["errors"] == ["Nieznana wartość „doktorat” w kolumnie „Wykształcenie”."]
    assert report[9]["errors"] == [
        "Data przystąpienia 01.09.2020 jest poza okresem projektu "
        f"„{world['project'].title}” (01.06.2016 – 31.05.2019)."
    ]
    assert report[10]["errors"] == ["Ta sama osoba co w wierszu 3."]
    assert report[11]["changes"][0] == "kod pocztowy"
    assert report[11]["participant"] == world["known"].pk
    assert report[13]["errors"] == [
        "W rejestrze są osoby (2) o imieniu i nazwisku Jan Bliźniak, urodzone 05.05.1970: "
        "podaj PESEL, aby wskazać właściwą (nic nie jest łączone na domysł)."
    ]
    assert report[4]["warnings"] == []  # a new person, nobody matched by name
    assert "01.09.2016" in report[12]["warnings"][0]


def test_apply_then_again_changes_nothing_the_second_time(world):
    manager, project = world["manager"], world["project"]
    batch = import_check_save(batch=batch_for(manager, workbook(), project), user=manager)
    batch = import_apply(batch=batch, user=manager)
    anna = Participant.objects.get(pesel=NEW_PESEL)
    assert (anna.first_name, anna.birth_date, anna.sex, anna.education) == (
        "Anna",
        date(1980, 5, 17),
        "F",
        "isced1",
    )
    assert anna.registered_by == manager
    maria = Participant.objects.get(last_name="Zielińska")
    assert (maria.pesel, maria.birth_date, maria.sex) == ("", date(1990, 1, 2), "F")
    world["known"].refresh_from_db()
    assert world["known"].postal_code == "34-200"
    assert Enrolment.objects.filter(project=project).count() == 4  # 2 new, known, steady
    assert batch.rows == [] and all(r["name"] == "" for r in batch.report)

    def state():
        return {
            model._meta.label: model._default_manager.count()
            for model in apps.get_app_config("participants").get_models()
            if model not in (ImportBatch,)
        } | {"people": list(Participant.objects.order_by("pk").values())}

    before = state()
    again = import_check_save(batch=batch_for(manager, workbook(), project), user=manager)
    assert again.summary["create"] == again.summary["update"] == 0
    assert import_apply(batch=again, user=manager).changes.count() == 0
    assert state() == before


def _snapshot():
    data = {}
    for model in apps.get_app_config("participants").get_models():
        if model in (ImportBatch,) or model._meta.label == "participants.ImportChange":
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in ("updated_at", "version")
        ]
        data[model._meta.label] = sorted(
            tuple(str(v) for v in row) for row in model._default_manager.values_list(*fields)
        )
    data["groups"] = sorted(
        Participant.groups.through.objects.values_list("participant_id", "exclusiongroup_id")
    )
    return data


def test_undo_restores_the_database_exactly(world):
    manager, project = world["manager"], world["project"]
    before = _snapshot()
    batch = import_check_save(batch=batch_for(manager, workbook(), project), user=manager)
    batch = import_apply(batch=batch, user=manager)
    assert _snapshot() != before
    import_undo(batch=batch, user=manager)
    assert _snapshot() == before
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE


def test_undo_is_refused_once_a_record_changed_since(world):
    from django.core.exceptions import ValidationError

    from participants.services.people import participant_update

    manager, project = world["manager"], world["project"]
    batch = import_check_save(batch=batch_for(manager, workbook(), project), user=manager)
    batch = import_apply(batch=batch, user=manager)
    anna = Participant.objects.get(pesel=NEW_PESEL)
    participant_update(anna, editor=manager, phone="600100200")
    with pytest.raises(ValidationError) as refused:
        import_undo(batch=batch, user=manager)
    assert any("Anna Nowak" in m for m in refused.value.messages)
    assert Participant.objects.filter(pesel=NEW_PESEL).exists()  # nothing undone


def test_a_caseworkers_import_cannot_touch_a_person_out_of_reach(world):
    project = world["project"]
    caseworker = UserFactory(username="ewa", role=roles.CASEWORKER)
    ProjectStaffFactory(project=project, staff_member=StaffMemberFactory(user=caseworker))
    hidden = ParticipantFactory(first_name="Ukryta", last_name="Osoba", postal_code="34-123")
    data = [["Osoba", "Ukryta", hidden.pesel, "", "", "00-950", "", "", "", "01.09.2017"]]
    batch = batch_for(caseworker, workbook(data), project)
    batch = import_check_save(batch=batch, user=caseworker)
    assert batch.report[0]["action"] == "error"
    assert batch.report[0]["errors"] == [
        "Ta osoba jest już w rejestrze, ale nie masz do niej dostępu: poproś kierownika o "
        "zaimportowanie tego wiersza."
    ]
    import_apply(batch=batch, user=caseworker)
    hidden.refresh_from_db()
    assert hidden.postal_code == "34-123"
    assert not Enrolment.objects.filter(participant=hidden).exists()
    # ... and may import only into his or her own projects.
    other = ProjectFactory(start_date=date(2016, 6, 1), end_date=date(2019, 5, 31))
    new = [["Nowa", "Ola", NEW_PESEL, "", "", "", "", "", "", "01.09.2017"]]
    batch = import_check_save(batch=batch_for(caseworker, workbook(new), other), user=caseworker)
    assert batch.report[0]["action"] == "error"


def _wizard(client, content: bytes, project) -> ImportBatch:
    upload = io.BytesIO(content)
    upload.name = "lista.xlsx"
    response = client.post(reverse("participants:import_list"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.latest("pk")
    page = client.get(reverse("participants:import_mapping", args=[batch.pk]))
    assert page.status_code == 200
    post = {f"column_{c}": key for c, key in batch.mapping.items()}
    post.update(project=project.pk, legal_basis="law", legal_basis_date="2017-09-01")
    response = client.post(reverse("participants:import_mapping", args=[batch.pk]), post)
    assert response.status_code == 302, response.content.decode()[:3000]
    batch.refresh_from_db()
    form = ImportValuesForm(suggested=suggest_values(batch, {}))
    values = {name: form.fields[name].initial for name in form.fields}
    response = client.post(reverse("participants:import_values", args=[batch.pk]), values)
    assert response.status_code == 302
    assert response.url == reverse("participants:import_report", args=[batch.pk])
    batch.refresh_from_db()
    return batch


def test_the_wizard_end_to_end_and_the_layout_is_reused(world, client):
    client.force_login(world["manager"])
    batch = _wizard(client, workbook(), world["project"])
    assert batch.status == ImportBatch.Status.CHECKED
    page = client.get(reverse("participants:import_report", args=[batch.pk])).content.decode()
    assert "Zapisz 3 wiersze" in page and "Nowak" in page
    response = client.post(reverse("participants:import_apply", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
    assert Participant.objects.filter(pesel=NEW_PESEL).exists()
    # The next file of the same layout starts with the columns and values chosen.
    layout = ImportLayout.objects.get()
    assert layout.mapping == batch.mapping
    upload = io.BytesIO(workbook())
    upload.name = "druga.xlsx"
    client.post(reverse("participants:import_list"), {"file": upload})
    second = ImportBatch.objects.latest("pk")
    assert second.layout == layout and second.mapping == batch.mapping
    response = client.post(reverse("participants:import_undo", args=[batch.pk]))
    assert response.status_code == 302
    assert not Participant.objects.filter(pesel=NEW_PESEL).exists()


def test_csv_with_semicolons_bom_and_windows_1250(db):
    text = "Nazwisko;Imię;PESEL;Data urodzenia\nŻak;Łucja;;01.02.1990\n"
    for content in (("\ufeff" + text).encode("utf-8"), text.encode("cp1250")):
        table = read_table("lista.csv", content)
        assert table.headers == ["Nazwisko", "Imię", "PESEL", "Data urodzenia"]
        assert table.rows == [["Żak", "Łucja", "", "01.02.1990"]]
    table = read_table("a.csv", b"Nazwisko,Imi\xc4\x99\nNowak,Jan\n")
    assert table.rows == [["Nowak", "Jan"]]


@pytest.mark.parametrize(
    "name",
    [
        "import_mapping",
        "import_values",
        "import_report",
        "import_apply",
        "import_undo",
        "import_discard",
    ],
)
def test_a_batch_is_its_owners_only(world, name):
    batch = batch_for(world["manager"], workbook(), world["project"])
    other_manager = https_client()
    other_manager.force_login(UserFactory(username="inny", role=roles.MANAGER))
    nobody = https_client()
    nobody.force_login(UserFactory(username="bez-roli"))
    url = reverse(f"participants:{name}", args=[batch.pk])
    method = "post" if name in ("import_apply", "import_undo", "import_discard") else "get"
    assert getattr(other_manager, method)(url).status_code == 404
    assert getattr(nobody, method)(url).status_code == 403
    assert getattr(https_client(), method)(url).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UPLOADED


def test_the_start_page_refuses_users_without_the_permission(world):
    nobody = https_client()
    nobody.force_login(UserFactory(username="bez-roli"))
    assert nobody.get(reverse("participants:import_list")).status_code == 403


def test_anonymisation_deletes_the_imports_before_images(world):
    from participants.models import ImportChange
    from participants.services.anonymise import participant_anonymise

    manager, project = world["manager"], world["project"]
    batch = import_check_save(batch=batch_for(manager, workbook(), project), user=manager)
    import_apply(batch=batch, user=manager)
    known = world["known"]
    assert ImportChange.objects.filter(participant=known, before__postal_code="34-123").exists()
    participant_anonymise(known)
    assert not ImportChange.objects.filter(participant=known).exists()


OLENA = pesel_make(date(1988, 4, 4), True, 77)


def test_the_eu_export_is_read_back_with_its_wording(world):
    """A file in the EU monitoring export's layout (reports/eu_monitoring.py COLUMNS, a
    header renamed by the administrator included) maps its columns and its values."""
    from reports.eu_monitoring import COLUMNS, column
    from reports.models import EuColumnSetting

    EuColumnSetting.objects.create(key="county", header="Powiat zamieszkania")
    headers = [c.header if c.key != "county" else "Powiat zamieszkania" for c in COLUMNS]
    mapping = {headers[int(c)]: key for c, key in suggest_mapping(headers).items()}
    assert mapping["Numer projektu"] == "enrolment.project"
    assert mapping["PESEL"] == "participant.pesel"
    assert mapping["Powiat zamieszkania"] == "participant.county"
    assert mapping[column("degurba").header] == "participant.degurba"
    assert mapping[column("minority").header] == "participant.minority"
    assert mapping[column("start_date").header] == "enrolment.start_date"
    assert mapping[column("labour_status").header] == "enrolment.labour_status_at_start"
    assert "Wiek w chwili przystąpienia do projektu" not in mapping  # computed, not imported
    row = [""] * len(headers)
    values = {
        "pesel": OLENA,
        "first_name": "Olena",
        "last_name": "Kowalenko",
        "sex": "Kobieta",
        "citizenship": "Brak polskiego obywatelstwa lub UE",
        "education": "Ponadgimnazjalne (ISCED 3) lub policealne (ISCED 4)",
        "voivodeship": "małopolskie",
        "degurba": "3",
        "labour_status": "Osoba bierna zawodowo",
        "foreign_origin": "Tak",
        "minority": "Odmowa podania informacji",
        "project_number": world["project"].number,
        "start_date": "01.09.2017",
    }
    for key, value in values.items():
        row[[c.key for c in COLUMNS].index(key)] = value
    row[headers.index("Data rozpoczęcia udziału w projekcie")] = "01.09.2017"
    table_rows = [row]
    batch = ImportBatch.objects.create(
        kind="participants",
        owner=world["manager"],
        file_name="eu.xlsx",
        headers=headers,
        rows=table_rows,
        mapping=suggest_mapping(headers),
        options={"legal_basis": "project", "legal_basis_date": "2017-09-01", "first_row": 2},
    )
    suggested = suggest_values(batch, {})
    assert suggested["participant.citizenship"] == {"Brak polskiego obywatelstwa lub UE": "non_eu"}
    assert suggested["participant.education"] == {
        "Ponadgimnazjalne (ISCED 3) lub policealne (ISCED 4)": "isced3"
    }
    assert suggested["participant.voivodeship"] == {"małopolskie": "12"}
    assert suggested["enrolment.labour_status_at_start"] == {"Osoba bierna zawodowo": "inactive"}
    assert suggested["participant.minority"] == {"Odmowa podania informacji": "refused"}
    assert suggested["enrolment.project"] == {world["project"].number: str(world["project"].pk)}
    batch.value_mapping = suggested
    batch.save()
    batch = import_apply(
        batch=import_check_save(batch=batch, user=world["manager"]), user=world["manager"]
    )
    olena = Participant.objects.get(last_name="Kowalenko")
    assert (olena.pesel, olena.citizenship, olena.voivodeship, olena.degurba) == (
        OLENA,
        "non_eu",
        "12",
        "3",
    )
    assert (olena.foreign_origin, olena.minority, olena.legal_basis) == (
        "yes",
        "refused",
        "project",
    )
    enrolment = olena.enrolments.get()
    assert (enrolment.project, enrolment.labour_status_at_start) == (world["project"], "inactive")


def test_exclusion_groups_are_added_and_sensitive_ones_need_the_permission(world):
    from participants.models import ExclusionGroup

    project = world["project"]
    caseworker = UserFactory(username="ewa", role=roles.CASEWORKER)
    ProjectStaffFactory(project=project, staff_member=StaffMemberFactory(user=caseworker))
    poverty = ExclusionGroup.objects.get(name="osoby w ubóstwie")
    single = ExclusionGroup.objects.get(name="samotni rodzice")
    addicted = ExclusionGroup.objects.get(name__startswith="osoby uzależnione od alkoholu")
    headers = ["Nazwisko", "Imię", "PESEL", "Grupy zagrożone wykluczeniem", "Data przystąpienia"]
    data = [
        [
            "Nowak",
            "Anna",
            NEW_PESEL,
            f"{poverty.name}; {single.name}, {addicted.name}",
            "01.09.2017",
        ]
    ]
    batch = batch_for(caseworker, workbook(data, headers), project)
    assert batch.mapping["3"] == "participant.groups"
    assert batch.value_mapping["participant.groups"] == {
        poverty.name: str(poverty.pk),
        single.name: str(single.pk),
        addicted.name: str(addicted.pk),
    }
    # This caseworker may not see sensitive data (a centre's choice in admin).
    from django.contrib.auth.models import Group, Permission

    Group.objects.get(name=roles.CASEWORKER).permissions.remove(
        Permission.objects.get(codename="view_sensitive_data")
    )
    caseworker = type(caseworker).objects.get(pk=caseworker.pk)  # permissions read again
    sensitive = caseworker.has_perm("participants.view_sensitive_data")
    assert not sensitive
    batch = import_apply(batch=import_check_save(batch=batch, user=caseworker), user=caseworker)
    anna = Participant.objects.get(pesel=NEW_PESEL)
    expected = {poverty, single} | ({addicted} if sensitive else set())
    assert set(anna.groups.all()) == expected
    if not sensitive:
        assert batch.summary["warning"] == 1
    # A second file adds a group and takes none away.
    again = [["Nowak", "Anna", NEW_PESEL, "repatrianci", "01.09.2017"]]
    batch = batch_for(caseworker, workbook(again, headers), project)
    import_apply(batch=import_check_save(batch=batch, user=caseworker), user=caseworker)
    assert set(anna.groups.all()) == expected | {ExclusionGroup.objects.get(name="repatrianci")}


def test_the_wizards_pages_take_a_bounded_number_of_queries(
    world, client, django_assert_max_num_queries
):
    client.force_login(world["manager"])
    batch = batch_for(world["manager"], workbook(rows() * 20), world["project"])
    batch = import_check_save(batch=batch, user=world["manager"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("participants:import_report", args=[batch.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("participants:import_mapping", args=[batch.pk])).status_code == 200
        )
    batch.status = ImportBatch.Status.UPLOADED
    batch.save()
    with django_assert_max_num_queries(25):
        assert client.get(reverse("participants:import_values", args=[batch.pk])).status_code == 200
