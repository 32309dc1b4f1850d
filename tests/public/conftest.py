"""Fixtures for the public pages: small content built here, with known answers."""

from datetime import datetime

import pytest

from lagesbild.public.models import (
    STOCKHOLM,
    Event,
    MeetingPlace,
    Moderation,
    Partner,
    PublicSite,
)

DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "client", "admin_client"}


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_caches):
    """Cached pages, the content version and rate-limit counters do not leak between tests."""


@pytest.fixture(autouse=True)
def karlshamn_site(request):
    """Karlshamn (1082, /karlshamn/…) publishes: the content below is its own."""
    if not (DATABASE_FIXTURES & set(request.fixturenames)) and not request.node.get_closest_marker(
        "django_db"
    ):
        return None
    request.getfixturevalue("db") if "live_server" not in request.fixturenames else None
    return PublicSite.objects.get_or_create(municipality="1082")[0]


@pytest.fixture
def place(db):
    return MeetingPlace.objects.create(
        name_sv="Biblioteket", slug="biblioteket", address="Testgatan 1", languages="sv,ar"
    )


@pytest.fixture
def partner(db):
    return Partner.objects.create(name="Testföreningen", slug="testforeningen", kind="association")


def local(*args):
    return datetime(*args, tzinfo=STOCKHOLM)


@pytest.fixture
def make_event(db, place):
    def make(title="Språkcafé", status=Moderation.PUBLISHED, start=None, end=None, **kwargs):
        start = start or local(2030, 5, 7, 18)
        end = end or start.replace(hour=start.hour + 2)
        kwargs.setdefault("place", place)
        return Event.objects.create(
            title_sv=title, start=start, end=end, status=status, municipality="1082", **kwargs
        )

    return make
