"""Single sign-on with OpenID Connect (Entra ID/Azure AD, Keycloak, ...), on mozilla-django-oidc.

Off unless LAGESBILD_OIDC_ISSUER is set. What this module adds to the library:
- the provider's endpoints come from its discovery document (`<issuer>/.well-known/
  openid-configuration`), so an installation configures the issuer, not five URLs;
- the ID token's issuer and audience are checked (the library checks signature, expiry, nonce);
- the provider's groups decide the role: settings.OIDC_GROUP_ROLES maps a group name to
  {"role", "municipality", "department", "staff"}; a person in no mapped group is not let in,
  and the role is set again at every login, so removing someone from a group takes effect at
  their next login. Local accounts keep working beside it;
- a mapping names a municipality or, explicitly, "all" (checked in settings at startup);
- the person is found by the provider's subject (`sub`, stored in SsoIdentity at the first
  login). An existing account is linked by e-mail address (any case) only when it is an
  ordinary account: never a superuser or staff account, which would hand out the
  installation to anyone the provider lets choose that address. Those are linked only by an
  administrator in the Django admin. Every link and refusal is logged (logger "lagesbild.oidc").
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from lagesbild.accounts.models import Department, Profile, Role

from .models import SsoIdentity

log = logging.getLogger("lagesbild.oidc")

# Library setting -> key in the provider's discovery document.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
# When someone is in several mapped groups, the strongest role wins.
ROLE_ORDER = [Role.COORDINATOR, Role.DEPARTMENT, Role.PARTNER, Role.READER]

_discovered = {}


def enabled():
    return bool(getattr(settings, "OIDC_ISSUER", ""))


def discovery():
    """The provider's discovery document, fetched once per process and issuer."""
    issuer = settings.OIDC_ISSUER
    if issuer not in _discovered:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration",
            timeout=import_from_settings("OIDC_TIMEOUT", 10),
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer:
            raise ImproperlyConfigured(
                f"LAGESBILD_OIDC_ISSUER är {issuer}, men leverantören anger "
                f"{document.get('issuer')!r}."
            )
        _discovered[issuer] = document
    return _discovered[issuer]


def get_settings(attr, *args):
    if attr in ENDPOINTS and not hasattr(settings, attr):
        return discovery()[ENDPOINTS[attr]]
    return import_from_settings(attr, *args)


def mapping_for(claims):
    """The OIDC_GROUP_ROLES entry for the person's strongest mapped group, or None."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    found = [settings.OIDC_GROUP_ROLES[g] for g in groups if g in settings.OIDC_GROUP_ROLES]
    if not found:
        return None
    return min(found, key=lambda m: ROLE_ORDER.index(m["role"]))


class Refused(Exception):  # noqa: N818 (a refusal, not an error)
    """A login the provider allowed but Lägesbild refuses; the message is shown to the person.

    Not a SuspiciousOperation: the library swallows those, and the person would see only the
    general failure message."""


def _municipality(mapping):
    """The profile's municipality for a mapping: its code, or blank (every one) for "all"."""
    return "" if mapping["municipality"] == "all" else mapping["municipality"]


