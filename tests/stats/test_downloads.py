"""Files downloaded from SCB's Statistikdatabasen: every layout PxWeb writes, the real recorded
json-stat2 answer, and every error with its file, row and column."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from openpyxl import Workbook

from lagesbild.analysis.observations import Observation as Obs
from lagesbild.core.tables import TableError
from lagesbild.stats import downloads
from lagesbild.stats.models import Snapshot

TAB6471 = "scb-pxweb-v2/recorded/TAB6471_data.json"
COUNTY = "scb-integration-county/employment_by_years_in_sweden_county.csv"


def read(raw, name, indicator="sysselsattning-20-64", **choices):
    return downloads.parse_download(raw, name, indicator, **choices)


def values(found):
    return [(o.area, o.period, o.group, o.sex, o.value, o.status) for o in found.observations]


def errors(raw, name, indicator="sysselsattning-20-64", **choices):
    with pytest.raises(TableError) as caught:
        read(raw, name, indicator, **choices)
    return [str(e) for e in caught.value.errors]


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the layouts ------------------------------------------------------------------------------

WIDE = """"Sysselsatta efter region, födelseregion, kön och år"

"region";"födelseregion";"kön";"2022";"2023"
"0780 Växjö";"födda i Sverige";"män";81,2;82,0
"0780 Växjö";"utrikes födda";"kvinnor";55,5;..
"Blekinge län";"samtliga";"män och kvinnor";77,0;77,4
"Riket";"utrikes födda";"totalt";66,1;67,0
"""


def test_wide_semicolon_csv_with_title_in_windows_1252():
    found = read(WIDE.encode("cp1252"), "scb.csv")
    assert found.format == "csv"
    assert found.title == "Sysselsatta efter region, födelseregion, kön och år"
    assert values(found) == [
        ("0780", 2022, "inrikes_fodda", "M", 81.2, ""),
        ("0780", 2023, "inrikes_fodda", "M", 82.0, ""),
        ("0780", 2022, "utrikes_fodda", "K", 55.5, ""),
        ("0780", 2023, "utrikes_fodda", "K", None, ".."),
        ("0010", 2022, "total", "T", 77.0, ""),
        ("0010", 2023, "total", "T", 77.4, ""),
        ("0000", 2022, "utrikes_fodda", "T", 66.1, ""),
        ("0000", 2023, "utrikes_fodda", "T", 67.0, ""),
    ]
    assert {o.unit for o in found.observations} == {"procent"}
    assert {o.indicator for o in found.observations} == {"sysselsattning-20-64"}


def test_tab_separated_content_and_year_headers():
    text = (
        "region\tkön\tbakgrund\tAndel sysselsatta 2022\tAndel sysselsatta 2023\n"
        "1082 Karlshamn\t1\tutländsk bakgrund\t61.5\t-\n"
        "1082 Karlshamn\t2\tsvensk bakgrund\t80\tNA\n"
        "Karlshamns kommun\t1+2\tutländsk bakgrund\t60.0\t\n"
        "Sverige\t1+2\tutländsk bakgrund\t65.5\t66\n"
    )
    found = read(text.encode(), "tab.csv")
    assert values(found) == [
        ("1082", 2022, "utrikes_fodda", "M", 61.5, ""),
        ("1082", 2023, "utrikes_fodda", "M", None, "-"),
        ("1082", 2022, "inrikes_fodda", "K", 80.0, ""),
        ("1082", 2023, "inrikes_fodda", "K", None, "NA"),
        ("1082", 2022, "utrikes_fodda", "T", 60.0, ""),
        ("1082", 2023, "utrikes_fodda", "T", None, ""),
        ("0000", 2022, "utrikes_fodda", "T", 65.5, ""),
        ("0000", 2023, "utrikes_fodda", "T", 66.0, ""),
    ]
    assert found.fixed == {"tabellinnehåll": "Andel sysselsatta"}


def test_codes_and_texts_use_the_catalogue_group_codes():
    # outputFormatParams=UseCodesAndTexts: "code - text" in headers, stub cells and headings
    text = (
        '"Region - region","Kon - kön","BakgrVar - bakgrundsvariabel",'
        '"000007 - Andel sysselsatta 2023 - 2023"\n'
        '"1082 - Karlshamn","1 - män","SE - födda i Sverige",80.5\n'
        '"1082 - Karlshamn","2 - kvinnor","INT010 - vistelsetid 0-1 år",12.5\n'
        '"10 - Blekinge län","1+2 - totalt","INT040 - vistelsetid 10- år",70\n'
    )
    found = read(text.encode(), "koder.csv", "sysselsattning-vistelsetid")
    assert values(found) == [
        ("1082", 2023, "inrikes_fodda", "M", 80.5, ""),
        ("1082", 2023, "vistelsetid-0-1", "K", 12.5, ""),
        ("0010", 2023, "vistelsetid-10-", "T", 70.0, ""),
    ]


def test_real_long_layout_download_reads_every_row(shared_data):
    raw = (shared_data / COUNTY).read_bytes()
    found = read(raw, "lan.csv", "sysselsattning-vistelsetid")
    assert len(found.observations) == 3024  # 21 län × 3 kön × 4 vistelsetider × 12 år
    got = {(o.area, o.period, o.group, o.sex): o.value for o in found.observations}
    # line 1297: "Blekinge län","kvinnor","samtliga utbildningsnivåer","vistelsetid 10- år","2021",72.5
    assert got[("0010", 2021, "vistelsetid-10-", "K")] == 72.5
    # line 1643: "Västra Götalands län","män",…,"vistelsetid 0-1 år","2019",52
    assert got[("0014", 2019, "vistelsetid-0-1", "M")] == 52.0
    assert found.fixed == {
        "utbildningsnivå": "samtliga utbildningsnivåer",
        "tabellinnehåll": "Andel förvärvsarbetande (ny definition från och med 2019)",
    }


def test_xlsx_cross_table_with_title_and_footnotes():
    raw = xlsx(
        [
            ["Andel sysselsatta 20-64 år efter region, kön och år"],
            [],
            [None, None, "Andel sysselsatta", None],
            [None, None, "2022", "2023"],
            ["1082 Karlshamn", "män", 70.5, 71],
            [None, "kvinnor", 69.5, ".."],
            ["1494 Lidköping", "män", 75, 76],
            [None, "kvinnor", 74, 75.5],
            [],
            ["Källa: SCB"],
            ["Uppgifterna avser november."],
        ]
    )
    found = read(raw, "tabell.xlsx")
    assert found.format == "xlsx" and found.text == ""
    assert values(found) == [
        ("1082", 2022, "total", "M", 70.5, ""),
        ("1082", 2023, "total", "M", 71.0, ""),
        ("1082", 2022, "total", "K", 69.5, ""),
        ("1082", 2023, "total", "K", None, ".."),
        ("1494", 2022, "total", "M", 75.0, ""),
        ("1494", 2023, "total", "M", 76.0, ""),
        ("1494", 2022, "total", "K", 74.0, ""),
        ("1494", 2023, "total", "K", 75.5, ""),
    ]
    assert found.fixed == {"rubrikrad 3": "Andel sysselsatta"}


def test_xlsx_with_header_row_is_read_even_without_the_extension():
    raw = xlsx(
        [
            ["Titel"],
            [],
            ["region", "kön", "födelseregion", 2022, 2023],
            ["Karlshamn", "kvinnor", "utrikes födda", 48, None],
            [],
            ["Källa: SCB"],
        ]
    )
    found = read(raw, "nedladdning")
    assert found.format == "xlsx"
    assert values(found) == [
        ("1082", 2022, "utrikes_fodda", "K", 48.0, ""),
        ("1082", 2023, "utrikes_fodda", "K", None, ""),
    ]


def jsonstat(dimensions, values, status=None):
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "Test",
        "id": [d[0] for d in dimensions],
        "size": [len(d[2]) for d in dimensions],
        "dimension": {
            d[0]: {"label": d[1], "category": {"index": list(d[2]), "label": d[2]}}
            for d in dimensions
        },
        "value": values,
    }
    if status is not None:
        doc["status"] = status
    return json.dumps(doc).encode()


def test_json_stat2_in_row_major_order_with_status_is_detected_by_content():
    raw = jsonstat(
        [
            ("Region", "region", {"1082": "Karlshamn", "10": "Blekinge län"}),
            ("Kon", "kön", {"1": "män", "2": "kvinnor"}),
            ("Tid", "år", {"2023": "2023", "2024": "2024"}),
        ],
        [1, 2, 3, None, 5, 6, 7, 8],
        status={"3": ".."},
    )
    found = read(raw, "svar.txt")
    assert found.format == "json-stat2"
    assert values(found) == [
        ("1082", 2023, "total", "M", 1.0, ""),
        ("1082", 2024, "total", "M", 2.0, ""),
        ("1082", 2023, "total", "K", 3.0, ""),
        ("1082", 2024, "total", "K", None, ".."),
        ("0010", 2023, "total", "M", 5.0, ""),
        ("0010", 2024, "total", "M", 6.0, ""),
        ("0010", 2023, "total", "K", 7.0, ""),
        ("0010", 2024, "total", "K", 8.0, ""),
    ]


def test_real_recorded_tab6471_needs_age_and_month_then_gives_the_file_values(shared_data):
    raw = (shared_data / TAB6471).read_bytes()
    assert errors(raw, "TAB6471_data.json", "motesplatser-deltagare") == [
        "TAB6471_data.json, kolumn 'Alder': 11 olika värden (0-9 år, 10-19 år, 20-29 år, "
        "30-39 år, 40-49 år, 50-59 år, 60-69 år, 70-79 år, … (11 i allt)); välj en, t.ex. "
        '--age "0-9 år", eller fältet Ålder',
        "TAB6471_data.json, kolumn 'Tid': flera perioder per år (2026M01, 2026M02, 2026M03, "
        '2026M04); välj en med --fixed "Tid=…" eller fältet Andra val',
    ]
    found = read(
        raw, "TAB6471_data.json", "motesplatser-deltagare", age="20-29 år", fixed={"Tid": "2026M04"}
    )
    assert found.fixed == {
        "Alder": "20-29 år",
        "ContentsCode": "Folkmängden per månad",
        "Tid": "2026M04",
    }
    assert len(found.observations) == 21 * 3  # 21 län × kön (totalt, män, kvinnor)
    got = {(o.area, o.sex): o.value for o in found.observations}
    # value[1083], value[1087], value[1091]: Blekinge län (10), 20-29 år, TotSa/1/2, 2026M04
    assert (got[("0010", "T")], got[("0010", "M")], got[("0010", "K")]) == (16948, 9655, 7298)
    # value[27]: Stockholms län (01), 20-29 år, totalt, 2026M04
    assert got[("0001", "T")] == 288690
    assert found.observations[0] == Obs(
        "motesplatser-deltagare", "0001", 2026, "total", "T", 288690.0, "antal"
    )
    assert found.title == "Folkmängden per månad efter region, ålder, kön och månad"


def test_json_stat_unit_must_match_the_catalogue(shared_data):
    raw = (shared_data / TAB6471).read_bytes()
    assert errors(raw, "TAB6471_data.json", age="20-29", fixed={"Tid": "2026M04"}) == [
        "TAB6471_data.json: tabellens enhet är 'antal' men indikatorn har 'procent'"
    ]


# --- choices ----------------------------------------------------------------------------------

AGES = (
    "region,ålder,kön,år,Andel\n"
    "0780,20-64 år,1,2022,70\n"
    "0780,20-64 år,2,2022,71\n"
    "0780,16-64 år,1,2022,60\n"
    "0780,16-64 år,2,2022,61\n"
)


def test_several_ages_need_a_choice_which_is_kept_for_provenance():
    assert errors(AGES.encode(), "alder.csv") == [
        "alder.csv, rad 1, kolumn 'ålder': 2 olika värden (20-64 år, 16-64 år); välj en, "
        't.ex. --age "20-64 år", eller fältet Ålder'
    ]
    found = read(AGES.encode(), "alder.csv", age="16-64")
    assert values(found) == [
        ("0780", 2022, "total", "M", 60.0, ""),
        ("0780", 2022, "total", "K", 61.0, ""),
    ]
    assert found.fixed == {"ålder": "16-64 år", "tabellinnehåll": "Andel"}


def test_a_choice_that_is_not_in_the_file_is_named():
    assert errors(AGES.encode(), "alder.csv", age="30 år", fixed={"utbildning": "alla"}) == [
        "alder.csv, kolumn 'utbildning': filen har ingen sådan kolumn "
        "(region, ålder, kön, år, tabellinnehåll)",
        "alder.csv, rad 1, kolumn 'ålder': värdet '30 år' finns inte; filen har 20-64 år, 16-64 år",
    ]
    text = "region;kön;2022\n0780;män;50\n"
    assert errors(text.encode(), "x.csv", age="20-64 år") == [
        "x.csv, kolumn 'ålder': filen har ingen ålderskolumn ('20-64 år')"
    ]


def test_other_variables_with_several_values_are_fixed_generically():
    text = (
        "region;utbildningsnivå;2022\n"
        "0780;förgymnasial;40\n0780;eftergymnasial;80\n0780;samtliga utbildningsnivåer;70\n"
    )
    assert errors(text.encode(), "utb.csv") == [
        "utb.csv, rad 1, kolumn 'utbildningsnivå': 3 olika värden (förgymnasial, "
        'eftergymnasial, samtliga utbildningsnivåer); välj ett med --fixed "utbildningsnivå=…" '
        "eller fältet Andra val"
    ]
    found = read(text.encode(), "utb.csv", fixed={"utbildningsnivå": "eftergymnasial"})
    assert values(found) == [("0780", 2022, "total", "T", 80.0, "")]
    # an SCB indicator's catalogue entry names the default (fixed_labels: samtliga …)
    found = read(text.encode(), "utb.csv", "sysselsattning-vistelsetid")
    assert values(found) == [("0780", 2022, "total", "T", 70.0, "")]
    assert found.fixed["utbildningsnivå"] == "samtliga utbildningsnivåer"


def test_a_header_that_ends_in_a_year_holds_values_whatever_else_it_says():
    text = "region;Andel utrikes födda 2022;Andel utrikes födda 2023\n1082;20,1;21,2\n"
    found = read(text.encode(), "andel.csv", "utrikes-fodda-andel")
    assert values(found) == [
        ("1082", 2022, "total", "T", 20.1, ""),
        ("1082", 2023, "total", "T", 21.2, ""),
    ]
    assert found.fixed == {"tabellinnehåll": "Andel utrikes födda"}


def test_other_regions_of_birth_keep_a_slug_of_their_label():
    text = "region;födelseregion;2022\n0780;Europa utom Norden;50\n0780;Afrika;40\n"
    found = read(text.encode(), "fodelse.csv")
    assert [o.group for o in found.observations] == ["europa-utom-norden", "afrika"]


def test_a_group_column_named_by_the_entry_reads_known_and_new_labels():
    # The older RAMS shape of the employment measure: the column is one of the names the
    # entry gives (`group_variable: [arbetsmarknadsstatus, sysselsättning]`), so a value it
    # does not know ("uppgift saknas") is kept as a slug rather than refused.
    text = (
        "region,sysselsättning,2018\n"
        "1494C1010,förvärvsarbetande,700\n"
        "1494C1010,ej förvärvsarbetande,250\n"
        "1494C1010,uppgift saknas,3\n"
    )
    found = read(text.encode("utf-8"), "rams.csv", "sysselsatta-deso")
    assert values(found) == [
        ("1494C1010", 2018, "sysselsatta", "T", 700.0, ""),
        ("1494C1010", 2018, "ej_sysselsatta", "T", 250.0, ""),
        ("1494C1010", 2018, "uppgift-saknas", "T", 3.0, ""),
    ]
    # Another column name is not taken for the group: its three values need a choice.
    problems = errors(
        text.replace("sysselsättning", "status").encode(), "x.csv", "sysselsatta-deso"
    )
    assert problems and "status" in problems[0] and "3 olika värden" in problems[0]


def test_statuses_as_contents_are_groups_and_their_sum_is_left_out():
    # SCB's labour-market status per DeSO (AM0210G/ArRegDesoStatusN) has the statuses as the
    # table's contents, so PxWeb's csv writes one column per status and year (the contents'
    # texts as Region Dalarna's generated fetch functions list them). The sum "arbetskraften"
    # would count the employed twice: it is read and left out, not stored as a group.
    text = (
        '"Arbetsmarknadsstatus efter bostadens belägenhet, region (DeSO/RegSO), kön och ålder"\n\n'
        '"region";"kön";"ålder";"antal sysselsatta 2024";"antal arbetslösa 2024";'
        '"antal sysselsatta och arbetslösa (arbetskraften) 2024";'
        '"antal personer utanför arbetskraften 2024";"antal totalt 2024"\n'
        '"1494C1020_DeSO2025 Lidköping";"totalt";"20-64 år";150;50;200;100;301\n'
    )
    found = read(text.encode("cp1252"), "bas.csv", "sysselsatta-deso")
    assert values(found) == [
        ("1494C1020", 2024, "sysselsatta", "T", 150.0, ""),
        ("1494C1020", 2024, "arbetslosa", "T", 50.0, ""),
        ("1494C1020", 2024, "utanfor_arbetskraften", "T", 100.0, ""),
        ("1494C1020", 2024, "total", "T", 301.0, ""),
    ]
    assert found.fixed == {"ålder": "20-64 år"}


def test_parse_fixed_needs_variable_and_value():
    assert downloads.parse_fixed(["ålder=20-64 år", " Tid = 2026M04 "]) == {
        "ålder": "20-64 år",
        "Tid": "2026M04",
    }
    with pytest.raises(ValueError, match="'ålder': skriv VARIABEL=VÄRDE"):
        downloads.parse_fixed(["ålder"])


# --- errors name file, row and column ---------------------------------------------------------


def test_every_bad_row_is_named():
    text = (
        "region;kön;2022;2023\n"
        "Kalmar;män;50;51\n"
        "Storstad;män;50;51\n"
        "Stockholms län;x;150;20\n"
        "0780;män;nan;inf\n"
        "0780;kvinnor;abc;-1\n"
        "9999;män;1;1\n"
        "0780;1+2;10;11\n"
        "Växjö;totalt;12;13\n"
    )
    assert errors(text.encode(), "fel.csv") == [
        "fel.csv, rad 2, kolumn 'region': 'Kalmar' kan vara Kalmar län (0008) eller kommunen "
        "Kalmar (0880); skriv koden eller länets fulla namn",
        "fel.csv, rad 3, kolumn 'region': okänt område 'Storstad': skriv kommunkod "
        "(0780), kommunnamn, länsnamn (Blekinge län) eller Riket",
        "fel.csv, rad 4, kolumn 'kön': 'x': kön ska vara män, kvinnor eller totalt (1, 2, 1+2)",
        "fel.csv, rad 4, kolumn '2022': 150 ligger utanför 0–100 procent",
        "fel.csv, rad 5, kolumn '2022': 'nan' är inget ändligt tal",
        "fel.csv, rad 5, kolumn '2023': 'inf' är inget ändligt tal",
        "fel.csv, rad 6, kolumn '2022': 'abc' är inget tal",
        "fel.csv, rad 6, kolumn '2023': -1 ligger utanför 0–100 procent",
        "fel.csv, rad 7, kolumn 'region': '9999': koden 9999 finns inte i registret",
        "fel.csv, rad 9, kolumn '2022': samma område, år, grupp och kön som rad 8",
        "fel.csv, rad 9, kolumn '2023': samma område, år, grupp och kön som rad 8",
    ]


def test_negative_counts_are_refused_and_json_cells_are_named():
    text = "region;2024\n1082;-5\n"
    assert errors(text.encode(), "antal.csv", "motesplatser-deltagare") == [
        "antal.csv, rad 2, kolumn '2024': -5 är negativt; antal kan inte vara negativt"
    ]
    raw = jsonstat(
        [("Region", "region", {"1082": "Karlshamn"}), ("Tid", "år", {"2024": "2024"})], [-5]
    )
    assert errors(raw, "antal.json", "motesplatser-deltagare") == [
        "antal.json, kolumn 'value[0] (Region=1082, Tid=2024)': -5 är negativt; antal kan inte "
        "vara negativt"
    ]
    raw = jsonstat(
        [
            ("Region", "region", {"1082": "Karlshamn"}),
            ("Tid", "år", {"2023": "2023", "2024": "2024"}),
        ],
        [float("nan"), float("inf")],
    )
    assert errors(raw, "nan.json", "motesplatser-deltagare") == [
        "nan.json, kolumn 'value[0] (Region=1082, Tid=2023)': nan är inget ändligt tal",
        "nan.json, kolumn 'value[1] (Region=1082, Tid=2024)': inf är inget ändligt tal",
    ]


def test_a_file_without_region_or_year_or_values_is_refused():
    assert errors("kön;Andel\nmän;5\n".encode(), "x.csv") == [
        "x.csv: hittar ingen kolumn för område (region) eller år (tid) (kön, tabellinnehåll)"
    ]
    assert errors(b"bara en rad\n", "x.csv") == [
        "x.csv: hittar ingen tabell (ingen rad med minst två ifyllda celler)"
    ]
    assert errors(b'{"id": ["Region"]}', "x.json") == [
        "x.json: svaret är inte json-stat2 (id/size/dimension saknas)"
    ]
    assert errors(WIDE.encode(), "x.csv", "finns-inte") == [
        "x.csv: okänd indikator 'finns-inte' (se docs/indicators.md)"
    ]


def test_own_import_format_is_recognised():
    assert downloads.is_own_format(b"indikator;omrade;ar\nx;1082;2024\n", "egen.csv")
    assert not downloads.is_own_format(WIDE.encode(), "scb.csv")
    assert not downloads.is_own_format(b'{"version": "2.0"}', "scb.json")


# --- lagesbild import ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_import_command_reads_a_download_with_age_and_public_provenance(tmp_path, capsys):
    path = tmp_path / "scb-alder.csv"
    path.write_bytes(AGES.encode())
    call_command(
        "import",
        str(path),
        "--source",
        "scb",
        "--indicator",
        "sysselsattning-20-64",
        "--age",
        "20-64 år",
    )
    assert "scb-alder.csv: 2 rader: 2 nya, 0 ändrade, 0 oförändrade" in capsys.readouterr().out
    snapshot = Snapshot.objects.get()
    assert (snapshot.source, snapshot.source_ref, snapshot.url) == (
        "local:scb",
        "scb-alder.csv",
        "",
    )
    assert snapshot.query["format"] == "csv" and snapshot.query["file"] == "scb-alder.csv"
    assert snapshot.query["fixed"] == {"ålder": "20-64 år", "tabellinnehåll": "Andel"}
    assert len(snapshot.query["sha256"]) == 64
    body = Client().get("/api/statistics/0780", {"indicator": "sysselsattning-20-64"}).content
    text = body.decode()
    assert "scb-alder.csv" in text
    assert "file://" not in text and str(tmp_path) not in text


@pytest.mark.django_db
def test_import_command_own_format_no_longer_stores_the_server_path(tmp_path):
    path = tmp_path / "sfi.csv"
    path.write_text("indikator;område;år;grupp;värde\nsfi-lokala-resultat;1082;2024;total;50\n")
    call_command("import", str(path), "--source", "sfi")
    snapshot = Snapshot.objects.get()
    assert (snapshot.url, snapshot.source_ref, snapshot.query["format"]) == ("", "sfi.csv", "csv")


@pytest.mark.django_db
def test_import_command_needs_indicator_for_a_download_and_lists_errors(tmp_path, capsys):
    path = tmp_path / "scb.csv"
    path.write_bytes(AGES.encode())
    with pytest.raises(CommandError, match="lägg till --indicator ID"):
        call_command("import", str(path), "--source", "scb")
    with pytest.raises(CommandError, match="scb.csv: inget lästes in"):
        call_command("import", str(path), "--source", "scb", "--indicator", "sysselsattning-20-64")
    assert "scb.csv, rad 1, kolumn 'ålder': 2 olika värden" in capsys.readouterr().err
    with pytest.raises(CommandError, match="--fixed 'ålder': skriv VARIABEL=VÄRDE"):
        call_command(
            "import",
            str(path),
            "--source",
            "scb",
            "--indicator",
            "sysselsattning-20-64",
            "--fixed",
            "ålder",
        )
    assert Snapshot.objects.count() == 0
