"""Activities as CSV and Excel, one format for both (see docs/plan.md).

Export writes the plan's activities; import reads the same columns back, checks every row and
either stores all of them or nothing. Rows are matched to existing activities by `id` (the
activity's ref within the plan): a known id updates that activity, a new id creates one.
Activities missing from the file are left as they are. The `agenda2030` column came later:
a file without it still imports, and then leaves the activities' Agenda 2030 codes as they are.
"""

import csv
import datetime
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from lagesbild.accounts.models import Department
from lagesbild.core.tables import RowError, TableError, read_table, safe_cell
from lagesbild.policy import agenda2030

from .models import Activity, Status

COLUMNS = [
    "id",
    "del_av",
    "titel",
    "beskrivning",
    "omraden",
    "indikatorer",
    "forvaltning",
    "kontaktperson",
    "kontakt_epost",
    "partner",
    "start",
    "slut",
    "status",
    "framsteg",
    "vikt",
    "agenda2030",
]
REQUIRED = {"id", "titel", "forvaltning", "status"}
OPTIONAL = {"agenda2030"}  # files exported before the column existed import without it
LIST_SEPARATOR = ";"
SHEET_TITLE = "Insatser"


ImportError_ = TableError  # the name the views and tests use for a refused import


# Export ---------------------------------------------------------------------------------------


def activity_rows(plan):
    """The plan's activities as lists of plain values in COLUMNS order (parents first)."""
    activities = list(plan.activities.select_related("department", "parent").order_by("ref"))
    rows = []
    for a in _parents_first(activities):
        rows.append(
            [
                a.ref,
                a.parent.ref if a.parent else "",
                a.title,
                a.description,
                LIST_SEPARATOR.join(a.area_keys),
                LIST_SEPARATOR.join(a.indicators),
                a.department.name,
                a.contact_name,
                a.contact_email,
                a.partners,
                a.start,
                a.end,
                a.status,
                a.progress,
                a.weight,
                LIST_SEPARATOR.join(a.agenda2030),
            ]
        )
    return rows


def _parents_first(activities):
    done, out = set(), []

    def add(a):
        if a.pk in done:
            return
        if a.parent_id and a.parent_id not in done:
            add(next(p for p in activities if p.pk == a.parent_id))
        done.add(a.pk)
        out.append(a)

    for a in activities:
        add(a)
    return out


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize() if value == value.to_integral() else value, "f")
    return str(value)


def export_csv(plan):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in activity_rows(plan):
        writer.writerow([_text(safe_cell(v)) for v in row])
    # A byte-order mark makes Excel open UTF-8 CSV with å, ä, ö intact.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(plan):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.append(COLUMNS)
    for row in activity_rows(plan):
        # safe_cell also keeps openpyxl from writing a title "=…" as a formula.
        ws.append(
            [
                float(v) if isinstance(v, Decimal) else (safe_cell(v) if v != "" else None)
                for v in row
            ]
        )
    for i, cell in enumerate(ws[1]):
        cell.font = Font(bold=True)
        if COLUMNS[i] in ("start", "slut"):
            for c in ws[cell.column_letter][1:]:
                c.number_format = "yyyy-mm-dd"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# Import ---------------------------------------------------------------------------------------


