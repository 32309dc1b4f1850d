"""Contract tests: the clients against real recorded SCB answers and documented Kolada shapes,
served from 127.0.0.1; and a whole `lagesbild fetch` against them."""

import pytest
from django.core.management import call_command

from lagesbild.stats import catalogue, queries
from lagesbild.stats.fetch import fetch, policy_indicators
from lagesbild.stats.models import MunicipalityGroup, Observation, Snapshot
from lagesbild.stats.pxweb import PxWebClient, parse_jsonstat2
from tests.stats.conftest import load_policies
from tests.stats.fakeserver import (
    FakeServer,
    add_scb,
    kolada_value,
    recorded,
    reply,
)


@pytest.fixture
def scb_recorded(fast_retries):
    """SCB's recorded config and TAB6471 metadata; the recorded data for its own selection."""
    meta = recorded("TAB6471_metadata.json")
    data = recorded("TAB6471_data.json")
    fake = add_scb(FakeServer().start(), {"TAB6471": meta})
    yield fake, meta, data
    fake.stop()


def recorded_selection(data):
    return {d: list(data["dimension"][d]["category"]["index"]) for d in data["id"]}


def test_parse_keeps_codes_labels_and_every_value_of_the_recorded_table():
    data = recorded("TAB6471_data.json")
    cells = parse_jsonstat2(data, "TAB6471")
    assert len(cells) == len(data["value"]) == 21 * 11 * 3 * 1 * 4
    first = cells[0]
    assert first.codes == {
        "Region": "01",
        "Alder": "0-9",
        "Kon": "TotSa",
        "ContentsCode": "000007SF",
        "Tid": "2026M01",
    }
    assert first.labels["Region"] == "Stockholms län"
    assert first.value == data["value"][0]
    # Blekinge län (10), 20–29 år, kvinnor, 2026M04: position from json-stat2's row-major order
    dims = [data["dimension"][d]["category"]["index"] for d in data["id"]]
    i = (((dims[0]["10"] * 11 + dims[1]["20-29"]) * 3 + dims[2]["2"]) * 1 + 0) * 4 + dims[4][
        "2026M04"
    ]
    blekinge = next(
        c
        for c in cells
        if c.codes["Region"] == "10"
        and c.codes["Alder"] == "20-29"
        and c.codes["Kon"] == "2"
        and c.codes["Tid"] == "2026M04"
    )
    assert blekinge.value == data["value"][i]
    assert blekinge.labels["Kon"] == "kvinnor"


def test_status_flags_are_kept():
    data = recorded("TAB6471_data.json")
    data["status"] = {"5": "..", "7": "B"}
    data["value"][5] = None
    cells = parse_jsonstat2(data, "TAB6471")
    assert (cells[5].status, cells[5].value) == ("..", None)
    assert cells[7].status == "B" and cells[0].status == ""


def test_client_reads_config_and_recorded_metadata(scb_recorded):
    fake, meta, _ = scb_recorded
    client = PxWebClient(base_url=f"{fake.url}/scb")
    assert client.config()["maxDataCells"] == 150000
    assert client.api_version == "2.2.0"
    got = client.metadata("TAB6471")
    assert got["id"] == ["Region", "Alder", "Kon", "ContentsCode", "Tid"]
    assert got["dimension"]["Region"]["category"]["label"]["10"] == "Blekinge län"


def test_recorded_selection_round_trips(scb_recorded):
    """POSTing the recorded answer's selection gives the same cells as the recorded file."""
    fake, meta, data = scb_recorded
    values = {tuple(c.codes.values()): c.value for c in parse_jsonstat2(data)}
    fake.routes.clear()
    add_scb(fake, {"TAB6471": meta}, value=lambda codes: values[tuple(codes.values())])
    client = PxWebClient(base_url=f"{fake.url}/scb")
    [page] = client.data("TAB6471", recorded_selection(data))
    assert [(c.codes, c.value) for c in page.cells] == [
        (c.codes, c.value) for c in parse_jsonstat2(data)
    ]
    assert fake.posted[-1] == ("TAB6471", recorded_selection(data))
    assert "outputFormat=json-stat2" in fake.log[-1][1]


def test_selection_over_the_cell_limit_is_split(scb_recorded):
    fake, meta, _ = scb_recorded
    config = {**recorded("config.json"), "maxDataCells": 1000}
    fake.routes.clear()
    add_scb(fake, {"TAB6471": meta}, config=config)
    client = PxWebClient(base_url=f"{fake.url}/scb", sleep=lambda s: None)
    regions = list(meta["dimension"]["Region"]["category"]["index"])[:100]
    selection = {
        "Region": regions,
        "Alder": ["TotSA"],
        "Kon": ["TotSa", "1", "2"],
        "ContentsCode": ["000007SF"],
        "Tid": ["2026M01", "2026M02", "2026M03", "2026M04"],
    }
    pages = client.data("TAB6471", selection)
    assert len(pages) == 2  # 12 cells per region: 83 regions fit in 1000 cells
    assert all(len(p.cells) <= 1000 for p in pages)
    assert sum(len(p.cells) for p in pages) == 100 * 3 * 4
    assert len({tuple(c.codes.values()) for p in pages for c in p.cells}) == 1200


