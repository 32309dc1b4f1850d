"""Fixtures for the plan tests: Karlshamn's policy, two departments, a small plan, one user
per role."""

import datetime
from decimal import Decimal

import pytest

from lagesbild.accounts.models import Department, Role
from lagesbild.plan.models import Activity, Plan
from lagesbild.policy.loading import load_policy
from tests.conftest import POLICY_DIR

KARLSHAMN = POLICY_DIR / "karlshamn-integration-2026-2029.yaml"
LIDKOPING = POLICY_DIR / "lidkoping-integrationspolicy-2026.yaml"
OWN = "Utbildningsförvaltningen"
OTHER = "Socialförvaltningen"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Seven users per test: the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def policy(db):
    return load_policy(KARLSHAMN.read_bytes(), "k.yaml").version.policy


@pytest.fixture
def departments(db):
    return {
        name: Department.objects.create(municipality="1082", name=name) for name in (OWN, OTHER)
    }


@pytest.fixture
def plan(policy, departments):
    """A plan with four activities: S1 (own department, parent of S1.1 and S1.2) and H1
    (the other department)."""
    plan = Plan.objects.create(
        policy=policy,
        title="Testplan",
        start_year=2026,
        end_year=2029,
        lagesbild_year=2025,
        adopted=datetime.date(2026, 6, 1),
    )
    own, other = departments[OWN], departments[OTHER]
    s1 = Activity.objects.create(
        plan=plan, ref="S1", title="SFI och yrke", department=own, area_keys=["sprak", "arbete"],
        indicators=["sysselsattning-20-64"], status="pågår", progress=0, weight=Decimal(2),
    )  # fmt: skip
    Activity.objects.create(
        plan=plan, ref="S1.1", parent=s1, title="Kartläggning", department=own,
        area_keys=["sprak"], status="klar", progress=100, weight=Decimal(1),
    )  # fmt: skip
    Activity.objects.create(
        plan=plan, ref="S1.2", parent=s1, title="Kurser", department=own, area_keys=["sprak"],
        status="pågår", progress=40, weight=Decimal(3),
    )  # fmt: skip
    Activity.objects.create(
        plan=plan, ref="H1", title="Hälsokommunikatörer", department=other, area_keys=["halsa"],
        indicators=["ohalsotal"], status="planerad", progress=20, weight=Decimal(1),
    )  # fmt: skip
    return plan


@pytest.fixture
def users(make_user, departments):
    """One user per role in the permission matrix (None = anonymous)."""
    return {
        "coordinator": make_user(Role.COORDINATOR, username="coordinator"),
        "other_coordinator": make_user(Role.COORDINATOR, "1494", username="lidkoping"),
        "rep_own": make_user(Role.DEPARTMENT, department=departments[OWN], username="rep-own"),
        "rep_other": make_user(
            Role.DEPARTMENT, department=departments[OTHER], username="rep-other"
        ),
        "partner": make_user(Role.PARTNER, username="partner"),
        "reader": make_user(Role.READER, username="reader"),
        "anonymous": None,
    }


@pytest.fixture
def client_for(db):
    """client_for(user) -> a new test client logged in as user (None: anonymous)."""
    from django.test import Client

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make
