"""`lagesbild geodata import FILE`: SCB's open DeSO/RegSO geodata, as GeoJSON and GeoPackage
files these tests build themselves in the shape SCB's files have (layers DeSO_2025 and
RegSO_2025 in SWEREF 99 TM, EPSG:3006, attributes desokod, regsokod, kommunkod, regsonamn; the
GeoPackage encoding per OGC 12-128r18). Every problem names its feature and field, and a bad
file changes nothing."""

import json
import re
import sqlite3
import struct

import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import box

from lagesbild.geodata.models import Boundary

pytestmark = pytest.mark.django_db

X, Y = 430_000, 6_480_000  # somewhere in SWEREF 99 TM; the squares are test inputs


def square(i, j=0, side=1000):
    return box(X + i * side, Y + j * side, X + (i + 1) * side, Y + (j + 1) * side)


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": shapely.geometry.mapping(geometry)}


def geojson(features, crs="urn:ogc:def:crs:EPSG::3006"):
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc)


LIDKOPING = [
    feature({"desokod": "1494C1010", "regsokod": "1494R001", "kommunkod": "1494"}, square(0)),
    feature({"desokod": "1494C1020", "regsokod": "1494R001", "kommunkod": "1494"}, square(1)),
    feature({"desokod": "1494A0010", "regsokod": "1494R002", "kommunkod": "1494"}, square(2)),
    feature(
        {"regsokod": "1494R001", "regsonamn": "Centrum", "kommunkod": "1494"},
        shapely.unary_union([square(0), square(1)]),
    ),
    feature({"regsokod": "1494R002", "regsonamn": "Landet", "kommunkod": "1494"}, square(2)),
]


def run(tmp_path, text, name="deso.geojson", *extra):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    call_command("geodata", "import", str(path), *extra)


def test_a_geojson_file_is_stored_with_parents_and_names(tmp_path, capsys):
    run(tmp_path, geojson(LIDKOPING))
    assert "deso.geojson: 3 DeSO och 2 RegSO för Lidköping (EPSG:3006)." in capsys.readouterr().out
    rows = {b.code: b for b in Boundary.objects.all()}
    assert set(rows) == {"1494C1010", "1494C1020", "1494A0010", "1494R001", "1494R002"}
    assert rows["1494C1010"].parent == "1494R001" and rows["1494C1010"].level == "deso"
    assert rows["1494R001"].name == "Centrum" and rows["1494R001"].level == "regso"
    outer = rows["1494C1010"].polygons[0][0]
    assert shapely.Polygon(outer).equals(square(0))  # a square stays a square when simplified
    # A new file for the municipality replaces all its areas.
    run(tmp_path, geojson(LIDKOPING[:1]))
    assert list(Boundary.objects.values_list("code", flat=True)) == ["1494C1010"]


@pytest.mark.parametrize(
    ("features", "crs", "message"),
    [
        (
            [feature({"desokod": "1494D1010"}, square(0))],
            "EPSG:3006",
            "objekt 1 (1494D1010), fält 'desokod': '1494D1010' är ingen DeSO- eller RegSO-kod",
        ),
        (
            [feature({"desokod": "1494C1010", "kommunkod": "1082"}, square(0))],
            "EPSG:3006",
            "objekt 1 (1494C1010), fält 'kommunkod': kommunkod 1082 stämmer inte med koden",
        ),
        (
            [
                feature({"desokod": "1494C1010"}, square(0)),
                feature(
                    {"desokod": "1494C1020"},
                    shapely.Polygon([(X, Y), (X + 10, Y + 10), (X + 10, Y), (X, Y + 10)]),
                ),
            ],
            "EPSG:3006",
            "objekt 2 (1494C1020), fält 'geometri': geometrin är ogiltig (Self-intersection",
        ),
        (
            [feature({"desokod": "1494C1010"}, shapely.Point(X, Y))],
            "EPSG:3006",
            "objekt 1 (1494C1010), fält 'geometri': geometrin är Point, inte en yta",
        ),
        (
            [
                feature({"desokod": "1494C1010"}, square(0)),
                feature({"desokod": "1494C1010"}, square(1)),
            ],
            "EPSG:3006",
            "objekt 2 (1494C1010), fält 'desokod': samma kod som objekt 1",
        ),
        (
            [feature({"desokod": "1494C1010"}, square(0))],
            "EPSG:3021",
            "koordinatsystemet 'EPSG:3021' kan inte läsas",
        ),
        (
            [feature({"desokod": "1494C1010"}, square(0))],
            None,  # GeoJSON without crs is WGS 84: SWEREF coordinates are out of range
            "koordinaterna ligger utanför WGS 84",
        ),
        (
            [feature({"desokod": "9999C1010"}, square(0))],
            "EPSG:3006",
            "okända kommunkoder: 9999",
        ),
    ],
)
def test_a_bad_file_names_the_place_and_changes_nothing(tmp_path, features, crs, message):
    run(tmp_path, geojson(LIDKOPING))
    with pytest.raises(CommandError) as e:
        run(tmp_path, geojson(features, crs), "fel.geojson")
    assert "Inget lästes in" in str(e.value) and message in str(e.value), str(e.value)
    assert Boundary.objects.count() == len(LIDKOPING)


