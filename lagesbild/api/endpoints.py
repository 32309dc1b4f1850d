"""The JSON API (django-ninja): the same data as the pages and exports, for other systems.

Reading: policies, a municipality's statistics with provenance (the columns of `lagesbild
export`), a plan's activities (the columns of the activity CSV export). Writing: an activity's
status and progress, for the same people as the web form (plan.change_activity). Writes use the
logged-in session and need the CSRF token, like the forms; every call counts against the "api"
rate limit. The OpenAPI schema is at /api/openapi.json.
"""

import datetime
from typing import Literal

from django.db import transaction
from ninja import Field, NinjaAPI, Path, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import django_auth
from pydantic import ConfigDict

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


# Errors ----------------------------------------------------------------------------------------
# Every error is {"detail": "…"} in Swedish, naming the field or value, and every operation
# documents each status it can answer with (schemathesis checks the schema against the server:
# tests/test_api_schema.py).


class Error(Schema):
    detail: str = Field(description="vad som är fel, med fältet eller värdet")


def errors(*codes):
    """The documented error answers of an operation: {status: Error}."""
    return dict.fromkeys(codes, Error)


# The few English messages django-ninja answers with itself.
NINJA_MESSAGES = {
    "Unauthorized": "logga in först (sessionens cookie saknas)",
    "CSRF check Failed": "CSRF-token saknas eller stämmer inte (huvudet X-CSRFToken)",
    "Cannot parse request body": "innehållet är inte giltig JSON",
}


def _error(request, status, detail):
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    message = str(exc)
    for english, swedish in NINJA_MESSAGES.items():
        if message.startswith(english):
            message = swedish
    return _error(request, exc.status_code, message)


@api.exception_handler(AuthenticationError)
def _not_logged_in(request, exc):
    return _error(request, 401, NINJA_MESSAGES["Unauthorized"])


# pydantic's error types, in the words of the forms.
VALIDATION_MESSAGES = {
    "missing": "saknas",
    "int_parsing": "ska vara ett heltal",
    "int_type": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "bool_parsing": "ska vara true eller false",
    "bool_type": "ska vara true eller false",
    "string_type": "ska vara en text",
    "model_attributes_type": "ska vara ett JSON-objekt",
    "dict_type": "ska vara ett JSON-objekt",
    "extra_forbidden": "okänt fält",
    "enum": "ska vara ett av: {expected}",
    "literal_error": "ska vara ett av: {expected}",
    "greater_than_equal": "ska vara minst {ge}",
    "less_than_equal": "ska vara högst {le}",
    "string_pattern_mismatch": "har fel form (ska passa {pattern})",
}


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    """422 naming each wrong field: 'progress: ska vara högst 100'."""
    found = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ())]
        # ("body", parameter name, field…), ("path"|"query", name)
        place = ".".join(loc[2:] if loc[:1] == ["body"] else loc[1:]) or "innehållet"
        template = VALIDATION_MESSAGES.get(error.get("type"))
        ctx = {k: str(v).replace(" or ", " eller ") for k, v in error.get("ctx", {}).items()}
        message = template.format(**ctx) if template else error.get("msg")
        found.append(f"{place}: {message}")
    return _error(request, 422, "; ".join(found))


class RateLimited(Exception):
    def __init__(self, wait):
        self.wait = wait


@api.exception_handler(RateLimited)
def _rate_limited(request, exc):
    # The same words as too_many_requests, as the documented JSON error.
    response = too_many_requests(exc.wait)
    answer = _error(request, 429, response.content.decode())
    answer["Retry-After"] = response["Retry-After"]
    return answer


def _count(request):
    wait = over_limit(request, "api")
    if wait:
        raise RateLimited(wait)


# Answers ---------------------------------------------------------------------------------------


class PolicyRow(Schema):
    id: str
    kommunkod: str
    kommun: str
    titel: str
    version: int | None
    beslut: str


class ValueRow(Schema):
    """One row of `lagesbild export` (lagesbild.stats.files.export_rows)."""

    indikator: str
    omrade: str
    ar: int
    grupp: str
    kon: str
    varde: float | None
    enhet: str
    status: str
    antal: int | None
    exempeldata: Literal["ja", "nej"]
    kalla: str
    kallreferens: str
    url: str
    hamtad: str
    kontrollsumma: str


class GapRow(Schema):
    """One row of `lagesbild export --skillnader` (lagesbild.stats.files.gap_rows)."""

    indikator: str
    omrade: str
    ar: int
    enhet: str
    utrikes_fodda: float | None
    inrikes_fodda: float | None
    skillnad: float | None
    kvot: float | None
    skillnad_i_ord: str
    exempeldata: Literal["ja", "nej"]


class ActivityRow(Schema):
    """One row of the activity CSV export (lagesbild.plan.transfer.COLUMNS); the public does
    not get kontaktperson and kontakt_epost. `activity_id` is not in the CSV: it is the number
    the API changes the activity by."""

    activity_id: int = Field(description="för PATCH /api/activities/{activity_id}")
    id: str = Field(description="insatsens id i planen, t.ex. S1.2")
    del_av: str
    titel: str
    beskrivning: str
    omraden: str
    indikatorer: str
    forvaltning: str
    kontaktperson: str = None
    kontakt_epost: str = None
    partner: str
    start: datetime.date | None
    slut: datetime.date | None
    status: Status
    framsteg: int
    vikt: str = Field(description="decimaltal som text, t.ex. 1.00")
    agenda2030: str = Field("", description="Agenda 2030-mål och delmål, t.ex. 8;8.5;10.2")


