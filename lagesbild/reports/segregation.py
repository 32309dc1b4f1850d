"""The housing-segregation section of the Lägesbild (issue #18): how residents with a foreign
and with a Swedish background are spread over the municipality's small areas, year by year.

Sources: the small-area counts a snapshot holds (SCB's BE0101Y/FolkmDesoBakgrKon = TAB6571,
fetched or imported, or the demo's example areas); the indices and the disclosure handling
from lagesbild.analysis.small_areas (Massey & Denton 1988; SCB's rule on shares). Pure: works
from the snapshot's part alone, so a published Lägesbild renders the same years later.
"""

from lagesbild.analysis import area_types, small_areas
from lagesbild.analysis.observations import TOTAL

from . import charts, maps
from .document import EXAMPLE_DATA_MARK, BulletList, Figure, Note, Paragraph, Section, Table
from .formatting import number, when

# Names of the groups of a table by background, for the plain-Swedish meanings.
GROUP_WORDS = {
    "utlandsk_bakgrund": ("personer med utländsk bakgrund", "en person med utländsk bakgrund"),
    "svensk_bakgrund": ("personer med svensk bakgrund", None),
    "utrikes_fodda": ("utrikes födda", "en utrikes född"),
    "inrikes_fodda": ("inrikes födda", None),
}
LEVEL_WORDS = {"deso": ("DeSO-områden", "DeSO"), "regso": ("RegSO-områden", "RegSO")}
CHANGE_TOLERANCE = 0.005  # a smaller change of an index (0–1) over the years is "oförändrat"


def group_part(entry, comparison, members, name_of):
    """The comparison group's segregation index (D) over each member's DeSO, year by year:
    {"title", "members": {kommun: {"name", "example", "values": [[year, D], …]}}}. members: {kommun:
    rows as lagesbild.stats.queries.small_area_rows gives them}; a member without values is
    left out. Only this is kept in the snapshot, not the members' areas."""
    minority, majority = list(entry["source"]["groups"].values())[:2]
    out = {}
    for kommun, rows in members.items():
        if not rows:
            continue
        # One kind per member too: that of its latest year (real where it has both).
        mine, example = shown_rows({"rows": rows}, max(r[1] for r in rows))
        counts = small_areas.counts_by_year(mine, "deso", minority, majority)
        values = [
            [y.year, y.values["dissimilarity"]]
            for y in small_areas.indices_over_time(counts)
            if y.values["dissimilarity"] is not None
        ]
        if values:
            out[kommun] = {"name": name_of(kommun), "example": example, "values": values}
    return {"title": comparison["group_title"], "members": out}


def wider_part(entry, name, kommuner, rows_by_kommun, years, example):
    """The segregation index (D) over every DeSO of a county or of Sweden, in `years`, from
    values of one kind: {"name", "values": [[year, D or None]], "missing": [[year, how many of
    the municipalities lack values]]}. A year in which any municipality lacks values has no
    D: an index over part of a county would not be the county's."""
    minority, majority = list(entry["source"]["groups"].values())[:2]
    values, missing = [], []
    for year in sorted(years):
        counts, lacking = {}, 0
        for kommun in kommuner:
            rows = [
                (a, p, g, v)
                for a, p, g, v, e in rows_by_kommun.get(kommun, [])
                if p == year and bool(e) == example
            ]
            mine = small_areas.counts_by_year(rows, "deso", minority, majority).get(year, {})
            lacking += not mine
            counts.update(mine)
        d = None
        if not lacking:
            (found,) = small_areas.indices_over_time({year: counts})
            d = found.values["dissimilarity"]
        values.append([year, d])
        missing.append([year, lacking])
    return {"name": name, "values": values, "missing": missing, "of": len(kommuner)}


def snapshot_part(entry, rows, sources, boundaries=None, group=None, wider=None):
    """The JSON-ready part of a Lägesbild snapshot for one small-area indicator; `boundaries`
    as lagesbild.geodata.store.for_kommun gives them (None: no map), `group` as group_part."""
    groups = list(entry["source"]["groups"].values())
    return {
        "title": entry["title"]["sv"],
        "ref": ", ".join(entry["source"]["tables"].values()),
        "legacy_id": entry["source"].get("legacy_id", ""),
        "groups": groups[:2],
        "note": entry.get("note", ""),
        "series_breaks": entry.get("series_breaks", []),
        "rows": rows,
        "sources": sources,
        "boundaries": boundaries,
        "group": group or {"title": "", "members": {}},
        "wider": wider or [],
    }


