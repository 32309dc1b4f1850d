"""Files downloaded from SCB's Statistikdatabasen (PxWeb) as observations of one indicator.

Sources: the output formats of PxWeb API 2 (../shared/data/scb-pxweb-v2/PxAPI-2.yml,
`OutputFormatType` and `OutputFormatParamType`) and the layouts PxWeb writes them in:

- csv: an optional title line (`IncludeTitle`), then a header row: the stub variables' names
  (codes, texts or "code - text" by `UseCodes` / `UseTexts` / `UseCodesAndTexts`) followed by
  one column per combination of the heading variables, their values joined by spaces (e.g.
  "2022" or "Andel sysselsatta 2022"); or every variable in the stub and one value column (the
  long layout). Comma, semicolon (`SeparatorSemicolon`) or tab (`SeparatorTab`) separated,
  UTF-8 or the table's code page (Windows-1252). Missing values are symbols such as "..".
- xlsx: the same table in the first sheet, with a title in A1 and footnotes below a blank row;
  either with a header row as in csv or as PxWeb's cross table: one row per heading variable
  above the values, stub columns unnamed and each stub value written only where it changes.
- json-stat2 (`Dataset` in the spec, https://json-stat.org/full/): `id` and `size` name the
  dimensions, `dimension[id].category` gives `index` (order) and `label`, `value` holds the
  cells in row-major order (the last dimension varies fastest), `status` their flags.

Region cells may be codes ("0780", "01", "00"), names ("Växjö", "Blekinge län", "Riket") or both
("0780 Växjö", "0780 - Växjö"); names go through the register (lagesbild.core.municipalities).
A RegSO may also be written "Kommun (RegSO-namn)", as Boverket's Segregationsbarometern exports
its area types ("Upplands Väsby (Bollstanäs)"); the caller gives the RegSO names it knows (from
the imported boundaries, `regso_names`).
An age band or any other variable with several values is chosen by the user (`age`, `fixed`);
every problem is a RowError naming file, row and column. Pure Python, no Django.
"""

import csv
import io
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from lagesbild.analysis.observations import FOREIGN_BORN, NATIVE_BORN, TOTAL
from lagesbild.analysis.observations import Observation as Obs
from lagesbild.analysis.small_areas import REGSO
from lagesbild.core import municipalities
from lagesbild.core.tables import RowError, TableError, read_table

from . import catalogue
from .http import SourceError
from .pxweb import parse_jsonstat2

FORMATS = ("csv", "xlsx", "json-stat2")
MISSING = ("..", "...", "…", ".", "-", "–", "NA", "na", "n/a", "")
MAX_CELLS = 2_000_000  # more than PxWeb answers in one call (SCB: maxDataCells 150,000)
NON_NEGATIVE = ("antal", "dagar", "kronor", "per 1 000 invånare")

