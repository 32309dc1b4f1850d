"""Public proposals that were never published are not kept: pending or rejected ones are deleted
after settings.PUBLIC_PROPOSAL_RETENTION_DAYS (LAGESBILD_PROPOSAL_RETENTION_DAYS, default 90).

Run daily by `lagesbild personal-data purge-senders` (deploy/lagesbild-purge-senders.timer).
Only rows that came through the public forms (`from_proposal`) go; a coordinator's own draft
stays. Their history rows go with them: the texts and the sender came from outside, unasked.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from .models import Event, InternshipPlace, Moderation


def retention_days():
    value = str(settings.PUBLIC_PROPOSAL_RETENTION_DAYS).strip()
    if not value.isdigit():
        raise ImproperlyConfigured(
            f"LAGESBILD_PROPOSAL_RETENTION_DAYS={value!r}: ange ett antal dagar, t.ex. 90."
        )
    return int(value)


@transaction.atomic
def purge_proposals(days=None, now=None):
    """Delete proposals pending since, or rejected before, `days` days ago; counts per model."""
    days = retention_days() if days is None else days
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    old = models.Q(status=Moderation.PENDING, created_at__lt=cutoff) | models.Q(
        status=Moderation.REJECTED, reviewed_at__lt=cutoff
    )
    # A rejection without a date (an old row, or set in the shell) counts from the proposal.
    old |= models.Q(status=Moderation.REJECTED, reviewed_at=None, created_at__lt=cutoff)
    counts = {}
    for model in (Event, InternshipPlace):
        ids = list(model.objects.filter(old, from_proposal=True).values_list("pk", flat=True))
        if ids:
            model.objects.filter(pk__in=ids).delete()
            model.history.filter(id__in=ids).delete()
            counts[f"{model._meta.label_lower} (förslag raderade)"] = len(ids)
    return counts
