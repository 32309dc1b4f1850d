"""lagesbild demo: set up the offline demo and serve it on 127.0.0.1.

Creates or migrates the SQLite database in LAGESBILD_HOME, loads the shipped policies, creates
one demo account per role and lets every app add its own demo content (a `demo.py` with
`load_demo(stdout)` in the app). Running it again keeps everything already there.

`--kommun KOD` (repeatable) also loads labelled example statistics for that municipality, its
county, Riket and its comparison group (lagesbild.stats.example_data). `--ta-bort-exempel KOD`
does nothing else: it removes that municipality's example values again and exits (allowed in
production too, since it only removes example values).
"""

import importlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

import lagesbild
from lagesbild.core import municipalities
from lagesbild.policy.loading import load_policy

POLICY_DIR = Path(lagesbild.__file__).resolve().parent.parent / "policies"


class Command(BaseCommand):
    help = "Starta demot: databas, båda policyerna, demokonton och exempeldata, på http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-serve", action="store_true", help="förbered bara, starta ingen server"
        )
        parser.add_argument(
            "--kommun",
            action="append",
            default=[],
            metavar="KOD",
            help="läs också in exempeldata för kommunen, dess län, riket och jämförelsegrupp "
            "(kan upprepas)",
        )
        parser.add_argument(
            "--ta-bort-exempel",
            dest="remove",
            metavar="KOD",
            help="ta bort kommunens exempeldata (riktiga värden rörs inte) och avsluta",
        )

    def handle(self, *args, port, no_serve, kommun, remove, **options):
        from lagesbild.stats import example_data

        for code in [*kommun, *([remove] if remove else [])]:
            area = municipalities.get(code)
            if area is None or area.kind != "kommun":
                raise CommandError(f"{code!r} är ingen kommunkod (fyra siffror, t.ex. 0780).")
        if remove:
            result = example_data.remove(remove)
            self.stdout.write(result.describe_removal())
            return
        if settings.PRODUCTION:
            raise CommandError(
                "lagesbild demo skapar demokonton och körs inte med LAGESBILD_ENV=production."
            )
        self.stdout.write(f"Data i {settings.HOME}")
        call_command("migrate", interactive=False, verbosity=0)

        for path in sorted(POLICY_DIR.glob("*.yaml")):
            result = load_policy(path.read_bytes(), str(path.relative_to(POLICY_DIR.parent)))
            state = "inläst" if result.created else "redan inläst"
            self.stdout.write(
                f"Policy {result.version.policy.title} ({result.version.policy.municipality_name}): {state}"
            )

        for config in apps.get_app_configs():
            if not config.name.startswith("lagesbild."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as e:
                if e.name != f"{config.name}.demo":
                    raise
                continue
            module.load_demo(self.stdout)

        for code in dict.fromkeys(kommun):
            self.stdout.write(f"Statistik: {example_data.load(code).describe()}")

        from lagesbild.accounts.demo import describe

        self.stdout.write("\nDemokonton (användarnamn, lösenord, roll):")
        for line in describe():
            self.stdout.write(line)
        if no_serve:
            return
        self.stdout.write(f"\nÖppna http://127.0.0.1:{port}/ – avsluta med Ctrl+C.\n")
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
