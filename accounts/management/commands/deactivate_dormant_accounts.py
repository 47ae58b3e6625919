"""Deactivate accounts not used for DORMANT_ACCOUNT_DAYS (Celery beat does it daily; this runs it by hand)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts import services


class Command(BaseCommand):
    help = "Deactivate accounts unused for DORMANT_ACCOUNT_DAYS days (last sign-in, or creation if never used)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override DORMANT_ACCOUNT_DAYS")

    def handle(self, *args, days=None, **options):
        days = settings.DORMANT_ACCOUNT_DAYS if days is None else days
        done = services.deactivate_dormant_accounts(days=days)
        # A count only: account names stay out of the logs (the audit log names each one).
        self.stdout.write(f"Deactivated {len(done)} account(s) unused for {days} days.")
