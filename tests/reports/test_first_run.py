"""The first run for a municipality without statistics: the draft and the documents say what is
missing and what to do, carry no example-data stamp, and the coordinator's button loads labelled
example values (for any municipality) that one step removes again."""

import io
import re
import subprocess

import docx
import pytest
from django.core.management import call_command
from django.urls import reverse

from lagesbild.accounts.models import Role
from lagesbild.analysis.observations import FOREIGN_BORN, Observation
from lagesbild.policy.loading import load_policy
from lagesbild.reports import publishing
from lagesbild.reports.lagesbild import collect
from lagesbild.stats import example_data
from lagesbild.stats.demo import load_demo
from lagesbild.stats.models import Observation as Stored
from lagesbild.stats.store import Batch, save

YEAR = 2025
MARK = "Exempeldata"
VAXJO = """\
format: lagesbild-policy/1
id: vaxjo-integration
municipality:
  code: "0780"
  name: Växjö kommun
title: Integrationspolicy
decision:
  body: Kommunfullmäktige
  date: 2027-02-15
area_term:
  singular: mål
  plural: mål
areas:
  - id: arbete
    title: Arbete
    goals:
      - text: Fler utrikes födda ska ha ett arbete.
    indicators: [sysselsattning-20-64, sfi-lokala-resultat]
"""
THREE_WAYS = ("Kolada och SCB", "importera en fil", "exempel")


@pytest.fixture
def vaxjo(db):
    return load_policy(VAXJO.encode(), "vaxjo.yaml").version


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.COORDINATOR, municipality="0780")


def draft_url():
    return reverse("reports:draft", args=["vaxjo-integration", YEAR])


def text_of(content, fmt):
    if fmt == "pdf":
        out = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
    elif fmt == "docx":
        document = docx.Document(io.BytesIO(content))
        parts = [p.text for p in document.paragraphs]
        parts += [p.text for s in document.sections for p in s.header.paragraphs]
        out = "\n".join(parts)
    else:
        html = content if isinstance(content, str) else content.decode()
        out = re.sub(r"<[^>]+>", " ", html)
    return " ".join(out.split())


def real_value(area, value=70.0):
    rows = [Observation("sysselsattning-20-64", area, 2024, FOREIGN_BORN, "T", value, "procent")]
    save([Batch("kolada", f"N02268 {area}", "", repr(rows), rows)])


def test_draft_without_statistics_says_what_is_missing_and_offers_three_ways(
    client, coordinator, vaxjo
):
    client.force_login(coordinator)
    html = client.get(draft_url()).content.decode()
    assert "Det finns ingen statistik för Växjö kommun ännu" in html
    assert reverse("stats:upload") + "?kommun=0780" in html
    assert reverse("stats:example_load") in html
    assert "Läs in exempeldata" in html
    assert "internet" in html
    # Under each indicator: no value is stored, and how to get it.
    assert html.count("Inget värde är lagrat för Växjö kommun") == 2
    assert "importera kommunens fil i importformatet" in html  # the local indicator
    assert "Exempeldata – inte officiell statistik" not in html


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_documents_without_statistics_say_the_same_and_carry_no_stamp(vaxjo, fmt):
    text = text_of(publishing.render(collect(vaxjo, YEAR), fmt, "Utkast"), fmt)
    assert "Det finns ingen statistik för Växjö kommun ännu" in text
    for way in THREE_WAYS:
        assert way in text, way
    assert "Inget värde är lagrat för Växjö kommun" in text
    assert MARK not in text


def test_partial_statistics_names_the_missing_indicators(client, coordinator, vaxjo):
    real_value("0780")
    client.force_login(coordinator)
    html = client.get(draft_url()).content.decode()
    assert "Det finns ingen statistik" not in html
    assert "Värden saknas för 1 indikator" in html
    assert "Värden saknas för Växjö kommun för 1 av 2 indikatorer: SFI" in html
    # A real value and no button to load example data.
    assert reverse("stats:example_load") not in html


def test_button_loads_example_values_for_the_municipality_county_and_riket(
    client, coordinator, vaxjo
):
    client.force_login(coordinator)
    response = client.post(
        reverse("stats:example_load"), {"kommun": "0780", "next": draft_url()}, follow=True
    )
    assert response.redirect_chain[-1][0] == draft_url()
    areas = set(Stored.objects.filter(example=True).values_list("area", flat=True))
    assert {"0780", "0007", "0000"} <= areas
    assert not Stored.objects.filter(example=False).exists()
    html = response.content.decode()
    assert "Exempeldata – inte officiell statistik" in html
    assert "Det finns ingen statistik" not in html
    for fmt in ("pdf", "docx"):
        text = text_of(publishing.render(collect(vaxjo, YEAR), fmt, "Utkast"), fmt)
        assert "Exempeldata – inte officiell statistik" in text


