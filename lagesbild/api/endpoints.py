"""The JSON API (django-ninja): the same data as the pages and exports, for other systems.

Reading: policies, a municipality's statistics with provenance (the columns of `lagesbild
export`), a plan's activities (the columns of the activity CSV export). Writing: an activity's
status and progress, for the same people as the web form (plan.change_activity). Writes use the
logged-in session and need the CSRF token, like the forms; every call counts against the "api"
rate limit. The OpenAPI schema is at /api/openapi.json.
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from lagesbild.core import municipalities
from lagesbild.core.ratelimit import over_limit, too_many_requests
from lagesbild.plan import transfer
from lagesbild.plan.models import Activity, Plan, Status
from lagesbild.policy.models import Policy
from lagesbild.stats import catalogue, queries
from lagesbild.stats.files import export_rows, gap_rows
from lagesbild.stats.models import Observation

api = NinjaAPI(
    title="Lägesbild API",
    version="1",
    urls_namespace="api",
    docs_url=None,  # the interactive page loads scripts the Content-Security-Policy forbids
)
# Public readers of a published plan do not see who the contact person is.
PERSONAL_COLUMNS = {"kontaktperson", "kontakt_epost"}


class RateLimited(Exception):
    def __init__(self, wait):
        self.wait = wait


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    return too_many_requests(exc.wait)


def _count(request):
    wait = over_limit(request, "api")
    if wait:
        raise RateLimited(wait)


@api.get("/policies", summary="Inlästa policyer")
def policies(request):
    _count(request)
    out = []
    for policy in Policy.objects.order_by("municipality", "slug"):
        current = policy.versions.filter(is_current=True).first()
        out.append(
            {
                "id": policy.slug,
                "kommunkod": policy.municipality,
                "kommun": policy.municipality_name,
                "titel": policy.title,
                "version": current.number if current else None,
                "beslut": current.decision_reference if current else "",
            }
        )
    return out


@api.get("/statistics/{kommun}", summary="Gällande värden med källa (som lagesbild export)")
def statistics(request, kommun: str, indicator: str = "", comparison: bool = True):
    """The current values of the municipality (and its county, Riket and comparison group),
    one row per value with source, address, fetch time and checksum. Example values say so in
    `exempeldata`."""
    _count(request)
    area = municipalities.get(kommun)
    if area is None or area.kind != "kommun":
        raise HttpError(404, f"{kommun!r} är ingen kommunkod")
    areas = [kommun]
    if comparison:
        comp = queries.comparison_areas(kommun)
        areas += [comp["county"], comp["riket"], *comp["group_members"]]
    rows = Observation.objects.filter(current=True, area__in=areas).select_related("snapshot")
    if indicator:
        if indicator not in catalogue.catalogue_for(kommun):
            raise HttpError(404, f"okänd indikator {indicator!r} (se docs/indicators.md)")
        rows = rows.filter(indicator=indicator)
    rows = rows.order_by("indicator", "area", "period", "group", "sex")
    return list(export_rows(rows.iterator(chunk_size=5000)))


@api.get(
    "/statistics/{kommun}/gaps",
    summary="Skillnaden utrikes − inrikes födda, med ord (som lagesbild export --skillnader)",
)
def gaps(request, kommun: str, indicator: str = ""):
    """Per indicator, area and year: both values, `skillnad` = utrikes födda minus inrikes
    födda (negative = lower for the foreign-born), `kvot` and the same in words, as the
    Lägesbild writes it. An example value beside a real one gives no gap."""
    _count(request)
    area = municipalities.get(kommun)
    if area is None or area.kind != "kommun":
        raise HttpError(404, f"{kommun!r} är ingen kommunkod")
    units = {i: e["unit"] for i, e in catalogue.catalogue_for(kommun).items()}
    if indicator:
        if indicator not in units:
            raise HttpError(404, f"okänd indikator {indicator!r} (se docs/indicators.md)")
        units = {indicator: units[indicator]}
    comp = queries.comparison_areas(kommun)
    areas = [kommun, comp["county"], comp["riket"], *comp["group_members"]]
    return list(gap_rows(queries.observations(list(units), areas), units))


@api.get("/plans/{plan_id}/activities", summary="En handlingsplans insatser (som CSV-exporten)")
def activities(request, plan_id: int):
    _count(request)
    plan = get_object_or_404(Plan, pk=plan_id)
    staff = request.user.is_authenticated and request.user.has_perm("plan.view_plan", plan)
    if not (staff or plan.published):
        raise HttpError(404, "ingen sådan handlingsplan")
    columns = [c for c in transfer.COLUMNS if staff or c not in PERSONAL_COLUMNS]
    return [
        {c: v for c, v in zip(transfer.COLUMNS, row, strict=True) if c in columns}
        for row in transfer.activity_rows(plan)
    ]


class ActivityChange(Schema):
    status: Status | None = None
    progress: int | None = None


@api.patch("/activities/{activity_id}", auth=django_auth, summary="Ändra status och framsteg")
def change_activity(request, activity_id: int, change: ActivityChange):
    _count(request)
    activity = get_object_or_404(Activity, pk=activity_id)
    if not request.user.has_perm("plan.change_activity", activity):
        raise HttpError(403, "du får inte ändra den här insatsen")
    if change.progress is not None and not 0 <= change.progress <= 100:
        raise HttpError(422, "progress: ska vara 0–100")
    with transaction.atomic():
        if change.status is not None:
            activity.status = change.status
        if change.progress is not None:
            activity.progress = change.progress
        activity.save()  # django-simple-history records who and when, as for the form
    return {"id": activity.ref, "status": activity.status, "framsteg": activity.progress}
