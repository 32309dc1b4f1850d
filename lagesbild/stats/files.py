"""Local statistics files in and out: the import format and the export (docs/statistics.md).

Import reads CSV (UTF-8, comma or semicolon) or Excel (.xlsx, first sheet), one observation
per row, and checks every row before anything is stored: the errors name file, row and
column. Export writes the current observations with provenance columns in the same format,
so an exported file imports again to the same data.
"""

import csv
import io
import json
import math
import os
import re
import tempfile
from pathlib import Path

from lagesbild.analysis.gaps import gap_series
from lagesbild.analysis.observations import SEXES
from lagesbild.analysis.observations import Observation as Obs
from lagesbild.core import municipalities
from lagesbild.core.tables import RowError, TableError, read_table, safe_cell
from lagesbild.reports.formatting import gap_text

from . import catalogue

# column -> accepted header spellings (first one is what export writes)
COLUMNS = {
    "indikator": ("indikator",),
    "omrade": ("omrade", "område"),
    "ar": ("ar", "år"),
    "grupp": ("grupp",),
    "kon": ("kon", "kön"),
    "varde": ("varde", "värde"),
    "enhet": ("enhet",),
    "status": ("status",),
    "antal": ("antal",),
    "exempeldata": ("exempeldata",),
}
REQUIRED = ("indikator", "omrade", "ar", "grupp", "varde")
PROVENANCE = ("kalla", "kallreferens", "url", "hamtad", "kontrollsumma")
EXPORT_COLUMNS = (*COLUMNS, *PROVENANCE)
AREA_PATTERN = re.compile(r"^(\d{4}|\d{4}[A-C]\d{4}|\d{4}R\d{3})$")  # kommun/län, DeSO, RegSO
GROUP_PATTERN = re.compile(r"^[a-z0-9_\-]{1,40}$", re.I)
YES = ("ja", "yes", "true", "1", "sant")


ImportError_ = TableError  # the name the import command catches


def read_rows(raw, name):
    """(lower-case header, [(row number, [cells as text])]) from a CSV or xlsx file's bytes."""
    header, rows = read_table(raw, name)
    cells = [["" if c is None else _cell_text(c) for c in row] for row in rows]
    return [h.lower() for h in header], list(enumerate(cells, start=2))


