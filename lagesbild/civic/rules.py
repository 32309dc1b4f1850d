"""Who may change civic information: as for other public content, coordinators of the page's
municipality (lagesbild.public.rules)."""

import rules

from lagesbild.accounts.rules import in_municipality, is_coordinator

can_edit = is_coordinator & in_municipality

for _model in ("civicpage", "civiclink"):
    rules.add_perm(f"civic.add_{_model}", is_coordinator)
    rules.add_perm(f"civic.change_{_model}", can_edit)
    rules.add_perm(f"civic.delete_{_model}", can_edit)
    rules.add_perm(f"civic.view_{_model}", is_coordinator)
