"""Disclosure control for shares (röjandekontroll). Pure Python, no Django.

SCB's rule: a share is published only where the group is more than 20 people and more than 5
of them have the property. Otherwise the report says "uppgift saknas/skyddad".
"""

from dataclasses import replace

MIN_GROUP = 20  # a group of 20 or fewer is not shown
MIN_WITH_PROPERTY = 5  # 5 or fewer with the property is not shown
PROTECTED = "skyddad"


def is_protected(group_size, with_property):
    """True when the share must be hidden; an unknown size (None) is not judged here."""
    if group_size is not None and group_size <= MIN_GROUP:
        return True
    return with_property is not None and with_property <= MIN_WITH_PROPERTY


def protect_share(observation):
    """The observation, or a copy without its value when the rule hides it.

    Needs the group's size (`count`); the number with the property is derived from the share
    (percent of count). Observations that are not shares, or carry no count, pass unchanged.
    """
    o = observation
    if o.value is None or o.count is None or o.unit not in ("procent", "%", "andel"):
        return o
    with_property = round(o.count * o.value / 100)
    if is_protected(o.count, with_property):
        return replace(o, value=None, status=PROTECTED)
    return o


def protect(observations):
    return [protect_share(o) for o in observations]
