"""HTML, PDF and Word from the same Document, checked by opening the real files."""

import io
import re
import subprocess

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from lagesbild.reports.document import (
    EXAMPLE_DATA_MARK,
    BulletList,
    Document,
    Note,
    Paragraph,
    Section,
    Table,
)
from lagesbild.reports.lagesbild import build_document, collect
from lagesbild.reports.render import render_docx, render_html, render_pdf

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
    assert all(re.search(r"Sida \d+ / \d+", p) for p in pages)


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


# --- Word --------------------------------------------------------------------------------------


def test_word_has_real_headings_in_order(lagesbild):
    word = WordDocument(io.BytesIO(render_docx(lagesbild)))
    level1 = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert level1 == ["Innehåll", "Om lägesbilden", *CHAPTERS, "Bilaga: källor och metod"]
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
