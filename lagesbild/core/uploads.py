"""One check for every uploaded import file: size, rows, what the content really is, and for
Excel files what the archive holds.

Every upload path calls it before reading a file (the plan import, the statistics upload, the
`lagesbild import` command):

    from lagesbild.core.uploads import check_upload
    try:
        kind = check_upload(request.FILES["file"], kinds=("csv", "xlsx"))
    except ValidationError as e:
        form.add_error("file", e)

or put `UploadValidator(kinds=("csv",))` in a form field's `validators`. The messages name the
file. The file is left at position 0 for the importer. Nothing here loads more than a small
start of the file into memory: CSV lines are counted chunk by chunk, and an Excel file's
members are read through zipfile, which stops at the size each member declares.
"""

import re
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

EXTENSIONS = {
    "csv": (".csv", ".txt"),
    "xlsx": (".xlsx",),
    "json": (".json",),  # json-stat2 from SCB's Statistikdatabasen
    "yaml": (".yaml", ".yml"),
}
# Magic numbers of formats that are never a text file (ZIP/Office, PDF, old Office, executables).
BINARY_STARTS = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x7fELF", b"MZ", b"\x1f\x8b")
SNIFF_BYTES = 64 * 1024
# An xlsx is a zip: refuse archives that unpack to far more than they weigh (zip bombs). Real
# workbooks unpack to 2-20 times their size (measured: 20,000 equal rows from openpyxl, 17).
MAX_XLSX_EXPANSION = 50
# One member may pack better than the whole (a sheet beside a picture), but not like a bomb;
# members smaller than MEMBER_RATIO_FROM unpacked are harmless whatever their ratio.
MAX_MEMBER_EXPANSION = 100
MEMBER_RATIO_FROM = 1024 * 1024
# The members a plain workbook has (Excel, LibreOffice, openpyxl, SCB): XML parts (VML for
# notes), their relations, pictures and printer settings. Anything else (an embedded document,
# an ActiveX control's binary, a macro project) is refused, and so are the XML parts below.
ALLOWED_MEMBER = re.compile(
    r"^(\[Content_Types\]\.xml"
    r"|(_rels|docProps|customXml|xl)/([\w.\-]+/)*[\w.\-\[\]]*\.(xml|rels|vml)"
    r"|(xl/media|docProps)/[\w.\-]+\.(png|jpe?g|gif|emf|wmf|bmp|tiff?|svg)"
    r"|xl/printerSettings/printerSettings\d+\.bin)$",
    re.IGNORECASE,
)
MACRO_MEMBER = re.compile(r"^xl/(vbaProject|vbaProjectSignature)\.bin$|^xl/macrosheets/", re.I)
LINK_MEMBER = re.compile(r"^xl/(externalLinks/|connections\.xml$|queryTables/)", re.I)
OBJECT_MEMBER = re.compile(r"^xl/(activeX|embeddings|dialogsheets)/", re.I)
# The workbook's main part as [Content_Types].xml names it: a workbook or a template, never
# the macro-enabled kinds (.xlsm, .xltm) renamed to .xlsx.
WORKBOOK_TYPES = (
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
)
SHEET_MEMBER = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.I)
ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")


