"""HTML, PDF and Word from the same Document, checked by opening the real files."""

import io
import re
import subprocess
import zipfile

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Inches, Twips

from lagesbild.reports import charts
from lagesbild.reports.document import (
    EXAMPLE_DATA_MARK,
    BulletList,
    Document,
    Figure,
    Note,
    Paragraph,
    Section,
    Table,
)
from lagesbild.reports.lagesbild import build_document, collect
from lagesbild.reports.render import (
    PDF_CELL_INSET,
    PDF_TABLE_SIZE,
    PDF_TEXT_WIDTH,
    default_word_template,
    render_docx,
    render_html,
    render_pdf,
    table_parts,
)

from .conftest import employment, store

CHAPTERS = [
    "Vägledande princip: Utbildning",
    "Vägledande princip: Språk",
    "Vägledande princip: Arbete",
    "Vägledande princip: Hälsa",
    "Vägledande princip: Demokrati & delaktighet",
]


def pdf_text(pdf, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(pdf, tmp_path, tool="pdfinfo"):
    path = tmp_path / "i.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, str(path)], capture_output=True, text=True).stdout


@pytest.fixture
def lagesbild(karlshamn, db):
    store(
        employment("1082", {y: (60.0 + y - 2021, 80.0) for y in range(2016, 2026)}, example=True)
        + employment("0000", {y: (65.0, 85.0) for y in range(2016, 2026)}, example=True),
        example=True,
    )
    return build_document(collect(karlshamn, 2025))


SPECIAL = 'Citat "så här", \\ snedstreck, #hash, $dollar$, *stjärna*, _under_, <vinkel> & [hak] @at'


def small_document(**kw):
    table = Table("Tabell med tal", ["År", "Värde"], [["2024", "1,5"], ["2025", "2,5"]], {1})
    return Document(
        "Uppföljning 2025",
        "Handlingsplanens läge",
        "Lidköpings kommun",
        [("År", "2025")],
        [
            Section("Första", [Paragraph(SPECIAL), BulletList(["ett", "två"]), Note("En not.")]),
            Section("Andra", [table], [Section("Underrubrik", [Paragraph("Text.")])]),
        ],
        **kw,
    )


# --- PDF ---------------------------------------------------------------------------------------


def test_pdf_has_every_chapter_and_the_sources_appendix(lagesbild, tmp_path):
    text = pdf_text(render_pdf(lagesbild), tmp_path)
    for title in CHAPTERS + ["Bilaga: källor och metod", "Källor", "Röjandekontroll", "Innehåll"]:
        assert title in text
    assert "N02268,N02269" in text  # the Kolada KPI ids in the sources table
    assert "Röjandekontroll" in text and "saknar den" in text  # the rule, in the appendix


def test_pdf_marks_example_data_on_every_page(lagesbild, tmp_path):
    pages = pdf_text(render_pdf(lagesbild), tmp_path).split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 8  # cover, contents, intro, five chapters, appendix
    assert all(EXAMPLE_DATA_MARK in p for p in pages)
    assert all(re.search(r"Sida \d+ / \d+", p) for p in pages[1:])  # the cover has none
    assert not re.search(r"Sida \d+ / \d+", pages[0])


def test_pdf_is_tagged_with_embedded_fonts_and_a_title(lagesbild, tmp_path):
    pdf = render_pdf(lagesbild)
    info = pdf_info(pdf, tmp_path)
    assert re.search(r"Tagged:\s+yes", info)
    assert "Lägesbild för integration 2025 – Karlshamns kommun" in info
    fonts = pdf_info(pdf, tmp_path, "pdffonts").splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts)  # embedded, subset
    assert b"pdfuaid:part" in pdf  # declared PDF/UA-1


def test_pdf_shows_special_characters_as_text(tmp_path):
    text = pdf_text(render_pdf(small_document()), tmp_path)
    assert " ".join(SPECIAL.split()) in " ".join(text.split())
    assert EXAMPLE_DATA_MARK not in text


def poppler(tool, pdf, tmp_path, *args):
    """Run a poppler tool on the PDF; pdftoppm writes its pages into tmp_path."""
    path = tmp_path / f"{tool}.pdf"
    path.write_bytes(pdf)
    out = [str(tmp_path / "page")] if tool == "pdftoppm" else []
    return subprocess.run([tool, *args, str(path), *out], capture_output=True, text=True)


