"""Fetching every indicator of a municipality's policy from Kolada and SCB, one at a time.

Sources: Kolada API v3 (settings.KOLADA_URL) and SCB PxWeb API v2 (settings.SCB_URL). For
the municipality's current policy it fetches each indicator for the municipality, its county,
Riket and the members of its "Liknande kommuner, övergripande" group (read from Kolada's
/municipality_groups). Every answer is kept as a raw snapshot beside the observations
normalised from it (store.save).

Each indicator is its own unit: it is fetched and stored in its own transaction, so when SCB
has moved one table every other indicator is still refreshed, and the failed one keeps its last
good values. IndicatorRefresh records, per municipality and indicator, the last attempt, the
last success and the reason of a failure; the statistics page and the Lägesbild show it.

Source semantics (read from the sources' documentation, not guessed):
- Kolada: `count` in a value is the number of member municipalities behind it; it differs
  from 1 only for a municipality group, whose value is an unweighted mean of its members
  (Kolada API documentation, github.com/Hypergene/kolada, "Query data"). It is not a
  population size, so it is not stored as one. A value Kolada does not publish comes as
  `value: null` with its `status`: the producer's own disclosure control has already been
  applied, and the status is kept. An item with `isdeleted: true` is a value Kolada has
  withdrawn: the current row stops being current, its history stays.
- SCB PxWeb v2: json-stat2 with a status per cell (see pxweb.py).
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from lagesbild.analysis import small_areas
from lagesbild.analysis.observations import TOTAL
from lagesbild.analysis.observations import Observation as Obs
from lagesbild.core import municipalities
from lagesbild.policy.models import PolicyVersion

from . import catalogue, groups
from .downloads import _norm  # one reading of SCB's texts for a download and the API
from .http import SourceError
from .kolada import KoladaClient
from .models import IndicatorRefresh, MunicipalityGroup
from .pxweb import PxWebClient
from .queries import comparison_group
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
    refreshed: list = field(default_factory=list)  # indicator ids stored by this fetch
    indicators: int = 0

    def line(self):
        c = self.counts
        text = (
            f"{len(self.refreshed)} av {self.indicators} indikatorer uppdaterade, "
            f"{self.requests} anrop: {c.new} nya, {c.changed} ändrade, {c.unchanged} "
            f"oförändrade värden"
        )
        if c.withdrawn:
            text += f", {c.withdrawn} återkallade av källan"
        return text + c.ended_note() + f", {len(self.failures)} fel"


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
    return "00" + code if len(code) == 2 else small_areas.plain_code(code)


def municipalities_in(areas):
    """The municipalities among `areas`, those of a county among them, and all for Riket."""
    out = set()
    for a in areas:
        kind = municipalities.get(a).kind
        if kind == "kommun":
            out.add(a)
        elif kind == "riket":
            out |= {m.code for m in municipalities.municipalities()}
        else:
            out |= {m.code for m in municipalities.municipalities() if m.county == a}
    return out


def small_area_codes(meta, variable, areas):
    """SCB's codes of the DeSO and RegSO areas of the municipalities among `areas` and in its
    county and Riket (the same index is compared there), as the table lists them (with the
    division's suffix where it has one, e.g. 1494C1010_DeSO2025)."""
    kommuner = municipalities_in(areas)
    index = meta["dimension"][variable]["category"].get("index", {})
    plain = {code: small_areas.plain_code(code) for code in index}
    return [c for c, p in plain.items() if small_areas.level_of(p) and p[:4] in kommuner]


def kolada_batches(entry, pages):
    """Batches of one indicator from Kolada's pages (semantics in the module docstring)."""
    kpis = catalogue.kolada_kpis(entry)
    batches = []
    for page in pages:
        rows, withdrawn = [], []
        for item in page.items:
            if item["kpi"] not in kpis:
                raise SourceError(f"Kolada skickade KPI {item['kpi']} som inte efterfrågades")
            key = (entry["id"], item["municipality"], item["period"], kpis[item["kpi"]])
            if item.get("isdeleted") is True:
                withdrawn.append(key)
                continue
            for v in item["values"]:
                if v.get("isdeleted") is True:
                    withdrawn.append((*key, v["gender"]))
                    continue
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
                        # Kolada's count is members behind a group mean, not a group size.
                        count=None,
                    )
                )
        batches.append(
            Batch(
                "kolada",
                catalogue.source_ref(entry),
                page.url,
                page.text,
                rows,
                query={"method": "GET", "url": page.url},
                withdrawn=withdrawn,
            )
        )
    return batches


def _code_by_label(dim, label, variable, table):
    labels = dim["category"].get("label", {})
    for code, text in labels.items():
        if _norm(text) == _norm(label):
            return code
    for code, text in labels.items():
        if _norm(text).startswith(_norm(label)):
            return code
    raise SourceError(f"SCB {table}: variabeln {variable} har inget värde {label!r}")


