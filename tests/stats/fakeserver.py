"""A local HTTP server on 127.0.0.1 that answers like Kolada v3 and SCB PxWeb v2.

Kolada answers are built in the documented v3 shape ({count, values, next_url}; items
{kpi, municipality, period, values: [{gender, count, status, value}]}) with values from a
known rule (kolada_value), so tests can check what was stored. The shape is the one the
Kolada API documentation gives (github.com/Hypergene/kolada, README "Query data": a value is
{"count": <int>, "gender": "T|K|M", "status": "<string>", "value": <float> or null}, and
"count will only differ from 1 when the municipality is a group"), with paging as
../shared/data/kolada/README.md describes for v3 ({values, count, next_url}, per_page ≤ 5000).
A value the producer does not publish is `value: null` with a status (`missing`), and a
withdrawn item carries `isdeleted: true` (`deleted`), both as the issue tracker's reading of
the v3 answers describes them; no raw v3 recording exists in ../shared to copy from. SCB answers replay the
recorded files in ../shared/data/scb-pxweb-v2/recorded/ (config, TAB6471 metadata and data)
or build json-stat2 for a selection from a metadata document. Faults are injected per route.

Run by hand for the end-to-end check: `python -m tests.stats.fakeserver` prints its address.
"""

import json
import math
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import product
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[2]
RECORDED = ROOT.parent / "shared" / "data" / "scb-pxweb-v2" / "recorded"
KOLADA_GROUPS = ROOT.parent / "shared" / "data" / "kolada" / "municipality_groups.json"


def kolada_value(kpi, municipality, year, gender):
    """The known answer of the fake Kolada: easy to recompute in a test."""
    return round(
        int(kpi[1:]) % 50
        + int(municipality) % 13
        + (year - 2000) / 10
        + {"T": 0, "K": -1, "M": 1}[gender],
        1,
    )


def reply(status, body, content_type="application/json", headers=None):
    if not isinstance(body, bytes | str):
        body = json.dumps(body, ensure_ascii=False)
    if isinstance(body, str):
        body = body.encode("utf-8")
    return status, {"Content-Type": content_type, **(headers or {})}, body


class FakeServer:
    def __init__(self):
        self.routes = []  # (method, compiled regex, handler)
        self.log = []  # (method, path with query)
        self.faults = {}  # path regex -> list of replies to give first (then the real one)
        self.httpd = None

    def route(self, method, pattern, handler):
        self.routes.insert(0, (method, re.compile(pattern + r"$"), handler))

    def fault(self, pattern, *replies):
        """The next requests matching pattern get these replies, in order, before the real one."""
        self.faults.setdefault(pattern, []).extend(replies)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def handle_one(self, method):
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.log.append((method, self.path))
                result = None
                for pattern, queue in fake.faults.items():
                    if re.search(pattern, split.path) and queue:
                        result = queue.pop(0)
                        break
                if result is None:
                    for m, regex, handler in fake.routes:
                        match = regex.match(split.path)
                        if m == method and match:
                            result = handler(match, parse_qs(split.query), body)
                            break
                    else:
                        result = reply(404, {"title": "Not found"})
                if result == "hang":
                    threading.Event().wait(5)
                    result = reply(200, {})
                status, headers, data = result
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self.handle_one("GET")

            def do_POST(self):
                self.handle_one("POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


# --- Kolada v3 -------------------------------------------------------------------------------


def add_kolada(
    fake,
    prefix="/kolada",
    per_page=5000,
    value=kolada_value,
    groups_file=KOLADA_GROUPS,
    missing=None,
    deleted=None,
):
    """missing(kpi, municipality, year) -> a status for a value Kolada does not publish
    (value null); deleted(kpi, municipality, year) -> True for an item marked isdeleted."""
    missing = missing or (lambda k, m, y: None)
    deleted = deleted or (lambda k, m, y: False)

    def one(k, m, y, g):
        status = missing(k, m, y)
        if status:
            return {"gender": g, "count": 1, "status": status, "value": None}
        return {"gender": g, "count": 1, "status": "", "value": value(k, m, y, g)}

    def data(match, query, body):
        kpis, munis, years = (match.group(i).split(",") for i in (1, 2, 3))
        assert max(len(kpis), len(munis), len(years)) <= 25, "more than 25 ids in a list"
        items = []
        for k, m, y in product(kpis, munis, years):
            item = {"kpi": k, "municipality": m, "period": int(y)}
            if deleted(k, m, int(y)):
                item["isdeleted"] = True
            item["values"] = [one(k, m, int(y), g) for g in ("T", "K", "M")]
            items.append(item)
        return page(match, query, items)

    def page(match, query, items):
        size = min(per_page, int(query.get("per_page", ["5000"])[0]))
        number = int(query.get("page", ["1"])[0])
        chunk = items[(number - 1) * size : number * size]
        more = number * size < len(items)
        base = f"{fake.url}{match.group(0)}"
        next_url = f"{base}?per_page={size}&page={number + 1}" if more else None
        return reply(200, {"count": len(chunk), "values": chunk, "next_url": next_url})

    def groups(match, query, body):
        return page(match, query, json.loads(groups_file.read_text(encoding="utf-8")))

    fake.route("GET", rf"{prefix}/data/kpi/([^/]+)/municipality/([^/]+)/year/([^/]+)", data)
    fake.route("GET", rf"{prefix}/municipality_groups", groups)
    return fake


# --- SCB PxWeb v2 ----------------------------------------------------------------------------


def recorded(name):
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def jsonstat_for(meta, selection, value, status=None):
    """A json-stat2 dataset for the selection, in the metadata's variable order."""
    ids, dims, sizes = meta["id"], {}, []
    chosen = {}
    for d in ids:
        cat = meta["dimension"][d]["category"]
        index = cat["index"]
        codes = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
        want = selection.get(d, codes)
        codes = [c for c in codes if c in want]
        chosen[d] = codes
        sizes.append(len(codes))
        dims[d] = {
            "label": meta["dimension"][d].get("label", d),
            "category": {
                "index": {c: i for i, c in enumerate(codes)},
                "label": {c: cat["label"][c] for c in codes},
            },
        }
    values, flags = [], {}
    for i, combo in enumerate(product(*(chosen[d] for d in ids))):
        codes = dict(zip(ids, combo, strict=True))
        values.append(value(codes))
        if status and status(codes):
            flags[str(i)] = status(codes)
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": meta.get("label", ""),
        "source": "SCB",
        "id": ids,
        "size": sizes,
        "dimension": dims,
        "value": values,
        "extension": {"discontinued": None},
    }
    if flags:
        doc["status"] = flags
    assert math.prod(sizes) <= recorded("config.json")["maxDataCells"], "over maxDataCells"
    return doc


