"""A crawl of the demo as a resident meets it: from the start page to every public page of
both seed municipalities, in all nine languages. Each site carries its own name and only its
own content; each calendar feed parses and holds only its own events."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from icalendar import Calendar

from lagesbild.civic.models import CivicPage
from lagesbild.public.models import Event, InternshipPlace, MeetingPlace, Moderation, Partner

pytestmark = pytest.mark.slow

SITES = {"karlshamn": ("1082", "Karlshamns kommun"), "lidkoping": ("1494", "Lidköpings kommun")}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def links(html):
    parser = Links()
    parser.feed(html)
    return parser.found


def own_titles(code):
    """Swedish titles of everything a municipality publishes (they all say "exempel")."""
    titles = [
        e.title_sv for e in Event.objects.filter(municipality=code, status=Moderation.PUBLISHED)
    ]
    titles += [p.name_sv for p in MeetingPlace.objects.filter(municipality=code)]
    titles += [p.name for p in Partner.objects.filter(municipality=code, is_public=True)]
    titles += [
        i.title_sv
        for i in InternshipPlace.objects.filter(municipality=code, status=Moderation.PUBLISHED)
    ]
    titles += [c.title_sv for c in CivicPage.objects.filter(municipality=code, is_published=True)]
    return set(titles)


def crawl(client, start, slug):
    """Every page of one site reachable from its start, as {path: html}."""
    prefix = start.split(f"/{slug}/")[0] + f"/{slug}/"
    seen, queue = {}, [start]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        seen[path] = response.content.decode()
        for href in links(seen[path]):
            href = urldefrag(href)[0]
            target = urlsplit(href)
            if target.netloc or not target.path.startswith(prefix):
                continue  # another site, another language, an authority's page
            if target.path.endswith((".ics", ".css", ".xml")) or "/logotyp" in target.path:
                continue
            if target.query and "/sok/" not in target.path:
                continue  # the calendar's filters: the same content again
            queue.append(href)
    return seen


@pytest.fixture(scope="module")
def demo(django_db_blocker, django_db_setup):
    with django_db_blocker.unblock():
        call_command("demo", no_serve=True, stdout=io.StringIO())
        yield {code: own_titles(code) for code, _name in SITES.values()}
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_site_has_its_own_name_and_only_its_own_content(demo, language):
    client = Client()
    prefix = "" if language == "sv" else f"/{language}"
    home = client.get(f"{prefix}/").content.decode()
    for slug, (code, name) in SITES.items():
        start = f"{prefix}/{slug}/aktuellt/"
        assert f'href="{start}"' in home, f"{slug} is not listed on {prefix}/"
        pages = crawl(client, start, slug)
        # The site's own sections were reached, not only the calendar.
        for section in ("motesplatser/", "praktikplatser/", "partner/", "samhallsinformation/"):
            assert f"{prefix}/{slug}/{section}" in pages, (slug, section)
        assert len(pages) > 10, (slug, language, sorted(pages))
        other = next(c for c, _n in SITES.values() if c != code)
        foreign = demo[other] - demo[code]
        for path, html in pages.items():
            if path.endswith("/utskrift/"):  # the print view: the name, no menus
                assert name in html, path
            else:
                header = rf'class="brand site-brand"[^>]*>.*?{name}</span>'
                assert re.search(header, html, re.S), path
            leaked = [t for t in foreign if t in html]
            assert leaked == [], (path, leaked)
        # Something of its own is there (titles in Swedish or falling back to Swedish).
        everything = "".join(pages.values())
        assert [t for t in demo[code] if t in everything], (slug, language)


def test_each_calendar_feed_parses_and_holds_only_its_own_events(demo):
    client = Client()
    for slug, (code, _name) in SITES.items():
        body = client.get(f"/{slug}/kalender.ics").content
        summaries = {str(v["SUMMARY"]) for v in Calendar.from_ical(body).walk("VEVENT")}
        published = set(
            Event.objects.filter(municipality=code, status=Moderation.PUBLISHED).values_list(
                "title_sv", flat=True
            )
        )
        assert summaries == published and summaries, slug
