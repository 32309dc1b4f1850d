"""lagesbild geodata import FILE [--example]: the boundaries of DeSO and RegSO areas from SCB's
open geodata (GeoPackage or GeoJSON), for the maps of the Lägesbild. All or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.core.tables import TableError
from lagesbild.geodata import files, store

MAX_BYTES = 1024 * 1024 * 1024  # SCB's file for all of Sweden is a few hundred MB


class Command(BaseCommand):
    help = (
        "Läs in gränserna för DeSO- och RegSO-områden ur SCB:s öppna geodata (GeoPackage eller "
        "GeoJSON). Ersätter gränserna för varje kommun i filen; allt eller inget."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="import")
        imp = sub.add_parser("import", help="läs in en fil")
        imp.add_argument("file", metavar="FIL")
        imp.add_argument(
            "--example",
            action="store_true",
            help="filen har påhittade exempelgränser (demot); ersätter aldrig riktiga gränser",
        )

    def handle(self, *args, action, file, example=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: filen finns inte")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path.name}: filen är större än {MAX_BYTES // 1024**2} MB")
        raw = path.read_bytes()
        try:
            boundaries = files.read(raw, path.name)
            saved = store.save(boundaries, path.name, raw, example=example)
        except TableError as e:
            raise CommandError(
                "Inget lästes in:\n" + "\n".join(f"  {problem}" for problem in e.errors)
            ) from None
        self.stdout.write(saved.describe(path.name, boundaries.crs))