def add_scb(fake, tables, prefix="/scb", config=None, value=None, status=None, values=None):
    """tables: {table id: metadata document}. Data is built from the metadata, by `value`
    or by the table's own rule in `values` ({table id: function of the cell's codes})."""
    config = config or recorded("config.json")
    value = value or (lambda codes: float(len("".join(codes.values()))))
    values = values or {}

    def config_route(match, query, body):
        return reply(200, config)

    def meta_route(match, query, body):
        table = match.group(1)
        if table not in tables:
            return reply(404, {"type": "about:blank", "title": "Not found", "status": 404})
        return reply(200, tables[table])

    def data_route(match, query, body):
        table = match.group(1)
        if table not in tables:
            return reply(404, {"title": "Not found", "status": 404})
        request = json.loads(body or b'{"selection": []}')
        selection = {s["variableCode"]: s["valueCodes"] for s in request["selection"]}
        fake.posted.append((table, selection))
        rule = values.get(table, value)
        return reply(200, jsonstat_for(tables[table], selection, rule, status))

    fake.posted = []
    fake.route("GET", rf"{prefix}/config", config_route)
    fake.route("GET", rf"{prefix}/tables/([^/]+)/metadata", meta_route)
    fake.route("POST", rf"{prefix}/tables/([^/]+)/data", data_route)
    return fake


def _meta(table, dims):
    """A json-stat2 metadata document: dims is {variable: (label, {code: label})}."""

    def dim(label, codes):
        return {
            "label": label,
            "category": {"index": {c: i for i, c in enumerate(codes)}, "label": codes},
        }

    return {
        "version": "2.0",
        "class": "dataset",
        "label": f"{table} test",
        "source": "SCB",
        "id": list(dims),
        "size": [len(codes) for _label, codes in dims.values()],
        "dimension": {d: dim(label, codes) for d, (label, codes) in dims.items()},
        "extension": {"px": {"tableid": table}},
        "value": [],
    }


def integration_table_meta(table, regions):
    """A test-built json-stat2 metadata in the shape of SCB's AA0003B tables (TAB6383 family).

    Codes INT010–INT040 and SE are SCB's (BakgrVar); the labels and ContentsCode code are test
    inputs in the same shape, not copied from SCB.
    """
    return _meta(
        table,
        {
            "Region": ("region", {r: f"område {r}" for r in regions}),
            "Kon": ("kön", {"1+2": "män och kvinnor", "1": "män", "2": "kvinnor"}),
            "UtbNiv": (
                "utbildningsnivå",
                {"TOT": "samtliga utbildningsnivåer", "F": "förgymnasial utbildning"},
            ),
            "BakgrVar": (
                "bakgrundsvariabel",
                {
                    "INT010": "vistelsetid 0–1 år",
                    "INT020": "vistelsetid 2–3 år",
                    "INT030": "vistelsetid 4–9 år",
                    "INT040": "vistelsetid 10– år",
                    "SE": "födelseregion: Sverige",
                },
            ),
            "ContentsCode": ("tabellinnehåll", {"X1": "Andel sysselsatta", "X2": "Antal personer"}),
            "Tid": ("år", {y: y for y in ("2022", "2023", "2024", "2025")}),
        },
    )


