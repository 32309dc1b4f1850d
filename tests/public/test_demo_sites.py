"""The demo's public content: Karlshamn's and Lidköping's, each its own, all labelled examples."""

from datetime import timedelta
from io import StringIO

import pytest
from django.utils import timezone

from lagesbild.public.models import (
    MIN_CONTRAST,
    Event,
    GuideEntry,
    InternshipPlace,
    MeetingPlace,
    Partner,
    PublicSite,
    contrast_with_white,
)

KARLSHAMN, LIDKOPING = "1082", "1494"
MODELS = (Event, MeetingPlace, InternshipPlace, Partner, GuideEntry)


@pytest.fixture
def demo(db, settings):
    from lagesbild.accounts.demo import load_demo as load_accounts
    from lagesbild.public.demo import load_demo

    # The demo accounts' passwords: a fast hasher, else each test waits seconds for them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_accounts(StringIO())
    # A fresh demo database: conftest publishes Karlshamn's site (without a colour) for every
    # test, and the demo keeps an existing site as it is.
    PublicSite.objects.all().delete()
    out = StringIO()
    load_demo(out)
    return out.getvalue()


def test_second_run_adds_nothing(demo):
    from lagesbild.public.demo import load_demo

    counts = [m.objects.count() for m in MODELS]
    out = StringIO()
    load_demo(out)
    assert [m.objects.count() for m in MODELS] == counts
    assert PublicSite.objects.count() == 2
    assert "1494: 0 nya exempelposter" in out.getvalue()
    assert "1082: 0 nya exempelposter" in out.getvalue()
    assert "1494: 0 nya" not in demo  # the first run did add Lidköping's


@pytest.mark.parametrize("code", [KARLSHAMN, LIDKOPING])
def test_each_municipality_has_its_own_published_examples(demo, code):
    now = timezone.now()
    soon = [
        e
        for e in Event.objects.filter(municipality=code, status="published")
        if e.occurrences(now, now + timedelta(days=60))
    ]
    assert len(soon) >= (4 if code == LIDKOPING else 3)
    assert any(e.rrule for e in soon)
    assert MeetingPlace.objects.filter(municipality=code).count() >= 2
    assert (
        InternshipPlace.objects.filter(municipality=code, status="published", is_open=True).count()
        >= 1
    )
    assert Partner.objects.filter(municipality=code).count() >= 2
    assert GuideEntry.objects.filter(municipality=code).exists()
    for model in MODELS:
        assert not model.objects.filter(is_example=False).exists()


def test_lidkoping_has_enough_of_everything_and_all_labelled(demo):
    places = MeetingPlace.objects.filter(municipality=LIDKOPING)
    partners = Partner.objects.filter(municipality=LIDKOPING)
    internships = InternshipPlace.objects.filter(municipality=LIDKOPING, status="published")
    events = Event.objects.filter(municipality=LIDKOPING, status="published")
    assert places.count() >= 3 and partners.count() >= 3 and internships.count() >= 3
    assert events.count() >= 4
    for name in [
        *places.values_list("name_sv", flat=True),
        *partners.values_list("name", flat=True),
        *internships.values_list("title_sv", flat=True),
        *events.values_list("title_sv", flat=True),
    ]:
        assert name.endswith("(exempel)"), name
    assert all(
        a.startswith("Exempel") and a.endswith("Lidköping")
        for a in places.values_list("address", flat=True)
    )
    assert not Event.objects.filter(municipality=LIDKOPING, status="pending").exists()


def test_lidkopings_rows_never_point_at_karlshamns(demo):
    for event in Event.objects.filter(municipality=LIDKOPING):
        assert event.place is None or event.place.municipality == LIDKOPING
        assert event.organiser is None or event.organiser.municipality == LIDKOPING
    for internship in InternshipPlace.objects.filter(municipality=LIDKOPING):
        assert internship.offered_by is None or internship.offered_by.municipality == LIDKOPING
        assert internship.department is None or internship.department.municipality == LIDKOPING
    assert InternshipPlace.objects.filter(municipality=LIDKOPING, department__isnull=False).exists()
    lidkoping = set(
        MeetingPlace.objects.filter(municipality=LIDKOPING).values_list("slug", flat=True)
    )
    karlshamn = set(
        MeetingPlace.objects.filter(municipality=KARLSHAMN).values_list("slug", flat=True)
    )
    assert lidkoping and karlshamn and not lidkoping & karlshamn
    # Both have a guide of their own (same national routes, separate rows).
    title = "Svenska för invandrare (SFI) (exempel)"
    assert GuideEntry.objects.filter(title_sv=title).count() == 2


def test_repeat_rules_keep_to_the_limits(demo):
    repeating = Event.objects.exclude(rrule="")
    assert repeating.filter(municipality=LIDKOPING).count() >= 2
    for event in repeating:
        assert event.rrule_within_limits(), event.rrule
        assert len(event.repeat_starts()) <= 500


def test_lidkoping_has_translations_of_each_status_and_missing_ones(demo):
    states = set()
    for event in Event.objects.filter(municipality=LIDKOPING):
        for language in ("en", "ar", "uk", "so"):
            states.add(event.translation_state("title", language))
    assert states == {"reviewed", "machine", "missing"}


def test_both_sites_are_published_with_readable_distinct_accents(demo):
    sites = {s.municipality: s for s in PublicSite.objects.all()}
    assert set(sites) == {KARLSHAMN, LIDKOPING}
    accents = {s.accent_colour for s in sites.values()}
    assert len(accents) == 2
    for site in sites.values():
        assert site.is_published
        assert contrast_with_white(site.accent_colour) >= MIN_CONTRAST
        site.full_clean()


def test_existing_site_keeps_its_colour(db):
    from lagesbild.public.demo import load_demo

    PublicSite.objects.create(municipality=LIDKOPING, accent_colour="#000000")
    load_demo(StringIO())
    assert PublicSite.objects.get(municipality=LIDKOPING).accent_colour == "#000000"


def test_each_calendar_shows_only_its_own_examples(client, demo):
    lidkoping = client.get("/lidkoping/aktuellt/")
    karlshamn = client.get("/karlshamn/aktuellt/")
    assert lidkoping.status_code == karlshamn.status_code == 200
    lidkoping, karlshamn = lidkoping.content.decode(), karlshamn.content.decode()
    assert "Språkcafé på biblioteket (exempel)" in lidkoping
    assert "Språkcafé (exempel)" not in lidkoping
    assert "Språkcafé (exempel)" in karlshamn
    assert "Språkcafé på biblioteket (exempel)" not in karlshamn
    places = client.get("/lidkoping/motesplatser/").content.decode()
    assert "Kvartersgården Exempelgården (exempel)" in places
    assert "Öppna förskolan Mötet (exempel)" not in places
