"""Disclosure control for values about small groups (röjandekontroll). Pure Python, no Django.

The rule, as SCB applies it to shares: a share is shown only where the group has more than 20
people, more than 5 of them have the property, and more than 5 do not (otherwise the few
*without* the property could be told: 19 of 21 employed reveals the 2 who are not). A count of
people is shown only where it is 0 or more than 5. Otherwise the report says "skyddad".

The rule needs a real group size, so it applies only where the product itself holds one
(`count`: SCB's counts, a local file's group size). Kolada's and SCB's published values have
already been through the producer's own disclosure control (an empty value with a status), and
Kolada's `count` is the number of member municipalities behind a value, not a group size: such
values carry no count here and pass unchanged.
"""

from dataclasses import replace

MIN_GROUP = 20  # a group of 20 or fewer is not shown
MIN_WITH_PROPERTY = 5  # 5 or fewer with (or without) the property is not shown
PROTECTED = "skyddad"
SHARE_UNITS = ("procent", "%", "andel")
PEOPLE_UNITS = ("antal", "personer")


def is_protected(group_size, with_property):
    """True when a share must be hidden; an unknown size (None) is not judged here."""
    if group_size is None:
        return with_property is not None and with_property <= MIN_WITH_PROPERTY
    if group_size <= MIN_GROUP:
        return True
    if with_property is None:
        return False
    return with_property <= MIN_WITH_PROPERTY or group_size - with_property <= MIN_WITH_PROPERTY


def protect_share(observation):
    """The observation, or a copy without its value when the rule hides it.

    A share needs the group's size (`count`); the number with the property is derived from the
    share (percent of count). A count of people with a known group size is hidden when it is
    between 1 and 5. Anything without a count passes unchanged.
    """
    o = observation
    if o.value is None or o.count is None:
        return o
    if o.unit in SHARE_UNITS:
        hidden = is_protected(o.count, round(o.count * o.value / 100))
    elif o.unit in PEOPLE_UNITS:
        hidden = 0 < o.value <= MIN_WITH_PROPERTY
    else:
        hidden = False
    return replace(o, value=None, status=PROTECTED) if hidden else o


def protect(observations):
    return [protect_share(o) for o in observations]
