"""The coordinator's inbox: only her own municipality's offers; answer, reject, accept."""

import pytest
from django.core import mail
from django.test import Client

from lagesbild.accounts.models import Role
from lagesbild.offers.models import Offer, OfferReply
from lagesbild.public.models import Event, InternshipPlace, MeetingPlace, Moderation, Partner


@pytest.fixture
def offer(make_offer, sites):
    return make_offer()


def logged_in(make_user, role, municipality="1082"):
    client = Client()
    client.force_login(make_user(role, municipality=municipality))
    return client


@pytest.fixture
def coordinator(make_user):
    return logged_in(make_user, Role.COORDINATOR)


def test_coordinator_sees_her_offers_with_contact_details(coordinator, offer):
    inbox = coordinator.get("/inkorg/")
    assert inbox.status_code == 200
    assert f'href="/inkorg/{offer.pk}/"' in inbox.content.decode()
    detail = coordinator.get(f"/inkorg/{offer.pk}/").content.decode()
    assert "kim@example.invalid" in detail and "Kim Kontakt" in detail
    assert "0454-123 45" in detail and "Jag samtycker." in detail


def test_another_municipalitys_coordinator_never_sees_the_offer(make_user, offer, make_offer):
    lidkoping = logged_in(make_user, Role.COORDINATOR, "1494")
    own = make_offer(municipality="1494", organisation="Lidköpings språkcafé")
    inbox = lidkoping.get("/inkorg/").content.decode()
    assert "Lidköpings språkcafé" in inbox
    assert "Exempelbygg AB" not in inbox and f"/inkorg/{offer.pk}/" not in inbox
    assert lidkoping.get(f"/inkorg/{offer.pk}/").status_code == 404
    for action in ("svara/", "avvisa/", "anta/partner/"):
        response = lidkoping.post(
            f"/inkorg/{offer.pk}/{action}",
            {"svar-text": "Hej", "partner-name": "X"},
        )
        assert response.status_code == 404, action
    offer.refresh_from_db()
    assert offer.status == Offer.Status.NEW and not Partner.objects.exists()
    assert not mail.outbox and not OfferReply.objects.exists()
    assert lidkoping.get(f"/inkorg/{own.pk}/").status_code == 200


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.PARTNER, Role.READER])
def test_other_roles_are_refused(make_user, offer, role):
    other = logged_in(make_user, role)
    assert other.get("/inkorg/").status_code == 403
    assert other.get(f"/inkorg/{offer.pk}/").status_code == 403
    assert other.post(f"/inkorg/{offer.pk}/avvisa/").status_code == 403
    offer.refresh_from_db()
    assert offer.status == Offer.Status.NEW


def test_anonymous_visitor_is_sent_to_login(client, offer):
    response = client.get(f"/inkorg/{offer.pk}/")
    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_answer_sends_one_mail_to_the_offerer_and_is_kept(coordinator, offer, settings):
    settings.DEFAULT_FROM_EMAIL = "integration@karlshamn.example"
    response = coordinator.post(
        f"/inkorg/{offer.pk}/svara/", {"svar-text": "Tack! Vi ringer dig nästa vecka."}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["kim@example.invalid"] and sent.from_email == settings.DEFAULT_FROM_EMAIL
    assert sent.body == "Tack! Vi ringer dig nästa vecka."
    assert "Karlshamns kommun" in sent.subject
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ANSWERED
    page = coordinator.get(f"/inkorg/{offer.pk}/").content.decode()
    assert "Tack! Vi ringer dig nästa vecka." in page


def test_empty_answer_sends_nothing(coordinator, offer):
    response = coordinator.post(f"/inkorg/{offer.pk}/svara/", {"svar-text": ""})
    assert response.status_code == 400
    assert "Fyll i det här fältet." in response.content.decode()
    assert not mail.outbox and not OfferReply.objects.exists()


def test_answer_and_decisions_need_post(coordinator, offer):
    assert coordinator.get(f"/inkorg/{offer.pk}/svara/").status_code == 405
    assert coordinator.get(f"/inkorg/{offer.pk}/avvisa/").status_code == 405


def test_decisions_need_a_csrf_token(make_user, offer):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user(Role.COORDINATOR))
    assert strict.post(f"/inkorg/{offer.pk}/avvisa/").status_code == 403
    offer.refresh_from_db()
    assert offer.status == Offer.Status.NEW