LONG_CELL = (
    "Arbetsmarknadsintegrationen för utrikes födda kvinnor med kort utbildningsbakgrund "
    "har förbättrats under perioden, men sysselsättningsgraden är fortfarande betydligt lägre "
    "än bland inrikes födda och kompetensförsörjningsbehoven inom välfärdssektorn är stora. "
) * 3
GROUPS = [
    "Utrikes födda",
    "Utrikes födda, 0–1 år i Sverige",
    "Utrikes födda, 2–3 år i Sverige",
    "Utrikes födda, 10 år eller mer i Sverige",
    "Inrikes födda",
]
WIDE_HEADER = ["År"] + [f"{g}, {p}" for p in ("Karlshamns kommun", "Riket") for g in GROUPS]
WIDE = Table("Sysselsättningsgrad", WIDE_HEADER, [["2025"] + ["63,2"] * 10], set(range(1, 11)))


def cover_document(**kw):
    doc = small_document(**kw)
    doc.meta = [
        ("Policy", "Policy för integration 2026–2029, version 2 (KF 2025-11-27 § 123)"),
        ("År", "2025"),
        ("Status", "Publicerad 2026-03-02, version 2"),
    ]
    doc.sections[0].blocks.append(
        Table("Kommentarer", ["Område", "Kommentar"], [["Arbete", LONG_CELL]])
    )
    doc.sections[1].blocks.append(WIDE)
    return doc


def test_pdf_is_a4_and_opens_with_a_cover(tmp_path):
    pdf = render_pdf(cover_document())
    pages = poppler("pdfinfo", pdf, tmp_path, "-f", "1", "-l", "99").stdout
    sizes = re.findall(r"Page +\d+ size: +(.*)", pages)
    assert sizes and all(size == "595.276 x 841.89 pts (A4)" for size in sizes)
    cover = pdf_text(pdf, tmp_path).split("\f")[0]
    flat = " ".join(cover.split())
    for text in (
        "Lidköpings kommun",
        "Uppföljning 2025",
        "Publicerad 2026-03-02, version 2",  # the status, large
        "Policy för integration 2026–2029, version 2 (KF 2025-11-27 § 123)",
        "Policy",
        "År 2025",
    ):
        assert text in flat
    assert "Status" not in flat  # shown as the status itself, not again as a row
    assert "Innehåll" not in flat  # the contents start on the next page


def test_a_short_document_starts_on_its_first_page_without_contents(tmp_path):
    """Minutes and the like: title, status and facts head page 1, the chapters follow on the
    same page, and no contents list is drawn in any format; the long report keeps both."""
    pdf = render_pdf(small_document(short=True))
    info = poppler("pdfinfo", pdf, tmp_path).stdout
    assert re.search(r"Pages: +1\n", info)
    flat = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Uppföljning 2025 Handlingsplanens läge" in flat
    assert "Första" in flat and "Underrubrik" in flat and "Innehåll" not in flat
    assert "Sida 1 / 1" in flat  # the first page is numbered: it is not a cover
    assert re.search(
        r"Pages: +[3-9]", poppler("pdfinfo", render_pdf(small_document()), tmp_path).stdout
    )

    word = WordDocument(io.BytesIO(render_docx(small_document(short=True))))
    assert not [p for p in word.paragraphs if p.style.name.startswith("TOC")]
    headings = [p for p in word.paragraphs if p.style.name == "Heading 1"]
    assert [h.text for h in headings] == ["Första", "Andra"]
    assert not any(h.paragraph_format.page_break_before for h in headings)

    html = render_html(small_document(short=True))
    assert "report-toc" not in html and 'id="s-1"' in html
    assert '<article class="report report-short"' in html  # print CSS: no cover page
    assert "report-toc" in render_html(small_document())


def test_pdf_text_copies_without_invisible_characters(tmp_path):
    text = pdf_text(render_pdf(cover_document()), tmp_path)
    assert "kompetensförsörjningsbehoven" in text  # a long word, not hyphenated
    for invisible in ("\u00ad", "\u2060", "\u200b", "\ufeff"):  # soft hyphen, word joiners
        assert invisible not in text, f"U+{ord(invisible):04X} in the PDF's text"


