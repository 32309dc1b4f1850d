"""The role predicates every app's permissions are built from (lagesbild/accounts/rules.py),
each branch with a known answer; found by the mutation run (bench/mutate.py)."""

from types import SimpleNamespace

import pytest

from lagesbild.accounts.models import Role
from lagesbild.accounts.rules import in_department, in_municipality

pytestmark = pytest.mark.django_db


def thing(municipality="1082", department_id=None):
    return SimpleNamespace(municipality=municipality, department_id=department_id)


def test_in_municipality_compares_the_objects_municipality_with_the_users(make_user):
    coordinator = make_user(Role.COORDINATOR, municipality="1082")
    assert in_municipality.test(coordinator, thing("1082"))
    assert not in_municipality.test(coordinator, thing("0780"))
    # Without an object the question is "may she at all": the role decides.
    assert in_municipality.test(coordinator, None)


def test_in_municipality_lets_admins_act_in_every_municipality(make_user):
    assert in_municipality.test(make_user("admin"), thing("0780"))


def test_in_municipality_refuses_a_user_without_a_profile(django_user_model):
    user = django_user_model.objects.create_user("ingen-profil", password="pw-test-12345")
    assert not in_municipality.test(user, thing("1082"))


def test_in_department_needs_the_users_own_department(make_user):
    rep = make_user(Role.DEPARTMENT, department="Socialförvaltningen")
    own = rep.profile.department_id
    assert in_department.test(rep, thing(department_id=own))
    assert not in_department.test(rep, thing(department_id=own + 1))
    # Without an object there is no department to own.
    assert not in_department.test(rep, None)


def test_permissions_without_an_object_follow_the_role(make_user):
    coordinator = make_user(Role.COORDINATOR)
    rep = make_user(Role.DEPARTMENT, department="Socialförvaltningen")
    reader = make_user(Role.READER)
    assert coordinator.has_perm("accounts.manage_users")
    assert coordinator.has_perm("stats.refresh_statistics")
    assert not rep.has_perm("plan.change_activity")  # only her own department's, with an object
    assert not reader.has_perm("accounts.manage_users")
    assert not reader.has_perm("stats.refresh_statistics")
    assert reader.has_perm("reports.view_draft")


def test_a_partner_reads_nothing_that_is_not_public(make_user):
    # Before, is_staff_member was "any role", so partners read drafts, exports and contacts.
    partner = make_user(Role.PARTNER)
    reader = make_user(Role.READER)
    for perm in ("reports.view_draft", "plan.view_plan", "stats.view_statistics"):
        assert not partner.has_perm(perm), perm
        assert reader.has_perm(perm), perm
