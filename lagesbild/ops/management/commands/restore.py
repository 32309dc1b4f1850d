"""lagesbild restore FILE [--replace]: restore a backup archive, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from lagesbild.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Återställ en säkerhetskopia. Vägrar en databas som redan har data om inte --replace "
        "anges; ett trasigt arkiv ändrar ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="arkivet från lagesbild backup")
        parser.add_argument(
            "--replace", action="store_true", help="ersätt data som redan finns i databasen"
        )

    def handle(self, *args, archive, replace, **options):
        try:
            restore_backup(archive, replace=replace, stdout=self.stdout)
        except BackupError as e:
            raise CommandError(str(e)) from e