def test_poppler_reads_the_pdf_without_syntax_errors(tmp_path):
    pdf = render_pdf(cover_document())
    for tool, args in (("pdfinfo", ()), ("pdftoppm", ("-r", "20", "-png", "-f", "1", "-l", "2"))):
        result = poppler(tool, pdf, tmp_path, *args)
        assert result.returncode == 0
        assert "Syntax Error" not in result.stderr, (tool, result.stderr)
    # Still tagged: only poppler's false alarm about "/Suspects false" is gone.
    assert b"/Marked true" in pdf and b"/Suspects false" not in pdf
    assert re.search(r"Tagged:\s+yes", poppler("pdfinfo", pdf, tmp_path).stdout)


def test_a_wide_table_is_split_repeating_its_first_column(tmp_path):
    parts = table_parts(WIDE, PDF_TEXT_WIDTH, PDF_TABLE_SIZE, PDF_CELL_INSET)
    assert len(parts) == 2
    assert [p.caption for p, _ in parts] == [
        "Sysselsättningsgrad (del 1 av 2)",
        "Sysselsättningsgrad (del 2 av 2)",
    ]
    assert all(p.header[0] == "År" and p.rows[0][0] == "2025" for p, _ in parts)
    assert [h for p, _ in parts for h in p.header[1:]] == WIDE_HEADER[1:]  # each column once
    assert all(p.numeric_columns == set(range(1, len(p.header))) for p, _ in parts)
    assert all(sum(widths) <= PDF_TEXT_WIDTH + 0.01 for _, widths in parts)
    # A table that fits stays whole.
    assert len(table_parts(small_document().sections[1].blocks[0], 470, 8.5, 4)) == 1

    text = pdf_text(render_pdf(cover_document()), tmp_path)
    assert "Sysselsättningsgrad (del 2 av 2)" in " ".join(text.split())
    # No word of a header is broken: every one comes out of the PDF whole.
    words = set(text.split())
    for header in WIDE_HEADER + ["Kommentar"]:
        for word in header.split():
            assert word in words, word


def test_a_chart_stays_with_its_caption_and_a_table_with_its_caption(tmp_path):
    svg = charts.line_chart(
        [charts.Series("Testgrupp", "Testkommun", ((2023, 1.0), (2024, 2.0), (2025, 3.0)))],
        "Procent",
        "Test",
    )
    table = Table(
        "Diagrammets tabell", ["År", "Värde"], [[str(y), "1,0"] for y in range(2010, 2026)]
    )
    figure = Figure("Linjediagram: test.", "Diagram: testdiagrammet.", svg, b"", table)
    # One more line of text each time walks the chart and its table down over a page break.
    for lines in range(0, 56):
        doc = small_document()
        doc.sections = [Section("Kapitel", [Paragraph("Rad.")] * lines + [figure])]
        pages = pdf_text(render_pdf(doc), tmp_path).split("\f")
        [page] = [p for p in pages if "Diagram: testdiagrammet." in p]
        assert "Testgrupp, Testkommun" in page, lines  # the chart's legend, on the same page
        [page] = [p for p in pages if "Diagrammets tabell" in p]
        assert "2010" in page, lines  # the caption above its table's first row


# --- Word --------------------------------------------------------------------------------------


def test_word_has_real_headings_in_order(lagesbild):
    word = WordDocument(io.BytesIO(render_docx(lagesbild)))
    level1 = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    # "Innehåll" is Word's TOC Heading: a heading on the page, not an entry in the contents.
    assert level1 == ["Om lägesbilden", *CHAPTERS, "Agenda 2030", "Bilaga: källor och metod"]
    assert [p.text for p in word.paragraphs if p.style.name == "TOC Heading"] == ["Innehåll"]
    level2 = [p.text for p in word.paragraphs if p.style.name == "Heading 2"]
    assert "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda" in level2
    assert word.core_properties.title == "Lägesbild för integration 2025 – Karlshamns kommun"


def test_word_images_have_alt_text(lagesbild):
    word = WordDocument(io.BytesIO(render_docx(lagesbild)))
    shapes = word.inline_shapes
    assert len(shapes) >= 1
    for shape in shapes:
        assert shape._inline.docPr.get("descr", "").startswith("Linjediagram:")


def test_word_tables_repeat_their_header_row(lagesbild):
    word = WordDocument(io.BytesIO(render_docx(lagesbild)))
    assert len(word.tables) >= 1  # the chart's table; the sources are a list now
    for table in word.tables:
        flag = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert flag is not None and flag.get(qn("w:val")) == "true"


