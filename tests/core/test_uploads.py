"""lagesbild.core.uploads: the one check before any import reads a file (issue #16, finding 2).
The views and the command that call it are tested beside them (tests/plan/test_transfer.py,
tests/stats/test_upload.py, tests/stats/test_files.py)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lagesbild.core.uploads import check_path, check_upload

from .spreadsheets import BAD_MEMBERS, bomb, csv_lines, member_bomb, with_members, workbook


def refused(name, data, **kwargs):
    with pytest.raises(ValidationError) as info:
        check_upload(SimpleUploadedFile(name, data), **kwargs)
    return " ".join(info.value.messages)


@pytest.mark.parametrize("kind", BAD_MEMBERS)
def test_a_workbook_with_macros_links_or_objects_is_refused_naming_the_member(kind):
    members, message = BAD_MEMBERS[kind]
    text = refused("data.xlsx", with_members(workbook(), members))
    assert text.startswith("data.xlsx ") and message in text


def test_a_macro_enabled_workbook_renamed_to_xlsx_is_refused():
    assert "data.xlsx är ingen Excel-arbetsbok" in refused(
        "data.xlsx", with_members(workbook(), macro_type=True)
    )


def test_zip_bombs_are_refused_in_total_and_per_member():
    total = bomb(workbook())
    assert len(total) < 50_000
    assert refused("bomb.xlsx", total) == "bomb.xlsx packar upp till orimligt mycket data."
    one = member_bomb(workbook())
    assert refused("one.xlsx", one) == (
        "one.xlsx packar upp till orimligt mycket data (xl/sharedStrings2.xml)."
    )


def test_a_real_workbook_with_many_rows_and_a_picture_passes():
    rows = [("indikator", "omrade", "ar", "varde")] + [("sfi", "1082", 2024, 61.5)] * 5000
    raw = with_members(workbook(rows), {"xl/media/image1.png": b"\x89PNG" + b"x" * 100})
    assert check_upload(SimpleUploadedFile("a.xlsx", raw)) == "xlsx"


def test_rows_are_limited_in_csv_and_excel(settings):
    settings.LAGESBILD_MAX_UPLOAD_ROWS = 10
    assert check_upload(SimpleUploadedFile("ok.csv", csv_lines(9))) == "csv"  # 10 lines
    assert refused("many.csv", csv_lines(10)) == (
        "many.csv har fler än 10 rader; dela upp filen (högst 10 rader)."
    )
    rows = [("kommun", "år")] + [("1082", 2024)] * 9
    assert check_upload(SimpleUploadedFile("ok.xlsx", workbook(rows))) == "xlsx"
    rows.append(("1082", 2025))
    assert "many.xlsx har fler än 10 rader" in refused("many.xlsx", workbook(rows))


def test_json_and_yaml_are_checked_by_content():
    json_stat = b'{"version":"2.0","class":"dataset"}'
    assert check_upload(SimpleUploadedFile("s.json", json_stat), kinds=("json",)) == "json"
    assert "s.json är ingen JSON-fil" in refused("s.json", b"a;b\n1;2\n", kinds=("json",))
    assert "p.yaml är ingen textfil (YAML)" in refused("p.yaml", b"PK\x03\x04", kinds=("yaml",))


def test_files_on_disk_get_the_same_checks(tmp_path, settings):
    settings.LAGESBILD_MAX_UPLOAD_BYTES = 100
    (tmp_path / "ok.csv").write_bytes(csv_lines(2))
    assert check_path(tmp_path / "ok.csv") == "csv"
    (tmp_path / "big.csv").write_bytes(csv_lines(20))
    with pytest.raises(ValidationError, match="big.csv är för stor"):
        check_path(tmp_path / "big.csv")
