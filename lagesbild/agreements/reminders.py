"""Reminders about agreements to renew or ending soon (`lagesbild agreements remind`).

An active agreement whose renewal date or end date falls within the next N days is mailed to
its municipality's coordinators, once per date: the date reminded for is stored on the
agreement (renewal_reminded_for, end_reminded_for), so running the command daily sends nothing
twice, and a date moved later is reminded again when it comes near.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lagesbild.core import municipalities
from lagesbild.plan.rounds import coordinators

from .models import Agreement, Status

RENEWAL, END = "renewal", "end"
FIELDS = {RENEWAL: ("renewal_date", "renewal_reminded_for"), END: ("end_date", "end_reminded_for")}


@dataclass
class Due:
    agreement: Agreement
    what: str  # RENEWAL or END
    date: datetime.date

    def sentence(self, today):
        days = (self.date - today).days
        if self.what == RENEWAL:
            text = _("ska omförhandlas senast %(date)s (om %(days)s dagar)")
        else:
            text = _("upphör %(date)s (om %(days)s dagar)")
        return text % {"date": self.date.isoformat(), "days": days}


def due(today, days):
    """Due reminders of active agreements, by municipality: {kommunkod: [Due]}."""
    last = today + datetime.timedelta(days=days)
    out = {}
    for agreement in Agreement.objects.filter(status=Status.ACTIVE).order_by("pk"):
        for what, (field, reminded) in FIELDS.items():
            date = getattr(agreement, field)
            if date and today <= date <= last and getattr(agreement, reminded) != date:
                out.setdefault(agreement.municipality, []).append(Due(agreement, what, date))
    return out


def send(municipality, items, today, base_url):
    """Mail the coordinators of the municipality about `items`; marks them reminded and returns
    the addresses (empty: nobody to send to, nothing is marked, so a later run tries again)."""
    recipients = [u.email for u in coordinators(municipality)]
    if not recipients:
        return []
    lines = []
    for item in items:
        link = base_url.rstrip("/") + reverse("agreements:detail", args=[item.agreement.pk])
        lines.append(
            f"- {item.agreement.title} ({item.agreement.get_kind_display()}, "
            f"{item.agreement.party}): {item.sentence(today)}\n  {link}\n"
        )
    area = municipalities.get(municipality)
    name = area.name if area else municipality
    subject = _("Samverkansavtal att förnya eller som upphör snart (%(name)s)") % {"name": name}
    body = (
        _("Hej!\n\nDe här samverkansavtalen behöver förnyas eller upphör snart:\n\n")
        + "".join(lines)
        + _("\nDet här är ett automatiskt meddelande från Lägesbild.\n")
    )
    with transaction.atomic():
        for item in items:
            _date_field, reminded = FIELDS[item.what]
            setattr(item.agreement, reminded, item.date)
            # update() keeps this bookkeeping out of the change history (no history row).
            Agreement.objects.filter(pk=item.agreement.pk).update(**{reminded: item.date})
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return recipients
