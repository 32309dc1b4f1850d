"""Swedish number formats in reports."""

from lagesbild.reports.formatting import number, signed, when


def test_decimal_comma_and_thousands():
    assert number(12345.678) == "12\xa0345,7"
    assert number(0.75, 2) == "0,75"
    assert number(3, 0) == "3"


def test_missing_value_is_said_plainly():
    assert number(None) == "uppgift saknas/skyddad"


def test_signed_uses_a_real_minus_sign():
    assert signed(-3.04) == "−3,0"
    assert signed(2.5) == "+2,5"
    assert signed(-0.01) == "0,0"


def test_rounding_is_half_up_on_the_decimal_value():
    assert number(0.35) == "0,4"
    assert number(0.25) == "0,3"
    assert number(-2.55) == "−2,6"
    assert number(-0.01) == "0,0"


def test_english_symbols_come_from_the_locale():
    assert number(12345.678, locale="en") == "12,345.7"


def test_gap_text_is_signed_in_words_foreign_minus_native():
    from lagesbild.reports.formatting import gap_phrase, gap_text

    assert gap_text(63.2, 79.1, "procent") == (
        "utrikes födda 63,2\u00a0%, inrikes födda 79,1\u00a0% – 15,9 procentenheter lägre"
    )
    assert gap_text(12.0, 10.0, "procent") == (
        "utrikes födda 12,0\u00a0%, inrikes födda 10,0\u00a0% – 2,0 procentenheter högre"
    )
    assert gap_phrase(0.04, "procent") == "ingen skillnad"
    assert gap_text(20000.0, 25000.0, "kronor", ratio=0.8) == (
        "utrikes födda 20\u00a0000\u00a0kr, inrikes födda 25\u00a0000\u00a0kr – "
        "5\u00a0000 kr lägre (kvot 0,80)"
    )
    assert gap_text(None, 80.0, "procent") == (
        "utrikes födda uppgift saknas/skyddad, inrikes födda 80,0\u00a0%"
    )


def test_a_stored_utc_time_is_shown_in_swedish_time():
    # Just before midnight UTC in winter it is already the next day in Sweden (UTC+1), and in
    # summer two hours later (UTC+2).
    assert when("2026-12-04T23:36:10+00:00") == "2026-12-05 00:36"
    assert when("2026-07-01T10:00:00+00:00") == "2026-07-01 12:00"
    assert when("2026-12-04T23:36:10") == "2026-12-04 23:36"  # no zone: as written
    assert when("") == "" and when(None) == ""
