"""The yearly Lägesbild: gather its data (collect) and turn it into a Document (build).

collect() reads everything the report uses (the policy version, the indicator catalogue, the
observations, their provenance, the comparison areas, the departments' experience texts and
the coordinator's analyses) into one plain, JSON-ready snapshot. build_document() works from
that snapshot alone, so a published Lägesbild, which stores its snapshot, renders the same
years later whatever happens to the statistics store or the policy.

Sources: lagesbild.stats.queries (observations, provenance, comparison areas),
lagesbild.stats.catalogue (titles, units, better direction, series breaks),
PolicyVersion.data (chapters in the policy's order and words), reports.models (texts).
"""

import datetime

from django.utils import timezone

from lagesbild.analysis import compare, disclosure, trends
from lagesbild.analysis.gaps import gap_change, gap_series
from lagesbild.analysis.observations import FOREIGN_BORN, NATIVE_BORN, TOTAL, Observation
from lagesbild.core import municipalities

from . import agenda2030, charts, segregation, targets
from .document import (
    EXAMPLE_DATA_MARK,
    BulletList,
    Document,
    Figure,
    Note,
    Paragraph,
    Section,
    Table,
    walk,
)
from .formatting import amount, gap_phrase, gap_text, number, unit_words, when

SNAPSHOT_FORMAT = 1
TREND_YEARS = 5  # the trend is read over the last five years with values
MIN_TREND_YEARS = 3
TREND_TOLERANCE = 0.1  # units per year; a flatter slope is "oförändrad"
NATIONAL_MIN = 200  # municipalities with a value before a rank among all is shown

GROUP_LABELS = {FOREIGN_BORN: "Utrikes födda", NATIVE_BORN: "Inrikes födda", TOTAL: "Samtliga"}
DIRECTION_WORDS = {
    trends.BETTER_ARROW: "bättre",
    trends.UNCHANGED: "oförändrad",
    trends.WORSE: "sämre",
    trends.NOT_COMPARABLE: "går inte att bedöma",
}


def group_label(group):
    if group in GROUP_LABELS:
        return GROUP_LABELS[group]
    if group.startswith("vistelsetid-"):
        span = group.removeprefix("vistelsetid-").replace("-", "–")
        span = span + " år" if not span.endswith("–") else span.rstrip("–") + " år eller mer"
        return f"Utrikes födda, {span} i Sverige"
    return group


def lower_first(text):
    return text[:1].lower() + text[1:]


def group_order(group):
    """Foreign-born first, then its subgroups in their natural order (0–1, 2–3, 4–9, 10– år),
    then native-born and everyone."""
    order = {FOREIGN_BORN: 0, NATIVE_BORN: 2, TOTAL: 3}
    numbers = [int(part) for part in group.split("-") if part.isdigit()]
    return (order.get(group, 1), numbers[:1] or [0], group)


def area_name(code):
    """The name in running text, from the register ("Karlshamns kommun", "Region Blekinge")."""
    area = municipalities.get(code)
    return area.full_name if area is not None else code


def latest_kind(observations, kommun):
    """True when the municipality's latest value is example data, False when it is real.

    That kind decides what an indicator shows: values of the other kind are left out, so an
    example value and a real one are never combined in a gap, trend, mean, rank or chart.
    """
    mine = [o for o in observations if o.area == kommun and o.value is not None]
    if not mine:
        mine = [o for o in observations if o.area == kommun]
    if not mine:
        return False
    last = max(o.period for o in mine)
    return all(o.example for o in mine if o.period == last)


STATUS_WORDS = {
    disclosure.PROTECTED: "skyddad enligt röjandekontrollen (för liten grupp)",
    "..": "uppgift saknas eller är för osäker för att redovisas",
    "B": "seriebrott",
}


# --- collect --------------------------------------------------------------------------------


def area_indicators(area, catalogue):
    """The policy area's indicators; without a list, the catalogue's indicators of its theme.

    A policy may leave `indicators` empty; the catalogue's `theme` then decides (an area id
    "demokrati-delaktighet" takes the theme "demokrati").
    """
    listed = [i for i in area.get("indicators", []) if i in catalogue]
    if listed:
        return listed
    key = area["id"]
    return [
        i
        for i, entry in catalogue.items()
        if entry.get("theme") and (key == entry["theme"] or key.startswith(entry["theme"] + "-"))
    ]


def _iso(value):
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _details(area):
    """[(kind, text, depth)]: each goal's sub-goals, then its strategies, then the area's
    commitments; within each list the policy's own order. (The order of keys within a goal
    is not kept by PostgreSQL's jsonb, so goal → sub-goals → strategies is fixed.)"""
    out = []

    def walk(goals, depth):
        for goal in goals or []:
            if depth:
                out.append(("subgoal", goal["text"], depth))
            walk(goal.get("subgoals"), depth + 1)
            out.extend(("strategy", text, depth) for text in goal.get("strategies", []))

    walk(area.get("goals"), 0)
    out.extend(("commitment", text, 0) for text in area.get("commitments", []))
    return out


