"""A participant's status and history speak of him or her in the right gender."""

import re
from datetime import date

import pytest
from django.urls import reverse

from participants.models import EnrolmentEvent
from participants.tests.factories import EnrolmentFactory, ParticipantFactory

# About the feature, not who sees whom (record-level access: test_access.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("caseworkers_see_all")]


def _left_for_a_job(person):
    enrolment = EnrolmentFactory(participant=person)
    EnrolmentEvent.objects.create(enrolment=enrolment, kind="left_for_job", date=date(2017, 5, 2))
    enrolment.status, enrolment.status_date = "left_for_job", date(2017, 5, 2)
    enrolment.save()


@pytest.mark.parametrize(
    ("sex", "started", "status"),
    [("F", "rozpoczęła udział", "podjęła pracę"), ("M", "rozpoczął udział", "podjął pracę")],
)
def test_card_and_list_use_the_persons_gender(caseworker_client, sex, started, status):
    person = ParticipantFactory(sex=sex, pesel="")
    _left_for_a_job(person)
    card = caseworker_client.get(reverse("participants:detail", args=[person.pk]))
    html = card.content.decode()
    assert f"01.09.2016: {started}" in html and f"02.05.2017: {status}" in html
    assert f">{status} od 02.05.2017<" in " ".join(html.split())
    listing = caseworker_client.get(reverse("participants:list")).content.decode()
    assert f">{status}</span>" in listing
    badges = re.findall(r'class="badge[^"]*">([^<]*)<', html + listing)
    assert badges and not any("(" in badge for badge in badges)  # no "podjął(ęła)"
