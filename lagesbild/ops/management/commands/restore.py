"""lagesbild restore FILE [--replace | --verify]: restore a backup archive, all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from lagesbild.ops.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Återställ en säkerhetskopia. Vägrar en databas som redan har data om inte --replace "
        "anges; ett trasigt eller ändrat arkiv ändrar ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="arkivet från lagesbild backup")
        parser.add_argument(
            "--replace", action="store_true", help="ersätt data som redan finns i databasen"
        )
        parser.add_argument(
            "--verify",
            action="store_true",
            help="kontrollera bara arkivet (manifestets HMAC, kontrollsummor), återställ inget",
        )

    def handle(self, *args, archive, replace, verify, **options):
        try:
            if verify:
                manifest = verify_backup(archive)
                self.stdout.write(
                    f"{archive} är helt och äkta: {len(manifest['tables'])} tabeller, "
                    f"{len(manifest['files'])} filer (gjord {manifest['created_at']})."
                )
                return
            restore_backup(archive, replace=replace, stdout=self.stdout)
        except BackupError as e:
            raise CommandError(str(e)) from e
