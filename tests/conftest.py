"""Shared test fixtures. Reference data is read from ../shared/data, never copied."""

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
POLICY_DIR = ROOT / "policies"


@pytest.fixture
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.fail(f"reference data missing: {SHARED_DATA} (clone ../shared beside the repo)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, settings):
    """Generated files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HOME = tmp_path


@pytest.fixture(autouse=True)
def _swedish_first():
    """Each test starts in Swedish. Django's LocaleMiddleware leaves the language of the last
    request active in the thread, so an earlier test's /en/ request would otherwise make
    reverse() give English URLs here."""
    from django.utils import translation

    translation.activate("sv")
    yield
    translation.deactivate()


# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's headless Chromium, driven by Playwright (never `playwright install`)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install chromium (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def make_user(db):
    """make_user(role, municipality="1082", department=None, username=None) -> User.

    role is a lagesbild.accounts.models.Role value, or "admin" for a superuser.
    """
    from django.contrib.auth.models import User

    from lagesbild.accounts.models import Department, Profile

    counter = {"n": 0}

    def make(role, municipality="1082", department=None, username=None, password="pw-test-12345"):
        counter["n"] += 1
        username = username or f"{role}-{counter['n']}"
        if role == "admin":
            return User.objects.create_superuser(username, f"{username}@example.invalid", password)
        user = User.objects.create_user(username, f"{username}@example.invalid", password)
        if isinstance(department, str):
            department, _ = Department.objects.get_or_create(
                municipality=municipality, name=department
            )
        Profile.objects.create(
            user=user, role=role, municipality=municipality, department=department
        )
        return user

    return make


@pytest.fixture
def fresh_caches(settings, tmp_path):
    """Page cache in memory and the shared cache (content version, rate limits) in this test's
    own folder, both empty: for tests of cached public pages and rate limits."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "shared-cache"),
            "TIMEOUT": None,
        },
    }
    cache.clear()
    yield
    cache.clear()
