"""Role predicates shared by every app's permissions (django-rules).

Apps write their object permissions with these, e.g.
`rules.add_perm("plan.change_activity", is_coordinator | (is_department_rep & in_department))`.
"""

import rules

from .models import Role, role_of


@rules.predicate
def is_coordinator(user):
    return role_of(user) == Role.COORDINATOR


@rules.predicate
def is_department_rep(user):
    return role_of(user) == Role.DEPARTMENT


@rules.predicate
def is_partner(user):
    return role_of(user) == Role.PARTNER


@rules.predicate
def is_staff_member(user):
    """The municipality's own people (coordinator, representative, läsare): may read what is not
    public. A partner is an outside organisation taking part in the plan: she reads what is
    published and her own proposals, not drafts, exports or contact persons (docs/roles.md)."""
    return role_of(user) not in (None, Role.PARTNER)


@rules.predicate
def in_department(user, obj):
    """The object belongs to the user's own department (obj has `department_id`)."""
    if obj is None:
        return False
    profile = getattr(user, "profile", None)
    return bool(profile and profile.department_id and obj.department_id == profile.department_id)


@rules.predicate
def in_municipality(user, obj):
    """The object belongs to the user's municipality (obj has `municipality`); admins see all."""
    if obj is None:
        return True
    if user.is_superuser:
        return True
    profile = getattr(user, "profile", None)
    if profile is None:
        return False
    return not profile.municipality or getattr(obj, "municipality", None) == profile.municipality


rules.add_perm("policy.load_policy", is_coordinator)


@rules.predicate
def is_superuser(user):
    return user.is_superuser


# Accounts: the coordinator manages her own municipality's users and departments; an
# installation admin those of every municipality. obj: a Profile, a Department or anything
# with `municipality` (the municipality a new user or department is created in).
rules.add_perm("accounts.manage_users", is_superuser | (is_coordinator & in_municipality))
