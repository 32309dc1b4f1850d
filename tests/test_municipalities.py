"""The municipality register is product data; Kolada's list is the reference."""

import csv

from lagesbild.core import municipalities


def test_register_matches_kolada(shared_data):
    with (shared_data / "kolada" / "municipalities.csv").open(encoding="utf-8") as f:
        kolada = {r["id"]: r for r in csv.DictReader(f)}
    ours = municipalities.register()
    assert set(ours) == set(kolada)
    for code, area in ours.items():
        assert area.name == kolada[code]["title"], code
        assert (area.kind == "kommun") == (kolada[code]["type"] == "K"), code


def test_counts_and_counties():
    assert len(municipalities.municipalities()) == 290
    assert len(municipalities.regions()) == 21
    assert municipalities.get("0000").kind == "riket"
    assert municipalities.county_of("1082").name == "Region Blekinge"
    assert municipalities.county_of("1494").name == "Västra Götalandsregionen"
    assert {m.county for m in municipalities.municipalities()} == {
        r.code for r in municipalities.regions()
    }


def test_names_in_running_text_are_the_registers_not_a_genitive_rule():
    """Written out by hand: the forms a reader of a report expects."""
    expected = {
        "1082": "Karlshamns kommun",
        "1494": "Lidköpings kommun",
        "0780": "Växjö kommun",
        "2080": "Falu kommun",
        "0880": "Kalmar kommun",
        "1421": "Orust kommun",
        "1280": "Malmö stad",
        "0980": "Region Gotland",
        "2583": "Haparanda stad",
        "1880": "Örebro kommun",
        "0010": "Region Blekinge",
        "0000": "Riket",
    }
    assert {c: municipalities.get(c).full_name for c in expected} == expected
    # Every municipality ends in "kommun" or "stad", or is Gotland's region.
    for area in municipalities.municipalities():
        assert area.full_name.split()[-1].lower() in ("kommun", "stad", "gotland"), area
