"""axe-core (WCAG 2.1 A and AA rules) in headless Chromium over the sign-up form, its error
state and thanks page in five languages, and over the coordinator's inbox."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def published(transactional_db):
    from lagesbild.public.models import PublicSite

    PublicSite.objects.create(municipality="1082")


def violations(page):
    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in found]


@pytest.mark.parametrize("code", ["sv", "sv-x-ll", "en", "ar", "uk"])
def test_axe_finds_no_violations_on_the_form(live_server, page, published, code):
    prefix = "" if code == "sv" else f"/{code}"
    found = {}
    for path in ("/karlshamn/bidra/", "/karlshamn/bidra/tack/"):
        page.goto(live_server.url + prefix + path)
        found[path] = violations(page)
    page.goto(live_server.url + prefix + "/karlshamn/bidra/")
    page.click("form[method=post] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".form-error").count() == 1
    found["form with errors"] = violations(page)
    assert {p: v for p, v in found.items() if v} == {}


def test_axe_finds_no_violations_in_the_inbox(live_server, page, published, make_user, make_offer):
    from lagesbild.accounts.models import Role

    offer = make_offer()
    make_user(Role.COORDINATOR, username="samordnare")
    page.goto(live_server.url + "/konto/logga-in/")
    page.fill("#id_username", "samordnare")
    page.fill("#id_password", "pw-test-12345")
    page.click("form[method=post] button[type=submit]")
    page.wait_for_load_state()
    found = {}
    for path in ("/inkorg/", f"/inkorg/{offer.pk}/"):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, page.content()[:500]
        found[path] = violations(page)
    assert {p: v for p, v in found.items() if v} == {}
