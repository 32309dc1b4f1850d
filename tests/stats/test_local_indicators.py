"""A municipality's own indicators: the form, the file, who may change them, and how they join
the catalogue and the policy check for that municipality only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.html import escape

from lagesbild.accounts.models import Role
from lagesbild.policy.loading import check_policy
from lagesbild.policy.models import Policy
from lagesbild.stats import catalogue
from lagesbild.stats.models import LocalIndicator

pytestmark = pytest.mark.django_db

SLUG = "foreningsaktiva-utrikes-fodda"
POST = {
    "kommun": "1082",
    "slug": SLUG,
    "title_sv": "Aktiva i föreningslivet, utrikes och inrikes födda",
    "title_en": "Active in associations, foreign-born and native-born",
    "unit": "procent",
    "better": "higher",
    "groups": ["utrikes_fodda", "inrikes_fodda"],
    "description": "Andel som är aktiva i en förening, enligt kommunens medborgarenkät.",
    "source_text": "Kultur- och fritidsförvaltningen",
    "source_name": "foreningar",
}
LIST = "/statistik/indikatorer/"
NEW = "/statistik/indikatorer/ny/"


def make_local(kommun="1082", slug=SLUG, **changes):
    fields = {k: v for k, v in POST.items() if k not in ("kommun", "slug")}
    return LocalIndicator.objects.create(kommun=kommun, slug=slug, **{**fields, **changes})


def policy_text(code, name):
    """A policy naming the local indicator in a target (line 19) and in the area (line 24)."""
    return f"""format: lagesbild-policy/1
id: test-lokal
municipality:
  code: "{code}"
  name: {name}
title: Testpolicy
decision:
  body: Kommunfullmäktige
  date: 2026-01-01
area_term:
  singular: mål
  plural: mål
areas:
  - id: social-integration
    title: Social integration
    goals:
      - text: Fler aktiva i föreningslivet.
        targets:
          - indicator: {SLUG}
            value: 40
            year: 2029
            direction: increase
    indicators:
      - {SLUG}
