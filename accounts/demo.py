"""Demo users, one (or more) per role, for `make run`. Synthetic people only."""

from django.db import transaction

from .models import Role, Team, TeamMembership, User

DEMO_PASSWORD = "demo-safeguarding-2026"

DEMO_TEAMS = ["North Locality Team", "South Locality Team", "Hospital Safeguarding Team"]

# Synthetic contact details (01632 960xxx is Ofcom's range for drama; example.org is reserved).
DEMO_TEAM_CONTACTS = {
    "North Locality Team": {
        "contact_phone": "01632 960101",
        "contact_email": "north.safeguarding@example.org",
        "contact_address": "North Locality Office\n1 Demo Street\nDemoton DT1 1AA",
    },
    "South Locality Team": {
        "contact_phone": "01632 960202",
        "contact_email": "south.safeguarding@example.org",
        "contact_address": "South Locality Office\n2 Demo Road\nDemoton DT2 2BB",
    },
    "Hospital Safeguarding Team": {
        "contact_phone": "01632 960303",
        "contact_email": "hospital.safeguarding@example.org",
        "contact_address": "Demoton General Hospital\nDemoton DT3 3CC",
    },
}

# username, first name, last name, role, teams
DEMO_USERS = [
    ("practitioner", "Priya", "Demo-Practitioner", Role.PRACTITIONER, ["North Locality Team"]),
    ("practitioner2", "Sam", "Demo-Worker", Role.PRACTITIONER, ["North Locality Team"]),
    ("practitioner3", "Jo", "Demo-Southside", Role.PRACTITIONER, ["South Locality Team"]),
    ("manager", "Morgan", "Demo-Manager", Role.MANAGER, ["North Locality Team"]),
    ("manager2", "Alex", "Demo-Southmanager", Role.MANAGER, ["South Locality Team", "Hospital Safeguarding Team"]),
    ("lead", "Lesley", "Demo-Lead", Role.LEAD, []),
    ("sab", "Sasha", "Demo-Board", Role.SAB_MEMBER, []),
    ("sysadmin", "Ash", "Demo-Admin", Role.SYSADMIN, []),
]


@transaction.atomic
def ensure_demo_users():
    """Create the demo teams and users if missing; returns {username: user}."""
    teams = {name: Team.objects.get_or_create(name=name, defaults=DEMO_TEAM_CONTACTS[name])[0] for name in DEMO_TEAMS}
    users = {}
    for username, first, last, role, team_names in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "role": role}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        for name in team_names:
            TeamMembership.objects.get_or_create(user=user, team=teams[name])
        users[username] = user
    return users
