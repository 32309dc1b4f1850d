"""axe-core (WCAG 2.1 A and AA) on every civic page type in five languages, RTL included."""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PATHS = [
    "/karlshamn/samhallsinformation/",
    "/karlshamn/samhallsinformation/rattigheter-och-skyldigheter/",  # translated, lättläst
    "/karlshamn/samhallsinformation/boende/",  # Swedish only: fallback everywhere else
    "/karlshamn/samhallsinformation/rattigheter-och-skyldigheter/utskrift/",
    "/lidkoping/sok/?q=skola",
    "/lidkoping/sok/?q=x",  # the message for a too short query
]


@pytest.fixture
def demo(transactional_db):
    from lagesbild.civic.demo import load_demo
    from lagesbild.public.models import PublicSite

    PublicSite.objects.create(municipality="1082")
    PublicSite.objects.create(municipality="1494")
    load_demo(StringIO())


@pytest.mark.parametrize("code", ["sv", "sv-x-ll", "en", "ar", "uk"])
def test_axe_finds_no_violations_on_civic_pages(live_server, page, demo, code):
    axe = Axe()
    prefix = "" if code == "sv" else f"/{code}"
    found = {}
    for path in PATHS:
        response = page.goto(live_server.url + prefix + path)
        assert response.status == 200, path
        violations = axe.run(page, options=WCAG_21_AA).response["violations"]
        if violations:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert found == {}
