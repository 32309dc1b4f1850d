"""Public pages (no login) and the staff moderation queue."""

from datetime import datetime, timedelta
from datetime import time as clock_time
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
    spoken_language_choices,
)


def published_events():
    return Event.objects.filter(status=Moderation.PUBLISHED).select_related("place", "organiser")


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


@cached_page
def calendar(request):
    form = EventFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "public/calendar.html", {"form": form, "days": []}, status=400)
    # Single events that ended before the range cannot show; repeating ones are expanded.
    first_day = datetime.combine(form.cleaned_data["fran"], clock_time.min, STOCKHOLM)
    events = published_events().exclude(rrule="", end__lt=first_day)
    items = filtered_occurrences(events, form.cleaned_data)
    days = [
        (day, list(group))
        for day, group in groupby(items, key=lambda x: timezone.localtime(x[0], STOCKHOLM).date())
    ]
    feed_query = f"?sprak={form.cleaned_data['sprak']}" if form.cleaned_data.get("sprak") else ""
    return render(
        request, "public/calendar.html", {"form": form, "days": days, "feed_query": feed_query}
    )


def event_detail(request, pk):
    event = get_object_or_404(published_events(), pk=pk)
    now = timezone.now()
    return render(
        request,
        "public/event_detail.html",
        {
            "event": event,
            "upcoming": event.occurrences(start=now)[:10],
            "json_ld": event_json_ld(event, request.build_absolute_uri("/"), now),
        },
    )


def _feed_response(request, events, name):
    body = build_calendar(events, name, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kalender.ics"'
    return response


@cached_page
def feed(request):
    events = published_events()
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


@cached_page
def organiser_feed(request, slug):
    organiser = get_object_or_404(Partner, slug=slug)
    return _feed_response(request, published_events().filter(organiser=organiser), organiser.name)


@cached_page
def places(request):
    return render(request, "public/places.html", {"places": MeetingPlace.objects.all()})


def place_detail(request, slug):
    place = get_object_or_404(MeetingPlace, slug=slug)
    now = timezone.now()
    events = [
        (e.next_occurrence(now), e)
        for e in published_events().filter(place=place)
        if e.occurrences(now)
    ]
    return render(
        request,
        "public/place_detail.html",
        {"place": place, "events": sorted(events, key=lambda x: x[0][0])},
    )


@cached_page
def internships(request):
    places = InternshipPlace.objects.filter(status=Moderation.PUBLISHED).select_related(
        "offered_by", "department"
    )
    return render(request, "public/internships.html", {"internships": places})


def internship_detail(request, pk):
    place = get_object_or_404(InternshipPlace.objects.filter(status=Moderation.PUBLISHED), pk=pk)
    return render(request, "public/internship_detail.html", {"internship": place})


@cached_page
def partners(request):
    return render(
        request, "public/partners.html", {"partners": Partner.objects.filter(is_public=True)}
    )


@cached_page
def guide(request):
    entries = GuideEntry.objects.all()
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
            return redirect("public:thanks")
        if form.is_valid():
            with transaction.atomic():
                create(form.cleaned_data)
            return redirect("public:thanks")
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


def thanks(request):
    return render(request, "public/thanks.html")


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
