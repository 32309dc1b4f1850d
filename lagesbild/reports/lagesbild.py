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

from . import charts
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
from .formatting import MISSING, number

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
    order = {FOREIGN_BORN: 0, NATIVE_BORN: 2, TOTAL: 3}
    return (order.get(group, 1), group)


def area_name(code):
    area = municipalities.get(code)
    if area is None:
        return code
    if area.kind == "kommun":
        return f"{area.name}s kommun" if not area.name.endswith("s") else f"{area.name} kommun"
    return area.name


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


def collect(version, year):
    """The snapshot of everything the Lägesbild for `version`'s policy and `year` shows."""
    from lagesbild.stats import queries
    from lagesbild.stats.catalogue import load_catalogue

    from .models import AreaAnalysis, Experience

    data = version.data
    kommun = data["municipality"]["code"]
    catalogue = load_catalogue()
    areas = []
    for area in data["areas"]:
        areas.append(
            {
                "id": area["id"],
                "title": area["title"],
                "goals": [g["text"] for g in area.get("goals", [])],
                "indicators": area_indicators(area, catalogue),
            }
        )
    used = sorted({i for a in areas for i in a["indicators"]})
    comparison = queries.comparison_areas(kommun)
    codes = [kommun, comparison["county"], comparison["riket"], *comparison["group_members"]]
    rows = [o for o in queries.observations(used, codes) if o.sex == "T" and o.period <= year]
    # Rank among all municipalities: only the report year, only where national data is stored.
    everyone = [m.code for m in municipalities.municipalities()]
    national = {}
    for o in queries.observations(used, everyone, years=[year]):
        if o.sex == "T" and o.value is not None:
            national.setdefault(o.indicator, {}).setdefault(o.group, {})[o.area] = o.value
    national = {
        i: {g: v for g, v in groups.items() if len(v) >= NATIONAL_MIN}
        for i, groups in national.items()
    }
    national = {i: g for i, g in national.items() if g}

    provenance = [
        {k: _iso(v) for k, v in p.items()}
        for p in queries.provenance(used, [kommun, comparison["county"], comparison["riket"]])
    ]
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
    keep = ("title", "unit", "better", "series_breaks", "disclosure", "note", "theme")
    lagesbild_doc = next((d for d in data.get("documents", []) if d.get("kind") == "lagesbild"), {})
    return {
        "format": SNAPSHOT_FORMAT,
        "year": year,
        "collected_at": timezone.now().isoformat(timespec="seconds"),
        "policy": {
            "slug": version.policy.slug,
            "title": data["title"],
            "version": version.number,
            "decision_reference": version.decision_reference,
            "area_term": data["area_term"],
            "lagesbild_title": lagesbild_doc.get("title", "Lägesbild för integration"),
            "lagesbild_description": lagesbild_doc.get("description", ""),
        },
        "municipality": {"code": kommun, "name": data["municipality"]["name"]},
        "areas": areas,
        "catalogue": {i: {k: catalogue[i].get(k) for k in keep} for i in used},
        "comparison": comparison,
        "names": {c: area_name(c) for c in codes},
        "observations": [
            [o.indicator, o.area, o.period, o.group, o.value, o.unit, o.status, o.count, o.example]
            for o in rows
        ],
        "national": national,
        "provenance": provenance,
        "experiences": experiences,
        "analyses": analyses,
        "example": any(o.example for o in rows) or any(p.get("example") for p in provenance),
    }


# --- build ----------------------------------------------------------------------------------


def _observations(snapshot):
    return [
        Observation(i, a, p, g, "T", v, u, s, c, e)
        for i, a, p, g, v, u, s, c, e in snapshot["observations"]
    ]


def _unit_words(unit):
    """(unit after a value, unit of a difference)."""
    if unit == "procent":
        return "procent", "procentenheter"
    return unit, unit


