"""Housing segregation (issue #18), from where the numbers start to what the reader sees.

Two ways in, both in the source's real shape: a file downloaded from SCB's Statistikdatabasen
(PxWeb's csv layout, as lagesbild/stats/downloads.py cites it from PxAPI-2.yml: a title line,
a header row of the stub variables and one column per year; codes as SCB writes them from
reference year 2024, 1494C1010_DeSO2025) read on the statistics page, and `lagesbild fetch`
against a local PxWeb v2 serving json-stat2 for TAB6571 (tests/stats/fakeserver.py). The
Lägesbild is then written as HTML, PDF and Word and read back. Expected indices are worked
out here by hand from the counts.
"""

import base64
import html as html_module
import io
import json
import math
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document as WordDocument

from lagesbild.accounts.models import Role
from lagesbild.core import municipalities
from lagesbild.stats.models import IndicatorRefresh, Observation
from tests.stats.conftest import fast_retries, load_policies  # noqa: F401  (a fixture)
from tests.stats.fakeserver import (
    LIDKOPING_AREAS,
    employment_table_meta,
    full_fake,
    small_area_table_meta,
    small_area_value,
)
from tests.stats.test_true_numbers import Tables, table_for

pytestmark = pytest.mark.django_db

INDICATOR = "befolkning-deso-bakgrund"
# Two DeSO of (foreign, Swedish background) (100, 10) and (100, 200), one rural DeSO whose 2
# residents with a foreign background SCB's rule protects, an area of Värnamo (in Lidköping's
# comparison group: kept) and one of Upplands Väsby (not: skipped).
DOWNLOAD = """"Folkmängden per region efter utländsk/svensk bakgrund och kön. År 2024"

"region";"utländsk/svensk bakgrund";"kön";"2024"
"1494C1010_DeSO2025";"utländsk bakgrund";"totalt";100
"1494C1010_DeSO2025";"svensk bakgrund";"totalt";10
"1494C1020_DeSO2025";"utländsk bakgrund";"totalt";100
"1494C1020_DeSO2025";"svensk bakgrund";"totalt";200
"1494A0010_DeSO2025";"utländsk bakgrund";"totalt";2
"1494A0010_DeSO2025";"svensk bakgrund";"totalt";50
"0683C1010_DeSO2025";"utländsk bakgrund";"totalt";60
"0683C1010_DeSO2025";"svensk bakgrund";"totalt";600
"0114A0010_DeSO2025";"utländsk bakgrund";"totalt";300
"0114A0010_DeSO2025";"svensk bakgrund";"totalt";400
"""


def comma(value):
    return f"{value:.2f}".replace(".", ",")


def theil_h(areas):
    """Theil's H written out: Σ tᵢ(E − Eᵢ) / (T·E), E the entropy of the whole."""

    def entropy(p):
        return sum(-q * math.log(q) for q in (p, 1 - p) if q > 0)

    g = sum(a for a, _ in areas)
    t = sum(a + b for a, b in areas)
    whole = entropy(g / t)
    return sum((a + b) * (whole - entropy(a / (a + b))) for a, b in areas) / (t * whole)


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def import_file(tmp_path, text, name="deso.csv", indicator=INDICATOR):
    """A download saved as SCB writes it (Windows-1252) and read with lagesbild import."""
    download = tmp_path / name
    download.write_bytes(text.encode("cp1252"))
    call_command("import", str(download), "--source", "scb", "--indicator", indicator)


def pdf_text_of(path):
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return " ".join(text.split())


def write(kommun, year, fmt, tmp_path):
    out = tmp_path / f"lagesbild.{fmt}"
    call_command(
        "report", "--kommun", kommun, "--year", str(year), "--format", fmt, "--out", str(out)
    )
    return out


