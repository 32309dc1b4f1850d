"""True numbers, end to end: what Kolada and SCB send reaches the printed Lägesbild right.

The sources are served on 127.0.0.1 in their real shapes (tests/stats/fakeserver.py names the
documents that show each shape: Kolada v3 with `count: 1` for a single municipality, values
`null` with a status, paging; SCB PxWeb v2 json-stat2 answers to POSTed selections). The
tests run `lagesbild fetch` and `lagesbild report` as a coordinator would and read the files
written: the HTML's tables parsed, the PDF through pdftotext, the Word file through
python-docx. Expected numbers come from the fake sources' own rules, written out here.
"""

import io
import subprocess
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document as WordDocument

from lagesbild.stats import catalogue
from lagesbild.stats.fetch import policy_indicators
from lagesbild.stats.models import IndicatorRefresh, Observation, Snapshot
from tests.stats.conftest import load_policies
from tests.stats.fakeserver import full_fake, kolada_value, reply

pytestmark = pytest.mark.django_db

YEARS = range(2021, 2026)
MISSING = ("N02268", "1082", 2023)  # Kolada publishes no value here: null with status ".."


def comma(value):
    return f"{value:.1f}".replace(".", ",")


def scb_value(region, group_code, year):
    """The fake SCB's rule: the length of the cell's codes (Region, Kon 1+2, UtbNiv TOT,
    BakgrVar, ContentsCode X1, Tid)."""
    return float(len(region) + 3 + 3 + len(group_code) + 2 + len(str(year)))


@pytest.fixture
def sources(settings, fast_retries):
    fake = full_fake(missing=lambda k, m, y: ".." if (k, m, y) == MISSING else None)
    settings.KOLADA_URL = f"{fake.url}/kolada"
    settings.SCB_URL = f"{fake.url}/scb"
    yield fake
    fake.stop()


class Tables(HTMLParser):
    """{caption: [[cell text, …] per row]} of every table in an HTML page."""

    def __init__(self, html):
        super().__init__()
        self.tables, self.caption, self.rows, self.cell = {}, None, None, None
        self.in_caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.caption, self.rows = "", []
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self.in_caption = False
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell.strip())
            self.cell = None
        elif tag == "table":
            self.tables[self.caption] = self.rows
            self.rows = None

    def handle_data(self, data):
        if self.in_caption:
            self.caption += data
        elif self.cell is not None:
            self.cell += data


def report(tmp_path, fmt, kommun="1082", year=2025):
    out = tmp_path / f"lagesbild-{kommun}.{fmt}"
    call_command(
        "report", "--kommun", kommun, "--year", str(year), "--format", fmt, "--out", str(out)
    )
    return out


def table_for(tables, title):
    [(caption, rows)] = [(c, r) for c, r in tables.items() if c.startswith(title)]
    return rows


