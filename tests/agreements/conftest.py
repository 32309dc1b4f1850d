"""Fixtures for the agreement tests: Karlshamn's policy and a small plan, a partner, an
agreement, and one user per role."""

import datetime

import pytest

from lagesbild.accounts.models import Department, Role
from lagesbild.agreements.models import Agreement, Kind, Status
from lagesbild.plan.models import Activity, Plan
from lagesbild.policy.loading import load_policy
from lagesbild.public.models import Partner
from tests.conftest import POLICY_DIR


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def department(db):
    return Department.objects.create(municipality="1082", name="Utbildningsförvaltningen")


@pytest.fixture
def activity(db, department):
    policy = load_policy(
        (POLICY_DIR / "karlshamn-integration-2026-2029.yaml").read_bytes(), "k.yaml"
    ).version.policy
    plan = Plan.objects.create(
        policy=policy, title="Testplan", start_year=2026, end_year=2029, lagesbild_year=2025
    )
    return Activity.objects.create(
        plan=plan, ref="S1", title="SFI och yrke", department=department, area_keys=["sprak"]
    )


@pytest.fixture
def partner(db):
    return Partner.objects.create(
        municipality="1082", name="Språkföreningen", slug="sprakforeningen", kind="association"
    )


@pytest.fixture
def agreement(activity, partner):
    agreement = Agreement.objects.create(
        municipality="1082",
        kind=Kind.IOP,
        title="IOP om språkcaféer",
        partner=partner,
        purpose="Språkcaféer varje vecka.",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        renewal_date=datetime.date(2027, 9, 30),
        contact_name="Kim Kontakt",
        contact_email="kim@example.invalid",
        policy_area_keys="sprak",
        amount=120000,
        amount_note="per år",
        status=Status.ACTIVE,
        is_public=True,
    )
    agreement.activities.add(activity)
    return agreement


@pytest.fixture
def users(make_user, department):
    return {
        "anonymous": None,
        "reader": make_user(Role.READER, username="reader"),
        "representative": make_user(Role.DEPARTMENT, department=department, username="rep"),
        "partner": make_user(Role.PARTNER, username="partner"),
        "coordinator": make_user(Role.COORDINATOR, username="coordinator"),
        "other_coordinator": make_user(Role.COORDINATOR, "1494", username="lidkoping"),
        "admin": make_user("admin", username="admin"),
    }


@pytest.fixture
def client_for(db):
    from django.test import Client

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return make
