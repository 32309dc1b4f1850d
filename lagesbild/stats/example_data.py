"""Loading and removing labelled example values for any municipality.

`load(kommun)` stores lagesbild.stats.example's values for the municipality, its county, Riket
and its comparison group (when one is known: offline for the two demo municipalities, or from
an earlier fetch), flagged `example` like the offline demo's. Example values never replace a
real value (store.save(keep_real=True)). Each load is one snapshot per indicator, whose query
names the municipality (`{"indicator", "seed", "kommun", "areas"}`); the offline demo's own
snapshots name none and stand for Karlshamn and Lidköping.

`remove(kommun)` takes a municipality's example values away again, in one transaction: every
example value (current or history) in the areas of its load, except in areas another active
load still needs (another municipality's own area, county, Riket or group). Real values are
never touched. A load is active while its municipality has example values in its own area.
A municipality that is itself a member of another loaded municipality's comparison group keeps
its own example values for as long as that other load is there.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lagesbild.core import municipalities

from . import groups
from .example import DEMO_MUNICIPALITIES, LABEL, SEED, areas_for, as_json, generate
from .models import FetchRun, Observation, Snapshot
from .store import Batch, Counts, save


@dataclass
class Result:
    kommun: str
    areas: list = field(default_factory=list)
    group_title: str = ""
    counts: Counts = field(default_factory=Counts)
    removed: int = 0
    kept_areas: list = field(default_factory=list)  # removal: areas another load still needs
    already: bool = False  # load: everything was stored already

    def describe(self):
        """One line in Swedish, for the command line and the page's message."""
        name = municipalities.get(self.kommun).full_name
        if self.already:
            return f"{LABEL} för {name}: redan inläst."
        where = ", ".join(_area_name(a) for a in self.areas)
        group = (
            f"jämförelsegruppen {self.group_title}"
            if self.group_title
            else "ingen jämförelsegrupp (ingen är sparad för kommunen; lagesbild fetch hämtar "
            "den från Kolada)"
        )
        return (
            f"{LABEL} för {name}: {self.counts.new} nya, {self.counts.changed} ändrade, "
            f"{self.counts.unchanged} oförändrade värden, {self.counts.kept_real} riktiga "
            f"värden behölls. Områden: {where}; {group}."
        )

    def describe_removal(self):
        name = municipalities.get(self.kommun).full_name
        if self.removed:
            line = f"{LABEL} för {name} borttagna: {self.removed} värden."
        else:
            line = f"Det fanns inga exempelvärden för {name} att ta bort."
        if self.kept_areas:
            kept = ", ".join(_area_name(a) for a in self.kept_areas)
            line += f" Kvar eftersom en annan kommuns exempeldata behöver dem: {kept}."
        return line


def _area_name(code):
    area = municipalities.get(code)
    return area.full_name if area is not None else code


def offline_comparison(kommun):
    """comparison_areas() as the offline demo knows it (OFFLINE_GROUPS), without the database."""
    found = groups.pick_overall_group(
        kommun, ((gid, g["title"], g["members"]) for gid, g in groups.OFFLINE_GROUPS.items())
    )
    return {
        "county": municipalities.county_of(kommun).code,
        "riket": municipalities.RIKET,
        "group_title": found[1] if found else "",
        "group_members": list(found[2]) if found else [],
    }


def _ref(indicator_id, kommun):
    return f"{indicator_id} (lagesbild.stats.example, seed {SEED}, kommun {kommun})"


def batches(rows_by_indicator, ref, query):
    """One example Batch per indicator; those already stored (same reference and checksum,
    every area still with current values) are left out, so a load can be repeated."""
    out = []
    for indicator_id, rows in rows_by_indicator.items():
        batch = Batch(
            source="example",
            source_ref=ref(indicator_id),
            url="",
            content=as_json(rows),
            observations=rows,
            query={"indicator": indicator_id, **query},
            example=True,
        )
        stored = Snapshot.objects.filter(
            source="example", source_ref=batch.source_ref, checksum=batch.checksum
        ).exists()
        if stored:
            wanted = {o.area for o in rows}
            have = set(
                Observation.objects.filter(
                    indicator=indicator_id, area__in=wanted, current=True
                ).values_list("area", flat=True)
            )
            if wanted <= have:
                continue
        out.append(batch)
    return out


def has_real_values(kommun):
    """True when any current value for the municipality itself is real (fetched or imported)."""
    return Observation.objects.filter(area=kommun, current=True, example=False).exists()


