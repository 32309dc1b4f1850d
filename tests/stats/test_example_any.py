"""Example data for any municipality: the demo's values stay as they were, every area has one
set of values whichever load stores it, loads and removals leave real values and other loads
alone, and the statistics page offers the two buttons to the coordinator only."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lagesbild.accounts.models import Role
from lagesbild.stats import catalogue, example, example_data
from lagesbild.stats.models import MunicipalityGroup, Observation, Snapshot

pytestmark = pytest.mark.django_db

# sha256 of the offline demo's values (every indicator's as_json, in id order) as generated
# before example data could be made for any municipality: other tests depend on these numbers.
DEMO_DIGEST = "a28e66a87e1b678e025c37dda71c6f4d9de0fece0784459c52fd6905ee8ee13f"
VAXJO = {"county": "0007", "riket": "0000", "group_title": "", "group_members": []}
LJUNGBY = {"county": "0007", "riket": "0000", "group_title": "", "group_members": []}


def test_the_offline_demo_values_are_unchanged():
    # The values of every indicator the demo had before small areas (issue #18) came.
    data = example.generate()
    before = [i for i in sorted(data) if catalogue.indicator(i).get("level") != "small_areas"]
    text = "".join(example.as_json(data[i]) for i in before)
    assert hashlib.sha256(text.encode()).hexdigest() == DEMO_DIGEST


def values(rows, area):
    return sorted((o.period, o.group, o.sex, o.value) for o in rows if o.area == area)


def test_a_shared_area_gets_the_same_values_from_every_load():
    vaxjo = example.generate(kommuner=["0780"], comparisons={"0780": VAXJO})
    ljungby = example.generate(kommuner=["0781"], comparisons={"0781": LJUNGBY})
    demo = example.generate()
    for indicator in ("sysselsattning-20-64", "ohalsotal"):
        assert values(vaxjo[indicator], "0007") == values(ljungby[indicator], "0007")
        assert values(vaxjo[indicator], "0007")  # not empty
        assert values(vaxjo[indicator], "0000") == values(demo[indicator], "0000")
        assert values(vaxjo[indicator], "0780") != values(ljungby[indicator], "0781")


def test_any_municipality_gets_every_indicator_and_local_ones_only_for_itself():
    data = example.generate(kommuner=["0780"], comparisons={"0780": VAXJO})
    for indicator_id, rows in data.items():
        if catalogue.indicator(indicator_id).get("level") == "small_areas":
            assert {o.area[:4] for o in rows} == {"0780"}, indicator_id  # its own areas only
        else:
            assert {o.area for o in rows} >= {"0780"}, indicator_id
        assert all(o.example for o in rows)
    assert {o.area for o in data["sfi-lokala-resultat"]} == {"0780"}
    assert {o.area for o in data["sysselsattning-20-64"]} == {"0780", "0007", "0000"}


def test_load_uses_a_stored_comparison_group_and_says_when_there_is_none():
    result = example_data.load("0780")
    assert "ingen jämförelsegrupp" in result.describe()
    MunicipalityGroup.objects.create(
        group_id="G1",
        title="Liknande kommuner, övergripande, Växjö, 2025",
        members=["0380", "0680"],
        source="test",
        fetched_at=timezone.now(),
    )
    result = example_data.load("0780")
    assert "Liknande kommuner, övergripande, Växjö, 2025" in result.describe()
    assert Observation.objects.filter(area="0380", example=True).exists()
    assert example_data.load("0780").already


def test_removal_keeps_what_another_load_needs():
    example_data.load("0780")
    example_data.load("0781")  # Ljungby: the same county
    county = Observation.objects.filter(area="0007", current=True).count()
    result = example_data.remove("0780")
    assert "Region Kronoberg" in result.describe_removal()  # kept, and said so
    assert not Observation.objects.filter(area="0780").exists()
    assert Observation.objects.filter(area="0007", current=True).count() == county
    assert Observation.objects.filter(area__startswith="0781C", example=True).exists()
    example_data.remove("0781")
    assert not Observation.objects.filter(area__in=["0007", "0781"]).exists()
    assert not Observation.objects.filter(area__startswith="0781").exists()  # its DeSO too
    assert not Snapshot.objects.filter(observations__isnull=True, source="example").exists()


@pytest.mark.parametrize(
    ("role", "municipality", "sees"),
    [
        (Role.COORDINATOR, "0780", True),
        ("admin", "", True),
        (Role.READER, "0780", False),
        (Role.COORDINATOR, "1082", False),
    ],
)
def test_the_statistics_page_offers_the_buttons_to_the_coordinator_only(
    client, make_user, role, municipality, sees
):
    client.force_login(make_user(role, municipality=municipality))
    html = client.get(reverse("stats:index"), {"kommun": "0780"}).content.decode()
    assert ("Läs in exempeldata" in html) is sees
    example_data.load("0780")
    html = client.get(reverse("stats:index"), {"kommun": "0780"}).content.decode()
    assert ("Ta bort exempeldata" in html) is sees


def test_upload_works_for_a_municipality_with_nothing_yet(client, make_user):
    client.force_login(make_user(Role.COORDINATOR, municipality="0780"))
    text = (
        '"region";"födelseregion";"kön";"2023";"2024"\n'
        '"0780 Växjö";"utrikes födda";"män och kvinnor";55,5;57,0\n'
        '"Riket";"utrikes födda";"män och kvinnor";66,0;67,0\n'
    )
    file = SimpleUploadedFile("vaxjo.csv", text.encode("cp1252"), content_type="text/csv")
    data = {"kommun": "0780", "indicator": "sysselsattning-20-64", "age": "", "fixed": ""}
    html = client.post(reverse("stats:upload"), {**data, "file": file}).content.decode()
    assert "4 värden ur filen vaxjo.csv" in html
    assert not Observation.objects.exists()
    client.post(reverse("stats:upload_confirm"), {"kommun": "0780"})
    assert Observation.objects.filter(area="0780", example=False).count() == 2
    page = client.get(reverse("stats:index"), {"kommun": "0780"}).content.decode()
    assert "Läs in exempeldata" not in page  # real values now
