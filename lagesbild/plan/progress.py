"""The plan's progress by policy area and the dates the coordinator must keep an eye on."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lagesbild.analysis.rollup import Node, rollup, weighted_mean

# How long before a date the dashboard starts to warn.
WARN_DAYS = 90


def activity_progress(activities):
    """{activity pk: rolled-up progress} for all of a plan's activities."""
    return rollup(Node(a.pk, a.parent_id, a.progress, a.rollup_weight) for a in activities)


def by_area(plan):
    """[(area, [(activity, rolled progress, [children…])…], area progress or None)…].

    An area's progress is the weighted mean of the rolled-up progress of its top-level
    activities; sub-activities count through their parent. Activities whose areas are not in
    the current policy version come last, under area None.
    """
    activities = list(plan.activities.select_related("department").order_by("ref"))
    progress = activity_progress(activities)
    children = {}
    for a in activities:
        children.setdefault(a.parent_id, []).append(a)

    def tree(a):
        return (a, progress[a.pk], [tree(c) for c in children.get(a.pk, [])])

    areas = plan.areas()
    known = {area.key for area in areas}
    top = children.get(None, [])
    out = []
    for area in areas:
        items = [tree(a) for a in top if area.key in a.area_keys]
        mean = weighted_mean(
            (progress[a.pk], a.rollup_weight) for a in top if area.key in a.area_keys
        )
        out.append((area, items, mean))
    rest = [tree(a) for a in top if not set(a.area_keys) & known]
    if rest:
        out.append(
            (
                None,
                rest,
                weighted_mean(
                    (progress[a.pk], a.rollup_weight) for a in top if not set(a.area_keys) & known
                ),
            )
        )
    return out


@dataclass(frozen=True)
class Deadline:
    label: str
    date: datetime.date
    level: str  # "passed", "soon" or "ok"
    days_left: int

    @property
    def days_ago(self):
        return -self.days_left


def deadline(label, date, today):
    """How close a date is: passed, soon (within WARN_DAYS) or ok."""
    days = (date - today).days
    level = "passed" if days < 0 else ("soon" if days <= WARN_DAYS else "ok")
    return Deadline(label, date, level, days)


def plan_deadlines(plan, today):
    """The policy's revise-by date and the next Lägesbild, as far as they are known."""
    out = []
    version = plan.policy.current
    if version and version.revise_by:
        # The policy names a year ("revideras senast 2029"): the last day of that year.
        out.append(
            deadline(
                _("Policyn ska revideras senast"), datetime.date(version.revise_by, 12, 31), today
            )
        )
    if plan.lagesbild_due:
        out.append(deadline(_("Nästa lägesbild ska vara klar"), plan.lagesbild_due, today))
    return out
