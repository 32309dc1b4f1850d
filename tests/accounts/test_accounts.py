"""Accounts without the Django admin: invitations, the users and departments pages, password
reset and change (issue #13, item 2)."""

import re

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from lagesbild.accounts.models import Department, Profile, Role

LINK = re.compile(r"(https?://\S+/konto/aktivera/\S+/)")
RESET_LINK = re.compile(r"(https?://\S+/konto/losenord/nytt/\S+/)")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def can_log_in(username, password):
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session


def without_tokens(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def link_in(message, pattern=LINK):
    found = pattern.findall(message.body)
    assert found, message.body
    return found[0]


def relative(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_admin_invites_the_first_coordinator_of_a_municipality_who_activates_and_logs_in(
    accounts, settings
):
    settings.BASE_URL = "https://lagesbild.example.se"
    admin = logged_in(accounts["admin"])
    response = admin.post(
        reverse("accounts:invite"),
        {
            "email": "Vera.Vaxjo@Example.se",
            "first_name": "Vera",
            "last_name": "Växjö",
            "municipality_code": "0780",
            "role": Role.COORDINATOR,
            "new_department": "",
            "organisation": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    user = User.objects.get(email="Vera.Vaxjo@Example.se")
    assert user.username == "vera.vaxjo@example.se"
    assert not user.has_usable_password()
    assert (user.profile.role, user.profile.municipality) == (Role.COORDINATOR, "0780")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Vera.Vaxjo@Example.se"]
    assert "Växjö kommun" in message.body and "has invited you" in message.body
    link = link_in(message)
    assert link.startswith("https://lagesbild.example.se/konto/aktivera/")

    # The users page shows her as waiting for activation.
    page = admin.get(reverse("accounts:users") + "?kommun=0780").content.decode()
    assert "Vera.Vaxjo@Example.se" in page and "väntar på aktivering" in page

    # She follows the link (a fresh browser) and chooses her password.
    browser = Client()
    response = browser.get(relative(link), follow=True)
    assert "Välj ditt lösenord" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = browser.post(
        form_url,
        {"new_password1": "en-lang-fras-2026", "new_password2": "en-lang-fras-2026"},
        follow=True,
    )
    assert "Ditt lösenord är sparat" in response.content.decode()

    # She logs in with her e-mail address, in any case, and is Växjö's coordinator.
    response = browser.post(
        reverse("accounts:login"),
        {"username": "vera.VAXJO@example.se", "password": "en-lang-fras-2026"},
    )
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(user.pk)
    page = browser.get(reverse("accounts:users")).content.decode()
    assert "Användare i Växjö kommun" in page

    # The link works once only.
    again = Client().get(relative(link), follow=True).content.decode()
    assert "Länken fungerar inte" in again
    assert "new_password1" not in again


def test_without_base_url_the_link_comes_from_the_request(accounts, settings):
    settings.BASE_URL = ""
    coordinator = logged_in(accounts["coordinator"])
    coordinator.post(
        reverse("accounts:invite"),
        {"email": "ny@example.se", "first_name": "Ny", "last_name": "Läsare", "role": "reader"},
    )
    assert link_in(mail.outbox[0]).startswith("http://testserver/konto/aktivera/")


def test_coordinator_invites_a_reader_and_a_representative_with_a_new_department(accounts):
    coordinator = logged_in(accounts["coordinator"])
    response = coordinator.post(
        reverse("accounts:invite"),
        {"email": "lars@example.se", "first_name": "Lars", "last_name": "L", "role": "reader"},
    )
    assert response.status_code == 302
    response = coordinator.post(
        reverse("accounts:invite"),
        {
            "email": "rita@example.se",
            "first_name": "Rita",
            "last_name": "Representant",
            "role": Role.DEPARTMENT,
            "new_department": "Samhällsbyggnadsförvaltningen",
            # a kommunkod sent by a coordinator is ignored: she invites to her own
            "municipality_code": "1494",
        },
    )
    assert response.status_code == 302
    rita = Profile.objects.get(user__email="rita@example.se")
    assert (rita.role, rita.municipality) == (Role.DEPARTMENT, "1082")
    assert rita.department == Department.objects.get(
        municipality="1082", name="Samhällsbyggnadsförvaltningen"
    )
    assert Profile.objects.get(user__email="lars@example.se").municipality == "1082"
    assert [m.to for m in mail.outbox] == [["lars@example.se"], ["rita@example.se"]]
    page = coordinator.get(reverse("accounts:users")).content.decode()
    assert "Rita Representant" in page and "Samhällsbyggnadsförvaltningen" in page
    # Invited coordinators administer content in the admin like the demo's; others do not.
    assert not User.objects.get(email="rita@example.se").is_staff


def test_invitation_errors_are_shown_next_to_the_field_and_nothing_is_saved(accounts):
    admin = logged_in(accounts["admin"])
    before = (User.objects.count(), Profile.objects.count(), Department.objects.count())
    response = admin.post(
        reverse("accounts:invite"),
        {
            "email": "SAMORDNARE@example.invalid",  # the coordinator's, in other case
            "first_name": "X",
            "last_name": "Y",
            "municipality_code": "9999",
            "role": Role.DEPARTMENT,
            "new_department": "Ny förvaltning",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(
        r'id="id_email_errors">.*Det finns redan en användare med e-postadressen', page, re.S
    )
    assert re.search(r'id="id_municipality_code_errors">.*9999 är inte en kommunkod', page, re.S)
    assert (User.objects.count(), Profile.objects.count(), Department.objects.count()) == before
    assert mail.outbox == []

    coordinator = logged_in(accounts["coordinator"])
    page = coordinator.post(
        reverse("accounts:invite"),
        {"email": "a@example.se", "first_name": "A", "last_name": "B", "role": "partner"},
    ).content.decode()
    assert re.search(r'id="id_organisation_errors">.*Skriv partnerns organisation', page, re.S)
    page = coordinator.post(
        reverse("accounts:invite"),
        {"email": "a@example.se", "first_name": "A", "last_name": "B", "role": "department"},
    ).content.decode()
    assert re.search(r'id="id_department_errors">.*behöver en förvaltning', page, re.S)
    page = coordinator.post(
        reverse("accounts:invite"),
        {"email": "inte-en-adress", "first_name": "", "last_name": "B", "role": "boss"},
    ).content.decode()
    for field in ("email", "first_name", "role"):
        assert f'id="id_{field}_errors"' in page, field
    assert User.objects.count() == before[0]


def test_users_page_rejects_a_bad_kommunkod_next_to_the_field(accounts):
    admin = logged_in(accounts["admin"])
    page = admin.get(reverse("accounts:users") + "?kommun=12ab").content.decode()
    assert re.search(r'id="id_kommun_errors">.*12ab är inte en kommunkod', page, re.S)
    page = admin.get(reverse("accounts:users") + "?kommun=1494").content.decode()
    assert "lidkoping@example.invalid" in page and "lasare@example.invalid" not in page


def test_deactivating_a_user_blocks_her_login(accounts):
    coordinator = logged_in(accounts["coordinator"])
    reader = accounts["reader"]
    assert can_log_in("lasare", "pw-test-12345")
    response = coordinator.post(
        reverse("accounts:user_edit", args=[reader.pk]),
        {"role": "reader", "organisation": "", "new_department": ""},  # is_active unticked
    )
    assert response.status_code == 302
    reader.refresh_from_db()
    assert not reader.is_active
    assert User.objects.filter(pk=reader.pk).exists()  # never deleted
    response = Client().post(
        reverse("accounts:login"), {"username": "lasare", "password": "pw-test-12345"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in response.wsgi_request.session
    page = coordinator.get(reverse("accounts:users")).content.decode()
    assert "avstängd" in page


def test_coordinator_changes_role_and_department(accounts):
    coordinator = logged_in(accounts["coordinator"])
    partner = accounts["partner"]
    response = coordinator.post(
        reverse("accounts:user_edit", args=[partner.pk]),
        {
            "role": "department",
            "department": accounts["department_obj"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    partner.profile.refresh_from_db()
    assert partner.profile.role == Role.DEPARTMENT
    assert partner.profile.department == accounts["department_obj"]


def test_coordinator_cannot_deactivate_herself_or_drop_her_own_role(accounts):
    me = accounts["coordinator"]
    coordinator = logged_in(me)
    page = coordinator.post(
        reverse("accounts:user_edit", args=[me.pk]), {"role": "reader"}
    ).content.decode()
    assert re.search(
        r'id="id_is_active_errors">.*Du kan inte stänga av ditt eget konto', page, re.S
    )
    assert re.search(r'id="id_role_errors">.*Du kan inte ta bort din egen roll', page, re.S)
    me.refresh_from_db()
    assert me.is_active and me.profile.role == Role.COORDINATOR


def test_a_department_of_another_municipality_is_refused_on_the_edit_form(accounts):
    other_department = Department.objects.create(municipality="1494", name="Sektor bildning")
    coordinator = logged_in(accounts["coordinator"])
    reader = accounts["reader"]
    page = coordinator.post(
        reverse("accounts:user_edit", args=[reader.pk]),
        {"role": "reader", "department": other_department.pk, "is_active": "on"},
    ).content.decode()
    assert 'id="id_department_errors"' in page
    reader.profile.refresh_from_db()
    assert reader.profile.department is None


def test_resending_an_invitation_makes_the_old_link_invalid(accounts):
    coordinator = logged_in(accounts["coordinator"])
    coordinator.post(
        reverse("accounts:invite"),
        {"email": "pia@example.se", "first_name": "Pia", "last_name": "P", "role": "reader"},
    )
    pia = User.objects.get(email="pia@example.se")
    page = coordinator.get(reverse("accounts:user_edit", args=[pia.pk])).content.decode()
    assert "Skicka inbjudan igen" in page
    coordinator.post(reverse("accounts:user_resend", args=[pia.pk]))
    assert len(mail.outbox) == 2
    old, new = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    assert "Länken fungerar inte" in Client().get(relative(old), follow=True).content.decode()
    assert "new_password1" in Client().get(relative(new), follow=True).content.decode()


def test_departments_are_added_and_renamed_with_field_errors(accounts):
    coordinator = logged_in(accounts["coordinator"])
    url = reverse("accounts:departments")
    assert coordinator.post(url, {"name": "Socialförvaltningen"}).status_code == 302
    assert Department.objects.filter(municipality="1082", name="Socialförvaltningen").exists()
    response = coordinator.post(url, {"name": "socialförvaltningen"})
    assert response.status_code == 400
    assert re.search(
        r'id="id_name_errors">.*Det finns redan en förvaltning', response.content.decode(), re.S
    )
    assert Department.objects.filter(municipality="1082").count() == 2
    department = accounts["department_obj"]
    edit = reverse("accounts:department_edit", args=[department.pk])
    assert coordinator.post(edit, {"name": "Utbildning", "short_name": "UF"}).status_code == 302
    department.refresh_from_db()
    assert (department.name, department.short_name, department.municipality) == (
        "Utbildning",
        "UF",
        "1082",
    )
    page = coordinator.get(url).content.decode()
    assert "Utbildning" in page and "Socialförvaltningen" in page


def test_password_reset_gives_the_same_page_and_mails_only_a_known_address(accounts, settings):
    settings.BASE_URL = "https://lagesbild.example.se/"
    client = Client()
    login_page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:password_reset") in login_page and "Glömt lösenordet?" in login_page

    known = client.post(
        reverse("accounts:password_reset"), {"email": "LASARE@example.invalid"}, follow=True
    )
    unknown = client.post(
        reverse("accounts:password_reset"), {"email": "ingen@example.invalid"}, follow=True
    )
    assert known.redirect_chain == unknown.redirect_chain
    assert without_tokens(known) == without_tokens(unknown)
    assert "Om adressen finns" in known.content.decode()
    assert [m.to for m in mail.outbox] == [["lasare@example.invalid"]]

    link = link_in(mail.outbox[0], RESET_LINK)
    assert link.startswith("https://lagesbild.example.se/konto/losenord/nytt/")
    response = client.get(relative(link), follow=True)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "nytt-lang-losen-9", "new_password2": "nytt-lang-losen-9"},
        follow=True,
    )
    assert "Lösenordet är sparat" in response.content.decode()
    assert can_log_in("lasare", "nytt-lang-losen-9")


def test_every_user_changes_her_own_password(accounts):
    partner = logged_in(accounts["partner"])
    url = reverse("accounts:password_change")
    page = partner.post(
        url,
        {"old_password": "fel", "new_password1": "x", "new_password2": "y"},
    ).content.decode()
    assert 'id="id_old_password_errors"' in page and 'id="id_new_password2_errors"' in page
    response = partner.post(
        url,
        {
            "old_password": "pw-test-12345",
            "new_password1": "ett-nytt-losen-77",
            "new_password2": "ett-nytt-losen-77",
        },
    )
    assert response.status_code == 302
    assert can_log_in("partner", "ett-nytt-losen-77")
    assert Client().get(url).status_code == 302  # anonymous: to the log-in page


def test_failed_logins_are_still_throttled(accounts, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "lasare", "password": "fel"})
    response = client.post(
        reverse("accounts:login"), {"username": "lasare", "password": "pw-test-12345"}
    )
    assert response.status_code == 429
    assert "Inloggningen är tillfälligt spärrad" in response.content.decode()


def test_with_single_sign_on_invitations_send_no_password_link(accounts, settings, monkeypatch):
    from lagesbild.ops import oidc

    issuer = "https://idp.example.invalid"
    settings.OIDC_ISSUER = issuer
    endpoints = {key: f"{issuer}/{key}" for key in oidc.ENDPOINTS.values()}
    monkeypatch.setitem(oidc._discovered, issuer, {"issuer": issuer, **endpoints})
    coordinator = logged_in(accounts["coordinator"])
    page = coordinator.get(reverse("accounts:users")).content.decode()
    assert "roll" in page and "identitetsleverantören" in page
    coordinator.post(
        reverse("accounts:invite"),
        {"email": "sso@example.se", "first_name": "S", "last_name": "O", "role": "reader"},
    )
    body = mail.outbox[0].body
    assert "organisations inloggning" in body and "/konto/aktivera/" not in body
    assert "http://testserver/konto/logga-in/" in body
