"""The foundation's web side: policy pages in Swedish and English, login, the demo command."""

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from lagesbild.policy.loading import load_policy

from .conftest import POLICY_DIR, ROOT
from .server import free_port


@pytest.fixture
def karlshamn(db):
    return load_policy((POLICY_DIR / "karlshamn-integration-2026-2029.yaml").read_bytes(), "k.yaml")


@pytest.mark.django_db
def test_policy_page_shows_areas_goals_and_responsibilities(client, karlshamn):
    response = client.get("/policy/karlshamn-integration/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ["Utbildning", "Språk", "Arbete", "Hälsa", "Demokrati &amp; delaktighet"]:
        assert f'<span lang="sv">{title}</span>' in html
    assert "ges goda förutsättningar till att tillgodogöra sig kunskaper i det svenska" in html
    assert "Det övergripande ansvaret för det integrationsstrategiska arbetet" in html
    assert "KF § 63, 2026-05-18" in html
    assert '<html lang="sv"' in html


@pytest.mark.django_db
def test_policy_page_in_english_keeps_the_policy_text_swedish(client, karlshamn):
    html = client.get("/en/policy/karlshamn-integration/").content.decode()
    assert '<html lang="en"' in html
    assert "Decided by" in html and "Beslutad av" not in html
    assert '<h1 lang="sv">Policy för integration</h1>' in html


@pytest.mark.django_db
def test_earlier_version_stays_readable(client, karlshamn):
    text = (POLICY_DIR / "karlshamn-integration-2026-2029.yaml").read_text(encoding="utf-8")
    load_policy(text.replace("revise_by: 2029", "revise_by: 2028"), "k2.yaml")
    assert client.get("/policy/karlshamn-integration/").context["version"].number == 2
    old = client.get("/policy/karlshamn-integration/version/1/")
    assert old.status_code == 200
    assert "som inte längre gäller" in old.content.decode()
    assert client.get("/policy/karlshamn-integration/version/9/").status_code == 404


@pytest.mark.django_db
def test_unknown_policy_is_404(client):
    assert client.get("/policy/finns-inte/").status_code == 404


@pytest.mark.django_db
def test_login_and_logout(client, make_user):
    make_user("coordinator", username="sara", password="pw-test-12345")
    page = client.get("/konto/logga-in/")
    assert page.status_code == 200
    response = client.post("/konto/logga-in/", {"username": "sara", "password": "pw-test-12345"})
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "sara"
    assert client.get("/konto/logga-ut/").status_code == 405  # logout is a POST with CSRF
    client.post("/konto/logga-ut/")
    assert not client.get("/").context["user"].is_authenticated


def test_security_headers_on_pages(client, db):
    response = client.get("/policy/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.slow
def test_demo_command_starts_serves_a_policy_page_and_stops(tmp_path):
    env = {**os.environ, "LAGESBILD_HOME": str(tmp_path / "home")}
    env.pop("DATABASE_URL", None)  # the demo is the SQLite installation
    env.pop("DJANGO_SETTINGS_MODULE", None)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "lagesbild", "demo", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body, deadline = None, time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}/policy/lidkoping-integration/"
                with urllib.request.urlopen(url, timeout=5) as r:
                    assert r.status == 200
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert body is not None, "the demo did not answer"
        assert "Social integration" in body
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0]
    assert "samordnare" in out and "demo-samordnare" in out
    assert (tmp_path / "home" / "lagesbild.sqlite3").exists()

    # Running it again keeps what is there.
    again = subprocess.run(
        [sys.executable, "-m", "lagesbild", "demo", "--no-serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert again.returncode == 0, again.stderr
    assert "redan inläst" in again.stdout


def test_a_database_that_does_not_answer_gives_503_and_the_next_request_works(
    client, monkeypatch, db
):
    from django.db import OperationalError
    from django.test import Client

    from lagesbild.core import views

    class Down:
        def all(self):
            raise OperationalError("connection to server failed: the database is starting up")

    plain = Client(raise_request_exception=False)
    monkeypatch.setattr(views.Policy, "objects", Down())
    response = plain.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Försök igen om en stund" in response.content.decode()
    monkeypatch.undo()
    assert plain.get("/").status_code == 200


def test_other_server_errors_stay_500(monkeypatch, db):
    from django.test import Client

    from lagesbild.core import views

    class Broken:
        def all(self):
            raise ZeroDivisionError

    monkeypatch.setattr(views.Policy, "objects", Broken())
    assert Client(raise_request_exception=False).get("/").status_code == 500
