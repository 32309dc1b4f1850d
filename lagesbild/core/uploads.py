"""One check for every uploaded import file: size, extension and what the content really is.

Import views call it before reading a file:

    from lagesbild.core.uploads import check_upload
    try:
        kind = check_upload(request.FILES["file"], kinds=("csv", "xlsx"))
    except ValidationError as e:
        form.add_error("file", e)

or put `UploadValidator(kinds=("csv",))` in a form field's `validators`. The messages name the
file. The file is left at position 0 for the importer.
"""

import csv
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

EXTENSIONS = {"csv": (".csv", ".txt"), "xlsx": (".xlsx",)}
# Magic numbers of formats that are never a CSV file (ZIP/Office, PDF, old Office, executables).
BINARY_STARTS = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x7fELF", b"MZ", b"\x1f\x8b")
SNIFF_BYTES = 64 * 1024
# An xlsx is a zip: refuse archives that unpack to far more than they weigh (zip bombs).
MAX_XLSX_EXPANSION = 50


def max_upload_bytes():
    return getattr(settings, "LAGESBILD_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def _fail(message, name, **params):
    raise ValidationError(message, code="invalid_upload", params={"name": name, **params})


def _read_start(upload, n):
    upload.seek(0)
    data = upload.read(n)
    upload.seek(0)
    return data


def _check_csv(upload, name):
    start = _read_start(upload, SNIFF_BYTES)
    if start.startswith(BINARY_STARTS) or b"\x00" in start:
        _fail(_("%(name)s är ingen textfil (CSV): innehållet är binärt."), name)
    try:
        text = start.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if e.start < len(start) - 4:  # not just a character cut at the sniff boundary
            try:
                text = start.decode("cp1252")  # Excel's "CSV (semikolonavgränsad)" on Windows
            except UnicodeDecodeError:
                _fail(_("%(name)s: teckenkodningen är varken UTF-8 eller Windows-1252."), name)
        else:
            text = start[: e.start].decode("utf-8-sig")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        _fail(_("%(name)s är tom eller saknar rubrikrad."), name)
    if len(lines) > 1:
        try:
            csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t")
        except csv.Error:
            _fail(_("%(name)s: hittar inga kolumner (avgränsare , ; eller tab)."), name)


def _check_xlsx(upload, name, size):
    if not _read_start(upload, 4).startswith(b"PK\x03\x04"):
        _fail(_("%(name)s är ingen Excel-fil (.xlsx)."), name)
    upload.seek(0)
    try:
        with zipfile.ZipFile(io.BytesIO(upload.read())) as z:
            names = set(z.namelist())
            unpacked = sum(info.file_size for info in z.infolist())
    except zipfile.BadZipFile:
        _fail(_("%(name)s är en trasig Excel-fil."), name)
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        _fail(_("%(name)s är ingen Excel-arbetsbok (.xlsx)."), name)
    if "xl/vbaProject.bin" in names:
        _fail(_("%(name)s innehåller makron; spara den som vanlig .xlsx."), name)
    if unpacked > max(size, 1) * MAX_XLSX_EXPANSION:
        _fail(_("%(name)s packar upp till orimligt mycket data."), name)


def check_upload(upload, kinds=("csv", "xlsx"), max_bytes=None):
    """Check an UploadedFile; returns its kind ("csv" or "xlsx") or raises ValidationError."""
    name = getattr(upload, "name", "") or _("filen")
    limit = max_bytes or max_upload_bytes()
    size = upload.size
    if size > limit:
        _fail(
            _("%(name)s är för stor (%(size)s MB; högst %(limit)s MB)."),
            name,
            size=round(size / 1e6, 1),
            limit=round(limit / 1e6, 1),
        )
    if size == 0:
        _fail(_("%(name)s är tom."), name)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = next((k for k in kinds if suffix in EXTENSIONS[k]), None)
    if kind is None:
        allowed = ", ".join(e for k in kinds for e in EXTENSIONS[k])
        _fail(_("%(name)s: filtypen stöds inte (tillåtna: %(allowed)s)."), name, allowed=allowed)
    if kind == "csv":
        _check_csv(upload, name)
    else:
        _check_xlsx(upload, name, size)
    return kind


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