class ActivityChange(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not ignored

    status: Status | None = None
    progress: int | None = Field(None, ge=0, le=100)


class ActivityChanged(Schema):
    activity_id: int
    id: str
    status: Status
    framsteg: int


# Operations ------------------------------------------------------------------------------------


@api.get("/policies", response={200: list[PolicyRow], **errors(429)}, summary="Inlästa policyer")
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


# A kommunkod in a path: four digits, e.g. 1082 (Karlshamn).
KOMMUN = Path(pattern=r"^[0-9]{4}$", examples=["1082"], description="kommunkod, t.ex. 1082")


def _municipality(kommun):
    area = municipalities.get(kommun)
    if area is None or area.kind != "kommun":
        raise HttpError(404, f"{kommun!r} är ingen kommunkod")


@api.get(
    "/statistics/{kommun}",
    response={200: list[ValueRow], **errors(404, 422, 429)},
    summary="Gällande värden med källa (som lagesbild export)",
)
def statistics(request, kommun: str = KOMMUN, indicator: str = "", comparison: bool = True):
    """The current values of the municipality (and its county, Riket and comparison group),
    one row per value with source, address, fetch time and checksum. Example values say so in
    `exempeldata`."""
    _count(request)
    _municipality(kommun)
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
    return _unchecked(request, list(export_rows(rows.iterator(chunk_size=5000))))


@api.get(
    "/statistics/{kommun}/gaps",
    response={200: list[GapRow], **errors(404, 422, 429)},
    summary="Skillnaden utrikes − inrikes födda, med ord (som lagesbild export --skillnader)",
)
def gaps(request, kommun: str = KOMMUN, indicator: str = ""):
    """Per indicator, area and year: both values, `skillnad` = utrikes födda minus inrikes
    födda (negative = lower for the foreign-born), `kvot` and the same in words, as the
    Lägesbild writes it. An example value beside a real one gives no gap."""
    _count(request)
    _municipality(kommun)
    units = {i: e["unit"] for i, e in catalogue.catalogue_for(kommun).items()}
    if indicator:
        if indicator not in units:
            raise HttpError(404, f"okänd indikator {indicator!r} (se docs/indicators.md)")
        units = {indicator: units[indicator]}
    comp = queries.comparison_areas(kommun)
    areas = [kommun, comp["county"], comp["riket"], *comp["group_members"]]
    return _unchecked(request, list(gap_rows(queries.observations(list(units), areas), units)))


def _unchecked(request, rows):
    """The rows as JSON without django-ninja checking each against its schema: a municipality
    with its comparison areas has some 20,000 values, and the check took 2 s more than the
    query. The schema documents them; tests/test_api_schema.py checks the server against it."""
    return api.create_response(request, rows, status=200)


@api.get(
    "/plans/{plan_id}/activities",
    response={200: list[ActivityRow], **errors(404, 422, 429)},
    exclude_unset=True,  # the public's rows leave the contact columns out, not null
    summary="En handlingsplans insatser (som CSV-exporten)",
)
def activities(request, plan_id: int):
    _count(request)
    plan = Plan.objects.filter(pk=plan_id).first()
    staff = plan and request.user.is_authenticated and request.user.has_perm("plan.view_plan", plan)
    if not (staff or (plan and plan.published)):
        raise HttpError(404, f"ingen handlingsplan med id {plan_id}")
    columns = [c for c in transfer.COLUMNS if staff or c not in PERSONAL_COLUMNS]
    numbers = dict(plan.activities.values_list("ref", "pk"))  # the rows start with the ref
    return [
        {
            "activity_id": numbers[row[0]],
            **{
                c: str(v) if c == "vikt" else v
                for c, v in zip(transfer.COLUMNS, row, strict=True)
                if c in columns
            },
        }
        for row in transfer.activity_rows(plan)
    ]


@api.patch(
    "/activities/{activity_id}",
    auth=django_auth,
    response={200: ActivityChanged, **errors(400, 401, 403, 404, 422, 429)},
    summary="Ändra status och framsteg",
)
def change_activity(request, activity_id: int, change: ActivityChange):
    """Only the fields given change; a call that changes nothing writes no history row."""
    _count(request)
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:
        raise HttpError(404, f"ingen insats med id {activity_id}")
    if not request.user.has_perm("plan.change_activity", activity):
        raise HttpError(403, "du får inte ändra den här insatsen")
    wanted = {"status": change.status, "progress": change.progress}
    changed = {
        field: value
        for field, value in wanted.items()
        if value is not None and getattr(activity, field) != value
    }
    if changed:
        with transaction.atomic():
            for field, value in changed.items():
                setattr(activity, field, value)
            # django-simple-history records who and when, as for the form
            activity.save()
    return {
        "activity_id": activity.pk,
        "id": activity.ref,
        "status": activity.status,
        "framsteg": activity.progress,
    }
