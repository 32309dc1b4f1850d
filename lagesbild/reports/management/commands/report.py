"""lagesbild report: write a municipality's Lägesbild for a year as HTML, PDF or Word."""

import os
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lagesbild.core import municipalities
from lagesbild.policy.models import Policy
from lagesbild.reports.models import PublishedReport
from lagesbild.reports.publishing import FORMATS, published_status, render, render_published


class Command(BaseCommand):
    help = (
        "Skriv lägesbilden för en kommun och ett år som HTML, PDF eller Word "
        "(utkast med dagens data, eller en publicerad version med --published N)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kommun", required=True, help="kommunkod, t.ex. 1082")
        parser.add_argument("--year", type=int, required=True, help="lägesbildens år, t.ex. 2025")
        parser.add_argument("--format", choices=sorted(FORMATS), default="pdf")
        parser.add_argument("--out", required=True, help="filen som ska skrivas")
        parser.add_argument("--policy", help="policyns id, om kommunen har flera policyer")
        parser.add_argument(
            "--published",
            type=int,
            dest="number",
            metavar="N",
            help="en publicerad version i stället för utkastet",
        )

    def handle(self, *args, kommun, year, format, out, policy, number, **options):
        area = municipalities.get(kommun)
        if area is None or area.kind != "kommun":
            raise CommandError(f"--kommun: okänd kommunkod {kommun!r}")
        policies = Policy.objects.filter(municipality=kommun)
        if policy:
            policies = policies.filter(slug=policy)
        policies = list(policies)
        if not policies:
            raise CommandError(f"--kommun {kommun}: ingen policy är inläst för {area.name}")
        if len(policies) > 1:
            slugs = ", ".join(p.slug for p in policies)
            raise CommandError(f"--kommun {kommun} har flera policyer ({slugs}); välj med --policy")
        policy = policies[0]

        started = time.perf_counter()
        if number is not None:
            report = PublishedReport.objects.filter(policy=policy, year=year, number=number).first()
            if report is None:
                raise CommandError(
                    f"--published {number}: ingen publicerad lägesbild {year} med det numret"
                )
            content = render_published(report, format)
            what = published_status(report)
        else:
            if policy.current is None:
                raise CommandError(f"{policy}: ingen gällande policyversion")
            from lagesbild.reports.lagesbild import collect

            content = render(collect(policy.current, year), format, "Utkast")
            what = "utkast"
        if isinstance(content, str):
            content = content.encode("utf-8")

        # Write next to the target and rename, so a failed run never leaves half a file.
        path = Path(out).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Lägesbild {year} för {area.name} ({what}) skriven till {path} "
            f"({len(content) // 1024} kB, {format}, {seconds:.1f} s)"
        )