def collect(version, year):
    """The snapshot of everything the Lägesbild for `version`'s policy and `year` shows."""
    from lagesbild.geodata import store as boundaries
    from lagesbild.plan.models import Activity
    from lagesbild.policy.models import agenda2030_parts
    from lagesbild.stats import queries
    from lagesbild.stats.catalogue import catalogue_for, companions
    from lagesbild.stats.models import IndicatorRefresh

    from .models import AreaAnalysis, Experience

    data = version.data
    kommun = data["municipality"]["code"]
    catalogue = catalogue_for(kommun)
    shown_inside = {j for entry in catalogue.values() for j in companions(entry)}
    areas = []
    for area in data["areas"]:
        area_targets = targets.policy_targets(area)
        listed = area_indicators(area, catalogue)
        # A target's indicator is shown in its chapter even when the area does not list it.
        for _goal, target in area_targets:
            if target.get("indicator") in catalogue and target["indicator"] not in listed:
                listed.append(target["indicator"])
        # Small-area indicators are shown as the area's housing-segregation section; the area
        # types and the measures drawn as maps inside that section (catalogue: `area_types`,
        # `maps`), not on their own.
        listed = [i for i in listed if i not in shown_inside]
        small = [i for i in listed if catalogue[i].get("level") == "small_areas"]
        areas.append(
            {
                "id": area["id"],
                "title": area["title"],
                "goals": [g["text"] for g in area.get("goals", [])],
                "details": _details(area),
                "targets": area_targets,
                "indicators": [i for i in listed if i not in small],
                "small_areas": small,
            }
        )
    used = sorted({i for a in areas for i in a["indicators"]})
    comparison = queries.comparison_areas(kommun)
    small_parts = {}

    def small_sources(indicator):
        return [
            {k: _iso(v) for k, v in s.items()}
            for s in queries.small_area_sources(indicator, kommun)
        ]

    for i in sorted({i for a in areas for i in a["small_areas"]}):
        members = {m: queries.small_area_rows(i, m) for m in comparison["group_members"]}
        part = segregation.snapshot_part(
            catalogue[i],
            queries.small_area_rows(i, kommun),
            small_sources(i),
            boundaries.for_kommun(kommun),
            segregation.group_part(catalogue[i], comparison, members, area_name),
        )
        part["maps"] = [
            segregation.measure_part(
                catalogue[m], queries.small_area_rows(m, kommun), small_sources(m)
            )
            for m in catalogue[i].get("maps", [])
            if m in catalogue
        ]
        types = catalogue[i].get("area_types")
        if types in catalogue:
            part["area_types"] = segregation.area_types_part(
                catalogue[types], queries.small_area_rows(types, kommun), small_sources(types)
            )
        # The county and Riket over all their DeSO: the first year and the report year.
        rows, kind = segregation.shown_rows(part, year)
        if rows:
            years = {min(r[1] for r in rows), max(r[1] for r in rows)}
            everyone = [m.code for m in municipalities.municipalities()]
            county = [m for m in everyone if municipalities.get(m).county == comparison["county"]]
            found = queries.small_area_rows_in(i, everyone, years)
            for code, members_of in (
                (comparison["county"], county),
                (comparison["riket"], everyone),
            ):
                part["wider"].append(
                    segregation.wider_part(
                        catalogue[i], area_name(code), members_of, found, years, kind
                    )
                )
        small_parts[i] = part
    codes = [kommun, comparison["county"], comparison["riket"], *comparison["group_members"]]
    rows = [o for o in queries.observations(used, codes) if o.sex == "T" and o.period <= year]
    # Rank among all municipalities: only the report year, only where national data is stored,
    # and only real values (a rank is never computed over example data).
    everyone = [m.code for m in municipalities.municipalities()]
    national = {}
    for o in queries.observations(used, everyone, years=[year]):
        if o.sex == "T" and o.value is not None and not o.example:
            national.setdefault(o.indicator, {}).setdefault(o.group, {})[o.area] = o.value
    national = {
        i: {g: v for g, v in groups.items() if len(v) >= NATIONAL_MIN}
        for i, groups in national.items()
    }
    national = {i: g for i, g in national.items() if g}

    # Every area whose values the report may use: the municipality, county, Riket and the
    # comparison group's members behind a mean or a position.
    provenance = [{k: _iso(v) for k, v in p.items()} for p in queries.provenance(used, codes)]
    refresh = {
        r.indicator: {
            "error": r.error,
            "attempted_at": _iso(r.attempted_at),
            "succeeded_at": _iso(r.succeeded_at),
        }
        for r in IndicatorRefresh.objects.filter(kommun=kommun, indicator__in=used).exclude(
            error=""
        )
    }
    experiences = [
        {
            "area": e.area_key,
            "department": e.department.name,
            "author": (e.author.get_full_name() or e.author.get_username()) if e.author else "",
            "date": timezone.localtime(e.updated_at).date().isoformat(),
            "origin": e.origin,
            "text": e.text,
        }
        for e in Experience.objects.filter(policy=version.policy, year=year).select_related(
            "department", "author"
        )
    ]
    analyses = {
        a.area_key: {
            "text": a.text,
            "author": (a.author.get_full_name() or a.author.get_username()) if a.author else "",
            "date": timezone.localtime(a.updated_at).date().isoformat(),
        }
        for a in AreaAnalysis.objects.filter(policy=version.policy, year=year).select_related(
            "author"
        )
    }
    keep = (
        "title",
        "unit",
        "better",
        "series_breaks",
        "disclosure",
        "note",
        "theme",
        "birth_split",
    )
    lagesbild_doc = next((d for d in data.get("documents", []) if d.get("kind") == "lagesbild"), {})
    tagged = [
        {
            "name": f"{a.ref} {a.title}" + (" (exempel)" if a.plan.is_example else ""),
            "codes": a.agenda2030,
            "indicators": a.indicators,
        }
        # The plans in force in the report year or the year after: a Lägesbild for 2025 is
        # written in 2026, beside the plan that starts then and answers it.
        for a in Activity.objects.filter(
            plan__policy=version.policy, plan__start_year__lte=year + 1, plan__end_year__gte=year
        ).select_related("plan")
        if a.agenda2030
    ]
    return {
        "format": SNAPSHOT_FORMAT,
        "year": year,
        "collected_at": timezone.now().isoformat(timespec="seconds"),
        "policy": {
            "slug": version.policy.slug,
            "title": data["title"],
            "version": version.number,
            "decision_reference": version.decision_reference,
            "decided_by": version.decided_by,
            "decision_date": data["decision"]["date"],
            "reports_to": version.reports_to,
            "period": list(version.period),
            "outside_period": version.outside_period(year),
            "revise_by": data.get("revise_by") or version.revise_by,
            "terms": targets.terms(data),
            "area_term": data["area_term"],
            "lagesbild_title": lagesbild_doc.get("title", "Lägesbild för integration"),
            "lagesbild_description": lagesbild_doc.get("description", ""),
        },
        "municipality": {"code": kommun, "name": data["municipality"]["name"]},
        "areas": areas,
        "catalogue": {
            i: {**{k: catalogue[i].get(k) for k in keep}, "kind": catalogue[i]["source"]["kind"]}
            for i in used
        },
        "comparison": comparison,
        "names": {c: area_name(c) for c in codes},
        "observations": [
            [o.indicator, o.area, o.period, o.group, o.value, o.unit, o.status, o.count, o.example]
            for o in rows
        ],
        "national": national,
        "provenance": provenance,
        "refresh": refresh,
        "experiences": experiences,
        "analyses": analyses,
        "agenda2030": {"parts": agenda2030_parts(version.policy, data), "activities": tagged},
        "small_areas": small_parts,
        # Stamped "Exempeldata" exactly when an indicator shows example values.
        "example": any(
            latest_kind([o for o in rows if o.indicator == i], kommun)
            for i in used
            if any(o.indicator == i and o.area == kommun for o in rows)
        )
        or any(segregation.shown_rows(part, year)[1] for part in small_parts.values()),
    }


