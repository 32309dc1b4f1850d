"""The policy editor in headless Chromium against the live server: a coordinator creates a
policy from an empty form with two areas, picks an indicator by search and adopts it; axe-core
(WCAG 2.1 A and AA) finds nothing on the editor's pages."""

import pytest

from lagesbild.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def test_coordinator_creates_a_policy_with_two_areas_and_adopts_it(
    live_server, page, transactional_db, make_user
):
    from axe_playwright_python.sync_playwright import Axe

    from lagesbild.policy.models import Policy

    make_user(Role.COORDINATOR, municipality="1082", username="samo", password="pw-test-12345")
    axe, found = Axe(), {}

    def check(name):
        results = axe.run(page, options=WCAG_21_AA)
        if results.response["violations"]:
            found[name] = results.generate_report()

    url = live_server.url
    page.goto(f"{url}/konto/logga-in/?next=/policy/")
    page.get_by_label("Användarnamn").fill("samo")
    page.get_by_label("Lösenord").fill("pw-test-12345")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{url}/policy/")
    page.get_by_role("link", name="Ny policy").click()
    check("start")
    page.get_by_label("Ett tomt formulär").check()
    page.get_by_role("button", name="Skapa utkastet").click()

    page.fill("#id_id", "karlshamn-webb")
    page.fill("#id_title", "Policy skriven i webbläsaren")
    page.fill("#id_area_term_singular", "fokusområde")
    page.fill("#id_area_term_plural", "fokusområden")
    page.fill("#id_validity_start_year", "2027")
    page.fill("#id_validity_end_year", "2030")
    page.get_by_role("button", name="Spara", exact=True).click()
    assert "Sparat i utkastet." in page.locator(".messages").inner_text()
    check("general")

    for area_id, title in (("arbete", "Arbete"), ("boende", "Boende")):
        page.get_by_role("link", name="Fokusområden", exact=True).click()
        page.get_by_role("button", name="Lägg till ett område").click()
        page.fill("#id_id", area_id)
        page.fill("#id_title", title)
        page.fill("#id_goal-0-text", f"Mål för {title.lower()}")
        page.get_by_role("button", name="Spara", exact=True).click()
        assert "Sparat i utkastet." in page.locator(".messages").inner_text()
    page.get_by_label("Sök indikator med ord").fill("sysselsättningsgrad 20–64")
    page.get_by_role("button", name="Sök", exact=True).click()
    hit = page.locator("li", has=page.locator("#pick-sysselsattning-20-64"))
    assert "Kolada N02268, N02269" in hit.inner_text()
    assert "Utrikes födda, Inrikes födda" in hit.inner_text()
    check("area with search hits")
    page.check("#pick-sysselsattning-20-64")
    page.get_by_role("button", name="Spara", exact=True).click()
    assert "sysselsattning-20-64" in page.input_value("#id_indicators")
    page.get_by_role("link", name="Fokusområden", exact=True).click()
    check("areas")

    page.get_by_role("link", name="Anta", exact=True).click()
    page.get_by_role("button", name="Anta", exact=True).click()
    assert page.locator("#id_body_errors").is_visible()
    check("adopt with errors")
    page.fill("#id_body", "Kommunfullmäktige")
    page.fill("#id_date", "2026-11-30")
    page.get_by_role("button", name="Anta", exact=True).click()
    page.wait_for_url(f"{url}/policy/karlshamn-webb/")
    assert "Version 1 är antagen och gäller nu." in page.locator(".messages").inner_text()
    check("adopted policy")

    data = Policy.objects.get(slug="karlshamn-webb").current.data
    assert [a["id"] for a in data["areas"]] == ["arbete", "boende"]
    assert data["areas"][1]["indicators"] == ["sysselsattning-20-64"]
    assert found == {}, "\n".join(f"{k}:\n{v}" for k, v in found.items())
