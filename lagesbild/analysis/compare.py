"""A municipality beside Riket, its county, its comparison group and all municipalities.

Pure Python, no Django. Positions and ranks count from the best: 1 is the best value in the
indicator's "better" direction; equal values share a rank (1, 2, 2, 4).
"""

from dataclasses import dataclass

from .gaps import BETTER


@dataclass(frozen=True)
class Comparison:
    value: float | None
    riket: float | None
    county: float | None
    group_mean: float | None
    group_position: int | None  # among the group's members with a value, the municipality included
    group_size: int  # members with a value
    rank: int | None  # among all municipalities with a value, when national data is stored
    rank_of: int


def rank_of(value, values, better):
    """Competition rank of `value` among `values` (1 = best); None when value is None."""
    if better not in BETTER:
        raise ValueError(f"better ska vara 'higher' eller 'lower', inte {better!r}")
    if value is None:
        return None
    if better == "higher":
        return 1 + sum(1 for v in values if v is not None and v > value)
    return 1 + sum(1 for v in values if v is not None and v < value)


def compare(area, values, better, riket=None, county=None, group=(), all_municipalities=()):
    """Compare `values[area]` with the rest.

    values: {area code: value} for the year (None = not published); group: the comparison
    group's member codes; all_municipalities: every kommunkod, or () when national data is
    not stored (then rank is None).
    """
    value = values.get(area)
    members = [values[m] for m in set(group) | {area} if values.get(m) is not None]
    others = [values[m] for m in set(group) - {area} if values.get(m) is not None]
    everyone = [values[m] for m in all_municipalities if values.get(m) is not None]
    return Comparison(
        value=value,
        riket=values.get(riket) if riket else None,
        county=values.get(county) if county else None,
        group_mean=sum(others) / len(others) if others else None,
        group_position=rank_of(value, members, better) if members and value is not None else None,
        group_size=len(members),
        rank=rank_of(value, everyone, better) if len(everyone) > 1 and value is not None else None,
        rank_of=len(everyone),
    )