def area_types_part(entry, rows, sources):
    """The published area types of the municipality's RegSO for a snapshot (rows as
    small_area_rows gives them): kept beside the counts they are read with."""
    return {"title": entry["title"]["sv"], "rows": rows, "sources": sources}


def measure_part(entry, rows, sources):
    """A socio-economic measure per area (a share in percent) for a snapshot, drawn as maps:
    the share itself, or counts by group of which the share of group `share` is computed."""
    return {
        "id": entry["id"],
        "share": entry.get("share"),
        "breaks": entry.get("map_breaks"),
        "title": entry["title"]["sv"],
        "words": entry.get("map_words") or entry["title"]["sv"].lower(),
        "note": entry.get("note", ""),
        # The SCB table the values are fetched from; None for a measure that comes by file.
        "fetch_from": ",".join(entry["source"]["tables"].values())
        if entry["source"]["kind"] == "scb"
        else None,
        "rows": rows,
        "sources": sources,
    }


def shown_rows(part, year):
    """(rows up to `year` of one kind, example): the kind of the latest year's values (real
    where that year has both, as lagesbild.latest_kind decides for every indicator), so example
    values and official statistics are never combined."""
    rows = [r for r in part["rows"] if r[1] <= year]
    valued = [r for r in rows if r[3] is not None] or rows
    if not valued:
        return [], False
    latest = max(r[1] for r in valued)
    example = all(r[4] for r in valued if r[1] == latest)
    return [(a, p, g, v) for a, p, g, v, e in rows if bool(e) == example], example


def _parents(part):
    """{DeSO: its RegSO} from the snapshot's boundaries ({} without them)."""
    geo = part.get("boundaries") or {"areas": {}}
    return {c: a["parent"] for c, a in geo["areas"].items() if a["level"] == "deso" and a["parent"]}


def _index(value):
    return "–" if value is None else number(value, 2)


def _share(minority, majority):
    return number(100 * minority / (minority + majority), 1) + " %"


def _change(first, last, name, years):
    if first.values[name] is None or last.values[name] is None:
        return None
    a, b = first.values[name], last.values[name]
    if abs(b - a) < CHANGE_TOLERANCE:
        how = f"varit i stort sett oförändrat ({_index(a)} {years[0]} och {_index(b)} {years[1]})"
    else:
        how = f"{'ökat' if b > a else 'minskat'} från {_index(a)} {years[0]} till {_index(b)} {years[1]}"
    return how


def _group_blocks(part, series, kommun_name, year):
    """How the municipality's D compares with its comparison group's, values of one kind."""
    group = part.get("group") or {"title": "", "members": {}}
    mine = {y.year: y.values["dissimilarity"] for y in series}
    _rows, example = shown_rows(part, year)
    wider = _wider_blocks(part, mine, year, kommun_name)
    same_kind = {
        k: {"name": m["name"], "values": {int(y): d for y, d in m["values"] if int(y) <= year}}
        for k, m in group["members"].items()
        if m["example"] == example
    }
    same_kind = {k: m for k, m in same_kind.items() if m["values"]}
    if not group["title"] or not same_kind or mine.get(year) is None:
        what = (
            f"jämförelsegruppens kommuner ({group['title']})"
            if group["title"]
            else ("en jämförelsegrupp")
        )
        return [
            Note(
                f"Jämförelse saknas: statistiklagret har inga DeSO-värden {year} av samma slag "
                f"för {what}; lagesbild fetch hämtar dem tillsammans med kommunens."
            ),
            *wider,
        ]
    latest = {k: m["values"][year] for k, m in same_kind.items() if year in m["values"]}
    blocks = []
    if latest:
        everyone = sorted([*latest.values(), mine[year]])
        place = everyone.index(mine[year]) + 1
        mean = sum(latest.values()) / len(latest)
        blocks.append(
            Paragraph(
                f"I jämförelsegruppen {group['title']} var segregationsindex (D) {year} i "
                f"genomsnitt {_index(mean)} ({len(latest)} kommuner med värden). "
                f"{kommun_name} hade {_index(mine[year])}: plats {place} av {len(everyone)}, "
                "där plats 1 är minst segregerad."
            )
        )
    first = min(mine)
    rows = [[kommun_name, _index(mine.get(first)), _index(mine[year])]]
    for m in sorted(same_kind.values(), key=lambda m: m["name"]):
        rows.append([m["name"], _index(m["values"].get(first)), _index(m["values"].get(year))])
    blocks.append(
        Table(
            caption=f"Segregationsindex (D) över DeSO i jämförelsegruppen, {first} och {year}",
            header=["Kommun", str(first), str(year)],
            rows=rows,
            numeric_columns={1, 2},
        )
    )
    return blocks + wider


