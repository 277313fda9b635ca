from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.services.seed import seed_strategy


class Command(BaseCommand):
    help = "Load Trade Strategy 2026 from fixtures/ (idempotent); optionally the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-demo-users", action="store_true",
            help="Also create the demo accounts (password: DEMO_PASSWORD) and demo milestones "
                 "(development and test settings only: they need the devtools app).",
        )

    def handle(self, *args, with_demo_users=False, **options):
        if with_demo_users and not settings.DEMO_ACCOUNTS_ALLOWED:
            # Checked before anything is written: a production database gets nothing.
            raise CommandError("Demo accounts are for development only: these are production "
                               "settings, where --with-demo-users is refused.")
        # The demo builder is development tooling (devtools), absent from production: refuse
        # before loading anything rather than half-seed.
        if with_demo_users and not apps.is_installed("devtools"):
            raise CommandError(
                "--with-demo-users needs the devtools app, which these settings do not install "
                "(development and test settings only).")
        report = seed_strategy(progress=lambda name: self.stdout.write(f"… {name}"))
        if with_demo_users:
            from devtools.demo import DEMO_USERS, seed_demo

            self.stdout.write("… demo accounts and milestones")
            seed_demo(report, password=settings.DEMO_PASSWORD)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(
            "Seed complete." if report.changed else "Seed complete: nothing to change."))
        if with_demo_users:
            names = ", ".join(username for username, *_ in DEMO_USERS)
            self.stdout.write(
                f"Demo accounts: {names}; password: {settings.DEMO_PASSWORD} "
                "(set DEMO_PASSWORD to change it before the first seed)")