def max_upload_bytes():
    return getattr(settings, "LAGESBILD_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def max_upload_rows():
    return getattr(settings, "LAGESBILD_MAX_UPLOAD_ROWS", 100_000)


def _fail(message, name, **params):
    raise ValidationError(message, code="invalid_upload", params={"name": name, **params})


def _read_start(upload, n):
    upload.seek(0)
    data = upload.read(n)
    upload.seek(0)
    return data


def _text_start(upload, name, what):
    """The file's first SNIFF_BYTES as text; refuses binary content and unknown encodings."""
    start = _read_start(upload, SNIFF_BYTES)
    if start.startswith(BINARY_STARTS) or b"\x00" in start:
        _fail(_("%(name)s är ingen textfil (%(what)s): innehållet är binärt."), name, what=what)
    try:
        return start.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if e.start >= len(start) - 4:  # just a character cut at the sniff boundary
            return start[: e.start].decode("utf-8-sig")
        try:
            return start.decode("cp1252")  # Excel's "CSV (semikolonavgränsad)" on Windows
        except UnicodeDecodeError:
            _fail(_("%(name)s: teckenkodningen är varken UTF-8 eller Windows-1252."), name)


def _too_many_rows(name, limit):
    _fail(
        _("%(name)s har fler än %(limit)s rader; dela upp filen (högst %(limit)s rader)."),
        name,
        limit=limit,
    )


def _check_csv(upload, name):
    text = _text_start(upload, name, "CSV")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        _fail(_("%(name)s är tom eller saknar rubrikrad."), name)
    # Some line near the start separates columns (a download from Statistikdatabasen starts
    # with a title line; rows may differ in length, which csv.Sniffer would refuse).
    if len(lines) > 1 and not any(d in line for line in lines[:20] for d in ",;\t"):
        _fail(_("%(name)s: hittar inga kolumner (avgränsare , ; eller tab)."), name)
    # Counted in chunks, so a file far over the limit costs no memory (a quoted cell with a
    # line break counts as two lines: the limit is on lines).
    limit, lines = max_upload_rows(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        lines += chunk.count(b"\n")
        if lines > limit:
            upload.seek(0)
            _too_many_rows(name, limit)
    upload.seek(0)


def _check_json(upload, name):
    text = _text_start(upload, name, "JSON")
    if not text.lstrip().startswith("{"):
        _fail(_("%(name)s är ingen JSON-fil (json-stat2 börjar med {)."), name)


def _check_yaml(upload, name):
    if not _text_start(upload, name, "YAML").strip():
        _fail(_("%(name)s är tom."), name)


def _sheet_rows(z, info, limit, name):
    """Counts a worksheet's rows as zipfile unpacks it, a megabyte at a time."""
    rows, tail = 0, b""
    with z.open(info) as member:
        while chunk := member.read(1024 * 1024):
            data = tail + chunk
            # A tag starting in the last 64 bytes may be cut: it is counted in the next round.
            keep = max(len(data) - 64, 0)
            rows += sum(1 for m in ROW_TAG.finditer(data) if m.start() < keep)
            tail = data[keep:]
            if rows > limit:
                _too_many_rows(name, limit)
    if rows + len(ROW_TAG.findall(tail)) > limit:
        _too_many_rows(name, limit)


def _check_members(z, name, size):
    infos = z.infolist()
    for info in infos:
        member = info.filename
        if MACRO_MEMBER.search(member):
            _fail(_("%(name)s innehåller makron; spara den som vanlig .xlsx."), name)
        if LINK_MEMBER.search(member):
            _fail(
                _(
                    "%(name)s innehåller länkar till andra filer eller datakällor (%(member)s); "
                    "ta bort länkarna och spara igen."
                ),
                name,
                member=member,
            )
        if OBJECT_MEMBER.search(member) or not ALLOWED_MEMBER.match(member):
            _fail(
                _(
                    "%(name)s innehåller inbäddade objekt eller okända delar (%(member)s); "
                    "spara den som vanlig .xlsx utan dem."
                ),
                name,
                member=member,
            )
        if (
            info.file_size > MEMBER_RATIO_FROM
            and info.file_size > max(info.compress_size, 1) * MAX_MEMBER_EXPANSION
        ):
            _fail(
                _("%(name)s packar upp till orimligt mycket data (%(member)s)."),
                name,
                member=member,
            )
    if sum(info.file_size for info in infos) > max(size, 1) * MAX_XLSX_EXPANSION:
        _fail(_("%(name)s packar upp till orimligt mycket data."), name)


def _check_xlsx(upload, name, size):
    if not _read_start(upload, 4).startswith(b"PK\x03\x04"):
        _fail(_("%(name)s är ingen Excel-fil (.xlsx)."), name)
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as z:
            names = set(z.namelist())
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                _fail(_("%(name)s är ingen Excel-arbetsbok (.xlsx)."), name)
            _check_members(z, name, size)
            # By content, not by name: the workbook part's declared type (a .xlsm renamed to
            # .xlsx declares the macro-enabled one). The members' sizes are checked above.
            with z.open("[Content_Types].xml") as member:
                types = member.read(1024 * 1024)
            if not any(t in types for t in WORKBOOK_TYPES):
                _fail(_("%(name)s är ingen Excel-arbetsbok (.xlsx)."), name)
            limit = max_upload_rows()
            for info in z.infolist():
                if SHEET_MEMBER.match(info.filename):
                    _sheet_rows(z, info, limit, name)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression
        _fail(_("%(name)s är en trasig Excel-fil."), name)
    finally:
        upload.seek(0)


def check_upload(upload, kinds=("csv", "xlsx"), max_bytes=None):
    """Check an UploadedFile; returns its kind ("csv", "xlsx", ...) or raises ValidationError.

    The kind comes from the name's extension among `kinds`; the content must then be that
    kind (a zip named .csv, or text named .xlsx, is refused)."""
    name = getattr(upload, "name", "") or _("filen")
    limit = max_bytes or max_upload_bytes()
    size = upload.size
    if size > limit:
        # The limits are binary megabytes (10 * 1024 * 1024): "1 MB", not "1.0 MB; högst 1.0 MB".
        _fail(_("%(name)s är för stor (högst %(limit)s MB)."), name, limit=f"{limit / 2**20:g}")
    if size == 0:
        _fail(_("%(name)s är tom."), name)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = next((k for k in kinds if suffix in EXTENSIONS[k]), None)
    if kind is None:
        allowed = ", ".join(e for k in kinds for e in EXTENSIONS[k])
        _fail(_("%(name)s: filtypen stöds inte (tillåtna: %(allowed)s)."), name, allowed=allowed)
    if kind == "csv":
        _check_csv(upload, name)
    elif kind == "xlsx":
        _check_xlsx(upload, name, size)
    elif kind == "json":
        _check_json(upload, name)
    else:
        _check_yaml(upload, name)
    return kind


def check_path(path, kinds=("csv", "xlsx")):
    """check_upload for a file on disk (the import commands); the name is the file's own."""
    with open(path, "rb") as f:
        return check_upload(File(f, name=path.name), kinds)


@deconstructible
class UploadValidator:
    """check_upload as a form or model field validator."""

    def __init__(self, kinds=("csv", "xlsx"), max_bytes=None):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, upload):
        check_upload(upload, self.kinds, self.max_bytes)

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and self.kinds == other.kinds
            and self.max_bytes == other.max_bytes
        )
