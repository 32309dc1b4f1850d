"""Every accounts URL, GET and POST, as every role: who gets the page, and that a refused
request writes nothing and sends no mail."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from lagesbild.accounts.models import Department, Profile, Role

ROLES = [
    "anonymous",
    "reader",
    "department",
    "partner",
    "other-coordinator",
    "coordinator",
    "admin",
]
OK, LOGIN, REFUSED, NOT_FOUND = "ok", "login", "refused", "not found"


def snapshot():
    return (
        list(User.objects.order_by("pk").values_list("pk", "password", "is_active", "is_staff")),
        list(Profile.objects.order_by("pk").values_list()),
        list(Department.objects.order_by("pk").values_list()),
    )


@pytest.fixture
def target(accounts):
    """An invited reader of 1082 who has not activated her account yet."""
    user = User.objects.create_user("vantar@example.se", "vantar@example.se", None)
    Profile.objects.create(user=user, role=Role.READER, municipality="1082")
    return user


def management_urls(accounts, target):
    """(name, url, POST data that the page's own coordinator may send)."""
    department = accounts["department_obj"]
    return [
        ("users", reverse("accounts:users"), {}),
        (
            "invite",
            reverse("accounts:invite"),
            {
                "email": "ny@example.se",
                "first_name": "Ny",
                "last_name": "Användare",
                "role": "reader",
                "municipality_code": "1082",
            },
        ),
        (
            "user_edit",
            reverse("accounts:user_edit", args=[target.pk]),
            {"role": "partner", "organisation": "Föreningen", "is_active": ""},
        ),
        ("user_resend", reverse("accounts:user_resend", args=[target.pk]), {}),
        (
            "departments",
            reverse("accounts:departments"),
            {"name": "Ny förvaltning", "kommun": "1082"},
        ),
        (
            "department_edit",
            reverse("accounts:department_edit", args=[department.pk]),
            {"name": "Omdöpt förvaltning"},
        ),
    ]


# What each role gets on GET, per page (the coordinator of 1494 has pages of her own).
EXPECTED_GET = {
    "anonymous": LOGIN,
    "reader": REFUSED,
    "department": REFUSED,
    "partner": REFUSED,
    "coordinator": OK,
    "admin": OK,
}
OTHER_COORDINATOR_GET = {
    "users": OK,  # her own municipality's, without 1082's users (checked below)
    "invite": OK,  # invites to her own municipality
    "user_edit": NOT_FOUND,
    "user_resend": 405,
    "departments": OK,
    "department_edit": NOT_FOUND,
}


def outcome(response):
    if response.status_code == 302 and "/konto/logga-in/" in response["Location"]:
        return LOGIN
    return {200: OK, 403: REFUSED, 404: NOT_FOUND}.get(response.status_code, response.status_code)


def client_for(accounts, role):
    client = Client()
    if role != "anonymous":
        client.force_login(accounts[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_management_pages_by_role(accounts, target, role):
    client = client_for(accounts, role)
    problems = []
    for name, url, data in management_urls(accounts, target):
        # GET
        response = client.get(url)
        if role == "other-coordinator":
            expected = OTHER_COORDINATOR_GET[name]
        elif name == "user_resend":
            expected = 405  # POST only, for everyone
        else:
            expected = EXPECTED_GET[role]
        if outcome(response) != expected:
            problems.append(f"GET {name} as {role}: {response.status_code}, expected {expected}")
        if response.status_code == 200:
            page = response.content.decode()
            shows_1082 = "vantar@example.se" in page or "Utbildningsförvaltningen" in page
            if shows_1082 and role == "other-coordinator":
                problems.append(f"GET {name} as {role} shows 1082's users or departments")

        # POST
        before, sent = snapshot(), len(mail.outbox)
        response = client.post(url, data)
        wrote = snapshot() != before or len(mail.outbox) != sent
        if role in ("coordinator", "admin"):
            if not wrote and name != "users":
                problems.append(f"POST {name} as {role}: {response.status_code}, wrote nothing")
        elif role == "other-coordinator" and name in ("invite", "departments"):
            # She acts only in her own municipality (a kommunkod sent for 1082 is refused
            # or ignored).
            assert not Profile.objects.filter(municipality="1082", user__email="ny@example.se")
            assert not Department.objects.filter(municipality="1082", name="Ny förvaltning")
        elif wrote or response.status_code >= 500:
            problems.append(f"POST {name} as {role}: {response.status_code}, wrote")
        # Undo what an allowed POST changed, so the next URL is tried on the same data.
        User.objects.filter(email="ny@example.se").delete()
        Department.objects.filter(name="Ny förvaltning").delete()
        Profile.objects.filter(user=target).update(role=Role.READER, organisation="")
        User.objects.filter(pk=target.pk).update(is_active=True)
        Department.objects.filter(pk=accounts["department_obj"].pk).update(
            name="Utbildningsförvaltningen"
        )
    assert problems == [], "\n".join(problems)


def test_other_coordinator_invites_only_to_her_own_municipality(accounts):
    client = client_for(accounts, "other-coordinator")
    client.post(
        reverse("accounts:invite"),
        {
            "email": "ny@example.se",
            "first_name": "Ny",
            "last_name": "N",
            "role": "reader",
            "municipality_code": "1082",
        },
    )
    assert Profile.objects.get(user__email="ny@example.se").municipality == "1494"
    # Naming 1082 on the departments page is refused, and writes nothing.
    response = client.post(reverse("accounts:departments"), {"name": "X", "kommun": "1082"})
    assert response.status_code == 403
    assert not Department.objects.filter(name="X").exists()
    assert client.get(reverse("accounts:users") + "?kommun=1082").status_code == 403


def test_coordinator_cannot_touch_a_superuser_with_a_profile(accounts):
    boss = User.objects.create_superuser("chef", "chef@example.se", "pw-test-12345")
    Profile.objects.create(user=boss, role=Role.COORDINATOR, municipality="1082")
    client = client_for(accounts, "coordinator")
    url = reverse("accounts:user_edit", args=[boss.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"role": "reader"}).status_code == 403
    boss.refresh_from_db()
    assert boss.is_active and boss.profile.role == Role.COORDINATOR


PUBLIC = ["password_reset", "password_reset_done", "password_reset_complete"]


@pytest.mark.parametrize("role", ROLES)
def test_password_pages_by_role(accounts, role):
    client = client_for(accounts, role)
    for name in PUBLIC:
        assert client.get(reverse(name.join(["accounts:", ""]))).status_code == 200, name
    for name in ("password_change", "password_change_done"):
        response = client.get(reverse(f"accounts:{name}"))
        assert outcome(response) == (LOGIN if role == "anonymous" else OK), name
    # A made-up link: the page says it does not work, and writes nothing.
    for name in ("activate", "password_reset_confirm"):
        url = reverse(f"accounts:{name}", args=["MQ", "abc-123"])
        before = snapshot()
        response = client.post(
            url, {"new_password1": "x-y-z-12345", "new_password2": "x-y-z-12345"}
        )
        assert response.status_code == 200 and "Länken fungerar inte" in response.content.decode()
        assert snapshot() == before
    # A wrong old password changes nothing.
    before = snapshot()
    client.post(
        reverse("accounts:password_change"),
        {"old_password": "fel", "new_password1": "a-b-c-98765", "new_password2": "a-b-c-98765"},
    )
    assert snapshot() == before
