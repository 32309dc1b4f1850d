"""The policy editor in the browser (issue #13): drafts, round trips, adoption, import and
export, and who may use it."""

import copy

import pytest
import yaml
from django.urls import reverse

from lagesbild.accounts.models import Role
from lagesbild.policy.document import dump_policy, parse_policy
from lagesbild.policy.models import Policy, PolicyDraft, PolicyVersion

from .conftest import unchanged_form


@pytest.fixture
def coordinator(client, make_user):
    client.force_login(make_user(Role.COORDINATOR, municipality="1082"))
    return client


def open_draft(client, policy):
    response = client.post(reverse("policy:revise", args=[policy.slug]))
    assert response.status_code == 302, response.content[:500]
    return PolicyDraft.objects.get(policy=policy)


def save_unchanged(client, url):
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, unchanged_form(page))
    assert response.status_code == 302, response.content.decode()[:3000]


def adopt_unchanged(client, draft):
    url = reverse("policy:adopt", args=[draft.pk])
    return client.post(url, unchanged_form(client.get(url)))


@pytest.mark.parametrize("code", ["1082", "1494"])
def test_every_form_saved_unchanged_then_adopted_gives_the_identical_policy(
    client, make_user, shipped, code
):
    policy = shipped[code]
    before = copy.deepcopy(policy.current.data)
    client.force_login(make_user(Role.COORDINATOR, municipality=code))
    draft = open_draft(client, policy)
    save_unchanged(client, reverse("policy:edit", args=[draft.pk]))
    for i in range(len(before["areas"])):
        save_unchanged(client, reverse("policy:area_edit", args=[draft.pk, i]))
    draft.refresh_from_db()
    assert draft.data == before
    response = adopt_unchanged(client, draft)
    assert response.status_code == 302, response.content.decode()[:3000]
    current = Policy.objects.get(pk=policy.pk).current
    assert current.number == 2
    assert current.data == before
    assert current.source_name == "redigerad i webbläsaren"
    assert not PolicyDraft.objects.exists()


def test_a_changed_goal_becomes_version_two_and_the_comparison_shows_it(coordinator, shipped):
    policy = shipped["1082"]
    draft = open_draft(coordinator, policy)
    url = reverse("policy:area_edit", args=[draft.pk, 1])
    form = unchanged_form(coordinator.get(url))
    form["goal-0-text"] = "Alla ska kunna lära sig svenska."
    assert coordinator.post(url, form).status_code == 302
    assert adopt_unchanged(coordinator, draft).status_code == 302
    assert policy.current.number == 2
    page = coordinator.get(reverse("policy:compare", args=[policy.slug]) + "?fran=1&till=2")
    html = page.content.decode()
    assert "<caption>Ändringar från version 1 till version 2 (1)</caption>" in html
    assert "Vägledande princip 2 Språk – mål 1" in html
    assert "Alla ska kunna lära sig svenska." in html
    detail = coordinator.get(policy.get_absolute_url()).content.decode()
    assert "?fran=1&amp;till=2" in detail


