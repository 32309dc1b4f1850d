"""Demo accounts, one per role. Only for the offline demo: `lagesbild demo` refuses production."""

from django.contrib.auth.models import User
from django.db import transaction

from .models import Department, Profile, Role
from .services import set_coordinator_admin

# Departments of the two demo municipalities (used by the demo plan and follow-up round).
DEMO_DEPARTMENTS = {
    "1082": [
        "Utbildningsförvaltningen",
        "Barn- och ungdomsförvaltningen",
        "Socialförvaltningen",
        "Kultur- och fritidsförvaltningen",
        "Kommunledningsförvaltningen",
    ],
    "1494": ["Sektor bildning", "Sektor social välfärd", "Sektor samhällsbyggnad"],
}

# username, password, role, municipality, department, display name
DEMO_ACCOUNTS = [
    ("samordnare", "demo-samordnare", Role.COORDINATOR, "1082", None, "Sara Samordnare"),
    (
        "forvaltning",
        "demo-forvaltning",
        Role.DEPARTMENT,
        "1082",
        "Utbildningsförvaltningen",
        "Fredrik Förvaltning",
    ),
    (
        "socialtjanst",
        "demo-socialtjanst",
        Role.DEPARTMENT,
        "1082",
        "Socialförvaltningen",
        "Sofia Socialtjänst",
    ),
    ("partner", "demo-partner", Role.PARTNER, "1082", None, "Pia Partner"),
    ("lasare", "demo-lasare", Role.READER, "1082", None, "Lars Läsare"),
    ("lidkoping", "demo-lidkoping", Role.COORDINATOR, "1494", None, "Li Lidköping"),
    ("admin", "demo-admin", None, "", None, "Administratör"),
]


@transaction.atomic
def load_demo(stdout):
    departments = {}
    for municipality, names in DEMO_DEPARTMENTS.items():
        for name in names:
            departments[name], _ = Department.objects.get_or_create(
                municipality=municipality, name=name
            )
    for username, password, role, municipality, department, display in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            first, _, last = display.partition(" ")
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.invalid"
            user.set_password(password)
            user.is_staff = role in (Role.COORDINATOR, None)
            user.is_superuser = role is None
            user.save()
        if role is not None:
            # Only a new account gets its profile: a role or department changed since in the
            # app is kept when the demo runs again.
            _, new = Profile.objects.get_or_create(
                user=user,
                defaults={
                    "role": role,
                    "municipality": municipality,
                    "department": departments.get(department),
                    "organisation": "Föreningen Demo" if role == Role.PARTNER else "",
                },
            )
            if new:
                set_coordinator_admin(user)


def describe():
    """Lines that tell the demo user how to log in."""
    lines = []
    for username, password, role, municipality, department, _ in DEMO_ACCOUNTS:
        label = Role(role).label if role else "administratör (hela installationen)"
        where = f", {department}" if department else ""
        lines.append(f"  {username:<13} {password:<18} {label}{where} ({municipality or 'alla'})")
    return lines
