"""The statistics page's import of a Statistikdatabasen file: preview writes nothing, confirm
writes once, only the municipality's coordinator may, and the provenance names the file only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from lagesbild.accounts.models import Role
from lagesbild.stats import queries
from lagesbild.stats.models import Observation, Snapshot

pytestmark = pytest.mark.django_db

# Karlshamn, Blekinge län, Riket, Mjölby (in Karlshamn's comparison group) and Kiruna (not).
DOWNLOAD = """"Andel sysselsatta efter region, födelseregion, kön och år"

"region";"födelseregion";"kön";"2023";"2024"
"1082 Karlshamn";"utrikes födda";"män och kvinnor";55,5;57,0
"1082 Karlshamn";"födda i Sverige";"män och kvinnor";82,0;..
"Blekinge län";"utrikes födda";"män och kvinnor";58,0;59,5
"Riket";"utrikes födda";"män och kvinnor";66,0;67,0
"0586 Mjölby";"utrikes födda";"män och kvinnor";60,0;61,0
"2584 Kiruna";"utrikes födda";"män och kvinnor";70,0;71,0
"""
INDICATOR = "sysselsattning-20-64"


def upload_file(text=DOWNLOAD, name="sysselsatta.csv"):
    return SimpleUploadedFile(name, text.encode("cp1252"), content_type="text/csv")


def post_upload(client, file=None, kommun="1082", **fields):
    data = {"kommun": kommun, "indicator": INDICATOR, "age": "", "fixed": "", **fields}
    if file is not None:
        data["file"] = file
    return client.post(reverse("stats:upload"), data)


def confirm(client, kommun="1082"):
    return client.post(reverse("stats:upload_confirm"), {"kommun": kommun})


def pending_files(settings):
    folder = settings.MEDIA_ROOT / "uploads" / "statistik"  # the default storage
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def coordinator(client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    return client


def test_the_statistics_page_links_the_import_for_the_coordinator(coordinator):
    html = coordinator.get(reverse("stats:index")).content.decode()
    assert f"{reverse('stats:upload')}?kommun=1082" in html
    page = coordinator.get(reverse("stats:upload"), {"kommun": "1082"}).content.decode()
    for field in ("file", "indicator", "age", "fixed"):
        assert f'<label for="id_{field}"' in page
    assert "Du importerar för Karlshamn (1082)" in page
    assert "Värdena sparas exakt som de står i filen" in page


def test_preview_writes_nothing_and_confirm_writes_once(coordinator, settings):
    response = post_upload(coordinator, upload_file())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Förhandsgranskning – inget är sparat ännu" in html
    assert "10 värden ur filen sysselsatta.csv" in html
    assert "2 värden i filen gäller andra områden och sparas inte." in html  # Kiruna
    assert "Region Blekinge (0010)" in html and "Mjölby (0586)" in html
    assert "Kiruna" not in html.split("Antal värden per område")[1]
    assert (Observation.objects.count(), Snapshot.objects.count()) == (0, 0)
    assert len(pending_files(settings)) == 1

    response = confirm(coordinator)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('stats:index')}?kommun=1082"
    assert Observation.objects.count() == 10 and Snapshot.objects.count() == 1
    assert pending_files(settings) == []
    got = {
        (o.area, o.period, o.group): (o.value, o.status)
        for o in queries.observations(INDICATOR, ["1082", "0010", "0000", "0586", "2584"])
    }
    assert got[("1082", 2023, "utrikes_fodda")] == (55.5, "")
    assert got[("1082", 2024, "inrikes_fodda")] == (None, "..")
    assert ("2584", 2023, "utrikes_fodda") not in got
    message = coordinator.get(response["Location"]).content.decode()
    assert "10 värden ur filen sysselsatta.csv sparade för Karlshamn: 10 nya" in message

    assert confirm(coordinator).status_code == 302  # nothing waits any more
    assert Snapshot.objects.count() == 1


def test_an_upload_ends_the_example_years_of_its_series_and_says_so(coordinator):
    from lagesbild.analysis.observations import Observation as Obs
    from lagesbild.stats.store import Batch, save

    example = [Obs(INDICATOR, "1082", y, "utrikes_fodda", "T", 50.0, unit="procent")
               for y in (2023, 2024, 2025)]  # fmt: skip
    save([Batch("example", "demo", "", "demo", example, example=True)])
    post_upload(coordinator, upload_file())
    response = confirm(coordinator)
    message = coordinator.get(response["Location"]).content.decode()
    # 2023 and 2024 are replaced by the file's values; 2025, which the file lacks, ends too.
    assert "1 exempelvärde för samma indikatorer och områden togs bort" in message
    got = queries.observations(INDICATOR, ["1082"])
    assert [(o.period, o.group, o.example) for o in got if o.group == "utrikes_fodda"] == [
        (2023, "utrikes_fodda", False),
        (2024, "utrikes_fodda", False),
    ]


def test_provenance_names_the_file_and_never_a_server_path(coordinator, settings):
    post_upload(coordinator, upload_file())
    confirm(coordinator)
    snapshot = Snapshot.objects.get()
    assert (snapshot.source, snapshot.source_ref, snapshot.url) == (
        "local:scb-fil",
        "sysselsatta.csv",
        "",
    )
    assert snapshot.query["file"] == "sysselsatta.csv" and snapshot.query["format"] == "csv"
    assert snapshot.query["indicator"] == INDICATOR
    body = Client().get("/api/statistics/1082", {"indicator": INDICATOR}).content.decode()
    assert "sysselsatta.csv" in body and "local:scb-fil" in body
    assert "file://" not in body and str(settings.HOME) not in body
    assert "uploads" not in body and len(snapshot.query["sha256"]) == 64


def test_bad_file_shows_every_row_error_and_no_confirm_button(coordinator):
    bad = DOWNLOAD.replace("55,5", "155,5").replace("Riket", "Storstad")
    html = post_upload(coordinator, upload_file(bad, "fel.csv")).content.decode()
    assert "fel.csv, rad 4, kolumn &#x27;2023&#x27;: 155.5 ligger utanför 0–100 procent" in html
    assert "fel.csv, rad 7, kolumn &#x27;region&#x27;: okänt område &#x27;Storstad&#x27;" in html
    assert "Filen kan inte läsas in (2 fel)" in html
    assert reverse("stats:upload_confirm") not in html
    assert confirm(coordinator).status_code == 200  # the preview again, with the errors
    assert Snapshot.objects.count() == 0


def test_age_is_chosen_on_the_preview_without_uploading_again(coordinator):
    text = (
        "region,ålder,år,Andel\n1082,20-64 år,2024,70\n1082,16-64 år,2024,60\n"
        "0010,20-64 år,2024,72\n0010,16-64 år,2024,62\n"
    )
    html = post_upload(coordinator, upload_file(text, "alder.csv")).content.decode()
    assert "alder.csv, rad 1, kolumn &#x27;ålder&#x27;: 2 olika värden" in html
    html = post_upload(coordinator, age="20-64 år").content.decode()
    assert "Uppladdad fil: alder.csv" in html and "ålder: 20-64 år" in html
    confirm(coordinator)
    assert [(o.area, o.value) for o in queries.observations(INDICATOR, ["1082", "0010"])] == [
        ("0010", 72.0),
        ("1082", 70.0),
    ]
    assert Snapshot.objects.get().query["fixed"]["ålder"] == "20-64 år"


def test_json_stat_is_accepted_and_other_files_are_checked(coordinator):
    raw = (
        '{"version":"2.0","class":"dataset","id":["Region","Tid"],"size":[1,1],'
        '"dimension":{"Region":{"category":{"index":{"1082":0},"label":{"1082":"Karlshamn"}}},'
        '"Tid":{"category":{"index":{"2024":0}}}},"value":[61.5]}'
    )
    file = SimpleUploadedFile("svar.json", raw.encode(), content_type="application/json")
    assert "1 värden ur filen svar.json" in post_upload(coordinator, file).content.decode()
    pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.4", content_type="application/pdf")
    html = post_upload(coordinator, pdf).content.decode()
    assert "x.pdf: filtypen stöds inte" in html


def test_the_first_post_needs_a_file(coordinator):
    assert "Välj en fil." in post_upload(coordinator).content.decode()


@pytest.mark.parametrize(
    "role, municipality",
    [
        (Role.READER, "1082"),
        (Role.DEPARTMENT, "1082"),
        (Role.PARTNER, "1082"),
        (Role.COORDINATOR, "1494"),
    ],
)
def test_only_the_municipalitys_coordinator_may_import(client, make_user, role, municipality):
    client.force_login(make_user(role, municipality=municipality))
    assert client.get(reverse("stats:upload"), {"kommun": "1082"}).status_code == 403
    assert post_upload(client, upload_file()).status_code == 403
    assert confirm(client).status_code == 403
    assert Snapshot.objects.count() == 0


def test_anonymous_is_sent_to_login(client):
    for response in (
        client.get(reverse("stats:upload"), {"kommun": "1082"}),
        post_upload(client, upload_file()),
        confirm(client),
    ):
        assert response.status_code == 302 and "konto" in response["Location"]


def test_another_session_cannot_confirm_someone_elses_upload(coordinator, make_user):
    post_upload(coordinator, upload_file())
    other = Client()
    other.force_login(make_user(Role.COORDINATOR))
    assert confirm(other).status_code == 302
    assert Snapshot.objects.count() == 0
    confirm(coordinator)
    assert Snapshot.objects.count() == 1


def test_confirm_needs_csrf(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.COORDINATOR))
    assert confirm(client).status_code == 403
    assert post_upload(client, upload_file()).status_code == 403


def test_other_choices_are_one_line_per_variable(coordinator):
    text = "region;utbildningsnivå;2024\n1082;förgymnasial;40\n1082;eftergymnasial;80\n"
    html = post_upload(coordinator, upload_file(text, "utb.csv")).content.decode()
    assert "kolumn &#x27;utbildningsnivå&#x27;: 2 olika värden" in html
    html = post_upload(coordinator, fixed="\nutbildningsnivå=eftergymnasial\n").content.decode()
    assert "utbildningsnivå: eftergymnasial" in html
    confirm(coordinator)
    assert [o.value for o in queries.observations(INDICATOR, ["1082"])] == [80.0]


# The import format (docs/statistics.md), read by the same reader as `lagesbild import`.
OWN_FORMAT = """indikator;omrade;ar;grupp;kon;varde
sfi-lokala-resultat;0780;2024;utrikes_fodda;T;61,5
sfi-lokala-resultat;0780;2025;utrikes_fodda;T;63,0
"""


def test_a_file_in_the_import_format_is_previewed_and_stored_for_a_municipality_with_nothing(
    client, make_user
):
    client.force_login(make_user(Role.COORDINATOR, municipality="0780"))
    file = SimpleUploadedFile("sfi.csv", OWN_FORMAT.encode(), content_type="text/csv")
    html = post_upload(client, file, kommun="0780", indicator="").content.decode()
    assert (
        "2 värden ur filen sfi.csv (importformatet) för indikatorerna sfi-lokala-resultat" in html
    )
    assert Observation.objects.count() == 0
    assert confirm(client, kommun="0780").status_code == 302
    stored = Observation.objects.filter(area="0780", indicator="sfi-lokala-resultat")
    assert sorted((o.period, o.value) for o in stored) == [(2024, 61.5), (2025, 63.0)]
    assert {s.source for s in Snapshot.objects.all()} == {"local:fil"}


def test_row_errors_of_the_import_format_are_shown_and_nothing_is_stored(client, make_user):
    client.force_login(make_user(Role.COORDINATOR, municipality="0780"))
    bad = OWN_FORMAT.replace("63,0", "sextio")
    file = SimpleUploadedFile("sfi.csv", bad.encode(), content_type="text/csv")
    html = post_upload(client, file, kommun="0780", indicator="").content.decode()
    assert "sfi.csv, rad 3, kolumn &#x27;varde&#x27;: &#x27;sextio&#x27; är inget tal" in html
    assert reverse("stats:upload_confirm") not in html
    assert confirm(client, kommun="0780").status_code == 200  # the preview again, with errors
    assert Observation.objects.count() == 0


def test_a_download_without_a_chosen_indicator_asks_for_one(coordinator):
    html = post_upload(coordinator, upload_file(), indicator="").content.decode()
    assert (
        "sysselsatta.csv är en fil från Statistikdatabasen (eller inte importformatet): välj "
        "vilken indikator den gäller." in html
    )
    assert Observation.objects.count() == 0


# Upload checks before anything is read (issue #16, findings 2 and 8) ------------------------


def _own_format_xlsx():
    from tests.core.spreadsheets import workbook

    rows = [line.split(";") for line in OWN_FORMAT.strip().splitlines()]
    return workbook(rows)


def _bad_file(kind):
    from tests.core import spreadsheets

    if kind == "rows":
        return "sfi.csv", OWN_FORMAT.encode(), "sfi.csv har fler än 2 rader"
    if kind == "size":
        return "sfi.csv", OWN_FORMAT.encode(), "sfi.csv är för stor"
    if kind == "bomb":
        return "sfi.xlsx", spreadsheets.bomb(_own_format_xlsx()), "sfi.xlsx packar upp till"
    if kind == "member-bomb":
        raw = spreadsheets.member_bomb(_own_format_xlsx())
        return "sfi.xlsx", raw, "sfi.xlsx packar upp till orimligt mycket data (xl/"
    if kind == "not-json":
        return "svar.json", OWN_FORMAT.encode(), "svar.json är ingen JSON-fil"
    members, message = spreadsheets.BAD_MEMBERS[kind]
    return "sfi.xlsx", spreadsheets.with_members(_own_format_xlsx(), members), message


@pytest.mark.parametrize(
    "kind",
    ["rows", "size", "bomb", "member-bomb", "not-json", "macro", "external-link", "activex",
     "embedding"],
)  # fmt: skip
def test_a_bad_file_is_refused_before_it_is_read_or_kept(client, make_user, settings, kind):
    client.force_login(make_user(Role.COORDINATOR, municipality="0780"))
    settings.LAGESBILD_MAX_UPLOAD_ROWS = 2  # OWN_FORMAT has 3 lines
    if kind == "size":
        settings.LAGESBILD_MAX_UPLOAD_BYTES = 50
    name, raw, message = _bad_file(kind)
    file = SimpleUploadedFile(name, raw)
    html = post_upload(client, file, kommun="0780", indicator="").content.decode()
    assert message in html.replace("&#x27;", "'")
    assert reverse("stats:upload_confirm") not in html
    assert pending_files(settings) == []
    assert Observation.objects.count() == 0


def test_the_own_format_as_excel_passes_the_checks(client, make_user):
    client.force_login(make_user(Role.COORDINATOR, municipality="0780"))
    file = SimpleUploadedFile("sfi.xlsx", _own_format_xlsx())
    html = post_upload(client, file, kommun="0780", indicator="").content.decode()
    assert "2 värden ur filen sfi.xlsx (importformatet)" in html


@pytest.mark.parametrize("value", ["sNaN", "-sNaN", "NaN", "Infinity", "1e999"])
def test_nan_and_infinity_are_row_messages_not_errors(coordinator, value):
    own = OWN_FORMAT.replace("63,0", value)
    file = SimpleUploadedFile("sfi.csv", own.encode(), content_type="text/csv")
    html = post_upload(coordinator, file, kommun="1082", indicator="").content.decode()
    assert f"sfi.csv, rad 3, kolumn &#x27;varde&#x27;: &#x27;{value}&#x27; är inget tal" in html
    download = DOWNLOAD.replace("55,5", value)
    html = post_upload(coordinator, upload_file(download, "scb.csv")).content.decode()
    assert "scb.csv, rad 4" in html and f"&#x27;{value}&#x27;" in html
    assert Observation.objects.count() == 0
