"""A department representative in headless Chromium: logs in, reports on an activity, submits."""

import datetime

import pytest

from lagesbild.plan.models import DepartmentReport
from lagesbild.plan.rounds import open_round
from lagesbild.reports.models import Experience

pytestmark = pytest.mark.browser
WCAG = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}


def assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def test_representative_reports_on_her_activity_and_submits(live_server, page, plan, users):
    rnd = open_round(
        plan, "Uppföljning 2026", 2026, datetime.date(2030, 1, 31), users["coordinator"]
    )
    s12 = plan.activities.get(ref="S1.2")

    page.goto(f"{live_server.url}/konto/logga-in/?next=/handlingsplan/")
    page.get_by_label("Användarnamn").fill("rep-own")
    page.get_by_label("Lösenord").fill("pw-test-12345")
    page.get_by_role("button", name="Logga in").click()

    page.get_by_role("link", name="Testplan").click()
    page.get_by_role("link", name="Rapportera Uppföljning 2026").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Uppföljning 2026: Utbildningsförvaltningen"
    )
    assert_accessible(page)
    # Only her department's activities are on the form.
    legends = page.locator("fieldset.report-item legend").all_inner_texts()
    assert legends == ["S1 SFI och yrke", "S1.1 Kartläggning", "S1.2 Kurser"]

    item = page.locator("fieldset.report-item", has_text="S1.2 Kurser")
    item.get_by_label("Status").select_option("klar")
    item.get_by_label("Genomfört (%)").fill("100")
    item.get_by_label("Lägesbeskrivning").fill("Alla fem kurser är genomförda.")
    page.get_by_label("Beprövad erfarenhet inom Språk").fill(
        "Korta kurser med praktik ger bäst resultat."
    )
    page.get_by_role("button", name="Skicka in rapporten").click()

    assert page.get_by_role("status").inner_text().strip() == "Rapporten är inskickad. Tack!"
    report = DepartmentReport.objects.get(round=rnd, department__name="Utbildningsförvaltningen")
    assert report.submitted_by == users["rep_own"]
    s12.refresh_from_db()
    assert (s12.status, s12.progress) == ("klar", 100)
    assert report.items.get(activity=s12).text == "Alla fem kurser är genomförda."
    assert Experience.objects.get(area_key="sprak").text == (
        "Korta kurser med praktik ger bäst resultat."
    )
    # The other department's report is out of reach.
    other = DepartmentReport.objects.get(round=rnd, department__name="Socialförvaltningen")
    response = page.goto(f"{live_server.url}/handlingsplan/rapport/{other.pk}/")
    assert response.status == 403


def test_dashboard_activity_and_public_pages_pass_axe(live_server, page, plan, users):
    plan.published = True
    plan.save()
    page.goto(f"{live_server.url}/handlingsplan/{plan.pk}/publik/")
    assert page.get_by_role("heading", level=1).inner_text() == "Testplan 2026–2029"
    assert_accessible(page)

    page.goto(f"{live_server.url}/konto/logga-in/?next=/handlingsplan/{plan.pk}/")
    page.get_by_label("Användarnamn").fill("coordinator")
    page.get_by_label("Lösenord").fill("pw-test-12345")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"**/handlingsplan/{plan.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="S1.2 Kurser").first.click()
    page.wait_for_url("**/handlingsplan/insats/*/")
    assert_accessible(page)