# SCB's county names (the labels of Region in e.g. TAB6471) by länskod; the register's region
# code is "00" + länskod. The short name is also how people write the county, and is ambiguous
# where a municipality has the same name (Kalmar, Gotland, …).
COUNTIES = {
    "01": ("Stockholms län", "Stockholm"),
    "03": ("Uppsala län", "Uppsala"),
    "04": ("Södermanlands län", "Södermanland"),
    "05": ("Östergötlands län", "Östergötland"),
    "06": ("Jönköpings län", "Jönköping"),
    "07": ("Kronobergs län", "Kronoberg"),
    "08": ("Kalmar län", "Kalmar"),
    "09": ("Gotlands län", "Gotland"),
    "10": ("Blekinge län", "Blekinge"),
    "12": ("Skåne län", "Skåne"),
    "13": ("Hallands län", "Halland"),
    "14": ("Västra Götalands län", "Västra Götaland"),
    "17": ("Värmlands län", "Värmland"),
    "18": ("Örebro län", "Örebro"),
    "19": ("Västmanlands län", "Västmanland"),
    "20": ("Dalarnas län", "Dalarna"),
    "21": ("Gävleborgs län", "Gävleborg"),
    "22": ("Västernorrlands län", "Västernorrland"),
    "23": ("Jämtlands län", "Jämtland"),
    "24": ("Västerbottens län", "Västerbotten"),
    "25": ("Norrbottens län", "Norrbotten"),
}
RIKET_NAMES = ("riket", "sverige", "hela riket", "hela landet")
SEX_WORDS = {
    **dict.fromkeys(("män", "man", "m", "1"), "M"),
    **dict.fromkeys(("kvinnor", "kvinna", "k", "2"), "K"),
    **dict.fromkeys(("totalt", "total", "t", "samtliga", "1+2", "totsa"), "T"),
    **dict.fromkeys(("män och kvinnor", "kvinnor och män", "båda könen"), "T"),
}
GROUP_WORDS = {
    **dict.fromkeys(("födda i sverige", "född i sverige", "inrikes födda"), NATIVE_BORN),
    "svensk bakgrund": NATIVE_BORN,
    **dict.fromkeys(("utrikes födda", "födda utomlands", "född utomlands"), FOREIGN_BORN),
    "utländsk bakgrund": FOREIGN_BORN,
    **dict.fromkeys(("totalt", "total", "samtliga"), TOTAL),
}
# Variable names (header, code or text) -> role. Other variables are read by their values.
NAMES = {
    "region": ("region", "område", "omrade", "kommun", "län", "lan"),
    "time": ("år", "ar", "tid", "månad", "kvartal", "halvår", "period"),
    "sex": ("kön", "kon"),
    "group": ("födelseregion", "fodelseregion", "bakgrund", "bakgrundsvariabel", "bakgrvar"),
    "age": ("ålder", "alder", "åldersgrupp"),
}
GROUP_NAME_PARTS = ("bakgrund", "födelse", "född", "vistelsetid")
CORE = ("region", "time", "sex", "group")
TIME = re.compile(r"^(\d{4})(?:[MKQH]\d{1,2})?$", re.I)
TIME_AT_END = re.compile(r"(?:^|\s)(\d{4}(?:[MKQH]\d{1,2})?)$", re.I)
# A DeSO or RegSO code may carry its division (1494C1010_DeSO2025, from reference year 2024).
AREA_CODE = re.compile(
    r"^(\d{2}|\d{4}|\d{4}[A-C]\d{4}|\d{4}R\d{3})(?:_(?:DeSO|RegSO)\d{4})?(?:\s*-?\s+(.*))?$"
)
REGSO_LABEL = re.compile(r"^(?P<kommun>[^()]+?)\s*\((?P<name>[^()]+)\)$")
AGE = re.compile(r"^\d+\s*(-\s*\d*|\+)?\s*år$|^(samtliga|alla|totalt)( åldrar)?$")


@dataclass
class Download:
    """A download read for one indicator: what to store and what it was read as."""

    observations: list
    format: str  # csv | xlsx | json-stat2
    fixed: dict  # variable -> the one value read (chosen, the file's only one, or the default)
    title: str = ""
    text: str = ""  # the file as text (csv, json-stat2); "" for xlsx


@dataclass
class _Dim:
    column: str  # what messages call it: the header, the column letter or the json-stat id
    row: int | None = None  # where it is named (the header row); None for json-stat
    label: str = ""  # the variable's text where the file gives one besides `column`
    role: str = ""  # region | time | sex | group | age | other
    keys: dict = field(default_factory=dict)  # (code, label) values found, in file order


@dataclass
class _Cell:
    row: int | None
    column: str
    keys: tuple  # one (code, label) per dimension
    value: object  # text, number or None
    status: str = ""


@dataclass
class _Table:
    dims: list
    cells: list
    title: str = ""
    unit: str = ""  # json-stat's unit of the contents, where given


def _norm(text):
    return " ".join(str(text).replace("–", "-").replace("—", "-").lower().split())


def _fail(name, message, row=None, column=""):
    return TableError([RowError(name, row, column, message)])


def _show(key):
    return key[1] or key[0]


def _variants(key):
    """The texts a value may be known by: its code, its label and the parts of "code - text"."""
    code, label = key
    out = [code, label, *label.split(" - ", 1)]
    return list(dict.fromkeys(v.strip() for v in out if v and v.strip()))


def _listing(keys, n=8):
    shown = [_show(k) for k in keys]
    more = f", … ({len(shown)} i allt)" if len(shown) > n else ""
    return ", ".join(shown[:n]) + more


# --- reading the file -------------------------------------------------------------------


