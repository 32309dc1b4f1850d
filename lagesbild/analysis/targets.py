"""A policy's numeric target against the outcome. Pure Python, no Django.

A target says: this value (a group's level, or the signed gap utrikes − inrikes födda) shall
reach `value` by `year`, moving in `direction` (increase or decrease). From the series of
outcomes it gives the baseline (the target's baseline year, else the first year with a value),
the latest value, the pace achieved so far (change per year from the baseline to the latest
value), the pace needed from the latest value to reach the target in time, and a status:

- achieved (uppnått): the latest value has reached the target;
- on track (på väg): going on at the pace achieved reaches the target by its year;
- off track (inte på väg): it does not, or the target year has passed;
- no data (saknar data): no value, no baseline value, or only one year (no pace);
- not measured (mäts inte ännu): the target names no indicator.
"""

from dataclasses import dataclass

ACHIEVED = "achieved"
ON_TRACK = "on_track"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
NOT_MEASURED = "not_measured"
WORDS = {
    ACHIEVED: "uppnått",
    ON_TRACK: "på väg",
    OFF_TRACK: "inte på väg",
    NO_DATA: "saknar data",
    NOT_MEASURED: "mäts inte ännu",
}
DIRECTIONS = ("increase", "decrease")


@dataclass(frozen=True)
class Progress:
    status: str
    baseline: tuple[int, float] | None = None  # (year, value)
    latest: tuple[int, float] | None = None
    achieved: float | None = None  # change per year, baseline → latest
    needed: float | None = None  # change per year, latest → target
    reason: str = ""

    @property
    def words(self):
        return WORDS[self.status]


def reached(value, target, direction):
    return value >= target if direction == "increase" else value <= target


def progress(series, target, year, direction, baseline_year=None):
    """How a target stands. series: {year: value or None}; target: the value to reach."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction ska vara increase eller decrease, inte {direction!r}")
    years = sorted(y for y, v in series.items() if v is not None)
    if not years:
        return Progress(NO_DATA, reason="inga värden")
    last = years[-1]
    latest = (last, series[last])
    if baseline_year is not None:
        if series.get(baseline_year) is None:
            return Progress(
                NO_DATA, latest=latest, reason=f"utgångsåret {baseline_year} saknar värde"
            )
        first = baseline_year
    else:
        first = years[0]
    baseline = (first, series[first])
    if reached(latest[1], target, direction):
        return Progress(ACHIEVED, baseline, latest)
    needed = (target - latest[1]) / (year - last) if year > last else None
    if first >= last:
        return Progress(NO_DATA, baseline, latest, None, needed, "bara ett år med värden")
    achieved = (latest[1] - baseline[1]) / (last - first)
    if year <= last:
        return Progress(OFF_TRACK, baseline, latest, achieved, None, "målåret har passerats")
    projected = latest[1] + achieved * (year - last)
    status = ON_TRACK if reached(projected, target, direction) else OFF_TRACK
    return Progress(status, baseline, latest, achieved, needed)
