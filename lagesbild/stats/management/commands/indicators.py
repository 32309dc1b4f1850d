"""lagesbild indicators [SÖK] [--kommun KOD] [--import FIL]: the indicator catalogue.

Lists id, title, unit, better and source of every indicator a policy may name, filtered by
words (all must occur, in any case) in the id, the title, the note and the source (Kolada KPI
ids and titles, SCB table ids, a local source's name and description). With --kommun the municipality's own local indicators are listed
too; with --import FIL they are first created or updated from a YAML file (all or nothing).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.core import municipalities
from lagesbild.stats import catalogue
from lagesbild.stats.local_indicators import LocalIndicatorFileError, import_file


class Command(BaseCommand):
    help = (
        "Lista indikatorkatalogen (id, titel, enhet, bättre, källa), eventuellt filtrerad på "
        "sökord; --kommun visar även kommunens egna indikatorer."
    )

    def add_arguments(self, parser):
        parser.add_argument("search", nargs="*", metavar="SÖK", help="ord som ska finnas med")
        parser.add_argument("--kommun", help="kommunkod: ta med kommunens egna indikatorer")
        parser.add_argument(
            "--import",
            dest="import_path",
            metavar="FIL",
            help="läs först in kommunens egna indikatorer från en YAML-fil (kräver --kommun)",
        )

    def handle(self, *args, search, kommun, import_path, **options):
        if kommun is not None:
            area = municipalities.get(kommun)
            if area is None or area.kind != "kommun":
                raise CommandError(f"--kommun: {kommun!r} är ingen kommunkod")
        if import_path:
            if not kommun:
                raise CommandError("--import behöver --kommun KOD")
            self.import_local(kommun, Path(import_path))
        entries = catalogue.catalogue_for(kommun) if kommun else catalogue.load_catalogue()
        found = catalogue.search(entries, " ".join(search))
        if not found:
            self.stdout.write(f"Ingen indikator matchar {' '.join(search)!r}.")
            return
        self.stdout.write("id\ttitel\tenhet\tbättre\tkälla")
        for entry in found:
            self.stdout.write(
                "\t".join(
                    (
                        entry["id"],
                        entry["title"]["sv"],
                        entry["unit"],
                        entry["better"],
                        catalogue.describe_source(entry),
                    )
                )
            )
        self.stderr.write(f"{len(found)} av {len(entries)} indikatorer")

    def import_local(self, kommun, path):
        if not path.is_file():
            raise CommandError(f"{path}: filen finns inte")
        try:
            created, updated = import_file(kommun, path.read_bytes(), path.name)
        except LocalIndicatorFileError as e:
            for problem in e.problems:
                self.stderr.write(problem)
            raise CommandError(f"{path.name}: inget lästes in", returncode=1) from None
        self.stderr.write(f"{path.name}: {created} nya och {updated} ändrade egna indikatorer")