def detect(raw):
    """csv, xlsx or json-stat2, by content (not by the file name)."""
    if raw[:4] == b"PK\x03\x04":
        return "xlsx"
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return "json-stat2"
    return "csv"


def _decode(raw, name):
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:  # PxWeb writes csv in the table's code page, for SCB often Windows-1252/ISO-8859-1
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise _fail(name, "teckenkodningen är varken UTF-8 eller Windows-1252") from None


def _delimiter(text):
    """The separator that splits the most lines into the same number of columns (; tab ,)."""
    lines = [line for line in text.splitlines() if line.strip()][:50]

    def score(delimiter):
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        multi = Counter(c for c in counts if c > 1)
        return tuple(reversed(multi.most_common(1)[0])) if multi else (0, 0)

    return max((";", "\t", ","), key=score)


def _cell_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _grid(raw, name, fmt):
    """[(row number, [cells as text])] of a csv or xlsx file."""
    if fmt == "xlsx":
        header, rows = read_table(raw, name if name.lower().endswith(".xlsx") else name + ".xlsx")
        return list(enumerate([[_cell_text(c) for c in r] for r in [header, *rows]], start=1))
    text = _decode(raw, name)
    if "\x00" in text:
        raise _fail(name, "filen innehåller binära data")
    try:
        reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
        return [(reader.line_num, [c.strip() for c in row]) for row in reader]
    except csv.Error as e:
        raise _fail(name, f"ogiltig CSV: {e}") from None


def is_own_format(raw, name):
    """True for the project's own import format (lagesbild.stats.files): a header 'indikator'."""
    fmt = detect(raw)
    if fmt == "json-stat2":
        return False
    try:
        grid = _grid(raw, name, fmt)
    except TableError:
        return False
    header = next((cells for _, cells in grid if sum(1 for c in cells if c) >= 2), [])
    return "indikator" in (c.lower() for c in header)


def _letter(i):
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _role_by_name(*names, entry=None, exact=False):
    source = (entry or {}).get("source", {})
    own = {
        "region": source.get("area_variable"),
        "time": source.get("time_variable"),
        "sex": source.get("sex_variable"),
        # A file's own entry may name its group column in more than one way (SCB's newer and
        # older tables of the same measure): a name, or a list of names.
        "group": source.get("group_variable"),
    }
    own = {r: {_norm(v) for v in (n if isinstance(n, list) else [n]) if v} for r, n in own.items()}
    for name in names:
        for part in _variants((name, name)):
            n = _norm(part)
            for role, words in NAMES.items():
                if n in words or n in own.get(role, ()):
                    return role
            if not exact and any(p in n for p in GROUP_NAME_PARTS):
                return "group"
    return ""


