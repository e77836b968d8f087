"""Anonymise the participants whose retention period is over. For cron, e.g. nightly:

    manage.py anonymise_participants --dry-run          # who would be anonymised
    manage.py anonymise_participants                    # anonymise them
    manage.py anonymise_participants --date 2026-11-22  # as if today were that day

The rule is in participants.services.anonymise.participants_past_retention. Each person
is anonymised in a transaction of its own; a second run finds nobody new. An
administrator's tool: plain English output, nothing translated.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from participants.models import Participant
from participants.services.anonymise import participant_anonymise, participants_past_retention


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date: expected YYYY-MM-DD, got {value!r}.") from error


def _listed(ids: list[int]) -> str:
    return ", ".join(str(pk) for pk in ids)


class Command(BaseCommand):
    help = "Anonymise the participants whose retention period is over."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only list who would be anonymised; change nothing.",
        )
        parser.add_argument(
            "--date",
            help="Decide as on this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args, **options) -> None:
        today = _day(options["date"]) if options["date"] else timezone.localdate()
        ids = list(participants_past_retention(today).order_by("pk").values_list("pk", flat=True))
        if not ids:
            self.stdout.write(f"{today:%Y-%m-%d}: nobody to anonymise.")
            return
        if options["dry_run"]:
            self.stdout.write(
                f"{today:%Y-%m-%d}: {len(ids)} participant(s) would be anonymised "
                f"(dry run, nothing changed): {_listed(ids)}"
            )
            return
        people = Participant.objects.in_bulk(ids)
        for pk in ids:
            participant_anonymise(people[pk])
        self.stdout.write(
            self.style.SUCCESS(
                f"{today:%Y-%m-%d}: {len(ids)} participant(s) anonymised: {_listed(ids)}"
            )
        )
