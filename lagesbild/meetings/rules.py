"""Who may see and change working groups and meetings (django-rules).

Every check is made against an object with `municipality` (a WorkingGroup, Meeting or
ActionPoint), so a coordinator of one municipality never reaches another's meetings. Before the
minutes are approved a meeting is seen by the municipality's coordinator and the people invited
to it; after approval by every staff member of the municipality (not partners). The views turn
"not yours to see" into 404 and a partner's or reader's attempt to change into 403.
"""

import rules

from lagesbild.accounts.rules import (
    in_department,
    in_municipality,
    is_coordinator,
    is_department_rep,
    is_staff_member,
)

coordinator_here = is_coordinator & in_municipality
staff_here = is_staff_member & in_municipality


@rules.predicate
def is_invited(user, meeting):
    return meeting is not None and meeting.invited.filter(pk=user.pk).exists()


@rules.predicate
def is_approved(user, meeting):
    return meeting is not None and meeting.is_approved


@rules.predicate
def is_responsible(user, point):
    return point is not None and point.responsible_id == user.pk


rules.add_perm("meetings.view_workinggroup", staff_here)  # obj: the WorkingGroup
rules.add_perm("meetings.change_workinggroup", coordinator_here)  # obj: WorkingGroup, or any
# object with the municipality the new group is created in
rules.add_perm("meetings.add_meeting", coordinator_here)  # obj: the WorkingGroup
rules.add_perm(
    "meetings.view_meeting", coordinator_here | (staff_here & (is_invited | is_approved))
)
rules.add_perm("meetings.change_meeting", coordinator_here)  # agenda, attendance, minutes, ...
# An action point is marked done by the coordinator, the person responsible, or a
# representative of the responsible department.
rules.add_perm(
    "meetings.complete_actionpoint",
    coordinator_here | (staff_here & (is_responsible | (is_department_rep & in_department))),
)