def test_reject(coordinator, offer):
    assert coordinator.post(f"/inkorg/{offer.pk}/avvisa/").status_code == 302
    offer.refresh_from_db()
    assert offer.status == Offer.Status.REJECTED and offer.decided_by and offer.decided_at
    # A decided offer cannot be accepted afterwards.
    response = coordinator.post(f"/inkorg/{offer.pk}/anta/partner/", {"partner-name": "X"})
    assert response.status_code == 409 and not Partner.objects.exists()


def test_accept_as_internship_creates_an_unpublished_place(client, coordinator, offer):
    response = coordinator.post(
        f"/inkorg/{offer.pk}/anta/praktikplats/",
        {
            "praktikplats-title": "Praktik som snickare",
            "praktikplats-field": "Bygg",
            "praktikplats-period_start": "2030-01-10",
            "praktikplats-period_end": "2030-04-10",
        },
    )
    place = InternshipPlace.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/public/internshipplace/{place.pk}/change/"
    assert place.status == Moderation.PENDING and not place.is_example
    assert place.municipality == "1082" and place.title_sv == "Praktik som snickare"
    assert place.contact == "Exempelbygg AB"  # the organisation, never the person
    assert place.description_sv == "Praktik på bygget."
    offer.refresh_from_db()
    assert offer.status == Offer.Status.ACCEPTED and offer.internship == place
    public = client.get("/karlshamn/praktikplatser/").content.decode()
    assert "Praktik som snickare" not in public
    assert client.get(f"/karlshamn/praktikplatser/{place.pk}/").status_code == 404
    # Accepting twice creates nothing more.
    again = coordinator.post(f"/inkorg/{offer.pk}/anta/partner/", {"partner-name": "X"})
    assert again.status_code == 409 and InternshipPlace.objects.count() == 1


def test_accept_as_partner_is_hidden(client, coordinator, offer):
    response = coordinator.post(
        f"/inkorg/{offer.pk}/anta/partner/", {"partner-name": "Exempelbygg AB"}
    )
    partner = Partner.objects.get()
    assert response["Location"] == f"/admin/public/partner/{partner.pk}/change/"
    assert not partner.is_public and partner.kind == Partner.Kind.BUSINESS
    assert partner.municipality == "1082" and partner.slug == "exempelbygg-ab"
    assert "Exempelbygg AB" not in client.get("/karlshamn/partner/").content.decode()


def test_accept_as_meeting_place_needs_confirmation(coordinator, offer):
    data = {"motesplats-name": "Verkstan", "motesplats-address": "Storgatan 1"}
    response = coordinator.post(f"/inkorg/{offer.pk}/anta/motesplats/", data)
    assert response.status_code == 400 and not MeetingPlace.objects.exists()
    response = coordinator.post(
        f"/inkorg/{offer.pk}/anta/motesplats/", {**data, "motesplats-confirmed": "on"}
    )
    place = MeetingPlace.objects.get()
    assert response["Location"] == f"/admin/public/meetingplace/{place.pk}/change/"
    assert place.address == "Storgatan 1" and place.municipality == "1082"
    assert place.languages == ""


def test_accept_as_event_draft(client, coordinator, make_offer, sites):
    offer = make_offer(kind=Offer.Kind.LANGUAGE_CAFE, language_support="sv,ar")
    response = coordinator.post(
        f"/inkorg/{offer.pk}/anta/evenemang/",
        {
            "evenemang-title": "Språkcafé på verkstan",
            "evenemang-start": "2030-06-01T17:00",
            "evenemang-end": "2030-06-01T19:00",
            "evenemang-address": "Storgatan 1",
        },
    )
    event = Event.objects.get()
    assert response["Location"] == f"/admin/public/event/{event.pk}/change/"
    assert event.status == Moderation.PENDING and event.languages == "sv,ar"
    calendar = client.get("/karlshamn/aktuellt/?fran=2030-06-01&till=2030-06-02")
    assert "Språkcafé på verkstan" not in calendar.content.decode()


def test_unknown_accept_kind_is_404(coordinator, offer):
    assert coordinator.post(f"/inkorg/{offer.pk}/anta/nagot/").status_code == 404


def test_contact_details_are_on_no_public_page(client, coordinator, offer):
    coordinator.post(f"/inkorg/{offer.pk}/anta/partner/", {"partner-name": "Exempelbygg AB"})
    for url in ("/karlshamn/partner/", "/karlshamn/praktikplatser/", "/karlshamn/bidra/"):
        html = client.get(url).content.decode()
        assert "kim@example.invalid" not in html and "Kim Kontakt" not in html, url
