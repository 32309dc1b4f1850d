"""Example values for the offline demo. NOT official statistics.

Source: none. This script generates them from a fixed seed so every demo shows the same
numbers. They exist because no file we may ship holds municipal values split by foreign-born
and native-born (see ../shared/data/README.md); the real values come from `lagesbild fetch`.

What it makes: every catalogue indicator for 1082 Karlshamn and 1494 Lidköping, their counties,
Riket and the members of their "Liknande kommuner, övergripande" groups, 2012–2025, for each
population group the indicator's source publishes and for T/K/M where the indicator is split
by sex. Local-source indicators (the municipality's own files) only for the two municipalities;
turnout only in election years. Magnitudes are chosen to be plausible (levels of the order
Kolada shows nationally, e.g. employment about 84 % native-born vs 62 % foreign-born), with a
per-area offset, a slow trend and a little noise; percentages stay within 0–100.

Small-area indicators (`level: small_areas`) get example areas of each municipality (the demo's
and their comparison groups', not counties or Riket) instead:
example DeSO codes (the municipality's code, A/B/C, a running number) in example RegSO, with
counts of the size SCB's DeSO have (700–2,700 residents), a few areas where many residents have
a foreign background, and one rural area so small that its share may not be shown.

Every value is stored with example=True and shown as "Exempeldata – inte officiell statistik".
"""

import json
import random

from lagesbild.analysis.observations import FOREIGN_BORN, NATIVE_BORN, TOTAL
from lagesbild.analysis.observations import Observation as Obs
from lagesbild.core import municipalities

from .catalogue import load_catalogue
from .groups import OFFLINE_GROUPS

SEED = 20260101
YEARS = range(2012, 2026)
ELECTION_YEARS = (2014, 2018, 2022)
DEMO_MUNICIPALITIES = ("1082", "1494")
LABEL = "Exempeldata – inte officiell statistik"

# indicator id -> {group: (level in 2012, change per year)}; sex spread is (M − K) / 2.
LEVELS = {
    "sysselsattning-20-64": {FOREIGN_BORN: (58.0, 0.6), NATIVE_BORN: (83.0, 0.1)},
    "arbetsloshet-bas-20-64": {FOREIGN_BORN: (20.0, -0.4), NATIVE_BORN: (4.5, -0.05)},
    "arbetskraftsdeltagande-bas-20-64": {FOREIGN_BORN: (74.0, 0.4), NATIVE_BORN: (88.0, 0.05)},
    "forvarvsarbetande-flyktingar-20-64": {FOREIGN_BORN: (38.0, 1.0)},
    "sysselsattning-vistelsetid": {
        NATIVE_BORN: (84.0, 0.1),
        "vistelsetid-0-1": (22.0, 0.5),
        "vistelsetid-2-3": (42.0, 0.6),
        "vistelsetid-4-9": (58.0, 0.5),
        "vistelsetid-10-": (70.0, 0.2),
    },
    "behorighet-yrkesprogram-ak9": {TOTAL: (86.0, -0.1)},
    "nyinvandrade-elever-grundskola": {FOREIGN_BORN: (4.0, -0.1)},
    "komvux-utrikes-fodda": {FOREIGN_BORN: (50.0, 0.6)},
    "sfi-klarat-tva-kurser": {FOREIGN_BORN: (42.0, 0.4)},
    "sfi-godkanda-kurser": {FOREIGN_BORN: (68.0, 0.3)},
    "sfi-lokala-resultat": {FOREIGN_BORN: (64.0, 0.5)},
    "ohalsotal": {TOTAL: (30.0, -0.4)},
    "halsa-lokal-enkat": {FOREIGN_BORN: (60.0, 0.2), NATIVE_BORN: (72.0, 0.05)},
    "valdeltagande-kommunval": {FOREIGN_BORN: (54.0, 0.2), NATIVE_BORN: (86.0, 0.05)},
    "utrikes-fodda-kommunfullmaktige": {FOREIGN_BORN: (7.0, 0.2)},
    "utrikes-fodda-andel": {FOREIGN_BORN: (12.0, 0.3)},
    "trangboddhet-norm-2": {TOTAL: (11.0, 0.1)},
    "etablering-arbete-studier": {FOREIGN_BORN: (30.0, 0.8)},
    "motesplatser-deltagare": {TOTAL: (900.0, 40.0)},
}
SEX_SPREAD = {"sysselsattning-20-64": 3.0, "arbetskraftsdeltagande-bas-20-64": 3.5}
# Indicators without an entry above get a plain level by unit for each group they publish.
DEFAULT_LEVEL = {FOREIGN_BORN: 45.0, NATIVE_BORN: 60.0, TOTAL: 50.0}


