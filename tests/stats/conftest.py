"""Fixtures for the statistics tests: policies, example data, local fake Kolada/SCB servers."""

import io

import pytest

from tests.conftest import POLICY_DIR
from tests.stats.fakeserver import full_fake


def load_policies():
    from lagesbild.policy.loading import load_policy

    for path in sorted(POLICY_DIR.glob("*.yaml")):
        load_policy(path.read_bytes(), path.name)


@pytest.fixture
def demo_data(db):
    from lagesbild.stats.demo import load_demo

    load_demo(io.StringIO())


@pytest.fixture
def fast_retries(monkeypatch):
    """Backoff in milliseconds, so retry tests do not wait; Retry-After is checked separately."""
    from lagesbild.stats import http

    monkeypatch.setattr(http, "BACKOFF", 0.001)


@pytest.fixture
def fake_sources(settings, fast_retries):
    """Kolada and SCB on 127.0.0.1, and the settings pointing at them."""
    fake = full_fake()
    settings.KOLADA_URL = f"{fake.url}/kolada"
    settings.SCB_URL = f"{fake.url}/scb"
    yield fake
    fake.stop()


@pytest.fixture
def sync_jobs(settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
