"""The indicator catalogue against the real Kolada KPI catalogue and the shipped policies."""

import csv
from pathlib import Path

import pytest

from lagesbild.policy.document import parse_policy
from lagesbild.stats import catalogue

POLICIES = Path(__file__).resolve().parents[2] / "policies"
THEMES = {"utbildning", "sprak", "arbete", "halsa", "demokrati", "boende", "social-integration"}


@pytest.fixture(scope="module")
def kolada_kpis():
    from tests.conftest import SHARED_DATA

    with (SHARED_DATA / "kolada" / "kpi_catalog.csv").open(encoding="utf-8", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def test_every_kolada_id_exists_with_the_same_title(kolada_kpis):
    checked = 0
    for entry in catalogue.load_catalogue().values():
        for kpi in entry["source"].get("kpis", []):
            assert kpi["id"] in kolada_kpis, f"{entry['id']}: {kpi['id']} not in Kolada"
            assert kpi["title"] == kolada_kpis[kpi["id"]]["title"], entry["id"]
            checked += 1
    assert checked >= 15


def test_sex_breakdown_only_where_kolada_divides_by_gender(kolada_kpis):
    for entry in catalogue.load_catalogue().values():
        kpis = entry["source"].get("kpis", [])
        if kpis and "sex" in entry["breakdowns"]:
            for kpi in kpis:
                assert kolada_kpis[kpi["id"]]["is_divided_by_gender"] == "True", kpi["id"]


def test_every_policy_theme_has_an_indicator():
    themes = {e["theme"] for e in catalogue.load_catalogue().values()}
    assert themes == THEMES


def test_themes_without_an_official_birth_split_say_so():
    for entry in catalogue.load_catalogue().values():
        if entry["birth_split"] == "none":
            assert "ingen" in entry["note"].lower(), entry["id"]
    health = [e for e in catalogue.load_catalogue().values() if e["theme"] == "halsa"]
    assert any(e["birth_split"] == "none" for e in health)
    assert any(e["source"]["kind"] == "local" for e in health)


def test_entries_have_both_languages_and_a_known_direction():
    for entry in catalogue.load_catalogue().values():
        assert entry["title"]["sv"] and entry["title"]["en"]
        assert entry["better"] in ("higher", "lower", "none")
        assert entry["disclosure"]


def test_labour_market_entries_name_the_rams_bas_break():
    entry = catalogue.indicator("sysselsattning-20-64")
    assert [b["year"] for b in entry["series_breaks"]] == [2022]
    assert "BAS" in entry["series_breaks"][0]["note"]


def test_indicator_raises_for_an_unknown_id():
    with pytest.raises(KeyError):
        catalogue.indicator("finns-inte")


@pytest.mark.parametrize("path", sorted(POLICIES.glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_policies_refer_to_catalogue_ids_for_every_area(path):
    data, problems = parse_policy(
        path.read_text(encoding="utf-8"), path.name, known_indicators=catalogue.indicator_ids()
    )
    assert problems == []
    for area in data["areas"]:
        assert area["indicators"], area["id"]


def test_policy_check_rejects_an_unknown_indicator():
    text = (POLICIES / "karlshamn-integration-2026-2029.yaml").read_text(encoding="utf-8")
    text = text.replace("- ohalsotal", "- ohalsotal-finns-inte", 1)
    _, problems = parse_policy(text, "k.yaml", known_indicators=catalogue.indicator_ids())
    assert any("ohalsotal-finns-inte" in p.message for p in problems)
