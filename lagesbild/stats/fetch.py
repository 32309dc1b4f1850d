"""Fetching every indicator of a municipality's policy from Kolada and SCB, all or nothing.

Sources: Kolada API v3 (settings.KOLADA_URL) and SCB PxWeb API v2 (settings.SCB_URL). For
the municipality's current policy it fetches each indicator for the municipality, its county,
Riket and the members of its "Liknande kommuner, övergripande" group (read from Kolada's
/municipality_groups). Every answer is kept as a raw snapshot beside the observations
normalised from it (store.save). If any indicator fails, nothing at all is written and the
last good data stays; the failures name the indicator and the source.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from lagesbild.analysis.observations import Observation as Obs
from lagesbild.core import municipalities
from lagesbild.policy.models import PolicyVersion

from . import catalogue, groups
from .http import SourceError
from .kolada import KoladaClient
from .models import MunicipalityGroup
from .pxweb import PxWebClient
from .store import Batch, Counts, save


class FetchError(Exception):
    pass


@dataclass
class Failure:
    indicator: str
    source: str
    message: str

    def __str__(self):
        return f"{self.indicator} ({self.source}): {self.message}"


@dataclass
class Summary:
    requests: int = 0
    counts: Counts = field(default_factory=Counts)
    failures: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # local-source indicators (imported, not fetched)
    indicators: int = 0

    def line(self):
        c = self.counts
        return (
            f"{self.indicators} indikatorer, {self.requests} anrop: {c.new} nya, {c.changed} "
            f"ändrade, {c.unchanged} oförändrade värden, {len(self.failures)} fel"
        )


def policy_indicators(kommun):
    """The catalogue ids named anywhere in the municipality's current policy, in order."""
    versions = PolicyVersion.objects.filter(is_current=True, policy__municipality=kommun)
    ids = []

    def walk(node):
        if isinstance(node, dict):
            ids.extend(node.get("indicators", []))
            ids.extend(t["indicator"] for t in node.get("targets", []))
            for key in ("goals", "subgoals"):
                for child in node.get(key, []):
                    walk(child)

    for version in versions:
        for area in version.data.get("areas", []):
            walk(area)
    return list(dict.fromkeys(ids))


def parse_years(text):
    """'2015-2025' or '2020' -> range; ValueError with a message otherwise."""
    try:
        first, _, last = text.partition("-")
        first, last = int(first), int(last or first)
    except ValueError:
        raise ValueError(f"--years: skriv t.ex. 2015-2025, inte {text!r}") from None
    if not 1990 <= first <= last <= 2100:
        raise ValueError(f"--years: {text!r} är inget rimligt intervall")
    return range(first, last + 1)


def scb_region(area):
    """Our area code (Kolada style) -> SCB's region code."""
    if area == municipalities.RIKET:
        return "00"
    return area[2:] if area.startswith("00") else area


def area_from_scb(code):
    if code == "00":
        return municipalities.RIKET
    return "00" + code if len(code) == 2 else code


def kolada_batches(entry, pages):
    kpis = catalogue.kolada_kpis(entry)
    batches = []
    for page in pages:
        rows = []
        for item in page.items:
            if item["kpi"] not in kpis:
                raise SourceError(f"Kolada skickade KPI {item['kpi']} som inte efterfrågades")
            for v in item["values"]:
                rows.append(
                    Obs(
                        indicator=entry["id"],
                        area=item["municipality"],
                        period=item["period"],
                        group=kpis[item["kpi"]],
                        sex=v["gender"],
                        value=None if v.get("value") is None else float(v["value"]),
                        unit=entry["unit"],
                        status=str(v.get("status") or ""),
                        count=v.get("count") if isinstance(v.get("count"), int) else None,
                    )
                )
        batches.append(
            Batch("kolada", catalogue.source_ref(entry), page.url, page.text, rows, query={})
        )
    return batches


def _code_by_label(dim, label, variable, table):
    labels = dim["category"].get("label", {})
    for code, text in labels.items():
        if text.strip().lower().replace("–", "-") == label.lower().replace("–", "-"):
            return code
    for code, text in labels.items():
        if text.strip().lower().startswith(label.lower()):
            return code
    raise SourceError(f"SCB {table}: variabeln {variable} har inget värde {label!r}")


def scb_selection(entry, meta, table, areas, years):
    """The selection for one SCB table: codes from the catalogue, the rest found by label."""
    source = entry["source"]
    dims = meta["dimension"]
    index = {d: dims[d]["category"].get("index", {}) for d in meta["id"]}
    selection = {}
    for variable in meta["id"]:
        codes = index[variable]
        if variable == source["area_variable"]:
            selection[variable] = [scb_region(a) for a in areas if scb_region(a) in codes]
        elif variable == source["time_variable"]:
            selection[variable] = [str(y) for y in years if str(y) in codes]
        elif variable == source.get("sex_variable"):
            selection[variable] = [c for c in source["sex_codes"] if c in codes]
        elif variable == source.get("group_variable"):
            selection[variable] = [c for c in source["groups"] if c in codes]
        elif variable == "ContentsCode":
            selection[variable] = [
                _code_by_label(dims[variable], source["contents_label"], variable, table)
            ]
        elif variable in source.get("fixed_labels", {}):
            label = source["fixed_labels"][variable]
            selection[variable] = [_code_by_label(dims[variable], label, variable, table)]
        elif len(codes) == 1:
            selection[variable] = list(codes)
        else:
            raise SourceError(f"SCB {table}: vet inte vilket värde av {variable} som ska väljas")
        if not selection[variable]:
            raise SourceError(f"SCB {table}: inget av de efterfrågade värdena finns för {variable}")
    return selection