def _cell_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(text):
    """A finite number; NaN and infinities are refused like any other non-number."""
    value = float(text.replace("\u2212", "-").replace(" ", "").replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse(path):
    """The file's observations; raises ImportError_ listing every problem (row, column, what)."""
    path = Path(path)
    return parse_bytes(path.read_bytes(), path.name)


def read_own_format(raw, name):
    """A file in the import format, as lagesbild import and the upload page store it: a
    downloads.Download with the observations, the format, and the text for CSV (an Excel file is
    binary: only its checksum is kept). Raises ImportError_ listing every problem."""
    from .downloads import Download

    observations = parse_bytes(raw, name)
    if Path(name).suffix.lower() == ".xlsx":
        return Download(observations, "xlsx", {})
    return Download(observations, "csv", {}, text=raw.decode("utf-8-sig"))


def parse_bytes(raw, name):
    """parse() for a file's bytes and its name (the name is what the messages say)."""
    header, rows = read_rows(raw, name)
    where = {}
    problems = []
    for column, spellings in COLUMNS.items():
        for i, h in enumerate(header):
            if h in spellings:
                where[column] = i
    missing = [c for c in REQUIRED if c not in where]
    if missing:
        raise ImportError_([RowError(name, 1, c, "kolumnen saknas") for c in missing])
    known = {}  # kommunkod -> the shipped catalogue plus that municipality's own indicators
    out, seen = [], {}
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue

        def get(column, cells=cells):
            i = where.get(column)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        def bad(column, message, number=number):
            problems.append(RowError(name, number, column, message))

        indicator = get("indikator")
        area = get("omrade")
        kommun = area[:4] if len(area) >= 4 and not area.startswith("00") else ""
        if kommun not in known:
            known[kommun] = catalogue.catalogue_for(kommun)
        entry = known[kommun].get(indicator)
        if entry is None:
            bad(
                "indikator",
                f"okänd indikator {indicator!r} (lista: lagesbild indicators --kommun KOD)",
            )
        if not AREA_PATTERN.match(area) or (len(area) == 4 and municipalities.get(area) is None):
            bad("omrade", f"{area!r} är ingen känd kommun-, läns-, DeSO- eller RegSO-kod")
        try:
            year = int(get("ar"))
            if not 1990 <= year <= 2100:
                raise ValueError
        except ValueError:
            bad("ar", f"{get('ar')!r} är inget årtal")
            year = None
        group = get("grupp")
        if not GROUP_PATTERN.match(group):
            bad("grupp", f"{group!r}: skriv utrikes_fodda, inrikes_fodda, total eller en kod")
        sex = get("kon").upper() or "T"
        if sex not in SEXES:
            bad("kon", f"{get('kon')!r}: skriv T, K eller M")
        value = None
        if get("varde"):
            try:
                value = _number(get("varde"))
            except ValueError:
                bad("varde", f"{get('varde')!r} är inget tal")
        elif not get("status"):
            bad("varde", "värdet saknas; lämna det bara tomt med en statusflagga (t.ex. ..)")
        unit = get("enhet")
        if entry and unit and unit != entry["unit"]:
            bad("enhet", f"{unit!r} stämmer inte med katalogens enhet {entry['unit']!r}")
        if entry and entry["unit"] == "procent" and value is not None and not 0 <= value <= 100:
            bad("varde", f"{value} ligger utanför 0–100 procent")
        elif entry and entry["unit"] in ("antal", "dagar") and value is not None and value < 0:
            bad("varde", f"{value}: {entry['unit']} kan inte vara negativt")
        count = None
        if get("antal"):
            try:
                count = int(get("antal"))
                if count < 0:
                    raise ValueError
            except ValueError:
                bad("antal", f"{get('antal')!r} är inget heltal från 0 och uppåt")
        if get("exempeldata").lower() in YES:
            bad("exempeldata", "exempeldata kan inte importeras som riktiga värden")
        key = (indicator, area, year, group, sex)
        if key in seen:
            bad("indikator", f"samma värde står redan på rad {seen[key]}")
        seen[key] = number
        if entry:
            out.append(
                Obs(
                    indicator,
                    area,
                    year or 0,
                    group,
                    sex,
                    value,
                    entry["unit"],
                    get("status"),
                    count,
                )
            )
    if problems:
        raise ImportError_(problems)
    if not out:
        raise ImportError_([RowError(name, None, "", "filen har inga rader med värden")])
    return out


def export_rows(observations):
    """Current Observation model rows (with snapshot) as dicts in EXPORT_COLUMNS order."""
    for o in observations:
        s = o.snapshot
        yield {
            "indikator": o.indicator,
            "omrade": o.area,
            "ar": o.period,
            "grupp": o.group,
            "kon": o.sex,
            "varde": o.value,
            "enhet": o.unit,
            "status": o.status,
            "antal": o.count,
            "exempeldata": "ja" if o.example else "nej",
            "kalla": s.source,
            "kallreferens": s.source_ref,
            "url": s.url,
            "hamtad": s.fetched_at.isoformat(),
            "kontrollsumma": s.checksum,
        }


GAP_COLUMNS = (
    "indikator",
    "omrade",
    "ar",
    "enhet",
    "utrikes_fodda",
    "inrikes_fodda",
    "skillnad",
    "kvot",
    "skillnad_i_ord",
    "exempeldata",
)


def gap_rows(observations, units):
    """The foreign-/native-born gap per indicator, area and year, as the Lägesbild says it.

    `skillnad` is utrikes födda minus inrikes födda (negative = lower for the foreign-born),
    `skillnad_i_ord` the same in words; an example value beside a real one gives no gap.
    observations: the analysis' Observation (sex T is used); units: {indicator: unit}.
    """
    kinds = {}
    for o in observations:
        if o.sex == "T":
            kinds.setdefault((o.indicator, o.area), []).append(o)
    for (indicator, area), rows in sorted(kinds.items()):
        examples = {(o.period, o.group): o.example for o in rows}
        for year, g in gap_series(rows, indicator, area).items():
            unit = units.get(indicator, "")
            words = (
                "jämförelse saknas: exempeldata och officiell statistik jämförs inte"
                if g.mixed
                else gap_text(g.foreign, g.native, unit, points=g.points, ratio=g.ratio)
            )
            yield {
                "indikator": indicator,
                "omrade": area,
                "ar": year,
                "enhet": unit,
                "utrikes_fodda": g.foreign,
                "inrikes_fodda": g.native,
                "skillnad": None if g.points is None else round(g.points, 10),
                "kvot": None if g.ratio is None else round(g.ratio, 10),
                "skillnad_i_ord": words,
                "exempeldata": "ja" if examples[(year, "utrikes_fodda")] else "nej",
            }


def write_export(rows, fmt, path=None, stream=None, columns=EXPORT_COLUMNS):
    """Write rows as csv, xlsx or json to path (write-then-rename) or to a text stream.

    CSV and Excel cells go through safe_cell (text that a spreadsheet would run as a formula
    gets an apostrophe first; the import takes it away again). JSON is data, written as it is."""
    rows = list(rows)
    if path is None:
        _write(rows, fmt, stream, columns)
        return
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            if fmt == "xlsx":
                _write(rows, fmt, f, columns)
            else:
                text = io.StringIO()
                _write(rows, fmt, text, columns)
                f.write(text.getvalue().encode("utf-8"))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write(rows, fmt, out, columns):
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else safe_cell(v) for k, v in row.items()})
    elif fmt == "json":
        json.dump({"columns": list(columns), "rows": rows}, out, ensure_ascii=False, indent=1)
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("observationer")
        sheet.append(list(columns))
        for row in rows:
            sheet.append([safe_cell(row[c]) for c in columns])
        book.save(out)
    else:
        raise ValueError(f"okänt format {fmt!r}")