def _cell(value):
    """A cell as stripped text ('' for empty); dates and numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"ogiltigt datum {value!r}; skriv ÅÅÅÅ-MM-DD") from None


def _parse_int(value, low, high):
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{value!r} är inte ett tal") from None
    # is_finite first: comparing Decimal("sNaN") raises instead of answering.
    if not number.is_finite() or number != number.to_integral() or not low <= number <= high:
        raise ValueError(f"ska vara ett heltal {low}–{high}, inte {value!r}")
    return int(number)


def _parse_weight(value):
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{value!r} är inte ett tal") from None
    if not number.is_finite() or number < 0 or number >= 10000:
        raise ValueError(f"vikten ska vara ett tal 0–9999, inte {value!r}")
    return number.quantize(Decimal("0.01"))


def _split(value):
    return [p.strip() for p in str(value).split(LIST_SEPARATOR) if p.strip()]


def parse_rows(plan, header, rows, filename, known_indicators):
    """Check every row; returns (list of dicts, errors). Touches no data."""
    errors = []
    header = [str(h).strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in header and c not in OPTIONAL]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        if missing:
            errors.append(RowError(filename, 1, "", f"kolumner saknas: {', '.join(missing)}"))
        if unknown:
            errors.append(RowError(filename, 1, "", f"okända kolumner: {', '.join(unknown)}"))
        errors.append(RowError(filename, 1, "", f"kolumnerna ska vara: {', '.join(COLUMNS)}"))
        return [], errors

    area_keys = {a.key for a in plan.areas()}
    departments = {d.name: d for d in Department.objects.filter(municipality=plan.municipality)}
    statuses = {s.value for s in Status}
    parsed, seen = [], {}
    for offset, raw_row in enumerate(rows):
        line = offset + 2
        values = {
            c: _cell(raw_row[header.index(c)] if header.index(c) < len(raw_row) else None)
            for c in COLUMNS
            if c in header
        }
        if all(v == "" for v in values.values()):
            continue  # blank lines at the end of a spreadsheet

        def problem(column, message, line=line):
            errors.append(RowError(filename, line, column, message))

        for column in REQUIRED:
            if values[column] == "":
                problem(column, "får inte vara tomt")
        row = {"line": line}
        ref = str(values["id"])
        if ref:
            if len(ref) > 20:
                problem("id", "högst 20 tecken")
            if ref in seen:
                problem("id", f"id {ref!r} finns redan på rad {seen[ref]}")
            seen[ref] = line
        row["ref"] = ref
        row["parent"] = str(values["del_av"])
        row["title"] = str(values["titel"])[:200]
        if len(str(values["titel"])) > 200:
            problem("titel", "högst 200 tecken")
        row["description"] = str(values["beskrivning"])
        row["area_keys"] = _split(values["omraden"])
        for key in row["area_keys"]:
            if key not in area_keys:
                problem(
                    "omraden",
                    f"okänt policyområde {key!r}; finns: {', '.join(sorted(area_keys))}",
                )
        row["indicators"] = _split(values["indikatorer"])
        for ind in row["indicators"]:
            if ind not in known_indicators:
                problem("indikatorer", f"okänd indikator {ind!r} (se indikatorkatalogen)")
        row["agenda2030"] = None  # no column: keep what the activity has
        if "agenda2030" in values:
            try:
                row["agenda2030"] = agenda2030.clean(_split(values["agenda2030"]))
            except ValueError as e:
                problem("agenda2030", str(e))
        dept = str(values["forvaltning"])
        if dept and dept not in departments:
            problem(
                "forvaltning",
                f"okänd förvaltning {dept!r}; finns: {', '.join(sorted(departments))}",
            )
        row["department"] = departments.get(dept)
        row["contact_name"] = str(values["kontaktperson"])[:200]
        email = str(values["kontakt_epost"])
        if email:
            try:
                validate_email(email)
            except ValidationError:
                problem("kontakt_epost", f"ogiltig e-postadress {email!r}")
        row["contact_email"] = email
        row["partners"] = str(values["partner"])[:500]
        for column, field in (("start", "start"), ("slut", "end")):
            row[field] = None
            if values[column] != "":
                try:
                    row[field] = _parse_date(values[column])
                except ValueError as e:
                    problem(column, str(e))
        if row["start"] and row["end"] and row["end"] < row["start"]:
            problem("slut", "slutdatum ligger före startdatum")
        status = str(values["status"]).lower()
        if status and status not in statuses:
            problem("status", f"okänd status {status!r}; tillåtna: {', '.join(sorted(statuses))}")
        row["status"] = status
        row["progress"] = 0
        if values["framsteg"] != "":
            try:
                row["progress"] = _parse_int(values["framsteg"], 0, 100)
            except ValueError as e:
                problem("framsteg", str(e))
        row["weight"] = Decimal(1)
        if values["vikt"] != "":
            try:
                row["weight"] = _parse_weight(values["vikt"])
            except ValueError as e:
                problem("vikt", str(e))
        parsed.append(row)

    existing = dict(plan.activities.values_list("ref", "parent__ref"))
    parents = {**existing, **{r["ref"]: r["parent"] or None for r in parsed}}
    for row in parsed:
        if row["parent"] and row["parent"] not in parents:
            errors.append(
                RowError(filename, row["line"], "del_av", f"okänd insats {row['parent']!r}")
            )
    for row in parsed:
        ref, path = row["ref"], set()
        while ref and ref in parents and ref not in path:
            path.add(ref)
            ref = parents[ref]
        if ref and ref in path:
            errors.append(RowError(filename, row["line"], "del_av", "insatserna bildar en cirkel"))
    if not parsed and not errors:
        errors.append(RowError(filename, None, "", "filen innehåller inga insatser"))
    return parsed, sorted(
        errors, key=lambda e: (e.row or 0, COLUMNS.index(e.column) if e.column in COLUMNS else -1)
    )


def import_activities(plan, raw, filename, known_indicators):
    """Create or update the plan's activities from a file, all or nothing.

    Returns (created, updated) counts (rows equal to the stored activity are not saved again);
    raises ImportError_ with every problem otherwise.
    """
    header, rows = read_table(raw, filename, sheet=SHEET_TITLE)
    parsed, errors = parse_rows(plan, header, rows, filename, known_indicators)
    if errors:
        raise ImportError_(errors)
    created = updated = 0
    fields = [
        "title", "description", "area_keys", "indicators", "department", "contact_name",
        "contact_email", "partners", "start", "end", "status", "progress", "weight", "agenda2030",
    ]  # fmt: skip
    with transaction.atomic():
        by_ref = {a.ref: a for a in plan.activities.select_for_update()}
        ref_of = {a.pk: a.ref for a in by_ref.values()}
        for row in parsed:
            activity = by_ref.get(row["ref"])
            if row["agenda2030"] is None:
                row["agenda2030"] = activity.agenda2030 if activity else []
            if activity is None:
                activity = Activity(plan=plan, ref=row["ref"])
                created += 1
            elif (
                all(getattr(activity, f) == row[f] for f in fields if f != "department")
                and activity.department_id == row["department"].pk
                and (ref_of.get(activity.parent_id, "") == row["parent"])
            ):
                continue  # unchanged: no save, no audit-trail entry
            else:
                updated += 1
            for field in fields:
                setattr(activity, field, row[field])
            # A parent later in the file is set below, once it exists.
            activity.parent = by_ref.get(row["parent"]) if row["parent"] else None
            activity.save()
            by_ref[row["ref"]] = activity
        for row in parsed:
            activity = by_ref[row["ref"]]
            parent = by_ref.get(row["parent"]) if row["parent"] else None
            if activity.parent_id != (parent.pk if parent else None):
                activity.parent = parent
                activity.save(update_fields=["parent"])
    return created, updated
