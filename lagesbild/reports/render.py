"""Render a document.Document as HTML, PDF (typst) or Word (python-docx).

One model, three outputs: the Lägesbild and the follow-up report both come through here.
PDF goes through typst rather than WeasyPrint because it is an order of magnitude faster
(STACK.md) and gives a tagged PDF/UA-1 with embedded fonts, page numbers and a clickable
outline. Figures are rendered before they get here (SVG for HTML and PDF, PNG for Word).
"""

import base64
import io
from functools import cache
from html import escape
from pathlib import Path

from .document import (
    EXAMPLE_DATA_MARK,
    BulletList,
    Figure,
    Note,
    Paragraph,
    Table,
    walk,
)

STATIC_CSS = Path(__file__).with_name("static") / "reports" / "report.css"
FONT_DIRS = ["/usr/share/fonts/truetype/noto", "/usr/share/fonts/truetype/dejavu"]

LABELS = {
    "sv": {"contents": "Innehåll", "figure": "Diagram", "table": "Tabell", "page": "Sida"},
    "en": {"contents": "Contents", "figure": "Chart", "table": "Table", "page": "Page"},
}


def _labels(doc):
    return LABELS.get(doc.language, LABELS["sv"])


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


def render_html(doc, standalone=False):
    """The document as an HTML fragment (an <article>) or, standalone, a whole HTML file."""
    labels = _labels(doc)
    mark = (
        f'<p class="example-data" role="note">{escape(EXAMPLE_DATA_MARK)}</p>'
        if doc.example_data
        else ""
    )
    out = [f'<article class="report" lang="{escape(doc.language)}">', mark]
    out.append('<header class="report-cover">')
    out.append(f'<p class="report-municipality">{escape(doc.municipality)}</p>')
    out.append(f"<h1>{escape(doc.title)}</h1>")
    if doc.subtitle:
        out.append(f'<p class="report-subtitle">{escape(doc.subtitle)}</p>')
    if doc.meta:
        out.append('<dl class="facts">')
        for label, value in doc.meta:
            out.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
        out.append("</dl>")
    out.append("</header>")

    entries = list(walk(doc.sections))
    out.append(
        f'<nav class="report-toc" aria-labelledby="report-toc-h">'
        f'<h2 id="report-toc-h">{labels["contents"]}</h2>'
    )
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

    def emit(level, anchor, section):
        h = min(level + 1, 6)
        out.append(f'<section id="{anchor}" aria-labelledby="{anchor}-h" class="report-section">')
        out.append(f'<h{h} id="{anchor}-h">{escape(section.title)}</h{h}>')
        out.extend(_html_block(b) for b in section.blocks)

    # walk() yields depth first; close each <section> once its subsections are done.
    open_levels = []
    for level, anchor, section in entries:
        while open_levels and open_levels[-1] >= level:
            out.append("</section>")
            open_levels.pop()
        emit(level, anchor, section)
        open_levels.append(level)
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


