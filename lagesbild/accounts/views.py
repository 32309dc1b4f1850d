"""Accounts without the Django admin: the coordinator manages her municipality's users and
departments, an installation admin those of every municipality; password reset and change.

Every view checks `accounts.manage_users` (rules.py) against the municipality it shows or
changes, on GET and POST alike. A coordinator of another municipality gets 404 for a user or
department that is not hers; other roles get 403, anonymous visitors the log-in page.
"""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lagesbild.core import municipalities
from lagesbild.ops import oidc

from .forms import DepartmentForm, InviteForm, LoginForm, UserEditForm, clean_kommunkod
from .models import Department, Profile, Role, role_of
from .services import (
    base_url,
    create_invited_user,
    is_pending,
    send_invitation,
    set_coordinator_admin,
    signs_in_with_sso,
)
from .tokens import invitation_tokens

PERM = "accounts.manage_users"


def _own_municipality(user):
    """The municipality a coordinator manages; None for admins (any municipality)."""
    if user.is_superuser:
        return None
    profile = getattr(user, "profile", None)
    return (profile.municipality or None) if profile else None


def _may_manage(user, code):
    return user.has_perm(PERM, SimpleNamespace(municipality=code))


def _require_manager(user):
    """403 unless the user manages some municipality's accounts."""
    if not (user.is_superuser or role_of(user) == Role.COORDINATOR):
        raise PermissionDenied


def _chosen_municipality(request):
    """(kommunkod or None, error message or None) from ?kommun= (or the form's kommun),
    else the coordinator's own municipality; a coordinator may name only her own."""
    own = _own_municipality(request.user)
    raw = request.GET.get("kommun") or request.POST.get("kommun")
    if not raw:
        return own, None
    try:
        code = clean_kommunkod(raw)
    except Exception as e:  # ValidationError
        return own, e.messages[0]
    if not _may_manage(request.user, code):
        raise PermissionDenied
    return code, None


def _target_user(request, pk):
    """The user to change, if the caller may: 404 for another municipality's coordinator."""
    _require_manager(request.user)
    target = get_object_or_404(User.objects.select_related("profile"), pk=pk, profile__isnull=False)
    if not request.user.has_perm(PERM, target.profile):
        raise Http404
    if target.is_superuser and not request.user.is_superuser:
        raise PermissionDenied(_("Administratörens konto kan bara ändras av en administratör."))
    return target


def _users_url(code=None):
    url = reverse("accounts:users")
    return f"{url}?kommun={code}" if code else url


@login_required
def users(request):
    _require_manager(request.user)
    code, error = _chosen_municipality(request)
    profiles = Profile.objects.select_related("user", "department").order_by(
        "municipality", "user__last_name", "user__first_name", "user__username"
    )
    if code:
        profiles = profiles.filter(municipality=code)
    rows = [
        {
            "user": p.user,
            "profile": p,
            "pending": is_pending(p.user),
            "sso": signs_in_with_sso(p.user),
            "municipality": municipalities.get(p.municipality),
        }
        for p in profiles
    ]
    return render(
        request,
        "accounts/users.html",
        {
            "rows": rows,
            "kommun": municipalities.get(code) if code else None,
            "kommun_error": error,
            "kommun_value": request.GET.get("kommun", ""),
            "oidc": oidc.enabled(),
            "is_admin": request.user.is_superuser,
        },
    )


@login_required
def invite(request):
    _require_manager(request.user)
    own = _own_municipality(request.user)
    if own and not _may_manage(request.user, own):
        raise PermissionDenied
    initial = {}
    if own is None and request.GET.get("kommun"):
        initial["municipality_code"] = request.GET["kommun"]
    form = InviteForm(request.POST or None, fixed_municipality=own, initial=initial)
    if request.method == "POST" and form.is_valid():
        code = form.target_municipality()
        if not _may_manage(request.user, code):
            raise PermissionDenied
        data = form.cleaned_data
        with transaction.atomic():
            user = create_invited_user(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                role=data["role"],
                municipality=code,
                department=form.department_to_use(),
                organisation=data["organisation"].strip(),
            )
            send_invitation(request, user, request.user)
        messages.success(
            request,
            _("Inbjudan är skickad till %(email)s.") % {"email": user.email},
        )
        return redirect(_users_url(code if own is None else None))
    return render(
        request,
        "accounts/invite.html",
        {
            "form": form,
            "kommun": municipalities.get(own) if own else None,
            "oidc": oidc.enabled(),
            "back": _users_url(),
        },
    )


