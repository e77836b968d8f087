"""Demo data: invented people only, never real ones. Safe to run again and again."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from kis import roles

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
def demo_users_create() -> list:
    """Create (or reset) the demo accounts with the demo password and their roles."""
    User = get_user_model()
    users = []
    for demo in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@kis.example.pl",
                "is_staff": demo.is_staff,
                "is_superuser": demo.is_superuser,
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=demo.role)])
        users.append(user)
    return users


def demo_load() -> list:
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
