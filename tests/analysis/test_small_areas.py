"""DeSO codes, small areas under the disclosure rule, and indices over time, on inputs with
answers worked out by hand."""

import pytest

from lagesbild.analysis import small_areas


def test_deso_codes_are_checked_and_placed():
    assert small_areas.check_deso("1883A0030", "1883") == "1883A0030"
    for bad in ("1883D0030", "1883A003", "188A0030", "", "1883a0030"):
        with pytest.raises(ValueError, match="ingen DeSO-kod"):
            small_areas.check_deso(bad)
    with pytest.raises(ValueError, match="ligger inte i kommun 1082"):
        small_areas.check_deso("1883A0030", "1082")


def test_small_areas_are_merged_into_their_parent_or_left_out():
    counts = {
        "1082C0010": (300, 700),  # shown
        "1082C0020": (3, 10),  # 13 people: protected, merged into R1
        "1082C0030": (4, 12),  # 16: protected, merged into R1 -> R1 has 7 of 29: shown
        "1082A0010": (2, 5),  # protected, no parent: left out
    }
    parents = {"1082C0020": "R1", "1082C0030": "R1"}
    kept, merged, left_out = small_areas.shown_areas(counts, parents)
    assert kept == {"1082C0010": (300, 700), "R1": (7, 22)}
    assert merged == [("1082C0020", "R1"), ("1082C0030", "R1")]
    assert left_out == ["1082A0010"]


def test_a_merged_parent_still_too_small_is_left_out():
    kept, merged, left_out = small_areas.shown_areas(
        {"1082C0020": (1, 5), "1082C0030": (2, 4), "1082C0010": (50, 50)},
        {"1082C0020": "R1", "1082C0030": "R1"},
    )
    assert kept == {"1082C0010": (50, 50)} and merged == []
    assert left_out == ["1082C0020", "1082C0030"]


def test_indices_over_time_from_counts_worked_out_by_hand():
    # 2020: two areas of (foreign, native) (100, 10) and (100, 200); G = 200, O = 210:
    #   D = ½(|100/200 − 10/210| + |100/200 − 200/210|) = ½ − 10/210 = 19/42
    #   isolation = ½·(100/110) + ½·(100/300) = 41/66, exposure = 1 − 41/66 = 25/66
    # 2021: the same share everywhere: D = 0, H = 0, isolation = overall share 1/3.
    # (An area of only foreign-born, e.g. (100, 0), would be protected: its 0 native-born
    # could be told. See test_small_areas_are_merged_into_their_parent_or_left_out.)
    years = small_areas.indices_over_time(
        {
            2021: {"1082C0010": (50, 100), "1082C0020": (50, 100)},
            2020: {"1082C0010": (100, 10), "1082C0020": (100, 200)},
        }
    )
    assert [y.year for y in years] == [2020, 2021]
    assert years[0].values["dissimilarity"] == pytest.approx(19 / 42)
    assert years[0].values["isolation"] == pytest.approx(41 / 66)
    assert years[0].values["exposure"] == pytest.approx(25 / 66)
    assert years[1].values["dissimilarity"] == pytest.approx(0.0)
    assert years[1].values["theil_h"] == pytest.approx(0.0)
    assert years[1].values["isolation"] == pytest.approx(1 / 3)
    assert years[0].areas == 2 and years[0].left_out == []


def test_a_year_where_no_area_may_be_shown_has_no_values():
    (year,) = small_areas.indices_over_time({2020: {"1082A0010": (2, 5)}})
    assert year.values == {name: None for name in small_areas.INDICES}
    assert year.left_out == ["1082A0010"]


def test_every_index_has_its_meaning_in_plain_swedish():
    assert set(small_areas.MEANINGS) == set(small_areas.INDICES)
    assert "skulle behöva flytta" in small_areas.MEANINGS["dissimilarity"]


def test_codes_lose_their_division_and_are_told_apart_by_level():
    assert small_areas.plain_code("0114A0010_DeSO2025") == "0114A0010"
    assert small_areas.plain_code("1494R001_RegSO2025") == "1494R001"
    assert small_areas.plain_code("1494R001") == "1494R001"
    assert small_areas.level_of("1494C1010") == "deso"
    assert small_areas.level_of("1494R001") == "regso"
    for other in ("1494", "0014", "0000", "1494R01", "1494X1010"):
        assert small_areas.level_of(other) is None