@login_required
def user_edit(request, pk):
    target = _target_user(request, pk)
    profile = target.profile
    initial = {
        "role": profile.role,
        "department": profile.department,
        "organisation": profile.organisation,
        "is_active": target.is_active,
    }
    form = UserEditForm(request.POST or None, initial=initial, target=target, editor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            profile.role = data["role"]
            profile.department = form.department_to_use()
            profile.organisation = data["organisation"].strip()
            profile.save()
            target.is_active = data["is_active"]
            target.save(update_fields=["is_active"])
            set_coordinator_admin(target)
        messages.success(request, _("Ändringarna för %(name)s är sparade.") % {"name": target})
        return redirect(_users_url(profile.municipality if request.user.is_superuser else None))
    return render(
        request,
        "accounts/user_edit.html",
        {
            "form": form,
            "target": target,
            "pending": is_pending(target),
            "sso": signs_in_with_sso(target),
            "oidc": oidc.enabled(),
            "kommun": municipalities.get(profile.municipality),
            "back": _users_url(profile.municipality if request.user.is_superuser else None),
        },
    )


@require_POST
@login_required
def user_resend(request, pk):
    target = _target_user(request, pk)
    if not target.is_active or not is_pending(target):
        messages.error(
            request,
            _(
                "%(name)s har redan aktiverat sitt konto eller är avstängd: ingen inbjudan skickades."
            )
            % {"name": target},
        )
    else:
        send_invitation(request, target, request.user)
        messages.success(
            request, _("Inbjudan är skickad igen till %(email)s.") % {"email": target.email}
        )
    return redirect(reverse("accounts:user_edit", args=[target.pk]))


@login_required
def departments(request):
    _require_manager(request.user)
    code, error = _chosen_municipality(request)
    form = None
    if code:
        form = DepartmentForm(request.POST or None, municipality=code)
        if request.method == "POST" and form.is_valid():
            department = form.save(commit=False)
            department.municipality = code
            department.save()
            messages.success(
                request, _("Förvaltningen %(name)s är tillagd.") % {"name": department.name}
            )
            url = reverse("accounts:departments")
            return redirect(f"{url}?kommun={code}" if request.user.is_superuser else url)
    elif request.method == "POST":
        raise PermissionDenied  # an admin adds a department to a municipality she names
    listed = Department.objects.annotate(
        members_count=Count("members", filter=Q(members__user__is_active=True))
    ).order_by("municipality", "name")
    if code:
        listed = listed.filter(municipality=code)
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "accounts/departments.html",
        {
            "departments": listed,
            "form": form,
            "kommun": municipalities.get(code) if code else None,
            "kommun_error": error,
            "kommun_value": request.GET.get("kommun", ""),
            "is_admin": request.user.is_superuser,
        },
        status=status,
    )


@login_required
def department_edit(request, pk):
    _require_manager(request.user)
    department = get_object_or_404(Department, pk=pk)
    if not request.user.has_perm(PERM, department):
        raise Http404
    form = DepartmentForm(
        request.POST or None, instance=department, municipality=department.municipality
    )
    back = reverse("accounts:departments")
    if request.user.is_superuser:
        back += f"?kommun={department.municipality}"
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Förvaltningen är sparad."))
        return redirect(back)
    return render(
        request,
        "accounts/form.html",
        {
            "form": form,
            "title": _("Byt namn på förvaltningen %(name)s") % {"name": department.name},
            "back": back,
        },
        status=400 if form.errors else 200,
    )


# Log-in, activation, password reset and change --------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc": oidc.enabled()}


login = LoginView.as_view()


class ActivateView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the invited user chooses her password, once."""

    template_name = "accounts/activate.html"
    token_generator = invitation_tokens
    reset_url_token = "valj-losenord"
    success_url = reverse_lazy("accounts:login")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Ditt lösenord är sparat. Logga in med din e-postadress och lösenordet."),
        )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"base_url": base_url(self.request)}
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change_form.html",
    success_url=reverse_lazy("accounts:password_change_done"),
)
password_change_done = auth_views.PasswordChangeDoneView.as_view(
    template_name="accounts/password_change_done.html"
)
