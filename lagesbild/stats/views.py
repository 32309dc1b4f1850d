"""Statistics pages: per indicator the latest fetch, its source and status; refresh in the
background and follow its progress."""

from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lagesbild.core import municipalities
from lagesbild.policy.models import Policy

from . import catalogue, example_data, queries
from .example import LABEL
from .fetch import policy_indicators
from .models import FetchRun, IndicatorRefresh
from .tasks import active_run, start_refresh


def _kommun(request):
    """The municipality asked for (?kommun= or the form), else the user's own, else the first
    policy's. Permissions are checked on the result, so asking for another one gives 403."""
    asked = request.GET.get("kommun") or request.POST.get("kommun") or ""
    area = municipalities.get(asked) if asked else None
    if area and area.kind == "kommun":
        return asked
    profile = getattr(request.user, "profile", None)
    if profile and profile.municipality:
        return profile.municipality
    first = Policy.objects.order_by("municipality").first()
    return first.municipality if first else "1082"


def _target(kommun):
    return SimpleNamespace(municipality=kommun)


def coordinator_kommun(request):
    """The municipality asked for, when the user may change its statistics (its coordinator,
    or an administrator); PermissionDenied otherwise."""
    kommun = _kommun(request)
    if not request.user.has_perm("stats.refresh_statistics", _target(kommun)):
        raise PermissionDenied
    return kommun


@login_required
def index(request):
    kommun = _kommun(request)
    if not request.user.has_perm("stats.view_statistics", _target(kommun)):
        raise PermissionDenied
    ids = policy_indicators(kommun)
    # The area types and the measures drawn as maps are read into a small-area indicator's
    # section: listed after it.
    entries = catalogue.catalogue_for(kommun)
    ids = list(dict.fromkeys(j for i in ids for j in [i, *catalogue.companions(entries[i])]))
    latest = {p["indicator"]: p for p in queries.provenance(ids, [kommun])}
    refresh = {r.indicator: r for r in IndicatorRefresh.objects.filter(kommun=kommun)}
    rows = []
    for indicator_id in ids:
        entry = catalogue.indicator(indicator_id, kommun)
        prov = latest.get(indicator_id)
        if entry.get("level") == "small_areas":  # values for the municipality's DeSO/RegSO
            prov = (queries.small_area_sources(indicator_id, kommun) or [None])[-1]
        if prov is None:
            status = "saknas"
        elif prov["example"]:
            status = "exempel"
        else:
            status = "hamtad"
        rows.append(
            {
                "entry": entry,
                "source_ref": catalogue.source_ref(entry),
                "kind": entry["source"]["kind"],
                "prov": prov,
                "status": status,
                "refresh": refresh.get(indicator_id),
            }
        )
    # A fetch run's messages are the municipality's own business, as on the run's page.
    runs = FetchRun.objects.filter(kommun=kommun)[:5] if _sees_runs_of(request.user, kommun) else []
    return render(
        request,
        "stats/index.html",
        {
            "kommun": municipalities.get(kommun),
            "rows": rows,
            "runs": runs,
            "example_label": LABEL,
            "has_example": any(r["status"] == "exempel" for r in rows),
            "can_refresh": request.user.has_perm("stats.refresh_statistics", _target(kommun)),
            "running": active_run(kommun),
            "may_example": request.user.has_perm("stats.manage_example_data", _target(kommun)),
            "has_real": example_data.has_real_values(kommun),
            "has_own_example": example_data.has_example_values(kommun),
        },
    )


def _back(request, kommun):
    """Where to go after a button: the page it was pressed on (same site only), else the
    statistics page of the municipality."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(reverse("stats:index") + f"?kommun={kommun}")


@login_required
@require_POST
def example_load(request):
    """Load labelled example values for the municipality, its county, Riket and comparison
    group: the coordinator's way to try the Lägesbild before any real statistics exist."""
    kommun = _kommun(request)
    if not request.user.has_perm("stats.manage_example_data", _target(kommun)):
        raise PermissionDenied
    name = municipalities.get(kommun).full_name
    if example_data.has_real_values(kommun):
        messages.error(
            request,
            _(
                "%(name)s har redan riktiga värden. Exempeldata läses bara in så länge "
                "kommunen inte har någon riktig statistik. Ingenting är ändrat."
            )
            % {"name": name},
        )
        return _back(request, kommun)
    result = example_data.load(kommun, user=request.user)
    messages.success(
        request,
        _(
            "Exempeldata är inlästa för %(name)s: %(new)s nya värden. De är märkta "
            "”Exempeldata – inte officiell statistik” överallt där de visas och kan tas "
            "bort i ett steg på sidan Statistik."
        )
        % {"name": name, "new": result.counts.new},
    )
    return _back(request, kommun)


@login_required
def example_remove(request):
    """Remove the municipality's example values, after a confirmation page."""
    kommun = _kommun(request)
    if not request.user.has_perm("stats.manage_example_data", _target(kommun)):
        raise PermissionDenied
    area = municipalities.get(kommun)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            result = example_data.remove(kommun, user=request.user)
            messages.success(
                request,
                _("%(n)s exempelvärden är borttagna för %(name)s. Riktiga värden är orörda.")
                % {"n": result.removed, "name": area.full_name},
            )
            return redirect(reverse("stats:index") + f"?kommun={kommun}")
        error = _("Kryssa i rutan för att bekräfta. Ingenting är borttaget.")
    removable, kept, count = example_data.plan_removal(kommun)
    return render(
        request,
        "stats/example_remove.html",
        {
            "kommun": area,
            "removable": [municipalities.get(a) or a for a in removable],
            "kept": [municipalities.get(a) or a for a in kept],
            "count": count,
            "error": error,
            "example_label": LABEL,
        },
    )


@login_required
@require_POST
def refresh(request):
    kommun = _kommun(request)
    if not request.user.has_perm("stats.refresh_statistics", _target(kommun)):
        raise PermissionDenied
    run = active_run(kommun) or start_refresh(kommun, user=request.user)
    return redirect("stats:run", pk=run.pk)


def _sees_runs_of(user, kommun):
    profile = getattr(user, "profile", None)
    return user.is_superuser or not profile or profile.municipality in ("", kommun)


def _visible_run(request, pk):
    run = get_object_or_404(FetchRun, pk=pk)
    if not request.user.has_perm("stats.view_statistics", _target(run.kommun)):
        raise PermissionDenied
    if not _sees_runs_of(request.user, run.kommun):
        raise PermissionDenied
    return run


@login_required
def run_detail(request, pk):
    run = _visible_run(request, pk)
    return render(request, "stats/run.html", {"run": run, "kommun": municipalities.get(run.kommun)})


@login_required
def run_status(request, pk):
    run = _visible_run(request, pk)
    return JsonResponse(
        {
            "status": run.status,
            "status_label": run.get_status_display(),
            "done": run.done,
            "total": run.total,
            "percent": run.percent,
            "message": run.message,
            "finished": run.finished,
        }
    )
