"""lagesbild import / export: the documented format, per-row errors, all or nothing, round trip."""

import csv
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from lagesbild.stats import queries
from lagesbild.stats.models import Observation, Snapshot

pytestmark = pytest.mark.django_db

HEADER = ["indikator", "område", "år", "grupp", "kön", "värde", "enhet", "status"]
ROWS = [
    ["sfi-lokala-resultat", "1082", "2024", "utrikes_fodda", "T", "61,5", "procent", ""],
    ["sfi-lokala-resultat", "1082", "2024", "utrikes_fodda", "K", "64.0", "procent", ""],
    ["sfi-lokala-resultat", "1082", "2025", "utrikes_fodda", "T", "", "", ".."],
    ["motesplatser-deltagare", "1082", "2025", "total", "", "1250", "antal", ""],
]


def write_csv(path, rows, header=HEADER, delimiter=";"):
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=HEADER):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(
            [
                float(c.replace(",", ".")) if c and c[0].isdigit() and i == 5 else c
                for i, c in enumerate(row)
            ]
        )
    book.save(path)
    return path


def stored():
    return sorted(
        (o.indicator, o.area, o.period, o.group, o.sex, o.value, o.status)
        for o in queries.observations(["sfi-lokala-resultat", "motesplatser-deltagare"], ["1082"])
    )


WANT = [
    ("motesplatser-deltagare", "1082", 2025, "total", "T", 1250.0, ""),
    ("sfi-lokala-resultat", "1082", 2024, "utrikes_fodda", "K", 64.0, ""),
    ("sfi-lokala-resultat", "1082", 2024, "utrikes_fodda", "T", 61.5, ""),
    ("sfi-lokala-resultat", "1082", 2025, "utrikes_fodda", "T", None, ".."),
]


def test_csv_import_stores_values_with_local_provenance(tmp_path, capsys):
    path = write_csv(tmp_path / "sfi.csv", ROWS)
    call_command("import", str(path), "--source", "sfi")
    assert stored() == WANT
    [prov] = queries.provenance(["sfi-lokala-resultat"], ["1082"])
    assert prov["source"] == "local:sfi" and prov["source_ref"] == "sfi.csv"
    assert "4 nya" in capsys.readouterr().out


def test_excel_import_gives_the_same_values(tmp_path):
    call_command("import", str(write_xlsx(tmp_path / "sfi.xlsx", ROWS)), "--source", "sfi")
    assert stored() == WANT


def test_every_bad_row_is_reported_and_nothing_is_stored(tmp_path, capsys):
    call_command("import", str(write_csv(tmp_path / "ok.csv", ROWS[:1])), "--source", "sfi")
    before = (Observation.objects.count(), Snapshot.objects.count())
    bad = [
        ROWS[0],
        ["finns-inte", "1082", "2024", "total", "T", "1", "", ""],
        ["sfi-lokala-resultat", "9999", "20x4", "utrikes_fodda", "X", "abc", "", ""],
        ["sfi-lokala-resultat", "1082", "2024", "utrikes_fodda", "T", "140", "procent", ""],
        ["sfi-lokala-resultat", "1082", "2024", "utrikes_fodda", "T", "50", "antal", ""],
    ]
    with pytest.raises(CommandError):
        call_command("import", str(write_csv(tmp_path / "bad.csv", bad)), "--source", "sfi")
    err = capsys.readouterr().err
    for expected in [
        "bad.csv, rad 3, kolumn 'indikator': okänd indikator 'finns-inte'",
        "bad.csv, rad 4, kolumn 'omrade': '9999'",
        "bad.csv, rad 4, kolumn 'ar': '20x4'",
        "bad.csv, rad 4, kolumn 'kon': 'X'",
        "bad.csv, rad 4, kolumn 'varde': 'abc' är inget tal",
        "bad.csv, rad 5, kolumn 'varde': 140.0 ligger utanför 0–100 procent",
        "bad.csv, rad 6, kolumn 'enhet': 'antal'",
        "bad.csv, rad 6, kolumn 'indikator': samma värde står redan på rad 5",
    ]:
        assert expected in err
    assert (Observation.objects.count(), Snapshot.objects.count()) == before
    assert [o.value for o in queries.observations("sfi-lokala-resultat", ["1082"])] == [61.5]


