"""Who may edit a policy in the browser: the coordinator of its municipality, and superusers.

obj is anything with `municipality` (a Policy, a PolicyDraft, or the municipality a new policy
is started in). Unlike accounts' in_municipality, a coordinator without a municipality edits
nothing: the municipality must be hers.
"""

import rules

from lagesbild.accounts.rules import is_coordinator, is_superuser


@rules.predicate
def own_municipality(user, obj):
    if obj is None:
        return False
    profile = getattr(user, "profile", None)
    code = getattr(profile, "municipality", "") if profile else ""
    return bool(code) and getattr(obj, "municipality", None) == code


rules.add_perm("policy.change_policy", is_superuser | (is_coordinator & own_municipality))
