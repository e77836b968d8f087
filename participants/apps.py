from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self) -> None:
        # Every create, update and delete of personal data is recorded with its field
        # changes (auditlog.LogEntry), with the user and address from the request.
        from auditlog.registry import auditlog

        from participants import models

        technical = ["created_at", "updated_at", "search_text", "version"]
        auditlog.register(models.Participant, exclude_fields=technical, m2m_fields={"groups"})
        for model in (
            models.FamilyLink,
            models.Enrolment,
            models.EnrolmentEvent,
            models.Diagnosis,
            models.Goal,
            models.Employment,
            models.ActivityParticipant,
            models.SocialContract,
            models.Placement,
        ):
            auditlog.register(model, exclude_fields=technical)
        auditlog.register(
            models.CommunityEvent, exclude_fields=technical, m2m_fields={"participants"}
        )
        # Attendance is written in bulk by the roll call, which records its own entries
        # (participants.services.support.roll_call_save).