# --- build ----------------------------------------------------------------------------------


def _observations(snapshot):
    return [
        Observation(i, a, p, g, "T", v, u, s, c, e)
        for i, a, p, g, v, u, s, c, e in snapshot["observations"]
    ]


class _Indicator:
    """Everything computed for one indicator in one report (pure; from the snapshot)."""

    def __init__(self, snapshot, indicator_id, observations):
        self.id = indicator_id
        entry = snapshot["catalogue"][indicator_id]
        self.title = entry["title"]["sv"] if isinstance(entry["title"], dict) else entry["title"]
        self.unit = entry["unit"]
        self.better = entry["better"] if entry["better"] in ("higher", "lower") else None
        self.birth_split = entry.get("birth_split") or "full"
        self.year = snapshot["year"]
        self.kommun = snapshot["municipality"]["code"]
        self.riket = snapshot["comparison"]["riket"]
        self.county = snapshot["comparison"]["county"]
        self.names = snapshot["names"]
        # Only values of the same kind as the municipality's latest one are shown or combined.
        self.example = latest_kind(observations, self.kommun)
        shown = [o for o in observations if o.example == self.example]
        # Areas that have values only of the other kind: no comparison with them at all.
        kinds = {}
        for o in observations:
            if o.value is not None:
                kinds.setdefault(o.area, set()).add(o.example)
        self.left_out = sorted(
            (a for a, k in kinds.items() if self.example not in k),
            key=lambda a: (a != self.kommun, a != self.riket, a != self.county, a),
        )
        # Years of the municipality's own series that are of the other kind (e.g. the demo's
        # example values before the first real year) are not drawn or joined into a trend.
        self.other_years = sorted(
            {
                o.period
                for o in observations
                if o.area == self.kommun and o.example != self.example and o.value is not None
            }
        )
        self.breaks = sorted(
            {b["year"] for b in entry.get("series_breaks") or []} | trends.breaks_in(shown)
        )
        self.break_notes = [b.get("note", "") for b in entry.get("series_breaks") or []]
        self.observations = shown
        self.series = {}  # (area, group) -> {year: value}
        self.status = {}  # (area, group, year) -> the source's flag, where there is one
        for o in shown:
            self.series.setdefault((o.area, o.group), {})[o.period] = o.value
            if o.status:
                self.status[(o.area, o.group, o.period)] = o.status
        self.groups = sorted({g for (a, g) in self.series if a == self.kommun}, key=group_order)
        years = [
            y
            for g in self.groups
            for y, v in self.series[(self.kommun, g)].items()
            if v is not None
        ]
        self.latest = max(years) if years else None
        self.main = self.groups[0] if self.groups else None
        self.has_gap = FOREIGN_BORN in self.groups and NATIVE_BORN in self.groups
        self.refresh = (snapshot.get("refresh") or {}).get(indicator_id)
        self.kind = entry.get("kind", "")  # the source's kind (older snapshots: unknown)

    @property
    def among_groups(self):
        """True when the values are measured within each group (employment among the
        foreign-born); False for context figures such as the foreign-born share of the
        population, which are about the population, not among a group."""
        return self.birth_split in ("full", "partial", "local") and self.main != TOTAL

    def value(self, area, group, year):
        return self.series.get((area, group), {}).get(year)

    def trend(self, area, group):
        return trends.trend(
            self.series.get((area, group), {}),
            self.better or "higher",
            last_n=TREND_YEARS,
            breaks=self.breaks,
            min_years=MIN_TREND_YEARS,
            tolerance=TREND_TOLERANCE,
            up_to=self.year,
        )

    def gaps(self, area):
        return gap_series(self.observations, self.id, area) if self.has_gap else {}

    def cell(self, area, group, year):
        """A table cell: the value, or why there is none."""
        v = self.value(area, group, year)
        if v is not None:
            return number(v, unit_words(self.unit)[2])
        status = self.status.get((area, group, year), "")
        return "skyddad" if status == disclosure.PROTECTED else "saknas"


def _direction_text(ind, t):
    """ "bättre", "ökar" …: a judgement only where the catalogue says which way is better."""
    if t.direction == trends.NOT_COMPARABLE:
        return f"går inte att bedöma ({t.reason})"
    if ind.better is None:
        if t.direction == trends.UNCHANGED:
            return "oförändrad"
        return "ökande" if t.slope > 0 else "minskande"
    arrow = "→" if t.direction == trends.UNCHANGED else ("↗" if t.slope > 0 else "↘")
    return f"{DIRECTION_WORDS[t.direction]} {arrow}"


def _levels(ind, area, year):
    """'utrikes födda 64,0 %, inrikes födda 80,0 % – 16,0 procentenheter lägre' (with a gap),
    or each group's value in the groups' order."""
    if ind.has_gap:
        g = ind.gaps(area).get(year)
        text = gap_text(
            ind.value(area, FOREIGN_BORN, year),
            ind.value(area, NATIVE_BORN, year),
            ind.unit,
            points=g.points if g else None,
            ratio=g.ratio if g else None,
        )
        others = [x for x in ind.groups if x not in (FOREIGN_BORN, NATIVE_BORN)]
    else:
        text, others = "", ind.groups
    parts = [text] if text else []
    for group in others:
        label = lower_first(group_label(group))
        parts.append(f"{label} {amount(ind.value(area, group, year), ind.unit)}")
    return _join(parts)


WAYS_FETCH = (
    "hämta {it} från Kolada och SCB (knappen Uppdatera statistiken på sidan Statistik, eller "
    "lagesbild fetch --kommun {code}; det kräver att datorn når internet)"
)
WAYS_IMPORT = (
    "importera en fil (Importera statistik från en fil på sidan Statistik, eller lagesbild "
    "import FIL --source NAMN)"
)
WAYS_EXAMPLE = (
    "läs in exempelvärden för att prova (knappen Läs in exempeldata på sidan Statistik, så "
    "länge kommunen inte har några riktiga värden, eller lagesbild demo --kommun {code}); de "
    "märks som exempeldata och tas bort i ett steg"
)


