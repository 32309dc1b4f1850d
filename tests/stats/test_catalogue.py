"""The indicator catalogue against the real Kolada KPI catalogue and the shipped policies."""

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lagesbild.policy.document import parse_policy
from lagesbild.stats import catalogue

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "policies"
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
    with pytest.raises(KeyError, match="unknown indicator 'finns-inte'"):
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


# Every Kolada KPI pair at municipal level (K or A) that splits one measure by utrikes/inrikes
# födda, found by searching the titles of kpi_catalog.csv (2026): (foreign-born, native-born).
KOLADA_BIRTH_PAIRS = {
    ("N02268", "N02269"),  # sysselsättningsgrad 20-64
    ("N02282", "N02281"),  # arbetslöshet BAS
    ("N02284", "N02283"),  # arbetskraftsdeltagande BAS
    ("U65861", "U65860"),  # röstade i kommunfullmäktigevalet
}
PAIR_GROUPS = {
    "utrikes_fodda": ("inrikes_fodda", "utrikes", "inrikes"),
    "utlandsk_bakgrund": ("svensk_bakgrund", "utländsk", "svensk"),
}


def catalogue_pairs():
    """(first KPI id, counterpart KPI id, first title, counterpart title) of every entry that
    compares two groups of the same measure."""
    pairs = []
    for entry in catalogue.load_catalogue().values():
        kpis = {k["group"]: k for k in entry["source"].get("kpis", [])}
        for group, (other, _, _) in PAIR_GROUPS.items():
            if group in kpis and other in kpis:
                pairs.append((kpis[group], kpis[other], group))
    return pairs


def test_every_kolada_id_is_a_municipal_kpi(kolada_kpis):
    for entry in catalogue.load_catalogue().values():
        for kpi in entry["source"].get("kpis", []):
            assert kolada_kpis[kpi["id"]]["municipality_type"] in ("K", "A"), kpi["id"]


def test_each_pair_names_the_matching_group_in_kolada_titles(kolada_kpis):
    pairs = catalogue_pairs()
    assert len(pairs) == 4
    for first, second, group in pairs:
        _, word, other_word = PAIR_GROUPS[group]
        assert word in kolada_kpis[first["id"]]["title"].lower(), first["id"]
        assert other_word in kolada_kpis[second["id"]]["title"].lower(), second["id"]
        assert other_word not in kolada_kpis[first["id"]]["title"].lower(), first["id"]
        assert word not in kolada_kpis[second["id"]]["title"].lower(), second["id"]


def test_the_catalogue_holds_every_birth_pair_kolada_publishes_per_municipality(kolada_kpis):
    """Searched again in the real catalogue: swap the group word in each title and look for the
    counterpart. A new pair in Kolada makes this fail until it is added to the catalogue."""
    titles = {
        row["title"]: kpi_id
        for kpi_id, row in kolada_kpis.items()
        if row["municipality_type"] in ("K", "A")
    }
    swaps = [("utrikes föd", "inrikes föd"), ("Utrikes föd", "Inrikes föd")]
    swaps += [("utländsk bakgrund", "svensk bakgrund"), ("Utländsk bakgrund", "Svensk bakgrund")]
    found = set()
    for title, kpi_id in titles.items():
        for word, other in swaps:
            if word in title and other.lower() not in title.lower():
                counterpart = titles.get(title.replace(word, other))
                if counterpart:
                    found.add((kpi_id, counterpart))
    assert found == KOLADA_BIRTH_PAIRS
    in_catalogue = {(first["id"], second["id"]) for first, second, _ in catalogue_pairs()}
    assert in_catalogue == KOLADA_BIRTH_PAIRS


def test_every_entry_names_one_of_the_six_skr_areas_and_all_six_are_covered():
    areas = {e["skr_area"] for e in catalogue.load_catalogue().values()}
    assert areas == {
        "mottagande",
        "sfi",
        "etablering",
        "arbete-studier",
        "demografi-boende",
        "representation",
    }


def test_catalogue_without_an_skr_area_is_refused():
    entry = dict(catalogue.indicator("ohalsotal"))
    del entry["skr_area"]
    with pytest.raises(catalogue.CatalogueError, match="field 'skr_area' is missing"):
        catalogue._check(entry, 3)
    entry["skr_area"] = "halsa"
    with pytest.raises(catalogue.CatalogueError, match=r"indicators\[3\]\.skr_area: one of"):
        catalogue._check(entry, 3)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("map_breaks", [50, 60, 70], "four rising percentages"),
        ("map_breaks", [50, 70, 60, 80], "four rising percentages"),
        ("map_breaks", [0, 10, 20, 30], "four rising percentages"),
        ("share", "sysselsatta", "only for counts per small area"),
    ],
)
def test_map_classes_and_shares_are_checked(field, value, message):
    entry = dict(catalogue.indicator("lag-ekonomisk-standard-deso"))  # a share, in percent
    catalogue._check(entry, 7)
    entry[field] = value
    with pytest.raises(catalogue.CatalogueError, match=rf"indicators\[7\]\.{field}: {message}"):
        catalogue._check(entry, 7)


