from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KisConfig(AppConfig):
    """The project's core: roles, navigation, demo data, shared template tags."""

    name = "kis"
    verbose_name = _("KIS")

    def ready(self) -> None:
        from kis import (
            audit,  # noqa: F401  (login and logout signal receivers)
            sessions,  # noqa: F401  (the session seen at login)
        )
