import json

from django.core.management.base import BaseCommand, CommandError

from programs.services.common import today
from programs.services.deliveries import delivery_send_or_record
from programs.services.reminders import manager_digest_sweep, reminders_sweep
from tracker.api.inputs import DateError, parse_date


class Command(BaseCommand):
    help = ("Run the reminder sweep for a day, synchronously, and print what it sent. "
            "Reminders already sent for that day are not sent again.")

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to sweep, YYYY-MM-DD from 2000-01-01 to "
                                           "2100-12-31 (default: today)")
        parser.add_argument("--dry-run", action="store_true",
                            help="show what would be sent; claim and send nothing")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument("--manager-digest", action="store_true",
                            help="send the managers' digest instead of the daily reminders")

    def handle(self, *args, **options):
        try:
            on = parse_date(options["date"]) if options["date"] else today()
        except DateError as error:
            raise CommandError(f"--date {options['date']!r}: {error}") from None
        sweep = manager_digest_sweep if options["manager_digest"] else reminders_sweep
        report = sweep(on=on, dry_run=options["dry_run"])
        # One delivery that cannot go out never stops the others: its failure is recorded
        # on its row (a temporary one is retried by the outbox flush).
        failed = sum(delivery_send_or_record(delivery_id) in ("failed", "retry")
                     for delivery_id in report.to_send)
        result = {**report.as_dict(), "failed": failed}
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        verb = "would send" if options["dry_run"] else "sent"
        self.stdout.write(f"{on.isoformat()}: {verb} {result['sent']} reminders")
        for kind, count in result["by_kind"].items():
            self.stdout.write(f"  {kind}: {count}")
        self.stdout.write(f"  e-mails: {result['emails']} to {len(result['emails_to'])} people, "
                          f"left from earlier runs: {result['leftovers']}, nobody to tell: "
                          f"{sum(result['unaddressed'].values())}")
        self.stdout.write(f"  already sent before: {result['skipped_already_sent']}, "
                          f"turned off by the recipient: {result['skipped_by_preference']}, "
                          f"failed: {failed}")
