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


def test_a_patch_that_changes_nothing_writes_no_history_row(plan, users, client_for):
    s1 = plan.activities.get(ref="S1")
    client = client_for(users["coordinator"])
    rows = s1.history.count()
    for body in ({}, {"status": None}, {"status": "pågår", "progress": 0}):  # as it already is
        response = patch(client, s1, body)
        assert response.status_code == 200, response.content
        assert response.json() == {
            "activity_id": s1.pk,
            "id": "S1",
            "status": "pågår",
            "framsteg": 0,
        }
    assert s1.history.count() == rows
    patch(client, s1, {"progress": 30})
    assert s1.history.count() == rows + 1


@pytest.mark.parametrize(
    "body, message",
    [
        ({"progress": 140}, "progress: ska vara högst 100"),
        ({"progress": "mycket"}, "progress: ska vara ett heltal"),
        (
            {"status": "nästan klar"},
            "status: ska vara ett av: 'planerad', 'pågår', 'klar', 'pausad' eller 'avbruten'",
        ),
        ({"progres": 40}, "progres: okänt fält"),  # misspelt: refused, not ignored
    ],
)
def test_a_bad_value_is_422_naming_the_field(plan, users, client_for, body, message):
    s1 = plan.activities.get(ref="S1")
    response = patch(client_for(users["coordinator"]), s1, body)
    assert response.status_code == 422
    assert response.json() == {"detail": message}
    s1.refresh_from_db()
    assert (s1.status, s1.progress) == ("pågår", 0)


def test_errors_say_what_is_wrong_in_swedish(plan, users, client_for):
    s1 = plan.activities.get(ref="S1")
    response = patch(client_for(None), s1, {"progress": 50})
    assert (response.status_code, response.json()) == (
        401,
        {"detail": "logga in först (sessionens cookie saknas)"},
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["coordinator"], backend="django.contrib.auth.backends.ModelBackend")
    response = patch(client, s1, {"progress": 50})
    assert response.json() == {
        "detail": "CSRF-token saknas eller stämmer inte (huvudet X-CSRFToken)"
    }
    coordinator = client_for(users["coordinator"])
    response = coordinator.patch("/api/activities/999999", "{}", content_type="application/json")
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "ingen insats med id 999999"},
    )
    response = coordinator.patch(
        f"/api/activities/{s1.pk}", "{progress", content_type="application/json"
    )
    assert (response.status_code, response.json()) == (
        400,
        {"detail": "innehållet är inte giltig JSON"},
    )
    response = coordinator.get("/api/plans/999999/activities")
    assert response.json() == {"detail": "ingen handlingsplan med id 999999"}


def test_the_rows_give_the_number_to_change_an_activity_by(plan, users, client_for):
    client = client_for(users["coordinator"])
    rows = client.get(f"/api/plans/{plan.pk}/activities").json()
    s1 = next(r for r in rows if r["id"] == "S1")
    response = client.patch(
        f"/api/activities/{s1['activity_id']}", '{"progress": 70}', content_type="application/json"
    )
    assert response.json()["id"] == "S1" and response.json()["framsteg"] == 70
