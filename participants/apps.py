from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        # Every create, update and delete of personal data is recorded with its field
        # changes (auditlog.LogEntry), with the user and address from the request: every
        # model of the registry of personal data, with its many-to-many links. The roll
        # call writes attendance in bulk, which records its own entries
        # (participants.services.support.roll_call_save).
        from auditlog.registry import auditlog

        from participants.personal_data import REGISTRY, TECHNICAL, check_registry

        technical = [name for name in TECHNICAL if name != "id"]
        for entry in REGISTRY:
            m2m = {
                name
                for name in [*entry.fields, *entry.links]
                if entry.model._meta.get_field(name).many_to_many
            }
            auditlog.register(entry.model, exclude_fields=technical, m2m_fields=m2m)
        # Questionnaires' definitions: changing a scale or a question changes what the
        # soft-result figures mean, so those changes are recorded too.
        from participants.models import Question, Questionnaire, ScalePoint

        auditlog.register(Questionnaire, exclude_fields=technical, m2m_fields={"projects"})
        auditlog.register(Question, exclude_fields=technical)
        auditlog.register(ScalePoint, exclude_fields=technical)
        checks.register(check_registry)
