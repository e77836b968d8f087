"""A small club year 2014, shaped like the Brzeszcze summary, with known answers.

People (sex, what happened):
- Anna (F): club programme and POKL project from 01.02.2014; left her two children at
  the care point on 05.05.2014; came to the picnic.
- Bartek (M): POKL since 2013, dropped out 01.03.2014 (ciąg alkoholowy).
- Celina (F): POKL in 2013, dropped out 15.12.2013: not in 2014's figures.
- Dorota (F): POKL from 01.03.2014, left for a 3-month job 01.05.2014, returned 01.08.2014.
- Edward (M): POKL from 01.04.2014, left for a longer job 01.06.2014.
- Filip (M): social contract KS/1/2014 signed 10.01.2014, in force all year.
- Grażyna (F, born 1960, single parent): socially useful work 03–09.2014.
- Halina (F): only came to the picnic.
- Ignacy (M): internship 2014.
- Karol (M): club programme in 2013, completed 20.12.2013: not in 2014.
Expected in 2014: served 8 (4 women); long-term 2 (1 woman); 1 contract concluded;
POKL engaged 4 = 1 at the start + 3 joined, 1 dropped out, 2 left for a job,
1 returned, 2 continue; jobs 2 (1 woman, 1 short, 1 longer).
"""

import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from participants.models import (
    Activity,
    ActivityParticipant,
    Attendance,
    CommunityEvent,
    Employment,
    Enrolment,
    EnrolmentEvent,
    ExclusionGroup,
    Participant,
    Placement,
    Session,
    ShortContact,
    SocialContract,
    SupportForm,
)
from participants.tests.factories import ParticipantFactory, reason
from projects.models import BudgetCategory, BudgetLine, Expenditure, Project
from projects.tests.factories import FundingProgrammeFactory, StaffMemberFactory

BRZESZCZE_SPENT = ["53074.15", "46823.15", "29171.62", "31329.09", "29672.55", "17139.05"]
BRZESZCZE_PLANNED = ["58000.00", "52000.00", "33000.00", "36000.00", "33895.59", "19000.00"]


def unlinked(html: str) -> str:
    """A report page with its figures as plain numbers (each is a link to its list)."""
    return re.sub(r'<a class="figure"[^>]*>(.*?)</a>', r"\1", html)


@dataclass
class Year2014:
    club: Project
    pokl: Project
    people: dict[str, Participant]


def enrol(person, project, start, *events):
    enrolment = Enrolment.objects.create(
        participant=person, project=project, start_date=start, status_date=start
    )
    EnrolmentEvent.objects.create(enrolment=enrolment, kind="started", date=start)
    status = "active"
    for kind, day, *why in events:
        EnrolmentEvent.objects.create(
            enrolment=enrolment, kind=kind, date=day, reason=reason(why[0]) if why else None
        )
        status = {"returned": "active"}.get(kind, kind)
        enrolment.status_date = day
    enrolment.status = status
    enrolment.end_date = None if status == "active" else enrolment.status_date
    enrolment.save()
    return enrolment


