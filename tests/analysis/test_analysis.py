"""Trends, comparisons, disclosure control and segregation indices: hand-computed answers."""

from math import log

import pytest

from lagesbild.analysis import compare, disclosure, segregation, trends
from lagesbild.analysis.observations import FOREIGN_BORN, NATIVE_BORN, Observation


def obs(period, group, value, **kw):
    kw.setdefault("unit", "procent")
    return Observation(
        "syss", kw.pop("area", "1082"), period, group, kw.pop("sex", "T"), value, **kw
    )


# --- latest value and trend ----------------------------------------------------------------


def test_latest_takes_each_groups_last_year_with_a_value():
    found = trends.latest(
        [
            obs(2020, FOREIGN_BORN, 50.0),
            obs(2022, FOREIGN_BORN, 52.0),
            obs(2023, FOREIGN_BORN, None),
            obs(2021, NATIVE_BORN, 80.0),
            obs(2024, NATIVE_BORN, 81.0, area="0000"),
        ],
        "syss",
        "1082",
    )
    assert {g: (o.period, o.value) for g, o in found.items()} == {
        FOREIGN_BORN: (2022, 52.0),
        NATIVE_BORN: (2021, 80.0),
    }


def test_latest_respects_up_to():
    found = trends.latest(
        [obs(2020, FOREIGN_BORN, 1.0), obs(2025, FOREIGN_BORN, 2.0)], "syss", "1082", up_to=2024
    )
    assert found[FOREIGN_BORN].period == 2020


def test_slope_by_hand():
    # x̄ = 2, ȳ = 4; Σ(x−x̄)(y−ȳ) = (−1)(−3) + 0 + (1)(3) = 6; Σ(x−x̄)² = 2 → 3
    assert trends.slope([(1, 1.0), (2, 4.0), (3, 7.0)]) == 3.0
    assert trends.slope([(1, 1.0), (2, 5.0), (3, 6.0)]) == 2.5  # (3 + 0 + 2) / 2
    assert trends.slope([(1, 1.0)]) is None


def test_rising_share_is_better_when_higher_is_better_and_worse_otherwise():
    values = {2020: 50.0, 2021: 51.0, 2022: 53.0, 2023: 54.0}  # slope 1.4
    up = trends.trend(values, "higher")
    assert up.direction == trends.BETTER_ARROW and up.slope == pytest.approx(1.4)
    assert trends.trend(values, "lower").direction == trends.WORSE


def test_small_slope_is_unchanged():
    values = {2020: 50.0, 2021: 50.1, 2022: 50.0, 2023: 50.1}  # slope 0.02
    assert trends.trend(values, "higher").direction == trends.UNCHANGED


def test_only_the_last_n_years_count():
    values = {2018: 90.0, 2019: 10.0, 2020: 50.0, 2021: 49.0, 2022: 48.0}
    t = trends.trend(values, "higher", last_n=3)
    assert t.years == (2020, 2021, 2022) and t.slope == pytest.approx(-1.0)
    assert t.direction == trends.WORSE


def test_too_few_years_is_said_plainly():
    t = trends.trend({2023: 1.0, 2024: 2.0}, "higher")
    assert (t.direction, t.reason, t.slope) == (trends.NOT_COMPARABLE, "för få år", None)


def test_no_trend_across_a_series_break():
    values = {2019: 70.0, 2020: 71.0, 2021: 72.0, 2022: 60.0, 2023: 61.0}
    t = trends.trend(values, "higher", breaks={2022})
    assert t.direction == trends.NOT_COMPARABLE and t.years == (2022, 2023)
    t = trends.trend({**values, 2024: 62.0}, "higher", breaks={2022})
    assert t.direction == trends.BETTER_ARROW and t.slope == pytest.approx(1.0)


def test_break_flag_on_observations_is_found():
    assert trends.breaks_in(
        [obs(2022, FOREIGN_BORN, 1.0, status="B"), obs(2021, FOREIGN_BORN, 1.0)]
    ) == {2022}


# --- comparison ----------------------------------------------------------------------------


VALUES = {"1082": 60.0, "0000": 65.0, "0010": 62.0, "1060": 70.0, "1080": 55.0, "1081": 60.0}