def test_an_scb_download_of_small_areas_reaches_the_printed_lagesbild(client, make_user, tmp_path):
    load_policies()
    client.force_login(make_user(Role.COORDINATOR, municipality="1494"))
    data = {
        "kommun": "1494",
        "indicator": INDICATOR,
        "age": "",
        "fixed": "",
        "file": SimpleUploadedFile("deso.csv", DOWNLOAD.encode("cp1252"), "text/csv"),
    }
    preview = client.post(reverse("stats:upload"), data).content.decode()
    assert "Förhandsgranskning" in preview, text_of(preview)[:2000]
    assert "2 värden i filen gäller andra områden och sparas inte." in preview
    assert client.post(reverse("stats:upload_confirm"), {"kommun": "1494"}).status_code == 302
    page = text_of(client.get(reverse("stats:index"), {"kommun": "1494"}).content.decode())
    row = page.split("Befolkning per DeSO och RegSO efter svensk och utländsk bakgrund")[1]
    assert row.split("Importerad")[0].count("Saknas") == 0  # the page knows the areas' values
    stored = {
        (o.area, o.group): o.value
        for o in Observation.objects.filter(indicator=INDICATOR, current=True)
    }
    assert stored == {
        ("1494C1010", "utlandsk_bakgrund"): 100,
        ("1494C1010", "svensk_bakgrund"): 10,
        ("1494C1020", "utlandsk_bakgrund"): 100,
        ("1494C1020", "svensk_bakgrund"): 200,
        ("1494A0010", "utlandsk_bakgrund"): 2,
        ("1494A0010", "svensk_bakgrund"): 50,
        ("0683C1010", "utlandsk_bakgrund"): 60,
        ("0683C1010", "svensk_bakgrund"): 600,
    }

    html = write("1494", 2024, "html", tmp_path).read_text(encoding="utf-8")
    text = text_of(html)
    # By hand over the two areas that may be shown (G = 200, O = 210):
    #   D = ½(|100/200 − 10/210| + |100/200 − 200/210|) = 19/42 ≈ 0,45
    #   isolation = ½·(100/110) + ½·(100/300) = 41/66 ≈ 0,62; exposure = 25/66 ≈ 0,38.
    h = theil_h([(100, 10), (100, 200)])
    assert "Boendesegregation i kommunens områden" in text
    assert f"År 2024, räknat över 2 DeSO-områden: Segregationsindex (D) {comma(19 / 42)}:" in text
    assert "andelen personer med utländsk bakgrund som skulle behöva flytta" in text
    assert f"Isoleringsindex {comma(41 / 66)}" in text
    assert f"Exponeringsindex {comma(25 / 66)}" in text
    assert f"Theils H {comma(h)}" in text
    tables = Tables(html).tables
    rows = table_for(tables, "Kommunens DeSO-områden 2024")
    assert rows[1:] == [
        ["1494A0010", "52", "skyddad"],
        ["1494C1010", "110", "90,9 %"],
        ["1494C1020", "300", "33,3 %"],
    ]
    assert "0114A0010" not in text
    assert "Lämnade utanför indexen: 1494A0010 (2024)" in text
    # The summary under the area, and where the values came from.
    assert f"Boendesegregation 2024: segregationsindex (D) {comma(19 / 42)} över 2 " in text
    assert "SCB (nedladdad fil), deso.csv, 3 områden: importerad fil deso.csv" in text
    # A measure without values says where to fetch it, and how to read a file instead.
    assert (
        "statistiklagret har inga värden per DeSO eller RegSO för kommunen (Sysselsatta 20–64 år "
        "per DeSO och RegSO). Hämta dem från SCB (TAB6680) med knappen Uppdatera statistiken på "
        "sidan Statistik eller lagesbild fetch, eller ladda ner SCB:s tabell och läs in den på "
        "sidan Statistik (Läs in fil, indikatorn sysselsatta-deso)."
    ) in text
    section = text.split("Boendesegregation i kommunens områden")[-1]
    assert "Exempeldata" not in section.split("Fokusområde:")[0]

    pdf = write("1494", 2024, "pdf", tmp_path)
    pdf_text = " ".join(
        subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True
        ).stdout.split()
    )
    assert "Boendesegregation i kommunens områden" in pdf_text
    assert f"Segregationsindex (D) {comma(19 / 42)}" in pdf_text
    assert "90,9 %" in pdf_text and "skyddad" in pdf_text

    word = WordDocument(str(write("1494", 2024, "docx", tmp_path)))
    paragraphs = " ".join(p.text for p in word.paragraphs)
    assert "Boendesegregation i kommunens områden" in paragraphs
    assert f"Segregationsindex (D) {comma(19 / 42)}" in paragraphs
    cells = [[c.text for c in r.cells] for t in word.tables for r in t.rows]
    assert ["1494C1010", "110", "90,9 %"] in cells


@pytest.fixture
def sources(settings, fast_retries):  # noqa: F811  (the fixture imported above)
    fake = full_fake()
    settings.KOLADA_URL = f"{fake.url}/kolada"
    settings.SCB_URL = f"{fake.url}/scb"
    yield fake
    fake.stop()


def test_fetch_asks_scb_for_the_municipalitys_own_small_areas_and_the_report_shows_them(
    sources, tmp_path
):
    load_policies()
    call_command("fetch", "--kommun", "1494", "--years", "2022-2025")
    [(table, selection)] = [(t, s) for t, s in sources.posted if t == "TAB6571"]
    # Every municipality's areas: the county's and Riket's index need them all.
    assert sorted(selection["Region"]) == sorted(
        small_area_table_meta("x")["dimension"]["Region"]["category"]["index"]
    )
    assert "1494C1010" in selection["Region"] and "0114C1010_DeSO2025" in selection["Region"]
    assert selection["Kon"] == ["1+2"]
    assert selection["ContentsCode"] == ["000007Y4"]
    assert sorted(selection["UtlBakgrund"]) == ["1", "2", "SA"]
    rows = Observation.objects.filter(indicator=INDICATOR, current=True, sex="T")
    stored = {(o.area, o.period, o.group): o.value for o in rows}
    # Each area is stored once per year under its plain code, from the division of the year.
    for area, raw in (("1494C1010", "1494C1010"), ("1494C1010", "1494C1010_DeSO2025")):
        for year in (2022, 2023) if raw == area else (2024, 2025):
            codes = {"Region": raw, "Tid": str(year), "Kon": "1+2", "UtlBakgrund": "1"}
            assert stored[(area, year, "utlandsk_bakgrund")] == small_area_value(codes)
    assert {a for a, _y, _g in stored if a.startswith("1494")} == {
        "1494C1010",
        "1494C1020",
        "1494A0010",
        "1494R001",
    }
    # An area new in DeSO 2025 has no value before 2024 (SCB's "..", stored as no value).
    assert [v for k, v in stored.items() if k[0] == "1494A0010" and k[1] < 2024] == [None] * 6

    html = write("1494", 2025, "html", tmp_path).read_text(encoding="utf-8")
    text = text_of(html)

    # Every expected index from the fake source's own rule, the dissimilarity written out.
    def people(region, year):
        codes = {"Region": region, "Tid": str(year), "Kon": "1+2"}
        return (
            small_area_value({**codes, "UtlBakgrund": "1"}),
            small_area_value({**codes, "UtlBakgrund": "2"}),
        )

    def dissimilarity(regions, year):
        areas = [people(r, year) for r in regions if people(r, year)[0] is not None]
        g, o = sum(a for a, _ in areas), sum(b for _, b in areas)
        return sum(abs(a / g - b / o) for a, b in areas) / 2

    def deso_of(kommun):
        if kommun == "1494":
            return ["1494C1010", "1494C1020"] + [
                f"{c}_DeSO2025" for c in ("1494C1010", "1494C1020", "1494A0010")
            ]
        return [f"{kommun}C1010_DeSO2025", f"{kommun}C1020_DeSO2025"]

    d = dissimilarity(deso_of("1494"), 2025)
    assert f"År 2025, räknat över 3 DeSO-områden: Segregationsindex (D) {comma(d)}:" in text
    assert "SCB, TAB6571" in text and "POST " in text

    # The comparison group: each member's D over its own DeSO.
    members = ("0683", "0781", "0882", "1292", "1421", "2080", "2184")
    theirs = {k: dissimilarity(deso_of(k), 2025) for k in members}
    rows = table_for(Tables(html).tables, "Segregationsindex (D) över DeSO i jämförelsegruppen")
    assert rows[0] == ["Kommun", "2022", "2025"]
    assert rows[1] == ["Lidköpings kommun", comma(dissimilarity(deso_of("1494"), 2022)), comma(d)]
    for kommun in members:  # DeSO 2025 codes only: no 2022 value
        name = municipalities.get(kommun).official
        assert [name, "–", comma(theirs[kommun])] in rows, name
    assert len({comma(v) for v in theirs.values()}) > 2  # the members differ
    mean = sum(theirs.values()) / len(theirs)
    assert f"var segregationsindex (D) 2025 i genomsnitt {comma(mean)} (7 kommuner med " in text
    place = sorted([*theirs.values(), d]).index(d) + 1
    assert f"Lidköpings kommun hade {comma(d)}: plats {place} av 8" in text

    # The county and Riket over all their DeSO (2022 is left out: most lack values then).
    everyone = [m.code for m in municipalities.municipalities()]
    county = [k for k in everyone if municipalities.get(k).county == "0014"]
    d_county = dissimilarity([r for k in county for r in deso_of(k)], 2025)
    d_riket = dissimilarity([r for k in everyone for r in deso_of(k)], 2025)
    assert (
        f"Över alla DeSO-områden räknat var segregationsindex (D) 2025: Västra "
        f"Götalandsregionen {comma(d_county)}, Riket {comma(d_riket)}; Lidköpings kommun "
        f"{comma(d)}." in text
    )
    assert "DeSO-värden 2022 saknas" not in text  # only the report year is said