def test_word_marks_example_data_in_the_page_header(lagesbild):
    word = WordDocument(io.BytesIO(render_docx(lagesbild)))
    assert word.sections[0].header.paragraphs[0].text == EXAMPLE_DATA_MARK
    plain = WordDocument(io.BytesIO(render_docx(small_document())))
    assert plain.sections[0].header.paragraphs[0].text == ""


def test_word_keeps_text_exactly():
    word = WordDocument(io.BytesIO(render_docx(small_document())))
    assert SPECIAL in [p.text for p in word.paragraphs]
    assert [c.text for c in word.tables[0].rows[2].cells] == ["2025", "2,5"]


def word_xml(content, part="word/document.xml"):
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read(part).decode("utf-8")


def test_word_is_a4_with_margins_from_the_default_template():
    word = WordDocument(io.BytesIO(render_docx(cover_document())))
    section = word.sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))
    assert section.page_width.emu == 7560310 and section.page_height.emu == 10692130
    for margin in (section.left_margin, section.right_margin, section.top_margin):
        assert 2.4 < margin.cm < 2.6


def test_word_has_a_contents_field_that_word_updates_on_open():
    content = render_docx(cover_document())
    document = word_xml(content)
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-3" \\h', document)
    assert document.count('w:fldCharType="begin"') == document.count('w:fldCharType="end"')
    settings = word_xml(content, "word/settings.xml")
    assert '<w:updateFields w:val="true"/>' in settings
    # The contents list the headings until Word fills in the page numbers.
    word = WordDocument(io.BytesIO(content))
    toc = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("toc")]
    assert toc == [("toc 1", "Första"), ("toc 1", "Andra"), ("toc 2", "Underrubrik")]


def test_word_is_swedish():
    content = render_docx(cover_document())
    styles = word_xml(content, "word/styles.xml")
    assert re.search(r'<w:docDefaults>.*<w:lang w:val="sv-SE"', styles, re.S)
    assert 'w:lang w:val="en-US"' not in styles
    assert '<w:themeFontLang w:val="sv-SE"' in word_xml(content, "word/settings.xml")
    assert WordDocument(io.BytesIO(content)).core_properties.language == "sv-SE"


def test_word_headings_are_words_own_heading_styles():
    doc = small_document()
    doc.sections[1].subsections[0].subsections = [Section("Nivå tre", [Paragraph("Text.")])]
    word = WordDocument(io.BytesIO(render_docx(doc)))
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "Första"),
        ("Heading 1", "Andra"),
        ("Heading 2", "Underrubrik"),
        ("Heading 3", "Nivå tre"),
    ]
    # Word's built-in styles: saved under their English names, read out by screen readers.
    assert '<w:name w:val="heading 3"/>' in word_xml(render_docx(doc), "word/styles.xml")


def test_word_splits_a_wide_table_and_keeps_the_cover():
    word = WordDocument(io.BytesIO(render_docx(cover_document())))
    texts = [p.text for p in word.paragraphs]
    assert "Publicerad 2026-03-02, version 2" in texts
    assert "Policy: Policy för integration 2026–2029, version 2 (KF 2025-11-27 § 123)" in texts
    wide = [t for t in word.tables if t.rows[0].cells[0].text == "År" and len(t.columns) > 2]
    assert len(wide) == 2
    assert [c.text for t in wide for c in t.rows[0].cells[1:]] == WIDE_HEADER[1:]
    assert "Sysselsättningsgrad (del 1 av 2)" in texts


def municipal_template(tmp_path, name="mall.docx", dotx=False):
    """The default template as a municipality would change it: a logo and a name in the
    header, another heading font, Letter paper, some text of its own."""
    from docx.shared import Cm, Inches

    template = WordDocument(io.BytesIO(default_word_template()))
    section = template.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    logo = charts.to_png([charts.line_chart([], "", "Logga")])[0]
    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(logo), width=Cm(3))
    header.add_run("Lidköpings kommun")
    template.styles["Heading 1"].font.name = "Garamond"
    template.add_paragraph("Mallens egen text som inte ska med.")
    path = tmp_path / name
    template.save(path)
    if dotx:  # the same file saved as a Word template (.dotx): only the content type differs
        data = io.BytesIO()
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(data, "w") as target:
            for item in source.infolist():
                body = source.read(item.filename)
                if item.filename == "[Content_Types].xml":
                    body = body.replace(b"document.main+xml", b"template.main+xml")
                target.writestr(item, body)
        path.write_bytes(data.getvalue())
    return path


