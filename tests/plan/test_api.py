"""The JSON API's activities: the same rules as the web form, CSRF, audit trail."""

import json

import pytest
from django.test import Client

from lagesbild.plan.models import Activity

pytestmark = pytest.mark.django_db

ALLOWED_TO_CHANGE_S1 = {"coordinator", "rep_own"}


def patch(client, activity, body):
    return client.patch(
        f"/api/activities/{activity.pk}", json.dumps(body), content_type="application/json"
    )


@pytest.mark.parametrize(
    "who",
    ["coordinator", "other_coordinator", "rep_own", "rep_other", "partner", "reader", "anonymous"],
)
def test_only_the_coordinator_and_the_own_department_change_an_activity(
    plan, users, client_for, who
):
    s1 = plan.activities.get(ref="S1")
    response = patch(client_for(users[who]), s1, {"status": "klar", "progress": 100})
    s1.refresh_from_db()
    if who in ALLOWED_TO_CHANGE_S1:
        assert response.status_code == 200, response.content
        assert (s1.status, s1.progress) == ("klar", 100)
        assert s1.history.latest().history_user == users[who]
    else:
        assert response.status_code in (401, 403), (who, response.status_code)
        assert (s1.status, s1.progress) == ("pågår", 0)


def test_bad_values_are_refused_and_nothing_changes(plan, users, client_for):
    s1 = plan.activities.get(ref="S1")
    client = client_for(users["coordinator"])
    assert patch(client, s1, {"progress": 140}).status_code == 422
    assert patch(client, s1, {"status": "nästan klar"}).status_code == 422
    s1.refresh_from_db()
    assert (s1.status, s1.progress) == ("pågår", 0)


def test_a_change_needs_the_csrf_token(plan, users):
    s1 = plan.activities.get(ref="S1")
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["coordinator"], backend="django.contrib.auth.backends.ModelBackend")
    assert patch(client, s1, {"progress": 50}).status_code == 403
    assert Activity.objects.get(pk=s1.pk).progress == 0


def test_activities_are_read_like_the_csv_export(plan, users, client_for):
    rows = client_for(users["reader"]).get(f"/api/plans/{plan.pk}/activities").json()
    assert [r["id"] for r in rows] == ["H1", "S1", "S1.1", "S1.2"]
    assert rows[2]["del_av"] == "S1" and rows[2]["framsteg"] == 100
    assert "kontakt_epost" in rows[0]


def test_the_public_reads_only_a_published_plan_without_contact_persons(plan, client_for):
    anonymous = client_for(None)
    assert anonymous.get(f"/api/plans/{plan.pk}/activities").status_code == 404
    plan.published = True
    plan.save()
    rows = anonymous.get(f"/api/plans/{plan.pk}/activities").json()
    assert len(rows) == 4
    assert not {"kontaktperson", "kontakt_epost"} & set(rows[0])
