"""The offline demo's example statistics: complete, flagged, deterministic, idempotent."""

import io

import pytest

from lagesbild.analysis import small_areas
from lagesbild.stats import catalogue, example, queries
from lagesbild.stats.demo import load_demo
from lagesbild.stats.models import Observation, Snapshot

pytestmark = pytest.mark.django_db


def test_generator_is_deterministic():
    assert example.generate() == example.generate()
    assert example.generate(seed=1) != example.generate()


def test_every_indicator_has_values_for_both_municipalities_2012_to_2025():
    data = example.generate()
    assert set(data) == catalogue.indicator_ids()
    for indicator_id, rows in data.items():
        small = catalogue.indicator(indicator_id).get("level") == "small_areas"
        for kommun in ("1082", "1494"):
            # A small-area indicator has values for the municipality's own areas instead.
            years = {o.period for o in rows if (o.area[:4] if small else o.area) == kommun}
            if indicator_id == "valdeltagande-kommunval":
                assert years == {2014, 2018, 2022}
            else:
                assert years == set(range(2012, 2026)), (indicator_id, kommun)


def test_example_small_areas_are_the_municipalitys_own_and_add_up_to_their_regso():
    rows = example.generate()["befolkning-deso-bakgrund"]
    assert all(o.example and o.sex == "T" for o in rows)
    for kommun in ("1082", "1494"):
        mine = [o for o in rows if o.area.startswith(kommun)]
        deso = {o.area for o in mine if small_areas.level_of(o.area) == "deso"}
        regso = {o.area for o in mine if small_areas.level_of(o.area) == "regso"}
        assert len(deso) == len(example.EXAMPLE_AREAS) and len(regso) == 4
        value = {(o.area, o.period, o.group): o.value for o in mine}
        for area in deso | regso:  # total = the two groups, every year
            for year in range(2012, 2026):
                assert value[(area, year, "total")] == (
                    value[(area, year, "utlandsk_bakgrund")]
                    + value[(area, year, "svensk_bakgrund")]
                )
        total_deso = sum(value[(a, 2025, "total")] for a in deso)
        assert total_deso == sum(value[(r, 2025, "total")] for r in regso)
    # One rural area is so small that SCB's rule hides its share in every year.
    tiny = [o for o in rows if o.area == "1494A0010" and o.group == "utlandsk_bakgrund"]
    assert tiny and all(o.value <= 5 for o in tiny)


def test_comparison_areas_are_covered():
    rows = example.generate()["sysselsattning-20-64"]
    areas = {o.area for o in rows}
    for kommun in ("1082", "1494"):
        comp = queries.comparison_areas(kommun)
        assert {kommun, comp["county"], comp["riket"], *comp["group_members"]} <= areas


def test_percentages_stay_between_0_and_100():
    for indicator_id, rows in example.generate().items():
        if catalogue.indicator(indicator_id)["unit"] == "procent":
            assert all(0 < o.value < 100 for o in rows), indicator_id


def test_demo_load_is_flagged_and_idempotent():
    out = io.StringIO()
    load_demo(out)
    count = Observation.objects.count()
    snapshots = Snapshot.objects.count()
    assert count > 10000
    assert not Observation.objects.filter(example=False).exists()
    assert not Snapshot.objects.filter(example=False).exists()
    load_demo(out)
    assert (Observation.objects.count(), Snapshot.objects.count()) == (count, snapshots)
    assert "Exempeldata – inte officiell statistik" in out.getvalue()
    obs = queries.observations(["sysselsattning-20-64"], ["1082"])
    assert obs and all(o.example for o in obs)
