"""Single sign-on against a real OpenID Connect provider running on 127.0.0.1 in the test."""

import logging
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import User

from lagesbild.accounts.models import Role
from lagesbild.ops import oidc
from lagesbild.ops.models import SsoIdentity

from ..conftest import ROOT
from .oidc_provider import Provider

GROUPS = {
    "lagesbild-samordnare-karlshamn": {"role": "coordinator", "municipality": "1082"},
    "lagesbild-utbildning-karlshamn": {
        "role": "department",
        "municipality": "1082",
        "department": "Utbildningsförvaltningen",
    },
    "lagesbild-lasare-karlshamn": {"role": "reader", "municipality": "1082"},
    "lagesbild-lasare-alla": {"role": "reader", "municipality": "all"},
}


@pytest.fixture
def provider(settings, db):
    with Provider() as p:
        settings.OIDC_ISSUER = p.issuer
        settings.OIDC_RP_CLIENT_ID = p.client_id
        settings.OIDC_RP_CLIENT_SECRET = p.client_secret
        settings.OIDC_GROUP_ROLES = GROUPS
        oidc._discovered.clear()
        p.person = {
            "sub": "a1b2c3",
            "email": "Eva.Exempel@karlshamn.example",
            "given_name": "Eva",
            "family_name": "Exempel",
            "preferred_username": "eva.exempel",
            "groups": ["lagesbild-samordnare-karlshamn", "alla-anstallda"],
        }
        yield p
        oidc._discovered.clear()


def sign_in(client, next_url="/policy/"):
    """The whole code flow: our login URL -> the provider -> our callback. Returns the answer."""
    start = client.get("/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = urlparse(at_provider.headers["Location"])
    assert back.path == "/oidc/callback/"
    return client.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})


def logged_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_sign_in_creates_a_coordinator_from_the_group(client, provider):
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/policy/"
    user = logged_in_user(client)
    assert user.username == "eva.exempel"
    assert (user.email, user.first_name, user.last_name) == (
        "Eva.Exempel@karlshamn.example",
        "Eva",
        "Exempel",
    )
    assert (user.profile.role, user.profile.municipality) == (Role.COORDINATOR, "1082")
    assert not user.is_staff and not user.has_usable_password()
    # Every part of the provider was used: discovery, authorize, token, JWKS, userinfo.
    assert provider.calls[0] == "/.well-known/openid-configuration"
    assert {"/authorize", "/token", "/jwks", "/userinfo"} <= set(provider.calls)


def test_the_role_follows_the_groups_at_every_login(client, provider):
    sign_in(client)
    client.logout()
    provider.person["groups"] = ["lagesbild-utbildning-karlshamn"]
    sign_in(client)
    user = logged_in_user(client)
    assert user.profile.role == Role.DEPARTMENT
    assert user.profile.department.name == "Utbildningsförvaltningen"
    assert User.objects.count() == 1


def test_strongest_group_wins(client, provider):
    provider.person["groups"] = ["lagesbild-lasare-karlshamn", "lagesbild-samordnare-karlshamn"]
    sign_in(client)
    assert logged_in_user(client).profile.role == Role.COORDINATOR


def test_existing_local_account_with_the_same_email_is_used(client, provider, make_user, caplog):
    local = make_user(Role.READER, username="eva", password="pw-local-12345")
    local.email = "eva.exempel@karlshamn.example"
    local.save()
    with caplog.at_level(logging.INFO, logger="lagesbild.oidc"):
        sign_in(client)
    assert logged_in_user(client) == local
    local.refresh_from_db()
    assert local.profile.role == Role.COORDINATOR
    assert local.check_password("pw-local-12345")  # the local password still works
    assert "sub='a1b2c3'" in caplog.text and "'eva' linked by claim email" in caplog.text
    # Linked by the provider's subject from now on: a changed address finds the same account.
    client.logout()
    provider.person["email"] = "eva.ny@karlshamn.example"
    with caplog.at_level(logging.INFO, logger="lagesbild.oidc"):
        sign_in(client)
    assert logged_in_user(client) == local
    assert "account 'eva' by claim sub" in caplog.text


