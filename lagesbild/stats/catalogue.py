"""The indicator catalogue: product data in catalogue.yaml, reviewed by hand.

Policies refer to indicators by the ids defined here; `lagesbild policy check` rejects others.
The format of an entry is described in docs/indicators.md. A municipality may add its own
local indicators (the LocalIndicator model); `catalogue_for(kommun)` gives the shipped entries
plus that municipality's own, in the same shape. `load_catalogue()` is the shipped part only.
"""

from functools import cache
from pathlib import Path

import yaml

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
SOURCE_KINDS = ("kolada", "scb", "local")
BETTER = ("higher", "lower", "none")
REQUIRED = (
    "id",
    "theme",
    "skr_area",
    "title",
    "unit",
    "better",
    "source",
    "breakdowns",
    "disclosure",
)
# The six areas of SKR's key figures for integration.
SKR_AREAS = (
    "mottagande",
    "sfi",
    "etablering",
    "arbete-studier",
    "demografi-boende",
    "representation",
)
# The population groups a local indicator may compare.
LOCAL_GROUPS = ("utrikes_fodda", "inrikes_fodda", "utlandsk_bakgrund", "svensk_bakgrund", "total")


class CatalogueError(ValueError):
    pass


def _check(entry, index):
    where = f"{CATALOGUE_PATH.name}: indicators[{index}]"
    for field in REQUIRED:
        if field not in entry:
            raise CatalogueError(f"{where}: field '{field}' is missing")
    if set(entry["title"]) != {"sv", "en"}:
        raise CatalogueError(f"{where}.title: needs exactly 'sv' and 'en'")
    if entry["skr_area"] not in SKR_AREAS:
        raise CatalogueError(f"{where}.skr_area: one of {', '.join(SKR_AREAS)}")
    if entry["better"] not in BETTER:
        raise CatalogueError(f"{where}.better: one of {', '.join(BETTER)}")
    kind = entry["source"].get("kind")
    if kind not in SOURCE_KINDS:
        raise CatalogueError(f"{where}.source.kind: one of {', '.join(SOURCE_KINDS)}")
    if kind == "kolada" and not entry["source"].get("kpis"):
        raise CatalogueError(f"{where}.source.kpis: a Kolada source needs KPI ids")
    if kind == "scb" and not entry["source"].get("tables"):
        raise CatalogueError(f"{where}.source.tables: an SCB source needs table ids")
    breaks = entry.get("map_breaks")
    if breaks is not None and (
        len(breaks) != 4
        or any(not isinstance(b, int | float) or not 0 < b < 100 for b in breaks)
        or list(breaks) != sorted(set(breaks))
    ):
        raise CatalogueError(f"{where}.map_breaks: four rising percentages between 0 and 100")
    if entry.get("share") and (entry["unit"] != "antal" or entry.get("level") != "small_areas"):
        raise CatalogueError(f"{where}.share: only for counts per small area (unit antal)")


@cache
def load_catalogue():
    data = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8")) or {}
    entries = {}
    for i, entry in enumerate(data.get("indicators", [])):
        _check(entry, i)
        if entry["id"] in entries:
            raise CatalogueError(f"{CATALOGUE_PATH.name}: id {entry['id']!r} appears twice")
        entry.setdefault("series_breaks", [])
        entry.setdefault("birth_split", "full")
        entry.setdefault("note", "")
        entries[entry["id"]] = entry
    return entries


def indicator_ids():
    return frozenset(load_catalogue())


def indicator(id, kommun=None):
    """The catalogue entry with this id (a dict); KeyError for an unknown id. With `kommun`,
    the municipality's own local indicators are found too (see catalogue_for)."""
    entries = catalogue_for(kommun) if kommun else load_catalogue()
    try:
        return entries[id]
    except KeyError:
        raise KeyError(f"unknown indicator {id!r}") from None


def source_ref(entry):
    """What the entry is fetched from, in words a person can look up: KPI ids or table id."""
    source = entry["source"]
    if source["kind"] == "kolada":
        return ",".join(k["id"] for k in source["kpis"])
    if source["kind"] == "scb":
        return ",".join(source["tables"].values())
    return source["name"]


def kolada_kpis(entry):
    """{kpi id: population group} for a Kolada entry."""
    return {k["id"]: k["group"] for k in entry["source"].get("kpis", [])}


def companions(entry):
    """The ids a small-area entry shows inside its own section: its area types and the
    measures it draws as maps (`area_types`, `maps`), in that order."""
    return [i for i in [entry.get("area_types"), *entry.get("maps", [])] if i]


def local_sources():
    """{local source name: entry} for the indicators that come from the municipality's files."""
    return {
        e["source"]["name"]: e for e in load_catalogue().values() if e["source"]["kind"] == "local"
    }


def local_entry(local):
    """A LocalIndicator as a catalogue entry of `kind: local` (the shape of the YAML entries)."""
    return {
        "id": local.slug,
        "theme": "",  # named in a policy by id only; never picked by theme
        "skr_area": "",
        "title": {"sv": local.title_sv, "en": local.title_en or local.title_sv},
        "unit": local.unit,
        "better": local.better,
        "source": {
            "kind": "local",
            "name": local.source_name,
            "description": local.source_text,
        },
        "groups": list(local.groups),
        "breakdowns": [],
        "birth_split": "local",
        "note": local.description,
        "disclosure": "Kommunen ansvarar själv för att inte redovisa grupper under 20 personer.",
        "series_breaks": [],
        "kommun": local.kommun,
    }


def catalogue_for(kommun):
    """{id: entry}: the shipped catalogue plus the municipality's own local indicators.

    Read from the database on every call (not cached), so a new local indicator counts at once.
    """
    from .models import LocalIndicator

    entries = dict(load_catalogue())
    for local in LocalIndicator.objects.filter(kommun=kommun):
        entries.setdefault(local.slug, local_entry(local))
    return entries


def describe_source(entry):
    """Where the values come from: Kolada KPI ids, SCB tables or the local source name."""
    kind = entry["source"]["kind"]
    if kind == "kolada":
        return "Kolada " + ", ".join(k["id"] for k in entry["source"]["kpis"])
    if kind == "scb":
        return "SCB " + ", ".join(entry["source"]["tables"].values())
    return f"lokal fil, --source {entry['source']['name']}"


def search_text(entry):
    """The words an entry is found by: id, titles, note, source ids, titles and description."""
    source = entry["source"]
    parts = [
        entry["id"],
        entry["title"]["sv"],
        entry["title"]["en"],
        entry.get("note", ""),
        source.get("description", ""),
        source_ref(entry).replace(",", " "),
        *(k["title"] for k in source.get("kpis", [])),
    ]
    return " ".join(parts).lower()


STEM = 6  # a longer word is found by its first letters: "behörighet" finds "behöriga"


def search(entries, query):
    """The entries (a catalogue dict's values) in which every word of `query` occurs, in any
    case; all of them for an empty query. Used by `lagesbild indicators` and the policy editor.

    Swedish words change their endings ("behörighet", "behöriga"; "sysselsatta",
    "sysselsättning" does not, but "utrikes född" and "födda" do), so a word longer than STEM
    letters is matched by its first STEM letters. Entries with every word in full come first."""
    words = (query or "").lower().split()
    found = [e for e in entries.values() if all(w[:STEM] in search_text(e) for w in words)]
    return sorted(found, key=lambda e: not all(w in search_text(e) for w in words))