def _wider_blocks(part, mine, year, kommun_name):
    """The county's and Riket's D over all their DeSO, where every municipality has values."""
    blocks, words = [], []
    for w in part.get("wider") or []:
        values = {int(y): d for y, d in w["values"]}
        lacking = {int(y): n for y, n in w["missing"]}
        if values.get(year) is not None:
            words.append(f"{w['name']} {_index(values[year])}")
        elif lacking.get(year):
            blocks.append(
                Note(
                    f"{w['name']}: DeSO-värden {year} saknas för {lacking[year]} av {w['of']} "
                    "kommuner, så indexet för hela området räknas inte (lagesbild fetch hämtar "
                    "dem)."
                )
            )
    if words and mine.get(year) is not None:
        blocks.insert(
            0,
            Paragraph(
                f"Över alla DeSO-områden räknat var segregationsindex (D) {year}: "
                f"{', '.join(words)}; {kommun_name} {_index(mine[year])}."
            ),
        )
    return blocks


def _level_blocks(part, level, counts, minority_words, year, kommun_name=""):
    """Text, chart, tables and notes for the areas of one level (DeSO or RegSO)."""
    plural, short = LEVEL_WORDS[level]
    geo = part.get("boundaries") or {"areas": {}}
    parent_of = _parents(part) if level == "deso" else {}
    series = [y for y in small_areas.indices_over_time(counts, parent_of) if y.year <= year]
    if not series:
        return []
    first, last = series[0], series[-1]
    minority, majority, one = minority_words
    meaning = small_areas.meanings(minority, majority, one)
    blocks = []
    lines = []
    for name in small_areas.INDICES:
        value = last.values[name]
        if value is None:
            continue
        lines.append(f"{small_areas.INDEX_NAMES[name]} {_index(value)}: {meaning[name]}.")
    if not lines:
        blocks.append(
            Note(
                f"Indexen går inte att räkna ut för {last.year}: färre än två av kommunens "
                f"{plural} kan visas, eller en av grupperna saknas i alla."
            )
        )
        return blocks
    blocks.append(
        Paragraph(f"År {last.year}, räknat över {last.areas} {plural}: " + " ".join(lines))
    )
    if len(series) > 1:
        change = _change(first, last, "dissimilarity", (first.year, last.year))
        if change:
            blocks.append(
                Paragraph(
                    f"Segregationsindex (D) har {change}. Ett lägre värde betyder att "
                    f"{minority} och {majority} bor mer blandat."
                )
            )
    rows = []
    for y in series:
        rows.append(
            [str(y.year), str(y.areas)]
            + [_index(y.values[n]) for n in small_areas.INDICES]
            + [str(len(y.merged) + len(y.left_out))]
        )
    header = ["År", "Områden", "D", "Isolering", "Exponering", "Theils H", "Ej visade"]
    table = Table(
        caption=f"Segregationsindex över kommunens {plural}, {first.year}–{last.year}",
        header=header,
        rows=rows,
        numeric_columns=set(range(1, len(header))),
    )
    if len(series) > 1:
        d = [(y.year, y.values["dissimilarity"]) for y in series]
        alt = (
            f"Linjediagram: segregationsindex (D) över kommunens {plural} {first.year}–"
            f"{last.year}, från {_index(d[0][1])} till {_index(d[-1][1])}. Alla värden står "
            "i tabellen intill."
        )
        svg = charts.line_chart(
            [charts.Series("Segregationsindex (D)", short, tuple(d))],
            "Index (0–1)",
            f"Segregationsindex (D) över {plural}, {first.year}–{last.year}",
            description=alt,
            decimals=1,
            y_range=(0, 1),
        )
        blocks.append(Figure(alt, table.caption, svg, b"", table))
    else:
        blocks.append(table)
    if level == "deso":
        blocks += _group_blocks(part, series, kommun_name, year)
    # The areas of the last year: residents and share, as far as the rule allows.
    kept, _merged, _left_out = small_areas.shown_areas(counts[last.year])

    area_rows, shares = [], {}
    for area, (g, o) in sorted(counts[last.year].items()):
        shown = area in kept
        shares[area] = 100 * g / (g + o) if shown else None
        area_rows.append(
            [_area_label(area, geo), number(g + o, 0), _share(g, o) if shown else "skyddad"]
        )
    table = Table(
        caption=f"Kommunens {plural} {last.year}: invånare och andel {minority}",
        header=[short, "Invånare", f"Andel {minority}"],
        rows=area_rows,
        numeric_columns={1, 2},
    )
    shapes = {c: a["polygons"] for c, a in geo["areas"].items() if a["level"] == level}
    if shapes:
        blocks.append(_map(shapes, geo, shares, plural, minority, last.year, table))
    else:
        blocks.append(table)
        blocks.append(
            Note(
                f"Kartan saknas: gränserna för kommunens {plural} är inte inlästa. Den som "
                "driftar Lägesbild läser in SCB:s öppna geodata för DeSO och RegSO (GeoPackage, "
                "fri att använda) med kommandot lagesbild geodata import FIL."
            )
        )
    merged = sorted({pair for y in series for pair in y.merged})
    if merged:
        years_of = {m: [y.year for y in series if m in y.merged] for m in merged}
        listing = "; ".join(
            f"{a} i {_area_label(p, geo)} ({_years(years_of[(a, p)])})" for a, p in merged
        )
        blocks.append(
            Note(
                f"Räknade i sin RegSO: {listing}. I dessa områden är gruppen så liten att "
                "andelen inte får visas enligt SCB:s regel (fler än 20 personer, fler än 5 "
                "med och fler än 5 utan egenskapen); de räknas därför tillsammans med sitt "
                "RegSO:s övriga små områden."
            )
        )
    hidden = sorted({a for y in series for a in y.left_out})
    if hidden:
        years_of = {a: [y.year for y in series if a in y.left_out] for a in hidden}
        listing = "; ".join(f"{a} ({_years(years_of[a])})" for a in hidden)
        why = (
            "Kopplingen till områdenas RegSO finns inte i statistiklagret (den kommer med "
            "gränserna), så de kunde inte räknas in där."
            if not parent_of
            else "De kunde inte heller visas tillsammans med sitt RegSO:s övriga små områden."
        )
        blocks.append(
            Note(
                f"Lämnade utanför indexen: {listing}. I dessa områden är gruppen så liten att "
                "andelen inte får visas enligt SCB:s regel (fler än 20 personer, fler än 5 "
                f"med och fler än 5 utan egenskapen). {why} Indexen räknas över de övriga "
                "områdena."
            )
        )
    return blocks


