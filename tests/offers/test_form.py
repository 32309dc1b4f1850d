"""The public sign-up form: consent, spam protection, languages."""

import datetime

from django.utils import timezone

from lagesbild.offers.models import Offer

from .conftest import offer_form

URL = "/karlshamn/bidra/"


def test_form_asks_for_consent_stating_what_why_who_and_how_long(client, sites):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="consent"' in html
    consent_input = html.split('name="consent"')[0].rsplit("<input", 1)[1]
    assert "checked" not in consent_input  # unchecked by default
    assert '<label for="id_consent">Jag samtycker till att Karlshamns kommun sparar' in html
    assert "integrationssamordnare" in html and "raderas efter 180 dagar" in html
    assert "<legend>Vad vill du erbjuda?</legend>" in html
    assert 'aria-describedby="id_trade_helptext"' in html
    assert "Cache-Control" not in response or "public" not in response["Cache-Control"]


def test_without_consent_nothing_is_stored(client, sites):
    response = client.post(URL, offer_form(consent=None))
    assert response.status_code == 400
    assert "Vi kan bara ta emot erbjudandet om du samtycker" in response.content.decode()
    assert not Offer.objects.exists()


def test_offer_stores_the_consent_text_shown_and_when(client, sites, settings):
    settings.OFFER_RETENTION_DAYS = 30
    shown = client.get(URL).content.decode()
    before = timezone.now()
    response = client.post(URL, offer_form())
    assert response.status_code == 302 and response["Location"] == "/karlshamn/bidra/tack/"
    offer = Offer.objects.get()
    assert offer.municipality == "1082" and offer.status == Offer.Status.NEW
    assert offer.consent_text.startswith("Jag samtycker till att Karlshamns kommun")
    assert "raderas efter 30 dagar" in offer.consent_text
    assert f'<label for="id_consent">{offer.consent_text}</label>' in shown
    assert before <= offer.consent_given_at <= timezone.now()
    assert offer.retention_days == 30
    assert offer.language_support == "sv,ar" and offer.language == "sv"
    thanks = client.get(response["Location"]).content.decode()
    assert "Tack för ditt erbjudande" in thanks and "raderas efter 30 dagar" in thanks


def test_internship_needs_trade_and_period(client, sites):
    response = client.post(URL, offer_form(trade="", period_start=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Yrke eller bransch</a>: Fyll i det här fältet för en praktikplats." in html
    assert "Period från</a>: Fyll i det här fältet för en praktikplats." in html
    assert not Offer.objects.exists()
    # Another kind of offer needs neither.
    mentor = offer_form(kind="mentor", trade="", period_start="", period_end="")
    assert client.post(URL, mentor).status_code == 302
    assert Offer.objects.get().kind == Offer.Kind.MENTORING


def test_period_must_end_after_it_starts(client, sites):
    response = client.post(URL, offer_form(period_start="2030-05-01", period_end="2030-04-01"))
    assert response.status_code == 400
    assert "Perioden måste sluta efter att den börjar." in response.content.decode()


def test_too_long_description_is_refused(client, sites):
    response = client.post(URL, offer_form(description="x" * 3001))
    assert response.status_code == 400
    assert "högst 3000 tecken" in response.content.decode()
    assert not Offer.objects.exists()


def test_filled_honeypot_stores_nothing_but_looks_accepted(client, sites):
    response = client.post(URL, offer_form(homepage="http://spam.example"))
    assert response.status_code == 302 and response["Location"] == "/karlshamn/bidra/tack/"
    assert not Offer.objects.exists()
    html = client.get(URL).content.decode()
    assert '<div class="hp-field" aria-hidden="true">' in html and 'tabindex="-1"' in html


def test_rate_limit_answers_429_and_stores_nothing_more(client, sites, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "form": (2, 3600)}
    for _ in range(2):
        assert client.post(URL, offer_form()).status_code == 302
    response = client.post(URL, offer_form(contact_name="En för mycket"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Vänta en stund och försök igen." in response.content.decode()
    assert Offer.objects.count() == 2


def test_form_is_per_municipality_and_needs_a_published_site(client, db):
    from lagesbild.public.models import PublicSite

    PublicSite.objects.create(municipality="1082")
    assert client.get("/lidkoping/bidra/").status_code == 404  # no published site
    assert client.post("/lidkoping/bidra/", offer_form()).status_code == 404
    assert not Offer.objects.exists()


def test_offer_goes_to_the_municipality_in_the_address(client, sites):
    assert client.post("/lidkoping/bidra/", offer_form()).status_code == 302
    assert Offer.objects.get().municipality == "1494"
    html = client.get("/lidkoping/bidra/").content.decode()
    assert "Jag samtycker till att Lidköpings kommun sparar" in html


def test_arabic_form_is_right_to_left(client, sites):
    response = client.get("/ar/karlshamn/bidra/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    # Language names in their own script keep their own language.
    assert 'lang="uk">Українська</label>' in html


def test_form_renders_in_every_public_language(client, sites, settings):
    for code, _name in settings.LANGUAGES:
        prefix = "" if code == "sv" else f"/{code}"
        response = client.get(f"{prefix}/karlshamn/bidra/")
        assert response.status_code == 200, code
        assert f'<html lang="{code}"' in response.content.decode()


def test_dates_are_optional_for_other_kinds(client, sites):
    data = offer_form(kind="sprakkafe", offered_by_type="privatperson", organisation="")
    data.update(trade="", period_start="", period_end="", phone="")
    assert client.post(URL, data).status_code == 302
    offer = Offer.objects.get()
    assert offer.period_start is None and offer.organisation == ""
    assert offer.created_at > timezone.now() - datetime.timedelta(minutes=1)
