"""Agenda 2030 (issue #15): the catalogue, tagging a policy's areas, and the section in the
Lägesbild, read back from the printed PDF and Word files."""

import io
import json
import subprocess
from pathlib import Path

import docx
import pytest
from django.urls import reverse

from lagesbild.accounts.models import Department, Role
from lagesbild.plan.models import Activity, Plan
from lagesbild.policy import agenda2030
from lagesbild.policy.models import Agenda2030Tag
from lagesbild.reports import agenda2030 as report_section
from lagesbild.reports.document import Note, Paragraph, Table, walk
from lagesbild.reports.lagesbild import build_document, collect
from lagesbild.reports.render import render_docx, render_html, render_pdf


def test_catalogue_has_the_un_frameworks_17_goals_and_169_targets():
    goals = agenda2030.goals()
    assert [n for n, _ in goals] == [str(i) for i in range(1, 18)]
    assert dict(goals)["10"] == "Minskad ojämlikhet"
    total = sum(len(g["targets"]) for g in agenda2030.catalogue()["goals"].values())
    assert total == 169
    # Known shape: goal 17 has 19 numbered targets and no lettered ones; goal 3 ends at 3.d.
    assert agenda2030.exists("17.19") and not agenda2030.exists("17.a")
    assert agenda2030.exists("3.d") and not agenda2030.exists("3.10")
    assert "A/RES/71/313" in agenda2030.source_text()


def test_typed_codes_are_checked_sorted_and_deduplicated():
    assert agenda2030.parse("10.a, 10.2 8.5;10 10.2") == ["8.5", "10", "10.2", "10.a"]
    assert agenda2030.parse("  ") == []
    with pytest.raises(ValueError, match=r"'18', '1\.9'"):
        agenda2030.parse("4, 18, 1.9")
    assert agenda2030.label("10.6") == "Delmål 10.6 (mål 10 Minskad ojämlikhet)"


def test_targets_with_a_shipped_swedish_name_show_it_and_say_where_it_was_read():
    data = json.loads(Path(agenda2030.__file__).with_name("agenda2030.json").read_text("utf-8"))
    named = {c: t for g in data["goals"] for c, t in g.get("target_names", {}).items()}
    assert len(named) == 90
    publishers = (
        "globalamalen.se/om-globala-malen/",
        "scb.se/hitta-statistik/temaomraden/agenda-2030/",
    )
    assert all(any(p in t["url"] for p in publishers) for t in named.values())
    # Read where the two publishers agree (globalamalen.se and SCB's page of the target).
    assert named["1.1"]["name"] == "Utrota den extrema fattigdomen"
    assert agenda2030.label("10.2") == (
        "Delmål 10.2 Främja social, ekonomisk och politisk inkludering (mål 10 Minskad ojämlikhet)"
    )
    assert agenda2030.label("10.7") == (
        "Delmål 10.7 Främja ansvarsfull och säker migration (mål 10 Minskad ojämlikhet)"
    )
    assert agenda2030.label("10.2", "en") == "Target 10.2 (goal 10 Reduced Inequalities)"
    assert "globalamalen.se" in agenda2030.source_text()
    assert "globalamalen.se" not in agenda2030.source_text("en")


def test_section_lists_each_goal_with_policy_activities_and_movement():
    parts = [{"name": "Princip: Arbete", "codes": ["8", "8.5"], "indicators": ["emp"]}]
    activities = [
        {"name": "A1 Praktik", "codes": ["8.5", "10.2"], "indicators": []},
        {"name": "A2 Utan mål", "codes": [], "indicators": ["emp"]},
    ]
    sec = report_section.section(
        parts, activities, {"emp": "Sysselsättning: bättre ↗."}, "principer"
    )
    table = next(b for b in sec.blocks if isinstance(b, Table))
    assert [r[0] for r in table.rows] == ["8. Anständiga arbetsvillkor och ekonomisk tillväxt",
                                          "10. Minskad ojämlikhet"]  # fmt: skip
    assert table.rows[0][1:] == ["Princip: Arbete (8.5)", "A1 Praktik (8.5)",
                                 "Sysselsättning: bättre ↗."]  # fmt: skip
    assert table.rows[1][1:] == ["–", "A1 Praktik (10.2)", "ingen indikator kopplad"]
    intro = sec.blocks[0].text
    assert "2 av Agenda 2030:s 17 globala mål" in intro
    # Under the table, what the targets in brackets stand for, by their shipped names.
    targets = sec.blocks[2].text
    assert targets == (
        "Delmålen i tabellen: 8.5 Full sysselsättning och anständiga arbetsvillkor med lika lön "
        "för alla; 10.2 Främja social, ekonomisk och politisk inkludering."
    )