"""


# The form on the web ---------------------------------------------------------------------------


def test_coordinator_adds_an_indicator_and_sees_it_in_the_list(client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    response = client.post(NEW, POST)
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?kommun=1082"
    indicator = LocalIndicator.objects.get()
    assert (indicator.kommun, indicator.slug, indicator.unit, indicator.better) == (
        "1082",
        SLUG,
        "procent",
        "higher",
    )
    assert indicator.groups == ["utrikes_fodda", "inrikes_fodda"]
    assert indicator.source_name == "foreningar"
    html = client.get(LIST).content.decode()
    assert "Egna indikatorer för Karlshamn" in html
    assert "Aktiva i föreningslivet, utrikes och inrikes födda" in html
    assert "lagesbild import FIL --source foreningar" in html
    assert "Utrikes födda, Inrikes födda" in html
    assert "Indikatorn foreningsaktiva-utrikes-fodda är sparad." in html


def test_coordinator_edits_an_indicator_but_its_id_stays(client, make_user):
    indicator = make_local()
    client.force_login(make_user(Role.COORDINATOR))
    url = reverse("stats:local_indicator_edit", args=[indicator.pk])
    assert "Id:t kan inte ändras när indikatorn är skapad." in client.get(url).content.decode()
    changed = {**POST, "slug": "nytt-id", "title_sv": "Aktiva i föreningar", "better": "none"}
    assert client.post(url, changed).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.slug, indicator.title_sv, indicator.better) == (
        SLUG,
        "Aktiva i föreningar",
        "none",
    )


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("slug", "", "Skriv ett id."),
        (
            "slug",
            "Föreningar Aktiva",
            "Ogiltigt id 'Föreningar Aktiva': använd små bokstäver a–z, siffror och bindestreck "
            "(börja med en bokstav eller siffra, högst 64 tecken).",
        ),
        (
            "slug",
            "ohalsotal",
            "Id:t ohalsotal används redan av en indikator i den nationella katalogen.",
        ),
        ("title_sv", "", "Skriv en titel på svenska."),
        ("unit", "", "Skriv en enhet, t.ex. procent eller antal."),
        ("unit", "procent av invånarna 18+", "Enheten får vara högst 20 tecken."),
        ("better", "best", "Okänt värde best; välj higher, lower eller none."),
        ("groups", [], "Välj minst en befolkningsgrupp."),
        (
            "groups",
            ["utrikes_fodda", "nyanlanda"],
            "Okänd grupp nyanlanda; välj utrikes_fodda, inrikes_fodda, utlandsk_bakgrund, "
            "svensk_bakgrund eller total.",
        ),
        ("source_text", "", "Skriv vem som tar fram siffrorna."),
        ("source_name", "", "Skriv källans namn vid import, t.ex. foreningar."),
        (
            "source_name",
            "Föreningar!",
            "Ogiltigt namn 'Föreningar!': använd små bokstäver, siffror, - och _ (högst 31 "
            "tecken), t.ex. foreningar.",
        ),
    ],
)
def test_each_field_is_checked_with_a_message_next_to_it(client, make_user, field, value, message):
    client.force_login(make_user(Role.COORDINATOR))
    response = client.post(NEW, {**POST, field: value})
    assert response.status_code == 200
    assert LocalIndicator.objects.count() == 0
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    errors_at = html.index(f'id="id_{field}_errors"')
    assert html.index(f'name="{field}"') < errors_at
    assert escape(message) in html[errors_at:]


def test_an_id_is_unique_within_a_municipality_but_another_may_use_it(client, make_user):
    make_local()
    client.force_login(make_user(Role.COORDINATOR))
    response = client.post(NEW, POST)
    assert response.context["form"].errors == {
        "slug": ["Kommunen har redan en egen indikator med id:t foreningsaktiva-utrikes-fodda."]
    }
    client.force_login(make_user(Role.COORDINATOR, municipality="1494"))
    assert client.post(NEW, {**POST, "kommun": "1494"}).status_code == 302
    assert sorted(LocalIndicator.objects.values_list("kommun", flat=True)) == ["1082", "1494"]


def test_the_page_is_in_english_under_en(client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    html = client.get("/en" + NEW).content.decode()
    assert "New own indicator" in html
    assert "Title in Swedish" in html


# Who may ----------------------------------------------------------------------------------------


def _requests(indicator):
    edit = reverse("stats:local_indicator_edit", args=[indicator.pk])
    return [
        ("get", f"{LIST}?kommun=1082", None),
        ("get", f"{NEW}?kommun=1082", None),
        ("post", NEW, {**POST, "slug": "nytt-id"}),
        ("get", edit, None),
        ("post", edit, {**POST, "title_sv": "Ändrad"}),
    ]


def test_anonymous_users_are_sent_to_log_in(client):
    indicator = make_local()
    for method, url, data in _requests(indicator):
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    assert LocalIndicator.objects.get().title_sv == POST["title_sv"]


@pytest.mark.parametrize(
    "role, municipality, department",
    [
        (Role.READER, "1082", None),
        (Role.DEPARTMENT, "1082", "Utbildningsförvaltningen"),
        (Role.PARTNER, "1082", None),
        (Role.COORDINATOR, "1494", None),
    ],
    ids=["reader", "department", "partner", "other-coordinator"],
)
def test_only_the_municipalitys_coordinator_may(client, make_user, role, municipality, department):
    indicator = make_local()
    client.force_login(make_user(role, municipality=municipality, department=department))
    for method, url, data in _requests(indicator):
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 403, url
    assert list(LocalIndicator.objects.values_list("slug", "title_sv")) == [
        (SLUG, POST["title_sv"])
    ]


def test_an_installation_admin_may_see_any_municipalitys_list(client, make_user):
    make_local(kommun="1494")
    client.force_login(make_user("admin"))
    response = client.get(f"{LIST}?kommun=1494")
    assert response.status_code == 200
    assert "Egna indikatorer för Lidköping" in response.content.decode()


# The catalogue and the policy check ------------------------------------------------------------


def test_catalogue_for_adds_the_municipalitys_own_indicators_as_local_entries():
    make_local()
    entries = catalogue.catalogue_for("1082")
    assert set(entries) - set(catalogue.load_catalogue()) == {SLUG}
    assert entries[SLUG] == {
        "id": SLUG,
        "theme": "",
        "skr_area": "",
        "title": {
            "sv": "Aktiva i föreningslivet, utrikes och inrikes födda",
            "en": "Active in associations, foreign-born and native-born",
        },
        "unit": "procent",
        "better": "higher",
        "source": {
            "kind": "local",
            "name": "foreningar",
            "description": "Kultur- och fritidsförvaltningen",
        },
        "groups": ["utrikes_fodda", "inrikes_fodda"],
        "breakdowns": [],
        "birth_split": "local",
        "note": "Andel som är aktiva i en förening, enligt kommunens medborgarenkät.",
        "disclosure": "Kommunen ansvarar själv för att inte redovisa grupper under 20 personer.",
        "series_breaks": [],
        "kommun": "1082",
    }
    assert catalogue.source_ref(entries[SLUG]) == "foreningar"
    assert SLUG not in catalogue.catalogue_for("1494")
    assert SLUG not in catalogue.load_catalogue()
    with pytest.raises(KeyError, match=f"unknown indicator '{SLUG}'"):
        catalogue.indicator(SLUG)
    assert catalogue.indicator(SLUG, "1082")["title"]["sv"] == POST["title_sv"]
    assert catalogue.indicator("ohalsotal", "1082")["unit"] == "dagar"
    with pytest.raises(KeyError, match="unknown indicator 'foreningsaktiva-utrikes-fodda'"):
        catalogue.indicator(SLUG, "1494")


def test_catalogue_for_is_not_cached():
    assert SLUG not in catalogue.catalogue_for("1082")
    make_local()
    assert SLUG in catalogue.catalogue_for("1082")


def test_policy_check_accepts_a_local_indicator_of_the_policys_own_municipality():
    make_local()
    data, problems = check_policy(policy_text("1082", "Karlshamns kommun"), "p.yaml")
    assert problems == []
    assert data["areas"][0]["indicators"] == [SLUG]


def test_policy_check_rejects_another_municipalitys_local_indicator_with_file_line_field():
    make_local()
    _, problems = check_policy(policy_text("1494", "Lidköpings kommun"), "p.yaml")
    assert [str(p) for p in problems] == [
        "p.yaml:24: areas[0].indicators[0]: okänd indikator 'foreningsaktiva-utrikes-fodda'; "
        "se indikatorkatalogen (lagesbild indicators)",
        "p.yaml:19: areas[0].goals[0].targets[0].indicator: okänd indikator "
        "'foreningsaktiva-utrikes-fodda'; se indikatorkatalogen (lagesbild indicators)",
    ]


def test_policy_check_still_rejects_an_unknown_id():
    make_local()
    text = policy_text("1082", "Karlshamns kommun").replace(f"      - {SLUG}", "      - finns-inte")
    _, problems = check_policy(text, "p.yaml")
    assert [str(p) for p in problems] == [
        "p.yaml:24: areas[0].indicators[0]: okänd indikator 'finns-inte'; "
        "se indikatorkatalogen (lagesbild indicators)"
    ]


def test_policy_load_command_takes_the_local_indicator_only_for_its_municipality(tmp_path, capsys):
    make_local()
    own = tmp_path / "own.yaml"
    own.write_text(policy_text("1082", "Karlshamns kommun"), encoding="utf-8")
    call_command("policy", "load", str(own))
    assert "inläst som test-lokal version 1" in capsys.readouterr().out
    other = tmp_path / "other.yaml"
    other.write_text(
        policy_text("1494", "Lidköpings kommun").replace("id: test-lokal", "id: test-lidkoping"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as raised:
        call_command("policy", "load", str(other))
    assert raised.value.returncode == 1
    assert (
        f"{other}:24: areas[0].indicators[0]: okänd indikator 'foreningsaktiva-utrikes-fodda'"
        in capsys.readouterr().err
    )
    assert list(Policy.objects.values_list("slug", flat=True)) == ["test-lokal"]


# The file ---------------------------------------------------------------------------------------

GOOD_FILE = """indicators:
  - id: foreningsaktiva-utrikes-fodda
    title_sv: Aktiva i föreningslivet, utrikes och inrikes födda
    unit: procent
    better: higher
    groups: [utrikes_fodda, inrikes_fodda]
    source_text: Kultur- och fritidsförvaltningen
    source_name: foreningar
  - id: besok-oppna-forskolan
    title_sv: Besök i öppna förskolan
    title_en: Visits to the open preschool
    unit: antal
    better: none
    groups: total
    description: Räknade besök per år.
    source_text: Utbildningsförvaltningen
    source_name: oppna-forskolan
