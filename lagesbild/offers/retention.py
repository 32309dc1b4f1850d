"""Offers are kept for the time the person was told when she gave her consent.

Each offer stores its own `retention_days` (settings.OFFER_RETENTION_DAYS at sign-up), so a
later change of the setting never keeps anyone's details longer than promised. The whole row
goes when the time has passed, whatever became of it: what it turned into (an internship
place, a partner, ...) is the municipality's own content and stays. Run daily by
`lagesbild personal-data purge-senders`.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import Offer


@transaction.atomic
def purge_offers(now=None):
    """Delete offers whose created_at + retention_days has passed; returns how many."""
    now = now or timezone.now()
    rows = Offer.objects.values_list("pk", "created_at", "retention_days")
    old = [pk for pk, created, days in rows if created + datetime.timedelta(days=days) <= now]
    if old:
        Offer.objects.filter(pk__in=old).delete()  # their replies go with them (CASCADE)
    return len(old)
