"""The public sign-up form ("Bidra") and the coordinator's inbox of offers.

The form is never cached (it carries a CSRF token). The inbox shows contact details, so every
view checks the object permission (rules.py) on every read and write: another role gets 403,
another municipality's offer 404 (its existence is not revealed).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lagesbild.core.ratelimit import over_limit
from lagesbild.public.models import Event, InternshipPlace, MeetingPlace, Moderation, Partner
from lagesbild.public.sites import public_site

from .forms import ACCEPT_FORMS, AnswerForm, OfferForm
from .models import Offer, OfferReply, retention_days


@public_site
def form(request):
    site = request.public_site
    template = "offers/form.html"
    if request.method != "POST":
        return render(request, template, {"form": OfferForm(site_name=site.full_name)})
    form = OfferForm(request.POST, site_name=site.full_name)
    # The shared limit for public forms (settings.RATELIMITS["form"], on in production).
    wait = over_limit(request, "form")
    if wait:
        response = render(request, template, {"form": form, "rate_limited": True}, status=429)
        response["Retry-After"] = str(wait)
        return response
    thanks_url = reverse("offers:thanks", kwargs={"kommun": site.slug})
    if form.is_spam:
        # Answer as if accepted: a bot learns nothing, and nothing is stored.
        return redirect(thanks_url)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    data = form.cleaned_data
    Offer.objects.create(
        municipality=site.code,
        kind=data["kind"],
        offered_by_type=data["offered_by_type"],
        organisation=data["organisation"],
        contact_name=data["contact_name"],
        email=data["email"],
        phone=data["phone"],
        description=data["description"],
        trade=data["trade"],
        period_start=data["period_start"],
        period_end=data["period_end"],
        language_support=",".join(data["language_support"]),
        language=get_language() or "",
        consent_given_at=timezone.now(),
        consent_text=form.consent_text,
        retention_days=retention_days(),
    )
    return redirect(thanks_url)


@public_site
def thanks(request):
    return render(request, "offers/thanks.html", {"days": retention_days()})


# --- staff: the inbox -------------------------------------------------------------------------


def _inbox_user(request):
    if not request.user.has_perm("offers.view_inbox"):
        raise PermissionDenied


def _offer(request, pk):
    """The offer, if the user may handle it: 403 for other roles, 404 for other municipalities."""
    _inbox_user(request)
    offer = get_object_or_404(Offer, pk=pk)
    if not request.user.has_perm("offers.change_offer", offer):
        raise Http404
    return offer


def _own_offers(user):
    offers = Offer.objects.all()
    profile = getattr(user, "profile", None)
    if not user.is_superuser and profile and profile.municipality:
        offers = offers.filter(municipality=profile.municipality)
    return [o for o in offers if user.has_perm("offers.view_offer", o)]


# Offers still waiting for a decision (answering is not one).
OPEN = (Offer.Status.NEW, Offer.Status.ANSWERED)


@login_required
def inbox(request):
    _inbox_user(request)
    offers = _own_offers(request.user)
    status = request.GET.get("status", "")
    if status in Offer.Status.values:
        offers = [o for o in offers if o.status == status]
    return render(
        request,
        "offers/inbox.html",
        {"offers": offers, "status": status, "statuses": Offer.Status.choices},
    )


def _accept_initial(offer):
    return {
        "praktikplats": {
            "title": offer.trade or offer.get_kind_display(),
            "field": offer.trade,
            "period_start": offer.period_start,
            "period_end": offer.period_end,
        },
        "partner": {"name": offer.organisation},
        "motesplats": {"name": offer.organisation},
        "evenemang": {"title": offer.get_kind_display()},
    }


def _detail(request, offer, status=200, **forms):
    initial = _accept_initial(offer)
    accept_forms = {
        key: forms.get(key) or form_class(prefix=key, initial=initial[key])
        for key, form_class in ACCEPT_FORMS.items()
    }
    context = {
        "offer": offer,
        "replies": offer.replies.all(),
        "answer_form": forms.get("answer") or AnswerForm(prefix="svar"),
        "accept_forms": accept_forms,
        "may_decide": offer.status in OPEN,
    }
    return render(request, "offers/detail.html", context, status=status)


@login_required
def detail(request, pk):
    return _detail(request, _offer(request, pk))


@login_required
@require_POST
def answer(request, pk):
    offer = _offer(request, pk)
    form = AnswerForm(request.POST, prefix="svar")
    if not form.is_valid():
        return _detail(request, offer, status=400, answer=form)
    text = form.cleaned_data["text"]
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        OfferReply.objects.create(offer=offer, text=text, sent_to=offer.email, sent_by=request.user)
        if offer.status == Offer.Status.NEW:
            offer.status = Offer.Status.ANSWERED
            offer.save(update_fields=["status"])
        # Sent last: a failure rolls the stored reply back, so the log says only what was sent.
        send_mail(
            _("Svar på ditt erbjudande till %(kommun)s") % {"kommun": _site_name(offer)},
            text,
            settings.DEFAULT_FROM_EMAIL,
            [offer.email],
        )
    return redirect("offers:detail", pk=offer.pk)


def _site_name(offer):
    from lagesbild.core import municipalities

    area = municipalities.get(offer.municipality)
    return area.full_name if area else offer.municipality


def _decide(offer, user, status):
    offer.status, offer.decided_by, offer.decided_at = status, user, timezone.now()


@login_required
@require_POST
def reject(request, pk):
    offer = _offer(request, pk)
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.status not in OPEN:
            return _detail(request, offer, status=409)
        _decide(offer, request.user, Offer.Status.REJECTED)
        offer.save(update_fields=["status", "decided_by", "decided_at"])
    return redirect("offers:detail", pk=offer.pk)


def _unique_slug(model, municipality, name):
    base = slugify(name)[:70] or "erbjudande"
    slug, n = base, 1
    while model.objects.filter(municipality=municipality, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


PARTNER_KIND = {
    Offer.OfferedBy.COMPANY: Partner.Kind.BUSINESS,
    Offer.OfferedBy.ASSOCIATION: Partner.Kind.ASSOCIATION,
    Offer.OfferedBy.RESIDENT: Partner.Kind.ASSOCIATION,
}


def _create(as_what, offer, data):
    """The unpublished public content the offer becomes; (field on Offer, object)."""
    common = {"municipality": offer.municipality, "is_example": False}
    if as_what == "praktikplats":
        return "internship", InternshipPlace.objects.create(
            title_sv=data["title"],
            field_sv=data["field"],
            description_sv=offer.description,
            period_start=data["period_start"],
            period_end=data["period_end"],
            # Public once published: the organisation's name only, never the person's details.
            contact=offer.organisation,
            proposer_organisation=offer.organisation,
            status=Moderation.PENDING,
            **common,
        )
    if as_what == "partner":
        return "partner", Partner.objects.create(
            name=data["name"],
            slug=_unique_slug(Partner, offer.municipality, data["name"]),
            kind=PARTNER_KIND[offer.offered_by_type],
            description_sv=offer.description,
            is_public=False,
            **common,
        )
    if as_what == "motesplats":
        return "meeting_place", MeetingPlace.objects.create(
            name_sv=data["name"],
            slug=_unique_slug(MeetingPlace, offer.municipality, data["name"]),
            address=data["address"],
            languages=offer.language_support,
            description_sv=offer.description,
            **common,
        )
    return "event", Event.objects.create(
        title_sv=data["title"],
        description_sv=offer.description,
        start=data["start"],
        end=data["end"],
        address=data["address"],
        languages=offer.language_support or "sv",
        proposer_organisation=offer.organisation,
        status=Moderation.PENDING,
        **common,
    )


ADMIN_CHANGE = {
    "internship": "admin:public_internshipplace_change",
    "partner": "admin:public_partner_change",
    "meeting_place": "admin:public_meetingplace_change",
    "event": "admin:public_event_change",
}


@login_required
@require_POST
def accept(request, pk, as_what):
    offer = _offer(request, pk)
    form_class = ACCEPT_FORMS.get(as_what)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, prefix=as_what)
    if not form.is_valid():
        return _detail(request, offer, status=400, **{as_what: form})
    with transaction.atomic():
        # Locked and checked again: two clicks never create two objects from one offer.
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.status not in OPEN:
            return _detail(request, offer, status=409)
        field, obj = _create(as_what, offer, form.cleaned_data)
        setattr(offer, field, obj)
        _decide(offer, request.user, Offer.Status.ACCEPTED)
        offer.save()
    return redirect(reverse(ADMIN_CHANGE[field], args=[obj.pk]))