def _table_from_grid(grid, name, entry):
    """The table in a csv/xlsx grid: with a header row, or PxWeb's xlsx cross table."""
    rows = list(grid)
    start = next((i for i, (_, c) in enumerate(rows) if sum(1 for x in c if x) >= 2), None)
    if start is None:
        raise _fail(name, "hittar ingen tabell (ingen rad med minst två ifyllda celler)")
    header_row, header = rows[start]
    heading = []  # [(row number, cells)] of heading rows (cross table)
    if not header[0]:  # cross table: the stub columns are empty above the values
        stub = next(i for i, c in enumerate(header) if c)
        while start > 0 and any(rows[start - 1][1][stub:]) and not any(rows[start - 1][1][:stub]):
            start -= 1  # a heading with one value ("Andel sysselsatta") has one filled cell
        i = start
        while i < len(rows) and any(rows[i][1]) and not any(rows[i][1][:stub]):
            heading.append(rows[i])
            i += 1
        names = [""] * stub
        named = [c for c in rows[i][1][:stub] if c] if i < len(rows) else []
        if named and all(_role_by_name(c, exact=True) for c in named):  # "region", "kön", …
            names = rows[i][1][:stub] + [""] * (stub - len(rows[i][1][:stub]))
            heading.append(rows[i])
            i += 1
        dims = [
            _Dim(names[j] or _letter(j), heading[-1][0] if names[j] else None) for j in range(stub)
        ]
        body = rows[i:]
        fill_down = True
        header_row, header = heading[0]
    else:
        body = rows[start + 1 :]
        stub = _stub_count(header, body, entry)
        dims = [_Dim(header[j] or _letter(j), header_row) for j in range(stub)]
        fill_down = False
    title = " ".join(c[0] for _, c in rows[:start] if c and c[0])
    data = []
    for n, cells in body:
        if not any(cells):
            if data:
                break  # footnotes follow the table after a blank row
            continue
        data.append((n, cells))
    width = max([len(header), *(len(c) for _, c in heading), *(len(c) for _, c in data)])
    columns = []  # (index, header text, [heading parts])
    if heading:
        filled = []
        for _, cells in heading:
            cells = cells + [""] * (width - len(cells))
            last, row_parts = "", []
            for j in range(stub, width):
                last = cells[j] or last
                row_parts.append(last)
            filled.append(row_parts)
        innermost = heading[-1][1]  # written above every value column
        for j in range(stub, min(width, len(innermost))):
            if innermost[j]:
                parts = [p[j - stub] for p in filled]
                columns.append((j, " ".join(p for p in parts if p), parts))
        dims += [_Dim(f"rubrikrad {n}", n) for n, _ in heading]
    else:
        for j in range(stub, width):
            text = header[j] if j < len(header) else ""
            if text or any(j < len(c) and c[j] for _, c in data):
                columns.append((j, text or _letter(j), [text]))
        columns = _split_headings(columns, dims, header_row)
    cells, previous = [], [""] * stub
    for n, row in data:
        row = row + [""] * (width - len(row))
        stub_values = row[:stub]
        if fill_down:
            stub_values = [v or previous[j] for j, v in enumerate(stub_values)]
            previous = stub_values
        for j, label, parts in columns:
            keys = tuple((v, v) for v in (*stub_values, *parts))
            cells.append(_Cell(n, label, keys, row[j]))
    return _Table(dims, cells, title)


def _is_value(text):
    if text in MISSING:
        return True
    try:
        float(text.replace(",", ".").replace(" ", "").replace("\u2212", "-"))
        return True
    except ValueError:
        return False


def _stub_count(header, body, entry):
    """How many leading columns are variables: up to the first that holds values."""
    data = [c for _, c in body if any(c)][:200]
    for j, text in enumerate(header):
        if TIME_AT_END.search(text):  # "2022", "Andel utrikes födda 2022"
            return j
        if not _role_by_name(text, entry=entry) and all(
            _is_value(c[j]) for c in data if j < len(c)
        ):
            return j
    return len(header)


def _split_headings(columns, dims, header_row):
    """A header row's value columns -> (time, rest) parts: "Andel sysselsatta 2022"."""
    times = [TIME_AT_END.search(label) for _, label, _ in columns]
    if not all(times) or not columns:  # the long layout: the header names the contents
        dims.append(_Dim("tabellinnehåll", header_row))
        return columns
    out = []
    for (j, label, _), match in zip(columns, times, strict=True):
        time = match.group(1)
        rest = " ".join(label.replace(time, " ").split()).strip(" -")
        out.append((j, label, [time, rest]))
    dims.append(_Dim("år" if all(len(t.group(1)) == 4 for t in times) else "tid", header_row))
    dims.append(_Dim("tabellinnehåll", header_row))
    return out


def _table_from_jsonstat(text, name):
    """A json-stat2 dataset (PxAPI-2.yml `Dataset`; json-stat.org) as dimensions and cells."""
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise _fail(name, f"ogiltig JSON: {e}") from None
    try:
        return _jsonstat(doc, name)
    except (AttributeError, TypeError, KeyError) as e:  # a dataset in the wrong shape
        raise _fail(name, f"json-stat2 med fel form ({type(e).__name__}: {e})") from None


