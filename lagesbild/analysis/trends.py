"""Latest values and the direction of a series over the last N years. Pure Python, no Django.

The direction comes from an ordinary least-squares slope over the years (as Swedish indicator
sites such as Kolada show it with an arrow), read through the indicator's "better" direction.
A series break (a new definition, e.g. RAMS → BAS in 2022) starts the series afresh: no trend
is drawn across it.
"""

from dataclasses import dataclass

from .gaps import BETTER

BETTER_ARROW = "better"
UNCHANGED = "unchanged"
WORSE = "worse"
NOT_COMPARABLE = "not_comparable"

TOO_FEW_YEARS = "för få år"


@dataclass(frozen=True)
class Trend:
    direction: str  # better / unchanged / worse / not_comparable
    slope: float | None  # units per year
    years: tuple[int, ...]  # the years the slope was computed over
    reason: str = ""  # why not comparable, in plain Swedish


def latest(observations, indicator, area, sex="T", up_to=None):
    """{group: observation} with each group's latest year that has a value (≤ up_to)."""
    found = {}
    for o in observations:
        if o.indicator != indicator or o.area != area or o.sex != sex or o.value is None:
            continue
        if up_to is not None and o.period > up_to:
            continue
        if o.group not in found or o.period > found[o.group].period:
            found[o.group] = o
    return found


def slope(points):
    """Least-squares slope of [(x, y), ...]; None for fewer than two distinct x."""
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx


def trend(values, better, last_n=5, breaks=(), min_years=3, tolerance=0.1, up_to=None):
    """The direction of {year: value} over the last `last_n` years up to `up_to`.

    `breaks` are years in which a new series begins: only years from the latest break on
    count. Fewer than `min_years` years with values gives not_comparable, "för få år".
    A slope smaller than `tolerance` units per year (either way) is unchanged.
    """
    if better not in BETTER:
        raise ValueError(f"better ska vara 'higher' eller 'lower', inte {better!r}")
    years = sorted(y for y, v in values.items() if v is not None and (up_to is None or y <= up_to))
    if years:
        start = max((b for b in breaks if b <= years[-1]), default=None)
        if start is not None:
            years = [y for y in years if y >= start]
    years = years[-last_n:]
    if len(years) < min_years:
        return Trend(NOT_COMPARABLE, None, tuple(years), TOO_FEW_YEARS)
    b = slope([(y, values[y]) for y in years])
    if abs(b) < tolerance:
        direction = UNCHANGED
    elif (b > 0) == (better == "higher"):
        direction = BETTER_ARROW
    else:
        direction = WORSE
    return Trend(direction, b, tuple(years))


def breaks_in(observations):
    """Years whose observations carry the source's break flag ("B")."""
    return {o.period for o in observations if o.status == "B"}