def missing_text(ind):
    """What to do when an indicator has no value for the municipality, in one sentence."""
    name = ind.names.get(ind.kommun, ind.kommun)
    if ind.kind == "local":
        return (
            f"Inget värde är lagrat för {name}. Indikatorn kommer från kommunens egen källa: "
            "importera kommunens fil i importformatet (Importera statistik från en fil på sidan "
            "Statistik, eller lagesbild import FIL --source NAMN; se docs/statistics.md), eller "
            "läs in exempelvärden för att prova."
        )
    return (
        f"Inget värde är lagrat för {name}. H{WAYS_FETCH.format(code=ind.kommun, it='det')[1:]}, "
        f"{WAYS_IMPORT} eller {WAYS_EXAMPLE.format(code=ind.kommun)}."
    )


def missing_note(snapshot, indicators):
    """The Note that opens a report with indicators lacking values, or None.

    Nothing at all: "Det finns ingen statistik för <kommun> ännu" and the three ways forward;
    some: which indicators lack values."""
    if not indicators:
        return None
    kommun = snapshot["municipality"]["code"]
    name = snapshot["names"].get(kommun, snapshot["municipality"]["name"])
    missing = [ind for ind in indicators.values() if ind.latest is None]
    if not missing:
        return None
    ways = (
        f"Så kommer statistiken in: {WAYS_FETCH.format(code=kommun, it='den')}; {WAYS_IMPORT}; eller "
        f"{WAYS_EXAMPLE.format(code=kommun)}."
    )
    if len(missing) == len(indicators):
        return Note(
            f"Det finns ingen statistik för {name} ännu. Lägesbildens kapitel visar därför "
            f"inga värden eller diagram, bara vad som saknas under varje indikator. {ways}"
        )
    titles = _join(ind.title for ind in sorted(missing, key=lambda i: i.title))
    return Note(
        f"Värden saknas för {name} för {len(missing)} av {len(indicators)} indikatorer: "
        f"{titles}. {ways}"
    )


def describe(ind, snapshot):
    """A few plain Swedish sentences on what the numbers say: levels, gap, change, comparison.

    Words follow what the indicator measures: values within groups are given per group; a
    context figure (e.g. the foreign-born share of the population) is given as the figure it
    is, never as "X % among the foreign-born".
    """
    if ind.latest is None:
        return [missing_text(ind)]
    kommun_name = ind.names.get(ind.kommun, ind.kommun)
    _, diff_unit, _ = unit_words(ind.unit)
    y = ind.latest
    sentences = []
    if ind.among_groups:
        sentences.append(f"År {y} i {kommun_name}: {_levels(ind, ind.kommun, y)}.")
    else:
        value = amount(ind.value(ind.kommun, ind.main, y), ind.unit)
        sentences.append(f"{ind.title}: {value} i {kommun_name} år {y}.")
    if y < ind.year:
        sentences.append(f"Det senaste året med värden är {y}; {ind.year} är inte publicerat ännu.")

    if ind.has_gap:
        gaps = ind.gaps(ind.kommun)
        now = gaps.get(y)
        t = ind.trend(ind.kommun, FOREIGN_BORN)
        start = t.years[0] if t.years else None
        first = gaps.get(start) if start and start != y else None
        if now and now.points is not None and first and first.points is not None:
            change = gap_change(first, now, ind.better or "higher")
            delta = number(abs(abs(now.points) - abs(first.points)))
            if change == "unchanged":
                sentences.append(f"Skillnaden är ungefär lika stor som {start}.")
            else:
                word = "minskat" if change == "narrowed" else "ökat"
                sentences.append(
                    f"Skillnaden har {word} med {delta} {diff_unit} sedan {start}, då den var "
                    f"{gap_phrase(first.points, ind.unit)}."
                )
        places = []
        for area in (ind.riket, ind.county):
            g = ind.gaps(area).get(y) if area else None
            if g and g.points is not None:
                places.append(f"{gap_phrase(g.points, ind.unit)} i {_place(ind, area)}")
        if places:
            sentences.append(
                f"Samma år var skillnaden {_join(places)} (utrikes jämfört med inrikes födda)."
            )
    elif ind.main is not None:
        places = [
            f"{amount(v, ind.unit)} i {_place(ind, area)}"
            for area in (ind.riket, ind.county)
            if area and (v := ind.value(area, ind.main, y)) is not None
        ]
        if places:
            who = f" för {lower_first(group_label(ind.main))}" if len(ind.groups) > 1 else ""
            sentences.append(f"Samma år var värdet{who} {_join(places)}.")

    if ind.main is not None:
        t = ind.trend(ind.kommun, ind.main)
        who = f"för {lower_first(group_label(ind.main))} " if ind.among_groups else ""
        if t.direction == trends.NOT_COMPARABLE:
            sentences.append(
                f"Utvecklingen över tid {who}går inte att bedöma: för få år med jämförbara "
                f"värden ({len(t.years)} av minst {MIN_TREND_YEARS})."
            )
        else:
            span = f"{t.years[0]}–{t.years[-1]}"
            if t.direction == trends.UNCHANGED:
                sentences.append(f"Värdet {who}har varit i stort sett oförändrat {span}.")
            else:
                verb = "ökat" if t.slope > 0 else "minskat"
                sentences.append(
                    f"Värdet {who}har {verb} med i genomsnitt {number(abs(t.slope))} "
                    f"{diff_unit or 'per år'}{' per år' if diff_unit else ''} {span}."
                )
            if ind.better:
                better = "högre" if ind.better == "higher" else "lägre"
                sentences.append(
                    f"För den här indikatorn räknas ett {better} värde som bättre, så "
                    f"utvecklingen är {DIRECTION_WORDS[t.direction]}."
                )
        breaks = [b for b in ind.breaks if b <= ind.year]
        if breaks:
            sentences.append(
                f"Serien bröts {breaks[-1]}, så utvecklingen räknas bara från det året."
            )
        c = comparison(ind, snapshot)
        about = f"{lower_first(group_label(ind.main))}, {y}" if ind.among_groups else str(y)
        if c and c.group_mean is not None and c.value is not None:
            title = snapshot["comparison"]["group_title"]
            sentence = (
                f"I jämförelsegruppen ({title}) var medelvärdet {amount(c.group_mean, ind.unit)}"
            )
            if ind.better:
                sentence += f"; {kommun_name} hade plats {c.group_position} av {c.group_size}"
            sentences.append(sentence + f" ({about}).")
        if c and c.rank is not None and ind.better:
            sentences.append(
                f"Bland landets kommuner hade {kommun_name} plats {c.rank} av {c.rank_of} "
                "(plats 1 har det bästa värdet)."
            )
    return sentences