def build_2014() -> Year2014:
    club = Project.objects.create(
        title="Program KIS 2014-2017",
        is_club_programme=True,
        start_date=date(2013, 1, 1),
        end_date=date(2017, 12, 31),
        total_value=Decimal("100000"),
        own_contribution=Decimal("100000"),
    )
    pokl = Project.objects.create(
        title="Od mojej aktywności do aktywnej społeczności",
        number="POKL.07.01.01-12-001/13",
        programme=FundingProgrammeFactory(short_name="POKL"),
        start_date=date(2013, 7, 1),
        end_date=date(2015, 6, 30),
        total_value=Decimal("300000"),
        cofinancing=Decimal("255000"),
        own_contribution=Decimal("45000"),
    )
    names = {
        "Anna": ("F", date(1980, 1, 1)),
        "Bartek": ("M", date(1975, 1, 1)),
        "Celina": ("F", date(1985, 1, 1)),
        "Dorota": ("F", date(1990, 1, 1)),
        "Edward": ("M", date(1970, 1, 1)),
        "Filip": ("M", date(1982, 1, 1)),
        "Grażyna": ("F", date(1960, 5, 5)),
        "Halina": ("F", date(1966, 1, 1)),
        "Ignacy": ("M", date(1995, 1, 1)),
        "Karol": ("M", date(1978, 1, 1)),
    }
    people = {
        name: ParticipantFactory(
            first_name=name,
            last_name="Próbna" if sex == "F" else "Próbny",
            sex=sex,
            birth_date=born,
            pesel="",
        )
        for name, (sex, born) in names.items()
    }
    p = people
    p["Grażyna"].groups.add(ExclusionGroup.objects.get(code="single_parent"))
    enrol(p["Anna"], club, date(2014, 2, 1))
    enrol(p["Anna"], pokl, date(2014, 2, 1))
    enrol(p["Bartek"], pokl, date(2013, 9, 1), ("dropped_out", date(2014, 3, 1), "alcohol_relapse"))
    enrol(p["Celina"], pokl, date(2013, 10, 1), ("dropped_out", date(2013, 12, 15), "moved_away"))
    dorota = enrol(
        p["Dorota"],
        pokl,
        date(2014, 3, 1),
        ("left_for_job", date(2014, 5, 1)),
        ("returned", date(2014, 8, 1)),
    )
    edward = enrol(p["Edward"], pokl, date(2014, 4, 1), ("left_for_job", date(2014, 6, 1)))
    enrol(p["Karol"], club, date(2013, 1, 10), ("completed", date(2013, 12, 20)))
    Employment.objects.create(
        participant=p["Dorota"],
        enrolment=dorota,
        start_date=date(2014, 5, 1),
        end_date=date(2014, 7, 31),
        employer="Sklep",
        contract="employment",
    )
    Employment.objects.create(
        participant=p["Edward"],
        enrolment=edward,
        start_date=date(2014, 6, 1),
        employer="Zakład",
        contract="employment",
        is_long_term=True,
    )
    SocialContract.objects.create(
        number="KS/1/2014",
        participant=p["Filip"],
        signed_on=date(2014, 1, 10),
        start_date=date(2014, 1, 10),
        end_date=date(2014, 12, 31),
        goals="Praca",
        participant_obligations="Udział",
        centre_obligations="Wsparcie",
        caseworker=StaffMemberFactory(role="social_worker"),
    )
    Placement.objects.create(
        kind="psu",
        participant=p["Grażyna"],
        employer_name="Urząd Gminy",
        start_date=date(2014, 3, 1),
        end_date=date(2014, 9, 30),
        hours_per_month=Decimal("40"),
    )
    Placement.objects.create(
        kind="internship",
        participant=p["Ignacy"],
        employer_name="Piekarnia",
        start_date=date(2014, 4, 1),
        end_date=date(2014, 9, 30),
        hours_per_month=Decimal("160"),
        hiring_declared=True,
    )
    picnic = CommunityEvent.objects.create(
        name="Czerwiec Aktywnych Społeczności",
        date=date(2014, 6, 14),
        place="Brzeszcze",
        outside_count=120,
    )
    picnic.participants.add(p["Anna"], p["Halina"])
    old = CommunityEvent.objects.create(
        name="Mikołajki 2013", date=date(2013, 12, 6), place="Klub", outside_count=40
    )
    old.participants.add(p["Karol"])
    training = Activity.objects.create(
        project=pokl,
        support_form=SupportForm.objects.get(name="trening kompetencji społecznych"),
        name="Trening kompetencji społecznych",
        planned_hours=Decimal("24"),
        start_date=date(2013, 9, 1),
        end_date=date(2014, 12, 31),
    )
    for day in (date(2013, 11, 5), date(2014, 3, 4), date(2014, 3, 6)):
        Session.objects.create(
            activity=training, date=day, start_time=time(16), duration_hours=Decimal("3.5")
        )
    care = Activity.objects.create(
        project=club,
        support_form=SupportForm.objects.get(code="care_point"),
        name="Plastuś III",
        planned_hours=Decimal("100"),
        start_date=date(2014, 1, 1),
        end_date=date(2014, 12, 31),
    )
    ActivityParticipant.objects.create(activity=care, participant=p["Anna"])
    session = Session.objects.create(
        activity=care, date=date(2014, 5, 5), start_time=time(9), duration_hours=Decimal("4")
    )
    # Anna left her two children at the care point.
    Attendance.objects.create(
        session=session, participant=p["Anna"], status="present", dependants=2
    )
    categories = list(BudgetCategory.objects.order_by("order"))
    for category, planned, spent in zip(
        categories, BRZESZCZE_PLANNED, BRZESZCZE_SPENT, strict=True
    ):
        BudgetLine.objects.create(
            project=pokl, category=category, year=2014, planned_amount=Decimal(planned)
        )
        first = (Decimal(spent) / 3).quantize(Decimal("0.01"))
        Expenditure.objects.create(
            project=pokl, category=category, date=date(2014, 3, 10), amount=first, source="eu"
        )
        Expenditure.objects.create(
            project=pokl,
            category=category,
            date=date(2014, 11, 20),
            amount=Decimal(spent) - first,
            source="municipality",
        )
    Expenditure.objects.create(
        project=pokl,
        category=categories[0],
        date=date(2013, 12, 1),
        amount=Decimal("999.99"),
        source="eu",
    )  # another year
    return Year2014(club, pokl, people)


