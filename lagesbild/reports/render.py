"""Render a document.Document as HTML, PDF (typst) or Word (python-docx).

One model, three outputs: the Lägesbild and the follow-up report both come through here.
PDF goes through typst rather than WeasyPrint because it is an order of magnitude faster
(STACK.md) and gives a tagged PDF/UA-1 with embedded fonts, page numbers and a clickable
outline. Figures are rendered before they get here (SVG for HTML and PDF, PNG for Word).

All three open with the same cover: the municipality, the title, the status (draft or
published version) and the document's meta rows (policy and decision, year, …). Word takes
its page, styles, header and footer from a template the municipality can replace
(templates_docx, setting LAGESBILD_WORD_TEMPLATE).
"""

import base64
import dataclasses
import datetime
import io
import os
import re
import zipfile
from functools import cache
from html import escape
from pathlib import Path

from lagesbild.core.text import clean_text

from .charts import text_width
from .document import (
    BulletList,
    Figure,
    Note,
    Paragraph,
    Table,
    walk,
)


def clean_document(doc):
    """A copy of `doc` with every string cleaned of XML-invalid characters (core.text).

    Texts are cleaned when they are stored; this is for what was stored before that, or
    around it (a frozen snapshot written directly), so a published version always renders."""

    def clean(value):
        if isinstance(value, str):
            return clean_text(value)
        if isinstance(value, list | tuple | set):
            return type(value)(clean(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {f.name: clean(getattr(value, f.name)) for f in dataclasses.fields(value)}
            return dataclasses.replace(value, **changes)
        return value

    return clean(doc)


STATIC_CSS = Path(__file__).with_name("static") / "reports" / "report.css"
FONT_DIRS = ["/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/dejavu"]

LABELS = {
    "sv": {
        "contents": "Innehåll",
        "figure": "Diagram",
        "table": "Tabell",
        "page": "Sida",
        "of": "av",
        "part": "del {0} av {1}",
        "toc_hint": "Innehållsförteckningen uppdateras när dokumentet öppnas i Word "
        "(annars: högerklicka och välj Uppdatera fält).",
    },
    "en": {
        "contents": "Contents",
        "figure": "Chart",
        "table": "Table",
        "page": "Page",
        "of": "of",
        "part": "part {0} of {1}",
        "toc_hint": "Word updates the table of contents when it opens the document "
        "(otherwise: right-click and choose Update Field).",
    },
}


def _labels(doc):
    return LABELS.get(doc.language, LABELS["sv"])


def _cover(doc):
    """(status, meta rows) for the cover: the status is shown large, so not again as a row."""
    status = doc.status or dict(doc.meta).get("Status", "")
    rows = [(k, v) for k, v in doc.meta if not (k == "Status" and v == status)]
    return status, rows


# --- Wide tables --------------------------------------------------------------------------------
#
# No word is ever broken (PDF and Word): each column is at least as wide as its longest word.
# A table whose words do not fit side by side is split into several tables of consecutive
# columns, each repeating the first column (the year or the name), captioned "(del 1 av 2)".
# Splitting rather than turning the page to landscape: the reader keeps the page's
# orientation (on screen, in print and in a screen reader's reading order), the parts sit
# where the table belongs, and a chart's table splits cleanly into the municipality's and
# Riket's columns.


def _column_needs(table, size, pad):
    """(least, natural) width of each column in pt: its longest word, its longest text."""
    least, natural = [], []
    for i, head in enumerate(table.header):
        cells = [row[i] for row in table.rows if i < len(row)]
        words = [text_width(w, size, bold=True) for w in head.split()]
        words += [text_width(w, size) for c in cells for w in c.split()]
        texts = [text_width(head, size, bold=True)] + [text_width(c, size) for c in cells]
        least.append(max(words, default=0) + 2 * pad + 1)
        natural.append(max(texts) + 2 * pad + 1)
    return least, natural


def _widths(least, natural, room):
    """Column widths in pt: the natural ones when they fit, else each column its least and
    the rest of the room shared by how much more each would like."""
    if sum(natural) <= room:
        return natural
    spare = room - sum(least)
    if spare < 0:  # a single word wider than the page: scale down, nothing else to do
        return [room * w / sum(least) for w in least]
    wants = [n - w for n, w in zip(natural, least, strict=True)]
    return [w + spare * x / (sum(wants) or 1) for w, x in zip(least, wants, strict=True)]


def table_parts(table, room, size, pad, part_label="del {0} av {1}"):
    """[(table, column widths in pt)]: the table itself, or its parts when it is too wide."""
    least, natural = _column_needs(table, size, pad)
    if sum(least) <= room or len(least) <= 2:
        return [(table, _widths(least, natural, room))]
    groups = [[]]
    for i in range(1, len(least)):
        if groups[-1] and least[0] + sum(least[j] for j in groups[-1]) + least[i] > room:
            groups.append([])
        groups[-1].append(i)
    # The same number of parts with the columns shared out evenly, when that fits too.
    n, columns = len(groups), list(range(1, len(least)))
    even = [columns[k * len(columns) // n : (k + 1) * len(columns) // n] for k in range(n)]
    if all(least[0] + sum(least[j] for j in g) <= room for g in even):
        groups = even
    parts = []
    for k, group in enumerate(groups, 1):
        idx = [0, *group]
        part = Table(
            f"{table.caption} ({part_label.format(k, len(groups))})",
            [table.header[i] for i in idx],
            [[row[i] if i < len(row) else "" for i in idx] for row in table.rows],
            {n for n, i in enumerate(idx) if i in table.numeric_columns},
        )
        widths = _widths([least[i] for i in idx], [natural[i] for i in idx], room)
        parts.append((part, widths))
    return parts


# --- HTML -----------------------------------------------------------------------------------


def _html_table(table):
    out = [f"<table><caption>{escape(table.caption)}</caption><thead><tr>"]
    for i, head in enumerate(table.header):
        cls = ' class="num"' if i in table.numeric_columns else ""
        out.append(f'<th scope="col"{cls}>{escape(head)}</th>')
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            if i == 0:
                out.append(f'<th scope="row">{escape(cell)}</th>')
            else:
                cls = ' class="num"' if i in table.numeric_columns else ""
                out.append(f"<td{cls}>{escape(cell)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _html_scroll(table):
    # A wide table scrolls sideways on small screens; keyboard users reach it by Tab.
    return (
        f'<div class="report-table" tabindex="0" role="region" aria-label="{escape(table.caption)}">'
        f"{_html_table(table)}</div>"
    )


def _html_block(block):
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, BulletList):
        items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Note):
        return f'<p class="report-note">{escape(block.text)}</p>'
    if isinstance(block, Table):
        return _html_scroll(block)
    if isinstance(block, Figure):
        # An <img> with a data: URL: the page's Content-Security-Policy allows it, and the
        # SVG's own styles stay inside the image.
        data = base64.b64encode(block.svg.encode("utf-8")).decode("ascii")
        table = _html_scroll(block.table) if block.table else ""
        return (
            '<figure class="report-figure">'
            f'<img src="data:image/svg+xml;base64,{data}" alt="{escape(block.alt)}">'
            f"<figcaption>{escape(block.caption)}</figcaption>{table}</figure>"
        )
    raise TypeError(f"okänd blocktyp {type(block).__name__}")


def _html_contents(entries, labels):
    """The contents list: chapters and their sections (two levels), linked to their anchors."""
    out = [
        f'<nav class="report-toc" aria-labelledby="report-toc-h">'
        f'<h2 id="report-toc-h">{labels["contents"]}</h2>'
    ]
    depth = 0
    for level, anchor, section in entries:
        if level > 2:
            continue
        if level > depth:
            out.append("<ol>" * (level - depth))
        elif level < depth:
            out.append("</li></ol>" * (depth - level) + "</li>")
        elif depth:
            out.append("</li>")
        depth = level
        out.append(f'<li><a href="#{anchor}">{escape(section.title)}</a>')
    if depth:
        out.append("</li></ol>" * depth)
    out.append("</nav>")
    return "".join(out)


def render_html(doc, standalone=False):
    """The document as an HTML fragment (an <article>) or, standalone, a whole HTML file."""
    doc = clean_document(doc)
    labels = _labels(doc)
    mark = (
        f'<p class="example-data" role="note">{escape(doc.example_mark)}</p>'
        if doc.example_data
        else ""
    )
    kind = "report report-short" if doc.short else "report"
    out = [f'<article class="{kind}" lang="{escape(doc.language)}">', mark]
    status, rows = _cover(doc)
    out.append('<header class="report-cover">')
    out.append(f'<p class="report-municipality">{escape(doc.municipality)}</p>')
    out.append(f"<h1>{escape(doc.title)}</h1>")
    if doc.subtitle:
        out.append(f'<p class="report-subtitle">{escape(doc.subtitle)}</p>')
    if status:
        out.append(f'<p class="report-status">{escape(status)}</p>')
    if rows:
        out.append('<dl class="facts">')
        for label, value in rows:
            out.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
        out.append("</dl>")
    out.append("</header>")

    entries = list(walk(doc.sections))
    if not doc.short:
        out.append(_html_contents(entries, labels))

    def emit(level, anchor, section, parent):
        h = min(level + 1, 6)
        # A subsection is named with its chapter too ("Arbete Beprövad erfarenhet"): every
        # chapter has one of the same title, and a region's name must tell them apart.
        names = f"{parent}-h {anchor}-h" if parent else f"{anchor}-h"
        out.append(f'<section id="{anchor}" aria-labelledby="{names}" class="report-section">')
        out.append(f'<h{h} id="{anchor}-h">{escape(section.title)}</h{h}>')
        out.extend(_html_block(b) for b in section.blocks)

    # walk() yields depth first; close each <section> once its subsections are done.
    open_levels = []  # (level, anchor) of the sections still open
    for level, anchor, section in entries:
        while open_levels and open_levels[-1][0] >= level:
            out.append("</section>")
            open_levels.pop()
        emit(level, anchor, section, open_levels[-1][1] if open_levels else "")
        open_levels.append((level, anchor))
    out.append("</section>" * len(open_levels))
    out.append(mark)
    out.append("</article>")
    body = "".join(out)
    if not standalone:
        return body
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(doc.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(doc.title)} – {escape(doc.municipality)}</title>\n"
        f"<style>\n{_css()}</style>\n</head>\n<body>\n<main>{body}</main>\n</body>\n</html>\n"
    )


@cache
def _css():
    return STATIC_CSS.read_text(encoding="utf-8")


# --- PDF (typst) ----------------------------------------------------------------------------

PDF_TEXT_WIDTH = 595.28 - 2 * 62.36  # A4 less the 2.2 cm margins, in pt
PDF_TABLE_SIZE, PDF_CELL_INSET = 8.5, 4
ACCENT = "#005a9c"


def _t(text):
    """A typst string literal: all text goes in as data, never as markup."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\n", "\\n").replace("\r", "")
    return f'"{text}"'


def _typst_cell(text):
    """A table cell's text; a word with a dash ("0–1", "2021–2025") is boxed, as typst would
    otherwise break after the dash (its column is wide enough for the whole word)."""
    parts = re.split(r"(\S*[–-]\S*)", text)
    return "".join(
        (f"#box({_t(part)})" if i % 2 else f"#{_t(part)}") for i, part in enumerate(parts) if part
    )


def _typst_table(table, labels):
    out = []
    parts = table_parts(table, PDF_TEXT_WIDTH, PDF_TABLE_SIZE, PDF_CELL_INSET, labels["part"])
    for part, widths in parts:
        n = len(part.header)
        align = ", ".join("right" if i in part.numeric_columns else "left" for i in range(n))
        columns = ", ".join(f"{w:.1f}pt" for w in widths)
        head = ", ".join(f"[*{_typst_cell(h)}*]" for h in part.header)
        cells = []
        for row in part.rows:
            cells.extend(f"[{_typst_cell(cell)}]" for cell in row[:n])
        out.append(
            f"#figure(kind: table, caption: [#{_t(part.caption)}], "
            f"table(columns: ({columns},), align: ({align},), "
            f"table.header(repeat: true, {head}), {', '.join(cells)}))\n"
        )
    return "".join(out)


def _typst_block(block, inputs, labels):
    if isinstance(block, Paragraph):
        return f"#par[#{_t(block.text)}]\n"
    if isinstance(block, BulletList):
        items = ", ".join(f"[#{_t(item)}]" for item in block.items)
        return f"#list({items})\n"
    if isinstance(block, Note):
        return f"#note[#{_t(block.text)}]\n"
    if isinstance(block, Table):
        return _typst_table(block, labels)
    if isinstance(block, Figure):
        key = f"fig{len(inputs)}"
        inputs[key] = block.svg
        out = (
            f'#figure(image(bytes(sys.inputs.at("{key}")), format: "svg", width: 100%, '
            f"alt: {_t(block.alt)}), caption: [#{_t(block.caption)}])\n"
        )
        if block.table:
            out += _typst_table(block.table, labels)
        return out
    raise TypeError(f"okänd blocktyp {type(block).__name__}")


# Hyphenation is off everywhere: typst marks a hyphenated break as a soft hyphen (U+00AD)
# that turns up in copied text. Tables give each column room for its longest word instead.
# Outline entries are written without outline.entry's inner(), which joins the dots and the
# page number with a word joiner (U+2060), again invisible but copied.
# A chart and its caption form one unbreakable figure; a table's caption (above it) is sticky,
# so it never stays alone at the foot of a page while the table starts on the next.
TYPST_STYLE = f"""
#set par(justify: false, leading: 0.65em)
#show heading: set block(above: 1.4em, below: 0.8em)
#show heading.where(level: 1): set text(size: 16pt, fill: rgb("{ACCENT}"))
#show heading.where(level: 2): set text(size: 12.5pt)
#show outline.entry: it => link(it.element.location(),
  it.indented(it.prefix(), [#it.body() #box(width: 1fr, it.fill) #it.page()]))
#show figure.where(kind: table): set figure.caption(position: top)
#show figure.where(kind: table): set block(breakable: true)
#show figure.caption.where(kind: table): set block(sticky: true)
#show figure.where(kind: image): set block(breakable: false)
#set figure(numbering: none)
#set table(stroke: 0.5pt + luma(150), inset: {PDF_CELL_INSET}pt)
#show table: set text(size: {PDF_TABLE_SIZE}pt)
#let note(body) = block(fill: luma(238), inset: 8pt, width: 100%, body)
"""


def _typst_cover(doc):
    """The first page: municipality, title, subtitle, status, then the meta rows."""
    status, rows = _cover(doc)
    out = [
        f'#par(text(size: 13pt, weight: "bold", fill: rgb("{ACCENT}"))[#{_t(doc.municipality)}])\n',
        "#v(1em)\n" if doc.short else "#v(4cm)\n",
        f'#par(leading: 0.4em, text(size: {20 if doc.short else 26}pt, weight: "bold")'
        f"[#{_t(doc.title)}])\n",
    ]
    if doc.subtitle:
        out.append(f"#v(0.4em)\n#par(text(size: 14pt)[#{_t(doc.subtitle)}])\n")
    if status:
        out.append(
            f'#v(1.2em)\n#box(stroke: 1.2pt + rgb("{ACCENT}"), inset: (x: 9pt, y: 6pt), '
            f'radius: 2pt, text(size: 12pt, weight: "bold", fill: rgb("{ACCENT}"))'
            f"[#{_t(status)}])\n"
        )
    out.append("#v(1em)\n" if doc.short else "#v(1fr)\n")
    if rows:
        cells = ", ".join(f"[*#{_t(k)}*], [#{_t(v)}]" for k, v in rows)
        out.append(
            f'#line(length: 100%, stroke: 0.8pt + rgb("{ACCENT}"))\n'
            f"#grid(columns: (auto, 1fr), column-gutter: 1.2em, row-gutter: 0.7em, {cells})\n"
        )
    out.append("#v(1.5em)\n" if doc.short else "#pagebreak()\n")
    return out


def to_typst(doc):
    """(typst source, sys_inputs) for the document."""
    labels = _labels(doc)
    inputs = {}
    mark = _t(doc.example_mark) if doc.example_data else '""'
    region = ', region: "SE"' if doc.language == "sv" else ""
    out = [
        f"#set document(title: {_t(doc.title + ' – ' + doc.municipality)}, "
        f"author: {_t(doc.municipality)})\n",
        f'#set text(lang: "{doc.language}"{region}, font: ("Noto Sans", "DejaVu Sans"), '
        "size: 10pt, hyphenate: false)\n",
        TYPST_STYLE,
        # Each chapter on a new page, except in a short document.
        "" if doc.short else "#show heading.where(level: 1): it => { pagebreak(weak: true); it }\n",
        f"#let mark = {mark}\n",
        # The cover carries no page number; every other page its number and the title (a
        # short document has no cover: its first page is numbered too).
        '#set page(paper: "a4", margin: (x: 2.2cm, top: 2.6cm, bottom: 2.4cm),\n'
        '  header: if mark != "" { align(center, text(weight: "bold", fill: rgb("#5c4400"), mark)) },\n'
        f"  footer: context if counter(page).get().first() > {0 if doc.short else 1} {{\n"
        "    set text(size: 8.5pt)\n"
        f"    grid(columns: (1fr, auto), column-gutter: 1em, "
        f"text(fill: luma(80))[#{_t(doc.title + ' – ' + doc.municipality)}],\n"
        f"      [{labels['page']} "
        '#counter(page).display("1 / 1", both: true)])\n  })\n',
    ]
    out.extend(_typst_cover(doc))
    if not doc.short:
        out.append(f"#outline(title: {_t(labels['contents'])}, depth: 2)\n")
    for level, _anchor, section in walk(doc.sections):
        out.append(f"#heading(level: {min(level, 6)})[#{_t(section.title)}]\n")
        out.extend(_typst_block(b, inputs, labels) for b in section.blocks)
    return "".join(out), inputs


@cache
def typst_compiler():
    """One typst compiler per process (PDF and chart PNGs); fonts from two folders only."""
    import typst

    return typst.Compiler(font_paths=FONT_DIRS, ignore_system_fonts=True)


# Poppler (pdfinfo, pdftoppm, pdftotext; 22.12 in Debian 12) prints "Syntax Error: Suspects
# object is wrong type (boolean)" for the /MarkInfo << /Marked true /Suspects false >> that
# typst writes for tagged PDF. The entry is valid (ISO 32000-1, table 321: optional boolean,
# default false); Catalog::getMarkInfo tests `isBool() && getBool()` and reports every other
# value, false included, as the wrong type. Leaving the entry out means the same, so it is
# blanked with as many spaces: every object keeps its byte offset and the xref table stays
# right. docs/lagesbild-report.md has the details.
SUSPECTS = b"/Suspects false"


def render_pdf(doc):
    """A tagged PDF/UA-1 with embedded fonts, page numbers and a clickable contents list."""
    doc = clean_document(doc)
    source, inputs = to_typst(doc)
    pdf = typst_compiler().compile(
        input=source.encode("utf-8"),
        format="pdf",
        sys_inputs=inputs,
        pdf_standards=["ua-1"],
        timestamp=int(doc.dated.timestamp()) if doc.dated else None,
    )
    return pdf.replace(SUSPECTS, b" " * len(SUSPECTS), 1)


# --- Word (python-docx) ---------------------------------------------------------------------

DOCX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOTX_TYPE = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
WORD_TABLE_SIZE, WORD_CELL_MARGIN = 9, 5.4  # pt: the default template's table text, cell margin
# settings.xml keeps its children in the schema's order: what may follow each one we add.
AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
)
AFTER_THEME_FONT_LANG = (
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def word_template_path():
    """The municipality's Word template: the setting LAGESBILD_WORD_TEMPLATE (Django settings
    or the environment), or "" for the default one."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        path = getattr(settings, "LAGESBILD_WORD_TEMPLATE", "")
    except ImproperlyConfigured:
        path = ""
    return str(path or os.environ.get("LAGESBILD_WORD_TEMPLATE", ""))


@cache
def default_word_template():
    from .templates_docx import build

    return build()


def word_template():
    """The template's bytes as a .docx: a Word template (.dotx) differs only in its type."""
    path = word_template_path()
    if not path:
        return default_word_template()
    data = Path(path).expanduser().read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        types = source.read("[Content_Types].xml")
        if DOTX_TYPE not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    content = content.replace(DOTX_TYPE, DOCX_TYPE)
                target.writestr(item, content)
    return out.getvalue()


def _word_style(document, name, kind="paragraph"):
    """The id of the style called `name` (Word's own name, whatever the template's language
    calls it on screen); a style missing from the template is added plainly."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    styles = document.styles.element
    ids = set()
    for style in styles.findall(qn("w:style")):
        ids.add(style.get(qn("w:styleId")))
        found = style.find(qn("w:name"))
        if (
            found is not None
            and found.get(qn("w:val")).lower() == name.lower()
            and style.get(qn("w:type")) == kind
        ):
            return style.get(qn("w:styleId"))
    style_id = "".join(ch for ch in name.title() if ch.isalnum())
    while style_id in ids:
        style_id += "X"
    lower = name.lower()
    props = ""
    if lower.startswith("heading "):
        level = int(lower.split()[1])
        props = (
            f'<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/>'
            f'<w:outlineLvl w:val="{level - 1}"/></w:pPr>'
            f'<w:rPr><w:b/><w:sz w:val="{max(36 - 4 * level, 22)}"/></w:rPr>'
        )
    elif lower.startswith("toc ") and lower[-1].isdigit():
        props = f'<w:pPr><w:ind w:left="{340 * (int(lower[-1]) - 1)}"/></w:pPr>'
    elif lower in ("title", "toc heading"):
        props = '<w:pPr><w:keepNext/></w:pPr><w:rPr><w:b/><w:sz w:val="40"/></w:rPr>'
    elif lower == "caption":
        props = '<w:pPr><w:keepNext/></w:pPr><w:rPr><w:i/><w:sz w:val="18"/></w:rPr>'
    if kind == "table":
        lines = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        xml = (
            f'<w:style {nsdecls("w")} w:type="table" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:tblPr><w:tblBorders>{lines}</w:tblBorders>'
            '<w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
            "</w:tblCellMar></w:tblPr></w:style>"
        )
    else:
        xml = (
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:qFormat/>{props}</w:style>'
        )
    styles.append(parse_xml(xml))
    return style_id


class _Word:
    """A python-docx document from the template, emptied, plus its style ids, looked up once.

    python-docx resolves a style name on every paragraph by scanning all styles; with a few
    hundred paragraphs that was a third of the time, so paragraphs get the id directly.
    """

    STYLES = (
        "Title",
        "Subtitle",
        "Caption",
        "List Bullet",
        "Intense Quote",
        "TOC Heading",
        "toc 1",
        "toc 2",
        "toc 3",
        *(f"heading {n}" for n in range(1, 7)),
    )

    def __init__(self, template):
        from docx import Document as WordDocument
        from docx.oxml.ns import qn

        self.document = WordDocument(io.BytesIO(template))
        body = self.document.element.body
        for child in list(body):  # the template's own text goes; its page setup stays
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.style_ids = {name: _word_style(self.document, name) for name in self.STYLES}
        self.table_style = _word_style(self.document, "Table Grid", "table")
        bullet = self.document.styles.element.get_by_id(self.style_ids["List Bullet"])
        # A template's "List Bullet" without numbering shows no bullet: write one.
        self.bullet = "" if bullet.find(f".//{qn('w:numPr')}") is not None else "• "
        section = self.document.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        self.text_width = width / 12700  # EMU to pt

    def paragraph(self, text="", style=None):
        p = self.document.add_paragraph(text)
        if style:
            p._p.style = self.style_ids[style]
        return p

    def heading(self, text, level):
        return self.paragraph(text, f"heading {min(level, 6)}")

    def table(self, table, labels):
        parts = table_parts(
            table, self.text_width, WORD_TABLE_SIZE, WORD_CELL_MARGIN, labels["part"]
        )
        for part, widths in parts:
            self._table(part, widths)

    def _table(self, table, widths):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Pt
        from lxml.etree import SubElement

        self.paragraph(table.caption, "Caption").paragraph_format.keep_with_next = True
        n = len(table.header)
        t = self.document.add_table(rows=1 + len(table.rows), cols=n)
        t._tbl.tblPr.style = self.table_style
        t.autofit = False  # fixed widths: each column holds its longest word
        for col, width in zip(t._tbl.tblGrid.gridCol_lst, widths, strict=True):
            col.w = Pt(width)
        # The header row repeats on every page the table runs over.
        header_flag = OxmlElement("w:tblHeader")
        header_flag.set(qn("w:val"), "true")
        t.rows[0]._tr.get_or_add_trPr().append(header_flag)
        # Cells are written as plain XML: python-docx's cell and run objects cost more than
        # the rest of the document together.
        for tr, values in zip(t._tbl.tr_lst, [table.header, *table.rows], strict=True):
            tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))  # a row stays whole
            for i, (tc, value) in enumerate(zip(tr.tc_lst, values[:n], strict=False)):
                tc.width = Pt(widths[i])
                p = tc.find(qn("w:p"))
                if i in table.numeric_columns:
                    jc = SubElement(SubElement(p, qn("w:pPr")), qn("w:jc"))
                    jc.set(qn("w:val"), "right")
                r = SubElement(p, qn("w:r"))
                if values is table.header:
                    SubElement(SubElement(r, qn("w:rPr")), qn("w:b"))
                text = SubElement(r, qn("w:t"))
                text.text = value
                text.set(qn("xml:space"), "preserve")
        self.paragraph()

    def block(self, block, labels):
        from docx.shared import Emu

        if isinstance(block, Paragraph):
            self.paragraph(block.text)
        elif isinstance(block, BulletList):
            for item in block.items:
                self.paragraph(self.bullet + item, "List Bullet")
        elif isinstance(block, Note):
            self.paragraph(block.text, "Intense Quote")
        elif isinstance(block, Table):
            self.table(block, labels)
        elif isinstance(block, Figure):
            picture = self.paragraph()
            # The picture's paragraph keeps with its caption: never a page apart.
            picture.paragraph_format.keep_with_next = True
            width = Emu(min(5760000, int(self.text_width * 12700)))  # at most 16 cm
            shape = picture.add_run().add_picture(io.BytesIO(block.png), width=width)
            shape._inline.docPr.set("descr", block.alt)
            shape._inline.docPr.set("title", block.caption)
            self.paragraph(block.caption, "Caption")
            if block.table:
                self.table(block.table, labels)
        else:
            raise TypeError(f"okänd blocktyp {type(block).__name__}")

    def contents(self, entries, hint):
        """A real TOC field (levels 1–3, links) that Word fills in with page numbers when it
        opens the file (updateFields); until then the headings are listed without them."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        def run(paragraph, element):
            r = OxmlElement("w:r")
            r.append(element)
            paragraph._p.append(r)

        def field(kind):
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            return el

        first = self.paragraph()
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = ' TOC \\o "1-3" \\h \\z \\u '
        for element in (field("begin"), instr, field("separate")):
            run(first, element)
        first.add_run(hint).italic = True
        last = first
        for level, _anchor, section in entries:
            if level <= 3:
                last = self.paragraph(section.title, f"toc {level}")
        run(last, field("end"))


def _page_fields(paragraph, *parts):
    """Text and fields (PAGE, NUMPAGES) in a paragraph: parts are text or ("field", code)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for part in parts:
        if isinstance(part, str):
            paragraph.add_run(part)
            continue
        for kind, text in (("begin", None), (None, f" {part[1]} "), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            paragraph.add_run()._r.append(el)


def _set_language(document, language):
    """The language of all text (docDefaults and every style that names one) and of the
    theme fonts, so Word's spelling and screen readers use Swedish."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = {"sv": "sv-SE", "en": "en-GB"}.get(language, language)
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    r_pr_default = defaults.find(qn("w:rPrDefault"))
    if r_pr_default is None:
        r_pr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, r_pr_default)
    r_pr = r_pr_default.find(qn("w:rPr"))
    if r_pr is None:
        r_pr = OxmlElement("w:rPr")
        r_pr_default.append(r_pr)
    if r_pr.find(qn("w:lang")) is None:
        r_pr.append(OxmlElement("w:lang"))
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)
    settings = document.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is None:
        theme_lang = OxmlElement("w:themeFontLang")
        settings.insert_element_before(theme_lang, *AFTER_THEME_FONT_LANG)
    theme_lang.set(qn("w:val"), tag)
    document.core_properties.language = tag


def _update_fields_on_open(document):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.insert_element_before(update, *AFTER_UPDATE_FIELDS, *AFTER_THEME_FONT_LANG)
    update.set(qn("w:val"), "true")


def _headers(document):
    """Every header part in use: default, first page and even pages where the template has them."""
    for section in document.sections:
        yield section.header
        if section.different_first_page_header_footer:
            yield section.first_page_header
        if document.settings.odd_and_even_pages_header_footer:
            yield section.even_page_header


def render_docx(doc):
    """A Word file from the template: its page, styles, header (logo) and footer; real heading
    styles, a contents field, alt text on every image and repeating table headers."""
    doc = clean_document(doc)
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    labels = _labels(doc)
    word = _Word(word_template())
    document = word.document
    document.core_properties.title = f"{doc.title} – {doc.municipality}"
    document.core_properties.author = doc.municipality
    _set_language(document, doc.language)
    _update_fields_on_open(document)

    if doc.example_data:
        for header in _headers(document):
            paragraphs = header.paragraphs
            if paragraphs:
                mark = paragraphs[0].insert_paragraph_before(doc.example_mark)
                mark.style = paragraphs[0].style
            else:
                mark = header.add_paragraph(doc.example_mark)
            mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
            mark.runs[0].bold = True
    footer = document.sections[0].footer
    fields = footer._element.iter(qn("w:fldChar"), qn("w:fldSimple"), qn("w:instrText"))
    has_field = next(fields, None) is not None
    if not has_field and not any(p.text.strip() for p in footer.paragraphs):
        p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_fields(
            p, f"{labels['page']} ", ("field", "PAGE"), f" {labels['of']} ", ("field", "NUMPAGES")
        )

    status, rows = _cover(doc)
    word.paragraph().add_run(doc.municipality).bold = True
    word.paragraph(doc.title, "Title")
    if doc.subtitle:
        word.paragraph(doc.subtitle, "Subtitle")
    if status:
        run = word.paragraph().add_run(status)
        run.bold, run.font.size = True, Pt(14)
    for label, value in rows:
        p = word.paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    if doc.example_data:
        word.paragraph(doc.example_mark, "Intense Quote")

    entries = list(walk(doc.sections))
    if not doc.short:
        word.paragraph(labels["contents"], "TOC Heading").paragraph_format.page_break_before = True
        word.contents(entries, labels["toc_hint"])

    for level, _anchor, s in entries:
        heading = word.heading(s.title, level)
        if level == 1 and not doc.short:
            heading.paragraph_format.page_break_before = True
        for block in s.blocks:
            word.block(block, labels)

    if doc.dated:
        naive = doc.dated.astimezone(datetime.UTC).replace(tzinfo=None)
        document.core_properties.created = document.core_properties.modified = naive
    buffer = io.BytesIO()
    document.save(buffer)
    return _dated_zip(buffer.getvalue(), doc.dated)


def _dated_zip(data, dated):
    """The .docx with every member dated `dated` (else 1980-01-01), not the render time."""
    when = dated.astimezone(datetime.UTC).timetuple()[:6] if dated else (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                info = zipfile.ZipInfo(item.filename, date_time=when)
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, source.read(item.filename))
    return out.getvalue()