# Four DeSO: two shown, and two whose shares SCB's rule hides (4 of 34 people) but that lie in
# the same RegSO, which together (8 of 68) may be shown.
MERGE_DOWNLOAD = """"Folkmängden per region efter utländsk/svensk bakgrund och kön. År 2024"

"region";"utländsk/svensk bakgrund";"kön";"2024"
"1494C1010_DeSO2025";"utländsk bakgrund";"totalt";100
"1494C1010_DeSO2025";"svensk bakgrund";"totalt";10
"1494C1020_DeSO2025";"utländsk bakgrund";"totalt";100
"1494C1020_DeSO2025";"svensk bakgrund";"totalt";200
"1494A0010_DeSO2025";"utländsk bakgrund";"totalt";4
"1494A0010_DeSO2025";"svensk bakgrund";"totalt";30
"1494A0020_DeSO2025";"utländsk bakgrund";"totalt";4
"1494A0020_DeSO2025";"svensk bakgrund";"totalt";30
"""


def boundaries_file(tmp_path):
    """Squares of 1 km in SWEREF 99 TM for the four DeSO and their two RegSO (test inputs)."""

    def square(i, n=1):  # n squares wide
        x, y = 430_000 + 1000 * i, 6_480_000
        return [[[x, y], [x + 1000 * n, y], [x + 1000 * n, y + 1000], [x, y + 1000], [x, y]]]

    deso = {"1494C1010": ("1494R001", 0), "1494C1020": ("1494R001", 1)}
    deso |= {"1494A0010": ("1494R002", 2), "1494A0020": ("1494R002", 3)}
    features = [
        {
            "type": "Feature",
            "properties": {"desokod": code, "regsokod": parent, "kommunkod": "1494"},
            "geometry": {"type": "Polygon", "coordinates": square(i)},
        }
        for code, (parent, i) in deso.items()
    ]
    for code, name, first in (("1494R001", "Centrum", 0), ("1494R002", "Landet", 2)):
        features.append(
            {
                "type": "Feature",
                "properties": {"regsokod": code, "regsonamn": name, "kommunkod": "1494"},
                "geometry": {"type": "Polygon", "coordinates": square(first, 2)},
            }
        )
    path = tmp_path / "RegSO_DeSO_2025.geojson"
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
        "features": features,
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def svg_of(html, alt_start):
    """The SVG of the image whose alt text begins with alt_start, decoded."""
    [data] = re.findall(
        r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="' + re.escape(alt_start), html
    )
    return base64.b64decode(data).decode("utf-8")


def test_boundaries_count_small_deso_in_their_regso_and_draw_the_map(tmp_path, capsys):
    load_policies()
    call_command("geodata", "import", str(boundaries_file(tmp_path)))
    import_file(tmp_path, MERGE_DOWNLOAD)

    html = write("1494", 2024, "html", tmp_path).read_text(encoding="utf-8")
    text = text_of(html)
    # By hand over C1010 (100, 10), C1020 (100, 200) and RegSO Landet (8, 60): G = 208, O = 270.
    d = (abs(100 / 208 - 10 / 270) + abs(100 / 208 - 200 / 270) + abs(8 / 208 - 60 / 270)) / 2
    assert f"År 2024, räknat över 3 DeSO-områden: Segregationsindex (D) {comma(d)}:" in text
    assert (
        "Räknade i sin RegSO: 1494A0010 i 1494R002 Landet (2024); 1494A0020 i 1494R002 Landet "
        "(2024)." in text
    )
    rows = table_for(Tables(html).tables, "Kommunens DeSO-områden 2024")
    assert rows[1] == ["1494A0010 i Landet", "34", "skyddad"]
    assert ["1494C1010 i Centrum", "110", "90,9 %"] in rows
    # No RegSO values were imported: there is no RegSO part.
    assert not [c for c in Tables(html).tables if c.startswith("Kommunens RegSO-områden")]

    # The map: one outlined, shaded path per DeSO, hatched where the share is hidden.
    svg = svg_of(html, "Karta över kommunens 4 DeSO-områden")
    paths = re.findall(r'<path d="[^"]+" fill="([^"]+)"[^>]*><title>([^<]+)</title>', svg)
    assert sorted(t for _, t in paths) == [
        "1494A0010: skyddad",
        "1494A0020: skyddad",
        "1494C1010: 90,9 %",
        "1494C1020: 33,3 %",
    ]
    fills = {t.split(":")[0]: f for f, t in paths}
    assert fills["1494C1010"] == "#08519c" and fills["1494C1020"] == "#3182bd"
    assert fills["1494A0010"] == "url(#skyddad)"
    assert ">skyddad</text>" in svg  # the legend explains the hatch
    assert "Högst andel i 1494C1010 (90,9 %), lägst i 1494C1020 (33,3 %)." in html
    assert "Gränser: SCB:s öppna geodata, fil RegSO_DeSO_2025.geojson (EPSG:3006)" in text
    assert "Kartan saknas" not in text

    word = WordDocument(str(write("1494", 2024, "docx", tmp_path)))
    alts = [s._inline.docPr.get("descr") for s in word.inline_shapes]
    assert any(a.startswith("Karta över kommunens 4 DeSO-områden") for a in alts)
    pdf = write("1494", 2024, "pdf", tmp_path)
    pdf_text = pdf_text_of(pdf)
    assert "Karta: andel personer med utländsk bakgrund i kommunens DeSO-områden 2024" in pdf_text
    assert "50 % eller mer" in pdf_text  # the map's legend, as text in the PDF


