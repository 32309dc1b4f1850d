"""Fixtures for the meetings tests: Karlshamn's policy and plan with one activity, a working
group with a coordinator and two department representatives, one meeting, and people who are
not invited (a reader, a partner, Lidköping's coordinator)."""

import datetime

import pytest

from lagesbild.accounts.models import Department, Role
from lagesbild.meetings.models import STOCKHOLM, Meeting, WorkingGroup
from lagesbild.plan.models import Activity, Plan
from lagesbild.policy.loading import load_policy
from tests.conftest import POLICY_DIR

KARLSHAMN = POLICY_DIR / "karlshamn-integration-2026-2029.yaml"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def department(db):
    return Department.objects.create(municipality="1082", name="Utbildningsförvaltningen")


@pytest.fixture
def activity(db, department):
    policy = load_policy(KARLSHAMN.read_bytes(), "k.yaml").version.policy
    plan = Plan.objects.create(
        policy=policy, title="Testplan", start_year=2026, end_year=2029, lagesbild_year=2025
    )
    return Activity.objects.create(plan=plan, ref="S1", title="SFI och yrke", department=department)


@pytest.fixture
def people(make_user, department):
    p = {
        "coordinator": make_user(Role.COORDINATOR, username="coordinator"),
        "rep": make_user(Role.DEPARTMENT, department=department, username="rep"),
        "rep2": make_user(Role.DEPARTMENT, department="Socialförvaltningen", username="rep2"),
        "reader": make_user(Role.READER, username="reader"),
        "partner": make_user(Role.PARTNER, username="partner"),
        "lidkoping": make_user(Role.COORDINATOR, "1494", username="lidkoping"),
    }
    p["coordinator"].first_name, p["coordinator"].last_name = "Sara", "Samordnare"
    p["coordinator"].save()
    p["rep"].first_name, p["rep"].last_name = "Fredrik", "Förvaltning"
    p["rep"].save()
    return p


@pytest.fixture
def group(people):
    group = WorkingGroup.objects.create(
        municipality="1082", name="Integrationsgruppen", leader=people["coordinator"]
    )
    group.members.set([people["coordinator"], people["rep"], people["rep2"]])
    return group


@pytest.fixture
def meeting(group):
    start = datetime.datetime(2026, 3, 10, 13, 0, tzinfo=STOCKHOLM)
    meeting = Meeting.objects.create(
        group=group,
        title="Vårens möte",
        start=start,
        end=start + datetime.timedelta(hours=2),
        place="Rådhuset",
    )
    meeting.invited.set(group.members.all())
    return meeting