def test_every_served_value_reaches_the_printed_lagesbild(sources, tmp_path, capsys):
    load_policies()
    call_command("fetch", "--kommun", "1082", "--years", "2021-2025")
    # The policy's 14 and the 3 measures its housing-segregation section draws as maps.
    assert "17 av 17 indikatorer uppdaterade" in capsys.readouterr().out
    html = report(tmp_path, "html").read_text(encoding="utf-8")
    tables = Tables(html).tables

    # Every Kolada value served for Karlshamn and Riket (sex T) stands in its table, rounded
    # to one decimal with a decimal comma; the one Kolada left empty says "saknas".
    served = printed = 0
    for indicator_id in policy_indicators("1082"):
        entry = catalogue.indicator(indicator_id)
        if entry["source"]["kind"] != "kolada":
            continue
        rows = {r[0]: r for r in table_for(tables, entry["title"]["sv"])[1:]}
        header = table_for(tables, entry["title"]["sv"])[0]
        for kpi in entry["source"]["kpis"]:
            label = {"utrikes_fodda": "Utrikes födda", "inrikes_fodda": "Inrikes födda"}.get(
                kpi["group"], "Samtliga"
            )
            for area, place in (("1082", "Karlshamns kommun"), ("0000", "Riket")):
                column = header.index(f"{label}, {place}")
                for year in YEARS:
                    if (kpi["id"], area, year) == MISSING:
                        assert rows[str(year)][column] == "saknas"
                        continue
                    served += 1
                    expected = comma(kolada_value(kpi["id"], area, year, "T"))
                    printed += rows[str(year)][column] == expected
    assert served == 16 * 2 * 5 - 1  # 16 KPIs, Karlshamn and Riket, 5 years, one missing
    assert printed == served

    # SCB: employment by years in Sweden, in the groups' natural order, every value.
    rows = table_for(tables, "Andel sysselsatta 20–64 år efter vistelsetid i Sverige")
    assert rows[0][1:6] == [
        "Utrikes födda, 0–1 år i Sverige, Karlshamns kommun",
        "Utrikes födda, 2–3 år i Sverige, Karlshamns kommun",
        "Utrikes födda, 4–9 år i Sverige, Karlshamns kommun",
        "Utrikes födda, 10 år eller mer i Sverige, Karlshamns kommun",
        "Inrikes födda, Karlshamns kommun",
    ]
    codes = ["INT010", "INT020", "INT030", "INT040", "SE"]
    for row in rows[1:]:
        year = int(row[0])
        assert row[1:6] == [comma(scb_value("1082", c, year)) for c in codes]
        assert row[6:11] == [comma(scb_value("00", c, year)) for c in codes]
    assert [r[0] for r in rows[1:]] == ["2022", "2023", "2024", "2025"]  # the table's years

    # The gap, signed and in words: N02268 (23,5) and N02269 (24,5) for Karlshamn 2025.
    assert (
        "År 2025 i Karlshamns kommun: utrikes födda 23,5\u00a0%, inrikes födda 24,5\u00a0% – "
        "1,0 procentenheter lägre." in html
    )
    # Kolada's count is not a group size: it is not stored as one, and no Kolada share is
    # hidden as a small group.
    kolada_rows = Observation.objects.filter(snapshot__source="kolada")
    assert kolada_rows.exists() and not kolada_rows.exclude(count=None).exists()
    assert "skyddad enligt röjandekontrollen" not in html.lower()
    assert (
        "Uppgift saknas eller är för osäker för att redovisas: 2023 (utrikes födda, "
        "Karlshamns kommun)." in html
    )
    # The comparison group's mean and position, from its seven members' values in 2025.
    assert (
        "I jämförelsegruppen (Liknande kommuner, övergripande, Karlshamn, 2025) var "
        "medelvärdet 26,6\u00a0%; Karlshamns kommun hade plats 6 av 8 (utrikes födda, 2025)."
        in html
    )
    assert "Region Blekinge" in html and "Karlshamnss" not in html
    assert "Exempeldata – inte officiell statistik" not in html  # nothing shown is example data

    # The appendix: every fetch behind a shown value, with the full query and checksum,
    # including the comparison group's members.
    kolada = Snapshot.objects.filter(source="kolada", source_ref="N02268,N02269").latest("id")
    assert f"SHA-256: {kolada.checksum}" in html
    assert "Oskarshamns kommun, Ulricehamns kommun" in html.split("Bilaga: källor och metod")[-1]
    assert (
        f"Fråga: POST {sources.url}/scb/tables/TAB6383/data?lang=sv&amp;outputFormat=json-stat2 "
        "med urvalet Region = 1082" in html
    )

    # The same words in the PDF and the Word file.
    pdf = report(tmp_path, "pdf")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.replace("\u00ad", "").split())
    assert "utrikes födda 23,5 %, inrikes födda 24,5 % – 1,0 procentenheter lägre" in flat
    assert kolada.checksum in flat.replace(" ", "")
    word = WordDocument(io.BytesIO(report(tmp_path, "docx").read_bytes()))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert (
        "År 2025 i Karlshamns kommun: utrikes födda 23,5\u00a0%, inrikes födda 24,5\u00a0% – "
        "1,0 procentenheter lägre." in paragraphs
    )
    assert f"SHA-256: {kolada.checksum}" in paragraphs


