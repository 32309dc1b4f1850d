"""Coordinators edit their own municipality's civic pages in the admin, nobody else's."""

from django.contrib.auth.models import Permission
from django.test import Client

from lagesbild.accounts.models import Role
from lagesbild.civic.models import CivicPage


def coordinator_client(make_user, municipality):
    user = make_user(Role.COORDINATOR, municipality=municipality)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="civic"))
    client = Client()
    client.force_login(user)
    return client, user


def test_coordinator_of_another_municipality_cannot_see_or_edit(make_page, make_user):
    page = make_page(title="Karlshamns skolsida", municipality="1082")
    client, user = coordinator_client(make_user, "1494")
    assert not user.has_perm("civic.change_civicpage", page)
    assert "Karlshamns skolsida" not in client.get("/admin/civic/civicpage/").content.decode()
    # Another municipality's page is "not found": the admin sends her back to its start page.
    change = f"/admin/civic/civicpage/{page.pk}/change/"
    for response in (
        client.get(change),
        client.post(change, {"title_sv": "Kapad"}),
        client.post(f"/admin/civic/civicpage/{page.pk}/delete/", {"post": "yes"}),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get(f"/admin/civic/civicpage/{page.pk}/history/").status_code == 404
    page.refresh_from_db()
    assert page.title_sv == "Karlshamns skolsida"


def test_coordinator_edits_her_own_page_with_translation_status(make_page, make_user):
    page = make_page(title="Skolplikt", municipality="1082")
    client, user = coordinator_client(make_user, "1082")
    assert user.has_perm("civic.change_civicpage", page)
    url = f"/admin/civic/civicpage/{page.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="title_sv_x_ll"' in html and 'name="tstatus__body__en"' in html
    assert 'name="links-0-url"' in html
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is not None:
            data[name] = value
    data.update(
        {
            "title_en": "Compulsory school",
            "tstatus__title__en": "machine",
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-0-order": "1",
            "links-0-authority": "Skolverket",
            "links-0-title_sv": "Skolverket",
            "links-0-url": "https://www.skolverket.se",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    page.refresh_from_db()
    assert page.title_en == "Compulsory school"
    assert page.translation_state("title", "en") == "machine"
    assert page.links.get().url == "https://www.skolverket.se"
    assert page.history.count() == 2  # created, then changed: kept in the history
    assert CivicPage.objects.get().municipality == "1082"
