"""lagesbild fetch --kommun 1082 [--years 2015-2025]: fetch the policy's indicators."""

from django.core.management.base import BaseCommand, CommandError

from lagesbild.stats.fetch import default_years, parse_years
from lagesbild.stats.models import FetchRun
from lagesbild.stats.tasks import run_fetch


class Command(BaseCommand):
    help = (
        "Hämta alla indikatorer i kommunens gällande policy från Kolada och SCB, för kommunen, "
        "länet, riket och jämförelsegruppen. Varje indikator lagras för sig: en som misslyckas "
        "behåller sina senaste värden, och kommandot slutar då med status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kommun", required=True, help="kommunkod, t.ex. 1082")
        parser.add_argument("--years", help="år, t.ex. 2015-2025 (standard: 2012 till i år)")

    def handle(self, *args, kommun, years, **options):
        try:
            years = parse_years(years) if years else default_years()
        except ValueError as e:
            raise CommandError(str(e)) from None
        run = FetchRun.objects.create(kind="fetch", kommun=kommun)
        self.stdout.write(f"Hämtar indikatorerna för {kommun}, {years[0]}–{years[-1]} …")
        run = run_fetch(run.id, years=years, on_progress=self.progress)
        self.stdout.write("")
        if run.status == FetchRun.Status.FAILED:
            for line in run.message.splitlines():
                self.stderr.write(f"Fel: {line}")
            raise CommandError(
                "Hämtningen misslyckades; ingenting skrevs och tidigare data finns kvar.",
                returncode=1,
            )
        summary, *failed = run.message.splitlines()
        self.stdout.write(f"Klart: {summary}")
        for line in failed:
            self.stderr.write(line)
        if failed:
            which = "1 indikator" if len(failed) == 1 else f"{len(failed)} indikatorer"
            raise CommandError(
                f"{which} uppdaterades inte och behåller sina senaste värden; övriga är lagrade.",
                returncode=1,
            )

    def progress(self, done, total, label):
        self.stdout.write(f"\r{bar(done, total)} {label:<40}", ending="")
        self.stdout.flush()


def bar(done, total, width=30):
    filled = int(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