def _jsonstat(doc, name):
    """The dataset through the one json-stat2 reader the SCB client uses (pxweb.py)."""
    sizes = doc.get("size") if isinstance(doc, dict) else None
    if isinstance(sizes, list) and all(isinstance(s, int) and s >= 0 for s in sizes):
        if math.prod(sizes) > MAX_CELLS:
            raise _fail(name, f"json-stat2: size {sizes} ger för många celler")
    try:
        parsed = parse_jsonstat2(doc, name)
    except SourceError as e:
        raise _fail(name, str(e).removeprefix(f"SCB {name}: ")) from None
    roles = {}
    for role, key in (("time", "time"), ("geo", "region"), ("metric", "other")):
        for dim_id in (doc.get("role") or {}).get(role, []):
            roles[dim_id] = key
    dims, units = [], set()
    for dim_id in doc["id"]:
        dimension = doc["dimension"][dim_id]
        dims.append(_Dim(dim_id, None, str(dimension.get("label", "")), roles.get(dim_id, "")))
        units |= {
            str(u.get("base", "")) for u in (dimension["category"].get("unit") or {}).values()
        }
    cells = [
        _Cell(
            None,
            f"value[{i}]",
            tuple((str(c.codes[d]), str(c.label_of[d][c.codes[d]])) for d in doc["id"]),
            c.value,
            c.status,
        )
        for i, c in enumerate(parsed)
    ]
    unit = units.pop() if len(units) == 1 else ""
    return _Table(dims, cells, str(doc.get("label", "")), unit)


# --- what a value means -----------------------------------------------------------------


@cache
def _area_names():
    """lower-case name -> {area codes}: municipalities, the register's regions, counties."""
    names = {}
    register = municipalities.register()
    for area in register.values():
        for text in {area.name, area.official} - {""}:  # "Karlshamns kommun"
            names.setdefault(text.lower(), set()).add(area.code)
    for lan, (name, short) in COUNTIES.items():
        code = "00" + lan
        if register.get(code) is None or register[code].kind != "region":
            raise ValueError(f"{code} ({name}) saknas bland regionerna i registret")
        names.setdefault(name.lower(), set()).add(code)
        names.setdefault(short.lower(), set()).add(code)
    for name in RIKET_NAMES:
        names[name] = {municipalities.RIKET}
    return names


def _describe(code):
    area = municipalities.get(code)
    if area.kind == "region":
        county = COUNTIES.get(code[2:])
        return f"{county[0] if county else area.name} ({code})"
    return f"{'kommunen ' if area.kind == 'kommun' else ''}{area.name} ({code})"


def _regso_by_name(key, regso_names):
    """The RegSO code of "Kommun (RegSO-namn)", None when the key is not of that form."""
    for text in _variants(key):
        m = REGSO_LABEL.match(text)
        codes = _area_names().get(_norm(m["kommun"]), set()) if m else set()
        kommun = next((c for c in sorted(codes) if municipalities.get(c).kind == "kommun"), None)
        if kommun is None:
            continue
        code = (regso_names or {}).get((kommun, _norm(m["name"])))
        if code:
            return code
        raise ValueError(
            f"{text!r}: inget RegSO med namnet {m['name']!r} i {municipalities.get(kommun).name} "
            "bland de inlästa gränserna; läs in SCB:s gränser (lagesbild geodata import FIL) "
            "eller använd en fil med RegSO-koder (t.ex. 1494R001)"
        )
    return None


def _area(key, regso_names=None):
    """Our area code for a region value; ValueError with the reason. regso_names: {(kommunkod,
    normalised RegSO name): code} for regions written "Kommun (RegSO-namn)", tried only when
    the value is no code or name of the register (so "Kalmar (kommun)" stays a municipality
    wherever the register knows it so)."""
    try:
        return _register_area(key)
    except ValueError:
        code = _regso_by_name(key, regso_names)  # a ValueError of its own if the name is unknown
        if code:
            return code
        raise


def _register_area(key):
    """The code of a kommun, county or Riket written as code, name or both."""
    for text in _variants(key):
        match = AREA_CODE.match(text)
        if match:
            code = match.group(1)
            if len(code) == 2:
                code = "00" + code if code != "00" else municipalities.RIKET
            if municipalities.get(code[:4]) is not None and (
                len(code) == 4 or municipalities.get(code[:4]).kind == "kommun"
            ):
                return code
            raise ValueError(f"{_show(key)!r}: koden {match.group(1)} finns inte i registret")
    for text in _variants(key):
        codes = _area_names().get(_norm(text))
        if codes and len(codes) > 1:
            options = " eller ".join(_describe(c) for c in sorted(codes))
            raise ValueError(f"{text!r} kan vara {options}; skriv koden eller länets fulla namn")
        if codes:
            return next(iter(codes))
    raise ValueError(
        f"okänt område {_show(key)!r}: skriv kommunkod (0780), kommunnamn, länsnamn "
        "(Blekinge län) eller Riket"
    )


