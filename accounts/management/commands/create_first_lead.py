"""Create the first safeguarding lead of a fresh installation, with a one-time set-up link.

Run on the server (it is the only way to a first lead that needs no one's password): the
lead gets no usable password; the link is printed here and emailed to them, and through it
they choose their own password and enrol their authenticator. Refused once any active lead
exists: later leads are created in the product.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import audit, services
from accounts.models import Role, User
from accounts.tokens import Purpose, lifetime_hours


class Command(BaseCommand):
    help = "Create the first safeguarding lead (no password) and print and email their one-time set-up link."

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--site-url", default="", help="address the link starts with (default: the SITE_URL setting)"
        )

    def handle(self, *args, **options):
        base_url = (options["site_url"] or settings.SITE_URL).rstrip("/")
        if not base_url:
            raise CommandError("Set SITE_URL (or pass --site-url https://...) so the link points at this site.")
        with transaction.atomic():
            if User.objects.filter(role=Role.LEAD, is_active=True).exists():
                raise CommandError("An active safeguarding lead already exists: leads are created in the product.")
            if User.objects.filter(username=options["username"]).exists():
                raise CommandError("That username is taken.")
            user = User(
                username=options["username"],
                email=options["email"],
                first_name=options["first_name"],
                last_name=options["last_name"],
                role=Role.LEAD,
            )
            user.set_unusable_password()
            try:
                user.full_clean()
            except ValidationError as error:
                raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from None
            user.save()
            audit.record(
                actor=None,
                action=audit.AuditAction.CREATE,
                obj=user,
                fields=["username", "email", "first_name", "last_name", "role"],
                detail="create_first_lead",
            )
        url = services.account_link_url(user=user, purpose=Purpose.INVITE, base_url=base_url)
        sent = services.send_account_link(user=user, purpose=Purpose.INVITE, actor=None, base_url=base_url)
        self.stdout.write(f"Created safeguarding lead {user.username} (no password yet).")
        self.stdout.write(f"One-time set-up link, valid for {lifetime_hours(Purpose.INVITE)} hours:")
        self.stdout.write(f"  {url}")
        if sent:
            self.stdout.write("The link was also emailed to them.")
        else:
            self.stdout.write("The email could not be sent: give them the link yourself.")
