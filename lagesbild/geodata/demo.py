"""Example boundaries for the demo's example small areas. NOT SCB's areas.

Source: none. The example areas (lagesbild.stats.example.example_areas) are drawn as a made-up
town: each RegSO a row of squares of 1 km, the rural RegSO a wider strip beside them, in
SWEREF 99 TM near the municipality's real place only by its code's order (no real geography).
The file is written as GeoJSON to the data folder, named as example boundaries and marked
`"exempel"` in every feature, and read with `lagesbild geodata import --example` like any file.
"""

import hashlib

from django.conf import settings
from django.core.management import call_command
from shapely.geometry import box
from shapely.ops import unary_union

from lagesbild.stats.example import DEMO_MUNICIPALITIES, example_areas

from .files import Boundaries, Feature, to_geojson
from .models import Boundary

LABEL = "Påhittade exempelgränser – inte SCB:s DeSO- och RegSO-områden"
SIDE = 1000.0  # metres
REGSO_NAMES = {
    1: "Exempelstaden centrum",
    2: "Exempelstaden norr",
    3: "Exempelstaden söder",
    4: "Exempelbygden",
}


def _polygons(geometry):
    parts = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    return [[[list(map(float, xy)) for xy in part.exterior.coords]] for part in parts]


def example_boundaries(kommun):
    """Boundaries of the municipality's example areas (EPSG:3006)."""
    x0, y0 = 400_000.0 + 20_000 * (int(kommun) % 20), 6_300_000.0 + 30_000 * (int(kommun) % 30)
    cells, column = {}, {}
    for code, parent, (category, regso, *_rest) in example_areas(kommun):
        if category == "C":  # the town: one row of squares per RegSO
            i = column.get(regso, 0)
            column[regso] = i + 1
            cell = box(
                x0 + i * SIDE, y0 + (regso - 1) * SIDE, x0 + (i + 1) * SIDE, y0 + regso * SIDE
            )
        else:  # the countryside: tall strips east of the town
            i = column.get(regso, 0)
            column[regso] = i + 1
            cell = box(x0 + (3 + i) * SIDE, y0, x0 + (4 + i) * SIDE, y0 + 3 * SIDE)
        cells[code] = (parent, cell)
    features = [
        Feature(code, "deso", kommun, parent, "", _polygons(cell))
        for code, (parent, cell) in cells.items()
    ]
    for parent in sorted({p for p, _ in cells.values()}):
        union = unary_union([c for p, c in cells.values() if p == parent])
        name = REGSO_NAMES.get(int(parent[-3:]), "")
        features.append(Feature(parent, "regso", kommun, "", name, _polygons(union)))
    return Boundaries("EPSG:3006", features)


def load_demo(stdout):
    for kommun in DEMO_MUNICIPALITIES:
        path = settings.HOME / f"exempelgranser-{kommun}.geojson"
        raw = to_geojson(example_boundaries(kommun), label=LABEL).encode("utf-8")
        checksum = hashlib.sha256(raw).hexdigest()
        if Boundary.objects.filter(kommun=kommun, checksum=checksum).exists():
            stdout.write(f"{path.name}: exempelgränserna är redan inlästa.")
            continue
        path.write_bytes(raw)
        call_command("geodata", "import", str(path), "--example", stdout=stdout)
