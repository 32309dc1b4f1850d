"""iCalendar feeds (round trip with the icalendar library across DST) and JSON-LD."""

import json
import re
from datetime import UTC, datetime

from dateutil.rrule import rrulestr
from icalendar import Calendar

from lagesbild.public.models import Moderation

from .conftest import local


def events_of(body):
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_weekly_event_round_trips_across_the_spring_dst_change(client, make_event):
    # Tuesdays 18:00 Stockholm from 17 March 2026; summer time starts on Sunday 29 March.
    event = make_event(start=local(2026, 3, 17, 18), rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=4")
    response = client.get("/karlshamn/kalender.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    (vevent,) = calendar.walk("VEVENT")
    dtstart = vevent.decoded("DTSTART")
    assert vevent["DTSTART"].params["TZID"] == "Europe/Stockholm"
    rule = rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=dtstart)
    starts_utc = [d.astimezone(UTC) for d in rule]
    assert [(d.month, d.day, d.hour) for d in starts_utc] == [
        (3, 17, 17),  # CET, UTC+1
        (3, 24, 17),
        (3, 31, 16),  # CEST, UTC+2: still 18:00 on the wall clock
        (4, 7, 16),
    ]
    # The feed and the calendar page agree on every occurrence.
    assert [s for s, _e in event.occurrences()] == list(rule)


def test_autumn_dst_change_keeps_the_wall_clock_time(make_event):
    event = make_event(start=local(2026, 10, 20, 18), rrule="FREQ=WEEKLY;COUNT=2")
    hours = [s.astimezone(UTC).hour for s, _e in event.occurrences()]
    assert hours == [16, 17]  # 25 October 2026 ends summer time


def test_feed_text_carries_the_language_it_is_in(client, make_event):
    event = make_event(title="Språkcafé")
    event.set_translation("title", "ar", "مقهى اللغة", "reviewed")
    event.save()
    make_event(title="Bara svenska")
    summaries = {
        str(v["SUMMARY"]): v["SUMMARY"].params["LANGUAGE"]
        for v in events_of(client.get("/ar/karlshamn/kalender.ics").content)
    }
    assert summaries == {"مقهى اللغة": "ar", "Bara svenska": "sv"}


def test_feed_holds_only_published_events(client, make_event):
    make_event(title="Godkänt")
    make_event(title="Väntar", status=Moderation.PENDING)
    make_event(title="Avvisat", status=Moderation.REJECTED)
    titles = [str(v["SUMMARY"]) for v in events_of(client.get("/karlshamn/kalender.ics").content)]
    assert titles == ["Godkänt"]


def test_organiser_feed_holds_only_that_organisers_events(client, make_event, partner):
    make_event(title="Föreningens", organiser=partner)
    make_event(title="Någon annans")
    body = client.get(f"/karlshamn/arrangor/{partner.slug}/kalender.ics").content
    assert [str(v["SUMMARY"]) for v in events_of(body)] == ["Föreningens"]
    assert Calendar.from_ical(body)["X-WR-CALNAME"] == "Testföreningen – Karlshamns kommun"


def test_language_feed_holds_events_held_in_that_language(client, make_event):
    make_event(title="På arabiska", languages="sv,ar")
    make_event(title="På ukrainska", languages="uk")
    body = client.get("/karlshamn/kalender.ics?sprak=uk").content
    assert [str(v["SUMMARY"]) for v in events_of(body)] == ["På ukrainska"]


def test_language_feed_rejects_an_unknown_code_by_name(client, db):
    response = client.get("/karlshamn/kalender.ics?sprak=xx")
    assert response.status_code == 400
    assert "xx" in response.content.decode()


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_event_page_has_schema_org_event_json_ld(client, make_event, partner):
    event = make_event(
        title="Språkcafé",
        start=local(2030, 5, 7, 18),
        languages="sv,ar",
        organiser=partner,
    )
    data = json_ld(client.get(f"/karlshamn/evenemang/{event.pk}/").content.decode())
    assert data["@type"] == "Event"
    assert data["name"] == "Språkcafé"
    assert data["startDate"] == "2030-05-07T18:00:00+02:00"
    assert data["inLanguage"] == ["sv", "ar"]
    assert data["location"] == {"@type": "Place", "name": "Biblioteket", "address": "Testgatan 1"}
    assert data["organizer"]["name"] == "Testföreningen"


def test_json_ld_cannot_close_its_script_element(client, make_event):
    event = make_event(title="</script><script>alert(1)</script>")
    html = client.get(f"/karlshamn/evenemang/{event.pk}/").content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_repeating_event_json_ld_names_the_next_occurrence(make_event):
    from lagesbild.public.feeds import event_json_ld

    event = make_event(start=local(2026, 3, 17, 18), rrule="FREQ=WEEKLY;COUNT=4")
    now = datetime(2026, 3, 30, 12, tzinfo=UTC)
    data = json.loads(event_json_ld(event, "http://testserver/", now))
    assert data["startDate"] == "2026-03-31T18:00:00+02:00"
