"""The foreign-/native-born gap: hand-computed answers."""

import pytest

from lagesbild.analysis.gaps import Gap, gap, gap_change, gap_series
from lagesbild.analysis.observations import FOREIGN_BORN, NATIVE_BORN, TOTAL, Observation


def obs(period, group, value, sex="T", indicator="syss", area="1082"):
    return Observation(indicator, area, period, group, sex, value, "procent")


SERIES = [
    obs(2020, FOREIGN_BORN, 55.0),
    obs(2020, NATIVE_BORN, 80.0),
    obs(2021, FOREIGN_BORN, 60.0),
    obs(2021, NATIVE_BORN, 80.0),
    obs(2021, TOTAL, 77.0),
    obs(2022, FOREIGN_BORN, 58.0),  # no native-born value this year
    obs(2021, FOREIGN_BORN, 40.0, sex="K"),
    obs(2021, NATIVE_BORN, 50.0, sex="K"),
    obs(2021, FOREIGN_BORN, 1.0, area="0000"),
    obs(2021, NATIVE_BORN, 2.0, area="0000"),
]


def test_gap_in_points_and_ratio():
    assert gap(SERIES, "syss", "1082", 2021) == Gap("syss", "1082", 2021, 60.0, 80.0, -20.0, 0.75)


def test_gap_for_women_only():
    g = gap(SERIES, "syss", "1082", 2021, sex="K")
    assert (g.points, g.ratio) == (-10.0, 0.8)


def test_gap_is_none_when_a_group_is_missing():
    assert gap(SERIES, "syss", "1082", 2022) is None
    assert gap(SERIES, "syss", "1082", 2019) is None


def test_suppressed_value_gives_gap_without_points():
    g = gap([obs(2021, FOREIGN_BORN, None), obs(2021, NATIVE_BORN, 80.0)], "syss", "1082", 2021)
    assert g.points is None and g.ratio is None and g.native == 80.0


def test_ratio_is_none_when_native_value_is_zero():
    g = gap([obs(2021, FOREIGN_BORN, 3.0), obs(2021, NATIVE_BORN, 0.0)], "syss", "1082", 2021)
    assert g.points == 3.0 and g.ratio is None


def test_series_has_only_years_with_both_groups():
    series = gap_series(SERIES, "syss", "1082")
    assert list(series) == [2020, 2021]
    assert series[2020].points == -25.0


@pytest.mark.parametrize(
    "first, last, expected",
    [
        (-25.0, -20.0, "narrowed"),
        (-20.0, -25.0, "widened"),
        (-4.0, 2.0, "narrowed"),  # the other group is now ahead, by less
        (3.0, -6.0, "widened"),
        (-20.0, -20.04, "unchanged"),
    ],
)
def test_gap_change_compares_the_size_of_the_gap(first, last, expected):
    a = Gap("i", "1082", 2020, None, None, first, None)
    b = Gap("i", "1082", 2024, None, None, last, None)
    assert gap_change(a, b, "higher") == expected
    assert gap_change(a, b, "lower") == expected


def test_gap_change_refuses_unknown_direction_and_missing_points():
    a = Gap("i", "1082", 2020, 1.0, 2.0, -1.0, 0.5)
    with pytest.raises(ValueError, match="better ska vara 'higher' eller 'lower', inte 'up'"):
        gap_change(a, a, "up")
    with pytest.raises(ValueError, match="skillnaden kan inte jämföras: ett värde saknas"):
        gap_change(a, Gap("i", "1082", 2021, None, 2.0, None, None), "higher")


def test_an_example_value_and_a_real_value_give_no_gap():
    real = obs(2021, FOREIGN_BORN, 60.0)
    example = Observation("syss", "1082", 2021, NATIVE_BORN, "T", 80.0, "procent", example=True)
    g = gap([real, example], "syss", "1082", 2021)
    assert (g.points, g.ratio, g.mixed) == (None, None, True)
    both = gap_series([real, Observation(*example.__dict__.values())], "syss", "1082")
    assert both[2021].mixed is True
    assert gap([real, obs(2021, NATIVE_BORN, 80.0)], "syss", "1082", 2021).mixed is False


def test_a_gap_that_moves_by_half_a_point_has_changed():
    a = Gap("i", "1082", 2020, None, None, -10.0, None)
    assert gap_change(a, Gap("i", "1082", 2021, None, None, -10.5, None), "higher") == "widened"
    assert gap_change(a, Gap("i", "1082", 2021, None, None, -9.5, None), "higher") == "narrowed"
    assert gap_change(a, Gap("i", "1082", 2021, None, None, -10.04, None), "higher") == (
        "unchanged"
    )
    # Exactly the threshold (0,05) is a change.
    assert gap_change(a, Gap("i", "1082", 2021, None, None, -10.25, None), "higher") == "widened"


def test_a_year_with_only_the_native_born_gives_no_gap():
    series = gap_series([obs(2019, NATIVE_BORN, 80.0), *SERIES], "syss", "1082")
    assert sorted(series) == [2020, 2021]