def levels(entry):
    """{group: (level in 2012, change per year)} for a catalogue entry."""
    if entry["id"] in LEVELS:
        return LEVELS[entry["id"]]
    source = entry["source"]
    if source["kind"] == "kolada":
        groups = [k["group"] for k in source["kpis"]]
    elif source["kind"] == "scb":
        groups = list(source["groups"].values())
    else:
        groups = [TOTAL]
    scale = 1.0 if entry["unit"] == "procent" else 2.0
    return {g: (DEFAULT_LEVEL.get(g, 40.0) * scale, 0.2) for g in dict.fromkeys(groups)}


def areas():
    """The demo areas in a fixed order: municipalities, counties, Riket, group members."""
    out = list(DEMO_MUNICIPALITIES)
    out += [municipalities.county_of(k).code for k in DEMO_MUNICIPALITIES]
    out.append(municipalities.RIKET)
    for group in OFFLINE_GROUPS.values():
        out += group["members"]
    return list(dict.fromkeys(out))


def areas_for(kommun, comparison=None):
    """The areas an example load for one municipality covers, in a fixed order: the
    municipality, its county, Riket and the members of its comparison group (none when no
    group is known offline or from an earlier fetch: `comparison` is
    lagesbild.stats.queries.comparison_areas(kommun), read from the database when not given)."""
    if comparison is None:
        from .queries import comparison_areas

        comparison = comparison_areas(kommun)
    out = [kommun, comparison["county"], comparison["riket"], *comparison["group_members"]]
    return list(dict.fromkeys(out))


def _clamp(value, unit):
    if unit == "procent":
        return min(99.5, max(0.5, value))
    return max(0.0, value)


def _series(entry, rng, area, years, spread):
    """The values of one indicator in one area, drawing from rng in a fixed order."""
    sexes = ("T", "K", "M") if "sex" in entry["breakdowns"] else ("T",)
    rows = []
    area_offset = rng.uniform(-4.0, 4.0)
    for group, (level, slope) in levels(entry).items():
        scale = level / 50 if entry["unit"] != "procent" else 1.0
        for year in years:
            total = level + slope * (year - 2012) + area_offset * scale
            total += rng.gauss(0, 0.8) * scale
            for sex in sexes:
                sign = {"T": 0, "M": 1, "K": -1}[sex]
                value = _clamp(total + sign * spread * scale, entry["unit"])
                rows.append(
                    Obs(
                        indicator=entry["id"],
                        area=area,
                        period=year,
                        group=group,
                        sex=sex,
                        value=round(value, 1),
                        unit=entry["unit"],
                        example=True,
                    )
                )
    return rows


# Example small areas: (category, RegSO number, residents in 2012, share with a foreign
# background in 2012, change of that share per year). One RegSO is the rural rest of the
# municipality; its smallest DeSO has so few residents with a foreign background that
# SCB's rule hides the share.
EXAMPLE_AREAS = (
    ("C", 1, 1800, 0.52, 0.008),
    ("C", 1, 2100, 0.44, 0.006),
    ("C", 1, 1500, 0.31, 0.004),
    ("C", 2, 1700, 0.12, 0.003),
    ("C", 2, 2300, 0.09, 0.002),
    ("C", 2, 1200, 0.15, 0.004),
    ("C", 3, 2000, 0.07, 0.002),
    ("C", 3, 1600, 0.21, 0.004),
    ("C", 3, 1900, 0.11, 0.003),
    ("B", 4, 1300, 0.06, 0.002),
    ("B", 4, 900, 0.08, 0.001),
    ("A", 4, 800, 0.004, 0.0),
)