def _year(key):
    for text in _variants(key):
        match = TIME.match(text)
        if match and 1900 <= int(match.group(1)) <= 2100:
            return int(match.group(1))
    raise ValueError(f"{_show(key)!r} är inget år eller period (t.ex. 2024 eller 2024M12)")


def _sex(key):
    for text in _variants(key):
        n = _norm(text)
        if n in SEX_WORDS:
            return SEX_WORDS[n]
        if n.startswith("totalt"):
            return "T"
    raise ValueError(f"{_show(key)!r}: kön ska vara män, kvinnor eller totalt (1, 2, 1+2)")


def _slug(text):
    n = _norm(text).removesuffix(" år")
    n = n.translate(str.maketrans("åäöéü", "aaoeu"))
    slug = re.sub(r"[^a-z0-9]+", "-", n).strip("-") + ("-" if n.endswith("-") else "")
    return slug[:40]


def _group_codes(entry):
    """{code or label: group} of the entry's source: its codes, then the labels it names where
    a label means something else than in GROUP_WORDS ("utländsk bakgrund" is not foreign-born
    in a table by background). A label named without a group (None) is a sum of other groups,
    skipped so that no one is counted twice."""
    source = entry["source"]
    labels = {_norm(k): v for k, v in (source.get("group_labels") or {}).items()}
    return {**labels, **{str(k): v for k, v in (source.get("groups") or {}).items()}}


def _group(key, codes):
    for text in _variants(key):
        if text in codes:
            return codes[text]
        if _norm(text) in codes:
            return codes[_norm(text)]
    for text in _variants(key):
        if _norm(text) in GROUP_WORDS:
            return GROUP_WORDS[_norm(text)]
    slug = _slug(key[1] or key[0])
    if not slug:
        raise ValueError(f"{_show(key)!r} går inte att använda som grupp")
    return slug


def _role_by_values(keys, codes):
    """The role of an unnamed variable from its values, or "other"."""

    def all_ok(function, *args):
        try:
            for key in keys:
                function(key, *args)
            return True
        except ValueError:
            return False

    if all_ok(_year):
        return "time"
    if all_ok(_area):
        return "region"
    if all_ok(_sex):
        return "sex"
    known = {k for k in keys if any(v in codes or _norm(v) in GROUP_WORDS for v in _variants(k))}
    if known == set(keys):
        return "group"
    if all(any(AGE.match(_norm(v)) for v in _variants(k)) for k in keys):
        return "age"
    return "other"


# --- from table to observations -----------------------------------------------------------


def parse_fixed(texts):
    """["VARIABEL=VÄRDE", …] -> {variable: value}; ValueError naming a text without '='."""
    out = {}
    for text in texts or []:
        variable, sep, value = text.partition("=")
        if not sep or not variable.strip() or not value.strip():
            raise ValueError(f"{text!r}: skriv VARIABEL=VÄRDE, t.ex. utbildningsnivå=samtliga")
        out[variable.strip()] = value.strip()
    return out


def _matches(key, wanted):
    w = _norm(wanted).removesuffix(" år")
    return any(_norm(v).removesuffix(" år") == w for v in _variants(key))


def _dim_names(dim):
    aliases = {"time": ("år", "tid"), "age": ("ålder", "alder"), "sex": ("kön", "kon")}
    return {_norm(dim.column), _norm(dim.label), *aliases.get(dim.role, ())} - {""}


def _assign_roles(table, entry, codes):
    for dim_index, dim in enumerate(table.dims):
        dim.keys = dict.fromkeys(c.keys[dim_index] for c in table.cells)
    taken = {d.role for d in table.dims if d.role in CORE}
    for by_values in (False, True):
        for dim in table.dims:
            if dim.role and not (by_values and dim.role == "?"):
                continue
            if by_values:
                role = _role_by_values(dim.keys, codes)
            else:
                role = _role_by_name(dim.column, dim.label, entry=entry) or "?"
            if role in CORE and role in taken:
                role = "other"
            dim.role = role
            taken.add(role)


