"""The area types' pure helpers: types read from stored rows, residents per type, changes."""

import pytest

from lagesbild.analysis import area_types


def test_residents_are_summed_per_type_and_an_area_without_a_count_is_reported():
    types = {"1494R001": 1, "1494R002": 4, "1494R003": 4, "1494R004": 2}
    residents = {"1494R001": 410.0, "1494R002": 68, "1494R004": 1200}
    assert area_types.residents_by_type(types, residents) == {
        1: (1, 410, 0),
        2: (1, 1200, 0),
        3: (0, 0, 0),
        4: (2, 68, 1),  # 1494R003 has no count: counted as an area, not as 0 residents
        5: (0, 0, 0),
    }


def test_types_by_year_reads_whole_types_and_rejects_anything_else():
    rows = [("1494R001", 2023, "total", 2.0), ("1494R001", 2024, "total", 1.0)]
    rows.append(("1494R002", 2024, "total", None))  # an empty cell is skipped
    assert area_types.types_by_year(rows) == {2023: {"1494R001": 2}, 2024: {"1494R001": 1}}
    for bad in (0, 6, 2.5):
        with pytest.raises(ValueError, match="ingen områdestyp"):
            area_types.types_by_year([("1494R001", 2024, "total", bad)])


def test_changes_lists_the_areas_whose_type_differs_between_two_years():
    by_year = {2020: {"A": 2, "B": 4, "C": 3}, 2024: {"A": 1, "B": 4}}
    assert area_types.changes(by_year, 2020, 2024) == [("A", 2, 1)]
    assert area_types.changes(by_year, 2024, 2024) == []


def test_five_types_each_with_a_name_and_a_threshold():
    assert sorted(area_types.AREA_TYPES) == sorted(area_types.THRESHOLDS) == [1, 2, 3, 4, 5]
    assert area_types.CHALLENGES == (1, 2)
