import pytest
from django.contrib import admin
from django.urls import reverse

from participants.tests.factories import (
    DiagnosisFactory,
    EmploymentFactory,
    EnrolmentFactory,
    ParticipantFactory,
    group,
    reason,
)
from participants.tests.support_factories import ShortContactFactory

pytestmark = pytest.mark.django_db


def test_every_participants_admin_page_loads(administrator_client):
    enrolment = EnrolmentFactory()
    person = enrolment.participant
    relative = ParticipantFactory()
    link = person.family_links.create(relative=relative, relation="child")
    objects = [
        group("samotni rodzice"),
        reason("alcohol_relapse"),
        person,
        enrolment,
        enrolment.events.get(),
        DiagnosisFactory(participant=person),
        EmploymentFactory(participant=person),
        link,
        ShortContactFactory(participant=relative),
    ]
    for obj in objects:
        meta = obj._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        for url in (reverse(f"{base}_changelist"), reverse(f"{base}_change", args=[obj.pk])):
            assert administrator_client.get(url).status_code == 200, url
        # Enrolment history is recorded in the app (the status follows it): shown only.
        added = administrator_client.get(reverse(f"{base}_add")).status_code
        assert added == (403 if meta.model_name == "enrolmentevent" else 200), base
    registered = {m for m in admin.site._registry if m._meta.app_label == "participants"}
    support = {
        "supportform",
        "activity",
        "session",
        "socialcontract",
        "placement",
        "communityevent",
    }
    # Goals, activity participants and attendance are edited inline.
    assert {m._meta.model_name for m in registered} == {
        o._meta.model_name for o in objects
    } | support
