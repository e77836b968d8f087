"""Issue 17, point 12: the header's search, the card's attendance flag, the roll call's
tap targets, one name for community events, the favicon."""

import re
from datetime import date, time
from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from participants.models import Attendance, Session
from participants.tests.factories import ParticipantFactory
from participants.tests.support_factories import ActivityFactory, assign

pytestmark = pytest.mark.django_db


def test_the_header_has_a_search_box_on_every_page(caseworker_client, no_role_user, client):
    for url in (reverse("dashboard"), reverse("participants:activity_list")):
        html = caseworker_client.get(url).content.decode()
        assert 'role="search"' in html and f'action="{reverse("participants:list")}"' in html
        assert 'id="header-search"' in html and 'name="q"' in html
    client.force_login(no_role_user)
    assert 'id="header-search"' not in client.get(reverse("dashboard")).content.decode()


def test_the_search_finds_only_people_the_user_may_see(caseworker_client, caseworker):
    from participants.tests.factories import EnrolmentFactory
    from projects.tests.factories import ProjectStaffFactory, StaffMemberFactory

    mine = EnrolmentFactory(participant=ParticipantFactory(last_name="Zawadzka")).project
    ProjectStaffFactory(project=mine, staff_member=StaffMemberFactory(user=caseworker))
    EnrolmentFactory(participant=ParticipantFactory(last_name="Zawadzki"))  # another project
    html = caseworker_client.get(reverse("participants:list"), {"q": "zawadz"}).content.decode()
    assert "Zawadzka" in html and "Zawadzki" not in html


def test_the_card_flags_attendance_below_the_threshold(caseworker_client, caseworkers_see_all):
    activity = ActivityFactory(start_date=date(2017, 1, 2), end_date=date(2017, 6, 30))
    low, good = assign(activity).participant, assign(activity).participant
    for day in range(1, 6):
        session = Session.objects.create(
            activity=activity,
            date=date(2017, 3, day),
            start_time=time(10),
            duration_hours=Decimal("2"),
        )
        Attendance.objects.create(session=session, participant=good, status="present")
        # 3 of 5 sessions: 60 % < 80 %
        Attendance.objects.create(
            session=session, participant=low, status="present" if day <= 3 else "absent"
        )
    card = caseworker_client.get(reverse("participants:detail", args=[low.pk])).content.decode()
    assert "60\xa0%" in card and "poniżej 80\xa0%" in card
    card = caseworker_client.get(reverse("participants:detail", args=[good.pk])).content.decode()
    assert "100\xa0%" in card and "poniżej 80" not in card


def test_the_whole_roll_call_cell_is_the_label(caseworker_client, caseworkers_see_all):
    activity = ActivityFactory()
    person = assign(activity).participant
    session = Session.objects.create(
        activity=activity, date=date(2017, 3, 7), start_time=time(10), duration_hours=Decimal(2)
    )
    html = caseworker_client.get(reverse("participants:roll_call", args=[session.pk])).content
    html = html.decode()
    # The input inside its label, which fills the cell (kis.css: 44 px at least).
    assert re.search(
        rf'<td class="text-center mark-cell">\s*(\{{#.*?#\}})?\s*<label class="mark-target" '
        rf'for="mark-{person.pk}-present">\s*<input[^>]*id="mark-{person.pk}-present"',
        html,
    )


def test_community_events_have_one_name(caseworker_client):
    html = caseworker_client.get(reverse("dashboard")).content.decode()
    assert "Działania środowiskowe" in html and "Wydarzenia" not in html
    page = caseworker_client.get(reverse("participants:event_list")).content.decode()
    assert "Działania środowiskowe" in page and "Wydarzenia" not in page


def test_the_favicon_is_served_from_static(caseworker_client):
    assert finders.find("img/favicon.svg")
    html = caseworker_client.get(reverse("dashboard")).content.decode()
    assert 'rel="icon"' in html and "img/favicon." in html
