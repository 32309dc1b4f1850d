"""In headless Chromium: the administrator invites a coordinator, who opens the e-mail's link,
chooses her password and logs in; axe-core finds no WCAG 2.1 AA violations on the pages."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.browser
WCAG = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}


def assert_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()


def log_in(page, url, username, password):
    page.goto(f"{url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_invited_coordinator_sets_her_password_and_logs_in(live_server, chromium, make_user):
    make_user("admin", username="admin")
    admin = chromium.new_context(locale="sv-SE").new_page()
    log_in(admin, live_server.url, "admin", "pw-test-12345")
    admin.goto(f"{live_server.url}/konto/anvandare/bjud-in/?kommun=0780")
    assert_accessible(admin)

    # A mistake first: the message stands next to the field, and the page stays accessible.
    admin.get_by_label("E-postadress").fill("inte en adress")
    admin.get_by_role("button", name="Skicka inbjudan").click()
    assert admin.locator("#id_email_errors").count() == 1
    assert_accessible(admin)

    admin.get_by_label("E-postadress").fill("vera@example.se")
    admin.get_by_label("Förnamn").fill("Vera")
    admin.get_by_label("Efternamn").fill("Växjö")
    admin.get_by_label("Roll").select_option("coordinator")
    admin.get_by_role("button", name="Skicka inbjudan").click()
    assert "Inbjudan är skickad till vera@example.se" in admin.get_by_role("status").inner_text()
    assert "väntar på aktivering" in admin.locator("table").inner_text()
    assert_accessible(admin)

    # She opens the link from the e-mail in her own browser.
    link = re.search(r"(http://\S+/konto/aktivera/\S+/)", mail.outbox[0].body).group(1)
    page = chromium.new_context(locale="sv-SE").new_page()
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Välj ditt lösenord"
    assert_accessible(page)
    page.get_by_label("Nytt lösenord", exact=True).fill("en-lang-fras-2026")
    page.get_by_label("Bekräfta nytt lösenord").fill("en-lang-fras-2026")
    page.get_by_role("button", name="Spara lösenordet").click()
    assert "Ditt lösenord är sparat" in page.get_by_role("status").inner_text()
    assert_accessible(page)

    log_in(page, live_server.url, "vera@example.se", "en-lang-fras-2026")
    page.goto(f"{live_server.url}/konto/anvandare/")
    assert page.get_by_role("heading", level=1).inner_text() == "Användare i Växjö kommun"
    assert_accessible(page)
    page.goto(f"{live_server.url}/konto/forvaltningar/")
    assert_accessible(page)

    # The link has been used.
    page.goto(link)
    assert "Länken fungerar inte" in page.locator("main").inner_text()