@pytest.mark.parametrize("kind", ["superuser", "staff"])
def test_administrator_account_is_never_linked_by_email(client, provider, make_user, caplog, kind):
    admin = make_user("admin", username="admin")
    if kind == "staff":
        admin.is_superuser = False
        admin.is_staff = True
    admin.email = "EVA.exempel@KARLSHAMN.example"  # the same address, another case
    admin.save()
    with caplog.at_level(logging.INFO, logger="lagesbild.oidc"):
        response = sign_in(client)
    assert logged_in_user(client) is None
    page = client.get(response["Location"]).content.decode()
    assert "hör till ett administratörskonto" in page
    assert "administrator account 'admin', which is never linked by e-mail" in caplog.text
    assert not SsoIdentity.objects.exists() and User.objects.count() == 1
    admin.refresh_from_db()
    assert admin.is_staff and not hasattr(admin, "profile")


def test_administrator_linked_in_the_admin_signs_in_and_stays_administrator(
    client, provider, make_user
):
    admin = make_user("admin", username="admin")
    SsoIdentity.objects.create(
        user=admin, issuer=provider.issuer, subject="a1b2c3", linked_by="admin"
    )
    sign_in(client)
    assert logged_in_user(client) == admin
    admin.refresh_from_db()
    assert admin.is_superuser and admin.is_staff


def test_account_linked_to_another_identity_is_not_taken_by_email(client, provider):
    sign_in(client)
    client.logout()
    provider.person["sub"] = "someone-else"  # another person who got the same address
    response = sign_in(client)
    assert logged_in_user(client) is None
    assert (
        "redan är kopplat till en annan inloggning"
        in client.get(response["Location"]).content.decode()
    )


def test_group_for_all_municipalities_must_be_named_so(client, provider):
    provider.person["groups"] = ["lagesbild-lasare-alla"]
    sign_in(client)
    user = logged_in_user(client)
    assert (user.profile.role, user.profile.municipality) == (Role.READER, "")


@pytest.mark.parametrize(
    "mapping, message",
    [
        ('{"g1": {"role": "reader"}}', "LAGESBILD_OIDC_GROUPS['g1']: municipality must be"),
        ('{"g2": {"role": "reader", "municipality": "Karlshamn"}}', "not 'Karlshamn'"),
        (
            '{"g3": {"role": "department", "municipality": "all", "department": "Skola"}}',
            "LAGESBILD_OIDC_GROUPS['g3']: a department needs one municipality",
        ),
    ],
)
def test_group_mapping_without_a_municipality_stops_the_start(tmp_path, mapping, message):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LAGESBILD_")}
    env.update(LAGESBILD_HOME=str(tmp_path), LAGESBILD_OIDC_GROUPS=mapping)
    result = subprocess.run(
        [sys.executable, "-m", "lagesbild", "check"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert message in result.stderr


def test_person_in_no_mapped_group_is_refused(client, provider):
    provider.person["groups"] = ["alla-anstallda"]
    response = sign_in(client)
    assert response.status_code == 302
    assert logged_in_user(client) is None
    assert User.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"aud": "another-client"},
        {"iss": "https://evil.example"},
        {"nonce": "replayed"},
        {"exp": 1_000_000_000},
    ],
)
def test_id_token_with_wrong_claims_is_refused(client, provider, change):
    provider.id_token_changes = change
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/konto/logga-in/"
    assert logged_in_user(client) is None


def test_id_token_signed_with_an_unknown_key_is_refused(client, provider):
    provider.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = sign_in(client)
    assert response.status_code == 302
    assert logged_in_user(client) is None
    page = client.get(response["Location"])
    assert "Inloggningen med kommunens konto misslyckades" in page.content.decode()


def test_sso_is_off_unless_configured_and_local_login_works(client, make_user, settings):
    settings.OIDC_ISSUER = ""
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    make_user(Role.READER, username="lokal", password="pw-local-12345")
    response = client.post("/konto/logga-in/", {"username": "lokal", "password": "pw-local-12345"})
    assert response.status_code == 302
    assert logged_in_user(client).username == "lokal"