def test_missing_required_column_is_named(tmp_path, capsys):
    path = write_csv(tmp_path / "x.csv", [r[:5] for r in ROWS], header=HEADER[:5])
    with pytest.raises(CommandError):
        call_command("import", str(path), "--source", "sfi")
    assert "x.csv, rad 1, kolumn 'varde': kolumnen saknas" in capsys.readouterr().err


def test_unknown_file_type_and_missing_file_are_refused(tmp_path):
    (tmp_path / "x.pdf").write_text("x")
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path / "x.pdf"), "--source", "sfi")
    with pytest.raises(CommandError, match="finns inte"):
        call_command("import", str(tmp_path / "nope.csv"), "--source", "sfi")


def test_example_data_cannot_be_imported_as_real(tmp_path, capsys):
    header = [*HEADER, "exempeldata"]
    path = write_csv(tmp_path / "x.csv", [[*ROWS[0], "ja"]], header=header)
    with pytest.raises(CommandError):
        call_command("import", str(path), "--source", "sfi")
    assert "exempeldata kan inte importeras" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_of_an_import_reimports_to_the_same_data(tmp_path, fmt):
    call_command("import", str(write_csv(tmp_path / "in.csv", ROWS)), "--source", "sfi")
    out = tmp_path / f"export.{fmt}"
    call_command("export", "--kommun", "1082", "--format", fmt, "--output", str(out))
    before = stored()
    Observation.objects.all().delete()
    call_command("import", str(out), "--source", "sfi")
    assert stored() == before == WANT


def test_reimporting_the_same_export_changes_nothing(tmp_path, capsys):
    call_command("import", str(write_csv(tmp_path / "in.csv", ROWS)), "--source", "sfi")
    out = tmp_path / "export.csv"
    call_command("export", "--kommun", "1082", "--output", str(out))
    call_command("import", str(out), "--source", "sfi")
    assert "0 nya, 0 ändrade, 4 oförändrade" in capsys.readouterr().out
    assert Observation.objects.count() == 4


def test_export_has_provenance_columns(tmp_path, demo_data):
    out = tmp_path / "e.xlsx"
    call_command("export", "--kommun", "1082", "--format", "xlsx", "--output", str(out))
    sheet = load_workbook(out, read_only=True).worksheets[0]
    header, first = list(sheet.iter_rows(max_row=2, values_only=True))
    row = dict(zip(header, first, strict=True))
    assert row["exempeldata"] == "ja" and row["kalla"] == "example"
    assert len(row["kontrollsumma"]) == 64 and row["hamtad"]


