"""Demo data: invented people only, never real ones. Safe to run again and again."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from kis import roles
from kis.services import user_account_save

# Published in README.md; the command refuses to run outside demo mode.
DEMO_PASSWORD = "demo-kis-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: str
    is_staff: bool = False
    is_superuser: bool = False


DEMO_USERS = (
    DemoUser(
        "admin", "Tomasz", "Wierzbicki", roles.ADMINISTRATOR, is_staff=True, is_superuser=True
    ),
    DemoUser("kierownik", "Barbara", "Wilczyńska", roles.MANAGER),
    DemoUser("pracownik", "Marta", "Kołodziejczyk", roles.CASEWORKER),
)


@transaction.atomic
def demo_users_create() -> list[User]:
    """Create (or reset) the demo accounts with the demo password and their roles."""
    return [
        user_account_save(
            username=demo.username,
            first_name=demo.first_name,
            last_name=demo.last_name,
            email=f"{demo.username}@kis.example.pl",
            role=demo.role,
            password=DEMO_PASSWORD,
            is_staff=demo.is_staff,
            is_superuser=demo.is_superuser,
        )
        for demo in DEMO_USERS
    ]


def demo_load() -> list[User]:
    """Everything the demo needs. Later areas add their data here."""
    from participants.demo import demo_participants_create
    from participants.demo_outcomes import demo_outcomes_create
    from participants.demo_support import demo_support_create
    from projects.demo import demo_projects_create

    users = demo_users_create()
    projects = demo_projects_create()
    demo_participants_create(projects)
    demo_support_create(projects)
    demo_outcomes_create(projects)
    return users
