"""Who may change public content: coordinators of the content's municipality.

Partners propose through the public form like any association; staff approve.
"""

import rules

from lagesbild.accounts.rules import in_municipality, is_coordinator

can_edit = is_coordinator & in_municipality

for _model in ("event", "internshipplace", "meetingplace", "partner", "guideentry"):
    rules.add_perm(f"public.add_{_model}", is_coordinator)
    rules.add_perm(f"public.change_{_model}", can_edit)
    rules.add_perm(f"public.delete_{_model}", can_edit)
    rules.add_perm(f"public.view_{_model}", is_coordinator)
rules.add_perm("public.moderate", can_edit)
# Her municipality's public site (logo, colour, shown or not); only an installation
# administrator removes one.
rules.add_perm("public.add_publicsite", is_coordinator)
rules.add_perm("public.change_publicsite", can_edit)
rules.add_perm("public.view_publicsite", is_coordinator)
rules.add_perm("public.view_moderation_queue", is_coordinator)