class Backend(OIDCAuthenticationBackend):
    get_settings = staticmethod(get_settings)

    def __init__(self, *args, **kwargs):
        if enabled():
            super().__init__(*args, **kwargs)
        else:
            self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not enabled():
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        try:
            payload = super().verify_token(token, **kwargs)
        except jwt.InvalidTokenError as e:  # expired, not yet valid, malformed, ...
            raise SuspiciousOperation(f"ID token refused: {e}") from e
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience is not this client.")
        if str(payload.get("iss", "")).rstrip("/") != settings.OIDC_ISSUER:
            raise SuspiciousOperation("ID token issuer is not the configured provider.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        # Entra ID puts groups in the ID token, others in userinfo: use both.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def verify_claims(self, claims):
        if not claims.get("sub"):
            log.warning("OIDC login refused: the provider sent no subject (sub)")
            return False
        if not claims.get("email"):
            log.warning("OIDC login refused: the provider sent no e-mail address")
            return False
        if mapping_for(claims) is None:
            log.warning("OIDC login refused for %s: in no mapped group", claims.get("email"))
            return False
        return True

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("Claims verification failed")
        who = f"sub={claims['sub']!r} email={claims['email']!r}"
        identity = (
            SsoIdentity.objects.select_related("user")
            .filter(issuer=settings.OIDC_ISSUER, subject=claims["sub"])
            .first()
        )
        if identity is not None:
            log.info("OIDC login %s: account %r by claim sub", who, identity.user.username)
            return self.update_user(identity.user, claims)
        users = list(self.filter_users_by_claims(claims))
        if len(users) > 1:
            log.warning("OIDC login refused for %s: several accounts have that e-mail", who)
            raise Refused(
                _("Flera konton i Lägesbild har din e-postadress. Kontakta administratören.")
            )
        if not users:
            with transaction.atomic():
                user = self.create_user(claims)
                self._link(user, claims, "new")
            log.info("OIDC login %s: new account %r, linked by claim sub", who, user.username)
            return user
        user = users[0]
        if user.is_superuser or user.is_staff:
            log.warning(
                "OIDC login refused for %s: claim email matches administrator account %r, "
                "which is never linked by e-mail",
                who,
                user.username,
            )
            raise Refused(
                _(
                    "Din e-postadress hör till ett administratörskonto i Lägesbild, som inte "
                    "kopplas till kommunens inloggning. Logga in med användarnamn och lösenord."
                )
            )
        if SsoIdentity.objects.filter(user=user).exists():
            log.warning(
                "OIDC login refused for %s: claim email matches account %r, which is linked "
                "to another identity",
                who,
                user.username,
            )
            raise Refused(
                _(
                    "Din e-postadress hör till ett konto som redan är kopplat till en annan "
                    "inloggning. Kontakta administratören."
                )
            )
        with transaction.atomic():
            self._link(user, claims, "email")
            user = self.update_user(user, claims)
        log.warning("OIDC login %s: existing account %r linked by claim email", who, user.username)
        return user

    def _link(self, user, claims, how):
        SsoIdentity.objects.create(
            user=user, issuer=settings.OIDC_ISSUER, subject=claims["sub"], linked_by=how
        )

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"])

    def get_username(self, claims):
        base = (claims.get("preferred_username") or claims["email"])[:140]
        username, n = base, 1
        while self.UserModel.objects.filter(username=username).exists():
            n += 1
            username = f"{base}-{n}"
        return username

    @transaction.atomic
    def create_user(self, claims):
        user = self.UserModel.objects.create_user(self.get_username(claims), claims["email"])
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user, claims):
        mapping = mapping_for(claims)
        user.email = claims["email"]
        user.first_name = claims.get("given_name", user.first_name)[:150]
        user.last_name = claims.get("family_name", user.last_name)[:150]
        if not user.is_superuser:  # the provider never demotes a local administrator
            user.is_staff = bool(mapping.get("staff", False))
        user.save()
        department = None
        if mapping.get("department"):
            department, _ = Department.objects.get_or_create(
                municipality=mapping["municipality"], name=mapping["department"]
            )
        Profile.objects.update_or_create(
            user=user,
            defaults={
                "role": mapping["role"],
                "municipality": _municipality(mapping),
                "department": department,
            },
        )
        return user


class _OnlyWhenEnabled:
    def __init__(self, *args, **kwargs):
        if enabled():
            super().__init__(*args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AuthenticateView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    get_settings = staticmethod(get_settings)


class CallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    get_settings = staticmethod(get_settings)

    def get(self, request):
        try:
            return super().get(request)
        except Refused as e:
            messages.error(request, str(e))
            return super().login_failure()
        except (SuspiciousOperation, requests.RequestException) as e:
            log.warning("OIDC login failed: %s", e)
            return self.login_failure()

    @property
    def failure_url(self):
        return resolve_url(settings.LOGIN_URL)

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Inloggningen med kommunens konto misslyckades. Har du behörighet till "
                "Lägesbild? Kontakta kommunens IT-support."
            ),
        )
        return super().login_failure()