def test_without_boundaries_the_section_says_how_to_add_the_map(client, make_user, tmp_path):
    load_policies()
    import_file(tmp_path, MERGE_DOWNLOAD)
    text = text_of(write("1494", 2024, "html", tmp_path).read_text(encoding="utf-8"))
    assert "Kartan saknas: gränserna för kommunens DeSO-områden är inte inlästa." in text
    assert "lagesbild geodata import FIL" in text
    # Without the key from the boundaries, the two small DeSO cannot be merged: left out.
    assert "Lämnade utanför indexen: 1494A0010 (2024); 1494A0020 (2024)." in text


def test_a_published_snapshot_draws_the_same_section_after_a_json_round_trip(tmp_path):
    """A published Lägesbild keeps its snapshot as JSON: the section, map and comparison must
    come out the same from the stored text years later (integer keys become strings there)."""
    from lagesbild.policy.models import Policy
    from lagesbild.reports.lagesbild import build_document, collect
    from lagesbild.reports.render import render_html

    load_policies()
    call_command("geodata", "import", str(boundaries_file(tmp_path)))
    import_file(tmp_path, MERGE_DOWNLOAD)
    version = Policy.objects.get(municipality="1494").current
    snapshot = collect(version, 2024)
    stored = json.loads(json.dumps(snapshot))
    direct = render_html(build_document(snapshot, with_png=False))
    again = render_html(build_document(stored, with_png=False))
    assert "Karta över kommunens 4 DeSO-områden" in again
    assert direct == again


def test_example_and_real_small_area_values_are_never_combined(tmp_path):
    """A municipality with the demo's example areas that then imports SCB's real file for
    2024: the real file ends the example map (every area, every year), so the section shows
    only the real areas, in 2025 too, without the mark."""
    from lagesbild.stats import example_data

    load_policies()
    example_data.load("1494")  # example areas 1494C0010 … for 2012–2025
    import_file(tmp_path, DOWNLOAD)
    assert not Observation.objects.filter(
        indicator=INDICATOR, area__startswith="1494", example=True, current=True
    ).exists()
    for year in (2025, 2024):
        text = text_of(write("1494", year, "html", tmp_path).read_text(encoding="utf-8"))
        section = text.split("Boendesegregation i kommunens områden")[-1].split("Fokusområde:")[0]
        assert (
            f"År 2024, räknat över 2 DeSO-områden: Segregationsindex (D) {comma(19 / 42)}:"
            in section
        )
        counts, types = section.split("Områdestyper", 1)
        assert "påhittade exempel" not in counts and "1494C0010" not in counts
        # The area types are still the demo's: shown marked, without the real residents per type.
        assert "Områdestyperna är påhittade exempel" in types
        assert "Invånarna per typ saknas" in types and "(–)" in types

    # A database written before real values ended the example ones can hold both kinds: the
    # kind of the latest year is shown, alone and marked as such.
    Observation.objects.filter(
        indicator=INDICATOR, area__startswith="1494", example=True, period=2025
    ).update(current=True, replaced_at=None)
    text = text_of(write("1494", 2025, "html", tmp_path).read_text(encoding="utf-8"))
    section = text.split("Boendesegregation i kommunens områden")[-1]
    assert "Exempeldata – inte officiell statistik. Områdena och antalen är påhittade" in section
    assert "1494C1010" not in section
    text = text_of(write("1494", 2024, "html", tmp_path).read_text(encoding="utf-8"))
    section = text.split("Boendesegregation i kommunens områden")[-1].split("Fokusområde:")[0]
    counts = section.split("Områdestyper", 1)[0]
    assert "påhittade exempel" not in counts and "1494C0010" not in counts


# Residents of the two RegSO of boundaries_file by background, 2023 and 2024 (test inputs).
REGSO_DOWNLOAD = """"Folkmängden per region efter utländsk/svensk bakgrund och kön"

"region";"utländsk/svensk bakgrund";"kön";"2023";"2024"
"1494R001_RegSO2025";"utländsk bakgrund";"totalt";190;200
"1494R001_RegSO2025";"svensk bakgrund";"totalt";215;210
"1494R002_RegSO2025";"utländsk bakgrund";"totalt";9;8
"1494R002_RegSO2025";"svensk bakgrund";"totalt";58;60
"""
# Area types in the shape Boverket's Segregationsbarometern exports them: a column "Område"
# naming each RegSO "Kommun (RegSO-namn)" and one column per year (as in the copy of such an
# export in github.com/addegezon/deso_socioeconomic_index, data_in/regso_socioekonomisk_index_2023.csv).
AREA_TYPES = "Område,2023,2024\nLidköping (Centrum),2,1\nLidköping (Landet),4,4\n"


