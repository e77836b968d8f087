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
        # The rest of the app (activities, sessions, the catalogues) like every model.
        from kis.audit import NOT_AUDITED, audit_register

        registered = {entry.model for entry in REGISTRY}
        audit_register(
            *(
                model
                for model in self.get_models()
                if model not in registered and model._meta.label not in NOT_AUDITED
            )
        )
        checks.register(check_registry)
