"""The store: idempotent re-saves, history of revised values, example flags, queries."""

import pytest

from lagesbild.analysis.observations import FOREIGN_BORN, NATIVE_BORN
from lagesbild.analysis.observations import Observation as Obs
from lagesbild.stats import queries
from lagesbild.stats.models import Observation, Snapshot
from lagesbild.stats.store import Batch, save

pytestmark = pytest.mark.django_db


def obs(value, group=FOREIGN_BORN, area="1082", period=2023, sex="T"):
    return Obs("sysselsattning-20-64", area, period, group, sex, value, unit="procent")


def batch(*rows, example=False, content="raw"):
    return Batch("kolada", "N02268,N02269", "http://k/data", content, list(rows), example=example)


def test_saving_the_same_values_twice_changes_nothing():
    first = save([batch(obs(61.0), obs(84.0, NATIVE_BORN))])
    second = save([batch(obs(61.0), obs(84.0, NATIVE_BORN))])
    assert (first.new, first.changed, first.unchanged) == (2, 0, 0)
    assert (second.new, second.changed, second.unchanged) == (0, 0, 2)
    assert Observation.objects.count() == 2


def test_a_revised_value_keeps_the_old_one_as_history():
    save([batch(obs(61.0))])
    counts = save([batch(obs(62.5))])
    assert counts.changed == 1
    rows = Observation.objects.order_by("id")
    assert [(r.value, r.current) for r in rows] == [(61.0, False), (62.5, True)]
    assert rows[0].replaced_at is not None
    assert [o.value for o in queries.observations("sysselsattning-20-64", ["1082"])] == [62.5]


def test_unchanged_values_point_at_the_newest_snapshot():
    save([batch(obs(61.0), content="a")])
    save([batch(obs(61.0), content="b")])
    newest = Snapshot.objects.order_by("-id").first()
    [prov] = queries.provenance(["sysselsattning-20-64"], ["1082"])
    assert prov["checksum"] == newest.checksum
    assert prov["fetched_at"] == newest.fetched_at


def test_example_values_do_not_replace_real_ones_when_asked():
    save([batch(obs(61.0))])
    counts = save([batch(obs(50.0), example=True)], keep_real=True)
    assert counts.kept_real == 1
    [o] = queries.observations(["sysselsattning-20-64"], ["1082"])
    assert (o.value, o.example) == (61.0, False)
    [prov] = queries.provenance(["sysselsattning-20-64"], ["1082"])
    assert prov["source"] == "kolada" and prov["example"] is False


def test_a_real_value_replaces_an_example_value():
    save([batch(obs(50.0), example=True)])
    save([batch(obs(50.0))])
    [o] = queries.observations(["sysselsattning-20-64"], ["1082"])
    assert o.example is False
    assert Observation.objects.filter(current=False, example=True).count() == 1


def test_a_real_series_ends_the_example_years_the_source_does_not_have():
    """The demo has 2025; the source ends in 2024. Left behind, the example 2025 would be the
    series' latest value and hide the real ones (a report shows one kind per series)."""
    save([batch(obs(50.0, period=2024), obs(51.0, period=2025), example=True),
          batch(obs(70.0, area="0000", period=2025), example=True)])  # fmt: skip
    counts = save([batch(obs(61.0, period=2023), obs(62.0, period=2024))])
    assert (counts.new, counts.changed, counts.example_ended) == (1, 1, 1)
    got = queries.observations(["sysselsattning-20-64"], ["1082", "0000"])
    assert [(o.area, o.period, o.value, o.example) for o in got] == [
        ("0000", 2025, 70.0, True),  # another area: not this series, untouched
        ("1082", 2023, 61.0, False),
        ("1082", 2024, 62.0, False),
    ]
    ended = Observation.objects.get(area="1082", period=2025)
    assert not ended.current and ended.replaced_at is not None  # kept as history
    assert counts.ended_note() == ", 1 exempelvärde i samma serier togs bort"


def test_the_demo_again_after_a_fetch_adds_no_example_year_to_a_real_series():
    save([batch(obs(61.0, period=2024))])
    counts = save([batch(obs(50.0, period=2024), obs(51.0, period=2025), example=True)],
                  keep_real=True)  # fmt: skip
    assert (counts.kept_real, counts.new) == (2, 0)
    got = queries.observations(["sysselsattning-20-64"], ["1082"])
    assert [(o.period, o.example) for o in got] == [(2024, False)]


