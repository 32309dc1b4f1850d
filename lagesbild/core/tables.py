"""Tables people upload (CSV or Excel): one reader and one error shape for every import.

Statistics files (lagesbild.stats.files) and Handlingsplan activities (lagesbild.plan.transfer)
both read through `read_table` and report with `RowError`, so every message names the file,
the row (the header is row 1) and the column in the same words. Every CSV and Excel export
writes its cells through `safe_cell`, and `read_table` undoes it (`plain_cell`), so an exported
file imports back to the same text. Pure Python, no Django.
"""

import csv
import io
from dataclasses import dataclass

# A spreadsheet program takes a cell starting with one of these as a formula (tab and CR can
# hide one after them): a title "=HYPERLINK(…)" exported as it is runs in the reader's Excel.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"  # what Excel users type first to keep a cell as text


def safe_cell(value):
    """A cell as an export writes it (CSV and Excel alike): text that a spreadsheet would take
    for a formula gets an apostrophe first ("=1+1" -> "'=1+1", "-5 %" -> "'-5 %"). Numbers and
    dates stay as they are (a negative number is a number, not a formula). Text that already
    starts with apostrophes before such a character gets one more, so plain_cell can always
    undo exactly this."""
    if isinstance(value, str) and value.lstrip(GUARD).startswith(FORMULA_STARTS):
        return GUARD + value
    return value


def plain_cell(value):
    """The inverse of safe_cell, for every imported cell: "'=1+1" -> "=1+1". Other text,
    including an apostrophe before ordinary text ("'90-tal"), is left alone."""
    if (
        isinstance(value, str)
        and value.startswith(GUARD)
        and value.lstrip(GUARD).startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


@dataclass(frozen=True)
class RowError:
    file: str
    row: int | None  # the line in the file (the header is row 1); None for the whole file
    column: str
    message: str

    def __str__(self):
        where = f"{self.file}, rad {self.row}" if self.row else self.file
        column = f", kolumn '{self.column}'" if self.column else ""
        return f"{where}{column}: {self.message}"


class TableError(ValueError):
    """A file that stored nothing; `errors` lists every reason (RowError)."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


def _whole_file(filename, message):
    return TableError([RowError(filename, None, "", message)])


def read_table(raw, filename, sheet=None):
    """(header, rows) from the bytes of a .csv or .xlsx file.

    The header is a list of stripped texts; rows are lists of cell values (text from CSV; text,
    numbers and dates as Excel holds them). An Excel file is read from the sheet named `sheet`
    when it has one, else from its first sheet.
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _read_xlsx(raw, filename, sheet)
    elif name.endswith(".csv"):
        table = _read_csv(raw, filename)
    else:
        raise _whole_file(filename, "filen ska vara .csv eller .xlsx")
    if not table:
        raise _whole_file(filename, "filen är tom")
    table = [[plain_cell(value) for value in row] for row in table]
    header = ["" if v is None else str(v).strip() for v in table[0]]
    return header, table[1:]


def _read_csv(raw, filename):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _whole_file(filename, f"filen är inte UTF-8-text (byte {e.start})") from None
    if "\x00" in text:
        raise _whole_file(filename, "filen innehåller binära data")
    try:  # comma, semicolon (Swedish Excel) or tab, as the header line uses
        sniffed = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
        # Only the separators are guessed: the header line cannot show the quoting, which is
        # Excel's ("" is a quote inside a quoted cell).
        layout = {"delimiter": sniffed.delimiter, "skipinitialspace": sniffed.skipinitialspace}
    except csv.Error:
        layout = {}
    try:
        return list(csv.reader(io.StringIO(text), **layout))
    except csv.Error as e:
        raise _whole_file(filename, f"ogiltig CSV: {e}") from None


def _read_xlsx(raw, filename, sheet):
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a file that is not a workbook
        raise _whole_file(filename, f"kan inte läsas som Excel-fil (.xlsx): {e}") from None
    ws = wb[sheet] if sheet in wb.sheetnames else wb.worksheets[0]
    table = [list(r) for r in ws.iter_rows(values_only=True)]
    wb.close()
    return table