class _Indicator:
    """Everything computed for one indicator in one report (pure; from the snapshot)."""

    def __init__(self, snapshot, indicator_id, observations):
        self.id = indicator_id
        entry = snapshot["catalogue"][indicator_id]
        self.title = entry["title"]["sv"] if isinstance(entry["title"], dict) else entry["title"]
        self.unit = entry["unit"]
        self.better = entry["better"] if entry["better"] in ("higher", "lower") else None
        self.breaks = sorted(
            {b["year"] for b in entry.get("series_breaks") or []} | trends.breaks_in(observations)
        )
        self.break_notes = [b.get("note", "") for b in entry.get("series_breaks") or []]
        self.year = snapshot["year"]
        self.kommun = snapshot["municipality"]["code"]
        self.riket = snapshot["comparison"]["riket"]
        self.county = snapshot["comparison"]["county"]
        self.names = snapshot["names"]
        self.observations = observations
        self.series = {}  # (area, group) -> {year: value}
        self.protected = set()  # (area, group, year) hidden by disclosure control
        for o in observations:
            self.series.setdefault((o.area, o.group), {})[o.period] = o.value
            if o.status == disclosure.PROTECTED:
                self.protected.add((o.area, o.group, o.period))
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


def describe(ind, snapshot):
    """A few plain Swedish sentences on what the numbers say: levels, gap, change, comparison."""
    if ind.latest is None:
        return ["Det finns inga värden för kommunen att redovisa."]
    unit, diff_unit = _unit_words(ind.unit)
    kommun_name = ind.names.get(ind.kommun, ind.kommun)
    measure = "andelen" if ind.unit == "procent" else "värdet"
    y = ind.latest
    sentences = []

    parts = []
    for g in ind.groups:
        v = ind.value(ind.kommun, g, y)
        parts.append(
            f"{number(v)} {unit} bland {lower_first(group_label(g))}"
            if v is not None
            else f"uppgift saknas/skyddad för {lower_first(group_label(g))}"
        )
    sentences.append(f"År {y} var {measure} {_join(parts)} i {kommun_name}.")
    if y < ind.year:
        sentences.append(f"Det senaste året med värden är {y}; {ind.year} är inte publicerat ännu.")

    if ind.has_gap:
        gaps = ind.gaps(ind.kommun)
        now = gaps.get(y)
        if now and now.points is not None:
            t = ind.trend(ind.kommun, FOREIGN_BORN)
            start = t.years[0] if t.years else None
            first = gaps.get(start) if start and start != y else None
            sentence = f"Skillnaden mellan utrikes och inrikes födda var {number(abs(now.points))} {diff_unit}"
            if first and first.points is not None:
                change = gap_change(first, now, ind.better or "higher")
                delta = abs(abs(now.points) - abs(first.points))
                if change == "unchanged":
                    sentence += f", ungefär lika stor som {start}"
                else:
                    word = "mindre" if change == "narrowed" else "större"
                    sentence += f", {number(delta)} {diff_unit} {word} än {start}"
            sentences.append(sentence + ".")
        places = []
        for area in (ind.riket, ind.county):
            g = ind.gaps(area).get(y) if area else None
            if g and g.points is not None:
                places.append(f"{number(abs(g.points))} {diff_unit} i {_place(ind, area)}")
        if places:
            sentences.append(f"Samma år var skillnaden {_join(places)}.")
    elif ind.main is not None:
        places = [
            f"{number(v)} {unit} i {_place(ind, area)}"
            for area in (ind.riket, ind.county)
            if area and (v := ind.value(area, ind.main, y)) is not None
        ]
        if places:
            sentences.append(f"Samma år var {measure} {_join(places)}.")

    if ind.main is not None:
        t = ind.trend(ind.kommun, ind.main)
        who = lower_first(group_label(ind.main))
        if t.direction == trends.NOT_COMPARABLE:
            sentences.append(
                f"Utvecklingen över tid för {who} går inte att bedöma: för få år med jämförbara "
                f"värden ({len(t.years)} av minst {MIN_TREND_YEARS})."
            )
        else:
            span = f"{t.years[0]}–{t.years[-1]}"
            if t.direction == trends.UNCHANGED:
                sentences.append(f"Bland {who} har {measure} varit i stort sett oförändrad {span}.")
            else:
                verb = "ökat" if t.slope > 0 else "minskat"
                sentences.append(
                    f"Bland {who} har {measure} {verb} med i genomsnitt "
                    f"{number(abs(t.slope))} {diff_unit} per år {span}."
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
        if c and c.group_mean is not None and c.value is not None:
            title = snapshot["comparison"]["group_title"]
            sentence = (
                f"I jämförelsegruppen ({title}) var medelvärdet {number(c.group_mean)} {unit}"
            )
            if ind.better:
                sentence += f"; {kommun_name} hade plats {c.group_position} av {c.group_size}"
            sentences.append(sentence + f" ({who}, {y}).")
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
    if ind.main is None or ind.latest is None:
        return None
    cmp = snapshot["comparison"]
    values = {a: v.get(ind.latest) for (a, g), v in ind.series.items() if g == ind.main}
    national = snapshot.get("national", {}).get(ind.id, {}).get(ind.main, {})
    everyone = []
    if national and ind.latest == ind.year:
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
        return f"{ind.title}: inga värden för kommunen."
    unit, diff_unit = _unit_words(ind.unit)
    y = ind.latest
    values = _join(
        f"{lower_first(group_label(g))} {number(ind.value(ind.kommun, g, y))}" for g in ind.groups
    )
    line = f"{ind.title}, {y}: {values} {unit}"
    if ind.has_gap:
        g = ind.gaps(ind.kommun).get(y)
        if g and g.points is not None:
            line += f"; skillnad {number(abs(g.points))} {diff_unit}"
    t = ind.trend(ind.kommun, ind.main)
    line += f"; utveckling för {lower_first(group_label(ind.main))}: {_direction_text(ind, t)}"
    r = ind.value(ind.riket, ind.main, y)
    if r is not None:
        line += f"; riket {number(r)} {unit}"
    return line + "."


def _chart_and_table(ind, snapshot):
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
    unit, _ = _unit_words(ind.unit)
    y_title = unit.capitalize() if unit else "Värde"
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
                f"{lower_first(group_label(g))} från {number(v0)} {y0} till {number(v1)} {y1}"
            )
    alt = (
        f"Linjediagram: {ind.title} {first}–{last} i {kommun_name} (heldragna linjer) och "
        f"{riket_name.lower()} (streckade linjer). I {kommun_name}: {_join(moves)}. "
        "Alla värden står i tabellen intill."
    )
    breaks = [b for b in ind.breaks if first < b <= last]
    svg = charts.line_chart(
        series, y_title, title, description=alt, break_year=breaks[-1] if breaks else None
    )
    png = b""  # filled in for all charts at once in build_document
    header = ["År"] + [f"{group_label(g)}, {place}" for _, g, place in columns]

    def cell(a, g, y):
        v = ind.value(a, g, y)
        return number(v) if v is not None else MISSING

    rows = [[str(y)] + [cell(a, g, y) for a, g, _ in columns] for y in years]
    table = Table(
        f"{ind.title} ({unit}), {kommun_name} och {riket_name.lower()}",
        header,
        rows,
        set(range(1, len(header))),
    )
    caption = f"Diagram: {title}. Källa: se bilagan."
    if snapshot.get("example"):
        caption += f" {EXAMPLE_DATA_MARK}."
    return Figure(alt, caption, svg, png, table)


