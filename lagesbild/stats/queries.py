"""What other apps read from the statistics store (reports, plan, pages).

observations() gives the current values as the analysis' Observation; provenance() says where
each (indicator, area) came from; comparison_areas() names the areas a municipality is compared
with; indicator() is the catalogue entry.
"""

from lagesbild.analysis.observations import Observation as Obs
from lagesbild.core import municipalities

from . import groups
from .catalogue import indicator  # noqa: F401  (part of this module's interface)
from .models import Coverage, MunicipalityGroup, Observation


def _as_list(value):
    return [value] if isinstance(value, str) else list(value)


def observations(indicators, areas, years=None):
    """Current observations (no history) of these indicators in these areas, sorted."""
    rows = Observation.objects.filter(
        current=True, indicator__in=_as_list(indicators), area__in=_as_list(areas)
    )
    if years is not None:
        rows = rows.filter(period__in=list(years))
    rows = rows.order_by("indicator", "area", "period", "group", "sex")
    return [
        Obs(
            indicator=r.indicator,
            area=r.area,
            period=r.period,
            group=r.group,
            sex=r.sex,
            value=r.value,
            unit=r.unit,
            status=r.status,
            count=r.count,
            example=r.example,
        )
        for r in rows.iterator(chunk_size=5000)
    ]


def small_area_rows(indicator_id, kommun):
    """[(area, year, group, value, example)] of the municipality's DeSO and RegSO areas (codes
    longer than four that begin with its kommunkod), sex T, current values only."""
    rows = (
        Observation.objects.filter(
            current=True, indicator=indicator_id, area__startswith=kommun, sex="T"
        )
        .exclude(area=kommun)
        .order_by("area", "period", "group")
        .values_list("area", "period", "group", "value", "example")
    )
    return [list(r) for r in rows]


def small_area_rows_in(indicator_id, kommuner, years):
    """{kommun: [(area, year, group, value, example)]} of the DeSO and RegSO areas of these
    municipalities in these years (sex T, current values): the county's or Riket's areas."""
    kommuner = set(kommuner)
    out = {}
    rows = Observation.objects.filter(
        current=True, indicator=indicator_id, sex="T", period__in=list(years)
    ).values_list("area", "period", "group", "value", "example")
    for area, period, group, value, example in rows.iterator(chunk_size=5000):
        if len(area) > 4 and area[:4] in kommuner:
            out.setdefault(area[:4], []).append([area, period, group, value, example])
    return out


def small_area_sources(indicator_id, kommun):
    """One dict per snapshot behind the municipality's current small-area values, newest
    last: provenance() of its DeSO and RegSO areas, with how many areas each answered for."""
    areas = (
        Observation.objects.filter(current=True, indicator=indicator_id, area__startswith=kommun)
        .exclude(area=kommun)
        .values_list("area", flat=True)
        .distinct()
    )
    out = {}
    for p in provenance([indicator_id], sorted(areas)):
        key = (p["source"], p["source_ref"], p["fetched_at"], p["checksum"])
        keep = ("source", "source_ref", "url", "query", "fetched_at", "checksum", "example")
        item = out.setdefault(key, {**{k: p[k] for k in keep}, "areas": 0})
        item["areas"] += 1
    return sorted(out.values(), key=lambda item: item["fetched_at"])


def provenance(indicators, areas):
    """The latest snapshot behind the current values of each (indicator, area) with data.

    "Behind" means the newest snapshot that answered for the pair: a re-fetch that found the
    same values still counts, so fetched_at says when the values were last confirmed.
    """
    indicators, areas = _as_list(indicators), _as_list(areas)
    with_data = set(
        Observation.objects.filter(current=True, indicator__in=indicators, area__in=areas)
        .values_list("indicator", "area")
        .distinct()
    )
    latest = {}
    coverage = (
        Coverage.objects.filter(indicator__in=indicators, area__in=areas)
        .select_related("snapshot")
        .order_by("snapshot__fetched_at", "snapshot_id")
    )
    for c in coverage:
        if (c.indicator, c.area) in with_data:
            latest[(c.indicator, c.area)] = c.snapshot
    out = []
    for (indicator_id, area), s in sorted(latest.items()):
        out.append(
            {
                "indicator": indicator_id,
                "area": area,
                "source": s.source,
                "source_ref": s.source_ref,
                "url": s.url,
                "query": s.query,
                "fetched_at": s.fetched_at,
                "checksum": s.checksum,
                "api_version": s.api_version,
                "example": s.example,
            }
        )
    return out


def comparison_group(kommunkod):
    """(group_id, title, members) of the municipality's overall comparison group, or None.

    Groups fetched from Kolada come first; the offline product data is the fallback.
    """
    stored = MunicipalityGroup.objects.filter(title__startswith=groups.TITLE_PREFIX)
    found = groups.pick_overall_group(kommunkod, ((g.group_id, g.title, g.members) for g in stored))
    if found:
        return found
    return groups.pick_overall_group(
        kommunkod, ((gid, g["title"], g["members"]) for gid, g in groups.OFFLINE_GROUPS.items())
    )


def comparison_areas(kommunkod):
    """The areas a municipality is compared with: its county, Riket and its comparison group."""
    county = municipalities.county_of(kommunkod).code
    group = comparison_group(kommunkod)
    return {
        "county": county,
        "riket": municipalities.RIKET,
        "group_id": group[0] if group else None,
        "group_title": group[1] if group else "",
        "group_members": list(group[2]) if group else [],
    }
