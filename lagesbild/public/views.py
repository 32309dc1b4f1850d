"""Public pages (no login), one site per municipality, and the staff moderation queue.

Every public view is wrapped in sites.public_site: it reads the municipality from the address
and every query below is filtered to it, so one municipality's page never shows another's
content.
"""

from datetime import datetime, timedelta
from datetime import time as clock_time
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lagesbild.core import municipalities
from lagesbild.core.ratelimit import over_limit

from .caching import cached_page
from .feeds import build_calendar, event_json_ld
from .forms import EventFilterForm, EventProposalForm, InternshipProposalForm
from .models import (
    STOCKHOLM,
    Event,
    GuideEntry,
    InternshipPlace,
    MeetingPlace,
    Moderation,
    Partner,
    PublicSite,
    spoken_language_choices,
)
from .sites import mapped_slug, public_site, published_sites, visible_sites


def published_events(site):
    return Event.objects.filter(municipality=site.code, status=Moderation.PUBLISHED).select_related(
        "place", "organiser"
    )


def here(request, name, **kwargs):
    """The address of one of this municipality's public pages."""
    return reverse(f"public:{name}", kwargs={"kommun": request.public_site.slug, **kwargs})


@public_site
def site_start(request):
    return redirect(here(request, "calendar"))


def filtered_occurrences(events, data):
    """(start, end, event) for every occurrence within the filter's days, in time order."""
    start = datetime.combine(data["fran"], clock_time.min, STOCKHOLM)
    end = datetime.combine(data["till"] + timedelta(days=1), clock_time.min, STOCKHOLM)
    found = []
    for event in events:
        if data.get("plats") and not (event.place and event.place.slug == data["plats"]):
            continue
        if data.get("sprak") and data["sprak"] not in event.language_codes:
            continue
        if data.get("malgrupp") and event.target_group != data["malgrupp"]:
            continue
        found += [(s, e, event) for s, e in event.occurrences(start, end)]
    return sorted(found, key=lambda x: (x[0], x[2].pk))


@public_site
@cached_page
def calendar(request):
    form = EventFilterForm(request.GET, site=request.public_site)
    if not form.is_valid():
        return render(request, "public/calendar.html", {"form": form, "days": []}, status=400)
    # Single events that ended before the range cannot show; repeating ones are expanded.
    first_day = datetime.combine(form.cleaned_data["fran"], clock_time.min, STOCKHOLM)
    events = published_events(request.public_site).exclude(rrule="", end__lt=first_day)
    items = filtered_occurrences(events, form.cleaned_data)
    days = [
        (day, list(group))
        for day, group in groupby(items, key=lambda x: timezone.localtime(x[0], STOCKHOLM).date())
    ]
    feed_query = f"?sprak={form.cleaned_data['sprak']}" if form.cleaned_data.get("sprak") else ""
    return render(
        request, "public/calendar.html", {"form": form, "days": days, "feed_query": feed_query}
    )


@public_site
def event_detail(request, pk):
    event = get_object_or_404(published_events(request.public_site), pk=pk)
    now = timezone.now()
    return render(
        request,
        "public/event_detail.html",
        {
            "event": event,
            "upcoming": event.occurrences(start=now)[:10],
            "json_ld": event_json_ld(
                event, request.build_absolute_uri(event.get_absolute_url()), now
            ),
        },
    )


