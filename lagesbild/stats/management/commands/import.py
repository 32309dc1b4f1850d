"""lagesbild import FILE --source NAME: local figures (CSV/Excel) into the store, all or nothing."""

import hashlib
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.stats.files import ImportError_, parse
from lagesbild.stats.store import Batch, save

SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,30}$")


class Command(BaseCommand):
    help = "Läs in lokala siffror (CSV eller Excel, format i docs/statistics.md); allt eller inget."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FIL")
        parser.add_argument("--source", required=True, help="källans namn, t.ex. sfi")

    def handle(self, *args, file, source, **options):
        if not SOURCE_NAME.match(source):
            raise CommandError(f"--source: {source!r}; använd små bokstäver, siffror, - och _")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: filen finns inte")
        try:
            rows = parse(path)
        except ImportError_ as e:
            for problem in e.errors[:100]:
                self.stderr.write(str(problem))
            if len(e.errors) > 100:
                self.stderr.write(f"… och {len(e.errors) - 100} fel till")
            raise CommandError(f"{path.name}: inget lästes in", returncode=1) from None
        raw = path.read_bytes()
        batch = Batch(
            source=f"local:{source}",
            source_ref=path.name,
            url=path.resolve().as_uri(),
            # The raw file is kept as text (CSV) or as its checksum only (Excel is binary).
            content=raw.decode("utf-8-sig") if path.suffix.lower() == ".csv" else "",
            observations=rows,
            query={"file": path.name, "sha256": hashlib.sha256(raw).hexdigest()},
        )
        counts = save([batch])
        self.stdout.write(
            f"{path.name}: {len(rows)} rader: {counts.new} nya, {counts.changed} ändrade, "
            f"{counts.unchanged} oförändrade värden (källa local:{source})"
        )
