"""Who may do what with collaboration agreements (django-rules; obj: an Agreement, or anything
with `municipality` for adding one).

The municipality's own people (coordinator, department representatives, läsare) read its
agreements with their contact persons, money and documents; only the coordinator (and an
installation admin) writes. Partners read none: there is no link from a partner account to its
organisation yet, so a partner cannot be shown "her" agreements only, and sees none.
Another municipality's agreements are "not found" (the views check that before these rules).
"""

import rules

from lagesbild.accounts.rules import in_municipality, is_coordinator, is_staff_member

coordinator_here = is_coordinator & in_municipality

rules.add_perm("agreements.view_agreement", is_staff_member & in_municipality)
rules.add_perm("agreements.add_agreement", coordinator_here)
rules.add_perm("agreements.change_agreement", coordinator_here)
rules.add_perm("agreements.add_agreementdocument", coordinator_here)  # obj: the Agreement
