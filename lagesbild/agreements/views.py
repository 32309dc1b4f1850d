"""Staff pages of collaboration agreements (issue #15 part 2).

Every view needs a login. An agreement of another municipality is "not found" (404), so its
existence is not revealed; then the rules decide (rules.py): the municipality's own people
read, its coordinator writes. Partners get a 403 page that says why they see nothing.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lagesbild.accounts.models import Role, role_of
from lagesbild.core.history import change_kind, field_changes

from .forms import AgreementForm, DocumentForm, FilterForm
from .models import Agreement, AgreementDocument, current_areas


def _own_municipality(user):
    """The user's kommunkod, or None for an installation admin (every municipality)."""
    if user.is_superuser:
        return None
    profile = getattr(user, "profile", None)
    return profile.municipality if profile else ""


def _guard(view):
    """Login first; a partner gets a page saying agreements are not shown to partners."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if role_of(request.user) == Role.PARTNER:
            return render(request, "agreements/partner_denied.html", status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _get(request, pk):
    """The agreement, 404 when it belongs to another municipality, 403 without read access."""
    agreement = get_object_or_404(Agreement.objects.select_related("partner"), pk=pk)
    code = _own_municipality(request.user)
    if code is not None and agreement.municipality != code:
        raise Http404("avtalet finns inte i din kommun")
    if not request.user.has_perm("agreements.view_agreement", agreement):
        raise PermissionDenied
    return agreement


class _Here:
    """Stands for "a new agreement in this municipality" in the rules."""

    def __init__(self, municipality):
        self.municipality = municipality


@_guard
def agreement_list(request):
    """The municipality's agreements, filtered by status and kind."""
    code = _own_municipality(request.user)
    if code is not None and not request.user.has_perm("agreements.view_agreement", _Here(code)):
        raise PermissionDenied
    agreements = Agreement.objects.select_related("partner")
    if code is not None:
        agreements = agreements.filter(municipality=code)
    form = FilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["status"]:
            agreements = agreements.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["kind"]:
            agreements = agreements.filter(kind=form.cleaned_data["kind"])
    return render(
        request,
        "agreements/list.html",
        {
            "agreements": agreements,
            "form": form,
            "can_add": request.user.has_perm("agreements.add_agreement", _Here(code or "")),
        },
    )


def _history(agreement):
    """Who changed which fields when, newest first (the reminder bookkeeping left out)."""
    skip = ["renewal_reminded_for", "end_reminded_for", "updated_at"]
    return [
        {
            "date": record.history_date,
            "user": record.history_user,
            "type": change_kind(record),
            "changes": field_changes(record, excluded_fields=skip),
        }
        for record in agreement.history.select_related("history_user").all()
    ]


@_guard
def agreement_detail(request, pk):
    agreement = _get(request, pk)
    areas = current_areas(agreement.municipality)
    can_change = request.user.has_perm("agreements.change_agreement", agreement)
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "area_titles": [areas.get(k, k) for k in agreement.area_keys],
            "activities": agreement.activities.select_related("plan"),
            "documents": agreement.documents.all(),
            "history": _history(agreement),
            "can_change": can_change,
            "can_upload": request.user.has_perm("agreements.add_agreementdocument", agreement),
            "document_form": DocumentForm(),
        },
    )


@_guard
def agreement_create(request):
    code = _own_municipality(request.user)
    if not request.user.has_perm("agreements.add_agreement", _Here(code or "")):
        raise PermissionDenied
    form = AgreementForm(request.POST or None, municipality=code)
    if request.method == "POST" and form.is_valid():
        agreement = form.save()
        messages.success(request, _("Avtalet är sparat."))
        return redirect(agreement)
    return render(
        request, "agreements/form.html", {"form": form, "title": _("Nytt samverkansavtal")}
    )


@_guard
def agreement_edit(request, pk):
    agreement = _get(request, pk)
    if not request.user.has_perm("agreements.change_agreement", agreement):
        raise PermissionDenied
    form = AgreementForm(
        request.POST or None, instance=agreement, municipality=agreement.municipality
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Avtalet är sparat."))
        return redirect(agreement)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Ändra avtalet"), "back": agreement.get_absolute_url()},
    )


@_guard
@require_POST
def document_upload(request, pk):
    agreement = _get(request, pk)
    if not request.user.has_perm("agreements.add_agreementdocument", agreement):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect(agreement)
    upload = form.cleaned_data["file"]
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255]
    with transaction.atomic():
        document = AgreementDocument(
            agreement=agreement, original_name=name, uploaded_by=request.user
        )
        document.file.save(name, upload, save=False)  # default_storage, agreements/<id>/
        document.save()
    messages.success(request, _("%(name)s är uppladdat.") % {"name": name})
    return redirect(agreement)


@_guard
@require_GET
def document_download(request, pk):
    """The file, as an attachment: only for the agreement's municipality's own people."""
    document = get_object_or_404(AgreementDocument, pk=pk)
    _get(request, document.agreement_id)
    try:
        stored = default_storage.open(document.file.name, "rb")
    except FileNotFoundError:
        # The row outlived its file (a storage restored from an older backup): say so plainly.
        raise Http404(_("Filen finns inte längre i lagringen.")) from None
    return FileResponse(stored, as_attachment=True, filename=document.original_name)
