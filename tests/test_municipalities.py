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