def _place(ind, area):
    name = ind.names.get(area, area)
    return "riket" if area == ind.riket else name


def comparison(ind, snapshot):
    """The municipality beside its group, county, Riket and (real data only) the country."""
    if ind.main is None or ind.latest is None:
        return None
    cmp = snapshot["comparison"]
    values = {a: v.get(ind.latest) for (a, g), v in ind.series.items() if g == ind.main}
    national = snapshot.get("national", {}).get(ind.id, {}).get(ind.main, {})
    everyone = []
    if national and ind.latest == ind.year and not ind.example:
        values = {**national, **values}
        everyone = list(national)
    return compare.compare(
        ind.kommun,
        values,
        ind.better or "higher",
        riket=cmp["riket"],
        county=cmp["county"],
        group=cmp["group_members"],
        all_municipalities=everyone,
    )


def _join(parts):
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def summary_line(ind, snapshot):
    if ind.latest is None:
        return f"{ind.title}: inget värde lagrat för kommunen ännu (se indikatorn)."
    y = ind.latest
    if ind.among_groups:
        line = f"{ind.title}, {y}: {_levels(ind, ind.kommun, y)}"
    else:
        line = f"{ind.title}, {y}: {amount(ind.value(ind.kommun, ind.main, y), ind.unit)}"
    t = ind.trend(ind.kommun, ind.main)
    who = f" för {lower_first(group_label(ind.main))}" if ind.among_groups else ""
    line += f"; utveckling{who}: {_direction_text(ind, t)}"
    r = ind.value(ind.riket, ind.main, y)
    if r is not None and not ind.has_gap:
        line += f"; riket {amount(r, ind.unit)}"
    if ind.refresh:
        line += "; inte uppdaterad (se indikatorn)"
    return line + "."


def _chart_and_table(ind, snapshot, target=None):
    kommun_name = ind.names.get(ind.kommun, ind.kommun)
    riket_name = ind.names.get(ind.riket, "Riket")
    years = sorted(
        {y for (a, g), v in ind.series.items() if a in (ind.kommun, ind.riket) for y in v}
    )
    columns = []
    for area, place in ((ind.kommun, kommun_name), (ind.riket, riket_name)):
        for g in ind.groups:
            if (area, g) in ind.series:
                columns.append((area, g, place))
    series = [
        charts.Series(group_label(g), place, tuple((y, ind.value(a, g, y)) for y in years))
        for a, g, place in columns
    ]
    after, _, decimals = unit_words(ind.unit)
    y_title = {"%": "Procent", "": "Antal"}.get(after, after.capitalize() or "Värde")
    first, last = years[0], years[-1]
    title = f"{ind.title}, {first}–{last}"
    moves = []
    for a, g, _place in columns:
        if a != ind.kommun:
            continue
        vals = [(y, v) for y, v in ind.series[(a, g)].items() if v is not None]
        if vals:
            (y0, v0), (y1, v1) = min(vals), max(vals)
            moves.append(
                f"{lower_first(group_label(g))} från {amount(v0, ind.unit)} {y0} till "
                f"{amount(v1, ind.unit)} {y1}"
            )
    alt = (
        f"Linjediagram: {ind.title} {first}–{last} i {kommun_name} (heldragna linjer) och "
        f"{riket_name.lower()} (streckade linjer). I {kommun_name}: {_join(moves)}. "
        "Alla värden står i tabellen intill."
    )
    breaks = [b for b in ind.breaks if first < b <= last]
    mark = None
    if target is not None:  # a level target of a group shown in the chart
        t = target.target
        term = (snapshot["policy"].get("terms") or targets.DEFAULT_TERMS)["target"]
        mark = (t["year"], t["value"], f"{term} {t['year']}: {amount(t['value'], ind.unit)}")
        alt += f" {mark[2]} ({lower_first(group_label(t.get('group') or ind.main))})."
    svg = charts.line_chart(
        series,
        y_title,
        title,
        description=alt,
        break_year=breaks[-1] if breaks else None,
        target=mark,
    )
    png = b""  # filled in for all charts at once in build_document
    header = ["År"] + [f"{group_label(g)}, {place}" for _, g, place in columns]
    rows = [[str(y)] + [ind.cell(a, g, y) for a, g, _ in columns] for y in years]
    unit_caption = f" ({after})" if after else ""
    table = Table(
        f"{ind.title}{unit_caption}, {kommun_name} och {riket_name.lower()}",
        header,
        rows,
        set(range(1, len(header))),
    )
    caption = f"Diagram: {title}. Källa: se bilagan."
    if ind.example:
        caption += f" {EXAMPLE_DATA_MARK}."
    return Figure(alt, caption, svg, png, table)


def _status_note(ind):
    """The sources' status flags on what is shown, in words (disclosure control included)."""
    flagged = {}
    for (area, group, year), status in sorted(ind.status.items()):
        if area in (ind.kommun, ind.riket) and status != "B":
            flagged.setdefault(status, []).append(
                f"{year} ({lower_first(group_label(group))}, {_place(ind, area)})"
            )
    notes = []
    for status, where in flagged.items():
        words = STATUS_WORDS.get(status, f"statusflagga {status!r} från källan")
        if status == disclosure.PROTECTED:
            words += ", se bilagan"
        notes.append(Note(f"{words.capitalize()}: {_join(where)}."))
    return notes


