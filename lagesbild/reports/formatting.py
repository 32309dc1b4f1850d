"""Swedish number formats for reports: decimal comma, no-break space between thousands.

The symbols come from babel's CLDR data for the locale (so an English report gets "12,345.7");
the rounding is half up on the decimal value, as statistics are published. Formatting itself
is done here because babel's format_decimal re-reads its locale tables on every call, which was
a quarter of the time of building a Lägesbild.
"""

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

MISSING = "uppgift saknas/skyddad"


@cache
def _symbols(locale):
    return get_decimal_symbol(locale), get_group_symbol(locale), get_minus_sign_symbol(locale)


def number(value, decimals=1, locale="sv_SE"):
    """12345.678 -> '12 345,7'; None -> 'uppgift saknas/skyddad'."""
    if value is None:
        return MISSING
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # no "−0,0"
    decimal, group, minus = _symbols(locale)
    text = f"{d:,f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group).replace("-", minus)


def signed(value, decimals=1, locale="sv_SE"):
    """A difference with its sign: +2,5 / −3,0 (a real minus sign, as Swedish typography)."""
    if value is None:
        return MISSING
    text = number(abs(value), decimals, locale)
    if round(value, decimals) == 0:
        return text
    return ("+" if value > 0 else _symbols(locale)[2]) + text


def points(value, decimals=1, locale="sv_SE"):
    """A gap in percentage points: '−3,2 procentenheter'."""
    if value is None:
        return MISSING
    return f"{signed(value, decimals, locale)} procentenheter"