def test_export_json_covers_the_comparison_areas(demo_data, capsys):
    call_command("export", "--kommun", "1082", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    areas = {r["omrade"] for r in data["rows"]}
    comp = queries.comparison_areas("1082")
    assert {"1082", comp["county"], "0000", *comp["group_members"]} == areas
    assert "1494" not in areas


def test_nan_infinity_and_negative_counts_are_refused_naming_the_row(tmp_path, capsys, db):
    bad = [
        ["sfi-lokala-resultat", "1082", "2022", "utrikes_fodda", "T", "nan", "", ""],
        ["sfi-lokala-resultat", "1082", "2023", "utrikes_fodda", "T", "inf", "", ""],
        ["sfi-lokala-resultat", "1082", "2024", "utrikes_fodda", "T", "50", "", "", "-3"],
        ["motesplatser-deltagare", "1082", "2024", "total", "T", "-12", "", ""],
    ]
    path = write_csv(tmp_path / "nan.csv", bad, header=[*HEADER, "antal"])
    with pytest.raises(CommandError):
        call_command("import", str(path), "--source", "sfi")
    err = capsys.readouterr().err
    for expected in [
        "nan.csv, rad 2, kolumn 'varde': 'nan' är inget tal",
        "nan.csv, rad 3, kolumn 'varde': 'inf' är inget tal",
        "nan.csv, rad 4, kolumn 'antal': '-3' är inget heltal från 0 och uppåt",
        "nan.csv, rad 5, kolumn 'varde': -12.0: antal kan inte vara negativt",
    ]:
        assert expected in err


# Export then import: the same observations, every column ----------------------------------

FULL_HEADER = [*HEADER, "antal"]
FULL_ROWS = [
    ["sfi-lokala-resultat", "1082", "2024", "utrikes_fodda", "K", "64,25", "procent", "", "48"],
    ["sfi-lokala-resultat", "1082", "2024", "utrikes_fodda", "M", "58.5", "procent", "", "40"],
    ["sfi-lokala-resultat", "1082", "2024", "inrikes_fodda", "T", "0.1", "procent", "", ""],
    ["sfi-lokala-resultat", "1082", "2025", "utrikes_fodda", "T", "", "", "..", ""],
    ["ohalsotal", "1082", "2024", "total", "T", "27.3", "dagar", "B", ""],
    ["ohalsotal", "0010", "2024", "total", "K", "31.9", "dagar", "", ""],
    ["ohalsotal", "0000", "2024", "total", "M", "22.05", "dagar", "", ""],
    ["motesplatser-deltagare", "1082", "2025", "total", "T", "1250", "antal", "", ""],
]
FULL_WANT = [  # (indicator, area, year, group, sex, value, unit, status, count)
    ("motesplatser-deltagare", "1082", 2025, "total", "T", 1250.0, "antal", "", None),
    ("ohalsotal", "0000", 2024, "total", "M", 22.05, "dagar", "", None),
    ("ohalsotal", "0010", 2024, "total", "K", 31.9, "dagar", "", None),
    ("ohalsotal", "1082", 2024, "total", "T", 27.3, "dagar", "B", None),
    ("sfi-lokala-resultat", "1082", 2024, "inrikes_fodda", "T", 0.1, "procent", "", None),
    ("sfi-lokala-resultat", "1082", 2024, "utrikes_fodda", "K", 64.25, "procent", "", 48),
    ("sfi-lokala-resultat", "1082", 2024, "utrikes_fodda", "M", 58.5, "procent", "", 40),
    ("sfi-lokala-resultat", "1082", 2025, "utrikes_fodda", "T", None, "procent", "..", None),
]


def stored_in_full():
    indicators = ["sfi-lokala-resultat", "motesplatser-deltagare", "ohalsotal"]
    return sorted(
        (o.indicator, o.area, o.period, o.group, o.sex, o.value, o.unit, o.status, o.count)
        for o in queries.observations(indicators, ["1082", "0010", "0000"])
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_the_same_value_status_group_sex_unit_and_count(tmp_path, fmt):
    path = write_csv(tmp_path / "in.csv", FULL_ROWS, header=FULL_HEADER)
    call_command("import", str(path), "--source", "sfi")
    assert stored_in_full() == FULL_WANT
    out = tmp_path / f"export.{fmt}"
    call_command("export", "--kommun", "1082", "--format", fmt, "--output", str(out))
    Observation.objects.all().delete()
    Snapshot.objects.all().delete()
    call_command("import", str(out), "--source", "sfi")
    assert stored_in_full() == FULL_WANT


def test_a_refused_import_says_so_in_the_error_itself(tmp_path, capsys):
    # The bare `raises(CommandError)` above check stderr; the error's own text is checked here.
    bad = [["finns-inte", "1082", "2024", "total", "T", "1", "", ""]]
    with pytest.raises(CommandError) as raised:
        call_command("import", str(write_csv(tmp_path / "bad.csv", bad)), "--source", "sfi")
    assert (str(raised.value), raised.value.returncode) == ("bad.csv: inget lästes in", 1)
    (tmp_path / "x.csv").write_text("kommun;år\n1082;2024\n")
    with pytest.raises(CommandError) as raised:
        call_command("import", str(tmp_path / "x.csv"), "--source", "sfi")
    assert str(raised.value) == (
        "x.csv: inte importformatet (kolumnen 'indikator' saknas). En fil från "
        "Statistikdatabasen läses för en indikator: lägg till --indicator ID (docs/statistics.md)."
    )
    # The upload checks come first: a file of another kind is refused by its name and content.
    (tmp_path / "x.pdf").write_text("x")
    with pytest.raises(CommandError) as raised:
        call_command("import", str(tmp_path / "x.pdf"), "--source", "sfi")
    assert str(raised.value) == "x.pdf: filtypen stöds inte (tillåtna: .csv, .txt, .xlsx, .json)."


# Formula injection and upload checks (issue #16, findings 1, 2, 8) --------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_writes_formula_like_text_as_text_numbers_as_numbers_and_imports_back(tmp_path, fmt):
    # The file's name is the provenance every export and the public API show; the status is
    # free text. Both could start a formula in the reader's Excel.
    rows = [
        ["sfi-lokala-resultat", "1082", "2024", "utrikes_fodda", "T", "40", "procent", ""],
        ["sfi-lokala-resultat", "1082", "2024", "inrikes_fodda", "T", "60", "procent", ""],
        ["sfi-lokala-resultat", "1082", "2025", "utrikes_fodda", "T", "", "", "-"],
    ]
    call_command("import", str(write_csv(tmp_path / "=1+2.csv", rows)), "--source", "sfi")
    before = stored()
    out, gaps = tmp_path / f"export.{fmt}", tmp_path / f"gaps.{fmt}"
    call_command("export", "--kommun", "1082", "--format", fmt, "--output", str(out))
    call_command(
        "export", "--kommun", "1082", "--format", fmt, "--output", str(gaps), "--skillnader"
    )

    def read(path):
        if fmt == "csv":
            return list(csv.DictReader(path.open(encoding="utf-8")))
        sheet = load_workbook(path).worksheets[0]
        assert not [c.coordinate for r in sheet.iter_rows() for c in r if c.data_type == "f"]
        header, *body = list(sheet.iter_rows(values_only=True))
        return [dict(zip(header, r, strict=True)) for r in body]

    exported = read(out)
    assert {r["kallreferens"] for r in exported} == {"'=1+2.csv"}
    assert [r["status"] for r in exported if r["ar"] in (2025, "2025")] == ["'-"]
    (gap,) = read(gaps)
    assert gap["skillnad"] in ("-20.0", -20.0)  # a negative number is a number, no apostrophe
    Observation.objects.all().delete()
    call_command("import", str(out), "--source", "sfi")
    assert stored() == before


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity", "1e999"])
def test_nan_and_infinity_in_a_file_are_row_messages(tmp_path, capsys, value):
    bad = [["sfi-lokala-resultat", "1082", "2024", "utrikes_fodda", "T", value, "", "", value]]
    path = write_csv(tmp_path / "nan.csv", bad, header=[*HEADER, "antal"])
    with pytest.raises(CommandError, match="nan.csv: inget lästes in"):
        call_command("import", str(path), "--source", "sfi")
    err = capsys.readouterr().err
    assert f"nan.csv, rad 2, kolumn 'varde': '{value}' är inget tal" in err
    assert f"nan.csv, rad 2, kolumn 'antal': '{value}' är inget heltal" in err


def test_the_import_command_checks_size_rows_and_content_first(tmp_path, settings):
    from tests.core.spreadsheets import with_members

    settings.LAGESBILD_MAX_UPLOAD_ROWS = 3
    with pytest.raises(CommandError, match=r"^in.csv har fler än 3 rader"):
        call_command("import", str(write_csv(tmp_path / "in.csv", ROWS)), "--source", "sfi")
    settings.LAGESBILD_MAX_UPLOAD_ROWS = 100
    macro = with_members(
        write_xlsx(tmp_path / "m.xlsx", ROWS).read_bytes(), {"xl/vbaProject.bin": b"x"}
    )
    (tmp_path / "m.xlsx").write_bytes(macro)
    with pytest.raises(CommandError, match=r"^m.xlsx innehåller makron"):
        call_command("import", str(tmp_path / "m.xlsx"), "--source", "sfi")
    settings.LAGESBILD_MAX_UPLOAD_BYTES = 100
    with pytest.raises(CommandError, match=r"^in.csv är för stor"):
        call_command("import", str(tmp_path / "in.csv"), "--source", "sfi")
    assert Observation.objects.count() == 0