def _indicator_section(ind, snapshot, target=None):
    blocks = []
    if ind.refresh:
        last = (ind.refresh.get("succeeded_at") or "")[:10]
        blocks.append(
            Note(
                f"Inte uppdaterad – {ind.refresh['error']}. "
                + (
                    f"Värdena är från den senaste lyckade hämtningen {last}."
                    if last
                    else "Värdena är från en tidigare hämtning eller import."
                )
            )
        )
    if ind.latest is None:
        blocks.append(Note(missing_text(ind)))
    else:
        blocks.append(Paragraph(" ".join(describe(ind, snapshot))))
    if ind.latest is not None:
        blocks.append(_chart_and_table(ind, snapshot, target))
    blocks += _status_note(ind)
    kind = "exempeldata" if not ind.example else "officiell statistik"
    mine = "officiell statistik" if not ind.example else "exempeldata"
    if ind.left_out and ind.latest is not None:
        places = _join(_place(ind, a) for a in ind.left_out)
        blocks.append(
            Note(
                f"Jämförelse saknas för {places}: de lagrade värdena där är {kind}, medan "
                f"kommunens senaste värde är {mine}. Exempeldata och officiell statistik "
                "jämförs aldrig."
            )
        )
    if ind.other_years and ind.latest is not None:
        span = f"{ind.other_years[0]}–{ind.other_years[-1]}"
        if len(ind.other_years) == 1:
            span = str(ind.other_years[0])
        blocks.append(
            Note(
                f"Värdena för {span} är {kind} och visas inte här, eftersom kommunens senaste "
                f"värde är {mine}; de två slagen jämförs aldrig."
            )
        )
    for note in ind.break_notes:
        if note:
            blocks.append(Note(f"Seriebrott: {note}"))
    return Section(ind.title, blocks, key=f"{ind.id}")


def indicators_of(snapshot):
    """{indicator id: _Indicator} for everything a snapshot shows (disclosure applied)."""
    by_indicator = {}
    for o in disclosure.protect(_observations(snapshot)):
        by_indicator.setdefault(o.indicator, []).append(o)
    return {i: _Indicator(snapshot, i, by_indicator.get(i, [])) for i in snapshot["catalogue"]}


def _policy_paragraphs(policy, year):
    """Who decided the policy, whom the report goes to, its period and revision."""
    blocks = []
    if policy.get("decided_by"):
        reference = f" ({policy['decision_reference']})" if policy["decision_reference"] else ""
        first, last = policy.get("period") or (None, None)
        period = f" och gäller {first}–{last}" if first and last else ""
        blocks.append(
            Paragraph(
                f"{policy['title']} beslutades av {lower_first(policy['decided_by'])} "
                f"{policy['decision_date']}{reference}{period}. Lägesbilden redovisas för "
                f"{lower_first(policy['reports_to'])}."
            )
        )
    revise_by = policy.get("revise_by")
    if revise_by:
        left = revise_by - year
        when = (
            f"om {left} år räknat från lägesbildens år"
            if left > 0
            else "samma år som lägesbilden"
            if left == 0
            else "och det året har passerats"
        )
        blocks.append(Paragraph(f"Policyn ska revideras senast {revise_by}, {when}."))
    return blocks


def _area_parts(area, terms):
    """The area's sub-goals, strategies and commitments in the policy's words and order."""
    plural = {"subgoal": "Delmål", "strategy": "Strategier", "commitment": "Åtaganden"}
    blocks, current, items = [], None, []
    for kind, text, _depth in area.get("details", []):
        if kind != current and items:
            blocks += [Paragraph(f"{_term_heading(current, terms, plural)}:"), BulletList(items)]
            items = []
        current = kind
        items.append(text)
    if items:
        blocks += [Paragraph(f"{_term_heading(current, terms, plural)}:"), BulletList(items)]
    return blocks


def _term_heading(kind, terms, plural):
    default = targets.DEFAULT_TERMS[kind]
    return plural[kind] if terms[kind] == default else terms[kind]


