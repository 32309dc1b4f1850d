"""The dashboard: progress by area, deadlines with warnings, and the audit trail."""

import datetime

from django.urls import reverse

from lagesbild.plan.progress import WARN_DAYS, by_area, deadline, plan_deadlines


def test_area_progress_rolls_up_sub_activities(plan):
    areas = {
        area.key if area else None: (items, progress) for area, items, progress in by_area(plan)
    }
    # Språk: only S1 is top-level; S1 = (100·1 + 40·3) / 4 = 55.
    items, progress = areas["sprak"]
    assert [a.ref for a, _p, _c in items] == ["S1"]
    assert progress == 55.0
    assert [c[0].ref for c in items[0][2]] == ["S1.1", "S1.2"]
    # Hälsa: H1 alone, 20 %.
    assert areas["halsa"][1] == 20.0
    # Utbildning: no activities.
    assert areas["utbildning"] == ([], None)


def test_cancelled_activity_leaves_the_roll_up(plan):
    plan.activities.filter(ref="S1.2").update(status="avbruten")
    areas = {area.key: progress for area, _items, progress in by_area(plan) if area}
    assert areas["sprak"] == 100.0  # only S1.1 (100 %) counts


def test_deadline_levels():
    today = datetime.date(2026, 6, 1)
    assert deadline("x", today - datetime.timedelta(days=1), today).level == "passed"
    assert deadline("x", today + datetime.timedelta(days=WARN_DAYS), today).level == "soon"
    assert deadline("x", today + datetime.timedelta(days=WARN_DAYS + 1), today).level == "ok"


def test_plan_deadlines_use_the_policy_revise_by_year_and_the_next_lagesbild(plan):
    plan.lagesbild_due = datetime.date(2027, 3, 31)
    found = {str(d.label): d for d in plan_deadlines(plan, datetime.date(2029, 10, 15))}
    revise = found["Policyn ska revideras senast"]
    assert revise.date == datetime.date(2029, 12, 31) and revise.level == "soon"
    assert found["Nästa lägesbild ska vara klar"].level == "passed"


def test_dashboard_warns_as_the_next_lagesbild_approaches(plan, users, client_for):
    from django.utils import timezone

    plan.lagesbild_due = timezone.localdate() + datetime.timedelta(days=30)
    plan.save()
    page = client_for(users["reader"]).get(reverse("plan:detail", args=[plan.pk])).content.decode()
    assert "deadline-soon" in page and "Varning: 30 dagar kvar" in page
    assert "55 %" in page  # Språk's roll-up


def test_activity_page_shows_who_changed_what(plan, users, client_for):
    a = plan.activities.get(ref="S1.2")
    from tests.plan.test_permissions import activity_data

    client_for(users["rep_own"]).post(
        reverse("plan:activity_edit", args=[a.pk]), activity_data(a, progress=65)
    )
    page = client_for(users["reader"]).get(reverse("plan:activity", args=[a.pk])).content.decode()
    assert "rep-own" in page
    assert "40 → 65" in page
    assert "<td>ändrad<ul>" in page and "Changed" not in page
