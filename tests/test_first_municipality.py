"""A municipality that ships nothing, from a fresh installation to its first draft Lägesbild,
in the browser only (issue: "any municipality, set up in the browser").

The walk, in headless Chromium against the real server (runserver in a subprocess, a new
SQLite database made by `lagesbild migrate`, the installation's administrator made by
`lagesbild createsuperuser`): the administrator invites Växjö's (0780) coordinator → she opens
the link from the e-mail and sets her password → writes a policy with three areas in the editor,
picking the indicators by search → fetches statistics from a local server that answers in
Kolada's v3 shape (tests/stats/fakeserver.py, which cites the Kolada API documentation) →
opens the draft Lägesbild and downloads the PDF. Every page with a form is checked with
axe-core (WCAG 2.1 A and AA). The fake's values follow a known rule (kolada_value), so the
printed numbers are checked against it, in the page and in the PDF.

Run with -s to see the measures the closing note reports: pages visited, form fields filled,
wall time of the walk; LAGESBILD_WALK_SCREENSHOTS=FOLDER keeps a screenshot of each checked page.
"""

import os
import re
import subprocess
import sys
import time

import pytest

from tests.server import running_server
from tests.stats.fakeserver import full_fake, kolada_value

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_21_AA = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
ADMIN_PASSWORD = "admin-lösen-2026-lång"
COORDINATOR_PASSWORD = "vaxjo-samordnare-2026"
# The policy the coordinator writes: (area id, title, goal, words she searches for, indicator).
AREAS = [
    ("arbete", "Arbete", "Fler utrikes födda ska ha ett arbete.", "sysselsättningsgrad 20–64",
     "sysselsattning-20-64"),
    ("utbildning", "Utbildning", "Alla elever ska nå behörighet till gymnasiet.",
     "behörighet yrkesprogram", "behorighet-yrkesprogram-ak9"),
    ("boende", "Boende", "Ingen ska bo trångt.", "trångboddhet", "trangboddhet-norm-2"),
]  # fmt: skip


@pytest.fixture
def installation(tmp_path):
    """A fresh installation: empty database, one administrator, nothing else."""
    fake = full_fake(more_regions=("0780", "07"))
    env = {
        **os.environ,
        "LAGESBILD_HOME": str(tmp_path / "home"),
        "LAGESBILD_KOLADA_URL": f"{fake.url}/kolada",
        "LAGESBILD_SCB_URL": f"{fake.url}/scb",
        "LAGESBILD_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "LAGESBILD_BASE_URL"):
        env.pop(name, None)
    lagesbild = [sys.executable, "-m", "lagesbild"]
    for command in (
        ["migrate", "-v0"],
        ["createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.se"],
    ):
        subprocess.run([*lagesbild, *command], env=env, check=True, capture_output=True)
    out = tmp_path / "server.log"  # the console e-mail backend writes the e-mails here
    with out.open("w") as log, running_server(env, stdout=log) as url:
        yield url, out
    fake.stop()


class Walk:
    """The browser, counting what a user does: pages visited and form fields filled."""

    def __init__(self, page, url):
        self.page, self.url = page, url
        self.pages, self.fields, self.problems = 0, 0, {}
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame):
        if frame == self.page.main_frame:
            self.pages += 1

    def fill(self, label, value, **options):
        self.page.get_by_label(label, **options).fill(value)
        self.fields += 1

    def fill_id(self, selector, value):
        self.page.fill(selector, value)
        self.fields += 1

    def click(self, role, name):
        self.page.get_by_role(role, name=name, exact=True).click()

    def menu(self, name):
        """A link in the main menu."""
        nav = self.page.get_by_role("navigation", name="Huvudmeny")
        nav.get_by_role("link", name=name, exact=True).click()

    def check_accessible(self, name):
        from axe_playwright_python.sync_playwright import Axe

        shots = os.environ.get("LAGESBILD_WALK_SCREENSHOTS")  # a folder, to look at the pages
        if shots:
            self.page.screenshot(path=f"{shots}/{name.replace(' ', '-')}.png", full_page=True)

        results = Axe().run(self.page, options=WCAG_21_AA)
        if results.violations_count:
            self.problems[name] = results.generate_report()

    def unlabelled_fields(self):
        """Visible inputs, selects and text areas without a label (axe checks this too; this
        says which field)."""
        return self.page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea')]
                .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                             && !e.getAttribute('aria-labelledby'))
                .map(e => e.name || e.id)"""
        )


def log_in(walk, username, password):
    walk.page.goto(f"{walk.url}/konto/logga-in/")
    walk.check_accessible("log-in")
    walk.fill("Användarnamn", username)
    walk.fill("Lösenord", password)
    walk.click("button", "Logga in")


def invitation_link(log, address):
    """The activation link of the newest e-mail to `address` in the server's console output."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8", errors="replace")
        mails = [m for m in text.split("To: ") if m.startswith(address)]
        found = re.search(r"(http://\S+/konto/aktivera/\S+/)", mails[-1]) if mails else None
        if found:
            return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no invitation e-mail to {address} in the server's output")