# Small areas as SCB's BE0101Y/FolkmDesoBakgrKon (TAB6571) lists them: Lidköping's DeSO 2018
# codes without a suffix and its DeSO 2025 / RegSO 2025 codes with theirs (the suffix form is
# SCB's, from reference year 2024), and two DeSO 2025 areas of every other municipality, so
# that the county's and Riket's index can be computed over all their areas. The areas
# themselves are test inputs.
LIDKOPING_AREAS = [
    "1494C1010",
    "1494C1020",
    "1494C1010_DeSO2025",
    "1494C1020_DeSO2025",
    "1494A0010_DeSO2025",
    "1494R001",
    "1494R001_RegSO2025",
]


def _other_areas():
    from lagesbild.core import municipalities

    kommuner = [m.code for m in municipalities.municipalities() if m.code != "1494"]
    return [f"{k}C{n}_DeSO2025" for k in kommuner for n in ("1010", "1020")]


def small_area_table_meta(table, regions=None):
    """A test-built json-stat2 metadata in the shape of SCB's TAB6571 (Region × UtlBakgrund ×
    Kon × ContentsCode × Tid). The variable and value codes are the ones SCB's table uses
    (UtlBakgrund 1, 2, SA; Kon 1, 2, 1+2; ContentsCode 000007Y4); the labels are test inputs."""
    regions = regions or [*LIDKOPING_AREAS, *_other_areas()]
    return _meta(
        table,
        {
            "Region": ("region", {r: f"område {r}" for r in regions}),
            "UtlBakgrund": (
                "utländsk/svensk bakgrund",
                {"1": "utländsk bakgrund", "2": "svensk bakgrund", "SA": "totalt"},
            ),
            "Kon": ("kön", {"1": "män", "2": "kvinnor", "1+2": "totalt"}),
            "ContentsCode": ("tabellinnehåll", {"000007Y4": "Folkmängd"}),
            "Tid": ("år", {y: y for y in ("2022", "2023", "2024", "2025")}),
        },
    )


def _in_division(region, year):
    """Whether the code is the one of the year's division (suffixed from 2024)."""
    return ("_" in region) == (year >= 2024)