def test_published_area_types_reach_the_printed_lagesbild_with_residents_and_a_map(
    client, make_user, tmp_path
):
    load_policies()
    call_command("geodata", "import", str(boundaries_file(tmp_path)))
    import_file(tmp_path, REGSO_DOWNLOAD, "regso.csv")
    client.force_login(make_user(Role.COORDINATOR, municipality="1494"))

    def upload(text, name):
        data = {"kommun": "1494", "indicator": "omradestyp-regso", "age": "", "fixed": ""}
        data["file"] = SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")
        return client.post(reverse("stats:upload"), data).content.decode()

    # A name the boundaries do not know and a type outside 1–5: each named, nothing stored.
    bad = html_module.unescape(text_of(upload(AREA_TYPES + "Lidköping (Okänt),2,9\n", "typer.csv")))
    assert "typer.csv, rad 4, kolumn 'Område': 'Lidköping (Okänt)': inget RegSO med namnet" in bad
    assert "rad 4, kolumn '2024': 9: områdestyp ska vara ett av 1, 2, 3, 4, 5" in bad
    client.post(reverse("stats:upload_confirm"), {"kommun": "1494"})  # shows the errors again
    assert not Observation.objects.filter(indicator="omradestyp-regso").exists()

    assert "Förhandsgranskning" in upload(AREA_TYPES, "typer.csv")
    assert client.post(reverse("stats:upload_confirm"), {"kommun": "1494"}).status_code == 302
    stored = {
        (o.area, o.period): o.value
        for o in Observation.objects.filter(indicator="omradestyp-regso", current=True)
    }
    page = text_of(client.get(reverse("stats:index"), {"kommun": "1494"}).content.decode())
    row = page.split("Områdestyp per RegSO (Boverkets Segregationsbarometern)")[1]
    assert row.split("Importerad")[0].count("Saknas") == 0  # listed beside the counts, imported
    assert stored == {
        ("1494R001", 2023): 2,
        ("1494R001", 2024): 1,
        ("1494R002", 2023): 4,
        ("1494R002", 2024): 4,
    }

    html = write("1494", 2024, "html", tmp_path).read_text(encoding="utf-8")
    text = text_of(html)
    types = text.split("Områdestyper", 1)[1]
    # 2024: Centrum (200 + 210 = 410 residents) is type 1, Landet (8 + 60 = 68) type 4.
    assert (
        "År 2024 hörde 1 av kommunens 2 RegSO-områden till områdestyp 1 eller 2, områden med "
        "socioekonomiska utmaningar; där bodde 410 av kommunens 478 invånare i RegSO-områdena "
        "(85,8 %)." in types
    )
    assert "Områden som bytt typ mellan 2023 och 2024: 1494R001 från typ 2 till typ 1." in types
    assert "Typ 5: Områden med mycket goda socioekonomiska förutsättningar" in types
    tables = Tables(html).tables
    rows = table_for(tables, "Kommunens RegSO-områden per områdestyp 2023–2024")
    assert rows == [
        ["År", "Typ 1", "Typ 2", "Typ 3", "Typ 4", "Typ 5"],
        ["2023", "0", "1 (405)", "0", "1 (67)", "0"],
        ["2024", "1 (410)", "0", "0", "1 (68)", "0"],
    ]
    assert table_for(tables, "Områdestyp per RegSO, 2023 och 2024")[1:] == [
        ["1494R001 Centrum", "2", "1"],
        ["1494R002 Landet", "4", "4"],
    ]
    assert "typ 1 index ≥ μ + 2σ" in types
    assert "Boverket (nedladdad fil), typer.csv, 2 områden: importerad fil typer.csv" in types
    assert "Exempeldata" not in types

    svg = svg_of(html, "Karta över kommunens 2 RegSO-områden, färgade efter områdestyp")
    paths = re.findall(r'<path d="[^"]+" fill="([^"]+)"[^>]*><title>([^<]+)</title>', svg)
    assert sorted(paths) == [("#abd9e9", "1494R002: Typ 4"), ("#d7191c", "1494R001: Typ 1")]

    word = WordDocument(str(write("1494", 2024, "docx", tmp_path)))
    alts = [s._inline.docPr.get("descr") for s in word.inline_shapes]
    assert any(a.startswith("Karta över kommunens 2 RegSO-områden, färgade efter") for a in alts)
    cells = [[c.text for c in r.cells] for t in word.tables for r in t.rows]
    assert ["2024", "1 (410)", "0", "0", "1 (68)", "0"] in cells
    pdf = write("1494", 2024, "pdf", tmp_path)
    pdf_text = pdf_text_of(pdf)
    assert "Karta: områdestyp i kommunens RegSO-områden 2024" in pdf_text
    assert "där bodde 410 av kommunens 478 invånare" in pdf_text


def test_without_area_types_the_section_says_how_to_add_them(tmp_path):
    load_policies()
    import_file(tmp_path, REGSO_DOWNLOAD, "regso.csv")
    text = text_of(write("1494", 2024, "html", tmp_path).read_text(encoding="utf-8"))
    assert (
        "Områdestyperna saknas: statistiklagret har ingen områdestyp för kommunens RegSO." in text
    )
    assert "--indicator omradestyp-regso" in text


def test_a_snapshot_published_before_the_area_types_builds_without_them(tmp_path):
    from lagesbild.policy.models import Policy
    from lagesbild.reports.lagesbild import build_document, collect
    from lagesbild.reports.render import render_html

    load_policies()
    import_file(tmp_path, REGSO_DOWNLOAD, "regso.csv")
    snapshot = collect(Policy.objects.get(municipality="1494").current, 2024)
    assert "Områdestyperna saknas" in render_html(build_document(snapshot, with_png=False))
    for part in snapshot["small_areas"].values():
        del part["area_types"]  # as stored before the area types existed
    html = render_html(build_document(snapshot, with_png=False))
    assert "Boendesegregation i kommunens områden" in html and "Områdestyper" not in html