def test_vaxjo_goes_from_nothing_to_its_first_draft_lagesbild_in_the_browser(
    installation, chromium, tmp_path
):
    url, log = installation
    started = time.monotonic()
    context = chromium.new_context(locale="sv-SE", accept_downloads=True)
    walk = Walk(context.new_page(), url)
    page = walk.page

    # 1. The administrator invites Växjö's coordinator.
    log_in(walk, "admin", ADMIN_PASSWORD)
    walk.menu("Konton")
    page.get_by_role("link", name="Bjud in").first.click()
    walk.fill("E-postadress", "samordnare@vaxjo.example")
    walk.fill("Förnamn", "Vera")
    walk.fill("Efternamn", "Växjö")
    walk.fill("Kommunkod", "0780")
    page.get_by_label("Roll").select_option("coordinator")
    walk.fields += 1
    walk.check_accessible("invitation")
    assert walk.unlabelled_fields() == []
    walk.click("button", "Skicka inbjudan")
    assert (
        "Inbjudan är skickad till samordnare@vaxjo.example"
        in page.get_by_role("status").inner_text()
    )
    page.get_by_role("button", name=re.compile("^Logga ut")).click()

    # 2. She opens the link from the e-mail and chooses her password.
    page.goto(invitation_link(log, "samordnare@vaxjo.example"))
    walk.check_accessible("activation")
    walk.fill("Nytt lösenord", COORDINATOR_PASSWORD, exact=True)
    walk.fill("Bekräfta nytt lösenord", COORDINATOR_PASSWORD)
    walk.click("button", "Spara lösenordet")
    log_in(walk, "samordnare@vaxjo.example", COORDINATOR_PASSWORD)

    # 3. She writes a policy with three areas in the editor.
    walk.menu("Policyer")
    page.get_by_role("link", name="Ny policy").click()
    walk.check_accessible("policy start")
    page.get_by_label("Ett tomt formulär").check()
    walk.fields += 1
    walk.click("button", "Skapa utkastet")
    walk.fill_id("#id_id", "vaxjo-integration")
    walk.fill_id("#id_title", "Integrationspolicy för Växjö kommun")
    walk.fill_id("#id_area_term_singular", "målområde")
    walk.fill_id("#id_area_term_plural", "målområden")
    walk.fill_id("#id_validity_start_year", "2025")
    walk.fill_id("#id_validity_end_year", "2028")
    walk.check_accessible("policy general")
    assert walk.unlabelled_fields() == []
    walk.click("button", "Spara")
    for area_id, title, goal, words, indicator in AREAS:
        page.get_by_role("link", name="Målområden", exact=True).click()
        walk.click("button", "Lägg till ett område")
        walk.fill_id("#id_id", area_id)
        walk.fill_id("#id_title", title)
        walk.fill_id("#id_goal-0-text", goal)
        walk.click("button", "Spara")
        walk.fill("Sök indikator med ord", words)
        walk.click("button", "Sök")
        page.check(f"#pick-{indicator}")
        walk.fields += 1
        if area_id == "arbete":
            walk.check_accessible("policy area with search hits")
            assert walk.unlabelled_fields() == []
        walk.click("button", "Spara")
        assert indicator in page.input_value("#id_indicators")
    page.get_by_role("link", name="Anta", exact=True).click()
    walk.fill_id("#id_body", "Kommunfullmäktige")
    walk.fill_id("#id_date", "2025-03-27")
    walk.check_accessible("policy adoption")
    walk.click("button", "Anta")
    page.wait_for_url(f"{url}/policy/vaxjo-integration/")
    for _, _, goal, _, _ in AREAS:
        assert goal in page.locator("main").inner_text()

    # 4. The municipality has nothing yet: the statistics page says so; she fetches.
    walk.menu("Statistik")
    walk.check_accessible("statistics before the first fetch")
    walk.click("button", "Uppdatera statistiken")
    page.wait_for_url("**/statistik/hamtning/*/")
    page.locator("#fetch-status").filter(has_text="klar").wait_for(timeout=120000)

    # 5. The draft Lägesbild shows the fetched values; the PDF prints them.
    walk.menu("Lägesbild")
    page.get_by_role("link", name=re.compile("^Utkast till lägesbild")).first.click()
    html = page.locator("main").inner_text()
    walk.check_accessible("draft")
    year = int(re.search(r"/lagesbild/vaxjo-integration/(\d{4})/", page.url).group(1))
    for expected in expected_values(year):
        assert expected in html, f"{expected} missing from the draft page"
    assert "Exempeldata" not in html
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    pdf = tmp_path / "lagesbild.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Växjö" in text and "Integrationspolicy för Växjö kommun" in text
    for expected in expected_values(year):
        assert expected in text, f"{expected} missing from the PDF"
    assert "Exempeldata" not in text

    wall = time.monotonic() - started
    print(
        f"\nwalk: {walk.pages} pages visited, {walk.fields} form fields filled, "
        f"{wall:.1f} s wall time"
    )
    assert walk.problems == {}, "\n".join(f"{k}:\n{v}" for k, v in walk.problems.items())


def expected_values(year):
    """The employment rates (sysselsattning-20-64) the fake Kolada gives Växjö for `year`, as
    the report prints them: the KPI ids are the catalogue's, the values the fake's known rule."""
    from lagesbild.stats.catalogue import load_catalogue

    kpis = [k["id"] for k in load_catalogue()["sysselsattning-20-64"]["source"]["kpis"]]
    return [f"{kolada_value(kpi, '0780', year, 'T'):.1f}".replace(".", ",") for kpi in kpis]
