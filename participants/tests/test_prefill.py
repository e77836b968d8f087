"""Issue 17, point 6: forms that use what KIS knows."""

import re
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants.forms.support import SocialContractForm
from participants.models import Session, SocialContract
from participants.selectors.support import contract_number_proposed
from participants.tests.factories import ParticipantFactory
from participants.tests.support_factories import ActivityFactory
from projects.models import validate_number_pattern
from projects.tests.factories import OrganisationFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db


def _contract(person, number, worker):
    return SocialContract.objects.create(
        participant=person,
        number=number,
        signed_on=date(2026, 3, 1),
        start_date=date(2026, 3, 1),
        end_date=date(2026, 12, 31),
        caseworker=worker,
    )


def test_contract_numbers_follow_the_centres_pattern():
    worker = StaffMemberFactory(role="social_worker")
    assert contract_number_proposed(2026) == "KS/1/2026"  # no profile yet: the default
    person = ParticipantFactory()
    _contract(person, "KS/7/2026", worker)
    _contract(ParticipantFactory(), "KS/12/2025", worker)  # another year
    _contract(ParticipantFactory(), "umowa 99", worker)  # not by the pattern
    assert contract_number_proposed(2026) == "KS/8/2026"
    assert contract_number_proposed(2025) == "KS/13/2025"
    OrganisationFactory(contract_number_pattern="KIS-{rok}-{n}")
    assert contract_number_proposed(2026) == "KIS-2026-1"


def test_the_pattern_needs_its_number():
    validate_number_pattern("KS/{n}/{rok}")
    for wrong in ("KS/{rok}", "KS/{n}/{year}"):
        with pytest.raises(ValidationError):
            validate_number_pattern(wrong)


def test_a_new_contract_is_proposed_by_what_kis_knows(caseworker):
    own = StaffMemberFactory(user=caseworker, role="social_worker")
    psychologist = StaffMemberFactory(role="psychologist")
    form = SocialContractForm(
        instance=SocialContract(participant=ParticipantFactory()), user=caseworker
    )
    today = timezone.localdate()
    assert form.initial["number"] == f"KS/1/{today.year}"
    assert form.initial["signed_on"] == today and form.initial["start_date"] == today
    assert form.initial["caseworker"] == own.pk
    assert "status" not in form.fields and "termination_reason" not in form.fields
    offered = set(form.fields["caseworker"].queryset)
    assert own in offered and psychologist not in offered


def test_an_edited_contract_keeps_its_status_and_caseworker(caseworker):
    former = StaffMemberFactory(role="psychologist")  # was allowed before
    contract = _contract(ParticipantFactory(), "KS/1/2026", former)
    form = SocialContractForm(instance=contract, user=caseworker)
    assert "status" in form.fields and "termination_reason" in form.fields
    assert former in set(form.fields["caseworker"].queryset)


def test_the_contract_page_proposes_the_number(caseworker_client, caseworkers_see_all):
    person = ParticipantFactory()
    html = caseworker_client.get(
        reverse("participants:contract_create", args=[person.pk])
    ).content.decode()
    assert f'value="KS/1/{timezone.localdate().year}"' in html
    assert 'name="status"' not in html


def test_a_new_session_follows_the_previous_one(caseworker_client, caseworkers_see_all):
    today = timezone.localdate()
    activity = ActivityFactory(
        start_date=today - timedelta(days=60), end_date=today + timedelta(days=60)
    )
    trainer = StaffMemberFactory()
    url = reverse("participants:session_create", args=[activity.pk])
    page = caseworker_client.get(url).content.decode()
    assert f'value="{today:%d.%m.%Y}"' in page  # nothing before: today
    last = Session.objects.create(
        activity=activity,
        date=today - timedelta(days=2),
        start_time=time(16, 30),
        duration_hours=Decimal("3.5"),
    )
    last.staff.add(trainer)
    page = caseworker_client.get(url).content.decode()
    assert f'value="{today + timedelta(days=5):%d.%m.%Y}"' in page  # a week after the last
    assert 'value="16:30"' in page and 'value="3,5"' in page
    assert re.search(rf'name="staff" value="{trainer.pk}"[^>]*checked', page)


def test_a_new_diagnosis_starts_today_in_the_only_project_by_the_user(caseworker):
    from participants.forms.people import DiagnosisForm
    from participants.models import Diagnosis
    from participants.tests.factories import EnrolmentFactory

    own = StaffMemberFactory(user=caseworker, role="psychologist")
    enrolment = EnrolmentFactory()
    person = enrolment.participant
    form = DiagnosisForm(
        instance=Diagnosis(participant=person), participant=person, user=caseworker
    )
    assert form["date"].value() == timezone.localdate()
    assert form["enrolment"].value() == enrolment.pk
    assert form["staff"].value() == [own.pk]
    EnrolmentFactory(participant=person)  # two projects: the user chooses
    form = DiagnosisForm(
        instance=Diagnosis(participant=person), participant=person, user=caseworker
    )
    assert not form["enrolment"].value()


def test_a_short_contact_is_recorded_in_the_persons_only_project(caseworker):
    from participants.forms.support import ShortContactForm
    from participants.models import ShortContact
    from participants.tests.factories import EnrolmentFactory

    enrolment = EnrolmentFactory()
    person = enrolment.participant
    form = ShortContactForm(instance=ShortContact(participant=person), user=caseworker)
    assert form["project"].value() == enrolment.project_id
    EnrolmentFactory(participant=person)
    form = ShortContactForm(instance=ShortContact(participant=person), user=caseworker)
    assert not form["project"].value()


def test_a_new_placement_has_no_outcome_yet(caseworker):
    from participants.forms.support import PlacementForm
    from participants.models import Placement

    person = ParticipantFactory()
    form = PlacementForm(instance=Placement(participant=person), participant=person)
    assert "outcome" not in form.fields and "employment" not in form.fields
    assert form["start_date"].value() == timezone.localdate()