def test_real_small_area_values_end_the_example_map_of_their_municipality():
    """A municipality's DeSO and RegSO are one map: real values for some of its areas end the
    example values of all of them (the demo's example areas need not exist for real), and
    leave other municipalities, and the municipality's own row, alone."""

    def area(code, value, example_year=2025):
        return Obs("sysselsatta-deso", code, example_year, "sysselsatta", "T", value, unit="antal")

    demo = [area("1494B0010", 1.0), area("1494R002", 2.0), area("0586A0010", 3.0),
            area("1494", 4.0), area("1494A0010", 5.0, 2024)]  # fmt: skip
    save([Batch("example", "demo", "", "demo", demo, example=True)])
    counts = save([Batch("scb", "TAB6680", "", "raw", [area("1494A0010", 40.0, 2024)])])
    assert (counts.changed, counts.example_ended) == (1, 2)  # 1494B0010, 1494R002
    current = {(o.area, o.example) for o in Observation.objects.filter(current=True)}
    assert current == {("1494A0010", False), ("0586A0010", True), ("1494", True)}

    # The demo again: no example area comes back beside the real map; other places still load.
    again = save([Batch("example", "demo", "", "demo2", demo, example=True)], keep_real=True)
    assert (again.kept_real, again.new) == (3, 0)  # 1494B0010, 1494R002, 1494A0010


def test_a_batch_with_a_duplicate_key_writes_nothing():
    save([batch(obs(61.0))])
    before = (Observation.objects.count(), Snapshot.objects.count())
    with pytest.raises(ValueError, match="två gånger"):
        save([batch(obs(70.0), obs(71.0))])
    assert (Observation.objects.count(), Snapshot.objects.count()) == before
    assert queries.observations("sysselsattning-20-64", ["1082"])[0].value == 61.0


def test_observations_filter_by_year_and_area():
    save([batch(obs(1.0, period=2021), obs(2.0, period=2022), obs(3.0, area="0000"))])
    got = queries.observations(["sysselsattning-20-64"], ["1082"], years=[2022])
    assert [(o.area, o.period, o.value) for o in got] == [("1082", 2022, 2.0)]


def test_provenance_names_source_and_reference():
    save([batch(obs(61.0))])
    [prov] = queries.provenance(["sysselsattning-20-64"], ["1082"])
    assert prov["source"] == "kolada"
    assert prov["source_ref"] == "N02268,N02269"
    assert prov["url"] == "http://k/data"
    assert prov["fetched_at"].tzinfo is not None
    assert prov["example"] is False


def test_comparison_areas_of_karlshamn_match_kolada(shared_data):
    import json

    groups = json.loads((shared_data / "kolada" / "municipality_groups.json").read_text())
    want = next(
        g for g in groups if g["title"] == "Liknande kommuner, övergripande, Karlshamn, 2025"
    )
    got = queries.comparison_areas("1082")
    assert got["county"] == "0010"
    assert got["riket"] == "0000"
    assert got["group_id"] == want["id"]
    assert got["group_members"] == sorted(m["id"] for m in want["members"])


def test_comparison_areas_of_lidkoping_match_kolada(shared_data):
    import json

    groups = json.loads((shared_data / "kolada" / "municipality_groups.json").read_text())
    want = next(
        g for g in groups if g["title"].startswith("Liknande kommuner, övergripande, Lidköping")
    )
    got = queries.comparison_areas("1494")
    assert (got["county"], got["group_id"]) == ("0014", want["id"])
    assert got["group_members"] == sorted(m["id"] for m in want["members"])


def test_stored_groups_win_over_offline_ones():
    from django.utils import timezone

    from lagesbild.stats.models import MunicipalityGroup

    MunicipalityGroup.objects.create(
        group_id="G1",
        title="Liknande kommuner, övergripande, Karlshamn, 2026",
        members=["0180"],
        source="test",
        fetched_at=timezone.now(),
    )
    assert queries.comparison_areas("1082")["group_id"] == "G1"


def test_odd_characters_in_text_fields_are_stored_exactly():
    odd = Obs("sysselsattning-20-64", "1082", 2023, "x\\y", "T", -0.5, "pro\tcent", "a\nb\\N")
    save([batch(odd)])
    [o] = queries.observations(["sysselsattning-20-64"], ["1082"])
    assert (o.group, o.unit, o.status, o.value) == ("x\\y", "pro\tcent", "a\nb\\N", -0.5)