def _area_label(code, geo):
    """'1494R001 Centrum', '1494C1010 i Centrum' (a DeSO in its named RegSO) or the code."""
    areas = geo["areas"]
    if areas.get(code, {}).get("name"):
        return f"{code} {areas[code]['name']}"
    parent = areas.get(code, {}).get("parent", "")
    if parent:
        return f"{code} i {areas.get(parent, {}).get('name') or parent}"
    return code


def _map(shapes, geo, shares, plural, minority, year, table, breaks=maps.SHARE_BREAKS):
    """The map of one level's areas with the table of its values beside it."""
    shown = {c: v for c, v in shares.items() if v is not None}
    protected = sorted(c for c, v in shares.items() if v is None)
    words = []
    if len(shown) == 1:
        [(only, value)] = shown.items()
        words.append(f"Andel i {only}: {number(value, 1)} %.")
    elif shown:
        high = max(shown, key=shown.get)
        low = min(shown, key=shown.get)
        words.append(
            f"Högst andel i {high} ({number(shown[high], 1)} %), lägst i {low} "
            f"({number(shown[low], 1)} %)."
        )
    if protected:
        words.append(f"{len(protected)} område(n) skyddade: {', '.join(protected)}.")
    missing = sorted(set(shapes) - set(shares))
    if missing:
        words.append(f"Utan värde: {', '.join(missing)}.")
    example = " Gränserna är påhittade exempel." if geo.get("example") else ""
    alt = (
        f"Karta över kommunens {len(shapes)} {plural}, färgade efter andelen {minority} "
        f"{year} i fem klasser från under {breaks[0]} % till {breaks[-1]} % eller mer. "
        f"{' '.join(words)}"
        f"{example} Alla värden står i tabellen intill."
    )
    title = f"Andel {minority} per område, {year}"
    svg = maps.area_map(shapes, geo["crs"], shares, title, alt, breaks)
    caption = f"Karta: andel {minority} i kommunens {plural} {year}" + (
        " (påhittade exempelgränser)" if geo.get("example") else ""
    )
    return Figure(alt, caption, svg, b"", table)


