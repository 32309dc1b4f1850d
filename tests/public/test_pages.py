"""Calendar filters from the query string, the list pages, caching and the demo content."""

import pytest

from lagesbild.public.caching import content_version
from lagesbild.public.models import (
    Event,
    GuideEntry,
    InternshipPlace,
    MeetingPlace,
    Partner,
)

from .conftest import local


def titles_on(client, url):
    html = client.get(url).content.decode()
    return {t for t in ("Språkcafé", "Läxhjälp", "Föräldracafé") if t in html}


@pytest.fixture
def three_events(make_event, place):
    other = MeetingPlace.objects.create(name_sv="Parken", slug="parken", address="Parkvägen 2")
    make_event(title="Språkcafé", start=local(2030, 5, 7, 18), languages="sv,ar")
    make_event(
        title="Läxhjälp", start=local(2030, 5, 20, 15), languages="sv,so", target_group="youth"
    )
    make_event(
        title="Föräldracafé", start=local(2030, 6, 3, 9), place=other, target_group="families"
    )


def test_calendar_filters_by_date_range(client, three_events):
    assert titles_on(client, "/karlshamn/aktuellt/?fran=2030-05-01&till=2030-05-31") == {
        "Språkcafé",
        "Läxhjälp",
    }
    assert titles_on(client, "/karlshamn/aktuellt/?fran=2030-05-20&till=2030-05-20") == {"Läxhjälp"}


def test_calendar_filters_by_place_language_and_target_group(client, three_events):
    base = "/karlshamn/aktuellt/?fran=2030-05-01&till=2030-06-30"
    assert titles_on(client, base + "&plats=parken") == {"Föräldracafé"}
    assert titles_on(client, base + "&sprak=so") == {"Läxhjälp"}
    assert titles_on(client, base + "&malgrupp=families") == {"Föräldracafé"}
    assert titles_on(client, base + "&sprak=sv&malgrupp=youth") == {"Läxhjälp"}


def test_repeating_event_shows_each_occurrence_in_range(client, make_event):
    make_event(title="Språkcafé", start=local(2030, 5, 7, 18), rrule="FREQ=WEEKLY;COUNT=3")
    html = client.get("/karlshamn/aktuellt/?fran=2030-05-01&till=2030-05-31").content.decode()
    assert html.count(">Språkcafé</a>") == 3


@pytest.mark.parametrize(
    "query,field_message",
    [
        ("fran=2030-13-01", "Från och med: Skriv ett giltigt datum."),
        ("fran=2030-05-10&till=2030-05-01", "Till och med: Slutdatumet måste vara samma dag"),
        ("fran=2030-01-01&till=2032-01-01", "Till och med: Välj högst ett år i taget."),
        ("plats=finns-inte", "Plats: Välj något av alternativen."),
        ("sprak=xx", "Språk: Välj något av alternativen."),
        ("malgrupp=alla", "Målgrupp: Välj något av alternativen."),
    ],
)
def test_bad_filter_answers_400_naming_the_field(client, three_events, query, field_message):
    response = client.get(f"/karlshamn/aktuellt/?{query}")
    assert response.status_code == 400
    assert field_message in response.content.decode()


def test_list_pages_show_published_content_only(client, db, make_event, partner):
    InternshipPlace.objects.create(
        title_sv="Öppen praktik",
        field_sv="Kök",
        period_start="2030-01-01",
        period_end="2030-02-01",
        contact="x@example.invalid",
        status="published",
    )
    InternshipPlace.objects.create(
        title_sv="Tillsatt praktik",
        field_sv="Bygg",
        period_start="2030-01-01",
        period_end="2030-02-01",
        contact="x@example.invalid",
        status="published",
        is_open=False,
    )
    InternshipPlace.objects.create(
        title_sv="Ej granskad praktik",
        field_sv="Bygg",
        period_start="2030-01-01",
        period_end="2030-02-01",
        contact="x@example.invalid",
        status="pending",
    )
    html = client.get("/karlshamn/praktikplatser/").content.decode()
    assert "Öppen praktik" in html and "Tillsatt praktik" in html
    assert "Ej granskad praktik" not in html
    assert html.index("Öppen praktik") < html.index("Tillsatt praktik")  # open ones first
    assert "Testföreningen" in client.get("/karlshamn/partner/").content.decode()
    assert "Biblioteket" in client.get("/karlshamn/motesplatser/").content.decode()


def test_calendar_is_cached_and_an_edit_invalidates_it(client, make_event):
    event = make_event(title="Språkcafé")
    url = "/karlshamn/aktuellt/?fran=2030-05-01&till=2030-05-31"
    assert "Språkcafé" in client.get(url).content.decode()
    # A bulk update sends no signal: the cached page is still served, proving the cache is used.
    Event.objects.filter(pk=event.pk).update(title_sv="Språkkafé")
    assert "Språkcafé" in client.get(url).content.decode()
    before = content_version()
    event.refresh_from_db()
    event.save()  # an ordinary edit, as in the admin
    assert content_version() > before
    assert "Språkkafé" in client.get(url).content.decode()


def test_deleting_content_invalidates_cached_lists(client, place):
    assert "Biblioteket" in client.get("/karlshamn/motesplatser/").content.decode()
    place.delete()
    assert "Biblioteket" not in client.get("/karlshamn/motesplatser/").content.decode()


def test_logged_in_staff_get_fresh_pages_with_their_own_csrf_token(client, make_event, make_user):
    make_event()
    client.get("/karlshamn/aktuellt/")  # cached for anonymous readers
    client.force_login(make_user("coordinator"))
    html = client.get("/karlshamn/aktuellt/").content.decode()
    assert "csrfmiddlewaretoken" in html  # the logout form: never from the shared cache


def test_demo_content_loads_twice_without_duplicates(db):
    from io import StringIO

    from lagesbild.accounts.demo import load_demo as load_accounts
    from lagesbild.public.demo import load_demo

    load_accounts(StringIO())
    load_demo(StringIO())
    models = (Event, MeetingPlace, InternshipPlace, Partner, GuideEntry)
    counts = [m.objects.count() for m in models]
    load_demo(StringIO())
    assert [m.objects.count() for m in models] == counts
    assert all(c > 0 for c in counts)
    for model in models:
        assert not model.objects.filter(is_example=False).exists()
    assert Event.objects.filter(status="pending").count() == 1
    assert InternshipPlace.objects.filter(is_open=True, status="published").exists()


def test_rrule_without_an_end_is_refused(make_event):
    from django.core.exceptions import ValidationError

    event = make_event(rrule="FREQ=WEEKLY")
    with pytest.raises(ValidationError) as e:
        event.full_clean()
    assert e.value.message_dict["rrule"] == [
        "Upprepningsregeln måste sluta: ange COUNT eller UNTIL."
    ]


def test_unknown_spoken_language_is_refused_by_name(make_event):
    from django.core.exceptions import ValidationError

    event = make_event(languages="sv,xx")
    with pytest.raises(ValidationError) as e:
        event.full_clean()
    (message,) = e.value.message_dict["languages"]
    assert message.startswith("Okänd språkkod xx. Använd någon av: ")