def test_a_target_without_a_shipped_name_is_listed_by_its_number():
    activities = [{"name": "D1 Val", "codes": ["16.7", "10.2"], "indicators": []}]
    sec = report_section.section([], activities, {}, "principer")
    targets = sec.blocks[2].text
    assert targets.startswith(
        "Delmålen i tabellen: 10.2 Främja social, ekonomisk och politisk inkludering; 16.7. "
    )
    assert "lydelse finns i regeringens översättning" in targets
    # Only goals tagged: nothing to explain, no paragraph.
    sec = report_section.section([], [{"name": "X", "codes": ["10"], "indicators": []}], {}, "x")
    assert not any(b.text.startswith("Delmålen") for b in sec.blocks if isinstance(b, Paragraph))


def test_nothing_tagged_says_where_to_tag():
    sec = report_section.section([], [{"name": "A", "codes": [], "indicators": []}], {}, "områden")
    assert isinstance(sec.blocks[0], Note)
    assert "Koppla till Agenda 2030" in sec.blocks[0].text


@pytest.mark.django_db
def test_coordinator_tags_an_area_and_the_policy_page_shows_it(karlshamn, make_user, client):
    policy = karlshamn.policy
    client.force_login(make_user(Role.COORDINATOR), "django.contrib.auth.backends.ModelBackend")
    url = reverse("policy:agenda2030", args=[policy.slug])
    page = client.get(url).content.decode()
    assert "Vägledande princip: Arbete" in page  # one field per area (and per goal)
    # The reference list under the form names every target it can, so the coordinator can
    # pick one without looking it up: 169 targets, 10.2 by its name, 10.6 by its number.
    reference = page[page.index('class="targets"') :]
    assert reference.count("<li>") == 169
    assert (
        '<li>10.2 <span lang="sv">Främja social, ekonomisk och politisk inkludering</span>' in page
    )
    assert "<li>10.6</li>" in page
    english = client.get("/en" + url).content.decode()
    assert "<li>10.2</li>" in english and "Främja social" not in english

    # A code that is not in Agenda 2030 is refused at its field, and nothing is stored.
    response = client.post(url, {"arbete-0": "8, 8.5", "halsa-0": "3, 18"})
    assert response.status_code == 200
    assert "finns inte i Agenda 2030: &#x27;18&#x27;" in response.content.decode()
    assert not Agenda2030Tag.objects.exists()

    response = client.post(url, {"arbete-0": "8.5, 8", "arbete-1": "10.2"})
    assert response.status_code == 302
    tags = {(t.area_key, t.goal): t.codes for t in Agenda2030Tag.objects.all()}
    assert tags == {("arbete", 0): ["8", "8.5"], ("arbete", 1): ["10.2"]}
    page = client.get(policy.get_absolute_url()).content.decode()
    assert (
        "Policyn bidrar till: Mål 8 Anständiga arbetsvillkor och ekonomisk tillväxt, Mål 10" in page
    )
    assert (
        "Delmål 8.5 Full sysselsättning och anständiga arbetsvillkor med lika lön för alla "
        "(mål 8 Anständiga arbetsvillkor och ekonomisk tillväxt)" in page
    )

    # Emptying a field removes the tag; both changes are in the history.
    client.post(url, {"arbete-0": "8, 8.5", "arbete-1": ""})
    assert list(Agenda2030Tag.objects.values_list("area_key", "goal")) == [("arbete", 0)]
    assert Agenda2030Tag.history.filter(history_type="-").count() == 1
    assert Agenda2030Tag.history.filter(history_type="+").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,municipality",
    [
        (Role.COORDINATOR, "1494"),
        (Role.DEPARTMENT, "1082"),
        (Role.READER, "1082"),
        (Role.PARTNER, "1082"),
    ],  # fmt: skip
)
def test_only_the_municipalitys_coordinator_tags(karlshamn, make_user, client, role, municipality):
    user = make_user(role, municipality, username=f"u-{role}-{municipality}")
    client.force_login(user, "django.contrib.auth.backends.ModelBackend")
    url = reverse("policy:agenda2030", args=[karlshamn.policy.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"arbete-0": "8"}).status_code == 403
    assert not Agenda2030Tag.objects.exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(karlshamn, client):
    url = reverse("policy:agenda2030", args=[karlshamn.policy.slug])
    response = client.post(url, {"arbete-0": "8"})
    assert response.status_code == 302 and "logga-in" in response["Location"]
    assert not Agenda2030Tag.objects.exists()


