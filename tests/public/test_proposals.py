"""Proposals: nothing is public before staff approve it; spam and bad input are handled."""

import pytest
from django.test import Client

from lagesbild.accounts.models import Role
from lagesbild.public.models import Event, InternshipPlace, Moderation


def event_form(**changes):
    data = {
        "municipality": "1082",
        "organisation": "IF Exempel",
        "email": "styrelsen@example.invalid",
        "title": "Fotboll för unga",
        "description": "Träning varje vecka.",
        "start": "2030-06-01T17:00",
        "end": "2030-06-01T18:30",
        "address": "Planen, Testgatan 3",
        "languages": ["sv", "ar"],
        "target_group": "youth",
        "cost": "",
        "accessibility": "",
        "homepage": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def karlshamn_policy(db):
    # The proposal form offers the municipalities that use the installation.
    from lagesbild.policy.models import Policy

    Policy.objects.create(
        slug="k", municipality="1082", municipality_name="Karlshamns kommun", title="Test"
    )


@pytest.fixture
def proposed(client, karlshamn_policy):
    response = client.post("/karlshamn/foresla/evenemang/", event_form())
    assert response.status_code == 302
    return Event.objects.get(title_sv="Fotboll för unga")


CALENDAR = "/karlshamn/aktuellt/?fran=2030-06-01&till=2030-06-30"


def test_proposal_is_stored_pending_and_never_public(client, proposed):
    assert proposed.status == Moderation.PENDING
    assert proposed.languages == "sv,ar"
    assert "Fotboll för unga" not in client.get(CALENDAR).content.decode()
    assert client.get(f"/karlshamn/evenemang/{proposed.pk}/").status_code == 404
    assert b"Fotboll" not in client.get("/karlshamn/kalender.ics").content
    assert "Fotboll" not in client.get("/ar/karlshamn/aktuellt/?fran=2030-06-01").content.decode()


def test_coordinator_approves_and_then_it_is_public(client, proposed, make_user):
    staff = Client()
    staff.force_login(make_user(Role.COORDINATOR, municipality="1082"))
    queue = staff.get("/aktuellt/moderering/").content.decode()
    assert "Fotboll för unga" in queue
    assert "styrelsen@example.invalid" in queue
    # The resident's calendar was cached before approval; approval must show at once.
    assert "Fotboll för unga" not in client.get(CALENDAR).content.decode()
    response = staff.post(f"/aktuellt/moderering/evenemang/{proposed.pk}/", {"decision": "publish"})
    assert response.status_code == 302
    assert "Fotboll för unga" in client.get(CALENDAR).content.decode()
    assert client.get(f"/karlshamn/evenemang/{proposed.pk}/").status_code == 200
    # The proposer's e-mail is never on the public page.
    assert "styrelsen@" not in client.get(f"/karlshamn/evenemang/{proposed.pk}/").content.decode()


def test_rejected_proposal_stays_hidden(client, proposed, make_user):
    staff = Client()
    staff.force_login(make_user(Role.COORDINATOR))
    staff.post(f"/aktuellt/moderering/evenemang/{proposed.pk}/", {"decision": "reject"})
    proposed.refresh_from_db()
    assert proposed.status == Moderation.REJECTED
    assert client.get(f"/karlshamn/evenemang/{proposed.pk}/").status_code == 404


@pytest.mark.parametrize(
    "role,municipality",
    [
        (Role.PARTNER, "1082"),
        (Role.READER, "1082"),
        (Role.DEPARTMENT, "1082"),
        (Role.COORDINATOR, "1494"),  # another municipality's coordinator
    ],
)
def test_only_the_municipalitys_coordinator_may_approve(proposed, make_user, role, municipality):
    other = Client()
    other.force_login(make_user(role, municipality=municipality))
    response = other.post(f"/aktuellt/moderering/evenemang/{proposed.pk}/", {"decision": "publish"})
    assert response.status_code == 403
    proposed.refresh_from_db()
    assert proposed.status == Moderation.PENDING


def test_anonymous_visitor_is_sent_to_login_for_the_queue(client, proposed):
    response = client.post(
        f"/aktuellt/moderering/evenemang/{proposed.pk}/", {"decision": "publish"}
    )
    assert response.status_code == 302 and "/konto/" in response["Location"]
    proposed.refresh_from_db()
    assert proposed.status == Moderation.PENDING


def test_proposal_form_requires_a_csrf_token(karlshamn_policy):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/karlshamn/foresla/evenemang/", event_form())
    assert response.status_code == 403
    assert not Event.objects.exists()


def test_filled_honeypot_stores_nothing_but_looks_accepted(client, karlshamn_policy):
    response = client.post(
        "/karlshamn/foresla/evenemang/", event_form(homepage="http://spam.example")
    )
    assert response.status_code == 302 and response["Location"].endswith("/foresla/tack/")
    assert not Event.objects.exists()


def test_honeypot_is_hidden_from_people_and_screen_readers(client, karlshamn_policy):
    html = client.get("/karlshamn/foresla/evenemang/").content.decode()
    assert '<div class="hp-field" aria-hidden="true">' in html
    assert 'name="homepage"' in html and 'tabindex="-1"' in html


def test_rate_limit_answers_429_with_a_message(client, karlshamn_policy, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "form": (3, 3600)}
    for n in range(3):
        assert (
            client.post("/karlshamn/foresla/evenemang/", event_form(title=f"E{n}")).status_code
            == 302
        )
    response = client.post("/ar/karlshamn/foresla/evenemang/", event_form(title="En för mycket"))
    assert response.status_code == 429
    # The message is in the reader's language, on the page with the form still filled in.
    html = response.content.decode()
    assert "انتظر قليلًا وحاول مرة أخرى" in html
    assert int(response["Retry-After"]) > 0
    assert 'value="En för mycket"' in html
    assert Event.objects.count() == 3
    # Another address is not affected.
    other = client.post(
        "/karlshamn/foresla/evenemang/", event_form(title="Annan"), REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 302


def test_honeypot_and_rate_limit_leave_screen_reader_users_a_plain_form(client, karlshamn_policy):
    # No CAPTCHA, no image, no script: every visible field has a label.
    html = client.get("/karlshamn/foresla/evenemang/").content.decode()
    assert "captcha" not in html.lower() and "<img" not in html and "<script" not in html


def test_bad_input_names_the_field_and_stores_nothing(client, karlshamn_policy):
    response = client.post(
        "/karlshamn/foresla/evenemang/",
        event_form(start="2030-06-01T17:00", end="2030-06-01T16:00", email="inte-en-adress"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Slutar</a>: Slutet måste komma efter början." in html
    assert "E-post för frågor om förslaget</a>: Skriv en giltig e-postadress." in html
    assert not Event.objects.exists()


def test_bad_input_message_is_in_the_readers_language(client, karlshamn_policy):
    response = client.post("/so/karlshamn/foresla/evenemang/", event_form(title=""))
    assert response.status_code == 400
    assert "Magaca dhacdada</a>: Buuxi meeshan." in response.content.decode()


def test_internship_proposal_is_pending_until_approved(client, karlshamn_policy, make_user):
    data = {
        "municipality": "1082",
        "organisation": "Exempelbygg AB",
        "email": "hr@example.invalid",
        "title": "Praktik som snickare",
        "field": "Bygg",
        "description": "Praktik på bygget.",
        "requirements": "",
        "swedish_level": "basic",
        "period_start": "2030-01-10",
        "period_end": "2030-03-10",
        "contact": "info@example.invalid",
        "homepage": "",
    }
    assert client.post("/karlshamn/foresla/praktikplats/", data).status_code == 302
    place = InternshipPlace.objects.get()
    assert "Praktik som snickare" not in client.get("/karlshamn/praktikplatser/").content.decode()
    staff = Client()
    staff.force_login(make_user(Role.COORDINATOR))
    staff.post(f"/aktuellt/moderering/praktikplats/{place.pk}/", {"decision": "publish"})
    assert "Praktik som snickare" in client.get("/karlshamn/praktikplatser/").content.decode()
