"""A participant's status and history in his or her grammatical gender: "podjęła
pracę" for a woman, "podjął pracę" for a man. The neutral labels of the choices
("podjął(ęła) pracę") are left for a record without a sex.

    {% load participant_words %}
    {{ enrolment|status_for:participant }}  {{ event|event_for:participant }}
"""

from django import template
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from participants.models import Enrolment, EnrolmentEvent, Sex

register = template.Library()

Status, Kind = Enrolment.Status, EnrolmentEvent.Kind

STATUS: dict[str, dict[str, Promise]] = {
    Sex.FEMALE: {
        Status.ACTIVE: pgettext_lazy("woman", "active"),
        Status.COMPLETED: pgettext_lazy("woman", "completed"),
        Status.DROPPED_OUT: pgettext_lazy("woman", "dropped out"),
        Status.LEFT_FOR_JOB: pgettext_lazy("woman", "left for a job"),
    },
    Sex.MALE: {
        Status.ACTIVE: pgettext_lazy("man", "active"),
        Status.COMPLETED: pgettext_lazy("man", "completed"),
        Status.DROPPED_OUT: pgettext_lazy("man", "dropped out"),
        Status.LEFT_FOR_JOB: pgettext_lazy("man", "left for a job"),
    },
}
EVENT: dict[str, dict[str, Promise]] = {
    Sex.FEMALE: {
        Kind.STARTED: pgettext_lazy("woman", "started"),
        Kind.DROPPED_OUT: pgettext_lazy("woman", "dropped out"),
        Kind.LEFT_FOR_JOB: pgettext_lazy("woman", "left for a job"),
        Kind.RETURNED: pgettext_lazy("woman", "returned after a job"),
        Kind.COMPLETED: pgettext_lazy("woman", "completed"),
    },
    Sex.MALE: {
        Kind.STARTED: pgettext_lazy("man", "started"),
        Kind.DROPPED_OUT: pgettext_lazy("man", "dropped out"),
        Kind.LEFT_FOR_JOB: pgettext_lazy("man", "left for a job"),
        Kind.RETURNED: pgettext_lazy("man", "returned after a job"),
        Kind.COMPLETED: pgettext_lazy("man", "completed"),
    },
}


@register.filter
def status_for(enrolment: Enrolment, participant) -> str:
    words = STATUS.get(getattr(participant, "sex", ""), {})
    return str(words.get(enrolment.status, enrolment.get_status_display()))


@register.filter
def event_for(event: EnrolmentEvent, participant) -> str:
    words = EVENT.get(getattr(participant, "sex", ""), {})
    return str(words.get(event.kind, event.get_kind_display()))
