"""The gap between foreign-born and native-born for one indicator. Pure Python, no Django.

points = foreign − native (percentage points for a share), ratio = foreign / native. Both
are None where they cannot be computed: a value the source does not publish (or that
disclosure control hides), a native-born value of 0 for the ratio, or one example value and
one real value (`mixed`): example and real values are never combined.
"""

from dataclasses import dataclass

from .observations import FOREIGN_BORN, NATIVE_BORN

BETTER = ("higher", "lower")

# Published shares carry one decimal: a gap that moves less than that has not changed.
UNCHANGED_WITHIN = 0.05


@dataclass(frozen=True)
class Gap:
    indicator: str
    area: str
    period: int
    foreign: float | None
    native: float | None
    points: float | None  # foreign − native
    ratio: float | None  # foreign / native
    mixed: bool = False  # one side is example data, the other real: no gap is computed


def _index(observations, indicator, area, sex):
    """{(period, group): observation} for one indicator, area and sex (first one wins)."""
    found = {}
    for o in observations:
        if o.indicator == indicator and o.area == area and o.sex == sex:
            found.setdefault((o.period, o.group), o)
    return found


def _make_gap(indicator, area, period, foreign, native):
    """The gap between two observations."""
    points = ratio = None
    mixed = foreign.example != native.example
    f, n = foreign.value, native.value
    if f is not None and n is not None and not mixed:
        points = f - n
        if n != 0:
            ratio = f / n
    return Gap(indicator, area, period, f, n, points, ratio, mixed)


def gap(observations, indicator, area, period, sex="T"):
    """The gap in one year, or None when either group has no observation that year."""
    index = _index(observations, indicator, area, sex)
    foreign = index.get((period, FOREIGN_BORN))
    native = index.get((period, NATIVE_BORN))
    if foreign is None or native is None:
        return None
    return _make_gap(indicator, area, period, foreign, native)


def gap_series(observations, indicator, area, sex="T"):
    """{year: Gap} for every year in which both groups have an observation, in year order."""
    index = _index(observations, indicator, area, sex)
    years = sorted({period for period, group in index if group == FOREIGN_BORN})
    return {
        year: _make_gap(
            indicator,
            area,
            year,
            index[(year, FOREIGN_BORN)],
            index[(year, NATIVE_BORN)],
        )
        for year in years
        if (year, NATIVE_BORN) in index
    }


def gap_change(first, last, better):
    """ "narrowed", "widened" or "unchanged": did the distance between the groups shrink?

    The gap is compared by its size (|points|), whichever group is ahead: a gap of −4 that
    becomes +2 has narrowed. `better` ("higher" or "lower", as in the indicator catalogue) is
    checked so that callers pass the catalogue's direction; the size of a gap does not depend
    on it. Raises ValueError when either gap has no points (a value is missing).
    """
    if better not in BETTER:
        raise ValueError(f"better ska vara 'higher' eller 'lower', inte {better!r}")
    if first.points is None or last.points is None:
        raise ValueError("skillnaden kan inte jämföras: ett värde saknas")
    change = abs(last.points) - abs(first.points)
    if abs(change) < UNCHANGED_WITHIN:
        return "unchanged"
    return "narrowed" if change < 0 else "widened"