def _how_to_get(measure):
    """How values of a measure per area reach the store, in one sentence."""
    upload = (
        "ladda ner SCB:s tabell och läs in den på sidan Statistik (Läs in fil, indikatorn "
        f"{measure['id']})."
    )
    if measure.get("fetch_from"):
        return (
            f"Hämta dem från SCB ({measure['fetch_from']}) med knappen Uppdatera statistiken "
            f"på sidan Statistik eller lagesbild fetch, eller {upload}"
        )
    return upload[0].upper() + upload[1:]


def _measure_blocks(part, measure, year, key):
    """Subsection for one measure per area: for DeSO and RegSO, a map shaded by the share with
    the table of every area's value beside it, the report year or the latest before it."""
    rows, example = shown_rows(measure, year)
    title = measure["title"]
    if not any(r[3] is not None for r in rows):
        return Section(
            title,
            [
                Note(
                    f"Värden saknas: statistiklagret har inga värden per DeSO eller RegSO för "
                    f"kommunen ({title}). {_how_to_get(measure)}"
                )
            ],
            key=key,
        )
    last = max(r[1] for r in rows if r[3] is not None)
    words = measure["words"]
    blocks = []
    if example:
        blocks.append(
            Note(
                f"{EXAMPLE_DATA_MARK}. Värdena är påhittade exempel för demonstration, inte "
                "SCB:s statistik för kommunens områden."
            )
        )
    if measure["note"]:
        blocks.append(Paragraph(measure["note"]))
    geo = part.get("boundaries") or {"areas": {}}
    if measure.get("share"):
        # Counts by group: the share is computed here, and hidden where the rule says so.
        shares = small_areas.group_shares(rows, measure["share"]).get(last, {})
        missing = "skyddad"
        blocks.append(
            Paragraph(
                "Andelen är räknad ur SCB:s antal per område. Ett område med 20 eller färre "
                "personer, eller 5 eller färre med eller utan egenskapen, visas som skyddat."
            )
        )
    else:
        shares = {a: v for a, p, _g, v in rows if p == last}
        missing = "uppgift saknas"
    for level in ("deso", "regso"):
        plural, short = LEVEL_WORDS[level]
        values = {a: v for a, v in shares.items() if small_areas.level_of(a) == level}
        if not values:
            continue
        shown = {a: v for a, v in values.items() if v is not None}
        table = Table(
            caption=f"Andel {words} i kommunens {plural} {last}",
            header=[short, f"Andel {words}"],
            rows=[
                [_area_label(a, geo), missing if v is None else number(v, 1) + " %"]
                for a, v in sorted(values.items())
            ],
            numeric_columns={1},
        )
        if len(shown) == 1:  # no highest and lowest of one
            [(only, value)] = shown.items()
            blocks.append(
                Paragraph(
                    f"År {last}, kommunens {plural}: andel {words} {number(value, 1)} % i {only}, "
                    "det enda området med ett värde som får visas."
                )
            )
        elif shown:
            high, low = max(shown, key=shown.get), min(shown, key=shown.get)
            blocks.append(
                Paragraph(
                    f"År {last}, kommunens {plural}: högst andel {words} i {high} "
                    f"({number(shown[high], 1)} %), lägst i {low} ({number(shown[low], 1)} %)."
                )
            )
        shapes = {c: a["polygons"] for c, a in geo["areas"].items() if a["level"] == level}
        if shapes:
            # A hidden share is hatched ("skyddad"); a value SCB does not give is left white.
            drawn = values if measure.get("share") else shown
            breaks = tuple(measure.get("breaks") or maps.SHARE_BREAKS)
            blocks.append(_map(shapes, geo, drawn, plural, words, last, table, breaks))
        else:
            blocks.append(table)
    sources = _of_kind(measure["sources"], example)
    blocks += [Paragraph(f"Källa: {line}") for line in _file_lines(sources)]
    return Section(title, blocks, key=key)


def _residents(rows, groups):
    """{year: {RegSO: residents}}: the total where the table has one, else the two groups."""
    total, pair = {}, {}
    for area, year, group, value in rows:
        if small_areas.level_of(area) != "regso" or value is None:
            continue
        if group == TOTAL:
            total.setdefault(year, {})[area] = value
        elif group in groups:
            pair.setdefault(year, {}).setdefault(area, {})[group] = value
    out = {}
    for year in set(total) | set(pair):
        found = {a: sum(g.values()) for a, g in pair.get(year, {}).items() if len(g) == 2}
        out[year] = {**found, **total.get(year, {})}
    return out


def _area_type_blocks(part, year, key):
    """Subsection "Områdestyper": the published type of each RegSO, areas and residents per
    type over the years, and a map by type. None for a snapshot made before it existed."""
    found = part.get("area_types")
    if found is None:
        return None
    title = "Områdestyper"
    rows, example = shown_rows(found, year)
    if not rows:
        return Section(
            title,
            [
                Note(
                    "Områdestyperna saknas: statistiklagret har ingen områdestyp för kommunens "
                    "RegSO. Ladda ner typerna från Boverkets Segregationsbarometern och läs in "
                    f"filen på sidan Statistik (Läs in fil, indikatorn {found['title']}) eller "
                    "med lagesbild import FIL --source segregationsbarometern --indicator "
                    "omradestyp-regso."
                )
            ],
            key=key,
        )
    types = area_types.types_by_year(rows)
    years = sorted(types)
    first, last = years[0], years[-1]
    blocks = []
    if example:
        blocks.append(
            Note(
                f"{EXAMPLE_DATA_MARK}. Områdestyperna är påhittade exempel för demonstration, "
                "inte Boverkets klassning av kommunens områden."
            )
        )
    counts, counts_example = shown_rows(part, year)
    residents = _residents(counts, part["groups"]) if counts_example == example else {}
    per_year = {y: area_types.residents_by_type(types[y], residents.get(y, {})) for y in years}
    now = per_year[last]
    hard = sum(now[t][0] for t in area_types.CHALLENGES)
    sentence = (
        f"År {last} hörde {hard} av kommunens {len(types[last])} RegSO-områden till "
        "områdestyp 1 eller 2, områden med socioekonomiska utmaningar"
    )
    if not any(now[t][2] for t in now) and sum(now[t][1] for t in now):
        people = sum(now[t][1] for t in area_types.CHALLENGES)
        everyone = sum(now[t][1] for t in now)
        sentence += (
            f"; där bodde {number(people, 0)} av kommunens {number(everyone, 0)} invånare i "
            f"RegSO-områdena ({number(100 * people / everyone, 1)} %)"
        )
    blocks.append(Paragraph(sentence + "."))
    moved = area_types.changes(types, first, last) if first != last else []
    if moved:
        listing = "; ".join(f"{a} från typ {b} till typ {c}" for a, b, c in moved)
        blocks.append(Paragraph(f"Områden som bytt typ mellan {first} och {last}: {listing}."))
    blocks.append(BulletList([f"Typ {t}: {name}" for t, name in area_types.AREA_TYPES.items()]))

    def cell(areas, people, missing):
        if not areas:
            return "0"
        return f"{areas} ({'–' if missing else number(people, 0)})"

    table = Table(
        caption=(
            f"Kommunens RegSO-områden per områdestyp {first}–{last}: antal områden (invånare)"
        ),
        header=["År", *[f"Typ {t}" for t in area_types.AREA_TYPES]],
        rows=[[str(y), *[cell(*per_year[y][t]) for t in area_types.AREA_TYPES]] for y in years],
        numeric_columns=set(range(1, 6)),
    )
    blocks.append(table)
    if not residents:
        blocks.append(
            Note(
                "Invånarna per typ saknas: statistiklagret har inga antal per RegSO av samma "
                "slag som typerna (riktiga eller exempel)."
            )
        )
    geo = part.get("boundaries") or {"areas": {}}
    area_table = Table(
        caption=f"Områdestyp per RegSO, {first} och {last}",
        header=["RegSO", str(first), str(last)] if first != last else ["RegSO", str(last)],
        rows=[
            [_area_label(c, geo)]
            + ([str(types[first].get(c, "–"))] if first != last else [])
            + [str(t)]
            for c, t in sorted(types[last].items())
        ],
        numeric_columns={1, 2} if first != last else {1},
    )
    shapes = {c: a["polygons"] for c, a in geo["areas"].items() if a["level"] == "regso"}
    if shapes:
        labels = [f"Typ {t}" for t in area_types.AREA_TYPES]
        counts_by_type = {t: now[t][0] for t in now}
        alt = (
            f"Karta över kommunens {len(shapes)} RegSO-områden, färgade efter områdestyp "
            f"{last}, från typ 1 (stora socioekonomiska utmaningar) i rött till typ 5 "
            "(mycket goda förutsättningar) i blått: "
            + ", ".join(f"typ {t} {n}" for t, n in counts_by_type.items() if n)
            + "."
            + (" Gränserna är påhittade exempel." if geo.get("example") else "")
            + " Alla typer står i tabellen intill."
        )
        svg = maps.category_map(
            shapes,
            geo["crs"],
            {c: t - 1 for c, t in types[last].items() if c in shapes},
            labels,
            f"Områdestyp per RegSO, {last}",
            alt,
        )
        caption = f"Karta: områdestyp i kommunens RegSO-områden {last}" + (
            " (påhittade exempelgränser)" if geo.get("example") else ""
        )
        blocks.append(Figure(alt, caption, svg, b"", area_table))
    else:
        blocks.append(area_table)
    blocks.append(
        Paragraph(
            "Områdestyperna är Boverkets och SCB:s, så som Segregationsbarometern publicerar "
            "dem; Lägesbild räknar inte om dem. De beskriver områdenas socioekonomiska "
            "förutsättningar, inte hur segregerade de är. SCB och Delegationen mot segregation "
            "räknar ett socioekonomiskt index per RegSO ur tre andelar (förgymnasial utbildning "
            "25–64 år, låg ekonomisk standard, ekonomiskt bistånd och/eller långvarig "
            "arbetslöshet 20–64 år) och delar in alla RegSO i landet efter hur många "
            "standardavvikelser (σ) indexet ligger från medelvärdet (μ), där högre index är "
            "svagare förutsättningar: "
            + "; ".join(f"typ {t} {rule}" for t, rule in area_types.THRESHOLDS.items())
            + ". Källa: SCB, Indelning i områdestyper efter socioekonomiskt index (2025)."
        )
    )
    blocks += [Paragraph(f"Källa: {line}") for line in _file_lines(found["sources"], "Boverket")]
    return Section(title, blocks, key=key)