def _choose(table, name, entry, fixed, age):
    """Keep the cells of the chosen values; every variable that is left must have one value
    per observation. Returns {variable: value} for provenance."""
    errors, chosen = [], {}
    wanted = dict(fixed or {})
    for key in wanted:
        n = _norm(key)
        if not any(n in _dim_names(d) for d in table.dims):
            columns = ", ".join(d.column for d in table.dims)
            errors.append(RowError(name, None, key, f"filen har ingen sådan kolumn ({columns})"))
    source = entry["source"]
    defaults = [source.get("contents_label"), *source.get("fixed_labels", {}).values()]
    ages = [d for d in table.dims if d.role == "age"]
    if age and not ages:
        errors.append(RowError(name, None, "ålder", f"filen har ingen ålderskolumn ({age!r})"))
    for i, dim in enumerate(table.dims):
        choice = age if dim.role == "age" and age else None
        for key, value in wanted.items():
            if _norm(key) in _dim_names(dim):
                choice = value
        keys = dim.keys
        if choice is not None:
            keep = dict.fromkeys(k for k in keys if _matches(k, choice))
            if not keep:
                errors.append(
                    RowError(
                        name,
                        dim.row,
                        dim.column,
                        f"värdet {choice!r} finns inte; filen har {_listing(keys)}",
                    )
                )
                continue
            table.cells = [c for c in table.cells if c.keys[i] in keep]
            dim.keys = keep
            chosen[dim.column] = _show(next(iter(keep)))
        if dim.role in ("region", "sex", "group") or len(dim.keys) <= 1:
            if dim.role not in CORE and dim.keys and _show(next(iter(dim.keys))):
                chosen[dim.column] = _show(next(iter(dim.keys)))
            continue
        if dim.role == "time":
            years = {}
            for k in dim.keys:
                try:
                    years.setdefault(_year(k), []).append(k)
                except ValueError:
                    pass
            if all(len(v) == 1 for v in years.values()):
                continue
            how = f'välj en med --fixed "{dim.column}=…" eller fältet Andra val'
            message = f"flera perioder per år ({_listing(dim.keys)}); {how}"
            errors.append(RowError(name, dim.row, dim.column, message))
            continue
        default = [k for k in dim.keys if any(d and _matches(k, d) for d in defaults)]
        if not default:
            default = [
                k
                for k in dim.keys
                if any(d and _norm(_show(k)).startswith(_norm(d)) for d in defaults)
            ]
        if len(default) == 1:
            table.cells = [c for c in table.cells if c.keys[i] == default[0]]
            dim.keys = dict.fromkeys(default)
            chosen[dim.column] = _show(default[0])
            continue
        if dim.role == "age":
            how = f'välj en, t.ex. --age "{_show(next(iter(dim.keys)))}", eller fältet Ålder'
        else:
            how = f'välj ett med --fixed "{dim.column}=…" eller fältet Andra val'
        message = f"{len(dim.keys)} olika värden ({_listing(dim.keys)}); {how}"
        errors.append(RowError(name, dim.row, dim.column, message))
    if errors:
        raise TableError(errors)
    return chosen


def _number(value):
    """(float or None, status) of a cell; ValueError with the reason."""
    if value is None:
        return None, ""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} är inget tal")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if text in MISSING:
            return None, text
        cleaned = text.replace("\u2212", "-").replace("\xa0", "").replace(" ", "")
        try:
            number = float(cleaned.replace(",", "."))
        except ValueError:
            raise ValueError(f"{text!r} är inget tal") from None
    if not math.isfinite(number):
        raise ValueError(f"{value!r} är inget ändligt tal")
    return number, ""