def example_areas(kommun):
    """[(DeSO code, RegSO code, spec)] of the municipality's example areas, in order."""
    numbers, out = {}, []
    for spec in EXAMPLE_AREAS:
        category, parent = spec[0], spec[1]
        numbers[category] = numbers.get(category, 0) + 1
        out.append((f"{kommun}{category}{numbers[category]:03d}0", f"{kommun}R{parent:03d}", spec))
    return out


# Example area types (1–5) of the four example RegSO: (type until the year of change, the year
# it changes or None, type from then). Invented for the demo, not Boverket's classification.
EXAMPLE_AREA_TYPES = {1: (2, 2019, 1), 2: (3, None, 3), 3: (4, 2021, 3), 4: (4, None, 4)}


def small_area_series(entry, kommun, years=YEARS, seed=SEED):
    """Example counts of a small-area indicator for the municipality's example areas: each
    DeSO and each RegSO (the sum of its DeSO), by background, total = the two groups. For an
    indicator of categories (the area types): one example type per RegSO and year."""
    if entry.get("categories"):
        rows = []
        for code, number in sorted({(p, spec[1]) for _c, p, spec in example_areas(kommun)}):
            before, change, after = EXAMPLE_AREA_TYPES[number]
            for year in years:
                kind = after if change and year >= change else before
                value = float(kind)
                rows.append(
                    Obs(entry["id"], code, year, TOTAL, "T", value, entry["unit"], example=True)
                )
        return rows
    rng = random.Random(f"{seed}:{entry['id']}:{kommun}")
    if entry.get("share"):  # counts of which a share is drawn as a map
        return _share_series(entry, kommun, years, rng)
    if not entry["source"].get("groups"):  # a share per area (a measure drawn as a map)
        return _measure_series(entry, kommun, years, rng)
    groups = list(entry["source"]["groups"].values())
    minority, majority, total = groups[0], groups[1], groups[2]
    rows, regso = [], {}
    mix = rng.uniform(0.6, 1.4)  # municipalities differ in how many have a foreign background
    for code, parent, (_category, _n, residents, share, slope) in example_areas(kommun):
        share *= mix if share > 0.01 else 1.0
        growth = rng.uniform(0.0, 0.012)
        for year in years:
            people = round(residents * (1 + growth) ** (year - years[0]))
            noise = rng.gauss(0, 0.003) if share > 0.01 else 0.0  # the tiny one stays tiny
            part = min(0.95, share + slope * (year - years[0]) + noise)
            counts = {minority: round(people * max(part, 0.0))}
            counts[majority] = people - counts[minority]
            counts[total] = people
            for area in (code, parent):
                for group, value in counts.items():
                    if area == code:
                        rows.append((area, year, group, value))
                    else:
                        key = (area, year, group)
                        regso[key] = regso.get(key, 0) + value
    rows += [(area, year, group, value) for (area, year, group), value in regso.items()]
    return [
        Obs(entry["id"], area, year, group, "T", float(value), entry["unit"], example=True)
        for area, year, group, value in sorted(rows)
    ]


def _measure_series(entry, kommun, years, rng):
    """Example shares (percent) per example DeSO, higher where the example share with a foreign
    background is higher, and per RegSO the residents' weighted mean of its DeSO."""
    rows, regso = [], {}
    for code, parent, (_category, _n, residents, share, slope) in example_areas(kommun):
        base = rng.uniform(4.0, 8.0) + 40 * share
        for year in years:
            value = round(max(0.5, base + 10 * slope * (year - years[0]) + rng.gauss(0, 0.4)), 1)
            rows.append((code, year, value))
            total, weight = regso.get((parent, year), (0.0, 0))
            regso[(parent, year)] = (total + value * residents, weight + residents)
    rows += [(area, year, round(t / w, 1)) for (area, year), (t, w) in regso.items()]
    return [
        Obs(entry["id"], area, year, TOTAL, "T", value, entry["unit"], example=True)
        for area, year, value in sorted(rows)
    ]