def small_area_value(codes):
    """The fake SCB's rule for TAB6571: an area's code under the division of the year has
    50·(k mod 10 + 1)·(1 + m mod 5) + year − 2000 people with a foreign background (k = the
    area's running number, m = the kommunkod, so areas and municipalities differ) and 1000
    with a Swedish one, both sexes; the other division's code has no value ("..")."""
    region, year = codes["Region"], int(codes["Tid"])
    if not _in_division(region, year):
        return None
    k, m = int(region.split("_")[0][5:8]), int(region[:4])
    foreign, swedish = 50 * (k % 10 + 1) * (1 + m % 5) + year - 2000, 1000
    people = {"1": foreign, "2": swedish, "SA": foreign + swedish}[codes["UtlBakgrund"]]
    return float(people if codes["Kon"] == "1+2" else people // 2)


# Socio-economic measures per DeSO and RegSO, each in the shape of its SCB table: the
# variables Region, Kon, Alder, ContentsCode, Tid (or UtbildningsNiva) as the fetch functions
# Region Dalarna generates from the tables' metadata list them (github.com/Region-Dalarna,
# e.g. hamta_bas_regso_deso_region_kon_alder_tid_scb: labour-market status with the statuses
# as contents "antal sysselsatta", "antal arbetslösa", "antal sysselsatta och arbetslösa
# (arbetskraften)", "antal personer utanför arbetskraften", "antal totalt"; Tab4InkDesoRegso
# with Alder "totalt ålder" and the content "Låg ekonomisk standard, procent"). The contents
# codes 0000089X, 000008AC and 000007Z6 and the codes of UtbildningsNiva are those other API
# users send; the remaining codes and every value are test inputs.
def _measure_areas():
    """The areas of TAB6571's test shape: Lidköping's, and two DeSO of every other municipality."""
    return [*LIDKOPING_AREAS, *_other_areas()]


def _years(first, last):
    return {str(y): str(y) for y in range(first, last + 1)}


def employment_table_meta(table="TAB6680", statuses=None):
    statuses = statuses or {
        "0000089X": "antal sysselsatta",
        "T2": "antal arbetslösa",
        "T3": "antal sysselsatta och arbetslösa (arbetskraften)",
        "T4": "antal personer utanför arbetskraften",
        "T5": "antal totalt",
    }
    return _meta(
        table,
        {
            "Region": ("region", {r: f"område {r}" for r in _measure_areas()}),
            "Kon": ("kön", {"1": "män", "2": "kvinnor", "1+2": "totalt"}),
            "Alder": ("ålder", {"16-64": "16-64 år", "20-64": "20-64 år", "15-74": "15-74 år"}),
            "ContentsCode": ("tabellinnehåll", statuses),
            "Tid": ("år", _years(2020, 2024)),
        },
    )


def income_table_meta(table="TAB6685"):
    return _meta(
        table,
        {
            "Region": ("region", {r: f"område {r}" for r in _measure_areas()}),
            "Alder": ("ålder", {"tot": "totalt ålder", "0-19": "0-19 år", "20-64": "20-64 år"}),
            "ContentsCode": (
                "tabellinnehåll",
                {
                    "000008AC": "Låg ekonomisk standard, procent",
                    "I2": "Hög ekonomisk standard, procent",
                    "I3": "Antal personer totalt",
                },
            ),
            "Tid": ("år", _years(2021, 2024)),
        },
    )


def education_table_meta(table="TAB6534"):
    return _meta(
        table,
        {
            "Region": ("region", {r: f"område {r}" for r in _measure_areas()}),
            "UtbildningsNiva": (
                "utbildningsnivå",
                {
                    "21": "förgymnasial utbildning",
                    "3+4": "gymnasial utbildning",
                    "5": "eftergymnasial utbildning, mindre än 3 år",
                    "6": "eftergymnasial utbildning, 3 år eller mer",
                    "US": "uppgift om utbildningsnivå saknas",
                },
            ),
            "ContentsCode": ("tabellinnehåll", {"000007Z6": "Befolkning"}),
            "Tid": ("år", _years(2024, 2025)),
        },
    )


def measure_value(codes):
    """The fake SCB's rule for the three measures, k the area's running number:
    employment: 40 + k sysselsatta, 10 arbetslösa, 20 utanför, 70 + k in all (the sum 50 + k
    too), people 20–64, both sexes; low economic standard 10 + k % (all ages); education: 20 + k
    with förgymnasial, 60 with each other level but 5 with none given, and no total. Other ages,
    sexes and contents get values no test expects (999)."""
    region, year = codes["Region"], int(codes["Tid"])
    if not _in_division(region, year):
        return None
    k = int(region.split("_")[0][5:8]) % 100
    if "UtbildningsNiva" in codes:
        return float({"21": 20 + k, "US": 5}.get(codes["UtbildningsNiva"], 60))
    if codes.get("Alder") == "tot":
        return {"000008AC": 10.0 + k}.get(codes["ContentsCode"], 999.0)
    if codes.get("Alder") != "20-64" or codes.get("Kon") != "1+2":
        return 999.0
    return float(
        {"0000089X": 40 + k, "T2": 10, "T3": 50 + k, "T4": 20, "T5": 70 + k}.get(
            codes["ContentsCode"], 999
        )
    )


def full_fake(more_regions=(), **kolada):
    """Kolada and SCB together, as `lagesbild fetch` sees them. SCB's integration tables cover
    the demo's municipalities and comparison groups, plus `more_regions` (municipality and
    county codes, e.g. ("0780", "07") for Växjö)."""
    fake = FakeServer().start()
    add_kolada(fake, **kolada)
    regions = lambda codes: codes + [r for r in more_regions if len(r) == 4]  # noqa: E731
    kommuner = [
        "1082",
        "1494",
        "0586",
        "0882",
        "1266",
        "1267",
        "1491",
        "1493",
        "2184",
        "0683",
        "0781",
        "1292",
        "1421",
        "2080",
    ]
    add_scb(
        fake,
        {
            "TAB6383": integration_table_meta("TAB6383", regions(kommuner)),
            "TAB6384": integration_table_meta(
                "TAB6384", ["10", "14", *(r for r in more_regions if len(r) == 2)]
            ),
            "TAB6379": integration_table_meta("TAB6379", ["00"]),
            "TAB6571": small_area_table_meta("TAB6571"),
            "TAB6680": employment_table_meta(),
            "TAB6685": income_table_meta(),
            "TAB6534": education_table_meta(),
        },
        values={
            "TAB6571": small_area_value,
            **dict.fromkeys(("TAB6680", "TAB6685", "TAB6534"), measure_value),
        },
    )
    return fake


if __name__ == "__main__":
    server = full_fake()
    print(f"LAGESBILD_KOLADA_URL={server.url}/kolada LAGESBILD_SCB_URL={server.url}/scb")
    threading.Event().wait()