def scb_batches(entry, pages, table, api_version):
    source = entry["source"]
    batches = []
    for page in pages:
        rows = []
        for cell in page.cells:
            sex = cell.codes.get(source.get("sex_variable"), "")
            rows.append(
                Obs(
                    indicator=entry["id"],
                    area=area_from_scb(cell.codes[source["area_variable"]]),
                    period=int(cell.codes[source["time_variable"]][:4]),
                    group=source["groups"][cell.codes[source["group_variable"]]],
                    sex=source["sex_codes"].get(sex, "T"),
                    value=None if cell.value is None else float(cell.value),
                    unit=entry["unit"],
                    status=cell.status,
                )
            )
        batches.append(
            Batch(
                "scb", table, page.url, page.text, rows, query=page.query, api_version=api_version
            )
        )
    return batches


def fetch_indicator(entry, areas, years, kolada, scb):
    """Batches for one indicator; raises SourceError when the source fails or says nothing."""
    kind = entry["source"]["kind"]
    if kind == "kolada":
        pages = kolada.data(list(catalogue.kolada_kpis(entry)), areas, years)
        batches = kolada_batches(entry, pages)
    else:
        batches = []
        levels = {"kommun": [], "lan": [], "riket": []}
        for area in areas:
            kind_of = municipalities.get(area).kind
            levels[{"kommun": "kommun", "region": "lan", "riket": "riket"}[kind_of]].append(area)
        for level, level_areas in levels.items():
            table = entry["source"]["tables"].get(level)
            if not level_areas or not table:
                continue
            meta = scb.metadata(table)
            selection = scb_selection(entry, meta, table, level_areas, years)
            batches += scb_batches(entry, scb.data(table, selection), table, scb.api_version)
    if not any(o.value is not None for b in batches for o in b.observations):
        raise SourceError(
            f"svaret innehöll inga värden för {catalogue.source_ref(entry)} "
            f"({min(years)}–{max(years)}); kontrollera id och år i catalogue.yaml"
        )
    return batches


def fetch(kommun, years, run=None, progress=None, kolada=None, scb=None):
    """Fetch and store every indicator of the municipality's policy; returns a Summary.

    Raises FetchError (after writing nothing) when the policy is missing or any source fails.
    """
    if municipalities.get(kommun) is None or municipalities.get(kommun).kind != "kommun":
        raise FetchError(f"{kommun} är ingen kommunkod")
    ids = policy_indicators(kommun)
    if not ids:
        raise FetchError(
            f"Kommun {kommun} har ingen gällande policy med indikatorer; läs in den med "
            "`lagesbild policy load FIL`."
        )
    kolada = kolada or KoladaClient()
    scb = scb or PxWebClient()
    summary = Summary()
    entries = [catalogue.indicator(i) for i in ids]
    todo = [e for e in entries if e["source"]["kind"] != "local"]
    summary.skipped = [e["id"] for e in entries if e["source"]["kind"] == "local"]
    summary.indicators = len(todo)
    total = len(todo) + 1
    step = 0

    def advance(label):
        nonlocal step
        step += 1
        if progress:
            progress(step, total, label)

    group = None
    try:
        found = [
            (g.get("id"), g.get("title"), [m.get("id") for m in g.get("members", [])])
            for g in kolada.municipality_groups()
        ]
        group = groups.pick_overall_group(kommun, found)
        if group is None:
            raise SourceError(f"ingen grupp 'Liknande kommuner, övergripande' för {kommun}")
    except (SourceError, AttributeError, TypeError) as e:
        summary.failures.append(Failure("jämförelsegrupp", "Kolada /municipality_groups", str(e)))
    advance("jämförelsegrupp")

    county = municipalities.county_of(kommun).code
    members = group[2] if group else []
    areas = list(dict.fromkeys([kommun, county, municipalities.RIKET, *members]))
    batches = []
    for entry in todo:
        source = "Kolada" if entry["source"]["kind"] == "kolada" else "SCB"
        try:
            batches += fetch_indicator(entry, areas, years, kolada, scb)
        except SourceError as e:
            summary.failures.append(
                Failure(entry["id"], f"{source} {catalogue.source_ref(entry)}", str(e))
            )
        advance(entry["id"])
    summary.requests = kolada.requests + scb.requests
    if summary.failures:
        return summary
    with transaction.atomic():
        summary.counts = save(batches, run=run)
        MunicipalityGroup.objects.update_or_create(
            group_id=group[0],
            defaults={
                "title": group[1],
                "members": list(group[2]),
                "source": f"Kolada {kolada.base_url}/municipality_groups",
                "fetched_at": timezone.now(),
            },
        )
    return summary


def default_years():
    return range(2012, datetime.date.today().year + 1)
