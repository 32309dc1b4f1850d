"""Files the upload tests build themselves: real workbooks with something added, zip bombs in
small, CSV files with many lines. The limits are lowered through settings in the tests, so
every file stays small."""

import io
import random
import zipfile

from openpyxl import Workbook

MACRO_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
WORKBOOK_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def workbook(rows=(("kommun", "år", "värde"), ("1082", 2024, 51))):
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_members(raw, members=None, macro_type=False):
    """The workbook `raw` with members added (name -> bytes), or declared macro-enabled."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if macro_type and info.filename == "[Content_Types].xml":
                data = data.replace(WORKBOOK_TYPE, MACRO_TYPE)
            target.writestr(info.filename, data)
        for name, data in (members or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def bomb(raw, members=4, each=900_000):
    """A workbook with members of zeros, each under the one-member check's 1 MB: a few kB
    that unpack to members * each bytes."""
    return with_members(raw, {f"xl/zeros{i}.xml": b"0" * each for i in range(members)})


def member_bomb(raw, unpacked=2_000_000):
    """One member packs ~1000:1 while the whole file stays under the total ratio: a picture
    of random bytes (does not pack) beside it."""
    noise = random.Random(0).randbytes(200_000)
    return with_members(
        raw, {"xl/media/image1.png": noise, "xl/sharedStrings2.xml": b"0" * unpacked}
    )


BAD_MEMBERS = {
    "macro": ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba"}, "innehåller makron"),
    "excel4-macro": ({"xl/macrosheets/sheet1.xml": b"<xm/>"}, "innehåller makron"),
    "external-link": (
        {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"},
        "innehåller länkar till andra filer eller datakällor (xl/externalLinks/externalLink1.xml)",
    ),
    "connection": ({"xl/connections.xml": b"<connections/>"}, "innehåller länkar"),
    "activex": (
        {"xl/activeX/activeX1.bin": b"\xd0\xcf\x11\xe0"},
        "innehåller inbäddade objekt eller okända delar (xl/activeX/activeX1.bin)",
    ),
    "embedding": (
        {"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"},
        "innehåller inbäddade objekt",
    ),
    "stranger": ({"payload.exe": b"MZ"}, "innehåller inbäddade objekt eller okända delar"),
}


def csv_lines(n, header="kommun;år;värde"):
    return (header + "\n" + "1082;2024;51\n" * n).encode()
