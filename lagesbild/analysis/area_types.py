"""Boverket's five area types (områdestyper) of the RegSO areas, and residents per type over
time (issue #18 §3). Pure Python.

Sources:
- The five types and their names: Boverket, Segregationsbarometern, "Nu kan du mäta
  segregationens grad och uttryck"
  (https://segregationsbarometern.boverket.se/analys/nu-kan-du-mata-segregationens-grad-och-uttryck/),
  and Delegationen mot segregation, "Områdestyper"
  (https://delmos.se/om-segregation/arbete-mot-segregation/omradestyper/): SCB and Delmos
  classified all 3 363 RegSO of Sweden from a national socio-economic index; types 1 and 2
  together are "områden med socioekonomiska utmaningar".
- The classification itself, which Lägesbild does not recompute: SCB, "Indelning i
  områdestyper efter socioekonomiskt index" (2025-01-13). An index per RegSO from three shares
  (residents 25–64 years whose highest education is förgymnasial; residents with low economic
  standard; residents 20–64 years with economic assistance and/or long-term unemployment), and
  the type from how far the index lies from the mean of all RegSO, in standard deviations
  (THRESHOLDS). That description is taken from the method notes of an independent
  reimplementation (github.com/xemarap/desocioek, METHOD.md) and could not be checked against
  SCB's document from here; the third share is not in SCB's open database per RegSO, which is
  why the product reads the published type instead of computing one.
"""

# Type -> its name, as Boverket and Delmos write it.
AREA_TYPES = {
    1: "Områden med stora socioekonomiska utmaningar",
    2: "Områden med socioekonomiska utmaningar",
    3: "Socioekonomiskt blandade områden",
    4: "Områden med goda socioekonomiska förutsättningar",
    5: "Områden med mycket goda socioekonomiska förutsättningar",
}
CHALLENGES = (1, 2)  # "områden med socioekonomiska utmaningar"

# Type -> where the RegSO's index lies, in standard deviations (σ) from the mean (μ) of all
# RegSO; a higher index means weaker socio-economic conditions. See the module's sources.
THRESHOLDS = {
    1: "index ≥ μ + 2σ",
    2: "μ + σ ≤ index < μ + 2σ",
    3: "μ ≤ index < μ + σ",
    4: "μ − σ ≤ index < μ",
    5: "index < μ − σ",
}


def check_type(value):
    """The area type as an int, or ValueError saying what is wrong."""
    if value is None or float(value) != int(value) or int(value) not in AREA_TYPES:
        raise ValueError(f"{value!r} är ingen områdestyp (ett heltal 1–5)")
    return int(value)


def types_by_year(rows):
    """{year: {RegSO: type}} from (area, year, group, value) rows; empty values are skipped."""
    out = {}
    for area, year, _group, value in rows:
        if value is not None:
            out.setdefault(int(year), {})[area] = check_type(value)
    return out


def residents_by_type(types, residents):
    """{type: (areas, residents, areas without a count)} for one year, every type present.

    types: {RegSO: type}; residents: {RegSO: people}. An area without a count is counted
    among the areas but adds nothing to the residents, and is reported, never read as 0."""
    out = {t: [0, 0, 0] for t in AREA_TYPES}
    for area, kind in types.items():
        out[kind][0] += 1
        if residents.get(area) is None:
            out[kind][2] += 1
        else:
            out[kind][1] += round(residents[area])
    return {t: tuple(v) for t, v in out.items()}


def changes(types_by_year, first, last):
    """[(RegSO, type in `first`, type in `last`)] for the areas whose type differs."""
    a, b = types_by_year.get(first, {}), types_by_year.get(last, {})
    return [(area, a[area], b[area]) for area in sorted(a) if area in b and a[area] != b[area]]
