"""Who may do what with plans, activities and follow-up rounds (django-rules, §2 of issue 5).

Every permission is checked against an object (a Plan, Activity, DepartmentReport, Proposal or
FollowUpRound), so the municipality is always part of the check: a coordinator of one
municipality cannot touch another's plan. Each object has `municipality`; activities and
department reports have `department_id` for `in_department`.
"""

import rules

from lagesbild.accounts.rules import (
    in_department,
    in_municipality,
    is_coordinator,
    is_department_rep,
    is_partner,
    is_staff_member,
)

coordinator_here = is_coordinator & in_municipality
own_department = is_department_rep & in_department

# Reading what is not public (dashboards, activities with their contact persons, exports,
# follow-up reports): the municipality's own people, not partners (is_staff_member).
rules.add_perm("plan.view_plan", is_staff_member & in_municipality)

# The plan itself, its rounds, imports and proposals' review: the coordinator.
rules.add_perm("plan.add_plan", coordinator_here)  # obj: the Policy
rules.add_perm("plan.change_plan", coordinator_here)
rules.add_perm("plan.add_activity", coordinator_here)  # obj: the Plan
rules.add_perm("plan.import_activities", coordinator_here)  # obj: the Plan
rules.add_perm("plan.open_round", coordinator_here)  # obj: the Plan
rules.add_perm("plan.close_round", coordinator_here)  # obj: the FollowUpRound
rules.add_perm("plan.review_round", coordinator_here)  # obj: the FollowUpRound
rules.add_perm("plan.review_proposal", coordinator_here)  # obj: the Proposal
rules.add_perm("plan.delete_activity", coordinator_here)

# A department representative works on her own department's activities and reports.
rules.add_perm("plan.change_activity", coordinator_here | own_department)
rules.add_perm("plan.add_timelineentry", coordinator_here | own_department)  # obj: Activity
rules.add_perm("plan.submit_report", coordinator_here | own_department)  # obj: DepartmentReport


@rules.predicate
def is_published(user, plan):
    return plan is not None and plan.published


# Partners (civil society, businesses) propose activities to a published plan of their
# municipality (the one they can read); the coordinator to any of hers.
rules.add_perm(
    "plan.propose_activity", coordinator_here | (is_partner & in_municipality & is_published)
)


@rules.predicate
def is_asked_partner(user, contribution):
    return contribution is not None and contribution.partner_id == user.pk


# A partner writes her organisation's part of a round she was asked for; the coordinator asks
# and reads (obj: the PartnerContribution; asking: the FollowUpRound, plan.review_round).
rules.add_perm("plan.write_contribution", is_partner & in_municipality & is_asked_partner)
rules.add_perm("plan.read_contribution", coordinator_here | (is_partner & is_asked_partner))
