"""Small areas (DeSO) and housing segregation over time (issue #18, first step). Pure Python.

Sources:
- SCB, "DeSO – Demografiska statistikområden"
  (https://www.scb.se/hitta-statistik/regional-statistik-och-kartor/regionala-indelningar/deso---demografiska-statistikomraden/):
  a DeSO code has nine positions: the kommunkod (4), the category A, B or C (outside
  population centres, in one but not the central town, in the central town), a three-digit
  running number and one reserve position, e.g. 1883A0030.
- The indices: lagesbild.analysis.segregation (Massey & Denton 1988).
- The disclosure rule: lagesbild.analysis.disclosure (SCB's rule on shares and counts).

- RegSO (regionala statistikområden, SCB): the code is the kommunkod, "R" and a three-digit
  number, e.g. 1494R001. A RegSO is a whole number of DeSO; which DeSO lie in which RegSO is not
  in the codes (SCB publishes the key, "Koppling DeSO – RegSO", beside the geodata).
- From reference year 2024 SCB's tables write the codes with the division they belong to
  (0114A0010_DeSO2025, 0114R001_RegSO2025); `plain_code` drops that suffix.

The section of the Lägesbild that uses this is lagesbild.reports.segregation; the boundaries
(with each DeSO's RegSO and the RegSO names) come from lagesbild.geodata.
"""

import re
from dataclasses import dataclass, field

from . import disclosure, segregation

DESO = re.compile(
    r"^(?P<kommun>[0-9]{4})(?P<category>[ABC])(?P<number>[0-9]{3})(?P<reserve>[0-9])$"
)

REGSO = re.compile(r"^(?P<kommun>[0-9]{4})R(?P<number>[0-9]{3})$")
DIVISION_SUFFIX = re.compile(r"_(DeSO|RegSO)[0-9]{4}$")

# What each index means, in plain Swedish, for a group (`minority`, e.g. "personer med utländsk
# bakgrund") and the rest (`majority`); `one` is one person of the group.
MEANING_TEMPLATES = {
    "dissimilarity": "andelen {minority} som skulle behöva flytta till ett annat område för "
    "att {minority} och {majority} skulle vara jämnt fördelade över kommunens områden",
    "isolation": "andelen {minority} bland grannarna i det område där {one} i genomsnitt bor",
    "exposure": "andelen {majority} bland grannarna i det område där {one} i genomsnitt bor",
    "theil_h": "hur mycket mindre blandade områdena är än kommunen som helhet (0 = lika "
    "blandat i varje område, 1 = helt åtskilda)",
}
INDEX_NAMES = {
    "dissimilarity": "Segregationsindex (D)",
    "isolation": "Isoleringsindex",
    "exposure": "Exponeringsindex",
    "theil_h": "Theils H",
}


def meanings(minority="utrikes födda", majority="inrikes födda", one="en utrikes född"):
    """{index name: its meaning in plain Swedish} for these groups."""
    words = {"minority": minority, "majority": majority, "one": one}
    return {name: text.format(**words) for name, text in MEANING_TEMPLATES.items()}


MEANINGS = meanings()
INDICES = {
    "dissimilarity": segregation.dissimilarity,
    "isolation": segregation.isolation,
    "exposure": segregation.exposure,
    "theil_h": segregation.theil_h,
}


def kommun_of(code):
    """The municipality of a DeSO or RegSO code ('1494' for '1494C1020' and '1494R001'), else
    None (a municipality, county or Riket)."""
    m = DESO.match(code or "") or REGSO.match(code or "")
    return m["kommun"] if m else None


def check_deso(code, kommun=None):
    """The code, or ValueError naming what is wrong with it (and the municipality it is not
    in, when `kommun` is given)."""
    m = DESO.match(code or "")
    if not m:
        raise ValueError(
            f"{code!r} är ingen DeSO-kod (nio tecken: kommunkod, A, B eller C, fyra siffror, "
            "t.ex. 1883A0030)"
        )
    if kommun is not None and m["kommun"] != kommun:
        raise ValueError(f"DeSO {code} ligger inte i kommun {kommun}")
    return code


def plain_code(code):
    """'0114A0010_DeSO2025' -> '0114A0010': the code without the division SCB appends."""
    return DIVISION_SUFFIX.sub("", code.strip())


def level_of(code):
    """'deso', 'regso' or None for any other code (kommun, county, Riket)."""
    if DESO.match(code):
        return "deso"
    if REGSO.match(code):
        return "regso"
    return None


def counts_by_year(rows, level, minority, majority):
    """{year: {area: (minority count, majority count)}} for the areas of one level.

    rows: (area, year, group, value) tuples, e.g. a municipality's stored observations. An area
    is counted in a year only where both groups have a value (a missing value is never read as
    0); values are people, so they are rounded to whole numbers."""
    found = {}
    for area, year, group, value in rows:
        if level_of(area) != level or value is None or group not in (minority, majority):
            continue
        found.setdefault(year, {}).setdefault(area, {})[group] = round(value)
    return {
        year: {
            area: (groups[minority], groups[majority])
            for area, groups in areas.items()
            if minority in groups and majority in groups
        }
        for year, areas in found.items()
    }


@dataclass
class Year:
    """The indices of one year, over the areas that could be shown, and what was done with the
    areas too small to show."""

    year: int
    values: dict  # index name -> value (None when it cannot be computed)
    areas: int  # areas the indices are computed over
    merged: list = field(default_factory=list)  # (area, the larger area it was counted in)
    left_out: list = field(default_factory=list)  # areas neither shown nor merged


def shown_areas(counts, parent_of=None):
    """Areas whose foreign-born share may be shown under the disclosure rule.

    counts: {area: (foreign-born, native-born)}. An area whose share would be protected is
    counted in its parent (its RegSO, `parent_of[area]`) when there is one, else left out; a
    parent that is itself too small after merging is left out too. Returns (kept, merged,
    left_out)."""
    parent_of = parent_of or {}
    kept, merged, left_out, pooled = {}, [], [], {}
    for area, (g, o) in sorted(counts.items()):
        if not disclosure.is_protected(g + o, g):
            kept[area] = (g, o)
        elif area in parent_of:
            parent = parent_of[area]
            pg, po = pooled.get(parent, (0, 0))
            pooled[parent] = (pg + g, po + o)
            merged.append((area, parent))
        else:
            left_out.append(area)
    for parent, (g, o) in sorted(pooled.items()):
        if disclosure.is_protected(g + o, g):
            left_out += [a for a, p in merged if p == parent]
            merged = [(a, p) for a, p in merged if p != parent]
        else:
            kept[parent] = (g, o)
    return kept, merged, sorted(left_out)


def indices_over_time(counts_by_year, parent_of=None):
    """[Year…] in year order. counts_by_year: {year: {area: (foreign-born, native-born)}}."""
    out = []
    for year in sorted(counts_by_year):
        kept, merged, left_out = shown_areas(counts_by_year[year], parent_of)
        values = {}
        for name, index in INDICES.items():
            try:
                # Over fewer than two areas there is nothing to compare: no index, not a 0.
                values[name] = index(list(kept.values())) if len(kept) > 1 else None
            except ValueError:  # one group absent from every area that may be shown
                values[name] = None
        out.append(Year(year, values, len(kept), merged, left_out))
    return out


def group_shares(rows, part, total="total"):
    """{year: {area: percent or None}}: the share of the people in group `part` among the
    area's people, for a measure SCB publishes as counts per DeSO and RegSO (employed and not
    employed, people by level of education).

    rows: (area, year, group, value) tuples. The whole is the area's `total` group where the
    table gives it (with SCB's cell-key noise the parts need not add up to it), else the sum of
    its other groups. None where the disclosure rule hides the share (20 or fewer people, or 5
    or fewer with or without the property); an area without a value of `part`, or with a
    missing value in a group the sum needs, has no entry (no value is read as 0)."""
    found = {}
    for area, year, group, value in rows:
        if level_of(area):
            found.setdefault((area, year), {})[group] = value
    out = {}
    for (area, year), groups in sorted(found.items()):
        have = groups.get(part)
        whole = groups.get(total)
        others = [v for g, v in groups.items() if g != total]
        if whole is None and None not in others:
            whole = sum(others)
        if have is None or not whole or whole <= 0:
            continue
        have, whole = round(have), round(whole)
        shown = not disclosure.is_protected(whole, have)
        out.setdefault(year, {})[area] = round(100 * have / whole, 1) if shown else None
    return out