def _share_series(entry, kommun, years, rng):
    """Example counts per example DeSO and RegSO (the sum of its DeSO): the people of the
    measure's age band (about half the residents) and how many of them are in group `share`,
    a share that moves with the example share with a foreign background."""
    rows, regso = [], {}
    sign = -1 if entry["better"] == "higher" else 1
    for code, parent, (_category, _n, residents, share, _slope) in example_areas(kommun):
        base = (0.80 if sign < 0 else 0.12) + sign * 0.5 * share
        for year in years:
            people = round(residents * 0.52)
            part = round(people * min(0.97, max(0.02, base + rng.gauss(0, 0.01))))
            for group, value in ((entry["share"], part), (TOTAL, people)):
                rows.append((code, year, group, value))
                regso[(parent, year, group)] = regso.get((parent, year, group), 0) + value
    rows += [(area, year, group, value) for (area, year, group), value in regso.items()]
    return [
        Obs(entry["id"], area, year, group, "T", float(value), entry["unit"], example=True)
        for area, year, group, value in sorted(rows)
    ]


def generate(seed=SEED, kommuner=None, comparisons=None):
    """{indicator id: [Observation, …]} with example=True; the same for the same seed.

    Without `kommuner`: the offline demo (Karlshamn and Lidköping, see areas()). With
    `kommuner`: each municipality given, its county, Riket and its comparison group
    (areas_for; `comparisons` may give {kommun: comparison_areas(kommun)} to avoid the
    database). Local-source indicators only for the municipalities themselves.

    Each (indicator, area) has one set of values whichever load asks for it, so two loads
    that share an area (Riket, a county) store the same numbers: the demo's areas keep the
    demo's values (drawn in one sequence per indicator, as they always were), any other area
    draws from its own generator seeded with the indicator and the area.
    """
    catalogue = load_catalogue()
    demo_areas = areas()
    if kommuner is None:
        wanted, own = demo_areas, set(DEMO_MUNICIPALITIES)
    else:
        comparisons = comparisons or {}
        wanted = []
        for kommun in kommuner:
            wanted += areas_for(kommun, comparisons.get(kommun))
        wanted, own = list(dict.fromkeys(wanted)), set(kommuner)
    out = {}
    for indicator_id in sorted(catalogue):
        entry = {**catalogue[indicator_id], "id": indicator_id}
        if entry.get("level") == "small_areas":  # the municipalities' areas, not counties'
            places = [a for a in wanted if municipalities.get(a).kind == "kommun"]
            out[indicator_id] = [o for k in places for o in small_area_series(entry, k, seed=seed)]
            continue
        local = entry["source"]["kind"] == "local"
        years = ELECTION_YEARS if indicator_id == "valdeltagande-kommunval" else YEARS
        spread = SEX_SPREAD.get(indicator_id, 1.5)
        # One generator per indicator: adding an indicator leaves the others' values alone.
        rng = random.Random(f"{seed}:{indicator_id}")
        demo = {}
        for area in demo_areas:
            if local and area not in DEMO_MUNICIPALITIES:
                continue
            demo[area] = _series(entry, rng, area, years, spread)
        rows = []
        for area in wanted:
            if local and area not in own:
                continue
            if area in demo:
                rows += demo[area]
            else:
                area_rng = random.Random(f"{seed}:{indicator_id}:{area}")
                rows += _series(entry, area_rng, area, years, spread)
        out[indicator_id] = rows
    return out


def as_json(rows):
    """The generated values as the text stored in the example snapshot (its checksum)."""
    return json.dumps(
        {
            "label": LABEL,
            "seed": SEED,
            "values": [[o.area, o.period, o.group, o.sex, o.value] for o in rows],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )
