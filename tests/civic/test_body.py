"""The body is plain text: paragraphs, "- " lists, and never raw HTML."""

import pytest
from django.core.exceptions import ValidationError

from lagesbild.civic.models import CivicLink, render_body


def test_paragraphs_and_lists():
    html = render_body("Första stycket.\nSamma stycke.\n\nInledning:\n- ett\n- två\n\nSista.")
    assert html == (
        "<p>Första stycket.<br>Samma stycke.</p>"
        "<p>Inledning:</p><ul><li>ett</li><li>två</li></ul>"
        "<p>Sista.</p>"
    )


def test_html_in_the_body_is_shown_as_text():
    html = render_body('<script>alert(1)</script>\n\n- <b onclick="x">fet</b>')
    assert "<script>" not in html and "<b " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<li>&lt;b onclick=&quot;x&quot;&gt;fet&lt;/b&gt;</li>" in html


def test_empty_body_renders_nothing():
    assert render_body("") == ""
    assert render_body("\n\n  \n") == ""


def test_links_must_use_https(make_page):
    page = make_page()
    link = CivicLink(page=page, authority="1177", url="http://www.1177.se", title_sv="1177")
    with pytest.raises(ValidationError) as refused:
        link.full_clean()
    assert "url" in refused.value.message_dict
    link.url = "https://www.1177.se"
    link.full_clean()