def _indicator_section(ind, snapshot):
    blocks = [Paragraph(" ".join(describe(ind, snapshot)))]
    if ind.latest is not None:
        blocks.append(_chart_and_table(ind, snapshot))
    hidden = sorted(y for a, g, y in ind.protected if a == ind.kommun)
    if hidden:
        blocks.append(
            Note(
                "Uppgift saknas/skyddad för "
                + ", ".join(str(y) for y in sorted(set(hidden)))
                + ": gruppen är för liten för att redovisas (röjandekontroll, se bilagan)."
            )
        )
    for note in ind.break_notes:
        if note:
            blocks.append(Note(f"Seriebrott: {note}"))
    return Section(ind.title, blocks, key=f"{ind.id}")


def build_document(snapshot, status="Utkast", with_png=True):
    """The Lägesbild as a Document, from a snapshot alone (see collect)."""
    observations = disclosure.protect(_observations(snapshot))
    by_indicator = {}
    for o in observations:
        by_indicator.setdefault(o.indicator, []).append(o)
    year = snapshot["year"]
    policy = snapshot["policy"]
    kommun = snapshot["municipality"]
    term = policy["area_term"]
    example = snapshot.get("example", False)

    indicators = {
        i: _Indicator(snapshot, i, by_indicator.get(i, [])) for i in snapshot["catalogue"]
    }
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
            "Skillnaden mellan utrikes och inrikes födda anges i procentenheter. Utvecklingen "
            f"avser de senaste högst {TREND_YEARS} åren med jämförbara värden och bedöms som "
            "bättre, oförändrad eller sämre utifrån vilket håll som är bättre för indikatorn. "
            "Metod och källor står i bilagan."
        ),
    ]
    if example:
        intro.insert(
            0,
            Note(
                f"{EXAMPLE_DATA_MARK}. Siffrorna i den här lägesbilden är exempelvärden för demonstration."
            ),
        )
    sections = [Section("Om lägesbilden", intro, key="om")]

    for area in snapshot["areas"]:
        blocks = []
        for goal in area["goals"]:
            blocks.append(Paragraph(f"Policyns mål: {goal}"))
        inds = [indicators[i] for i in area["indicators"] if i in indicators]
        subsections = []
        if inds:
            blocks.append(BulletList([summary_line(ind, snapshot) for ind in inds]))
            subsections += [_indicator_section(ind, snapshot) for ind in inds]
        else:
            blocks.append(Note(f"Ingen indikator är kopplad till denna {term['singular']}."))
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
    )


