"""The one shape every analysis function reads: an observation of an indicator.

The statistics store (lagesbild.stats) turns its rows into these; tests build them by hand.
"""

from dataclasses import dataclass

# Population groups. Birth regions may also appear as their SCB codes.
FOREIGN_BORN = "utrikes_fodda"
NATIVE_BORN = "inrikes_fodda"
TOTAL = "total"

# Sex, as Kolada and SCB write it: T = totalt, K = kvinnor, M = män.
SEXES = ("T", "K", "M")


@dataclass(frozen=True)
class Observation:
    indicator: str  # catalogue id
    area: str  # kommunkod, region code, 0000 for Riket, or a DeSO/RegSO code
    period: int  # year
    group: str  # FOREIGN_BORN, NATIVE_BORN, TOTAL or a birth-region code
    sex: str  # "T", "K" or "M"
    value: float | None  # None where the source publishes no value
    unit: str = ""  # e.g. "procent", "antal"
    status: str = ""  # the source's status flag ("" = normal; e.g. "..", "B" for a break)
    count: int | None = None  # the group's size where the source gives it (disclosure control)
    example: bool = False  # True for the offline demo's example values
