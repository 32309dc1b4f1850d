"""The default Word template for reports, built from python-docx's own template.

render.render_docx takes its styles, page (A4, margins), header and footer from a template:
the file in the setting LAGESBILD_WORD_TEMPLATE when it is set, otherwise this one. A
municipality gets a copy to change in Word (logo in the header, fonts, colours) with

    python -m lagesbild.reports.templates_docx mall.docx

The template is built in code rather than committed as a binary so it stays reviewable.
"""

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor, Twips

FONT = "Arial"  # on every office PC; LibreOffice shows it as Liberation Sans
ACCENT = RGBColor(0x00, 0x5A, 0x9C)  # the reports' blue, 7:1 against white
INK = RGBColor(0x1B, 0x1B, 0x1B)
GREY = RGBColor(0x4A, 0x4A, 0x4A)
A4 = (Twips(11906), Twips(16838))  # 210 × 297 mm

# Body text (10,5 pt, 6 pt after a paragraph) is set in the document defaults, not in Normal,
# so that the table style's 9 pt and no spacing win inside tables.
# name: (size pt, bold, colour, space before pt, space after pt)
PARAGRAPH_STYLES = {
    "Title": (26, True, INK, 72, 12),  # the cover: well down the page
    "Subtitle": (14, False, GREY, 0, 18),
    "Heading 1": (18, True, ACCENT, 0, 10),
    "Heading 2": (14, True, ACCENT, 16, 6),
    "Heading 3": (12, True, INK, 12, 4),
    "TOC Heading": (18, True, ACCENT, 0, 10),
    "Caption": (9, False, GREY, 3, 10),
}


def set_font(r_pr, name):
    """rFonts of a run-properties element set to one named font (no theme fonts)."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for key in list(fonts.attrib):
        del fonts.attrib[key]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)


def build():
    """The default template as .docx bytes."""
    document = Document()
    styles = document.styles

    section = document.sections[0]
    section.page_width, section.page_height = A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    section.header_distance = section.footer_distance = Cm(1.25)

    defaults = styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_font(r_pr, FONT)
    for tag, value in (("w:sz", "21"), ("w:szCs", "21")):
        r_pr.find(qn(tag)).set(qn("w:val"), value)
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(INK))
    r_pr.find(qn("w:rFonts")).addnext(colour)
    spacing = defaults.find(qn("w:pPrDefault")).find(f".//{qn('w:spacing')}")
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "264")
    for name, (size, bold, colour, before, after) in PARAGRAPH_STYLES.items():
        style = styles[name]
        r_pr = style.element.get_or_add_rPr()
        set_font(r_pr, FONT)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = colour
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
    for name in ("Title", "Subtitle"):  # no rule under the title, no numbering on the subtitle
        p_pr = styles[name].element.get_or_add_pPr()
        for tag in ("w:pBdr", "w:numPr"):
            for el in p_pr.findall(qn(tag)):
                p_pr.remove(el)
    styles["Caption"].font.italic = True
    # Notes: a light grey box with a blue rule on the left, as in the PDF and HTML.
    note = styles["Intense Quote"].element
    for tag in ("w:pPr", "w:rPr"):
        note.remove(note.find(qn(tag)))
    note.append(
        parse_xml(
            f'<w:pPr {nsdecls("w")}><w:pBdr><w:left w:val="single" w:sz="24" w:space="6" '
            f'w:color="{ACCENT}"/></w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="F3F5F7"/>'
            '<w:spacing w:before="120" w:after="200"/><w:ind w:left="170" w:right="0"/></w:pPr>'
        )
    )
    styles["Table Grid"].font.size = Pt(9)
    for level in (1, 2, 3):  # Word's own "toc n" styles, which its TOC field uses
        styles.element.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="TOC{level}">'
                f'<w:name w:val="toc {level}"/><w:basedOn w:val="Normal"/>'
                '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
                f'<w:pPr><w:spacing w:after="60"/><w:ind w:left="{340 * (level - 1)}"/></w:pPr>'
                "</w:style>"
            )
        )

    # The header is empty, the place for the municipality's logo. The footer is empty too:
    # render_docx writes "Sida n av N" into an empty footer, in the report's language.
    section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    section.footer.is_linked_to_previous = False

    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "sv-SE")
    for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        el = settings.find(qn(tag))
        if el is not None:
            el.set(qn("w:val"), value)

    document.core_properties.title = "Mall för rapporter"
    document.core_properties.language = "sv-SE"
    document.add_paragraph(
        "Mall för Lägesbildens rapporter. Texten här ersätts; formatmallar, sidformat, "
        "sidhuvud och sidfot används."
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def main(argv=None):
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("Användning: python -m lagesbild.reports.templates_docx MALL.docx", file=sys.stderr)
        return 2
    with open(args[0], "wb") as f:
        f.write(build())
    print(f"Skrev {args[0]}")
    return 0