def _years(years):
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def _of_kind(sources, example):
    """The sources behind values of the kind shown (example or real): the values of the other
    kind are not in the section, so neither is their source."""
    return [s for s in sources if bool(s.get("example")) == example] or sources


def _file_lines(sources, publisher="SCB"):
    """One line per fetch or file behind the areas' values: source, reference, how, when and
    the checksum of the raw answer (as the appendix lists the other indicators' sources)."""
    lines = []
    for s in sources:
        query = s.get("query") or {}
        if s["source"] == "example":
            source, how = "Exempeldata", "genererade exempelvärden (lagesbild demo)"
        elif s["source"].startswith("local:") or query.get("file"):
            source, how = f"{publisher} (nedladdad fil)", f"importerad fil {query.get('file', '')}"
            # What was read where the file has more (an age band, a sex): said beside it.
            chosen = ", ".join(f"{k} {v}" for k, v in (query.get("fixed") or {}).items())
            how += f" ({chosen})" if chosen else ""
        else:
            source, how = "SCB", f"POST {s.get('url', '')}"
        if s.get("example") and s["source"] != "example":
            source += " (exempeldata)"
        lines.append(
            f"{source}, {s['source_ref']}, {s['areas']} områden: {how}. Hämtad "
            f"{when(s['fetched_at'])}. SHA-256: {s['checksum']}"
        )
    return lines


def _source_lines(part, example):
    """The counts' sources of the kind shown, and the boundary file."""
    lines = _file_lines(_of_kind(part["sources"], example))
    geo = part.get("boundaries")
    if geo:
        what = "påhittade exempelgränser" if geo["example"] else "SCB:s öppna geodata"
        lines.append(
            f"Gränser: {what}, fil {geo['source']} ({geo['crs']}), inläst "
            f"{when(geo['imported_at'])}. SHA-256: {geo['checksum']}"
        )
    return lines


