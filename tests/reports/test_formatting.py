"""Swedish number formats in reports."""

from lagesbild.reports.formatting import number, points, signed


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
    assert points(-1.25, 2) == "−1,25 procentenheter"


def test_rounding_is_half_up_on_the_decimal_value():
    assert number(0.35) == "0,4"
    assert number(0.25) == "0,3"
    assert number(-2.55) == "−2,6"
    assert number(-0.01) == "0,0"


def test_english_symbols_come_from_the_locale():
    assert number(12345.678, locale="en") == "12,345.7"
