import pytest

from lagesbild.accounts.models import Department, Role


@pytest.fixture
def accounts(make_user):
    """Karlshamn (1082) with one user per role, Lidköping's coordinator and an admin."""
    department = Department.objects.create(municipality="1082", name="Utbildningsförvaltningen")
    users = {
        "reader": make_user(Role.READER, username="lasare"),
        "department": make_user(Role.DEPARTMENT, department=department, username="forvaltning"),
        "partner": make_user(Role.PARTNER, username="partner"),
        "coordinator": make_user(Role.COORDINATOR, username="samordnare"),
        "other-coordinator": make_user(Role.COORDINATOR, municipality="1494", username="lidkoping"),
        "admin": make_user("admin", username="admin"),
    }
    for user in users.values():
        user.first_name, user.last_name = user.username.capitalize(), "Testsson"
        user.save()
    return users | {"department_obj": department}