def _observations(table, name, entry, regso_names=None):
    codes = _group_codes(entry)
    unit = entry["unit"]
    if (
        table.unit
        and {_norm(table.unit), unit} <= {"procent", "antal"}
        and _norm(table.unit) != unit
    ):
        message = f"tabellens enhet är {table.unit!r} men indikatorn har {unit!r}"
        raise _fail(name, message)
    roles = {d.role: i for i, d in reversed(list(enumerate(table.dims)))}
    readers = {
        "region": lambda k: _area(k, regso_names),
        "time": _year,
        "sex": _sex,
        "group": lambda k: _group(k, codes),
    }
    categories = entry.get("categories")
    meaning = {}  # (dim index, key) -> value or ValueError
    errors, out, seen, reported = [], [], {}, set()

    def problem(cell, column, message):
        if cell.row is None and column == cell.column:  # json-stat: say which cell it is
            codes_of_cell = zip(table.dims, cell.keys, strict=True)
            column += " (" + ", ".join(f"{d.column}={k[0]}" for d, k in codes_of_cell) + ")"
        if (cell.row, column, message) not in reported:
            reported.add((cell.row, column, message))
            errors.append(RowError(name, cell.row, column, message))

    for cell in table.cells:
        parts = {}
        for role in CORE:
            i = roles.get(role)
            if i is None:
                continue
            key = cell.keys[i]
            if (i, key) not in meaning:
                try:
                    meaning[(i, key)] = readers[role](key)
                except ValueError as e:
                    meaning[(i, key)] = e
            found = meaning[(i, key)]
            if isinstance(found, ValueError):
                problem(cell, table.dims[i].column, str(found))
            else:
                parts[role] = found
        try:
            value, status = _number(cell.value)
            if value is not None and unit == "procent" and not 0 <= value <= 100:
                raise ValueError(f"{value:g} ligger utanför 0–100 procent")
            if value is not None and unit in NON_NEGATIVE and value < 0:
                raise ValueError(f"{value:g} är negativt; {unit} kan inte vara negativt")
            if value is not None and categories and value not in categories:
                raise ValueError(
                    f"{value:g}: {unit} ska vara ett av {', '.join(map(str, categories))}"
                )
        except ValueError as e:
            problem(cell, cell.column, str(e))
            continue
        if len(parts) < sum(1 for r in CORE if r in roles):
            continue
        if "group" in parts and parts["group"] is None:  # a sum of other groups: not stored
            continue
        if categories and not REGSO.match(parts["region"]):
            problem(cell, table.dims[roles["region"]].column, f"{parts['region']} är inget RegSO")
            continue
        key = (parts["region"], parts["time"], parts.get("group", TOTAL), parts.get("sex", "T"))
        if key in seen:
            first = seen[key]
            problem(cell, cell.column, f"samma område, år, grupp och kön som {first}")
            continue
        seen[key] = f"rad {cell.row}" if cell.row else cell.column
        out.append(
            Obs(entry["id"], key[0], key[1], key[2], key[3], value, unit, status or cell.status)
        )
    if errors:
        raise TableError(errors)
    return out


def parse_download(raw, name, indicator, fixed=None, age=None, kommun=None, regso_names=None):
    """The observations of `indicator` in a downloaded file (bytes) called `name`.

    fixed: {variable: value} for variables with several values (age, education level, …);
    age: the value of the age variable; kommun: whose own local indicators count too;
    regso_names: {(kommunkod, name): RegSO code} for "Kommun (RegSO-namn)" regions.
    Raises TableError listing every problem.
    """
    try:
        entry = catalogue.indicator(indicator, kommun)
    except KeyError:
        raise _fail(name, f"okänd indikator {indicator!r} (se docs/indicators.md)") from None
    fmt = detect(raw)
    if fmt == "json-stat2":
        text = _decode(raw, name)
        table = _table_from_jsonstat(text, name)
    else:
        text = _decode(raw, name) if fmt == "csv" else ""
        table = _table_from_grid(_grid(raw, name, fmt), name, entry)
    codes = _group_codes(entry)
    _assign_roles(table, entry, codes)
    missing = [r for r in ("region", "time") if r not in {d.role for d in table.dims}]
    if missing:
        what = {"region": "område (region)", "time": "år (tid)"}
        found = ", ".join(f"{d.column}" for d in table.dims) or "inga"
        message = f"hittar ingen kolumn för {' eller '.join(what[m] for m in missing)} ({found})"
        raise _fail(name, message)
    chosen = _choose(table, name, entry, fixed, age)
    # Names compared as every other value of the file is (case, spaces, dashes).
    regso_names = {(k, _norm(n)): code for (k, n), code in (regso_names or {}).items()}
    observations = _observations(table, name, entry, regso_names)
    if not observations:
        raise _fail(name, "filen har inga värden")
    return Download(observations, fmt, chosen, table.title, text)
