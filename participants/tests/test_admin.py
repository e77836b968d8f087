from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse

from participants.models import ActivityParticipant
from participants.services.papers import certificate_issue
from participants.services.people import enrolment_event_record
from participants.tests.factories import (
    DiagnosisFactory,
    EmploymentFactory,
    EnrolmentFactory,
    ParticipantFactory,
    group,
    reason,
)
from participants.tests.outcome_factories import fill, follow_up, make_questionnaire
from participants.tests.support_factories import ActivityFactory, ShortContactFactory

pytestmark = pytest.mark.django_db


def test_every_participants_admin_page_loads(administrator_client):
    enrolment = EnrolmentFactory()
    person = enrolment.participant
    relative = ParticipantFactory()
    link = person.family_links.create(relative=relative, relation="child")
    completion = ActivityParticipant.objects.create(
        activity=ActivityFactory(), participant=person, completed_on=date(2017, 6, 30)
    )
    questionnaire = make_questionnaire()
    response = fill(enrolment, questionnaire, "entry", date(2016, 9, 5), [3, 3, 3])
    enrolment_event_record(
        enrolment=enrolment, kind="completed", date=date(2017, 5, 31), recorded_by=None
    )
    contact = follow_up(enrolment, "4w", date(2017, 6, 20), "employed")
    objects = [
        group("samotni rodzice"),
        reason("alcohol_relapse"),
        person,
        enrolment,
        enrolment.events.get(kind="started"),
        DiagnosisFactory(participant=person),
        EmploymentFactory(participant=person),
        link,
        certificate_issue(assignment=completion),
        questionnaire,
        response,
        contact,
        ShortContactFactory(participant=relative),
    ]
    for obj in objects:
        meta = obj._meta
        base = f"admin:{meta.app_label}_{meta.model_name}"
        for url in (reverse(f"{base}_changelist"), reverse(f"{base}_change", args=[obj.pk])):
            assert administrator_client.get(url).status_code == 200, url
        # Enrolment history and questionnaires are recorded in the app (the status
        # follows the history), a certificate is issued by its first printing: shown only.
        added = administrator_client.get(reverse(f"{base}_add")).status_code
        shown_only = meta.model_name in ("enrolmentevent", "certificate", "questionnaireresponse")
        assert added == (403 if shown_only else 200), base
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