def test_counts_by_year_need_both_groups_and_keep_to_one_level():
    rows = [
        ("1494C1010", 2024, "utlandsk_bakgrund", 100.0),
        ("1494C1010", 2024, "svensk_bakgrund", 10.0),
        ("1494C1010", 2024, "total", 110.0),  # neither group: ignored
        ("1494C1020", 2024, "utlandsk_bakgrund", 100.4),  # people: rounded
        ("1494C1020", 2024, "svensk_bakgrund", 200.0),
        ("1494C1030", 2024, "utlandsk_bakgrund", 7.0),  # no Swedish-background value
        ("1494C1030", 2024, "svensk_bakgrund", None),
        ("1494R001", 2024, "utlandsk_bakgrund", 207.0),  # a RegSO: the other level
        ("1494R001", 2024, "svensk_bakgrund", 210.0),
        ("1494", 2024, "utlandsk_bakgrund", 207.0),  # the municipality: no level
    ]
    deso = small_areas.counts_by_year(rows, "deso", "utlandsk_bakgrund", "svensk_bakgrund")
    assert deso == {2024: {"1494C1010": (100, 10), "1494C1020": (100, 200)}}
    regso = small_areas.counts_by_year(rows, "regso", "utlandsk_bakgrund", "svensk_bakgrund")
    assert regso == {2024: {"1494R001": (207, 210)}}


def test_the_meanings_name_the_groups_they_are_about():
    words = small_areas.meanings(
        "personer med utländsk bakgrund",
        "personer med svensk bakgrund",
        "en person med utländsk bakgrund",
    )
    assert words["dissimilarity"].startswith("andelen personer med utländsk bakgrund som")
    assert "personer med svensk bakgrund bland grannarna" in words["exposure"]
    assert "där en person med utländsk bakgrund i genomsnitt bor" in words["isolation"]
    assert small_areas.MEANINGS["isolation"].endswith("där en utrikes född i genomsnitt bor")


def test_one_area_gives_no_index_rather_than_a_zero():
    (year,) = small_areas.indices_over_time({2024: {"0683C1010": (60, 600)}})
    assert year.areas == 1 and year.values == {name: None for name in small_areas.INDICES}


def test_a_share_from_counts_by_group_uses_the_total_else_the_sum_and_hides_small_areas():
    rows = [
        # The table's total wins over the sum of the groups (301, not 300).
        ("1494C1010", 2024, "sysselsatta", 150.0),
        ("1494C1010", 2024, "ej_sysselsatta", 150.0),
        ("1494C1010", 2024, "total", 301.0),
        # No total: the sum of every group (30 of 30 + 70).
        ("1494C1020", 2024, "sysselsatta", 30.0),
        ("1494C1020", 2024, "ej_sysselsatta", 70.0),
        # A total SCB does not give: the sum again.
        ("1494R001", 2024, "sysselsatta", 180.0),
        ("1494R001", 2024, "ej_sysselsatta", 220.0),
        ("1494R001", 2024, "total", None),
        # 20 people: hidden by the rule; 3 without the property: hidden too.
        ("1494A0010", 2024, "sysselsatta", 15.0),
        ("1494A0010", 2024, "total", 20.0),
        ("1494A0020", 2024, "sysselsatta", 97.0),
        ("1494A0020", 2024, "total", 100.0),
        # A group missing and no total: no share at all, not one read with a 0.
        ("1494A0030", 2024, "sysselsatta", 40.0),
        ("1494A0030", 2024, "ej_sysselsatta", None),
        ("1494A0040", 2024, "ej_sysselsatta", 40.0),
        ("1494", 2024, "sysselsatta", 5000.0),  # not a small area
    ]
    assert small_areas.group_shares(rows, "sysselsatta") == {
        2024: {
            "1494C1010": 49.8,
            "1494C1020": 30.0,
            "1494R001": 45.0,
            "1494A0010": None,
            "1494A0020": None,
        }
    }


def test_the_municipality_of_a_small_area_code():
    assert small_areas.kommun_of("1494C1020") == "1494"
    assert small_areas.kommun_of("1494R001") == "1494"
    assert [small_areas.kommun_of(c) for c in ("1494", "0000", "0014", "", None)] == [None] * 5