def _is_named(variable, dim, names):
    """Whether a table's variable is the one named: by its code (Alder) or its text (ålder)."""
    return _norm(variable) in names or _norm(dim.get("label", "")) in names


def group_dimension(entry, meta, table):
    """(variable, {code: group}) for the table's variable that holds the entry's groups, or
    (None, {}) for an entry with one value per area and year.

    The variable is the one the entry's `group_variable` names, by code or text (a list names
    SCB's newer and older shapes of the same measure; ContentsCode where a table gives each
    group as its own content, as SCB's labour-market status per DeSO does). Its codes are the
    entry's `groups` where given, else those whose text the entry's `group_labels` names: the
    same words the download reader uses, so the file and the API read one table alike. A table
    without the variable, or without the group the entry draws (`share`), is refused by name
    rather than read as something else."""
    source = entry["source"]
    wanted = source.get("group_variable")
    if not wanted:
        return None, {}
    names = {_norm(n) for n in (wanted if isinstance(wanted, list) else [wanted])}
    dims = meta["dimension"]
    variable = next((v for v in meta["id"] if _is_named(v, dims[v], names)), None)
    if variable is None:
        raise SourceError(
            f"SCB {table}: tabellen har ingen variabel {' eller '.join(sorted(names))} "
            f"(den har {', '.join(meta['id'])})"
        )
    category = dims[variable]["category"]
    codes = category.get("index", {})
    if source.get("groups"):
        return variable, {c: g for c, g in source["groups"].items() if c in codes}
    words = {_norm(k): v for k, v in (source.get("group_labels") or {}).items()}
    # A label named without a group is a sum of other groups: not asked for.
    found = {
        c: words[_norm(t)] for c, t in category.get("label", {}).items() if words.get(_norm(t))
    }
    if entry.get("share") and entry["share"] not in found.values():
        texts = ", ".join(repr(t) for t in category.get("label", {}).values())
        raise SourceError(
            f"SCB {table}: variabeln {variable} har inget värde som betyder {entry['share']} "
            f"(den har {texts})"
        )
    return variable, found


def scb_selection(entry, meta, table, areas, years, group_dim):
    """The selection for one SCB table: codes from the catalogue, the rest found by label;
    the groups as group_dimension found them."""
    source = entry["source"]
    dims = meta["dimension"]
    index = {d: dims[d]["category"].get("index", {}) for d in meta["id"]}
    group_variable, group_codes = group_dim
    fixed = {_norm(k): v for k, v in source.get("fixed_labels", {}).items()}
    selection = {}
    for variable in meta["id"]:
        codes = index[variable]
        label = _norm(dims[variable].get("label", ""))
        if variable == source["area_variable"]:
            selection[variable] = [scb_region(a) for a in areas if scb_region(a) in codes]
        elif variable == source["time_variable"]:
            selection[variable] = [str(y) for y in years if str(y) in codes]
        elif variable == source.get("sex_variable"):
            selection[variable] = [c for c in source["sex_codes"] if c in codes]
        elif variable == group_variable:
            selection[variable] = list(group_codes)
        elif variable == "ContentsCode" and source.get("contents_code") in codes:
            selection[variable] = [source["contents_code"]]
        elif variable == "ContentsCode" and source.get("contents_label"):
            selection[variable] = [
                _code_by_label(dims[variable], source["contents_label"], variable, table)
            ]
        elif _norm(variable) in fixed or label in fixed:
            wanted = fixed.get(_norm(variable), fixed.get(label))
            selection[variable] = [_code_by_label(dims[variable], wanted, variable, table)]
        elif len(codes) == 1:
            selection[variable] = list(codes)
        else:
            raise SourceError(f"SCB {table}: vet inte vilket värde av {variable} som ska väljas")
        if not selection[variable]:
            raise SourceError(f"SCB {table}: inget av de efterfrågade värdena finns för {variable}")
    return selection


def scb_batches(entry, pages, table, api_version, group_dim):
    """Batches of observations from SCB's pages; `group_dim` is group_dimension's answer (an
    entry without groups stores each value as the total)."""
    source = entry["source"]
    group_variable, group_codes = group_dim
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
                    group=group_codes[cell.codes[group_variable]] if group_variable else TOTAL,
                    sex=source.get("sex_codes", {}).get(sex, "T"),
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