def test_files_that_are_not_geodata_are_refused(tmp_path):
    for raw, message in (
        (b"desokod;namn\n1494C1010;x\n", "varken GeoPackage (.gpkg) eller GeoJSON"),
        (b'{"type": "Feature"}', "inte en GeoJSON FeatureCollection"),
        (b"{not json", "filen är inte GeoJSON"),
    ):
        with pytest.raises(CommandError, match=re.escape(message)):
            run(tmp_path, raw, "x.geojson")
    assert not Boundary.objects.exists()


def gpkg_blob(geometry, srs_id=3006):
    """A GeoPackage geometry: "GP", version 0, flags (little-endian, envelope xy), srs_id,
    the envelope (minx, maxx, miny, maxy), then WKB (OGC 12-128r18, 2.1.3)."""
    minx, miny, maxx, maxy = geometry.bounds
    header = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i", srs_id)
    return header + struct.pack("<4d", minx, maxx, miny, maxy) + shapely.to_wkb(geometry)


def write_gpkg(path, layers):
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT, srs_id INTEGER PRIMARY KEY,
            organization TEXT, organization_coordsys_id INTEGER, definition TEXT,
            description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT PRIMARY KEY, data_type TEXT,
            identifier TEXT, srs_id INTEGER);
        CREATE TABLE gpkg_geometry_columns (table_name TEXT, column_name TEXT,
            geometry_type_name TEXT, srs_id INTEGER, z INTEGER, m INTEGER);
        INSERT INTO gpkg_spatial_ref_sys VALUES ('SWEREF99 TM', 3006, 'EPSG', 3006, '', '');
        """
    )
    for table, rows in layers.items():
        columns = list(rows[0][0])
        db.execute(
            f'CREATE TABLE "{table}" (fid INTEGER PRIMARY KEY, '
            + ", ".join(f"{c} TEXT" for c in columns)
            + ", geom BLOB)"
        )
        db.execute("INSERT INTO gpkg_contents VALUES (?, 'features', ?, 3006)", (table, table))
        db.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', 3006, 0, 0)",
            (table,),
        )
        for props, geometry in rows:
            db.execute(
                f'INSERT INTO "{table}" ({", ".join(columns)}, geom) VALUES '
                f"({', '.join('?' * len(columns))}, ?)",
                (*props.values(), gpkg_blob(geometry)),
            )
    db.commit()
    db.close()


def test_a_geopackage_in_scbs_layers_is_read(tmp_path, capsys):
    path = tmp_path / "DeSO_2025.gpkg"
    write_gpkg(
        path,
        {
            "DeSO_2025": [
                ({"desokod": "1494C1010", "regsokod": "1494R001", "kommunkod": "1494"}, square(0)),
                ({"desokod": "1082C1010", "regsokod": "1082R001", "kommunkod": "1082"}, square(5)),
            ],
            "RegSO_2025": [
                ({"regsokod": "1494R001", "regsonamn": "Centrum", "kommunkod": "1494"}, square(0)),
            ],
        },
    )
    call_command("geodata", "import", str(path))
    assert "2 DeSO och 1 RegSO för 2 kommuner (EPSG:3006)" in capsys.readouterr().out
    rows = {b.code: b for b in Boundary.objects.all()}
    assert rows["1494C1010"].parent == "1494R001" and rows["1494R001"].name == "Centrum"
    assert shapely.Polygon(rows["1082C1010"].polygons[0][0]).equals(square(5))


def test_example_boundaries_never_replace_real_ones(tmp_path, capsys):
    run(tmp_path, geojson(LIDKOPING))
    run(tmp_path, geojson(LIDKOPING[:1]), "exempel.geojson", "--example")
    assert Boundary.objects.count() == len(LIDKOPING)
    assert not Boundary.objects.filter(example=True).exists()
    assert "Riktiga gränser behölls för Lidköping" in capsys.readouterr().out


def test_of_two_divisions_in_one_geopackage_the_newest_is_read(tmp_path):
    path = tmp_path / "DeSO.gpkg"
    code = {"desokod": "1494C1010", "regsokod": "1494R001", "kommunkod": "1494"}
    write_gpkg(path, {"DeSO_2018": [(code, square(0))], "DeSO_2025": [(code, square(7))]})
    call_command("geodata", "import", str(path))
    (row,) = Boundary.objects.all()
    assert shapely.Polygon(row.polygons[0][0]).equals(square(7))
