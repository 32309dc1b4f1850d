"""Fault tests: every bad answer ends in a correct retry or a clear error. Each indicator is
stored on its own: the one that failed keeps exactly its last good rows (ids and values
compared before and after) and is marked "inte uppdaterad", every other one is refreshed."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lagesbild.stats.fetch import fetch
from lagesbild.stats.http import JsonHttp, SourceError
from lagesbild.stats.kolada import KoladaClient
from lagesbild.stats.models import IndicatorRefresh, MunicipalityGroup, Observation, Snapshot
from lagesbild.stats.pxweb import PxWebClient
from tests.stats.conftest import load_policies
from tests.stats.fakeserver import FakeServer, add_kolada, reply

pytestmark = pytest.mark.django_db

YEARS = range(2022, 2025)


@pytest.fixture
def policies(db):
    load_policies()


def table_counts():
    return (
        Observation.objects.count(),
        Snapshot.objects.count(),
        MunicipalityGroup.objects.count(),
    )


def current_rows():
    """{indicator: sorted [(id, area, period, group, sex, value)]} of the current rows."""
    rows = {}
    for r in Observation.objects.filter(current=True).values_list(
        "indicator", "id", "area", "period", "group", "sex", "value"
    ):
        rows.setdefault(r[0], []).append(r[1:])
    return {k: sorted(v) for k, v in rows.items()}


@pytest.fixture
def good_data(policies, fake_sources):
    """One successful fetch first, so there is last good data to keep."""
    summary = fetch("1082", YEARS)
    assert not summary.failures
    return current_rows()


def assert_kept(good_data, failed):
    """The failed indicator keeps its rows untouched and is marked stale; the others were
    refreshed by the second fetch (same values, so the same rows, and a successful state)."""
    assert current_rows() == good_data
    states = {r.indicator: r for r in IndicatorRefresh.objects.filter(kommun="1082")}
    assert states[failed].error and states[failed].succeeded_at < states[failed].attempted_at
    others = [i for i in good_data if i != failed]
    assert others, "the policy should have more than one fetched indicator"
    for indicator in others:
        assert states[indicator].error == ""
        assert states[indicator].succeeded_at == states[indicator].attempted_at


def fetch_fails(kommun="1082", **clients):
    summary = fetch(kommun, YEARS, **clients)
    assert summary.failures, "the fetch should have failed"
    return summary


def test_timeout_is_retried_then_succeeds(fake_sources, policies, settings):
    fake_sources.fault(r"/kolada/data/kpi/N02268", "hang")
    kolada = KoladaClient(timeout=0.5)
    summary = fetch("1082", YEARS, kolada=kolada)
    assert not summary.failures
    data_calls = [p for m, p in fake_sources.log if "/data/kpi/N02268" in p]
    assert len(data_calls) == 2


def test_timeouts_every_time_end_in_a_clear_error_and_no_writes(good_data, fake_sources):
    fake_sources.fault(r"/kolada/data/kpi/N02268", *["hang"] * 3)
    summary = fetch_fails(kolada=KoladaClient(timeout=0.3, attempts=3))
    [failure] = summary.failures
    assert failure.indicator == "sysselsattning-20-64"
    assert "Kolada N02268,N02269" in failure.source
    assert "Timeout" in failure.message
    assert_kept(good_data, "sysselsattning-20-64")


def test_429_waits_as_long_as_retry_after_says(fake_sources, policies):
    fake_sources.fault(r"/kolada/data/kpi/N02268", reply(429, {}, headers={"Retry-After": "7"}))
    waits = []
    summary = fetch("1082", YEARS, kolada=KoladaClient(sleep=waits.append))
    assert not summary.failures
    assert waits == [7.0]


def test_429_longer_than_the_time_budget_gives_up_clearly(good_data, fake_sources):
    fake_sources.fault(r"/kolada/data/kpi/N02268", reply(429, {}, headers={"Retry-After": "3600"}))
    summary = fetch_fails(kolada=KoladaClient(sleep=lambda s: None, budget=60))
    assert "tidsgränsen" in summary.failures[0].message
    assert_kept(good_data, "sysselsattning-20-64")


def test_500_is_retried_with_backoff(fake_sources, policies):
    fake_sources.fault(r"/kolada/data/kpi/N02268", reply(500, {}), reply(503, {}))
    waits = []
    summary = fetch("1082", YEARS, kolada=KoladaClient(sleep=waits.append, backoff=1))
    assert not summary.failures
    assert waits == [1, 2]


def test_500_every_time_fails_and_keeps_the_last_good_data(good_data, fake_sources):
    before = list(Observation.objects.filter(current=True).values_list("id", "value"))
    fake_sources.fault(r"/kolada/data/kpi/N02282", *[reply(500, {})] * 5)
    summary = fetch_fails()
    assert [f.indicator for f in summary.failures] == ["arbetsloshet-bas-20-64"]
    assert "HTTP 500" in summary.failures[0].message
    assert_kept(good_data, "arbetsloshet-bas-20-64")
    assert list(Observation.objects.filter(current=True).values_list("id", "value")) == before


@pytest.mark.parametrize(
    "body, words",
    [
        ('{"count": 1, "values": [', "avhuggen"),
        ("{values: nope}", "trasig"),
    ],
    ids=["truncated", "malformed"],
)
def test_bad_json_is_a_clear_error(good_data, fake_sources, body, words):
    fake_sources.fault(r"/kolada/data/kpi/N02268", reply(200, body))
    summary = fetch_fails()
    assert words in summary.failures[0].message
    assert "N02268" in summary.failures[0].message
    assert_kept(good_data, "sysselsattning-20-64")


def test_wrong_content_type_is_a_clear_error(good_data, fake_sources):
    fake_sources.fault(r"/kolada/data/kpi/N02268", reply(200, "<html>", "text/html"))
    summary = fetch_fails()
    assert "text/html i stället för JSON" in summary.failures[0].message
    assert_kept(good_data, "sysselsattning-20-64")


def test_items_in_the_wrong_shape_are_a_clear_error(good_data, fake_sources):
    item = {"kpi": "N02268", "municipality": "1082", "period": "2023", "values": []}
    fake_sources.fault(r"/kolada/data/kpi/N02268", reply(200, {"values": [item], "next_url": None}))
    summary = fetch_fails()
    assert "'period'" in summary.failures[0].message
    assert_kept(good_data, "sysselsattning-20-64")


def test_empty_result_is_a_clear_error(good_data, fake_sources):
    fake_sources.fault(
        r"/kolada/data/kpi/N02268", reply(200, {"count": 0, "values": [], "next_url": None})
    )
    summary = fetch_fails()
    assert "inga värden" in summary.failures[0].message
    assert "N02268,N02269" in summary.failures[0].message
    assert_kept(good_data, "sysselsattning-20-64")


def test_a_looping_next_url_is_detected(good_data, fake_sources):
    loop = f"{fake_sources.url}/kolada/data/kpi/N02268,N02269/loop"

    def looping(match, query, body):
        return reply(200, {"count": 0, "values": [], "next_url": loop})

    fake_sources.route("GET", r"/kolada/data/kpi/N02268,N02269/loop", looping)
    fake_sources.fault(r"/kolada/data/kpi/N02268", reply(200, {"values": [], "next_url": loop}))
    summary = fetch_fails()
    assert "next_url" in summary.failures[0].message
    assert_kept(good_data, "sysselsattning-20-64")


def test_discontinued_scb_table_names_the_table_and_what_to_do(good_data, fake_sources):
    from tests.stats.fakeserver import integration_table_meta

    meta = integration_table_meta("TAB6383", ["1082"])
    meta["extension"]["discontinued"] = True
    fake_sources.fault(r"/scb/tables/TAB6383/metadata", reply(200, meta))
    summary = fetch_fails()
    [failure] = summary.failures
    assert failure.indicator == "sysselsattning-vistelsetid"
    assert "TAB6383" in failure.message and "avslutad" in failure.message
    assert "catalogue.yaml" in failure.message
    assert_kept(good_data, "sysselsattning-vistelsetid")


@pytest.mark.parametrize("status", [400, 404])
def test_removed_scb_table_names_the_table_and_what_to_do(good_data, fake_sources, status):
    fake_sources.fault(r"/scb/tables/TAB6384/metadata", reply(status, {"title": "gone"}))
    summary = fetch_fails()
    assert f"SCB-tabellen TAB6384 svarar HTTP {status}" in summary.failures[0].message
    assert "statistikdatabasen.scb.se" in summary.failures[0].message
    assert_kept(good_data, "sysselsattning-vistelsetid")


def test_fetch_command_exits_non_zero_naming_indicator_and_source(good_data, fake_sources, capsys):
    fake_sources.fault(r"/kolada/data/kpi/N00957", *[reply(502, {})] * 5)
    with pytest.raises(CommandError) as error:
        call_command("fetch", "--kommun", "1082", "--years", "2022-2024")
    assert error.value.returncode == 1
    out, err = capsys.readouterr()
    assert "inte uppdaterad – ohalsotal (Kolada N00957)" in err
    assert "1 indikator uppdaterades inte och behåller sina senaste värden" in str(error.value)
    # Karlshamn's 14 and the 3 measures its housing-segregation section draws as maps.
    assert "16 av 17 indikatorer uppdaterade" in out
    assert_kept(good_data, "ohalsotal")


def test_without_a_network_the_fetch_says_so_once_and_quickly(policies, settings, capsys):
    """A refused connection is what a machine without a network meets: one line, before any
    indicator is tried, and nothing is written."""
    server = FakeServer().start()
    settings.KOLADA_URL = f"{server.url}/kolada"
    settings.SCB_URL = f"{server.url}/scb"
    server.stop()
    with pytest.raises(CommandError) as error:
        call_command("fetch", "--kommun", "1082", "--years", "2022-2024")
    err = capsys.readouterr().err
    assert err.count("kommer inte åt 127.0.0.1") == 1
    assert "ConnectError" in err
    assert error.value.returncode == 1
    assert (
        str(error.value)
        == "Hämtningen misslyckades; ingenting skrevs och tidigare data finns kvar."
    )
    assert table_counts() == (0, 0, 0)
    assert not IndicatorRefresh.objects.exists()


def test_a_missing_policy_is_an_error_not_an_empty_fetch(db, fake_sources, capsys):
    with pytest.raises(CommandError, match="Hämtningen misslyckades; ingenting skrevs"):
        call_command("fetch", "--kommun", "1082")
    assert "ingen gällande policy med indikatorer" in capsys.readouterr().err
    assert fake_sources.log == [], "nothing may be requested without a policy"


def test_retry_after_as_http_date_is_understood():
    import email.utils
    import time

    import httpx

    from lagesbild.stats.http import _retry_after

    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    wait = _retry_after(httpx.Response(429, headers={"Retry-After": when}))
    assert 25 <= wait <= 31


def test_connection_refused_is_a_clear_error():
    server = FakeServer().start()
    url = server.url
    server.stop()
    http = JsonHttp("Kolada", attempts=2, sleep=lambda s: None)
    with pytest.raises(SourceError, match="ConnectError"):
        http.get(f"{url}/x")


def test_kolada_keeps_id_lists_to_25_and_follows_pages():
    fake = add_kolada(FakeServer().start(), per_page=10)
    try:
        client = KoladaClient(base_url=f"{fake.url}/kolada")
        kpis = [f"N{i:05d}" for i in range(30)]
        pages = client.data(kpis, ["1082"], [2023])
        assert sum(len(p.items) for p in pages) == 30
        paths = [p for _, p in fake.log]
        assert all(len(p.split("/kpi/")[1].split("/")[0].split(",")) <= 25 for p in paths)
        assert any("page=2" in p for p in paths)
        assert all("per_page=" in p for p in paths)
    finally:
        fake.stop()


def test_scb_data_that_is_not_json_stat2_is_a_clear_error(fake_sources):
    from lagesbild.stats.pxweb import parse_jsonstat2

    with pytest.raises(SourceError, match="json-stat2"):
        parse_jsonstat2({"value": [1]}, "TAB1")
    doc = json.loads(
        json.dumps(
            {
                "id": ["A"],
                "size": [2],
                "dimension": {"A": {"category": {"index": {"a": 0, "b": 1}}}},
                "value": [1],
            }
        )
    )
    with pytest.raises(SourceError, match="ska ha 2 värden"):
        parse_jsonstat2(doc, "TAB1")


def test_pxweb_config_without_limits_is_refused(fake_sources):
    fake_sources.fault(r"/scb/config", reply(200, {"apiVersion": "2"}))
    with pytest.raises(SourceError, match="maxDataCells"):
        PxWebClient().config()