def _feed_response(request, events, name):
    body = build_calendar(
        events, f"{name} – {request.public_site.full_name}", request.build_absolute_uri("/")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kalender.ics"'
    return response


@public_site
@cached_page
def feed(request):
    events = published_events(request.public_site)
    language = request.GET.get("sprak", "")
    known = [code for code, _name in spoken_language_choices()]
    if language and language not in known:
        message = _("Okänd språkkod %(code)s. Använd någon av: %(known)s.")
        return HttpResponse(
            message % {"code": language, "known": ", ".join(known)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    if language:
        events = [e for e in events if language in e.language_codes]
    return _feed_response(request, events, _("Evenemang"))


@public_site
@cached_page
def organiser_feed(request, slug):
    organiser = get_object_or_404(Partner, municipality=request.public_site.code, slug=slug)
    events = published_events(request.public_site).filter(organiser=organiser)
    return _feed_response(request, events, organiser.name)


@public_site
@cached_page
def places(request):
    found = MeetingPlace.objects.filter(municipality=request.public_site.code)
    return render(request, "public/places.html", {"places": found})


@public_site
def place_detail(request, slug):
    place = get_object_or_404(MeetingPlace, municipality=request.public_site.code, slug=slug)
    now = timezone.now()
    events = [
        (e.next_occurrence(now), e)
        for e in published_events(request.public_site).filter(place=place)
        if e.occurrences(now)
    ]
    return render(
        request,
        "public/place_detail.html",
        {"place": place, "events": sorted(events, key=lambda x: x[0][0])},
    )


def published_internships(site):
    return InternshipPlace.objects.filter(
        municipality=site.code, status=Moderation.PUBLISHED
    ).select_related("offered_by", "department")


@public_site
@cached_page
def internships(request):
    found = published_internships(request.public_site)
    return render(request, "public/internships.html", {"internships": found})


@public_site
def internship_detail(request, pk):
    place = get_object_or_404(published_internships(request.public_site), pk=pk)
    return render(request, "public/internship_detail.html", {"internship": place})


@public_site
@cached_page
def partners(request):
    found = Partner.objects.filter(municipality=request.public_site.code, is_public=True)
    return render(request, "public/partners.html", {"partners": found})


@public_site
@cached_page
def guide(request):
    entries = GuideEntry.objects.filter(municipality=request.public_site.code)
    sections = [
        (category, list(group))
        for category, group in groupby(entries, key=lambda e: e.get_category_display())
    ]
    return render(request, "public/guide.html", {"sections": sections})


def _propose(request, form_class, template, create):
    if request.method == "POST":
        form = form_class(request.POST)
        # The shared limit for public forms (settings.RATELIMITS["form"], on in production).
        wait = over_limit(request, "form")
        if wait:
            response = render(request, template, {"form": form, "rate_limited": True}, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_spam:
            # Answer as if accepted: a bot learns nothing, and nothing is stored.
            return redirect(here(request, "thanks"))
        if form.is_valid():
            with transaction.atomic():
                create({**form.cleaned_data, "municipality": request.public_site.code})
            return redirect(here(request, "thanks"))
        return render(request, template, {"form": form}, status=400)
    return render(request, template, {"form": form_class()})


def _proposal_common(data):
    return {
        "municipality": data["municipality"],
        "proposer_organisation": data["organisation"],
        "proposer_email": data["email"],
        "status": Moderation.PENDING,
        "from_proposal": True,
    }


@public_site
def propose_event(request):
    def create(data):
        Event.objects.create(
            title_sv=data["title"],
            description_sv=data["description"],
            start=data["start"],
            end=data["end"],
            address=data["address"],
            languages=",".join(data["languages"]),
            target_group=data["target_group"],
            cost_sv=data["cost"],
            is_free=not data["cost"],
            accessibility_sv=data["accessibility"],
            **_proposal_common(data),
        )

    return _propose(request, EventProposalForm, "public/propose_event.html", create)


@public_site
def propose_internship(request):
    def create(data):
        InternshipPlace.objects.create(
            title_sv=data["title"],
            field_sv=data["field"],
            description_sv=data["description"],
            requirements_sv=data["requirements"],
            swedish_level=data["swedish_level"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            contact=data["contact"],
            **_proposal_common(data),
        )

    return _propose(request, InternshipProposalForm, "public/propose_internship.html", create)


@public_site
def thanks(request):
    return render(request, "public/thanks.html")


@public_site
def logo(request):
    row = PublicSite.objects.filter(municipality=request.public_site.code).first()
    if row is None or not row.logo:
        raise Http404
    response = HttpResponse(bytes(row.logo), content_type=row.logo_content_type)
    # The address carries ?v=<when it changed> (public/base_public.html): a new logo is a new URL.
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@public_site
def theme(request):
    """The municipality's accent colour as CSS (the Content-Security-Policy forbids inline
    styles). The colour was checked for 4.5:1 against white when it was saved."""
    accent = request.public_site.accent
    if not accent:
        raise Http404
    dark = "#" + "".join(f"{int(int(accent[i : i + 2], 16) * 0.75):02x}" for i in (1, 3, 5))
    css = f":root {{ --accent: {accent}; --accent-dark: {dark}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"  # the address carries ?v=<colour>
    return response


def site_pages(site):
    """Addresses (in Swedish) of every public page of one site, for its sitemap."""
    kommun = {"kommun": site.slug}
    pages = [
        reverse(f"public:{name}", kwargs=kommun)
        for name in ("calendar", "places", "internships", "partners", "guide")
    ]
    pages += [p.get_absolute_url() for p in MeetingPlace.objects.filter(municipality=site.code)]
    pages += [e.get_absolute_url() for e in published_events(site)]
    pages += [i.get_absolute_url() for i in published_internships(site)]
    for section in SITEMAP_SECTIONS:
        pages += section(site)
    return pages


# Other apps' public pages (civic information, …): callables site -> [address].
SITEMAP_SECTIONS = []


@public_site
@cached_page
def sitemap(request):
    """sitemaps.org XML: every page of this municipality, each with its language versions."""
    from django.conf import settings
    from django.urls import translate_url
    from django.utils.html import escape
    from django.utils.translation import override

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    with override(settings.LANGUAGE_CODE):
        pages = site_pages(request.public_site)
    codes = [code for code, _name in settings.LANGUAGES]
    for page in pages:
        versions = {c: request.build_absolute_uri(translate_url(page, c)) for c in codes}
        for code in codes:
            lines.append(f"<url><loc>{escape(versions[code])}</loc>")
            lines += [
                f'<xhtml:link rel="alternate" hreflang="{c}" href="{escape(u)}"/>'
                for c, u in versions.items()
            ]
            lines.append("</url>")
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines), content_type="application/xml; charset=utf-8")


def sitemap_index(request):
    """The sitemaps of every municipality this host shows."""
    from django.utils.html import escape

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for site in visible_sites(request):
        url = request.build_absolute_uri(reverse("public:sitemap", kwargs={"kommun": site.slug}))
        lines.append(f"<sitemap><loc>{escape(url)}</loc></sitemap>")
    lines.append("</sitemapindex>")
    return HttpResponse("\n".join(lines), content_type="application/xml; charset=utf-8")


# The addresses before each municipality had its own site (/aktuellt/…): which municipality an
# old address meant is read from the object it names, the host, a ?kommun= filter, or, in an
# installation with one published site, that site.
OLD_OBJECTS = {
    "evenemang": (Event, "pk"),
    "praktikplatser": (InternshipPlace, "pk"),
    "motesplatser": (MeetingPlace, "slug"),
    "arrangor": (Partner, "slug"),
}


def _old_owner(rest):
    """The kommunkod of the object an old address names, or None."""
    parts = rest.strip("/").split("/")
    if len(parts) < 2 or parts[0] not in OLD_OBJECTS:
        return None
    model, field = OLD_OBJECTS[parts[0]]
    if field == "pk" and not parts[1].isdigit():
        return None
    return model.objects.filter(**{field: parts[1]}).values_list("municipality", flat=True).first()


def old_address(request, rest):
    from django.urls import Resolver404, resolve

    slug, permanent = mapped_slug(request), True
    if slug is None:
        code = _old_owner(rest) or request.GET.get("kommun", "")
        slug = municipalities.slug_of(code) if code else None
    if slug is None:
        sites = list(published_sites().values())
        if len(sites) != 1:
            return redirect("core:home")  # the list of municipalities
        slug, permanent = sites[0].slug, False  # the only site today; tomorrow maybe not
    start = reverse("public:start", kwargs={"kommun": slug})
    target = start + (rest or "aktuellt/")
    try:
        resolve(target)
    except Resolver404:
        raise Http404 from None
    query = request.GET.copy()
    query.pop("kommun", None)
    if query:
        target += "?" + query.urlencode()
    return HttpResponsePermanentRedirect(target) if permanent else redirect(target)


# Staff: the moderation queue.

MODERATED = {"evenemang": Event, "praktikplats": InternshipPlace}


@login_required
def moderation_queue(request):
    if not request.user.has_perm("public.view_moderation_queue"):
        raise PermissionDenied
    pending = [
        (kind, obj)
        for kind, model in MODERATED.items()
        for obj in model.objects.filter(status=Moderation.PENDING).order_by("created_at")
        if request.user.has_perm("public.moderate", obj)
    ]
    return render(request, "public/moderation.html", {"pending": pending})


@login_required
@require_POST
def moderate(request, kind, pk):
    model = MODERATED.get(kind)
    if model is None:
        raise Http404
    obj = get_object_or_404(model, pk=pk)
    if not request.user.has_perm("public.moderate", obj):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in ("publish", "reject"):
        return HttpResponse(_("Okänt beslut: välj publicera eller avvisa."), status=400)
    obj.status = Moderation.PUBLISHED if decision == "publish" else Moderation.REJECTED
    obj.reviewed_by, obj.reviewed_at = request.user, timezone.now()
    # The history row (who, when: HistoryRequestMiddleware) says what was decided.
    obj._change_reason = obj.get_status_display()
    obj.save()
    return redirect("public:moderation")
