"""axe-core (WCAG 2.1 A and AA rules) in headless Chromium over every public page type in every
language, against the real server, plus keyboard use and a phone-sized screen."""

from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def demo(transactional_db):
    from lagesbild.accounts.demo import load_demo as load_accounts
    from lagesbild.civic.demo import load_demo as load_civic
    from lagesbild.policy.models import Policy
    from lagesbild.public.demo import load_demo
    from lagesbild.public.models import Event, InternshipPlace

    load_accounts(StringIO())
    load_demo(StringIO())
    load_civic(StringIO())
    Policy.objects.create(
        slug="k", municipality="1082", municipality_name="Karlshamns kommun", title="Test"
    )
    return {
        "translated_event": Event.objects.get(title_sv="Språkcafé (exempel)").pk,
        "fallback_event": Event.objects.get(title_sv="Föräldracafé med tolk (exempel)").pk,
        "internship": InternshipPlace.objects.filter(status="published").first().pk,
    }


def page_paths(demo):
    return [
        "/karlshamn/aktuellt/",
        "/karlshamn/aktuellt/?sprak=xx",  # the calendar with a filter error shown
        f"/karlshamn/evenemang/{demo['translated_event']}/",
        f"/karlshamn/evenemang/{demo['fallback_event']}/",
        "/karlshamn/motesplatser/",
        "/karlshamn/motesplatser/stadsbiblioteket/",
        "/karlshamn/praktikplatser/",
        f"/karlshamn/praktikplatser/{demo['internship']}/",
        "/karlshamn/partner/",
        "/karlshamn/validering/",
        "/karlshamn/foresla/evenemang/",
        "/karlshamn/foresla/praktikplats/",
        "/karlshamn/foresla/tack/",
        # Each municipality's own site: another name, logo-less header in its own colour.
        "/lidkoping/aktuellt/",
        "/lidkoping/motesplatser/",
        "/lidkoping/samhallsinformation/",
        "/lidkoping/samhallsinformation/rattigheter-och-skyldigheter/",
        "/lidkoping/samhallsinformation/rattigheter-och-skyldigheter/utskrift/",
        "/lidkoping/sok/?q=svenska",
        "/lidkoping/bidra/",
        "/",  # the list of municipalities
    ]


def describe(violations):
    return "\n".join(
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )


@pytest.mark.parametrize("code", ["sv", "sv-x-ll", "en", "ar", "fa", "fa-af", "so", "ti", "uk"])
def test_axe_finds_no_violations_on_any_public_page(live_server, page, demo, code):
    axe = Axe()
    prefix = "" if code == "sv" else f"/{code}"
    found = {}
    for path in page_paths(demo):
        page.goto(live_server.url + prefix + path)
        results = axe.run(page, options=WCAG_21_AA)
        if results.response["violations"]:
            found[path] = describe(results.response["violations"])
    # The proposal form with errors on it, too.
    page.goto(live_server.url + prefix + "/karlshamn/foresla/evenemang/")
    page.click("form[method=post] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".form-error").count() == 1
    results = axe.run(page, options=WCAG_21_AA)
    if results.response["violations"]:
        found["proposal form with errors"] = describe(results.response["violations"])
    assert found == {}, "\n".join(f"{p}:\n{v}" for p, v in found.items())


def test_skip_link_is_first_and_moves_focus_to_main(live_server, page, demo):
    page.goto(live_server.url + "/ar/karlshamn/aktuellt/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_filters_work_from_the_keyboard_and_give_a_shareable_link(live_server, page, demo):
    page.goto(live_server.url + "/karlshamn/aktuellt/")
    page.focus("#id_sprak")
    page.select_option("#id_sprak", "ti")
    page.keyboard.press("Tab")  # to the target group
    page.keyboard.press("Tab")  # to the submit button
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "sprak=ti" in page.url
    assert page.locator("h4 a").first.inner_text() == "Språkcafé (exempel)"
    assert page.locator("text=Föräldracafé").count() == 0


def test_pages_fit_a_phone_screen(chromium, live_server, demo):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="ar")
    phone = context.new_page()
    try:
        for path in [prefix + p for prefix in ("/ar", "/ti") for p in page_paths(demo)]:
            phone.goto(live_server.url + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} scrolls sideways ({width} px)"
    finally:
        context.close()


def test_axe_run_does_detect_a_violation(live_server, page, demo):
    # Guards the harness itself: under this page's CSP, axe must run and report a broken label.
    page.goto(live_server.url + "/karlshamn/aktuellt/")
    page.evaluate("document.querySelector('label[for=id_sprak]').remove()")
    violations = Axe().run(page, options=WCAG_21_AA).response["violations"]
    assert "select-name" in {v["id"] for v in violations}
