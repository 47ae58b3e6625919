from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins (one per role) created by generate_demo_data."

    def handle(self, *args, **options):
        self.stdout.write(f"  Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, _first, _last, role, teams in DEMO_USERS:
            where = f" – {', '.join(teams)}" if teams else ""
            self.stdout.write(f"    {username:<14} {role.label}{where}")
