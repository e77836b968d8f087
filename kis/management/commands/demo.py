from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kis.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo: users admin, kierownik and pracownik with a published password, "
        "and invented demo data. Demo mode only (KIS_DEMO_MODE or DEBUG). Safe to re-run."
    )

    def handle(self, *args, **options):
        if not settings.KIS_DEMO_MODE:
            raise CommandError(
                "Demo mode is off: the demo creates accounts with a published password. "
                "Set KIS_DEMO_MODE=true (never on a server with real data)."
            )
        users = demo_load()
        self.stdout.write(self.style.SUCCESS("Demo loaded. Users:"))
        for user in users:
            roles = ", ".join(g.name for g in user.groups.all())
            self.stdout.write(f"  {user.username:<10} password: {DEMO_PASSWORD}   ({roles})")