@pytest.mark.parametrize(
    "ending, unit",
    [("andel (%)", "procent"), (", antal", "antal"), ("kr/inv", "kronor"), (", dagar", "dagar")],
)
def test_units_follow_the_kolada_titles(ending, unit):
    checked = 0
    for entry in catalogue.load_catalogue().values():
        titles = [k["title"] for k in entry["source"].get("kpis", [])]
        if titles and all(t.endswith(ending) for t in titles):
            assert entry["unit"] == unit, entry["id"]
            checked += 1
    assert checked >= 1


def test_entries_with_bas_in_the_kolada_title_name_the_2022_break():
    bas = [
        e
        for e in catalogue.load_catalogue().values()
        if any("(BAS)" in k["title"] for k in e["source"].get("kpis", []))
    ]
    assert sorted(e["id"] for e in bas) == [
        "arbetskraftsdeltagande-bas-20-64",
        "arbetsloshet-bas-20-64",
    ]
    for entry in bas:
        assert [b["year"] for b in entry["series_breaks"]] == [2022], entry["id"]


def test_new_entries_have_the_direction_and_unit_chosen_for_them():
    expected = {
        "kommunmottagna-antal": ("antal", "none", "mottagande"),
        "kommunmottagna-per-1000-inv": ("per 1 000 invånare", "none", "mottagande"),
        "nettokostnad-flyktingmottagande": ("kronor", "none", "mottagande"),
        "sfi-arbetar-aret-efter": ("procent", "higher", "sfi"),
        "sfi-nettokostnad": ("kronor", "none", "sfi"),
        "etablering-borjat-arbeta": ("procent", "higher", "etablering"),
        "flyktingar-20-25-varken-arbete-eller-studier": ("procent", "lower", "arbete-studier"),
        "forsorjningsstod-flyktingar-20-64": ("procent", "lower", "arbete-studier"),
        "inrikes-fodda-efter-foraldrarnas-fodelseland": ("procent", "none", "demografi-boende"),
        "utrikes-fodda-fortroendevalda": ("procent", "none", "representation"),
    }
    for indicator_id, values in expected.items():
        entry = catalogue.indicator(indicator_id)
        assert (entry["unit"], entry["better"], entry["skr_area"]) == values, indicator_id


def test_the_documentation_table_lists_every_indicator():
    text = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    for indicator_id in catalogue.indicator_ids():
        assert f"| `{indicator_id}` |" in text, indicator_id


def test_indicators_command_lists_id_title_unit_better_and_source(capsys):
    call_command("indicators", "valdeltagande")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "id\ttitel\tenhet\tbättre\tkälla",
        "valdeltagande-kommunval\tValdeltagande i kommunfullmäktigevalet, utrikes och inrikes "
        "födda\tprocent\thigher\tKolada U65861, U65860",
    ]


def test_indicators_command_searches_words_in_any_case_over_title_and_description(capsys):
    call_command("indicators", "SFI", "Arbetar")
    out = capsys.readouterr().out
    ids = [line.split("\t")[0] for line in out.splitlines()[1:]]
    # the first matches "sfi" in its note ("Den som läser sfi …") and "arbetar" in its title
    assert ids == [
        "flyktingar-20-25-varken-arbete-eller-studier",
        "sfi-avbrutit-arbetar-eller-studerar",
        "sfi-arbetar-aret-efter",
    ]
    call_command("indicators", "TAB6383")
    assert "sysselsattning-vistelsetid\t" in capsys.readouterr().out
    call_command("indicators", "halsoenkat")
    assert "lokal fil, --source halsoenkat" in capsys.readouterr().out


def test_indicators_command_says_when_nothing_matches(capsys):
    call_command("indicators", "finns-inte-alls")
    assert capsys.readouterr().out == "Ingen indikator matchar 'finns-inte-alls'.\n"


def test_indicators_command_refuses_an_unknown_municipality():
    with pytest.raises(CommandError, match="--kommun: '9999' är ingen kommunkod"):
        call_command("indicators", "--kommun", "9999")


def test_search_finds_a_word_in_another_form_and_full_words_first():
    from lagesbild.stats.catalogue import load_catalogue, search

    catalogue = load_catalogue()
    # The title says "behöriga"; a coordinator types "behörighet".
    assert [e["id"] for e in search(catalogue, "behörighet")] == ["behorighet-yrkesprogram-ak9"]
    # "arbetslöshet" stands in full in one entry; entries that only share "arbets…" follow it.
    found = [e["id"] for e in search(catalogue, "arbetslöshet")]
    assert found[0] == "arbetsloshet-bas-20-64" and len(found) > 1
    assert search(catalogue, "finns-inte-alls") == []