def build_document(snapshot, status="Utkast", with_png=True):
    """The Lägesbild as a Document, from a snapshot alone (see collect)."""
    year = snapshot["year"]
    policy = snapshot["policy"]
    kommun = snapshot["municipality"]
    term = policy["area_term"]
    terms = policy.get("terms") or targets.DEFAULT_TERMS
    indicators = indicators_of(snapshot)
    results = targets.evaluate_all(snapshot, indicators)
    # The first level target of each indicator is drawn in its chart (a gap has no line there).
    drawn = {}
    for r in results:
        indicator = r.target.get("indicator")
        if indicator in indicators and "value" in r.target and not r.is_gap:
            drawn.setdefault(indicator, r)
    # Stamped exactly when some indicator shows example values (the rule collect() uses too).
    shown_kinds = {ind.example for ind in indicators.values() if ind.series}
    for part in snapshot.get("small_areas", {}).values():
        rows, kind = segregation.shown_rows(part, year)
        if rows:
            shown_kinds.add(kind)
    example = True in shown_kinds
    experiences = {}
    for e in snapshot["experiences"]:
        experiences.setdefault(e["area"], []).append(e)

    intro = [
        Paragraph(
            policy["lagesbild_description"]
            or "Lägesbilden redovisar statistik och beprövad erfarenhet för policyns områden."
        ),
        Paragraph(
            f"Lägesbilden har ett kapitel per {term['singular']} i {policy['title']}, i "
            "policyns ordning. Varje kapitel visar först en sammanfattning, sedan varje "
            "indikator med diagram, tabell och en kort beskrivning av vad siffrorna visar, "
            "därefter förvaltningarnas beprövade erfarenhet och sist samordnarens analys."
        ),
        Paragraph(
            "Skillnaden mellan utrikes och inrikes födda anges alltid som värdet för utrikes "
            "födda jämfört med inrikes födda: ”15,9 procentenheter lägre” betyder att "
            "utrikes födda har ett 15,9 procentenheter lägre värde. Andelar skiljer sig i "
            "procentenheter. Utvecklingen "
            f"avser de senaste högst {TREND_YEARS} åren med jämförbara värden och bedöms som "
            "bättre, oförändrad eller sämre utifrån vilket håll som är bättre för indikatorn. "
            "Metod och källor står i bilagan."
        ),
    ]
    if example:
        words = (
            "Siffrorna i den här lägesbilden är exempelvärden för demonstration."
            if shown_kinds == {True}
            else "Indikatorer vars diagram är märkta med exempeldata visar exempelvärden för "
            "demonstration; övriga visar officiell statistik. De två slagen jämförs aldrig."
        )
        intro.insert(0, Note(f"{EXAMPLE_DATA_MARK}. {words}"))
    intro[1:1] = _policy_paragraphs(policy, year)
    missing = missing_note(snapshot, indicators)
    if missing is not None:  # said first (after the example mark): what is missing, what to do
        intro.insert(1 if example else 0, missing)
    sections = [Section("Om lägesbilden", intro, key="om")]
    if results:
        # The first question a politician asks: are we reaching our targets?
        sections.insert(
            0,
            Section(
                f"{terms['target']}: läget {year}",
                [
                    Paragraph(
                        f"{terms['target']} i policyn, {len(results)} stycken: "
                        f"{targets.status_counts(results)}. Utgångsläget är målets utgångsår "
                        "eller det första året med värden; takten är förändringen per år hittills "
                        "och den som krävs för att nå målet i tid. Skillnader anges för utrikes "
                        "födda jämfört med inrikes födda."
                    ),
                    targets.summary_table(results, terms["target"], year),
                ],
                key="malvarden",
            ),
        )

    if policy.get("outside_period"):  # said plainly, at the very top
        sections[0].blocks.insert(0, Note(policy["outside_period"]))

    for area in snapshot["areas"]:
        blocks = []
        for goal in area["goals"]:
            blocks.append(Paragraph(f"{terms['goal']}: {goal}"))
        blocks += _area_parts(area, terms)
        for r in results:
            if r.area == area["id"]:
                blocks.append(Paragraph(f"{terms['target']}: {r.sentence()}"))
        inds = [indicators[i] for i in area["indicators"] if i in indicators]
        small = [i for i in area.get("small_areas", []) if i in snapshot.get("small_areas", {})]
        subsections = []
        lines = [summary_line(ind, snapshot) for ind in inds]
        lines += [segregation.summary(snapshot["small_areas"][i], year) for i in small]
        if any(lines):
            blocks.append(BulletList([line for line in lines if line]))
        if inds:
            subsections += [_indicator_section(ind, snapshot, drawn.get(ind.id)) for ind in inds]
        elif not small:
            blocks.append(Note(f"Ingen indikator är kopplad till denna {term['singular']}."))
        subsections += [
            segregation.section(
                snapshot["small_areas"][i], year, f"{area['id']}-{i}", kommun["name"]
            )
            for i in small
        ]
        texts = experiences.get(area["id"], [])
        exp_blocks = []
        for e in texts:
            who = ", ".join(x for x in (e["department"], e["author"], e["date"]) if x)
            exp_blocks.append(Paragraph(f"{who}:"))
            exp_blocks.extend(Paragraph(p.strip()) for p in e["text"].split("\n\n") if p.strip())
        if not exp_blocks:
            exp_blocks.append(Note("Ingen förvaltning har lämnat beprövad erfarenhet för området."))
        subsections.append(
            Section("Beprövad erfarenhet", exp_blocks, key=f"{area['id']}-erfarenhet")
        )
        analysis = snapshot["analyses"].get(area["id"])
        if analysis:
            an_blocks = [Paragraph(p.strip()) for p in analysis["text"].split("\n\n") if p.strip()]
            an_blocks.append(Paragraph(f"{analysis['author']}, {analysis['date']}".strip(", ")))
        else:
            an_blocks = [Note("Samordnarens analys är inte skriven ännu.")]
        subsections.append(Section("Samordnarens analys", an_blocks, key=f"{area['id']}-analys"))
        sections.append(
            Section(
                f"{term['singular'].capitalize()}: {area['title']}",
                blocks,
                subsections,
                key=area["id"],
            )
        )

    if "agenda2030" in snapshot:  # snapshots from before issue #15 have no tags
        sections.append(_agenda2030(snapshot, indicators, term))
    sections.append(_appendix(snapshot, indicators))
    if with_png:
        figures = [b for _, _, s in walk(sections) for b in s.blocks if isinstance(b, Figure)]
        for figure, png in zip(figures, charts.to_png([f.svg for f in figures]), strict=True):
            figure.png = png
    names = snapshot["names"]
    cmp = snapshot["comparison"]
    return Document(
        title=f"{policy['lagesbild_title']} {year}",
        subtitle=f"{kommun['name']} – {policy['title']}",
        municipality=kommun["name"],
        meta=[
            (
                "Policy",
                f"{policy['title']}, version {policy['version']}"
                + (f" ({policy['decision_reference']})" if policy["decision_reference"] else ""),
            ),
            ("År", str(year)),
            ("Status", status),
            *(
                [
                    (
                        "Policyn beslutad av",
                        f"{policy['decided_by']} {policy['decision_date']}"
                        + (
                            f", {policy['decision_reference']}"
                            if policy["decision_reference"]
                            else ""
                        ),
                    ),
                    ("Redovisas för", policy["reports_to"]),
                ]
                if policy.get("decided_by")
                else []
            ),
            ("Underlaget sammanställt", snapshot["collected_at"][:10]),
            (
                "Jämförs med",
                _join(
                    [names.get(cmp["riket"], "Riket"), names.get(cmp["county"], cmp["county"])]
                    + ([cmp["group_title"]] if cmp["group_title"] else [])
                ),
            ),
        ],
        sections=sections,
        example_data=example,
        dated=datetime.datetime.fromisoformat(snapshot["collected_at"]),
    )


def _agenda2030(snapshot, indicators, term):
    """Which global goals the policy and the plan serve, with each indicator's trend."""
    movement = {}
    for ind in indicators.values():
        if ind.main is None:
            movement[ind.id] = f"{ind.title}: uppgift saknas."
            continue
        words = _direction_text(ind, ind.trend(ind.kommun, ind.main))
        mark = " (exempeldata)" if ind.example else ""
        movement[ind.id] = f"{ind.title}{mark}: {words}."
    tags = snapshot["agenda2030"]
    return agenda2030.section(tags["parts"], tags["activities"], movement, term["plural"])


SOURCE_NAMES = {"kolada": "Kolada (RKA)", "scb": "SCB", "example": "Exempeldata"}


