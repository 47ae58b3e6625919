"""Check the audit log's hash chain: exit 0 with the count when intact, 1 naming the first break."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit log hash chain; exits non-zero at the first altered, inserted or missing row."

    def handle(self, *args, **options):
        prev = ""
        count = 0
        for event in AuditEvent.objects.order_by("id").iterator(chunk_size=5000):
            if event.prev_hash != prev:
                raise CommandError(
                    f"Audit log broken at entry id={event.id}: it does not follow the entry before it "
                    "(a row was removed, inserted or altered)."
                )
            if event.compute_hash() != event.hash:
                raise CommandError(f"Audit log broken at entry id={event.id}: its contents do not match its hash.")
            prev = event.hash
            count += 1
        self.stdout.write(f"Audit log intact: {count} entries verified.")
