"""lagesbild export --kommun 1082 --format csv|xlsx|json: observations with provenance."""

import io

from django.core.management.base import BaseCommand, CommandError

from lagesbild.core import municipalities
from lagesbild.stats import catalogue, queries
from lagesbild.stats.files import GAP_COLUMNS, export_rows, gap_rows, write_export
from lagesbild.stats.models import Observation


class Command(BaseCommand):
    help = (
        "Exportera gällande värden för kommunen och dess jämförelseområden (län, riket, "
        "jämförelsegrupp) med källa, adress, tid och kontrollsumma per rad."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kommun", required=True)
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("--output", "-o", help="fil att skriva (standard: skärmen)")
        parser.add_argument(
            "--bara-kommunen", action="store_true", help="bara kommunen, inga jämförelseområden"
        )
        parser.add_argument(
            "--skillnader",
            action="store_true",
            help="skillnaden utrikes − inrikes födda per indikator, område och år, med ord",
        )

    def handle(self, *args, kommun, format, output, bara_kommunen, skillnader, **options):
        area = municipalities.get(kommun)
        if area is None or area.kind != "kommun":
            raise CommandError(f"--kommun: {kommun!r} är ingen kommunkod")
        areas = [kommun]
        if not bara_kommunen:
            comp = queries.comparison_areas(kommun)
            areas += [comp["county"], comp["riket"], *comp["group_members"]]
        if format == "xlsx" and not output:
            raise CommandError("--format xlsx behöver --output FIL")
        if skillnader:
            units = {i: e["unit"] for i, e in catalogue.catalogue_for(kommun).items()}
            rows = list(gap_rows(queries.observations(list(units), areas), units))
            if output:
                write_export(rows, format, output, columns=GAP_COLUMNS)
                self.stderr.write(f"{output}: {len(rows)} skillnader")
            else:
                text = io.StringIO()
                write_export(rows, format, stream=text, columns=GAP_COLUMNS)
                self.stdout.write(text.getvalue(), ending="")
            return
        rows = (
            Observation.objects.filter(current=True, area__in=areas)
            .select_related("snapshot")
            .order_by("indicator", "area", "period", "group", "sex")
        )
        if not output:
            text = io.StringIO()
            write_export(export_rows(rows.iterator(chunk_size=5000)), format, stream=text)
            self.stdout.write(text.getvalue(), ending="")
            return
        write_export(export_rows(rows.iterator(chunk_size=5000)), format, output)
        if output:
            self.stderr.write(f"{output}: {rows.count()} värden")