def _pdf_text(pdf, tmp_path):
    path = tmp_path / "l.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)
    return " ".join(out.stdout.replace("\u00ad", "").split())


@pytest.mark.django_db
def test_lagesbild_shows_goals_activities_and_the_indicators_trend(karlshamn, stored, tmp_path):
    policy = karlshamn.policy
    Agenda2030Tag.objects.create(policy=policy, area_key="arbete", codes=["8", "8.5"])
    # A plan that starts the year after the report year answers it and is shown.
    plan = Plan.objects.create(policy=policy, title="Plan", start_year=2026, end_year=2029,
                               lagesbild_year=2024)  # fmt: skip
    dept = Department.objects.create(municipality="1082", name="Arbetsmarknad")
    Activity.objects.create(plan=plan, ref="A1", title="Jobbspår", department=dept,
                            agenda2030=["8.5", "10.2"])  # fmt: skip
    doc = build_document(collect(karlshamn, 2025))
    assert [s.title for s in doc.sections][-2] == "Agenda 2030"  # before the appendix
    sec = next(s for _, _, s in walk(doc.sections) if s.title == "Agenda 2030")
    table = next(b for b in sec.blocks if isinstance(b, Table))
    rows = {r[0]: r for r in table.rows}
    work = rows["8. Anständiga arbetsvillkor och ekonomisk tillväxt"]
    assert work[1] == "Vägledande princip: Arbete (8.5)"
    assert work[2] == "A1 Jobbspår (8.5)"
    # Employment among the foreign-born 60 → 64 over 2021–2025 (conftest): better.
    assert "bättre ↗" in work[3]
    assert rows["10. Minskad ojämlikhet"][1:3] == ["–", "A1 Jobbspår (10.2)"]
    assert any("A/RES/71/313" in b.text for b in sec.blocks if isinstance(b, Note | Paragraph))

    html = render_html(doc)
    assert "Agenda 2030: globala mål, policy, insatser och indikatorer" in html
    pdf = _pdf_text(render_pdf(doc), tmp_path)
    assert "Agenda 2030" in pdf and "Jobbspår (8.5)" in pdf and "Minskad ojämlikhet" in pdf
    assert "8.5 Full sysselsättning och anständiga arbetsvillkor med lika lön för alla" in pdf
    word = docx.Document(io.BytesIO(render_docx(doc)))
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert "8. Anständiga arbetsvillkor och ekonomisk tillväxt" in cells
    assert "A1 Jobbspår (8.5)" in cells
    paragraphs = [p.text for p in word.paragraphs]
    assert any(p.startswith("Delmålen i tabellen: 8.5 Full sysselsättning") for p in paragraphs)


@pytest.mark.django_db
def test_lagesbild_without_tags_says_how_to_tag(karlshamn, stored):
    doc = build_document(collect(karlshamn, 2025))
    sec = next(s for _, _, s in walk(doc.sections) if s.title == "Agenda 2030")
    assert sec.blocks[0].text == report_section.NOTHING_TAGGED


@pytest.mark.django_db
def test_a_snapshot_from_before_agenda2030_still_builds(karlshamn, stored):
    snapshot = collect(karlshamn, 2025)
    del snapshot["agenda2030"]
    sections = build_document(snapshot).sections
    assert "Agenda 2030" not in [s.title for _, _, s in walk(sections)]
    assert sections[-1].title == collect_titles_end(karlshamn)


def collect_titles_end(karlshamn):
    return build_document(collect(karlshamn, 2025)).sections[-1].title