@pytest.mark.parametrize("dotx", [False, True])
def test_word_uses_the_municipalitys_template(tmp_path, settings, dotx):
    settings.LAGESBILD_WORD_TEMPLATE = str(municipal_template(tmp_path, dotx=dotx))
    content = render_docx(small_document(example_data=True))
    word = WordDocument(io.BytesIO(content))
    header = word.sections[0].header
    assert [p.text for p in header.paragraphs] == [EXAMPLE_DATA_MARK, "Lidköpings kommun"]
    assert "<a:blip " in word_xml(content, "word/header1.xml")  # the logo
    assert word.styles["Heading 1"].font.name == "Garamond"
    assert word.sections[0].page_width == Inches(8.5)  # the template's page, as it chose
    assert "Mallens egen text som inte ska med." not in [p.text for p in word.paragraphs]
    assert "Sida" in word.sections[0].footer.paragraphs[0].text  # empty footer: page numbers


def test_word_template_without_the_styles_it_needs_still_works(tmp_path, settings):
    path = municipal_template(tmp_path)
    template = WordDocument(path)
    for name in ("List Bullet", "Caption", "Heading 2", "Table Grid", "TOC Heading"):
        element = template.styles[name].element
        element.getparent().remove(element)
    template.save(path)
    settings.LAGESBILD_WORD_TEMPLATE = str(path)
    word = WordDocument(io.BytesIO(render_docx(small_document())))
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 2"] == ["Underrubrik"]
    assert "• ett" in [p.text for p in word.paragraphs]  # a bullet written out
    assert [c.text for c in word.tables[0].rows[2].cells] == ["2025", "2,5"]


# --- HTML --------------------------------------------------------------------------------------


def test_html_fragment_is_accessible_and_needs_no_inline_style_or_script(lagesbild):
    html = render_html(lagesbild)
    assert html.startswith('<article class="report" lang="sv">')
    assert "style=" not in html and "<script" not in html
    assert html.count("<h1>") == 1
    assert html.count("<table>") == html.count("<caption>")
    assert '<th scope="col"' in html and '<th scope="row">' in html
    assert all(alt for alt in re.findall(r'<img [^>]*alt="([^"]*)"', html))
    assert html.count(EXAMPLE_DATA_MARK) >= 2  # top and bottom


def test_html_headings_do_not_skip_levels(lagesbild):
    levels = [int(h) for h in re.findall(r"<h(\d)", render_html(lagesbild))]
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_html_contents_link_to_every_chapter(lagesbild):
    html = render_html(lagesbild)
    toc = html.split("</nav>")[0]
    for anchor in re.findall(r'href="#([^"]+)"', toc):
        assert f'id="{anchor}"' in html


def test_standalone_html_is_a_whole_file_with_its_styles():
    html = render_html(small_document(), standalone=True)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert "<style>" in html and ".report-figure" in html
    assert "&lt;vinkel&gt; &amp; [hak]" in html  # text is escaped


def test_html_cover_and_print_css():
    html = render_html(cover_document(), standalone=True)
    cover = html.split("</header>")[0]
    assert '<p class="report-status">Publicerad 2026-03-02, version 2</p>' in cover
    assert "<dt>Policy</dt><dd>Policy för integration 2026–2029" in cover
    assert "<dt>Status</dt>" not in cover
    assert re.search(r"@page\s*\{\s*size:\s*A4", html)


def test_every_section_of_the_web_page_has_a_name_of_its_own(lagesbild):
    # Each chapter has a "Beprövad erfarenhet": a region is named with its chapter's heading
    # too, so a screen reader's list of regions tells them apart (axe: landmark-unique).
    import re

    html = render_html(lagesbild)
    headings = dict(re.findall(r'<h\d id="([^"]+)">([^<]*)</h\d>', html))
    names = [
        " ".join(headings[i] for i in ids.split())
        for ids in re.findall(r'<section id="[^"]+" aria-labelledby="([^"]+)"', html)
    ]
    assert len(names) > 10 and len(names) == len(set(names))
    assert "Vägledande princip: Arbete Beprövad erfarenhet" in names
