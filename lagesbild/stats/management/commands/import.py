"""lagesbild import FILE --source NAME [--indicator ID --age … --fixed VAR=VALUE]: local figures
(the import format) or a file downloaded from SCB's Statistikdatabasen into the store, all or
nothing. The provenance names the file only, never its path on the server."""

import hashlib
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lagesbild.core.tables import TableError
from lagesbild.core.uploads import check_path
from lagesbild.geodata.store import regso_names
from lagesbild.stats import downloads
from lagesbild.stats.files import read_own_format
from lagesbild.stats.store import Batch, save

SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,30}$")


class Command(BaseCommand):
    help = (
        "Läs in lokala siffror (CSV eller Excel, format i docs/statistics.md) eller en fil från "
        "SCB:s Statistikdatabasen (CSV, Excel, json-stat2) för en indikator; allt eller inget."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FIL")
        parser.add_argument("--source", required=True, help="källans namn, t.ex. sfi eller scb")
        parser.add_argument(
            "--indicator", help="katalogens id, för en fil från Statistikdatabasen (SCB)"
        )
        parser.add_argument("--age", help='åldersgruppen när filen har flera, t.ex. "20-64 år"')
        parser.add_argument(
            "--fixed",
            action="append",
            default=[],
            metavar="VARIABEL=VÄRDE",
            help="värdet för en annan variabel med flera värden (kan upprepas)",
        )

    def handle(self, *args, file, source, indicator=None, age=None, fixed=(), **options):
        if not SOURCE_NAME.match(source):
            raise CommandError(f"--source: {source!r}; använd små bokstäver, siffror, - och _")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: filen finns inte")
        # The checks every upload gets (size, rows, content), before the file is read.
        try:
            check_path(path, kinds=("csv", "xlsx", "json"))
        except ValidationError as e:
            raise CommandError(" ".join(e.messages)) from None
        raw = path.read_bytes()
        query = {"file": path.name, "sha256": hashlib.sha256(raw).hexdigest()}
        try:
            if downloads.is_own_format(raw, path.name):
                found = read_own_format(raw, path.name)
                rows, content = found.observations, found.text
                query["format"] = found.format
            else:
                if not indicator:
                    raise CommandError(
                        f"{path.name}: inte importformatet (kolumnen 'indikator' saknas). En fil "
                        "från Statistikdatabasen läses för en indikator: lägg till --indicator ID "
                        "(docs/statistics.md)."
                    )
                try:
                    choices = downloads.parse_fixed(fixed)
                except ValueError as e:
                    raise CommandError(f"--fixed {e}") from None
                found = downloads.parse_download(
                    raw, path.name, indicator, choices, age, regso_names=regso_names()
                )
                rows, content = found.observations, found.text
                query.update(format=found.format, indicator=indicator, fixed=found.fixed)
        except TableError as e:
            for problem in e.errors[:100]:
                self.stderr.write(str(problem))
            if len(e.errors) > 100:
                self.stderr.write(f"… och {len(e.errors) - 100} fel till")
            raise CommandError(f"{path.name}: inget lästes in", returncode=1) from None
        batch = Batch(
            source=f"local:{source}",
            source_ref=path.name,
            url="",  # never the path on this server: provenance is public (API, exports)
            content=content,
            observations=rows,
            query=query,
        )
        counts = save([batch])
        self.stdout.write(
            f"{path.name}: {len(rows)} rader: {counts.new} nya, {counts.changed} ändrade, "
            f"{counts.unchanged} oförändrade värden{counts.ended_note()} (källa local:{source})"
        )
