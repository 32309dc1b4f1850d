"""iCalendar feeds and schema.org JSON-LD for events, in the reader's language."""

import json

from django.utils import timezone
from icalendar import Calendar, vRecur
from icalendar import Event as VEvent

from .localize import localized
from .models import STOCKHOLM


def _text_property(component, name, obj, field):
    t = localized(obj, field)
    if t.text:
        component.add(name, t.text, parameters={"LANGUAGE": t.language})


def build_calendar(events, name, site_url):
    """A VCALENDAR with one VEVENT per event; repeating events keep their RRULE."""
    cal = Calendar()
    cal.add("prodid", "-//Lägesbild//public calendar//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Stockholm")
    for event in events:
        ve = VEvent()
        ve.add("uid", f"event-{event.pk}@{site_url.split('//')[-1].rstrip('/')}")
        ve.add("dtstamp", event.updated_at)
        ve.add("dtstart", timezone.localtime(event.start, STOCKHOLM))
        ve.add("dtend", timezone.localtime(event.end, STOCKHOLM))
        if event.rrule and event.rrule_within_limits():
            ve.add("rrule", vRecur.from_ical(event.rrule))
        elif event.rrule:
            # A rule stored before today's limits could cost a calendar program what it cost
            # us: give its dates, as far as we expand them, instead of the rule.
            starts = [
                timezone.localtime(s, STOCKHOLM) for s in event.repeat_starts() if s != event.start
            ]
            if starts:
                ve.add("rdate", starts)
        _text_property(ve, "summary", event, "title")
        _text_property(ve, "description", event, "description")
        ve.add("location", event.location_text)
        ve.add("url", site_url.rstrip("/") + event.get_absolute_url())
        if event.organiser:
            ve.add(
                "organizer",
                event.organiser.website or f"urn:lagesbild:partner:{event.organiser.slug}",
                parameters={"CN": event.organiser.name},
            )
        cal.add_component(ve)
    cal.add_missing_timezones()
    return cal.to_ical()


def event_json_ld(event, site_url, now=None):
    """schema.org Event for the next occurrence, as a string safe inside a script element."""
    start, end = event.next_occurrence(now)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": localized(event, "title").text,
        "description": localized(event, "description").text,
        "startDate": timezone.localtime(start, STOCKHOLM).isoformat(),
        "endDate": timezone.localtime(end, STOCKHOLM).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": event.language_codes,
        "isAccessibleForFree": event.is_free,
        "url": site_url.rstrip("/") + event.get_absolute_url(),
        "location": {
            "@type": "Place",
            "name": event.place.name if event.place else event.address,
            "address": event.place.address if event.place else event.address,
        },
    }
    if event.organiser:
        data["organizer"] = {"@type": "Organization", "name": event.organiser.name}
        if event.organiser.website:
            data["organizer"]["url"] = event.organiser.website
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # "</script>" or "<!--" inside a text must not end the element.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
