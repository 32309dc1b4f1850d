"""Fixtures for civic information: both seed municipalities publish, pages built here."""

import pytest

from lagesbild.civic.models import CivicLink, CivicPage, Topic
from lagesbild.public.models import PublicSite


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_caches):
    """Cached pages and the content version do not leak between tests."""


@pytest.fixture
def sites(db):
    PublicSite.objects.create(municipality="1082")
    PublicSite.objects.create(municipality="1494")


@pytest.fixture
def make_page(sites):
    def make(title="Skolplikt", slug="skola", municipality="1082", links=(), **kwargs):
        kwargs.setdefault("topic", Topic.SCHOOL)
        kwargs.setdefault("is_published", True)
        kwargs.setdefault("body_sv", "Alla barn går i skolan.")
        page = CivicPage.objects.create(
            title_sv=title, slug=slug, municipality=municipality, **kwargs
        )
        for n, (authority, url, link_title) in enumerate(links):
            CivicLink.objects.create(
                page=page, authority=authority, url=url, title_sv=link_title, order=n
            )
        return page

    return make