# SCB's share with low economic standard per DeSO and RegSO in PxWeb's csv layout (as the
# download above): one area hidden (".."), one RegSO only.
MEASURE_DOWNLOAD = """"Andel personer med låg ekonomisk standard efter region och ålder. År 2024"

"region";"ålder";"2024"
"1494C1010_DeSO2025";"totalt";12,4
"1494C1020_DeSO2025";"totalt";31,0
"1494A0010_DeSO2025";"totalt";..
"1494R001_RegSO2025";"totalt";20,1
"""


def test_a_measure_per_area_is_drawn_as_a_map_with_its_table(tmp_path):
    load_policies()
    call_command("geodata", "import", str(boundaries_file(tmp_path)))
    import_file(tmp_path, MERGE_DOWNLOAD)
    import_file(tmp_path, MEASURE_DOWNLOAD, "ekonomi.csv", "lag-ekonomisk-standard-deso")

    html = write("1494", 2024, "html", tmp_path).read_text(encoding="utf-8")
    part = text_of(html).split("Låg ekonomisk standard per DeSO och RegSO", 1)[1]
    assert (
        "År 2024, kommunens DeSO-områden: högst andel personer med låg ekonomisk standard i "
        "1494C1020 (31,0 %), lägst i 1494C1010 (12,4 %)." in part
    )
    tables = Tables(html).tables
    assert table_for(
        tables, "Andel personer med låg ekonomisk standard i kommunens DeSO-områden 2024"
    )[1:] == [
        ["1494A0010 i Landet", "uppgift saknas"],
        ["1494C1010 i Centrum", "12,4 %"],
        ["1494C1020 i Centrum", "31,0 %"],
    ]
    assert table_for(
        tables, "Andel personer med låg ekonomisk standard i kommunens RegSO-områden 2024"
    )[1:] == [["1494R001 Centrum", "20,1 %"]]
    svg = svg_of(
        html, "Karta över kommunens 4 DeSO-områden, färgade efter andelen personer med låg"
    )
    paths = dict(
        (t.split(":")[0], (f, t))
        for f, t in re.findall(r'<path d="[^"]+" fill="([^"]+)"[^>]*><title>([^<]+)</title>', svg)
    )
    assert paths["1494C1010"] == ("#bdd7e7", "1494C1010: 12,4 %")  # 10–20 %
    assert paths["1494C1020"] == ("#3182bd", "1494C1020: 31,0 %")  # 30–50 %
    assert paths["1494A0010"] == ("#ffffff", "1494A0010: uppgift saknas")
    assert ">skyddad</text>" not in svg  # no area is hatched, so the legend has no hatch
    assert "SCB (nedladdad fil), ekonomi.csv, 4 områden: importerad fil ekonomi.csv" in part
    assert "Exempeldata" not in part

    pdf = write("1494", 2024, "pdf", tmp_path)
    pdf_text = pdf_text_of(pdf)
    assert (
        "Karta: andel personer med låg ekonomisk standard i kommunens DeSO-områden 2024" in pdf_text
    )


# Counts by group in PxWeb's csv layout (as MEASURE_DOWNLOAD), shaped as SCB's labour-market
# status per DeSO (BAS): a status column and the values the catalogue entry names in
# `group_labels`. 1494C1020's total carries SCB's cell-key noise (301, not 300); 1494A0010 has
# 20 people, which SCB's rule for shares hides; 1494A0020's total is missing, so its groups are
# summed.
EMPLOYMENT_DOWNLOAD = """"Arbetsmarknadsstatus efter region, arbetsmarknadsstatus, ålder och kön. År 2024"

"region";"arbetsmarknadsstatus";"ålder";"kön";"2024"
"1494C1010_DeSO2025";"sysselsatta";"20-64 år";"totalt";80
"1494C1010_DeSO2025";"arbetslösa";"20-64 år";"totalt";8
"1494C1010_DeSO2025";"utanför arbetskraften";"20-64 år";"totalt";12
"1494C1010_DeSO2025";"totalt";"20-64 år";"totalt";100
"1494C1020_DeSO2025";"sysselsatta";"20-64 år";"totalt";150
"1494C1020_DeSO2025";"arbetslösa";"20-64 år";"totalt";50
"1494C1020_DeSO2025";"utanför arbetskraften";"20-64 år";"totalt";100
"1494C1020_DeSO2025";"totalt";"20-64 år";"totalt";301
"1494A0010_DeSO2025";"sysselsatta";"20-64 år";"totalt";16
"1494A0010_DeSO2025";"arbetslösa";"20-64 år";"totalt";1
"1494A0010_DeSO2025";"utanför arbetskraften";"20-64 år";"totalt";3
"1494A0010_DeSO2025";"totalt";"20-64 år";"totalt";20
"1494A0020_DeSO2025";"sysselsatta";"20-64 år";"totalt";25
"1494A0020_DeSO2025";"arbetslösa";"20-64 år";"totalt";4
"1494A0020_DeSO2025";"utanför arbetskraften";"20-64 år";"totalt";6
"1494A0020_DeSO2025";"totalt";"20-64 år";"totalt";..
"1494R001_RegSO2025";"sysselsatta";"20-64 år";"totalt";230
"1494R001_RegSO2025";"arbetslösa";"20-64 år";"totalt";60
"1494R001_RegSO2025";"utanför arbetskraften";"20-64 år";"totalt";110
"1494R001_RegSO2025";"totalt";"20-64 år";"totalt";401
"""
# Every level of education and no total: the share is over their sum.
EDUCATION_DOWNLOAD = """"Befolkningen 25-64 år efter region, utbildningsnivå och ålder. År 2024"

"region";"utbildningsnivå";"ålder";"2024"
"1494C1010_DeSO2025";"förgymnasial utbildning";"25-64 år";30
"1494C1010_DeSO2025";"gymnasial utbildning";"25-64 år";40
"1494C1010_DeSO2025";"eftergymnasial utbildning, mindre än 3 år";"25-64 år";10
"1494C1010_DeSO2025";"eftergymnasial utbildning, 3 år eller mer";"25-64 år";15
"1494C1010_DeSO2025";"uppgift om utbildningsnivå saknas";"25-64 år";5
"1494C1020_DeSO2025";"förgymnasial utbildning";"25-64 år";9
"1494C1020_DeSO2025";"gymnasial utbildning";"25-64 år";100
"1494C1020_DeSO2025";"eftergymnasial utbildning, mindre än 3 år";"25-64 år";50
"1494C1020_DeSO2025";"eftergymnasial utbildning, 3 år eller mer";"25-64 år";40
"1494C1020_DeSO2025";"uppgift om utbildningsnivå saknas";"25-64 år";1
"""


