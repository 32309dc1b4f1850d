"""Creating invited accounts and sending the invitation e-mail."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from lagesbild.core import municipalities
from lagesbild.ops import oidc

from .models import Profile, Role
from .tokens import INVITATION_DAYS, invitation_tokens

# The apps whose content a coordinator administers in the Django admin (as the demo sets up).
COORDINATOR_APPS = [
    "policy",
    "stats",
    "reports",
    "plan",
    "public",
    "civic",
    "meetings",
    "agreements",
    "accounts",
]


def base_url_problem(value):
    """Why `value` cannot start the links in e-mails (a message), or "" when it can.

    A link in an e-mail is opened outside the site: it needs the scheme and the host name.
    """
    if not value:
        return "ingen adress angiven; sätt LAGESBILD_BASE_URL, t.ex. https://lagesbild.kommun.se"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return (
            f"{value!r} är ingen fullständig adress: den ska börja med https:// och "
            "webbplatsens namn, t.ex. https://lagesbild.kommun.se"
        )
    if parts.query or parts.fragment:
        return f"{value!r}: adressen får inte ha ? eller # (bara https://namn och ev. sökväg)"
    return ""


def base_url(request=None):
    """The site's address for links in e-mails: settings.BASE_URL, else the request's."""
    if settings.BASE_URL:
        return settings.BASE_URL.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return ""


def is_pending(user):
    """Invited, and has neither set a password nor logged in (e.g. with single sign-on)."""
    return not user.has_usable_password() and user.last_login is None


def signs_in_with_sso(user):
    """Has logged in without a password of her own: through the identity provider."""
    return not user.has_usable_password() and user.last_login is not None


def set_coordinator_admin(user):
    """A coordinator administers her municipality's content in the Django admin (scoped to it,
    see admin.py); other roles do not. Superusers are left as they are."""
    if user.is_superuser:
        return
    profile = getattr(user, "profile", None)
    coordinator = bool(profile and profile.role == Role.COORDINATOR and user.is_active)
    perms = Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS)
    if coordinator:
        user.user_permissions.add(*perms)
    else:
        user.user_permissions.remove(*perms)
    if user.is_staff != coordinator:
        user.is_staff = coordinator
        user.save(update_fields=["is_staff"])


@transaction.atomic
def create_invited_user(
    *, email, first_name, last_name, role, municipality, department, organisation
):
    """The user (user name = e-mail, no usable password) and her profile."""
    user = User(username=email.lower(), email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    Profile.objects.create(
        user=user,
        role=role,
        municipality=municipality,
        department=department,
        organisation=organisation,
    )
    set_coordinator_admin(user)
    return user


def send_invitation(request, user, inviter):
    """E-mail the invitation: a one-time link to set a password, or, with single sign-on, where
    to log in with the organisation's account. Sending again makes earlier links invalid."""
    site = base_url(request)
    context = {
        "user": user,
        "inviter": inviter,
        "municipality": municipalities.get(user.profile.municipality),
        "role": user.profile.get_role_display(),
        "sso": oidc.enabled(),
        "login_url": site + reverse("accounts:login"),
        "days": INVITATION_DAYS,
    }
    if not oidc.enabled():
        with transaction.atomic():
            user.set_unusable_password()  # earlier invitation links stop working
            user.save(update_fields=["password"])
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = invitation_tokens.make_token(user)
        context["link"] = site + reverse("accounts:activate", args=[uid, token])
    subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
    body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