def test_compare_with_riket_county_and_group():
    c = compare.compare(
        "1082", VALUES, "higher", riket="0000", county="0010", group=["1060", "1080", "1081"]
    )
    assert (c.riket, c.county) == (65.0, 62.0)
    assert c.group_mean == pytest.approx((70.0 + 55.0 + 60.0) / 3)
    # 70 is ahead; 60 and 60 share place 2; 55 is fourth.
    assert (c.group_position, c.group_size) == (2, 4)
    assert c.rank is None


def test_rank_among_all_municipalities_in_the_better_direction():
    everyone = ["1082", "1060", "1080", "1081"]
    assert compare.compare("1082", VALUES, "higher", all_municipalities=everyone).rank == 2
    c = compare.compare("1082", VALUES, "lower", all_municipalities=everyone)
    assert (c.rank, c.rank_of) == (2, 4)  # 55 is lowest; 60 and 60 share rank 2


def test_missing_value_has_no_position():
    c = compare.compare("1082", {"1082": None, "1060": 1.0}, "higher", group=["1060"])
    assert c.group_position is None and c.value is None


# --- disclosure control --------------------------------------------------------------------


@pytest.mark.parametrize(
    "size, with_property, hidden",
    [
        (20, 10, True),
        (21, 10, False),
        (100, 5, True),
        (100, 6, False),
        (100, 95, True),  # the complement: 5 without the property
        (100, 94, False),
        (None, 3, True),
        (None, 5, True),  # exactly 5 with the property is still too few
        (None, 6, False),
        (None, None, False),
        (100, None, False),  # a large group and no count with the property: shown
    ],
)
def test_scb_rule(size, with_property, hidden):
    assert disclosure.is_protected(size, with_property) is hidden


def test_share_is_hidden_when_few_have_the_property():
    # 5 % of 100 = 5 people → hidden; 6 % of 100 = 6 → shown; 50 % of 20 → group too small.
    hidden = disclosure.protect_share(obs(2024, FOREIGN_BORN, 5.0, count=100))
    assert hidden.value is None and hidden.status == "skyddad"
    assert disclosure.protect_share(obs(2024, FOREIGN_BORN, 6.0, count=100)).value == 6.0
    assert disclosure.protect_share(obs(2024, FOREIGN_BORN, 50.0, count=20)).value is None


def test_share_is_hidden_when_few_lack_the_property():
    # 96 % of 100 = 4 without → hidden; 94 % → 6 without → shown.
    assert disclosure.protect_share(obs(2024, FOREIGN_BORN, 96.0, count=100)).value is None
    assert disclosure.protect_share(obs(2024, FOREIGN_BORN, 94.0, count=100)).value == 94.0


def test_small_counts_of_people_with_a_known_group_are_hidden():
    small = obs(2024, FOREIGN_BORN, 3.0, unit="antal", count=40)
    zero = obs(2024, FOREIGN_BORN, 0.0, unit="antal", count=40)
    six = obs(2024, FOREIGN_BORN, 6.0, unit="antal", count=40)
    assert disclosure.protect_share(small).status == "skyddad"
    assert disclosure.protect([zero, six]) == [zero, six]
    # The edges of 1 to 5 people are hidden too.
    for edge in (1.0, 5.0):
        hidden = disclosure.protect_share(obs(2024, FOREIGN_BORN, edge, unit="antal", count=40))
        assert (hidden.value, hidden.status) == (None, "skyddad")


def test_values_without_a_group_size_pass_unchanged():
    """Kolada's and SCB's published values carry no group size: already cleared at source."""
    counted = obs(2024, FOREIGN_BORN, 3.0, unit="dagar", count=3)
    unknown = obs(2024, FOREIGN_BORN, 3.0)
    few = obs(2024, FOREIGN_BORN, 2.0, unit="antal")
    assert disclosure.protect([counted, unknown, few]) == [counted, unknown, few]


# --- segregation ---------------------------------------------------------------------------

TWO_AREAS = [(80, 20), (20, 80)]


def test_dissimilarity_by_hand():
    # ½(|0,8 − 0,2| + |0,2 − 0,8|) = 0,6
    assert segregation.dissimilarity(TWO_AREAS) == pytest.approx(0.6)


