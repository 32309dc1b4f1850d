"""lagesbild agreements remind [--days 60] [--base-url URL] [--date ÅÅÅÅ-MM-DD]

Mails each municipality's coordinators about active collaboration agreements whose renewal
date or end date falls within the next N days and that were not reminded for that date yet
(lagesbild.agreements.reminders). Run it once a day, e.g. from cron. The links need the site's
address: LAGESBILD_BASE_URL or --base-url (refused when missing or not absolute, like
`lagesbild remind`).
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lagesbild.accounts.services import base_url_problem
from lagesbild.agreements import reminders


class Command(BaseCommand):
    help = "Samverkansavtal: påminn samordnaren om avtal som ska förnyas eller upphör snart."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="remind")
        remind = sub.add_parser(
            "remind", help="mejla samordnarna om avtal som ska förnyas eller upphör snart"
        )
        remind.add_argument(
            "--days", type=int, default=60, help="hur många dagar framåt (standard 60)"
        )
        remind.add_argument(
            "--base-url",
            default="",
            help="webbplatsens adress för länkarna, t.ex. https://…; annars LAGESBILD_BASE_URL",
        )
        remind.add_argument("--date", help="räkna som om i dag vore ÅÅÅÅ-MM-DD (för test)")

    def handle(self, *args, action, days, base_url, date, **options):
        base_url = (base_url or settings.BASE_URL).rstrip("/")
        # The links are opened from a mail program: a relative one would lead nowhere.
        problem = base_url_problem(base_url)
        if problem:
            raise CommandError(f"--base-url eller LAGESBILD_BASE_URL: {problem}")
        if days < 0:
            raise CommandError("--days: ange ett antal dagar, 0 eller fler")
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date: ogiltigt datum {date!r}; skriv ÅÅÅÅ-MM-DD") from None
        else:
            today = timezone.localdate()
        sent = 0
        for municipality, items in reminders.due(today, days).items():
            told = reminders.send(municipality, items, today, base_url)
            for item in items:
                line = f"{municipality}: {item.agreement.title}: {item.sentence(today)}"
                if told:
                    self.stdout.write(f"{line} – skickat till {', '.join(told)}")
                else:
                    self.stderr.write(
                        f"{line} – inte skickat: kommunen har ingen samordnare med e-post"
                    )
            sent += len(items) if told else 0
        self.stdout.write(f"{sent} avtalspåminnelser skickade.")
