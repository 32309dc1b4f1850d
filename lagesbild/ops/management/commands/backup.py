"""lagesbild backup [--out FILE]: the whole installation (tables, uploads, reports) in one archive."""

from django.core.management.base import BaseCommand, CommandError

from lagesbild.ops.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Säkerhetskopiera databasen, uppladdade filer och rapporter under LAGESBILD_HOME "
        "till ett arkiv med manifest (standard: LAGESBILD_HOME/backups/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", help="arkivets sökväg (.tar.gz)")

    def handle(self, *args, out, **options):
        try:
            path, manifest = make_backup(out)
        except BackupError as e:
            raise CommandError(str(e)) from e
        rows = sum(t["rows"] for t in manifest["tables"])
        self.stdout.write(
            f"Säkerhetskopia {path}: {len(manifest['tables'])} tabeller, {rows} rader, "
            f"{len(manifest['files'])} filer."
        )
