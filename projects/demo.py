"""Demo projects shaped like the source documents, with an invented centre and staff.

Figures of the Krzeszowice and Kalisz projects (values, 2017-style spending split)
are reused on purpose: they are public amounts, not people.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from kis.lib.images import stand_in_logo_strip
from kis.lib.services import keyed_instance
from projects.models import (
    BudgetCategory,
    Expenditure,
    FundingProgramme,
    Indicator,
    Organisation,
    Project,
    ProjectStaff,
    StaffMember,
)
from projects.services import (
    budget_line_set,
    expenditure_save,
    indicator_save,
    organisation_save,
    programme_save,
    project_save,
    project_staff_save,
    staff_member_save,
)

D = Decimal


def _programmes() -> dict[str, FundingProgramme]:
    rows = [
        (
            "RPO WM",
            "Regionalny Program Operacyjny Województwa Małopolskiego na lata 2014-2020",
            FundingProgramme.Kind.EU,
            "9 Region spójny społecznie",
            "9.1 Aktywna integracja",
            "9.1.1 Aktywizacja społeczno-zawodowa",
            None,
            "Zarząd Województwa Małopolskiego",
        ),
        (
            "FERS",
            "Fundusze Europejskie dla Rozwoju Społecznego 2021-2027",
            FundingProgramme.Kind.EU,
            "",
            "",
            "",
            None,
            "Ministerstwo Funduszy i Polityki Regionalnej",
        ),
        (
            "MRiPS OWdA",
            "Od wykluczenia do aktywizacji. Program pomocy osobom wykluczonym "
            "społecznie i zawodowo",
            FundingProgramme.Kind.STATE,
            "",
            "",
            "",
            D("90"),
            "Ministerstwo Rodziny i Polityki Społecznej",
        ),
        (
            "PFRON",
            "Państwowy Fundusz Rehabilitacji Osób Niepełnosprawnych",
            FundingProgramme.Kind.PFRON,
            "",
            "",
            "",
            D("60"),
            "PFRON",
        ),
        ("Gmina", "Środki własne gminy", FundingProgramme.Kind.MUNICIPALITY, "", "", "", None, ""),
    ]
    programmes = {}
    for short, name, kind, priority, measure, action, rate, institution in rows:
        programmes[short] = programme_save(
            programme=keyed_instance(
                FundingProgramme,
                {"short_name": short},
                dict(
                    name=name,
                    kind=kind,
                    priority=priority,
                    measure=measure,
                    action=action,
                    max_cofinancing_rate=rate,
                    institution=institution,
                ),
            )
        )
    # EU-funded projects carry the programme's logo strip on their papers. The demo's is
    # a drawing in its place (the real one comes from the managing authority).
    for short in ("RPO WM", "FERS"):
        programme = programmes[short]
        if not programme.logo_strip:
            # A file assigned to the field is stored when the service saves the record.
            name = f"demo-{short.lower().replace(' ', '-')}.png"
            programme.logo_strip = ContentFile(stand_in_logo_strip(), name=name)
            programmes[short] = programme_save(programme=programme)
    return programmes


def _staff() -> dict[str, StaffMember]:
    rows = [
        (
            "Barbara",
            "Wilczyńska",
            StaffMember.Role.MANAGER,
            StaffMember.Employment.EMPLOYMENT_CONTRACT,
            D("40"),
        ),
        (
            "Krzysztof",
            "Lisowski",
            StaffMember.Role.PSYCHOLOGIST,
            StaffMember.Employment.MANDATE,
            D("10"),
        ),
        (
            "Marta",
            "Kołodziejczyk",
            StaffMember.Role.SOCIAL_WORKER,
            StaffMember.Employment.EMPLOYMENT_CONTRACT,
            D("40"),
        ),
        (
            "Paweł",
            "Sadowski",
            StaffMember.Role.CAREER_ADVISOR,
            StaffMember.Employment.MANDATE,
            D("12"),
        ),
        (
            "Irena",
            "Gołębiowska",
            StaffMember.Role.LAWYER,
            StaffMember.Employment.SELF_EMPLOYED,
            D("2"),
        ),
        ("Łukasz", "Żmuda", StaffMember.Role.TRAINER, StaffMember.Employment.SPECIFIC_WORK, D("8")),
        (
            "Hanna",
            "Pietrasik",
            StaffMember.Role.VOLUNTEER,
            StaffMember.Employment.VOLUNTEER,
            D("4"),
        ),
    ]
    # The demo accounts of the manager and the caseworker are these staff members.
    accounts = {StaffMember.Role.MANAGER: "kierownik", StaffMember.Role.SOCIAL_WORKER: "pracownik"}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=accounts.values())}
    staff: dict[str, StaffMember] = {}
    men = {"Krzysztof", "Paweł", "Łukasz"}
    for first, last, role, employment, hours in rows:
        staff[role] = staff_member_save(
            member=keyed_instance(
                StaffMember,
                {"first_name": first, "last_name": last},
                dict(
                    sex=StaffMember.Sex.MALE if first in men else StaffMember.Sex.FEMALE,
                    role=role,
                    employment_type=employment,
                    hours_per_week=hours,
                    user=users.get(accounts.get(role, "")),
                ),
            )
        )
    return staff


def _project(number: str, title: str, **fields) -> Project:
    lookup = {"number": number} if number else {"title": title}
    return project_save(project=keyed_instance(Project, lookup, {"title": title, **fields}))


def _budget(project: Project, plan: dict[int, list[str]], spending: dict[int, list[tuple]]):
    """plan: {year: [amount per category in order]}; spending: {year: [(category index,
    month, amount, source)]}. Expenditures are keyed by their document number."""
    categories = list(BudgetCategory.objects.order_by("order"))
    for year, amounts in plan.items():
        for category, amount in zip(categories, amounts, strict=False):
            if D(amount):
                budget_line_set(
                    project=project, category=category, year=year, planned_amount=D(amount)
                )
    for year, rows in spending.items():
        for n, (index, month, amount, source) in enumerate(rows, start=1):
            expenditure_save(
                expenditure=keyed_instance(
                    Expenditure,
                    {"project": project, "document_number": f"{project.pk}/{year}/{n:03d}"},
                    dict(
                        category=categories[index],
                        date=date(year, month, 15),
                        amount=D(amount),
                        source=source,
                    ),
                )
            )


@transaction.atomic
def demo_projects_create() -> list[Project]:
    organisation_save(
        organisation=keyed_instance(
            Organisation,
            {"id": 1},
            dict(
                name="Miejsko-Gminny Ośrodek Pomocy Społecznej w Lipnicy Dolnej",
                short_name="MGOPS",
                street="ul. Kasztanowa 12",
                postal_code="34-123",
                city="Lipnica Dolna",
                phone="33 845 12 00",
                email="kis@mgops-lipnica.example.pl",
                regon="072228543",
                club_name="Klub Integracji Społecznej „Razem”",
                club_manager="Barbara Wilczyńska",
                director="Janina Olszewska",
                # An invented municipality (no real county has the number 98).
                voivodeship="12",
                county="lipnicki",
                municipality="Lipnica Dolna",
                municipality_code="1298023",
                degurba="2",
                dpo_name="Tomasz Nowicki",
                dpo_email="iod@mgops-lipnica.example.pl",
            ),
        )
    )
    programmes = _programmes()
    staff = _staff()
    eu, EU, MUN, STATE = (
        programmes["RPO WM"],
        Expenditure.Source.EU,
        Expenditure.Source.MUNICIPALITY,
        Expenditure.Source.STATE,
    )

    rpo = _project(
        "RPMP.09.01.01-12-0107/24",
        "Aktywność daje możliwość – edycja II",
        programme=eu,
        funding_decision="Uchwała Nr 812/24 Zarządu Województwa Małopolskiego",
        decision_date=date(2024, 5, 21),
        start_date=date(2024, 6, 1),
        end_date=date(2027, 5, 31),
        total_value=D("899346.16"),
        cofinancing=D("764444.23"),
        own_contribution=D("134901.93"),
        target_participants=60,
        status=Project.Status.ACTIVE,
        target_groups="Osoby i rodziny zagrożone ubóstwem lub wykluczeniem społecznym, w tym "
        "doświadczające wielokrotnego wykluczenia, oraz ich otoczenie, zamieszkałe na terenie gminy.",
        partners="Powiatowy Urząd Pracy w Lipnicy",
    )
    _budget(
        rpo,
        plan={
            2024: ["52000.00", "30000.00", "15000.00", "12000.00", "18000.00", "8000.00"],
            2025: ["110000.00", "62000.00", "30000.00", "35000.00", "36000.00", "17000.00"],
            2026: ["120000.00", "64000.00", "32000.00", "36000.00", "36000.00", "18000.00"],
            2027: ["82000.00", "30000.00", "15000.00", "14000.00", "18000.00", "9346.16"],
        },
        spending={
            2024: [
                (0, 9, "21500.00", EU),
                (1, 10, "14250.40", EU),
                (4, 11, "9000.00", EU),
                (5, 12, "3120.55", MUN),
                (2, 12, "6890.00", EU),
            ],
            2025: [
                (0, 3, "48211.20", EU),
                (0, 9, "55870.15", EU),
                (1, 6, "60120.00", EU),
                (2, 7, "29171.62", EU),
                (3, 10, "31329.09", MUN),
                (4, 12, "36000.00", EU),
                (5, 12, "14270.75", MUN),
            ],
            2026: [
                (0, 4, "57200.00", EU),
                (1, 5, "31000.00", EU),
                (2, 6, "12480.00", EU),
                (3, 9, "15600.00", MUN),
                (4, 10, "30000.00", EU),
                (5, 10, "9990.00", MUN),
            ],
        },
    )
    ministry = _project(
        "OWdA/2025/17",
        "Aktywni w KIS",
        programme=programmes["MRiPS OWdA"],
        funding_decision="Umowa dotacji nr DPS-IV.8145.17.2025",
        decision_date=date(2025, 3, 12),
        start_date=date(2025, 4, 1),
        end_date=date(2025, 12, 31),
        total_value=D("60365.83"),
        cofinancing=D("54320.00"),
        own_contribution=D("6045.83"),
        target_participants=24,
        status=Project.Status.SETTLED,
        # A ministry grant asks for no follow-ups after leaving; the EU project does.
        follows_up=False,
        target_groups="Osoby bezrobotne, osoby uzależnione i współuzależnione, repatrianci.",
    )
    _budget(
        ministry,
        plan={2025: ["38000.00", "6000.00", "9000.00", "0", "4365.83", "3000.00"]},
        spending={
            2025: [
                (0, 6, "37125.40", STATE),
                (1, 9, "6000.00", STATE),
                (2, 10, "9180.00", STATE),
                (4, 12, "4365.83", MUN),
                (5, 12, "2890.10", MUN),
            ]
        },
    )
    club = _project(
        "",
        "Program reintegracji społecznej i zawodowej KIS 2024-2027",
        programme=programmes["Gmina"],
        is_club_programme=True,
        funding_decision="Uchwała Nr XII/98/2023 Rady Miejskiej w Lipnicy Dolnej",
        start_date=date(2024, 1, 1),
        end_date=date(2027, 12, 31),
        total_value=D("240000.00"),
        cofinancing=D("0.00"),
        own_contribution=D("240000.00"),
        status=Project.Status.ACTIVE,
        follows_up=False,
        target_groups="Klienci ośrodka zagrożeni wykluczeniem społecznym (art. 1 ust. 2 ustawy "
        "o zatrudnieniu socjalnym).",
    )
    _budget(
        club,
        plan={
            year: ["20000.00", "25000.00", "8000.00", "0", "0", "7000.00"]
            for year in (2024, 2025, 2026, 2027)
        },
        spending={
            2025: [
                (0, 5, "18400.00", MUN),
                (1, 11, "24950.00", MUN),
                (2, 12, "8420.00", MUN),
                (5, 12, "6100.00", MUN),
            ],
            2026: [(0, 5, "12100.00", MUN), (1, 10, "19800.00", MUN), (2, 6, "5400.00", MUN)],
        },
    )

    indicators = [
        (
            "Liczba uczestników projektu",
            Indicator.Kind.OUTPUT,
            Indicator.Unit.PERSONS,
            "60",
            "36",
            "24",
            "listy uczestników",
        ),
        (
            "Uczestnicy z Indywidualnym Planem Działania",
            Indicator.Kind.OUTPUT,
            Indicator.Unit.PERCENT,
            "100",
            None,
            None,
            "liczba sporządzonych planów",
        ),
        (
            "Uczestnicy, którzy ukończyli zajęcia",
            Indicator.Kind.RESULT,
            Indicator.Unit.PERCENT,
            "90",
            None,
            None,
            "kopie zaświadczeń",
        ),
        (
            "Osoby, które podjęły pracę po opuszczeniu projektu",
            Indicator.Kind.RESULT,
            Indicator.Unit.PERSONS,
            "12",
            "7",
            "5",
            "umowy o pracę",
        ),
    ]
    measures = [
        Indicator.Measure.PARTICIPANTS,
        Indicator.Measure.ACTION_PLAN,
        Indicator.Measure.COMPLETED,
        Indicator.Measure.JOBS,
    ]
    for order, (name, kind, unit, total, women, men, how) in enumerate(indicators, start=1):
        indicator_save(
            indicator=keyed_instance(
                Indicator,
                {"project": rpo, "name": name},
                dict(
                    measure=measures[order - 1],
                    kind=kind,
                    unit=unit,
                    target_total=D(total),
                    order=order,
                    target_women=D(women) if women else None,
                    target_men=D(men) if men else None,
                    measurement=how,
                ),
            )
        )
    for project, roles in (
        (
            rpo,
            [
                StaffMember.Role.MANAGER,
                StaffMember.Role.PSYCHOLOGIST,
                StaffMember.Role.SOCIAL_WORKER,
                StaffMember.Role.CAREER_ADVISOR,
                StaffMember.Role.TRAINER,
            ],
        ),
        (
            ministry,
            [StaffMember.Role.MANAGER, StaffMember.Role.CAREER_ADVISOR, StaffMember.Role.LAWYER],
        ),
        (
            club,
            [StaffMember.Role.MANAGER, StaffMember.Role.SOCIAL_WORKER, StaffMember.Role.VOLUNTEER],
        ),
    ):
        for role in roles:
            assignment = keyed_instance(
                ProjectStaff, {"project": project, "staff_member": staff[role]}, {}
            )
            if assignment.pk is None:
                project_staff_save(assignment=assignment)
    return [rpo, ministry, club]
