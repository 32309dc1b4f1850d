"""Fixtures for the offers ("Bidra"): published sites, one offer, clean caches."""

import pytest
from django.utils import timezone

from lagesbild.offers.models import Offer


@pytest.fixture(autouse=True)
def _fresh_cache(fresh_caches):
    """Rate-limit counters and the published-sites list do not leak between tests."""


@pytest.fixture
def sites(db):
    from lagesbild.public.models import PublicSite

    PublicSite.objects.create(municipality="1082")  # Karlshamn, /karlshamn/
    PublicSite.objects.create(municipality="1494")  # Lidköping, /lidkoping/


def offer_form(**changes):
    data = {
        "kind": "praktik",
        "offered_by_type": "foretag",
        "organisation": "Exempelbygg AB",
        "contact_name": "Kim Kontakt",
        "email": "kim@example.invalid",
        "phone": "0454-123 45",
        "description": "Praktik på bygget, tre månader.",
        "trade": "Snickare",
        "period_start": "2030-01-10",
        "period_end": "2030-04-10",
        "language_support": ["sv", "ar"],
        "consent": "on",
        "homepage": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def make_offer(db):
    def make(municipality="1082", **kwargs):
        values = {
            "municipality": municipality,
            "kind": Offer.Kind.INTERNSHIP,
            "offered_by_type": Offer.OfferedBy.COMPANY,
            "organisation": "Exempelbygg AB",
            "contact_name": "Kim Kontakt",
            "email": "kim@example.invalid",
            "phone": "0454-123 45",
            "description": "Praktik på bygget.",
            "trade": "Snickare",
            "consent_given_at": timezone.now(),
            "consent_text": "Jag samtycker.",
            "retention_days": 180,
        }
        values.update(kwargs)
        return Offer.objects.create(**values)

    return make