def _appendix(snapshot, indicators):
    names = snapshot["names"]
    grouped = {}  # one row per fetch: the areas it covers are listed together
    for p in snapshot["provenance"]:
        ind = indicators.get(p["indicator"])
        source = {"kolada": "Kolada (RKA)", "scb": "SCB", "example": "Exempeldata"}.get(
            p["source"], p["source"]
        )
        if p.get("example") and p["source"] != "example":
            source += " (exempeldata)"
        ref = p.get("source_ref", "")
        if p.get("url"):
            ref = f"{ref} – {p['url']}"
        key = (
            ind.title if ind else p["indicator"],
            source,
            ref,
            (p.get("fetched_at") or "")[:10],
            (p.get("checksum") or "")[:12],
        )
        grouped.setdefault(key, []).append(p["area"])
    cmp = snapshot["comparison"]
    order = [snapshot["municipality"]["code"], cmp["county"], cmp["riket"]]

    def place(code):
        return order.index(code) if code in order else len(order)

    rows = [
        [title, ", ".join(names.get(a, a) for a in sorted(areas, key=place)), source, ref]
        + [fetched, checksum]
        for (title, source, ref, fetched, checksum), areas in grouped.items()
    ]
    sources = [
        Paragraph(
            "Varje värde i lägesbilden kommer från statistiklagret. Tabellen visar källan, "
            "referensen (KPI-id eller tabell), hämtningsdagen och början av kontrollsumman för "
            "den hämtning som gäller för varje indikator och område."
        ),
        Table(
            "Källor och hämtningsdatum",
            ["Indikator", "Områden", "Källa", "Referens", "Hämtad", "Kontrollsumma"],
            rows,
        )
        if rows
        else Note("Inga källor: lägesbilden har inga värden."),
    ]
    members = _join(names.get(m, area_name(m)) for m in cmp["group_members"])
    method = [
        Paragraph(
            "Skillnad: värdet för utrikes födda minus värdet för inrikes födda samma år, i "
            "procentenheter för andelar. Att skillnaden har minskat eller ökat avser dess "
            "storlek, oavsett vilken grupp som har det högre värdet; en förändring under 0,05 "
            "räknas som oförändrad."
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
            "Röjandekontroll enligt SCB: en andel redovisas bara där gruppen är större än 20 "
            'personer och fler än 5 har egenskapen. Annars står "uppgift saknas/skyddad". '
            "Samma text står där källan inte har publicerat något värde."
        )
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