# --- one-off help (issue 14, point 4) -------------------------------------------------------


def add_short_contacts(year: Year2014) -> dict[str, Participant]:
    """Short contacts on top of the 2014 scenario, with what they must give:
    - Jolanta (F), never enrolled: individual counselling 12.02.2014 (1 h) and a
      consultation 20.11.2014 (1,5 h);
    - Leszek (M), never enrolled: information 03.03.2014 (0,5 h), recorded under POKL;
    - Monika (F), never enrolled: information 15.12.2013 (0,5 h): not in 2014;
    - Filip (M, the social contract): individual counselling 05.06.2014 (1 h).
    Expected in 2014: served 8 + Jolanta + Leszek = 10 (4 + 1 = 5 women); long-term
    still 2 (1 woman); POKL engaged still 4 (Leszek is not a participant); one-off help
    4 contacts, 3 people (1 woman), 4 h: counselling 2 contacts, 2 people, 2 h;
    consultation 1, 1, 1,5 h; information 1, 1, 0,5 h. As of 05.03.2014: served 5 + 2 = 7
    (4 women); one-off help 2 contacts (Jolanta's first, Leszek's), 2 people, 1,5 h.
    In the POKL project report: 1 contact, 1 person, 0,5 h, and still 4 participants
    up to 05.03.2014."""
    psychologist = StaffMemberFactory(role="psychologist")
    lawyer = StaffMemberFactory(role="lawyer")
    social_worker = StaffMemberFactory(role="social_worker")
    advisor = StaffMemberFactory(role="career_advisor")
    people = {
        name: ParticipantFactory(
            first_name=name, last_name="Doraźna" if sex == "F" else "Doraźny", sex=sex, pesel=""
        )
        for name, sex in (("Jolanta", "F"), ("Leszek", "M"), ("Monika", "F"))
    }
    Kind = ShortContact.Kind
    for person, day, kind, staff, hours, project in (
        (people["Jolanta"], date(2014, 2, 12), Kind.COUNSELLING, psychologist, "1", None),
        (people["Jolanta"], date(2014, 11, 20), Kind.CONSULTATION, lawyer, "1.5", None),
        (people["Leszek"], date(2014, 3, 3), Kind.INFORMATION, social_worker, "0.5", year.pokl),
        (people["Monika"], date(2013, 12, 15), Kind.INFORMATION, social_worker, "0.5", None),
        (year.people["Filip"], date(2014, 6, 5), Kind.COUNSELLING, advisor, "1", None),
    ):
        ShortContact.objects.create(
            participant=person,
            date=day,
            kind=kind,
            staff=staff,
            duration_hours=Decimal(hours),
            project=project,
        )
    return people


# --- the care point's dependants (issue 14, point 9) ------------------------------------


def add_care_point_sessions(year: Year2014) -> Activity:
    """More sessions of "Plastuś III" on top of Anna's 05.05.2014 (2 children, 4 h),
    with Dorota enrolled in the club's programme and assigned too:
    - 12.05.2014, 4 h: Anna 2 children, Dorota 1;
    - 19.05.2014, 4 h: Anna absent, Dorota 3 (her own and her sister's);
    - 26.05.2014, 3 h: no roll call taken (held: its day is past; nobody counted);
    - 15.12.2013 (another year: Anna, 1) and 05.01.2015 (planned).
    Expected in 2014: 4 sessions held, 15 h; 2 adults (Anna, Dorota); dependant-places
    2 + (2 + 1) + 3 = 8. As of 13.05.2014: 2 sessions (05.05, 12.05), 8 h, 2 adults,
    2 + 2 + 1 = 5 places."""
    care = Activity.objects.get(project=year.club, support_form__code="care_point")
    care.start_date = date(2013, 12, 1)
    care.end_date = date(2015, 1, 31)
    care.save()
    anna, dorota = year.people["Anna"], year.people["Dorota"]
    enrol(dorota, year.club, date(2014, 5, 1))
    ActivityParticipant.objects.create(activity=care, participant=dorota)
    for day, hours, marks in (
        (date(2013, 12, 15), "4", [(anna, "present", 1)]),
        (date(2014, 5, 12), "4", [(anna, "present", 2), (dorota, "present", 1)]),
        (date(2014, 5, 19), "4", [(anna, "absent", 0), (dorota, "present", 3)]),
        (date(2014, 5, 26), "3", []),
        (date(2015, 1, 5), "4", []),
    ):
        session = Session.objects.create(
            activity=care, date=day, start_time=time(9), duration_hours=Decimal(hours)
        )
        for person, status, dependants in marks:
            Attendance.objects.create(
                session=session, participant=person, status=status, dependants=dependants
            )
    return care
