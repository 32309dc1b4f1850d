"""CSV and Excel import/export of activities: one format, round trips, every error named,
all or nothing."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from lagesbild.plan.models import Activity, Plan
from lagesbild.plan.transfer import (
    COLUMNS,
    ImportError_,
    export_csv,
    export_xlsx,
    import_activities,
)
from lagesbild.stats.catalogue import indicator_ids


def snapshot(plan):
    return list(
        plan.activities.order_by("ref").values_list(
            "ref", "parent__ref", "title", "area_keys", "indicators", "department__name",
            "status", "progress", "weight", "start", "end",
        )
    )  # fmt: skip


def empty_plan_like(plan):
    return Plan.objects.create(
        policy=plan.policy, title="Kopia", start_year=2026, end_year=2029, lagesbild_year=2025
    )


def do_import(plan, raw, name):
    return import_activities(plan, raw, name, indicator_ids())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_plan_round_trips(plan, fmt):
    export = export_csv if fmt == "csv" else export_xlsx
    raw = export(plan)
    copy = empty_plan_like(plan)
    assert do_import(copy, raw, f"insatser.{fmt}") == (4, 0)
    assert snapshot(copy) == snapshot(plan)
    if fmt == "csv":
        assert export_csv(copy) == raw  # byte for byte


def test_csv_and_excel_carry_the_same_columns_and_values(plan):
    csv_lines = export_csv(plan).decode("utf-8-sig").splitlines()
    ws = load_workbook(io.BytesIO(export_xlsx(plan))).active
    rows = list(ws.iter_rows(values_only=True))
    assert csv_lines[0].split(",") == COLUMNS == list(rows[0])
    assert len(rows) == len(csv_lines) == 5
    by_ref = {r[0]: r for r in rows[1:]}
    assert by_ref["S1.2"][COLUMNS.index("del_av")] == "S1"
    assert by_ref["S1.2"][COLUMNS.index("framsteg")] == 40
    assert by_ref["S1"][COLUMNS.index("omraden")] == "sprak;arbete"


def test_importing_the_export_again_changes_nothing_and_writes_no_history(plan):
    before = snapshot(plan)
    history = Activity.history.count()
    assert do_import(plan, export_csv(plan), "insatser.csv") == (0, 0)
    assert snapshot(plan) == before
    assert Activity.history.count() == history


def test_import_updates_by_id_and_creates_new_ones(plan):
    text = export_csv(plan).decode("utf-8-sig")
    text = text.replace("Kartläggning,", "Kartläggning klar,")
    text += "N1,S1,Ny delinsats,,sprak,,Utbildningsförvaltningen,,,,2026-09-01,2027-06-30,planerad,0,1\n"
    assert do_import(plan, text.encode("utf-8"), "i.csv") == (1, 1)
    n1 = plan.activities.get(ref="N1")
    assert n1.parent.ref == "S1" and n1.start.isoformat() == "2026-09-01"
    assert plan.activities.get(ref="S1.1").title == "Kartläggning klar"


def test_semicolon_separated_csv_from_excel_is_read(plan):
    text = export_csv(plan).decode("utf-8-sig")
    import csv

    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    copy = empty_plan_like(plan)
    assert do_import(copy, out.getvalue().encode("utf-8"), "excel.csv") == (4, 0)


def csv_with(plan, ref, **changes):
    """The plan's export with one row's columns changed."""
    import csv

    rows = list(csv.reader(io.StringIO(export_csv(plan).decode("utf-8-sig"))))
    for row in rows[1:]:
        if row[0] == ref:
            for column, value in changes.items():
                row[COLUMNS.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.mark.parametrize(
    "ref, changes, row, column, message",
    [
        ("H1", {"status": "nästan klar"}, 2, "status", "okänd status 'nästan klar'"),
        ("H1", {"framsteg": "150"}, 2, "framsteg", "ska vara ett heltal 0–100"),
        ("H1", {"framsteg": "mycket"}, 2, "framsteg", "är inte ett tal"),
        ("H1", {"vikt": "-1"}, 2, "vikt", "vikten ska vara ett tal 0–9999"),
        ("H1", {"forvaltning": "Tekniska förvaltningen"}, 2, "forvaltning", "okänd förvaltning"),
        ("H1", {"omraden": "boende"}, 2, "omraden", "okänt policyområde 'boende'"),
        ("H1", {"indikatorer": "N99999"}, 2, "indikatorer", "okänd indikator 'N99999'"),
        ("H1", {"start": "1 juni"}, 2, "start", "ogiltigt datum '1 juni'"),
        ("H1", {"start": "2027-01-01", "slut": "2026-01-01"}, 2, "slut", "slutdatum ligger före"),
        ("H1", {"kontakt_epost": "inte-en-adress"}, 2, "kontakt_epost", "ogiltig e-postadress"),
        ("H1", {"titel": ""}, 2, "titel", "får inte vara tomt"),
        ("H1", {"del_av": "X9"}, 2, "del_av", "okänd insats 'X9'"),
        ("S1.1", {"id": "S1.2"}, 5, "id", "finns redan på rad 4"),
        ("S1", {"del_av": "S1.1"}, 3, "del_av", "cirkel"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_stored(plan, ref, changes, row, column, message):
    # Rows in the export: H1 (2), S1 (3), S1.1 (4), S1.2 (5). Good changes in other rows must not be stored either: all or nothing.
    raw = csv_with(plan, ref, **changes).replace(b"Kurser", "Ändrade kurser".encode())
    before = snapshot(plan)
    with pytest.raises(ImportError_) as excinfo:
        do_import(plan, raw, "insatser.csv")
    texts = [str(e) for e in excinfo.value.errors]
    assert any(
        f"insatser.csv, rad {row}, kolumn '{column}'" in t and message in t for t in texts
    ), texts
    assert snapshot(plan) == before


def test_every_bad_row_is_reported_at_once(plan):
    raw = csv_with(plan, "H1", status="x", framsteg="101")
    with pytest.raises(ImportError_) as excinfo:
        do_import(plan, raw, "f.csv")
    assert [(e.row, e.column) for e in excinfo.value.errors] == [(2, "status"), (2, "framsteg")]


def test_missing_and_unknown_columns_are_named(plan):
    raw = "id,titel,farg\nX1,Ny,blå\n".encode()
    with pytest.raises(ImportError_) as excinfo:
        do_import(plan, raw, "f.csv")
    text = str(excinfo.value)
    assert "f.csv, rad 1: kolumner saknas: del_av" in text
    assert "okända kolumner: farg" in text


@pytest.mark.parametrize(
    "raw, name, message",
    [
        ("id,titel\n".encode("utf-16"), "f.csv", "inte UTF-8"),
        (b"", "f.csv", "filen är tom"),
        (b"PK\x03\x04 not really a workbook", "f.xlsx", "kan inte läsas som Excel-fil"),
        (b"id;titel", "f.txt", "ska vara .csv eller .xlsx"),
    ],
)
def test_unreadable_files_are_refused_with_the_file_named(plan, raw, name, message):
    before = snapshot(plan)
    with pytest.raises(ImportError_) as excinfo:
        do_import(plan, raw, name)
    assert str(excinfo.value).startswith(name) and message in str(excinfo.value)
    assert snapshot(plan) == before


def test_excel_with_a_bad_cell_names_row_and_column(plan):
    wb = Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    ws.append(["X1", "", "Ny", "", "", "", "Utbildningsförvaltningen", "", "", "", "igår", None,
               "planerad", 0, 1])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ImportError_) as excinfo:
        do_import(plan, out.getvalue(), "plan.xlsx")
    assert "plan.xlsx, rad 2, kolumn 'start': ogiltigt datum 'igår'" in str(excinfo.value)
    assert not Activity.objects.filter(ref="X1").exists()


def test_import_page_lists_errors_and_stores_nothing(plan, users, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    raw = csv_with(plan, "H1", status="okänd")
    response = client_for(users["coordinator"]).post(
        reverse("plan:import", args=[plan.pk]),
        {"file": SimpleUploadedFile("insatser.csv", raw)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ingenting lästes in" in page
    assert "insatser.csv, rad 2, kolumn &#x27;status&#x27;" in page
