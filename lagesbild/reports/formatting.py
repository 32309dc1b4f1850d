"""Swedish number formats for reports: decimal comma, no-break space between thousands.

The symbols come from babel's CLDR data for the locale (so an English report gets "12,345.7");
the rounding is half up on the decimal value, as statistics are published. Formatting itself
is done here because babel's format_decimal re-reads its locale tables on every call, which was
a quarter of the time of building a Lägesbild.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from zoneinfo import ZoneInfo

from babel.numbers import get_decimal_symbol, get_group_symbol, get_minus_sign_symbol

MISSING = "uppgift saknas/skyddad"
# Times stored in a snapshot are UTC; a Swedish reader reads them in Swedish time, as every
# page of the product shows them (settings.TIME_ZONE).
READER_ZONE = ZoneInfo("Europe/Stockholm")


def when(iso):
    """'2026-12-04T23:36:10+00:00' -> '2026-12-05 00:36' in Swedish time; a time without a
    zone, or text that is no time, is shown as it is written (to the minute)."""
    try:
        moment = datetime.datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return (iso or "")[:16].replace("T", " ")
    if moment.tzinfo is not None:
        moment = moment.astimezone(READER_ZONE)
    return moment.strftime("%Y-%m-%d %H:%M")


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


# --- values and gaps in words: one convention for every report, the API and the exports ----

# unit -> (after a value, unit of a difference, decimals)
UNITS = {
    "procent": ("%", "procentenheter", 1),
    "antal": ("", "", 0),
    "dagar": ("dagar", "dagar", 1),
    "kronor": ("kr", "kr", 0),
}


def unit_words(unit):
    """(after a value, unit of a difference, decimals) for a catalogue unit."""
    return UNITS.get(unit, (unit, unit, 1))


def amount(value, unit):
    """A value with its unit: '63,2 %', '1 204', '24,1 dagar'."""
    after, _, decimals = unit_words(unit)
    text = number(value, decimals)
    return f"{text}\u00a0{after}" if after and value is not None else text


def gap_phrase(points, unit, decimals=None):
    """The signed gap (foreign − native) in words: '15,9 procentenheter lägre'."""
    if points is None:
        return MISSING
    _, diff, default = unit_words(unit)
    decimals = default if decimals is None else decimals
    if Decimal(str(abs(points))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP) == 0:
        return "ingen skillnad"
    size = number(abs(points), decimals)
    word = "lägre" if points < 0 else "högre"
    return f"{size} {diff} {word}" if diff else f"{size} {word}"


def gap_text(foreign, native, unit, points=None, ratio=None):
    """'utrikes födda 63,2 %, inrikes födda 79,1 % – 15,9 procentenheter lägre'.

    The sign convention everywhere: the gap is utrikes födda minus inrikes födda, and the
    words say whether the foreign-born value is lower or higher. The ratio (foreign / native)
    follows for units where a ratio helps (money, days, counts), not for shares.
    """
    if points is None and foreign is not None and native is not None:
        points = foreign - native
    text = f"utrikes födda {amount(foreign, unit)}, inrikes födda {amount(native, unit)}"
    if points is None:
        return text
    text += f" – {gap_phrase(points, unit)}"
    if ratio is not None and unit != "procent":
        text += f" (kvot {number(ratio, 2)})"
    return text
