"""The offline demo's example statistics: complete, flagged, deterministic, idempotent."""

import io

import pytest

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
        for kommun in ("1082", "1494"):
            years = {o.period for o in rows if o.area == kommun}
            if indicator_id == "valdeltagande-kommunval":
                assert years == {2014, 2018, 2022}
            else:
                assert years == set(range(2012, 2026)), (indicator_id, kommun)


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