def has_example_values(kommun):
    return Observation.objects.filter(area=kommun, current=True, example=True).exists()


def _loads():
    """{kommun: areas recorded at load time} of every example load the store holds."""
    found = {}
    for query in Snapshot.objects.filter(source="example").values_list("query", flat=True):
        query = query or {}
        if query.get("kommun"):
            found.setdefault(query["kommun"], set()).update(query.get("areas") or [])
        elif not set(DEMO_MUNICIPALITIES) <= set(found):
            for kommun in DEMO_MUNICIPALITIES:
                areas = areas_for(kommun, offline_comparison(kommun))
                found.setdefault(kommun, set()).update(areas)
    return found


def active_loads():
    """{kommun: areas} of the loads still in use: their municipality has example values."""
    loads = _loads()
    with_values = set(
        Observation.objects.filter(area__in=list(loads), current=True, example=True)
        .values_list("area", flat=True)
        .distinct()
    )
    return {k: a for k, a in loads.items() if k in with_values}


def load(kommun, user=None):
    """Store example values for the municipality, its county, Riket and its comparison group."""
    from .queries import comparison_areas

    comparison = comparison_areas(kommun)
    areas = areas_for(kommun, comparison)
    rows = generate(kommuner=[kommun], comparisons={kommun: comparison})
    result = Result(kommun, areas, comparison["group_title"])
    with transaction.atomic():
        todo = batches(
            rows, lambda i: _ref(i, kommun), {"seed": SEED, "kommun": kommun, "areas": areas}
        )
        result.already = not todo
        if todo:
            run = FetchRun.objects.create(
                kind="example", kommun=kommun, status=FetchRun.Status.RUNNING, started_by=user
            )
            result.counts = save(todo, run=run, keep_real=True)
            run.status = FetchRun.Status.OK
            run.finished_at = timezone.now()
            run.new, run.changed = result.counts.new, result.counts.changed
            run.unchanged = result.counts.unchanged
            run.message = result.describe()
            run.save()
    return result


def plan_removal(kommun):
    """(areas whose example values go, areas kept because another load needs them, number of
    values that go): what remove() would do, without changing anything."""
    from .queries import comparison_areas

    others = {k: a for k, a in active_loads().items() if k != kommun}
    needed = set()
    for other, recorded in others.items():
        needed |= recorded | set(areas_for(other))
    candidates = set(_loads().get(kommun, set()))
    candidates |= set(areas_for(kommun, comparison_areas(kommun)))
    candidates.add(kommun)
    removable = sorted(candidates - needed)
    kept = sorted(
        set(
            Observation.objects.filter(
                area__in=sorted(candidates & needed), example=True, current=True
            ).values_list("area", flat=True)
        )
    )
    count = Observation.objects.filter(example=True, current=True, area__in=removable).count()
    count += _small_areas(removable).filter(current=True).count()
    return removable, kept, count


def _small_areas(areas):
    """The example small areas (DeSO, RegSO: codes longer than four that begin with a
    municipality's code) of the municipalities among `areas`."""
    codes = [a for a in areas if len(a) == 4 and not a.startswith("00")]
    if not codes:
        return Observation.objects.none()
    query = Q()
    for code in codes:
        query |= Q(area__startswith=code)
    return Observation.objects.filter(query, example=True).exclude(area__in=codes)


def remove(kommun, user=None):
    """Remove the municipality's example values (see the module's docstring); Result."""
    with transaction.atomic():
        removable, kept, _count = plan_removal(kommun)
        result = Result(kommun, removable, kept_areas=kept)
        result.removed, _ = Observation.objects.filter(example=True, area__in=removable).delete()
        result.removed += _small_areas(removable).delete()[0]
        # A load's snapshots go with their last value once the load is gone (a snapshot
        # still behind a value another load needs stays: it is that value's provenance).
        active = set(active_loads())
        for snapshot in Snapshot.objects.filter(source="example", observations__isnull=True):
            owner = (snapshot.query or {}).get("kommun")
            owners = {owner} if owner else set(DEMO_MUNICIPALITIES)
            if not owners & active:
                snapshot.delete()
        FetchRun.objects.create(
            kind="example",
            kommun=kommun,
            status=FetchRun.Status.OK,
            finished_at=timezone.now(),
            started_by=user,
            message=result.describe_removal(),
        )
    return result