def test_a_new_policy_from_an_empty_form_with_two_areas_and_an_indicator(coordinator, db):
    response = coordinator.post(reverse("policy:start"), {"municipality": "1082", "template": ""})
    draft = PolicyDraft.objects.get()
    assert response.url == reverse("policy:edit", args=[draft.pk])
    assert draft.data["municipality"] == {"code": "1082", "name": "Karlshamn"} or (
        draft.data["municipality"]["code"] == "1082"
    )
    edit = reverse("policy:edit", args=[draft.pk])
    form = unchanged_form(coordinator.get(edit))
    form.update(
        {
            "id": "karlshamn-ny",
            "title": "Ny integrationspolicy",
            "area_term_singular": "fokusområde",
            "area_term_plural": "fokusområden",
            "validity_start_year": "2027",
            "validity_end_year": "2030",
        }
    )
    assert coordinator.post(edit, form).status_code == 302
    areas = reverse("policy:areas", args=[draft.pk])
    for title in ("Arbete", "Boende"):
        response = coordinator.post(areas, {"action": "add"})
        index = len(PolicyDraft.objects.get().data["areas"]) - 1
        url = reverse("policy:area_edit", args=[draft.pk, index])
        assert response.url == url
        hits = coordinator.get(url + "?q=sysselsättningsgrad 20–64").content.decode()
        assert 'value="sysselsattning-20-64"' in hits
        assert "Kolada N02268, N02269" in hits
        assert "Utrikes födda, Inrikes födda" in hits
        form = unchanged_form(coordinator.get(url))
        form.update({"id": title.lower(), "title": title, "goal-0-text": f"Mål för {title}"})
        form["pick"] = "sysselsattning-20-64"
        assert coordinator.post(url + "?q=syssels", form).status_code == 302
    response = coordinator.post(
        reverse("policy:adopt", args=[draft.pk]),
        {"body": "Kommunfullmäktige", "date": "2026-12-01", "reference": "KF § 1"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    policy = Policy.objects.get(slug="karlshamn-ny")
    data = policy.current.data
    assert [a["title"] for a in data["areas"]] == ["Arbete", "Boende"]
    assert data["areas"][0]["indicators"] == ["sysselsattning-20-64"]
    assert data["areas"][1]["goals"] == [{"text": "Mål för Boende"}]
    assert data["decision"] == {
        "body": "Kommunfullmäktige",
        "date": "2026-12-01",
        "reference": "KF § 1",
    }


def test_areas_move_up_and_down_and_are_removed(coordinator, shipped):
    draft = open_draft(coordinator, shipped["1082"])
    url = reverse("policy:areas", args=[draft.pk])
    coordinator.post(url, {"action": "down:0"})
    draft.refresh_from_db()
    assert [a["id"] for a in draft.data["areas"]][:2] == ["sprak", "utbildning"]
    coordinator.post(url, {"action": "up:1"})
    coordinator.post(url, {"action": "remove:4"})
    draft.refresh_from_db()
    assert [a["id"] for a in draft.data["areas"]] == ["utbildning", "sprak", "arbete", "halsa"]
    assert coordinator.post(url, {"action": "remove:9"}).status_code == 302
    draft.refresh_from_db()
    assert len(draft.data["areas"]) == 4


def test_a_template_gets_the_coordinators_municipality_and_no_decision(client, make_user, db):
    client.force_login(make_user(Role.COORDINATOR, municipality="0114"))
    page = client.get(reverse("policy:start")).content.decode()
    assert "karlshamn-integration-2026-2029.yaml" in page
    client.post(
        reverse("policy:start"),
        {"municipality": "0114", "template": "karlshamn-integration-2026-2029.yaml"},
    )
    data = PolicyDraft.objects.get().data
    assert data["municipality"]["code"] == "0114"
    assert data["id"] == "upplands-vasby-integration"
    assert data["decision"] == {}
    assert [a["id"] for a in data["areas"]][0] == "utbildning"
    # A coordinator starts policies only for her own municipality.
    response = client.post(reverse("policy:start"), {"municipality": "1082", "template": ""})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert PolicyDraft.objects.count() == 1


def test_a_form_error_is_shown_next_to_the_field_and_nothing_is_saved(coordinator, shipped):
    draft = open_draft(coordinator, shipped["1082"])
    url = reverse("policy:edit", args=[draft.pk])
    form = unchanged_form(coordinator.get(url))
    form["validity_end_year"] = "tjugotrettio"
    form["title"] = "Ändrad titel"
    response = coordinator.post(url, form)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_validity_end_year_errors"' in html
    assert "Ange ett årtal, t.ex. 2026." in html
    draft.refresh_from_db()
    assert draft.data["title"] == "Policy för integration"


def test_adoption_with_problems_changes_nothing_and_shows_them_next_to_the_field(
    coordinator, shipped
):
    policy = shipped["1082"]
    draft = open_draft(coordinator, policy)
    data = copy.deepcopy(draft.data)
    data["areas"][1]["targets"] = [
        {
            "indicator": "sfi-klarat-tva-kurser",
            "group": "utrikes_fodda",
            "value": 60,
            "year": 2040,
            "direction": "increase",
        }
    ]
    draft.data = data
    draft.save()
    response = coordinator.post(
        reverse("policy:adopt", args=[draft.pk]),
        {"body": "Kommunfullmäktige", "date": "2027-01-01", "reference": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Utkastet kunde inte antas" in html
    assert "den gällande versionen gäller fortfarande" in html
    assert "areas[1].targets[0].year" in html
    assert "målåret 2040 ligger utanför policyns giltighetstid (2026–2029)" in html
    assert PolicyVersion.objects.filter(policy=policy).count() == 1
    assert policy.current.number == 1
    assert PolicyDraft.objects.filter(pk=draft.pk).exists()
    # On the area's page the message stands next to the target's year.
    area = coordinator.get(reverse("policy:area_edit", args=[draft.pk, 1])).content.decode()
    assert 'id="id_target-0-year_problems"' in area
    assert "målåret 2040" in area.split('id="id_target-0-year_problems"')[1][:300]


def test_a_decision_problem_stands_next_to_the_decision_field(coordinator, shipped):
    draft = open_draft(coordinator, shipped["1082"])
    response = coordinator.post(
        reverse("policy:adopt", args=[draft.pk]), {"body": "", "date": "2027-13-45"}
    )
    html = response.content.decode()
    assert 'id="id_body_errors"' in html and 'id="id_date_errors"' in html
    assert "Ange ett datum som ÅÅÅÅ-MM-DD." in html
    assert shipped["1082"].current.number == 1


def test_export_then_import_then_adopt_gives_the_identical_policy(coordinator, shipped):
    policy = shipped["1494"]
    response = coordinator.get(reverse("policy:export", args=[policy.slug, 1]))
    assert response["Content-Type"] == "text/yaml; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="lidkoping-integration-version-1.yaml"'
    )
    text = response.content
    data, problems = parse_policy(text)
    assert problems == [] and data == policy.current.data

    # Lidköping's policy, imported by the Lidköping coordinator.
    coordinator.logout()
    from django.contrib.auth.models import User

    lid = User.objects.create_user("lid")
    from lagesbild.accounts.models import Profile

    Profile.objects.create(user=lid, role=Role.COORDINATOR, municipality="1494")
    coordinator.force_login(lid)
    draft = open_draft(coordinator, policy)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("lidkoping.yaml", text, content_type="text/yaml")
    response = coordinator.post(reverse("policy:import", args=[draft.pk]), {"file": upload})
    assert response.status_code == 302
    assert adopt_unchanged(coordinator, PolicyDraft.objects.get()).status_code == 302
    v2 = policy.current
    assert v2.number == 2 and v2.data == policy.versions.get(number=1).data

    # Exporting version 2 (written by the editor) and importing it again changes nothing.
    again = coordinator.get(reverse("policy:export", args=[policy.slug, 2])).content
    assert again == dump_policy(v2.data).encode()
    draft = open_draft(coordinator, policy)
    upload = SimpleUploadedFile("v2.yaml", again)
    coordinator.post(reverse("policy:import", args=[draft.pk]), {"file": upload})
    response = adopt_unchanged(coordinator, PolicyDraft.objects.get())
    page = coordinator.get(response.url).content.decode()
    assert "Ingen ändring" in page
    assert policy.versions.count() == 2


def test_an_import_with_problems_names_line_and_field_and_keeps_the_draft(coordinator, shipped):
    draft = open_draft(coordinator, shipped["1082"])
    before = copy.deepcopy(draft.data)
    from django.core.files.uploadedfile import SimpleUploadedFile

    source = shipped["1082"].current.source_text
    text = source.replace("start_year: 2026", "start_year: tjugo")
    assert source != text
    response = coordinator.post(
        reverse("policy:import", args=[draft.pk]),
        {"file": SimpleUploadedFile("fel.yaml", text.encode())},
    )
    html = response.content.decode()
    assert "fel.yaml:17: validity.start_year: ska vara ett heltal, inte &#x27;tjugo&#x27;" in html
    for bad, message in (
        (b"\xff\xfe not utf-8", "Filen är inte UTF-8-text"),
        (b"x" * (1024 * 1024 + 1), "b.yaml är för stor (högst 1 MB)."),
    ):
        response = coordinator.post(
            reverse("policy:import", args=[draft.pk]), {"file": SimpleUploadedFile("b.yaml", bad)}
        )
        assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.data == before


def test_an_import_for_another_municipality_is_refused(coordinator, shipped):
    draft = open_draft(coordinator, shipped["1082"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = shipped["1494"].current.source_text.encode()
    response = coordinator.post(
        reverse("policy:import", args=[draft.pk]), {"file": SimpleUploadedFile("l.yaml", text)}
    )
    assert "filen gäller kommun 1494, utkastet kommun 1082" in response.content.decode()


def test_export_is_public_and_yaml_parses_to_the_version(client, shipped):
    policy = shipped["1082"]
    response = client.get(reverse("policy:export", args=[policy.slug, 1]))
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["id"] == policy.slug
    assert client.get(reverse("policy:export", args=[policy.slug, 7])).status_code == 404


# Who may edit ------------------------------------------------------------------------------

EDITOR_URLS = ("edit", "areas", "area_edit", "adopt", "import", "draft_delete")


def editor_urls(draft, policy):
    out = [reverse("policy:start"), reverse("policy:revise", args=[policy.slug])]
    for name in EDITOR_URLS:
        args = [draft.pk, 0] if name == "area_edit" else [draft.pk]
        out.append(reverse(f"policy:{name}", args=args))
    return out


@pytest.mark.parametrize(
    "role, may",
    [
        ("anonymous", False),
        (Role.READER, False),
        (Role.DEPARTMENT, False),
        (Role.PARTNER, False),
        ("other-coordinator", False),
        (Role.COORDINATOR, True),
        ("admin", True),
    ],
)
def test_each_role_on_each_editor_url(client, make_user, shipped, role, may):
    policy = shipped["1082"]
    draft = PolicyDraft.objects.create(
        municipality="1082", policy=policy, data=copy.deepcopy(policy.current.data)
    )
    if role == "other-coordinator":
        client.force_login(make_user(Role.COORDINATOR, municipality="1494"))
    elif role == "admin":
        client.force_login(make_user("admin"))
    elif role != "anonymous":
        department = "Utbildningsförvaltningen" if role == Role.DEPARTMENT else None
        client.force_login(make_user(role, municipality="1082", department=department))
    for url in editor_urls(draft, policy):
        response = client.get(url)
        if url == reverse("policy:start") and role == "other-coordinator":
            # She may start a policy of her own municipality, never of 1082.
            assert 'value="1082"' not in response.content.decode()
            continue
        if may:
            assert response.status_code == 200, url
        else:
            assert response.status_code in (302, 403, 404), (url, response.status_code)
            if response.status_code == 302:
                assert "/konto/logga-in/" in response.url
    # Writing: a change of the title, a removal of an area, an adoption, removing the draft.
    before = copy.deepcopy(draft.data)
    client.post(reverse("policy:edit", args=[draft.pk]), {"title": "Kapad", "id": "x"})
    client.post(reverse("policy:areas", args=[draft.pk]), {"action": "remove:0"})
    draft.refresh_from_db()
    if may:
        assert draft.data["title"] == "Kapad"
        assert len(draft.data["areas"]) == len(before["areas"]) - 1
        draft.data = before
        draft.save()
    else:
        assert draft.data == before
    client.post(reverse("policy:adopt", args=[draft.pk]), {"body": "KF", "date": "2027-01-01"})
    assert policy.versions.count() == (2 if may else 1)
    client.post(reverse("policy:draft_delete", args=[draft.pk]))
    client.post(reverse("policy:revise", args=[policy.slug]))
    assert PolicyDraft.objects.filter(pk=draft.pk).exists() is not may
    assert PolicyDraft.objects.count() == 1


def test_edit_buttons_only_for_those_who_may(client, make_user, shipped):
    policy = shipped["1082"]
    assert "Redigera policyn" not in client.get(policy.get_absolute_url()).content.decode()
    assert "Ny policy" not in client.get(reverse("policy:list")).content.decode()
    client.force_login(make_user(Role.READER))
    assert "Redigera policyn" not in client.get(policy.get_absolute_url()).content.decode()
    client.force_login(make_user(Role.COORDINATOR))
    assert "Redigera policyn" in client.get(policy.get_absolute_url()).content.decode()
    assert "Redigera policyn" not in client.get(shipped["1494"].get_absolute_url()).content.decode()
    assert "Ny policy" in client.get(reverse("policy:list")).content.decode()
