"""Who may do what with the Lägesbild (django-rules, auto-discovered).

Objects: a Policy (drafts, publishing, analyses), an Experience (editing one text).
Published Lägesbilder are public documents and need no permission to read.
"""

import rules

from lagesbild.accounts.rules import (
    in_department,
    in_municipality,
    is_coordinator,
    is_department_rep,
    is_staff_member,
)

# Read the draft (preview) of the municipality's Lägesbild.
rules.add_perm("reports.view_draft", is_staff_member & in_municipality)
# Write a new "beprövad erfarenhet" text (for the policy's municipality).
rules.add_perm("reports.write_experience", (is_coordinator | is_department_rep) & in_municipality)
# Change an existing text: the coordinator, or a representative of the text's own department.
rules.add_perm(
    "reports.edit_experience",
    in_municipality & (is_coordinator | (is_department_rep & in_department)),
)
rules.add_perm("reports.write_analysis", is_coordinator & in_municipality)
rules.add_perm("reports.publish", is_coordinator & in_municipality)