"""

BAD_FILE = """indicators:
  - id: bra-indikator
    title_sv: Bra
    unit: antal
    better: higher
    groups: [total]
    source_text: Kommunen
    source_name: bra
  - id: ohalsotal
    title_sv: Krock
    unit: dagar per person och år
    better: bäst
    groups: [alla]
    source_text: Kommunen
    source_name: Fel Namn
    farg: blå
"""


def test_indicators_command_imports_a_file_and_lists_the_municipalitys_own(tmp_path, capsys):
    path = tmp_path / "lokala.yaml"
    path.write_text(GOOD_FILE, encoding="utf-8")
    call_command("indicators", "--kommun", "1082", "--import", str(path), "förening")
    captured = capsys.readouterr()
    assert "lokala.yaml: 2 nya och 0 ändrade egna indikatorer" in captured.err
    assert (
        "foreningsaktiva-utrikes-fodda\tAktiva i föreningslivet, utrikes och inrikes födda\t"
        "procent\thigher\tlokal fil, --source foreningar"
    ) in captured.out.splitlines()
    second = LocalIndicator.objects.get(slug="besok-oppna-forskolan")
    assert (second.kommun, second.groups, second.title_en) == (
        "1082",
        ["total"],
        "Visits to the open preschool",
    )

    path.write_text(GOOD_FILE.replace("Räknade besök", "Besök"), encoding="utf-8")
    call_command("indicators", "--kommun", "1082", "--import", str(path))
    assert "lokala.yaml: 0 nya och 2 ändrade egna indikatorer" in capsys.readouterr().err
    assert LocalIndicator.objects.get(slug="besok-oppna-forskolan").description == "Besök per år."

    call_command("indicators", "förening")  # without --kommun: the shipped catalogue only
    assert SLUG not in capsys.readouterr().out


def test_a_bad_file_names_file_line_and_field_and_stores_nothing(tmp_path, capsys):
    path = tmp_path / "fel.yaml"
    path.write_text(BAD_FILE, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("indicators", "--kommun", "1082", "--import", str(path))
    assert raised.value.returncode == 1
    assert str(raised.value) == "fel.yaml: inget lästes in"
    assert capsys.readouterr().err.splitlines() == [
        "fel.yaml:16: indicators[1].farg: okänt fält",
        "fel.yaml:9: indicators[1].id: Id:t ohalsotal används redan av en indikator i den "
        "nationella katalogen.",
        "fel.yaml:11: indicators[1].unit: Enheten får vara högst 20 tecken.",
        "fel.yaml:12: indicators[1].better: Okänt värde bäst; välj higher, lower eller none.",
        "fel.yaml:13: indicators[1].groups: Okänd grupp alla; välj utrikes_fodda, inrikes_fodda, "
        "utlandsk_bakgrund, svensk_bakgrund eller total.",
        "fel.yaml:15: indicators[1].source_name: Ogiltigt namn 'Fel Namn': använd små "
        "bokstäver, siffror, - och _ (högst 31 tecken), t.ex. foreningar.",
    ]
    assert LocalIndicator.objects.count() == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("indicators: [\n", "fel.yaml:2: YAML-syntaxfel"),
        ("- id: x\n", "fel.yaml: filen ska ha en lista 'indicators:' (se docs/indicators.md)"),
        ("kommun: '1082'\nindicators: []\n", "fel.yaml: kommun: okänt fält"),
        (
            "indicators:\n  - id: a\n  - id: a\n",
            "fel.yaml:3: indicators[1].id: 'a' står redan på rad 2",
        ),
        (  # "billion laughs": refused from the parser's events, before anything is built
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                for p, n in zip("abcdefgh", "bcdefghi", strict=True)
            )
            + "indicators: []\n",
            "fel.yaml:5: filen har fler än 20000 fält och listvärden",
        ),
        ("indicators:\n  - id: a\n    since: 2016-02-30\n", "fel.yaml: ogiltigt värde"),
    ],
)
def test_an_unreadable_file_says_why(tmp_path, capsys, text, message):
    path = tmp_path / "fel.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("indicators", "--kommun", "1082", "--import", str(path))
    assert any(line.startswith(message) for line in capsys.readouterr().err.splitlines())
    assert LocalIndicator.objects.count() == 0


def test_import_needs_a_municipality(tmp_path):
    with pytest.raises(CommandError, match="--import behöver --kommun KOD"):
        call_command("indicators", "--import", str(tmp_path / "x.yaml"))


def test_the_file_field_on_the_page_imports_all_or_nothing(client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    upload = SimpleUploadedFile("fel.yaml", BAD_FILE.encode())
    response = client.post(NEW, {"kommun": "1082", "action": "import", "file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ingenting lästes in: 6 fel" in html
    assert escape("fel.yaml:11: indicators[1].unit: Enheten får vara högst 20 tecken.") in html
    assert LocalIndicator.objects.count() == 0

    upload = SimpleUploadedFile("lokala.yaml", GOOD_FILE.encode())
    response = client.post(NEW, {"kommun": "1082", "action": "import", "file": upload})
    assert response.status_code == 302
    assert sorted(LocalIndicator.objects.values_list("slug", flat=True)) == [
        "besok-oppna-forskolan",
        SLUG,
    ]
    assert "Inläst: 2 nya och 0 ändrade indikatorer." in client.get(LIST).content.decode()


def test_the_file_field_refuses_a_file_that_is_no_yaml_before_reading_it(client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    upload = SimpleUploadedFile("lokala.yaml", b"PK\x03\x04" + b"\x00" * 100)
    response = client.post(NEW, {"kommun": "1082", "action": "import", "file": upload})
    assert response.status_code == 200
    assert "lokala.yaml är ingen textfil" in response.content.decode()
    assert LocalIndicator.objects.count() == 0


def test_the_file_field_without_a_file_says_so(client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    response = client.post(NEW, {"kommun": "1082", "action": "import"})
    assert response.status_code == 200
    assert response.context["file_form"].errors == {"file": ["Välj en fil."]}
