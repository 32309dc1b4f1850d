"""A small, generic document model that render.py turns into HTML, PDF and Word.

The Lägesbild and the plan's follow-up report build a Document; nothing here knows about
either. Text is plain text (renderers escape it); numbers arrive already formatted as strings
(Swedish decimal comma, see lagesbild.reports.formatting). A Figure carries its chart once as
SVG (HTML, PDF) and PNG (Word), so each chart is rendered once per report.
"""

import datetime
from dataclasses import dataclass, field

EXAMPLE_DATA_MARK = "Exempeldata – inte officiell statistik"


@dataclass
class Paragraph:
    text: str


@dataclass
class BulletList:
    items: list[str]


@dataclass
class Note:
    """A remark set apart from the text, e.g. "uppgift saknas/skyddad" or example-data notices."""

    text: str


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric_columns: set[int] = field(default_factory=set)  # 0-based; right-aligned


@dataclass
class Figure:
    alt: str  # the text alternative: what the chart shows, in words
    caption: str
    svg: str
    png: bytes
    table: Table | None = None  # the chart's numbers, shown beside it


@dataclass
class Section:
    title: str
    blocks: list = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)
    key: str = ""  # a stable anchor (e.g. the policy area id); derived from the title if empty


@dataclass
class Document:
    title: str
    subtitle: str
    municipality: str
    meta: list[tuple[str, str]] = field(default_factory=list)  # label, value on the cover
    sections: list[Section] = field(default_factory=list)
    example_data: bool = False  # marks every page as example data
    # The words of that mark: example statistics by default; minutes or a plan of example
    # content say so in their own words.
    example_mark: str = EXAMPLE_DATA_MARK
    language: str = "sv"
    # Shown large on the cover, e.g. "Utkast" or "Publicerad 2026-03-01, version 2"; when
    # empty, the value of the meta row labelled "Status" is shown there instead.
    status: str = ""
    # When the content was put together: the PDF's creation date and the Word file's dates, so
    # a document rendered twice from the same content is the same file, byte for byte.
    dated: datetime.datetime | None = None
    # A document of a page or two (a meeting's minutes): the title block heads the first page
    # and the chapters follow on it, with no cover page, contents or page break per chapter.
    short: bool = False


def walk(sections, level=1, prefix=""):
    """(level, anchor, section) for every section, depth first, with unique anchors."""
    seen = set()

    def visit(sections, level, prefix):
        for i, section in enumerate(sections, 1):
            base = section.key or f"{prefix}{i}"
            anchor = f"s-{slug(base)}"
            while anchor in seen:
                anchor += "-x"
            seen.add(anchor)
            yield level, anchor, section
            yield from visit(section.subsections, level + 1, f"{prefix}{i}-")

    yield from visit(sections, level, prefix)


def slug(text):
    out = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch in "åä":
            out.append("a")
        elif ch == "ö":
            out.append("o")
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-") or "x"
