"""The API's schema is honest (issue #16, finding 14): schemathesis, run against the real server
with the demo data and a coordinator's session, finds every answer documented in
/api/openapi.json and every answer matching its schema (all its checks, 0 failures).

The same by hand, against `lagesbild demo`:
    st run http://127.0.0.1:8000/api/openapi.json -H 'Cookie: sessionid=…; csrftoken=…' \\
        -H 'X-CSRFToken: …' --checks all -n 10 --seed 1 --generation-with-security-parameters false
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.server import running_server

pytestmark = pytest.mark.slow

ST = Path(sys.executable).with_name("st")


@pytest.fixture
def demo_server(tmp_path):
    env = {**os.environ, "LAGESBILD_HOME": str(tmp_path / "home"), "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "LAGESBILD_BASE_URL"):
        env.pop(name, None)
    subprocess.run(
        [sys.executable, "-m", "lagesbild", "demo", "--no-serve"],
        env=env,
        check=True,
        capture_output=True,
    )
    with running_server(env) as url:
        yield url


def login(url, username, password):
    """A session as the browser gets it: {cookie name: value} after the login form."""
    session = requests.Session()
    page = session.get(f"{url}/konto/logga-in/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    answer = session.post(
        f"{url}/konto/logga-in/",
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{url}/konto/logga-in/"},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session.cookies.get_dict()


def test_schemathesis_finds_no_failures(demo_server, tmp_path):
    assert ST.exists() or shutil.which("st"), "pip install -e '.[test]' installs schemathesis"
    cookies = login(demo_server, "samordnare", "demo-samordnare")
    command = [
        str(ST) if ST.exists() else "st",
        "run",
        f"{demo_server}/api/openapi.json",
        "-H",
        f"Cookie: sessionid={cookies['sessionid']}; csrftoken={cookies['csrftoken']}",
        "-H",
        f"X-CSRFToken: {cookies['csrftoken']}",
        "--checks",
        "all",
        "--max-examples",
        "10",
        "--seed",
        "1",
        "--workers",
        "1",
        "--no-color",
        # Karlshamn's statistics with its comparison areas are some 18,000 values (8 MB).
        "--request-timeout",
        "120",
        "--generation-database",
        "none",
        # The session comes in the headers above, so st cannot leave the cookie out; without
        # this it would count a request it thinks has no cookie, answered 200, as a failure.
        "--generation-with-security-parameters",
        "false",
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=600, cwd=tmp_path, check=False
    )
    summary = result.stdout[result.stdout.find("SUMMARY") :]
    print(summary)  # -s shows it: phases, test cases generated and passed
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout
    assert "Tested: 5" in result.stdout  # every operation of the API
