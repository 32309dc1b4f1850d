"""lagesbild remind: e-mail follow-up reminders (run once a day, e.g. from cron).

Sends each department that has not submitted its report in an open round one reminder when
the deadline is a week away and one a week while it is overdue. Sent reminders are recorded,
so running the command twice a day sends nothing twice. A department with no representative to
remind is named in an e-mail to the municipality's coordinators instead (same rhythm).

The links need the site's address: LAGESBILD_BASE_URL or --base-url (refused when missing or
not absolute).

`lagesbild remind --schedule` registers the command as a daily django-q schedule instead (for
installations that run `lagesbild qcluster` rather than cron).
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lagesbild.accounts.services import base_url_problem
from lagesbild.plan.rounds import due_reminders, send_reminder, send_unreached_notice


class Command(BaseCommand):
    help = "Skicka påminnelser om uppföljningsrapporter som snart ska in eller är försenade."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="räkna som om i dag vore ÅÅÅÅ-MM-DD (för test)")
        parser.add_argument(
            "--base-url",
            default="",
            help="webbplatsens adress för länken, t.ex. https://…; annars LAGESBILD_BASE_URL",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="registrera en daglig körning i django-q (kl. 07:00) i stället för att skicka nu",
        )

    def handle(self, *args, date, base_url, schedule, **options):
        base_url = (base_url or settings.BASE_URL).rstrip("/")  # LAGESBILD_BASE_URL
        # The links are opened from a mail program: a relative one would lead nowhere.
        problem = base_url_problem(base_url)
        if problem:
            raise CommandError(f"--base-url eller LAGESBILD_BASE_URL: {problem}")
        if schedule:
            return self.register_schedule(base_url)
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"--date: ogiltigt datum {date!r}; skriv ÅÅÅÅ-MM-DD") from None
        else:
            today = timezone.localdate()
        due = due_reminders(today)
        sent = 0
        unreached = {}  # round -> departments nobody could be reminded in
        for report, kind in due:
            n = send_reminder(report, kind, today, base_url)
            kind_name = report.reminders.first().get_kind_display()
            what = f"{report.round}: {report.department}: {kind_name}"
            if n:
                sent += 1
                self.stdout.write(f"{what} till {n} mottagare")
            else:
                unreached.setdefault(report.round, []).append(report.department)
                self.stdout.write(
                    f"{what} kunde inte skickas: förvaltningen har ingen representant med e-post"
                )
        for rnd, departments in unreached.items():
            told = send_unreached_notice(rnd, departments, base_url)
            names = ", ".join(str(d) for d in departments)
            if told:
                self.stdout.write(f"{rnd}: samordnaren ({', '.join(told)}) meddelad om: {names}")
            else:
                self.stderr.write(
                    f"{rnd}: ingen samordnare med e-post att meddela om {names}; lägg till "
                    "representanter under Konton › Förvaltningar"
                )
        self.stdout.write(f"{sent} påminnelser skickade.")

    def register_schedule(self, base_url):
        from django_q.models import Schedule

        now = timezone.localtime()
        first = now.replace(hour=7, minute=0, second=0, microsecond=0)
        if first <= now:
            first += datetime.timedelta(days=1)
        _schedule, created = Schedule.objects.update_or_create(
            name="lagesbild remind",
            defaults={
                "func": "django.core.management.call_command",
                "args": "'remind'",
                "kwargs": f"{{'base_url': {base_url!r}}}",
                "schedule_type": Schedule.DAILY,
                "next_run": first,
                "repeats": -1,
            },
        )
        state = "registrerad" if created else "uppdaterad"
        self.stdout.write(
            f"Daglig påminnelsekörning {state}; nästa körning {first:%Y-%m-%d %H:%M}."
        )