def test_employment_and_education_counts_become_shares_on_the_map_and_in_print(tmp_path):
    load_policies()
    call_command("geodata", "import", str(boundaries_file(tmp_path)))
    import_file(tmp_path, MERGE_DOWNLOAD)
    import_file(tmp_path, EMPLOYMENT_DOWNLOAD, "syss.csv", "sysselsatta-deso")
    import_file(tmp_path, EDUCATION_DOWNLOAD, "utb.csv", "forgymnasial-utbildning-deso")
    stored = Observation.objects.filter(indicator="sysselsatta-deso", area="1494C1020")
    assert {(o.group, o.value) for o in stored} == {
        ("sysselsatta", 150.0),
        ("arbetslosa", 50.0),
        ("utanfor_arbetskraften", 100.0),
        ("total", 301.0),
    }

    html = write("1494", 2024, "html", tmp_path).read_text(encoding="utf-8")
    tables = Tables(html).tables
    words = "sysselsatta bland invånarna 20–64 år"
    assert table_for(tables, f"Andel {words} i kommunens DeSO-områden 2024")[1:] == [
        ["1494A0010 i Landet", "skyddad"],
        ["1494A0020 i Landet", "71,4 %"],  # 25 of 25 + 4 + 6
        ["1494C1010 i Centrum", "80,0 %"],
        ["1494C1020 i Centrum", "49,8 %"],  # 150 of 301
    ]
    assert table_for(tables, f"Andel {words} i kommunens RegSO-områden 2024")[1:] == [
        ["1494R001 Centrum", "57,4 %"]  # 230 of 401
    ]
    # One area has no highest and lowest: the map's alt text and the sentence say its value.
    assert "Andel i 1494R001: 57,4 %." in html and "lägst i 1494R001" not in html
    part = text_of(html).split("Sysselsatta 20–64 år per DeSO och RegSO", 1)[1]
    assert f"högst andel {words} i 1494C1010 (80,0 %), lägst i 1494C1020 (49,8 %)" in part
    assert "Andelen är räknad ur SCB:s antal per område." in part
    # The source line says which age band of the file was read.
    assert "importerad fil syss.csv (ålder 20-64 år)" in part
    svg = svg_of(html, f"Karta över kommunens 4 DeSO-områden, färgade efter andelen {words}")
    paths = dict(
        (t.split(":")[0], (f, t))
        for f, t in re.findall(r'<path d="[^"]+" fill="([^"]+)"[^>]*><title>([^<]+)</title>', svg)
    )
    # The entry's own classes (map_breaks 50, 60, 70, 80), not the default 10–50 %.
    assert "i fem klasser från under 50 % till 80 % eller mer" in svg
    assert paths["1494C1010"] == ("#08519c", "1494C1010: 80,0 %")  # 80 % or more
    assert paths["1494A0020"] == ("#3182bd", "1494A0020: 71,4 %")  # 70–80 %
    assert paths["1494C1020"] == ("#eff3ff", "1494C1020: 49,8 %")  # under 50 %
    assert ">60–70 %</text>" in svg
    assert paths["1494A0010"][1] == "1494A0010: skyddad"
    assert ">skyddad</text>" in svg  # the hatched area is in the legend

    education = "med högst förgymnasial utbildning"
    assert table_for(tables, f"Andel {education} i kommunens DeSO-områden 2024")[1:] == [
        ["1494C1010 i Centrum", "30,0 %"],  # 30 of 100
        ["1494C1020 i Centrum", "4,5 %"],  # 9 of 200
    ]

    pdf_text = pdf_text_of(write("1494", 2024, "pdf", tmp_path))
    assert f"Karta: andel {words} i kommunens DeSO-områden 2024" in pdf_text
    assert "1494C1020 i Centrum 49,8 %" in pdf_text
    document = WordDocument(str(write("1494", 2024, "docx", tmp_path)))
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["1494A0010 i Landet", "skyddad"] in cells
    assert ["1494C1010 i Centrum", "30,0 %"] in cells


MEASURE_TABLES = ("TAB6680", "TAB6685", "TAB6534")