def _one_division(batches):
    """Where a table lists an area under two divisions (1494C1010 and 1494C1010_DeSO2025, both
    stored as 1494C1010), keep one value per area, year, group and sex: the one with a value."""
    best = {}
    for batch in batches:
        for o in batch.observations:
            key = (o.area, o.period, o.group, o.sex)
            if key not in best or (best[key].value is None and o.value is not None):
                best[key] = o
    keep = {id(o) for o in best.values()}
    for batch in batches:
        batch.observations = [o for o in batch.observations if id(o) in keep]
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
        if "deso" in entry["source"]["tables"]:  # one table of every DeSO and RegSO
            levels = {"deso": areas}
        for level, level_areas in levels.items():
            table = entry["source"]["tables"].get(level)
            if not level_areas or not table:
                continue
            meta = scb.metadata(table)
            if level == "deso":
                level_areas = small_area_codes(meta, entry["source"]["area_variable"], areas)
                if not level_areas:
                    raise SourceError(
                        f"SCB {table} har inga DeSO- eller RegSO-områden för {areas[0]}"
                    )
            group_dim = group_dimension(entry, meta, table)
            selection = scb_selection(entry, meta, table, level_areas, years, group_dim)
            pages = scb.data(table, selection)
            batches += _one_division(scb_batches(entry, pages, table, scb.api_version, group_dim))
    if not any(o.value is not None for b in batches for o in b.observations) and not any(
        b.withdrawn for b in batches
    ):
        raise SourceError(
            f"svaret innehöll inga värden för {catalogue.source_ref(entry)} "
            f"({min(years)}–{max(years)}); kontrollera id och år i catalogue.yaml"
        )
    return batches


def unreachable(kolada, scb, kinds):
    """A message when a source needed for `kinds` cannot be reached at all, else None."""
    probes = []
    if "kolada" in kinds:
        probes.append((kolada.http, kolada.base_url + "/municipality_groups?per_page=1"))
    if "scb" in kinds:
        probes.append((scb.http, scb.base_url + "/config"))
    for http, url in probes:
        why = http.reachable(url)
        if why:
            host = urlsplit(url).hostname or url
            return (
                f"kommer inte åt {host} ({why}). Kontrollera att datorn når internet (eller "
                "LAGESBILD_KOLADA_URL/LAGESBILD_SCB_URL); ingenting hämtades och tidigare "
                "värden finns kvar."
            )
    return None


def _record(kommun, indicator, run, error=""):
    now = timezone.now()
    defaults = {"attempted_at": now, "error": error, "run": run}
    if not error:
        defaults["succeeded_at"] = now
    IndicatorRefresh.objects.update_or_create(kommun=kommun, indicator=indicator, defaults=defaults)


def fetch(kommun, years, run=None, progress=None, kolada=None, scb=None):
    """Fetch and store every indicator of the municipality's policy; returns a Summary.

    Each indicator is stored on its own; one that fails keeps its last good values and is
    listed in summary.failures (and in IndicatorRefresh). Raises FetchError, writing nothing,
    when the policy is missing or the sources cannot be reached at all.
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
    entries = [catalogue.indicator(i, kommun) for i in ids]
    # The measures a small-area section draws as maps come with it, for the municipality's own
    # areas only: the section compares its indices with the county and Riket, not its maps.
    own_only = [c for e in entries for c in catalogue.companions(e) if c not in ids]
    entries += [catalogue.indicator(c) for c in dict.fromkeys(own_only)]
    todo = [e for e in entries if e["source"]["kind"] != "local"]
    summary.skipped = [e["id"] for e in entries if e["source"]["kind"] == "local"]
    summary.indicators = len(todo)
    kinds = {e["source"]["kind"] for e in todo} | {"kolada"}  # the group comes from Kolada
    why = unreachable(kolada, scb, kinds)
    if why:
        raise FetchError(why)
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
        summary.failures.append(
            Failure(
                "jämförelsegrupp",
                "Kolada /municipality_groups",
                f"{e}; den senast kända gruppen används",
            )
        )
    else:
        MunicipalityGroup.objects.update_or_create(
            group_id=group[0],
            defaults={
                "title": group[1],
                "members": list(group[2]),
                "source": f"Kolada {kolada.base_url}/municipality_groups",
                "fetched_at": timezone.now(),
            },
        )
    advance("jämförelsegrupp")

    county = municipalities.county_of(kommun).code
    members = (group or comparison_group(kommun) or (None, "", []))[2]
    areas = list(dict.fromkeys([kommun, county, municipalities.RIKET, *members]))
    for entry in todo:
        source = "Kolada" if entry["source"]["kind"] == "kolada" else "SCB"
        try:
            wanted = [kommun] if entry["id"] in own_only else areas
            batches = fetch_indicator(entry, wanted, years, kolada, scb)
            with transaction.atomic():
                summary.counts.add(save(batches, run=run))
                _record(kommun, entry["id"], run)
            summary.refreshed.append(entry["id"])
        except (SourceError, ValueError) as e:
            summary.failures.append(
                Failure(entry["id"], f"{source} {catalogue.source_ref(entry)}", str(e))
            )
            _record(kommun, entry["id"], run, error=f"{source} {catalogue.source_ref(entry)}: {e}")
        advance(entry["id"])
    summary.requests = kolada.requests + scb.requests
    return summary


def default_years():
    return range(2012, datetime.date.today().year + 1)