def test_call_window_from_config_is_honoured(scb_recorded):
    """config says 3 calls per 1 s: the fourth call within a second waits for the window."""
    fake, meta, _ = scb_recorded
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(round(seconds, 3))
        now[0] += seconds

    client = PxWebClient(base_url=f"{fake.url}/scb", sleep=sleep, clock=lambda: now[0])
    for _ in range(4):
        client.metadata("TAB6471")
    assert waits == [1.0]


@pytest.mark.django_db
def test_fetch_stores_every_indicator_with_provenance(fake_sources, capsys):
    load_policies()
    call_command("fetch", "--kommun", "1082", "--years", "2020-2024")
    out = capsys.readouterr().out
    assert "0 fel" in out and "anrop" in out
    ids = [
        i for i in catalogue.indicator_ids() if catalogue.indicator(i)["source"]["kind"] != "local"
    ]
    comp = queries.comparison_areas("1082")
    assert comp["group_id"] == "G37418"
    assert MunicipalityGroup.objects.get().group_id == "G37418"
    # Kolada values are the fake server's known rule, per KPI, area, year and sex
    [o] = [
        o
        for o in queries.observations(["sysselsattning-20-64"], ["1082"], [2023])
        if o.group == "utrikes_fodda" and o.sex == "K"
    ]
    assert o.value == kolada_value("N02268", "1082", 2023, "K") and not o.example
    small = {i for i in ids if catalogue.indicator(i).get("level") == "small_areas"}
    for indicator_id in set(policy_indicators("1082")) & set(ids) - small:
        for area in ("1082", "0000", *comp["group_members"]):
            assert queries.provenance([indicator_id], [area]), (indicator_id, area)
    # A small-area indicator has its values per DeSO and RegSO, not for the municipality.
    for indicator_id in set(policy_indicators("1082")) & small:
        deso = sorted(queries.small_area_rows(indicator_id, "1082"))
        assert deso and all(r[0].startswith("1082") for r in deso), indicator_id
        assert queries.provenance([indicator_id], [deso[0][0]]), indicator_id
    provs = queries.provenance(["sysselsattning-vistelsetid"], ["1082", "0010", "0000"])
    assert {p["source_ref"] for p in provs} == {"TAB6383", "TAB6384", "TAB6379"}
    assert all(p["url"].startswith(fake_sources.url) and p["api_version"] == "2.2.0" for p in provs)
    assert all(len(p["checksum"]) == 64 for p in provs)
    vistelse = queries.observations(["sysselsattning-vistelsetid"], ["1082"], [2023])
    assert {o.group for o in vistelse} == {
        "inrikes_fodda",
        "vistelsetid-0-1",
        "vistelsetid-2-3",
        "vistelsetid-4-9",
        "vistelsetid-10-",
    }
    assert {o.sex for o in vistelse} == {"T", "K", "M"}
    # the selection sent to SCB: codes from the catalogue, the rest found by label
    table, selection = fake_sources.posted[0]
    assert selection["UtbNiv"] == ["TOT"] and selection["ContentsCode"] == ["X1"]


@pytest.mark.django_db
def test_refetch_is_idempotent_and_revised_values_keep_history(settings, fast_retries):
    load_policies()
    from tests.stats.fakeserver import full_fake

    fake = full_fake()
    settings.KOLADA_URL, settings.SCB_URL = f"{fake.url}/kolada", f"{fake.url}/scb"
    try:
        first = fetch("1082", range(2022, 2024))
        rows = Observation.objects.count()
        second = fetch("1082", range(2022, 2024))
        assert (second.counts.new, second.counts.changed) == (0, 0)
        assert second.counts.unchanged == first.counts.new
        assert Observation.objects.count() == rows
        # Kolada revises one KPI: only its values change, the old ones stay as history
        fake.routes.clear()
        from tests.stats.fakeserver import add_kolada

        add_kolada(
            fake, value=lambda k, m, y, g: kolada_value(k, m, y, g) + (0.5 if k == "N00957" else 0)
        )
        from tests.stats.fakeserver import add_scb, integration_table_meta

        add_scb(
            fake,
            {
                t: integration_table_meta(t, r)
                for t, r in (
                    ("TAB6383", ["1082", "0586", "0882", "1266", "1267", "1491", "1493", "2184"]),
                    ("TAB6384", ["10"]),
                    ("TAB6379", ["00"]),
                )
            },
        )
        third = fetch("1082", range(2022, 2024))
        changed = Observation.objects.filter(current=False)
        assert third.counts.changed == changed.count() > 0
        assert set(changed.values_list("indicator", flat=True)) == {"ohalsotal"}
        assert Snapshot.objects.filter(source="kolada").count() > 0
    finally:
        fake.stop()


def test_kolada_error_status_is_not_retried(fake_sources):
    from lagesbild.stats.http import SourceError
    from lagesbild.stats.kolada import KoladaClient

    fake_sources.fault(r"/kolada/data", reply(404, {"error": "unknown kpi"}))
    with pytest.raises(SourceError, match="HTTP 404"):
        KoladaClient().data(["N99999"], ["1082"], [2023])
    assert len([p for _, p in fake_sources.log if "/data/" in p]) == 1
