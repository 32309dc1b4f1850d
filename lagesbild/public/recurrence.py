"""Repeat rules (iCalendar RRULE) of events: the limits checked at input, and a bounded expansion.

dateutil expands a rule by stepping through the calendar period by period until it has the
occurrences asked for. A rule that never matches (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=1`)
makes it step until the year 9999: seconds per request. So a rule is bounded at input
(frequency, list lengths, occurrences, horizon) and every expansion stops after a fixed number
of steps as well, so a rule stored before these limits (or written past them) still renders.
"""

from datetime import timedelta

from dateutil.rrule import rrule, rrulestr
from django.utils.translation import gettext as _

# What a municipality's calendar needs; stated in docs/public.md.
MAX_OCCURRENCES = 500
HORIZON_DAYS = 731  # two years from the first occurrence
MAX_BY_VALUES = 12  # values in one BY* part (BYDAY, BYMONTH, BYHOUR, ...)
ALLOWED_FREQ = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# Days dateutil may look at in one expansion: two years of DAILY plus a YEARLY period with
# room to spare, yet a few milliseconds of work.
MAX_STEPS = 5000


class _OutOfSteps(Exception):
    pass


class _StepCounter(tuple):
    """Stands in for a rule's BYMONTH values (same contents, same meaning).

    dateutil's loop tests `bymonth and ...` once for every day it looks at, matching or not;
    counting those truth tests bounds the loop without touching its logic.
    """

    def __new__(cls, values, steps):
        counter = super().__new__(cls, values or ())
        counter.left = steps
        return counter

    def __bool__(self):
        self.left -= 1
        if self.left < 0:
            raise _OutOfSteps
        return len(self) > 0


def parse(text, dtstart):
    """The rule as a dateutil rrule; ValueError for anything else (e.g. several lines)."""
    try:
        rule = rrulestr(text, dtstart=dtstart)
    except (ValueError, TypeError) as e:
        raise ValueError(str(e)) from e
    if not isinstance(rule, rrule):
        raise ValueError(_("bara en regel (en RRULE) går att ange"))
    return rule


def expand(rule, limit=MAX_OCCURRENCES, until=None, steps=MAX_STEPS):
    """The first `limit` starts of an rrule (none after `until`), and whether the rule ended
    by itself. Never more than `steps` days of dateutil's loop, whatever the rule."""
    rule._bymonth = _StepCounter(rule._bymonth, steps)
    starts = []
    try:
        for start in rule:
            if until is not None and start > until:
                return starts, False
            starts.append(start)
            if len(starts) >= limit:
                return starts, False
    except _OutOfSteps:
        return starts, False
    return starts, True


def rule_parts(text):
    """{"FREQ": "DAILY", "BYDAY": "MO,TU", ...} from the text of a rule."""
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    parts = {}
    for part in text.split(";"):
        name, _sep, value = part.partition("=")
        parts[name.strip().upper()] = value.strip()
    return parts


def form_problem(text):
    """What is wrong with the rule's form (without knowing the event's start), or None."""
    parts = rule_parts(text)
    if parts.get("FREQ", "").upper() not in ALLOWED_FREQ:
        return _(
            "Upprepningen får inte vara tätare än en gång om dagen: FREQ ska vara DAILY, "
            "WEEKLY, MONTHLY eller YEARLY."
        )
    for name, value in parts.items():
        if name.startswith("BY") and len(value.split(",")) > MAX_BY_VALUES:
            return _("%(part)s får ha högst %(n)s värden.") % {"part": name, "n": MAX_BY_VALUES}
    if "COUNT" not in parts and "UNTIL" not in parts:
        return _("Upprepningsregeln måste sluta: ange COUNT eller UNTIL.")
    if "COUNT" in parts and parts["COUNT"].isdigit() and int(parts["COUNT"]) > MAX_OCCURRENCES:
        return _("Högst %(n)s tillfällen (COUNT).") % {"n": MAX_OCCURRENCES}
    return None


def horizon_problem(rule, dtstart):
    """Whether all the rule's occurrences fall within the horizon from dtstart, or None."""
    horizon = dtstart + timedelta(days=HORIZON_DAYS)
    starts, ended = expand(rule, limit=MAX_OCCURRENCES + 1, until=horizon)
    if not starts:
        return _("Upprepningsregeln ger inga tillfällen inom två år från starten.")
    if not ended or len(starts) > MAX_OCCURRENCES:
        return _(
            "Alla tillfällen måste ligga inom två år från starten och vara högst %(n)s: "
            "sluta med COUNT eller med UNTIL senast %(date)s."
        ) % {"n": MAX_OCCURRENCES, "date": horizon.date().isoformat()}
    return None