def _t(text):
    """A typst string literal: all text goes in as data, never as markup."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\n", "\\n").replace("\r", "")
    return f'"{text}"'


def _typst_table(table):
    n = len(table.header)
    align = ", ".join("right" if i in table.numeric_columns else "left" for i in range(n))
    # Column widths follow the longest text in each column (within limits), so long words
    # get room and short numbers do not take a sixth of the page.
    # Columns of short unbreakable values (years, dates, numbers, checksums) take what they
    # need; text columns share the rest by the length of their longest text.
    widths = []
    for i in range(n):
        column = [table.header[i]] + [r[i] for r in table.rows if i < len(r)]
        longest = max(len(c) for c in column)
        if longest <= 20 and not any(" " in c for c in column[1:]):
            widths.append("auto")
        else:
            widths.append(f"{min(max(longest, 4), 40)}fr")
    head = ", ".join(f"[*#{_t(h)}*]" for h in table.header)
    cells = []
    for row in table.rows:
        cells.extend(f"[#{_t(cell)}]" for cell in row[:n])
    body = ", ".join(cells)
    return (
        f"#figure(kind: table, caption: [#{_t(table.caption)}], "
        f"table(columns: ({', '.join(widths)},), align: ({align},), "
        f"table.header(repeat: true, {head}), {body}))\n"
    )


def _typst_block(block, inputs):
    if isinstance(block, Paragraph):
        return f"#par[#{_t(block.text)}]\n"
    if isinstance(block, BulletList):
        items = ", ".join(f"[#{_t(item)}]" for item in block.items)
        return f"#list({items})\n"
    if isinstance(block, Note):
        return f"#note[#{_t(block.text)}]\n"
    if isinstance(block, Table):
        return _typst_table(block)
    if isinstance(block, Figure):
        key = f"fig{len(inputs)}"
        inputs[key] = block.svg
        out = (
            f'#figure(image(bytes(sys.inputs.at("{key}")), format: "svg", width: 100%, '
            f"alt: {_t(block.alt)}), caption: [#{_t(block.caption)}])\n"
        )
        if block.table:
            out += _typst_table(block.table)
        return out
    raise TypeError(f"okänd blocktyp {type(block).__name__}")


def to_typst(doc):
    """(typst source, sys_inputs) for the document."""
    labels = _labels(doc)
    inputs = {}
    mark = _t(EXAMPLE_DATA_MARK) if doc.example_data else '""'
    out = [
        f"#set document(title: {_t(doc.title + ' – ' + doc.municipality)}, "
        f"author: {_t(doc.municipality)})\n",
        f'#set text(lang: "{doc.language}", font: ("Noto Sans", "DejaVu Sans"), size: 10pt)\n',
        "#set par(justify: false, leading: 0.65em)\n",
        "#show heading: set block(above: 1.4em, below: 0.8em)\n",
        "#show heading.where(level: 1): it => { pagebreak(weak: true); it }\n",
        "#show figure.where(kind: table): set figure.caption(position: top)\n",
        "#show figure: set block(breakable: true)\n",
        "#set figure(numbering: none)\n",
        "#set table(stroke: 0.5pt + luma(150), inset: 4pt)\n",
        "#show table: set text(size: 8.5pt, hyphenate: true)\n",
        "#let note(body) = block(fill: luma(238), inset: 8pt, width: 100%, body)\n",
        f"#let mark = {mark}\n",
        '#set page(paper: "a4", margin: (x: 2.2cm, top: 2.6cm, bottom: 2.4cm),\n'
        '  header: if mark != "" { align(center, text(weight: "bold", fill: rgb("#5c4400"), mark)) },\n'
        f"  footer: context align(center, text(size: 9pt)[{labels['page']} "
        '#counter(page).display("1 / 1", both: true)]))\n',
        f"#text(size: 12pt)[#{_t(doc.municipality)}]\n\n",
        f'#text(size: 24pt, weight: "bold")[#{_t(doc.title)}]\n\n',
    ]
    if doc.subtitle:
        out.append(f"#text(size: 14pt)[#{_t(doc.subtitle)}]\n\n")
    if doc.meta:
        rows = ", ".join(f"[*#{_t(k)}*], [#{_t(v)}]" for k, v in doc.meta)
        out.append(f"#v(1em)\n#grid(columns: 2, column-gutter: 1em, row-gutter: 0.6em, {rows})\n")
    out.append(f"#pagebreak()\n#outline(title: {_t(labels['contents'])}, depth: 2)\n")
    for level, _anchor, section in walk(doc.sections):
        out.append(f"#heading(level: {min(level, 6)})[#{_t(section.title)}]\n")
        out.extend(_typst_block(b, inputs) for b in section.blocks)
    return "".join(out), inputs


@cache
def typst_compiler():
    """One typst compiler per process (PDF and chart PNGs); fonts from two folders only."""
    import typst

    return typst.Compiler(font_paths=FONT_DIRS, ignore_system_fonts=True)


def render_pdf(doc):
    """A tagged PDF/UA-1 with embedded fonts, page numbers and a clickable contents list."""
    source, inputs = to_typst(doc)
    return typst_compiler().compile(
        input=source.encode("utf-8"), format="pdf", sys_inputs=inputs, pdf_standards=["ua-1"]
    )


# --- Word (python-docx) ---------------------------------------------------------------------


class _Word:
    """A python-docx document plus its style ids, looked up once.

    python-docx resolves a style name on every paragraph by scanning all styles; with a few
    hundred paragraphs that was a third of the time, so paragraphs get the id directly.
    """

    STYLES = ("Title", "Subtitle", "Caption", "List Bullet", "List Number", "Intense Quote")

    def __init__(self):
        from docx import Document as WordDocument

        self.document = WordDocument()
        styles = self.document.styles
        self.style_ids = {name: styles[name].style_id for name in self.STYLES}
        self.style_ids.update(
            {f"Heading {n}": styles[f"Heading {n}"].style_id for n in range(1, 7)}
        )
        self.table_style = styles["Table Grid"]

    def paragraph(self, text="", style=None):
        p = self.document.add_paragraph(text)
        if style:
            p._p.style = self.style_ids[style]
        return p

    def heading(self, text, level):
        return self.paragraph(text, f"Heading {min(level, 6)}")

    def table(self, table):
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from lxml.etree import SubElement

        self.paragraph(table.caption, "Caption")
        n = len(table.header)
        t = self.document.add_table(rows=1 + len(table.rows), cols=n)
        t.style = self.table_style
        # The header row repeats on every page the table runs over.
        header_flag = OxmlElement("w:tblHeader")
        header_flag.set(qn("w:val"), "true")
        t.rows[0]._tr.get_or_add_trPr().append(header_flag)
        # Cells are written as plain XML: python-docx's cell and run objects cost more than
        # the rest of the document together.
        for tr, values in zip(t._tbl.tr_lst, [table.header, *table.rows], strict=True):
            for i, (tc, value) in enumerate(zip(tr.tc_lst, values[:n], strict=False)):
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

    def block(self, block):
        from docx.shared import Cm

        if isinstance(block, Paragraph):
            self.paragraph(block.text)
        elif isinstance(block, BulletList):
            for item in block.items:
                self.paragraph(item, "List Bullet")
        elif isinstance(block, Note):
            self.paragraph(block.text, "Intense Quote")
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            shape = self.document.add_picture(io.BytesIO(block.png), width=Cm(16))
            shape._inline.docPr.set("descr", block.alt)
            shape._inline.docPr.set("title", block.caption)
            self.paragraph(block.caption, "Caption")
            if block.table:
                self.table(block.table)
        else:
            raise TypeError(f"okänd blocktyp {type(block).__name__}")


def _set_language(document, language):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = {"sv": "sv-SE", "en": "en-GB"}.get(language, language)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), tag)


def _add_page_field(paragraph):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def render_docx(doc):
    """A Word file with real heading styles, alt text on every image and repeating headers."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    labels = _labels(doc)
    word = _Word()
    document = word.document
    document.core_properties.title = f"{doc.title} – {doc.municipality}"
    document.core_properties.author = doc.municipality
    document.core_properties.language = doc.language
    _set_language(document, doc.language)

    section = document.sections[0]
    if doc.example_data:
        header = section.header.paragraphs[0]
        header.text = EXAMPLE_DATA_MARK
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header.runs[0].bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{labels['page']} ")
    _add_page_field(footer)

    word.paragraph(doc.municipality)
    word.paragraph(doc.title, "Title")
    if doc.subtitle:
        word.paragraph(doc.subtitle, "Subtitle")
    for label, value in doc.meta:
        p = word.paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    if doc.example_data:
        word.paragraph(EXAMPLE_DATA_MARK, "Intense Quote")

    document.add_page_break()
    word.heading(labels["contents"], 1)
    for level, _anchor, s in walk(doc.sections):
        if level == 1:
            word.paragraph(s.title, "List Number")

    for level, _anchor, s in walk(doc.sections):
        if level == 1:
            document.add_page_break()
        word.heading(s.title, level)
        for block in s.blocks:
            word.block(block)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