def _query_text(p):
    """The request behind a fetch, in full: Kolada's GET address, SCB's POSTed selection, or
    the imported file's name (never a path on the server)."""
    query = p.get("query") or {}
    if p["source"] == "scb" and query.get("selection"):
        chosen = "; ".join(
            f"{s['variableCode']} = {', '.join(s['valueCodes'])}" for s in query["selection"]
        )
        return f"POST {p.get('url', '')} med urvalet {chosen}"
    if p["source"].startswith("local:") or query.get("file"):
        return f"importerad fil {query.get('file') or p.get('source_ref', '')}"
    if p["source"] == "example":
        return "genererade exempelvärden (lagesbild demo)"
    url = query.get("url") or p.get("url", "")
    return f"GET {url}" if url else ""


def provenance_items(snapshot, indicators):
    """One line per fetch behind the values the report shows: indicator, areas, source,
    reference, full query, fetch time and full SHA-256 checksum of the raw answer."""
    names = snapshot["names"]
    cmp = snapshot["comparison"]
    order = [snapshot["municipality"]["code"], cmp["county"], cmp["riket"]]
    grouped = {}  # one line per fetch: the areas it answered for are listed together
    for p in snapshot["provenance"]:
        ind = indicators.get(p["indicator"])
        if ind is None or bool(p.get("example")) != ind.example:
            continue  # values of the other kind are not shown, so not listed
        source = SOURCE_NAMES.get(p["source"], p["source"])
        if p.get("example") and p["source"] != "example":
            source += " (exempeldata)"
        key = (
            ind.title,
            source,
            p.get("source_ref", ""),
            _query_text(p),
            when(p.get("fetched_at")),
            p.get("checksum") or "",
        )
        grouped.setdefault(key, []).append(p["area"])

    def place(code):
        return (order.index(code) if code in order else len(order), names.get(code, code))

    items = []
    for (title, source, ref, query, fetched, checksum), areas in grouped.items():
        where = ", ".join(names.get(a, a) for a in sorted(areas, key=place))
        items.append(
            f"{title} – {where}. Källa: {source}, {ref}. Fråga: {query}. Hämtad {fetched}. "
            f"SHA-256: {checksum}"
        )
    return items


def _appendix(snapshot, indicators):
    names = snapshot["names"]
    cmp = snapshot["comparison"]
    items = provenance_items(snapshot, indicators)
    sources = [
        Paragraph(
            "Varje värde i lägesbilden kommer från statistiklagret. Listan visar, för varje "
            "hämtning bakom de värden som lägesbilden använder (kommunen, länet, riket och "
            "jämförelsegruppens kommuner bakom medelvärden och placeringar): indikatorn, "
            "områdena, källan och referensen (KPI-id eller tabell), hela frågan till källan, "
            "när den hämtades och kontrollsumman (SHA-256) för källans svar så som det lagrades."
        ),
        BulletList(items) if items else Note("Inga källor: lägesbilden har inga värden."),
    ]
    members = _join(names.get(m, area_name(m)) for m in cmp["group_members"])
    method = [
        Paragraph(
            "Skillnad: värdet för utrikes födda minus värdet för inrikes födda samma år, i "
            "procentenheter för andelar. Den skrivs med ord: ”lägre” när utrikes födda har "
            "det lägre värdet, ”högre” när de har det högre. Samma tecken och ord används i "
            "uppföljningsrapporten, API:t och exporterna. För belopp, dagar och antal visas "
            "också kvoten (utrikes födda delat med inrikes födda). Att skillnaden har minskat "
            "eller ökat avser dess storlek, oavsett vilken grupp som har det högre värdet; en "
            "förändring under 0,05 räknas som oförändrad."
        ),
        Paragraph(
            "Officiell statistik och exempeldata: en skillnad, utveckling, jämförelse, "
            "placering eller ett medelvärde räknas bara ut mellan värden av samma slag. Varje "
            "indikator visar värden av samma slag som kommunens senaste värde; där ett "
            "jämförelseområde bara har värden av det andra slaget står det att jämförelsen "
            "saknas och varför."
        ),
        Paragraph(
            f"Utveckling: lutningen i en linjär regression (minsta kvadratmetoden) över de "
            f"senaste högst {TREND_YEARS} åren med värden, fram till lägesbildens år. Minst "
            f'{MIN_TREND_YEARS} år behövs, annars står det "för få år". En lutning under '
            f"{number(TREND_TOLERANCE)} enheter per år räknas som oförändrad. Vid ett "
            "seriebrott räknas bara åren från brottet."
        ),
        Paragraph(
            "Jämförelser: riket, länet och jämförelsegruppen "
            + (f"{cmp['group_title']} ({members})" if cmp["group_title"] else "(saknas)")
            + ". Plats 1 har det bästa värdet i indikatorns riktning; lika värden delar plats. "
            "Rangordning bland alla kommuner visas bara när värden för minst "
            f"{NATIONAL_MIN} kommuner finns i statistiklagret."
        ),
    ]
    rule = [
        Paragraph(
            "Kolada och SCB publicerar bara värden som redan har gått igenom producentens egen "
            "röjandekontroll: där en grupp är för liten står värdet tomt, ofta med en "
            'statusflagga, och lägesbilden skriver "saknas" och återger flaggan i ord. '
            "Lägesbilden döljer inte källornas publicerade värden en gång till."
        ),
        Paragraph(
            "Där lägesbilden själv har gruppens storlek (SCB:s antal eller en importerad fil "
            "med gruppstorlek) gäller SCB:s regel: en andel redovisas bara där gruppen är "
            "större än 20 personer och fler än 5 har egenskapen och fler än 5 saknar den (så "
            "att inte heller de få utan egenskapen kan pekas ut). Ett antal personer redovisas "
            'bara om det är 0 eller fler än 5. Annars står "skyddad".'
        ),
    ]
    about = [
        Paragraph(
            f"Policyversion {snapshot['policy']['version']}; underlaget sammanställt "
            f"{snapshot['collected_at']}."
        )
    ]
    if snapshot.get("example"):
        about.append(
            Note(
                f"{EXAMPLE_DATA_MARK}. Värdena är genererade exempelvärden för demot och får inte "
                "användas som statistik. Riktiga värden hämtas med lagesbild fetch."
            )
        )
    return Section(
        "Bilaga: källor och metod",
        [],
        [
            Section("Källor", sources, key="kallor"),
            Section("Metod", method, key="metod"),
            Section("Röjandekontroll", rule, key="rojandekontroll"),
            Section("Om underlaget", about, key="underlaget"),
        ],
        key="bilaga",
    )