def test_removal_brings_back_the_empty_state_and_keeps_real_and_other_example_values(
    client, coordinator, vaxjo
):
    load_demo(io.StringIO())  # Karlshamn's and Lidköping's example values, Riket among them
    real_value("0114")  # another municipality's real value
    riket = Stored.objects.filter(area="0000", example=True, current=True).count()
    client.force_login(coordinator)
    client.post(reverse("stats:example_load"), {"kommun": "0780"})
    assert Stored.objects.filter(area="0780", example=True).exists()
    page = client.get(reverse("stats:example_remove") + "?kommun=0780").content.decode()
    assert "Region Kronoberg" in page and 'name="confirm"' in page
    # Without the ticked box nothing is removed.
    client.post(reverse("stats:example_remove"), {"kommun": "0780"})
    assert Stored.objects.filter(area="0780", example=True).exists()
    client.post(reverse("stats:example_remove"), {"kommun": "0780", "confirm": "yes"})
    assert not Stored.objects.filter(area__in=["0780", "0007"]).exists()
    assert Stored.objects.filter(area="0000", example=True, current=True).count() == riket
    assert Stored.objects.filter(area="0114", example=False).count() == 1
    assert Stored.objects.filter(area="1082", example=True).exists()
    html = client.get(draft_url()).content.decode()
    assert "Det finns ingen statistik för Växjö kommun ännu" in html


def test_real_values_are_never_removed_and_block_the_button(client, coordinator, vaxjo):
    real_value("0780")
    client.force_login(coordinator)
    client.post(reverse("stats:example_load"), {"kommun": "0780"})
    assert not Stored.objects.filter(example=True).exists()
    example_data.remove("0780")
    assert Stored.objects.filter(area="0780", example=False).count() == 1


@pytest.mark.parametrize("role", [Role.READER, Role.DEPARTMENT, Role.PARTNER, "other"])
def test_other_roles_cannot_load_or_remove_example_data(client, make_user, vaxjo, role):
    if role == "other":
        user = make_user(Role.COORDINATOR, municipality="1082")
    else:
        user = make_user(role, municipality="0780", department="Förvaltningen")
    example_data.load("0780")
    before = Stored.objects.count()
    client.force_login(user)
    assert client.post(reverse("stats:example_load"), {"kommun": "0780"}).status_code == 403
    response = client.post(reverse("stats:example_remove"), {"kommun": "0780", "confirm": "yes"})
    assert response.status_code == 403
    assert client.get(reverse("stats:example_remove") + "?kommun=0780").status_code == 403
    assert Stored.objects.count() == before
    html = client.get(draft_url()).content.decode() if role != "other" else ""
    assert reverse("stats:example_load") not in html


def test_demo_runs_again_after_a_text_was_added_by_hand(db, settings):
    from lagesbild.accounts.models import Department
    from lagesbild.policy.models import Policy
    from lagesbild.reports.models import Experience

    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    policy = Policy.objects.get(slug="karlshamn-integration")
    department = Department.objects.get(municipality="1082", name="Utbildningsförvaltningen")
    Experience.objects.create(
        policy=policy, area_key="utbildning", year=YEAR, department=department, text="Min egen"
    )
    call_command("demo", "--no-serve", stdout=out)
    call_command("demo", "--no-serve", "--kommun", "0780", stdout=out)
    assert Experience.objects.filter(text="Min egen").count() == 1
    assert "Växjö kommun" in out.getvalue()
    assert Stored.objects.filter(area="0780", example=True).exists()
    out = io.StringIO()
    call_command("demo", "--ta-bort-exempel", "0780", stdout=out)
    assert "borttagna" in out.getvalue()
    assert not Stored.objects.filter(area="0780").exists()
    assert Stored.objects.filter(area="1082", example=True).exists()


def test_no_stamp_when_only_comparison_areas_have_example_values(vaxjo):
    load_demo(io.StringIO())  # Riket has example values, Växjö none
    text = text_of(publishing.render(collect(vaxjo, YEAR), "html", "Utkast"), "html")
    assert "Det finns ingen statistik för Växjö kommun ännu" in text
    assert MARK not in text
