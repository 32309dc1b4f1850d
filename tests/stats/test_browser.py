"""The statistics page in headless Chromium against the real server (runserver in a
subprocess, file SQLite, the demo's accounts and example data, Kolada/SCB on 127.0.0.1):
a coordinator starts a refresh, the page follows the background job to its end."""

import os
import subprocess
import sys

import pytest

from tests.server import running_server
from tests.stats.fakeserver import full_fake

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(tmp_path):
    fake = full_fake()
    env = {
        **os.environ,
        "LAGESBILD_HOME": str(tmp_path / "home"),
        "LAGESBILD_KOLADA_URL": f"{fake.url}/kolada",
        "LAGESBILD_SCB_URL": f"{fake.url}/scb",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    lagesbild = [sys.executable, "-m", "lagesbild"]
    subprocess.run([*lagesbild, "demo", "--no-serve"], env=env, check=True, capture_output=True)
    with running_server(env) as url:
        yield url
    fake.stop()


def login(page, url, username, password):
    page.goto(f"{url}/konto/logga-in/?next=/statistik/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_coordinator_refreshes_and_follows_progress(server, page):
    from axe_playwright_python.sync_playwright import Axe

    login(page, server, "samordnare", "demo-samordnare")
    page.wait_for_url(f"{server}/statistik/")
    assert page.locator(".example-data").is_visible()
    assert "Exempeldata – inte officiell statistik" in page.locator(".example-data").inner_text()
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("button", name="Uppdatera statistiken").click()
    page.wait_for_url("**/statistik/hamtning/*/")
    status = page.locator("#fetch-status")
    status.filter(has_text="klar").wait_for(timeout=60000)
    assert "0 fel" in page.locator("#fetch-message").inner_text()
    assert page.locator("#fetch-progress").get_attribute("value") == page.locator(
        "#fetch-progress"
    ).get_attribute("max")
    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    assert results.violations_count == 0, results.generate_report()

    page.goto(f"{server}/statistik/")
    assert page.get_by_text("Hämtad från Kolada").first.is_visible()
