"""Every field a policy file may have survives the editor's forms, and the indicator search is
the one `lagesbild indicators` uses."""

import copy
import io

from django.core.management import call_command
from django.urls import reverse

from lagesbild.accounts.models import Role
from lagesbild.policy.models import PolicyDraft
from lagesbild.stats import catalogue

from .conftest import unchanged_form

FULL_AREA = {
    "id": "sprak",
    "title": "Språk",
    "summary": ["Första stycket.", "Andra stycket."],
    "goals": [
        {
            "id": "g1",
            "text": "Ett mål.",
            "targets": [
                {
                    "id": "t2",
                    "indicator": "sfi-klarat-tva-kurser",
                    "group": "utrikes_fodda",
                    "value": 42.5,
                    "year": 2028,
                    "baseline_year": 2024,
                    "direction": "increase",
                    "unit": "procent",
                }
            ],
            "subgoals": [
                {"id": "d1", "text": "Ett delmål.", "targets": [{"year": 2027, "text": "Mäts ej"}]},
                {"text": "Ett delmål till."},
            ],
            "strategies": ["Strategi ett", "Strategi två"],
            "indicators": ["sfi-godkanda-kurser"],
        },
        {"text": "Ett mål utan mer."},
    ],
    "commitments": [],
    "targets": [{"year": 2029, "text": "Fler ska klara SFI", "value": 60}],
    "indicators": ["sfi-klarat-tva-kurser"],
    "responsible": ["samtliga-forvaltningar"],
}


def test_an_area_with_every_field_is_saved_unchanged(client, make_user, shipped):
    policy = shipped["1082"]
    data = copy.deepcopy(policy.current.data)
    data["areas"][1] = FULL_AREA
    data["terms"] = {"goal": "mål", "target": "målvärde"}
    data["follow_up"]["report_to"] = "Kommunstyrelsen"
    draft = PolicyDraft.objects.create(municipality="1082", policy=policy, data=data)
    client.force_login(make_user(Role.COORDINATOR))
    for url in (
        reverse("policy:edit", args=[draft.pk]),
        reverse("policy:area_edit", args=[draft.pk, 1]),
    ):
        response = client.post(url, unchanged_form(client.get(url)))
        assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.data == data


def test_a_target_moves_from_the_area_to_a_goal(client, make_user, shipped):
    policy = shipped["1082"]
    data = copy.deepcopy(policy.current.data)
    data["areas"][1] = copy.deepcopy(FULL_AREA)
    draft = PolicyDraft.objects.create(municipality="1082", policy=policy, data=data)
    client.force_login(make_user(Role.COORDINATOR))
    url = reverse("policy:area_edit", args=[draft.pk, 1])
    form = unchanged_form(client.get(url))
    # Target forms: the area's first, then goal 1's.
    assert form["target-0-text"] == "Fler ska klara SFI"
    form["target-0-belongs"] = "goal-1"
    form["goal-0-delete"] = "on"
    form["target-1-delete"] = "on"
    assert client.post(url, form).status_code == 302
    draft.refresh_from_db()
    area = draft.data["areas"][1]
    assert "targets" not in area
    assert area["goals"] == [
        {
            "text": "Ett mål utan mer.",
            "targets": [{"year": 2029, "text": "Fler ska klara SFI", "value": 60}],
        }
    ]


def test_the_indicator_search_is_the_commands_search():
    entries = catalogue.load_catalogue()
    found = [e["id"] for e in catalogue.search(entries, "SFI  kurser")]
    assert "sfi-klarat-tva-kurser" in found
    assert all("sfi" in catalogue.search_text(entries[i]) for i in found)
    assert len(catalogue.search(entries, "")) == len(entries)
    assert catalogue.search(entries, "inget-sådant-ord") == []
    out = io.StringIO()
    call_command("indicators", "SFI", "kurser", stdout=out, stderr=io.StringIO())
    listed = [line.split("\t")[0] for line in out.getvalue().splitlines()[1:]]
    assert listed == found