def test_a_moved_scb_table_leaves_every_other_indicator_refreshed(sources, tmp_path, capsys):
    load_policies()
    call_command("fetch", "--kommun", "1082", "--years", "2021-2025")
    sources.fault(r"/scb/tables/TAB6383/metadata", reply(404, {"title": "Not found"}))
    with pytest.raises(CommandError) as error:
        call_command("fetch", "--kommun", "1082", "--years", "2021-2025")
    assert error.value.returncode == 1
    assert str(error.value) == (
        "1 indikator uppdaterades inte och behåller sina senaste värden; övriga är lagrade."
    )
    out, err = capsys.readouterr()
    assert "16 av 17 indikatorer uppdaterade" in out
    assert (
        "inte uppdaterad – sysselsattning-vistelsetid (SCB TAB6383,TAB6384,TAB6379): "
        "SCB-tabellen TAB6383 svarar HTTP 404" in err
    )
    states = {r.indicator: r.error for r in IndicatorRefresh.objects.filter(kommun="1082")}
    assert [i for i, e in states.items() if e] == ["sysselsattning-vistelsetid"]
    assert len(states) == 17  # 14 in the policy, 3 measures drawn as maps

    html = report(tmp_path, "html").read_text(encoding="utf-8")
    section = html.split('id="s-sysselsattning-vistelsetid"')[1].split("</section>")[0]
    assert "Inte uppdaterad – SCB TAB6383,TAB6384,TAB6379: SCB-tabellen TAB6383 svarar" in section
    assert "Värdena är från den senaste lyckade hämtningen 20" in section
    assert comma(scb_value("1082", "INT010", 2025)) in section  # the last good values stay
    assert html.count("Inte uppdaterad –") == 1


def test_example_and_real_values_never_combine(sources, tmp_path):
    from lagesbild.stats.demo import load_demo

    load_policies()
    load_demo(io.StringIO())  # example values 2012–2025 for both municipalities and more
    call_command("fetch", "--kommun", "1082", "--years", "2022-2025")
    html = report(tmp_path, "html").read_text(encoding="utf-8")
    tables = Tables(html).tables
    rows = table_for(tables, "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda")
    # Real values from 2022 on; the example years before are not joined to them.
    assert [r[0] for r in rows[1:]] == ["2022", "2023", "2024", "2025"]
    assert rows[-1][1] == comma(kolada_value("N02268", "1082", 2025, "T"))
    # Stamped exactly where example values are shown: the municipality's own (local) sources
    # still have only the demo's values; every fetched indicator shows real ones only.
    for indicator_id in policy_indicators("1082"):
        if catalogue.indicator(indicator_id).get("level") == "small_areas":
            # Fetched counts: the indices carry no stamp (the measures drawn beside them come
            # from files, so they still show the demo's values, stamped).
            section = html.split(f'-{indicator_id}-deso"')[1].split("</section>")[0]
            assert "Segregationsindex över kommunens DeSO-områden" in section
            assert "Exempeldata – inte officiell statistik" not in section, indicator_id
            continue
        section = html.split(f'id="s-{indicator_id}"')[1].split("</section>")[0]
        local = catalogue.indicator(indicator_id)["source"]["kind"] == "local"
        assert ("Exempeldata – inte officiell statistik" in section) is local, indicator_id
        assert "Jämförelse saknas" not in section  # every area has real values 2022–2025
    assert "Indikatorer vars diagram är märkta med exempeldata visar exempelvärden" in html

    # Lidköping has only example values: stamped, on every figure too.
    lidkoping = report(tmp_path, "html", kommun="1494").read_text(encoding="utf-8")
    assert lidkoping.count("Exempeldata – inte officiell statistik") > 10


def test_a_value_kolada_withdraws_stops_being_current_and_keeps_its_history(
    settings, fast_retries, tmp_path
):
    load_policies()
    withdrawn = ("N02268", "1082", 2024)
    first = full_fake()
    settings.KOLADA_URL, settings.SCB_URL = f"{first.url}/kolada", f"{first.url}/scb"
    call_command("fetch", "--kommun", "1082", "--years", "2021-2025")
    first.stop()
    second = full_fake(deleted=lambda k, m, y: (k, m, y) == withdrawn)
    settings.KOLADA_URL, settings.SCB_URL = f"{second.url}/kolada", f"{second.url}/scb"
    try:
        call_command("fetch", "--kommun", "1082", "--years", "2021-2025")
    finally:
        second.stop()
    rows = Observation.objects.filter(
        indicator="sysselsattning-20-64", area="1082", period=2024, group="utrikes_fodda"
    )
    assert rows.filter(current=True).count() == 0
    assert sorted(rows.values_list("sex", "value")) == [
        ("K", kolada_value("N02268", "1082", 2024, "K")),
        ("M", kolada_value("N02268", "1082", 2024, "M")),
        ("T", kolada_value("N02268", "1082", 2024, "T")),
    ]  # the history keeps what was published
    assert all(r.replaced_at is not None for r in rows)
    html = report(tmp_path, "html").read_text(encoding="utf-8")
    table = table_for(Tables(html).tables, "Sysselsättningsgrad 20–64 år, utrikes och inrikes")
    assert next(r for r in table if r[0] == "2024")[1] == "saknas"
