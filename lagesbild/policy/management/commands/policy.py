"""lagesbild policy check|load|list: policy files in and out of the database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lagesbild.policy.document import MAX_FILE_BYTES, PolicyError
from lagesbild.policy.loading import check_policy, load_policy
from lagesbild.policy.models import Policy


def read_file(name):
    path = Path(name)
    try:
        with path.open("rb") as f:
            # One byte over the limit is enough for the check to refuse the file.
            return f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise CommandError(f"{name}: filen finns inte") from None
    except IsADirectoryError:
        raise CommandError(f"{name}: är en mapp, inte en policyfil") from None
    except OSError as e:
        raise CommandError(f"{name}: kan inte läsas ({e.strerror})") from None


class Command(BaseCommand):
    help = "Kontrollera, läs in och lista policyfiler (format: docs/policy-format.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="kontrollera en policyfil utan att läsa in den")
        check.add_argument("files", nargs="+", metavar="FIL")
        load = sub.add_parser("load", help="läs in en policyfil som ny gällande version")
        load.add_argument("files", nargs="+", metavar="FIL")
        sub.add_parser("list", help="lista inlästa policyer och versioner")

    def handle(self, *args, action, **options):
        return getattr(self, f"do_{action}")(**options)

    def do_check(self, files, **options):
        failed = []
        for name in files:
            _, problems = check_policy(read_file(name), name)
            if problems:
                failed.append(name)
                for problem in problems:
                    self.stderr.write(str(problem))
            else:
                self.stdout.write(f"{name}: OK")
        if failed:
            raise CommandError(f"{len(failed)} fil(er) har fel", returncode=1)

    def do_load(self, files, **options):
        for name in files:
            try:
                result = load_policy(read_file(name), name)
            except PolicyError as e:
                for problem in e.problems:
                    self.stderr.write(str(problem))
                raise CommandError(f"{name}: inget lästes in", returncode=1) from None
            v = result.version
            if result.created:
                self.stdout.write(f"{name}: inläst som {v.policy.slug} version {v.number}")
            else:
                self.stdout.write(f"{name}: oförändrad ({v.policy.slug} version {v.number})")

    def do_list(self, **options):
        policies = Policy.objects.prefetch_related("versions")
        if not policies:
            self.stdout.write("Ingen policy är inläst.")
        for policy in policies:
            self.stdout.write(
                f"{policy.slug}  {policy.municipality} {policy.municipality_name}: {policy.title}"
            )
            for v in policy.versions.all():
                mark = "*" if v.is_current else " "
                self.stdout.write(
                    f"  {mark} v{v.number}  {v.decision_reference or v.decision_date}  "
                    f"inläst {timezone.localtime(v.loaded_at):%Y-%m-%d %H:%M}  {v.source_name}"
                )
