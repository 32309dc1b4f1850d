"""The demo plan: example content for Karlshamn, an open round, and a second run changes nothing."""

import io

import pytest

from lagesbild.accounts import demo as accounts_demo
from lagesbild.plan import demo
from lagesbild.plan.models import Activity, DepartmentReport, FollowUpRound, Plan
from lagesbild.policy.loading import load_policy
from tests.conftest import POLICY_DIR


@pytest.mark.django_db
def test_demo_plan_is_example_content_with_an_open_round_and_runs_twice():
    load_policy((POLICY_DIR / "karlshamn-integration-2026-2029.yaml").read_bytes(), "k.yaml")
    accounts_demo.load_demo(io.StringIO())
    demo.load_demo(io.StringIO())
    plan = Plan.objects.get()
    assert plan.is_example and plan.published
    assert plan.activities.count() == 10  # the demo plan's ten activities
    # Every demo department carries at least one activity.
    assert set(plan.activities.values_list("department__name", flat=True)) == set(
        accounts_demo.DEMO_DEPARTMENTS["1082"]
    )
    rnd = FollowUpRound.objects.get()
    assert rnd.is_open
    assert rnd.reports.filter(department__name="Utbildningsförvaltningen").exists()
    # The demo partner is asked for her organisation's part, not yet written.
    part = rnd.contributions.get()
    assert part.partner.username == "partner" and part.submitted_at is None
    assert "(exempel)" in part.organisation

    # A demo user's change survives a second run, and nothing is duplicated.
    Activity.objects.filter(ref="S1").update(progress=99)
    demo.load_demo(io.StringIO())
    assert Plan.objects.count() == 1 and FollowUpRound.objects.count() == 1
    assert Activity.objects.count() == 10
    assert DepartmentReport.objects.count() == 5
    assert rnd.contributions.count() == 1
    assert Activity.objects.get(ref="S1").progress == 99
