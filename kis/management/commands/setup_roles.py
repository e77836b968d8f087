from django.core.management.base import BaseCommand

from kis.roles import roles_reset


class Command(BaseCommand):
    help = (
        "Create the role groups (Pracownik socjalny, Kierownik, Administrator) and reset "
        "their permissions to the defaults defined in kis/roles.py. Safe to re-run."
    )

    def handle(self, *args, **options):
        for role, count in roles_reset().items():
            self.stdout.write(f"{role}: {count} permissions")
