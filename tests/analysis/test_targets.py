"""Targets against outcomes: hand-computed answers."""

import pytest

from lagesbild.analysis.targets import (
    ACHIEVED,
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    progress,
)

# Employment among the foreign-born: 60 (2022), 61 (2023), 63 (2024).
SERIES = {2022: 60.0, 2023: 61.0, 2024: 63.0}


def test_on_track_when_the_pace_so_far_reaches_the_target_in_time():
    # Pace so far (63 − 60) / 2 = 1,5 a year; 63 + 1,5 × 5 = 70,5 ≥ 70 by 2029.
    p = progress(SERIES, 70.0, 2029, "increase")
    assert (p.status, p.baseline, p.latest, p.achieved, p.needed) == (
        ON_TRACK,
        (2022, 60.0),
        (2024, 63.0),
        1.5,
        1.4,
    )
    assert p.words == "på väg"


def test_off_track_when_the_pace_is_too_slow():
    # Needed (72 − 63) / 5 = 1,8 a year; achieved 1,5 → 70,5 < 72.
    p = progress(SERIES, 72.0, 2029, "increase")
    assert (p.status, p.needed, p.words) == (OFF_TRACK, 1.8, "inte på väg")


def test_achieved_and_the_baseline_year_of_the_policy():
    p = progress(SERIES, 62.0, 2029, "increase", baseline_year=2023)
    assert (p.status, p.baseline, p.words) == (ACHIEVED, (2023, 61.0), "uppnått")


def test_decrease_targets_and_a_passed_target_year():
    days = {2020: 30.0, 2024: 26.0}
    assert progress(days, 20.0, 2030, "decrease").status == ON_TRACK  # −1/yr → 20 in 2030
    assert progress(days, 20.0, 2028, "decrease").status == OFF_TRACK  # 22 in 2028
    late = progress(days, 20.0, 2024, "decrease")
    assert (late.status, late.reason) == (OFF_TRACK, "målåret har passerats")


def test_a_signed_gap_target_narrowing_towards_zero():
    # Gap utrikes − inrikes: −20 (2022), −17 (2024): +1,5 a year → −9,5 in 2029 ≥ −10.
    p = progress({2022: -20.0, 2024: -17.0}, -10.0, 2029, "increase")
    assert (p.status, p.achieved, p.needed) == (ON_TRACK, 1.5, 1.4)


@pytest.mark.parametrize(
    "series, baseline_year, reason",
    [
        ({}, None, "inga värden"),
        ({2024: None}, None, "inga värden"),
        ({2024: 63.0}, None, "bara ett år med värden"),
        ({2023: None, 2024: 63.0}, 2023, "utgångsåret 2023 saknar värde"),
    ],
)
def test_no_data_says_why(series, baseline_year, reason):
    p = progress(series, 70.0, 2029, "increase", baseline_year=baseline_year)
    assert (p.status, p.reason, p.words) == (NO_DATA, reason, "saknar data")


def test_an_unknown_direction_is_refused_by_name():
    with pytest.raises(ValueError, match="direction ska vara increase eller decrease, inte 'up'"):
        progress(SERIES, 70.0, 2029, "up")


def test_exactly_the_target_value_counts_as_reached():
    assert progress(SERIES, 63.0, 2029, "increase").status == ACHIEVED
    assert progress({2020: 30.0, 2024: 26.0}, 26.0, 2030, "decrease").status == ACHIEVED
