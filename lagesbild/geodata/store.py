"""Storing and reading the small areas' boundaries (models.Boundary)."""

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from lagesbild.core import municipalities
from lagesbild.core.tables import TableError

from .files import Problem
from .models import Boundary


@dataclass
class Saved:
    deso: int
    regso: int
    kommuner: list
    kept_real: list  # municipalities whose real boundaries an example file did not replace
    example: bool = False

    def describe(self, name, crs):
        where = (
            f"{len(self.kommuner)} kommuner"
            if len(self.kommuner) > 1
            else (municipalities.get(self.kommuner[0]).name if self.kommuner else "inga kommuner")
        )
        line = f"{name}: {self.deso} DeSO och {self.regso} RegSO för {where} ({crs})."
        if self.example:
            line += " Påhittade exempelgränser, inte SCB:s områden."
        if self.kept_real:
            line += " Riktiga gränser behölls för " + ", ".join(self.kept_real) + "."
        return line


def save(boundaries, name, raw, example=False):
    """Replace the boundaries of every municipality in the file by the file's, all or nothing.

    An example file never replaces a municipality's real boundaries."""
    unknown = sorted(
        {
            f.kommun
            for f in boundaries.features
            if municipalities.get(f.kommun) is None or municipalities.get(f.kommun).kind != "kommun"
        }
    )
    if unknown:
        raise TableError(
            [Problem(name, None, "kommunkod", f"okända kommunkoder: {', '.join(unknown)}")]
        )
    kommuner = sorted({f.kommun for f in boundaries.features})
    kept_real = []
    if example:
        real = set(
            Boundary.objects.filter(kommun__in=kommuner, example=False).values_list(
                "kommun", flat=True
            )
        )
        kept_real = sorted(real)
        kommuner = [k for k in kommuner if k not in real]
    checksum = hashlib.sha256(raw).hexdigest()
    now = timezone.now()
    rows = [
        Boundary(
            code=f.code,
            level=f.level,
            kommun=f.kommun,
            parent=f.parent,
            name=f.name,
            crs=boundaries.crs,
            polygons=f.polygons,
            source=name[:200],
            checksum=checksum,
            example=example,
            imported_at=now,
        )
        for f in boundaries.features
        if f.kommun in kommuner
    ]
    with transaction.atomic():
        Boundary.objects.filter(kommun__in=kommuner).delete()
        Boundary.objects.bulk_create(rows, batch_size=500)
    return Saved(
        sum(1 for r in rows if r.level == "deso"),
        sum(1 for r in rows if r.level == "regso"),
        kommuner,
        [municipalities.get(k).name for k in kept_real],
        example,
    )


def for_kommun(kommun):
    """The municipality's boundaries as a JSON-ready dict for a report's snapshot, or None:
    {"crs", "source", "checksum", "imported_at", "example", "areas": {code: {level, parent,
    name, polygons}}}."""
    rows = list(Boundary.objects.filter(kommun=kommun))
    if not rows:
        return None
    first = max(rows, key=lambda r: r.imported_at)
    return {
        "crs": first.crs,
        "source": first.source,
        "checksum": first.checksum,
        "imported_at": first.imported_at.isoformat(timespec="seconds"),
        "example": any(r.example for r in rows),
        "areas": {
            r.code: {"level": r.level, "parent": r.parent, "name": r.name, "polygons": r.polygons}
            for r in rows
        },
    }


def regso_names():
    """{(kommunkod, RegSO name): code} of the imported boundaries, for reading files that name
    a RegSO "Kommun (RegSO-namn)" (lagesbild.stats.downloads compares the names its own way)."""
    rows = Boundary.objects.filter(level="regso").exclude(name="")
    return {
        (kommun, name): code for kommun, name, code in rows.values_list("kommun", "name", "code")
    }