def test_isolation_and_exposure_by_hand():
    # 0,8·0,8 + 0,2·0,2 = 0,68; 0,8·0,2 + 0,2·0,8 = 0,32
    assert segregation.isolation(TWO_AREAS) == pytest.approx(0.68)
    assert segregation.exposure(TWO_AREAS) == pytest.approx(0.32)


def test_theil_h_by_hand():
    entropy_area = -(0.8 * log(0.8) + 0.2 * log(0.2))
    expected = (log(2) - entropy_area) / log(2)  # both areas hold half the people
    assert segregation.theil_h(TWO_AREAS) == pytest.approx(expected)
    assert segregation.theil_h(TWO_AREAS) == pytest.approx(0.2781, abs=1e-4)


def test_complete_and_no_segregation_are_the_bounds():
    apart = [(10, 0), (0, 30)]
    assert segregation.dissimilarity(apart) == 1.0
    assert segregation.isolation(apart) == 1.0
    assert segregation.exposure(apart) == 0.0
    assert segregation.theil_h(apart) == pytest.approx(1.0)
    even = [(10, 30), (20, 60), (0, 0)]
    assert segregation.dissimilarity(even) == pytest.approx(0.0)
    assert segregation.isolation(even) == pytest.approx(0.25)  # the group's overall share
    assert segregation.theil_h(even) == pytest.approx(0.0)


def test_segregation_refuses_bad_counts():
    with pytest.raises(ValueError, match="område 0: negativt antal"):
        segregation.dissimilarity([(-1, 5), (3, 4)])
    with pytest.raises(ValueError, match="båda grupperna måste finnas i minst ett område"):
        segregation.dissimilarity([(0, 5), (0, 4)])


# --- boundaries found by bench/mutate.py (each of these once survived a deliberate bug) -----


def test_two_years_are_enough_for_a_slope_one_is_not():
    assert trends.slope([(2020, 1.0), (2021, 4.0)]) == 3.0
    assert trends.slope([(2020, 1.0)]) is None
    assert trends.slope([(2020, 1.0), (2020, 2.0)]) is None  # no spread in the years


def test_a_slope_of_exactly_the_tolerance_is_a_change():
    t = trends.trend({2020: 0.0, 2021: 1.0, 2022: 2.0}, "higher", tolerance=1.0)
    assert (t.direction, t.slope) == (trends.BETTER_ARROW, 1.0)
    flat = trends.trend({2020: 0.0, 2021: 0.5, 2022: 1.0}, "higher", tolerance=1.0)
    assert flat.direction == trends.UNCHANGED


def test_the_report_year_and_a_break_in_the_last_year_count():
    values = {2019: 10.0, 2020: 11.0, 2021: 12.0, 2022: 20.0, 2023: 30.0}
    assert trends.trend(values, "higher", up_to=2021).years == (2019, 2020, 2021)
    assert trends.trend(values, "higher", breaks=(2023,)).years == (2023,)
    found = trends.latest(
        [obs(2024, FOREIGN_BORN, 1.0), obs(2025, FOREIGN_BORN, 2.0)], "syss", "1082", up_to=2025
    )
    assert found[FOREIGN_BORN].period == 2025
    first = trends.latest(
        [obs(2025, FOREIGN_BORN, 1.0), obs(2025, FOREIGN_BORN, 2.0)], "syss", "1082"
    )
    assert first[FOREIGN_BORN].value == 1.0  # the first of two in the same year


def test_rank_counts_from_the_best_in_either_direction():
    assert compare.rank_of(3.0, [1.0, 3.0, 4.0, 5.0], "higher") == 3
    assert compare.rank_of(3.0, [1.0, 3.0, 4.0, 5.0], "lower") == 2


def test_a_national_rank_needs_two_municipalities_and_a_value():
    two = compare.compare(
        "1082", {"1082": 1.0, "1060": 2.0}, "higher", all_municipalities=["1082", "1060"]
    )
    assert (two.rank, two.rank_of) == (2, 2)
    one = compare.compare("1082", {"1082": 1.0}, "higher", all_municipalities=["1082"])
    assert one.rank is None
    none = compare.compare("1082", {"1060": 2.0}, "higher", group=[])
    assert (none.group_position, none.group_size) == (None, 0)