def test_fetch_brings_each_measure_per_area_from_its_scb_table_into_the_printed_lagesbild(
    sources, tmp_path
):
    """Employment, low economic standard and education per DeSO and RegSO come with the
    housing-segregation section when the policy lists it: each asked of its own table by the
    texts the catalogue names (the tables' shapes: tests/stats/fakeserver.py), for Lidköping's
    own areas only, and drawn as shares in the Lägesbild."""
    load_policies()
    call_command("fetch", "--kommun", "1494", "--years", "2020-2025")
    posted = {t: s for t, s in sources.posted if t in MEASURE_TABLES}
    assert sorted(posted) == sorted(MEASURE_TABLES)
    for selection in posted.values():  # no other municipality's areas: the maps are our own
        assert sorted(selection["Region"]) == sorted(LIDKOPING_AREAS)
    employment = posted["TAB6680"]
    assert employment["Alder"] == ["20-64"] and employment["Kon"] == ["1+2"]
    # The statuses by their texts, without the sum "arbetskraften" that would count twice.
    assert sorted(employment["ContentsCode"]) == ["0000089X", "T2", "T4", "T5"]
    assert posted["TAB6685"]["ContentsCode"] == ["000008AC"]
    assert posted["TAB6685"]["Alder"] == ["tot"]
    assert sorted(posted["TAB6534"]["UtbildningsNiva"]) == ["21", "3+4", "5", "6", "US"]
    assert posted["TAB6534"]["ContentsCode"] == ["000007Z6"]
    stored = {
        (o.area, o.period, o.group): o.value
        for o in Observation.objects.filter(indicator="sysselsatta-deso", current=True)
    }
    assert stored[("1494C1020", 2024, "sysselsatta")] == 42.0
    assert stored[("1494C1020", 2024, "total")] == 72.0
    assert stored[("1494C1020", 2023, "sysselsatta")] == 42.0  # DeSO 2018's code that year
    assert not [k for k in stored if k[2] == "arbetskraften" or not k[0].startswith("1494")]

    html = write("1494", 2025, "html", tmp_path).read_text(encoding="utf-8")
    tables = Tables(html).tables
    words = "sysselsatta bland invånarna 20–64 år"
    # 41 of 71 and 42 of 72 (fakeserver.measure_value), the latest year up to 2025: 2024.
    assert table_for(tables, f"Andel {words} i kommunens DeSO-områden 2024")[1:] == [
        ["1494A0010", "57,7 %"],
        ["1494C1010", "57,7 %"],
        ["1494C1020", "58,3 %"],
    ]
    assert table_for(
        tables, "Andel personer med låg ekonomisk standard i kommunens RegSO-områden 2024"
    )[1:] == [["1494R001", "11,0 %"]]
    assert (
        "År 2024, kommunens RegSO-områden: andel personer med låg ekonomisk standard 11,0 % i "
        "1494R001, det enda området med ett värde som får visas."
    ) in text_of(html)
    assert "lägst i 1494R001" not in html  # neither in the map's alt text
    # 22 of 22 + 3·60 + 5 = 207, in 2025.
    education = "med högst förgymnasial utbildning"
    rows = table_for(tables, f"Andel {education} i kommunens DeSO-områden 2025")
    assert ["1494C1020", "10,6 %"] in rows
    text = text_of(html)
    for table in MEASURE_TABLES:
        assert f"SCB, {table}" in text
    assert (
        "Exempeldata"
        not in text.split("Boendesegregation i kommunens områden")[-1].split("Fokusområde:")[0]
    )
    document = WordDocument(str(write("1494", 2025, "docx", tmp_path)))
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert ["1494C1020", "58,3 %"] in cells


def test_each_part_names_only_the_sources_of_the_values_it_shows(sources, tmp_path):
    """With the demo's example values and a fetch on top, each measure shows the fetched values
    and lists only their sources."""
    from lagesbild.stats.demo import load_demo

    load_policies()
    load_demo(io.StringIO())  # example values to 2025 for every measure
    call_command("fetch", "--kommun", "1494", "--years", "2020-2025")
    text = text_of(write("1494", 2025, "html", tmp_path).read_text(encoding="utf-8"))
    employment = text.split("Sysselsatta 20–64 år per DeSO och RegSO")[-1]
    employment, education = employment.split("Invånare med förgymnasial utbildning per DeSO")
    education, method = education.split("Källa och metod", 1)
    # SCB's employment ends in 2024: the fetch ended the demo's values, 2025 included, so the
    # 2025 report shows SCB's 2024 shares with SCB's source only, not the demo's 2025.
    assert "År 2024, kommunens DeSO-områden" in employment
    assert "Källa: SCB, TAB6680" in employment and "Exempeldata" not in employment
    # Education and the counts have real values in 2025: SCB's source only, no stamp.
    assert "Källa: SCB, TAB6534" in education and "Exempeldata" not in education
    method = method.split("Fokusområde:")[0]
    assert "Källa: SCB, TAB6571" in method and "Exempeldata, befolkning" not in method


def test_a_measure_table_scb_has_reshaped_is_refused_by_name_and_the_rest_is_stored(sources):
    """When the table no longer has a status meaning "sysselsatta", the fetch names the table
    and what it has, stores nothing for that measure, and refreshes every other indicator."""
    load_policies()
    sources_tables = employment_table_meta(statuses={"X1": "antal personer", "X2": "övriga"})
    sources.route(
        "GET",
        r"/scb/tables/TAB6680/metadata",
        lambda *_: (200, {"Content-Type": "application/json"}, json.dumps(sources_tables).encode()),
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 indikator uppdaterades inte"):
        call_command("fetch", "--kommun", "1494", "--years", "2020-2025", stdout=out, stderr=out)
    assert not Observation.objects.filter(indicator="sysselsatta-deso").exists()
    assert Observation.objects.filter(indicator="lag-ekonomisk-standard-deso").exists()
    assert Observation.objects.filter(indicator=INDICATOR).exists()
    [refresh] = IndicatorRefresh.objects.filter(kommun="1494", indicator="sysselsatta-deso")
    assert "SCB TAB6680" in refresh.error
    assert "ContentsCode har inget värde som betyder sysselsatta" in refresh.error
    assert "'antal personer'" in refresh.error
    assert "sysselsatta-deso" in out.getvalue()


def test_an_index_that_has_not_moved_reads_as_a_whole_sentence():
    from lagesbild.analysis.small_areas import Year
    from lagesbild.reports.segregation import _change

    first, last = Year(2012, {"dissimilarity": 0.421}, 11), Year(2025, {"dissimilarity": 0.419}, 11)
    # Used as "Segregationsindex (D) har …".
    assert _change(first, last, "dissimilarity", (2012, 2025)) == (
        "varit i stort sett oförändrat (0,42 2012 och 0,42 2025)"
    )
    last = Year(2025, {"dissimilarity": 0.35}, 11)
    assert (
        _change(first, last, "dissimilarity", (2012, 2025))
        == "minskat från 0,42 2012 till 0,35 2025"
    )
