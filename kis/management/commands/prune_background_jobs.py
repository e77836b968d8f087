"""Delete finished background jobs (kis/jobs.py) older than --days (7), with their
files: a report or PDF made for a user is personal data kept no longer than needed.
Each user's own are also pruned whenever he or she starts a new job."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from kis.jobs import jobs_prune


class Command(BaseCommand):
    help = "Delete finished background jobs older than --days, with their files."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)

    def handle(self, *args, **options):
        if options["days"] < 0:
            raise CommandError("--days must be 0 or more.")
        count = jobs_prune(older_than=timedelta(days=options["days"]))
        self.stdout.write(f"Deleted {count} finished background jobs.")