def section(part, year, key, kommun_name=""):
    """Section "Boendesegregation" for one small-area indicator of a snapshot."""
    minority_group, majority_group = part["groups"]
    minority, one = GROUP_WORDS.get(minority_group, (minority_group, minority_group))
    majority = GROUP_WORDS.get(majority_group, (majority_group, None))[0]
    rows, example = shown_rows(part, year)
    title = "Boendesegregation i kommunens områden"
    if not rows:
        return Section(
            title,
            [
                Note(
                    f"Statistiklagret har inga värden per DeSO eller RegSO för kommunen "
                    f"({part['title']}, SCB {part['ref']}). Hämta dem med lagesbild fetch, "
                    "eller ladda ner tabellen från SCB:s statistikdatabas och läs in den på "
                    "sidan Statistik (Läs in fil)."
                )
            ],
            key=key,
        )
    blocks = []
    if example:
        blocks.append(
            Note(
                f"{EXAMPLE_DATA_MARK}. Områdena och antalen är påhittade exempel för "
                "demonstration, inte kommunens verkliga DeSO- och RegSO-områden."
            )
        )
    blocks.append(
        Paragraph(
            f"Hur {minority} och {majority} bor fördelade över kommunens små områden: DeSO "
            "(demografiska statistikområden, 700–2 700 invånare) och RegSO (regionala "
            "statistikområden, som består av hela DeSO). Indexen jämför varje områdes "
            "sammansättning med kommunens som helhet och går från 0 (samma blandning "
            "överallt) till 1 (helt åtskilda). " + (part["note"] or "")
        )
    )
    subsections = []
    for level in ("deso", "regso"):
        counts = small_areas.counts_by_year(rows, level, minority_group, majority_group)
        words = (minority, majority, one)
        level_blocks = _level_blocks(part, level, counts, words, year, kommun_name)
        if level_blocks:
            plural = LEVEL_WORDS[level][0]
            subsections.append(Section(f"Över {plural}", level_blocks, key=f"{key}-{level}"))
    if not subsections:
        blocks.append(
            Note("Värdena räcker inte för indexen: varje område behöver antal för båda grupperna.")
        )
    types = _area_type_blocks(part, year, f"{key}-typer")
    if types:
        subsections.append(types)
    for measure in part.get("maps") or []:
        subsections.append(_measure_blocks(part, measure, year, f"{key}-{measure['id']}"))
    about = [Note(f"Seriebrott {b['year']}: {b['note']}") for b in part["series_breaks"]]
    about.append(
        Paragraph(
            "Metod: indexen enligt Massey och Denton (1988), räknade för varje år över de "
            "områden vars andel får visas; andelar per område visas bara där SCB:s regel för "
            "andelar tillåter det. Jämförelsegruppens index räknas på samma sätt över varje "
            "kommuns DeSO, länets och rikets över alla DeSO i länet och landet (bara ett år då "
            "alla kommuner där har värden)."
        )
    )
    about += [Paragraph(f"Källa: {line}") for line in _source_lines(part, example)]
    subsections.append(Section("Källa och metod", about, key=f"{key}-metod"))
    return Section(title, blocks, subsections, key=key)


def _d_series(part, year):
    """[Year…] of the DeSO indices up to `year`, hidden DeSO counted in their RegSO where the
    boundaries give the key."""
    minority_group, majority_group = part["groups"]
    rows, _example = shown_rows(part, year)
    counts = small_areas.counts_by_year(rows, "deso", minority_group, majority_group)
    series = small_areas.indices_over_time(counts, _parents(part))
    return [y for y in series if y.values["dissimilarity"] is not None]


def summary(part, year):
    """One line for the area's summary list, or None when there is nothing to say."""
    series = _d_series(part, year)
    if not series:
        return None
    first, last = series[0], series[-1]
    line = (
        f"Boendesegregation {last.year}: segregationsindex (D) "
        f"{_index(last.values['dissimilarity'])} över {last.areas} DeSO-områden"
    )
    change = (
        _change(first, last, "dissimilarity", (first.year, last.year)) if len(series) > 1 else None
    )
    if change:
        line += f"; har {change}"
    if shown_rows(part, year)[1]:
        line += " (exempeldata)"
    return line + "."


def since(part, start_year, year):
    """The follow-up report's sentence: how D has moved since the plan began (the latest year
    up to its start, else the first there is) until the latest year up to `year`."""
    series = _d_series(part, year)
    mark = " (exempeldata)" if shown_rows(part, year)[1] else ""
    if not series:
        return f"Boendesegregation{mark}: uppgift saknas för kommunens DeSO-områden."
    before = [y for y in series if y.year <= start_year]
    first, last = (before[-1] if before else series[0]), series[-1]
    if first.year == last.year:
        return (
            f"Boendesegregation{mark}: segregationsindex (D) {_index(last.values['dissimilarity'])}"
            f" över kommunens DeSO-områden {last.year}; ännu inget senare år att jämföra med."
        )
    change = _change(first, last, "dissimilarity", (first.year, last.year))
    return (
        f"Boendesegregation{mark}: segregationsindex (D) över kommunens DeSO-områden har "
        f"{change}. Ett lägre värde betyder mer blandat boende."
    )
