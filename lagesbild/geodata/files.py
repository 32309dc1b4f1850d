"""Boundaries of DeSO and RegSO areas read from SCB's open geodata files. No Django.

Sources:
- SCB, "Öppna geodata för DeSO – Demografiska statistikområden" and the same for RegSO
  (scb.se, Regionala indelningar; licence CC0): GeoPackage files with the layers DeSO_2025,
  DeSO_2018 and RegSO_2025 in SWEREF 99 TM (EPSG:3006). Attributes: `desokod`, `regsokod`,
  `kommunkod` (and `regsonamn` on RegSO). A DeSO feature's `regsokod` is the RegSO it lies in.
- GeoPackage (OGC 12-128r18): an SQLite file; `gpkg_contents` lists the feature tables,
  `gpkg_geometry_columns` names each table's geometry column and `srs_id`,
  `gpkg_spatial_ref_sys` what that srs_id is (organization "EPSG", organization_coordsys_id).
  A geometry is a blob: "GP", version, flags (bit 0 byte order, bits 1–3 the envelope's size,
  bit 4 empty), int32 srs_id, the envelope, then standard WKB.
- GeoJSON (RFC 7946): a FeatureCollection; coordinates in WGS 84 unless the older `crs` member
  names another (SCB's GeoJSON exports name EPSG:3006 that way).

Every problem is a Problem naming the file, the feature (its number and code) and the field.
Coordinates are kept in the file's system; geometry is simplified for drawing (a map of a
municipality needs metres, not centimetres) and checked with shapely.
"""

import json
import math
import re
import sqlite3
import tempfile
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from lagesbild.analysis import small_areas
from lagesbild.core.tables import TableError

# The coordinate systems a file may be in: SWEREF 99 TM (metres, SCB's) and WGS 84 (degrees).
CRS = {"3006": "EPSG:3006", "4326": "EPSG:4326", "CRS84": "EPSG:4326"}
# Simplification for drawing: about 5 m in SWEREF 99 TM, the same in degrees.
TOLERANCE = {"EPSG:3006": 5.0, "EPSG:4326": 0.00005}
DECIMALS = {"EPSG:3006": 0, "EPSG:4326": 6}
MAX_FEATURES = 20_000  # Sweden has about 6,200 DeSO and 3,400 RegSO
CODE_FIELDS = {"deso": ("desokod", "deso"), "regso": ("regsokod", "regso")}


@dataclass
class Problem:
    """One reason a file was not read: where (the feature, its field) and what."""

    file: str
    feature: str | None
    field: str
    message: str

    def __str__(self):
        field = f"fält '{self.field}'" if self.field else ""
        where = ", ".join(x for x in (self.file, self.feature, field) if x)
        return f"{where}: {self.message}"


@dataclass
class Feature:
    code: str
    level: str  # "deso" or "regso"
    kommun: str
    parent: str  # a DeSO's RegSO, "" for a RegSO or where the file does not say
    name: str  # a RegSO's name, "" for a DeSO
    polygons: list  # [[ring, …], …]: each ring [[x, y], …], closed; outer ring first


@dataclass
class Boundaries:
    crs: str
    features: list


def _fail(name, message, feature=None, field=""):
    return TableError([Problem(name, feature, field, message)])


def _crs_of(text, name):
    """'EPSG:3006' from 'urn:ogc:def:crs:EPSG::3006', 'EPSG:3006', 'OGC:CRS84' …"""
    text = str(text or "").strip()
    code = re.split(r"[:\s]+", text.upper())[-1]
    if code in CRS:
        return CRS[code]
    raise _fail(
        name,
        f"koordinatsystemet {text!r} kan inte läsas: använd SCB:s fil i SWEREF 99 TM "
        "(EPSG:3006) eller GeoJSON i WGS 84",
    )


def _polygons(geometry, crs):
    """A valid (Multi)Polygon as [[ring, …], …], simplified and rounded; ValueError else."""
    if isinstance(geometry, ValueError):  # could not be read at all
        raise geometry
    if geometry is None or geometry.is_empty:
        raise ValueError("geometrin är tom")
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"geometrin är {geometry.geom_type}, inte en yta (Polygon)")
    if not geometry.is_valid:
        raise ValueError(f"geometrin är ogiltig ({shapely.is_valid_reason(geometry)})")
    simple = geometry.simplify(TOLERANCE[crs], preserve_topology=True)
    parts = list(simple.geoms) if isinstance(simple, MultiPolygon) else [simple]
    digits = DECIMALS[crs]

    def ring(coords):
        return [[round(x, digits), round(y, digits)] for x, y, *_ in coords]

    out = []
    for part in parts:
        if not isinstance(part, Polygon) or part.is_empty:
            continue
        out.append([ring(part.exterior.coords)] + [ring(i.coords) for i in part.interiors])
    if not out:
        raise ValueError("geometrin försvinner när den förenklas")
    for part in out:
        for r in part:
            if not all(math.isfinite(c) for point in r for c in point):
                raise ValueError("geometrin har koordinater som inte är tal")
    if crs == "EPSG:4326" and not all(
        -180 <= x <= 180 and -90 <= y <= 90 for part in out for r in part for x, y in r
    ):
        raise ValueError("koordinaterna ligger utanför WGS 84 (longitud, latitud)")
    return out


def _lower(properties):
    return {str(k).lower(): v for k, v in (properties or {}).items()}


def _feature(props, geometry, crs, name, number):
    """A Feature from one record's attributes and geometry; TableError on a problem."""
    props = _lower(props)
    deso = str(props.get("desokod") or props.get("deso") or "").strip()
    regso = str(props.get("regsokod") or props.get("regso") or "").strip()
    code = small_areas.plain_code(deso or regso)
    level = small_areas.level_of(code)
    label = f"objekt {number}" + (f" ({code})" if code else "")
    if not code:
        raise _fail(name, "saknar desokod och regsokod", label, "desokod")
    if level is None or (deso and level != "deso"):
        field = "desokod" if deso else "regsokod"
        raise _fail(name, f"{code!r} är ingen DeSO- eller RegSO-kod", label, field)
    kommun = str(props.get("kommunkod") or code[:4]).strip().zfill(4)
    if kommun != code[:4]:
        raise _fail(name, f"kommunkod {kommun} stämmer inte med koden {code}", label, "kommunkod")
    parent = small_areas.plain_code(regso) if deso and regso else ""
    if parent and (small_areas.level_of(parent) != "regso" or parent[:4] != kommun):
        raise _fail(name, f"{regso!r} är ingen RegSO-kod i kommun {kommun}", label, "regsokod")
    try:
        polygons = _polygons(geometry, crs)
    except ValueError as e:
        raise _fail(name, str(e), label, "geometri") from None
    title = "" if level == "deso" else str(props.get("regsonamn") or props.get("namn") or "")
    return Feature(code, level, kommun, parent, title.strip()[:120], polygons)


def _collect(rows, crs, name):
    """Features from (attributes, geometry) pairs; every problem reported, at most 20."""
    features, errors, seen = [], [], {}
    for number, (props, geometry) in enumerate(rows, start=1):
        if number > MAX_FEATURES:
            raise _fail(name, f"filen har fler än {MAX_FEATURES} objekt")
        try:
            feature = _feature(props, geometry, crs, name, number)
        except TableError as e:
            errors += e.errors
            if len(errors) >= 20:
                break
            continue
        if feature.code in seen:
            errors.append(
                Problem(
                    name,
                    f"objekt {number} ({feature.code})",
                    "desokod",
                    f"samma kod som objekt {seen[feature.code]}",
                )
            )
            continue
        seen[feature.code] = number
        features.append(feature)
    if errors:
        raise TableError(errors)
    if not features:
        raise _fail(name, "filen har inga DeSO- eller RegSO-områden")
    return Boundaries(crs, features)


# --- GeoJSON ---------------------------------------------------------------------------------


def read_geojson(raw, name):
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise _fail(name, f"filen är inte GeoJSON: {e}") from None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise _fail(name, "filen är inte en GeoJSON FeatureCollection")
    crs_member = (
        (doc.get("crs") or {}).get("properties", {}).get("name")
        if isinstance(doc.get("crs"), dict)
        else None
    )
    crs = _crs_of(crs_member, name) if crs_member else "EPSG:4326"
    features = doc.get("features")
    if not isinstance(features, list):
        raise _fail(name, "FeatureCollection saknar listan features")

    def rows():
        for item in features:
            if not isinstance(item, dict) or item.get("type") != "Feature":
                yield {}, None
                continue
            try:
                geometry = shape(item["geometry"]) if item.get("geometry") else None
            except (KeyError, TypeError, ValueError, AttributeError, IndexError) as e:
                geometry = ValueError(f"geometrin kan inte läsas: {e}")
            yield item.get("properties"), geometry

    return _collect(rows(), crs, name)


# --- GeoPackage ------------------------------------------------------------------------------


def _gpkg_geometry(blob):
    """The shapely geometry in a GeoPackage geometry blob (None for an empty one)."""
    if blob is None:
        return None
    blob = bytes(blob)
    if len(blob) < 8 or blob[:2] != b"GP":
        raise ValueError("geometrin är inte en GeoPackage-geometri")
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get((flags >> 1) & 0b111)
    if envelope is None:
        raise ValueError("geometrins kuvert har okänd typ")
    if flags & 0b10000:
        return None
    return shapely.from_wkb(blob[8 + envelope :])


def _newest_layers(db, layers):
    """The DeSO layer and the RegSO layer to read: of several (SCB's file has DeSO_2018 and
    DeSO_2025), the one whose name has the latest year, since the codes repeat between them."""
    chosen = {}
    for table, column, srs_id in layers:
        fields = {r[1].lower() for r in db.execute(f'PRAGMA table_info("{table}")')}
        kind = "deso" if "desokod" in fields else "regso" if "regsokod" in fields else None
        if kind is None:
            continue
        year = max((int(y) for y in re.findall(r"(?:19|20)\d\d", table)), default=0)
        if kind not in chosen or year > chosen[kind][0]:
            chosen[kind] = (year, (table, column, srs_id))
    return [layer for _year, layer in chosen.values()]


def read_geopackage(raw, name):
    with tempfile.NamedTemporaryFile(suffix=".gpkg") as f:
        f.write(raw)
        f.flush()
        try:
            db = sqlite3.connect(f"file:{f.name}?mode=ro", uri=True)
            layers = db.execute(
                "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c JOIN "
                "gpkg_geometry_columns g ON g.table_name = c.table_name "
                "WHERE c.data_type = 'features'"
            ).fetchall()
        except sqlite3.DatabaseError as e:
            raise _fail(name, f"filen är inte en GeoPackage: {e}") from None
        try:
            found, crs = [], None
            for table, column, srs_id in _newest_layers(db, layers):
                fields = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
                org = db.execute(
                    "SELECT organization, organization_coordsys_id FROM gpkg_spatial_ref_sys "
                    "WHERE srs_id = ?",
                    (srs_id,),
                ).fetchone()
                layer_crs = _crs_of(f"{org[0]}:{org[1]}" if org else srs_id, name)
                if crs and layer_crs != crs:
                    raise _fail(name, f"lagren har olika koordinatsystem ({crs}, {layer_crs})")
                crs = layer_crs
                others = [c for c in fields if c != column]
                cursor = db.execute(
                    "SELECT " + ", ".join(f'"{c}"' for c in [*others, column]) + f' FROM "{table}"'
                )
                for record in cursor:
                    props = dict(zip(others, record[:-1], strict=True))
                    try:
                        geometry = _gpkg_geometry(record[-1])
                    except (ValueError, shapely.errors.GEOSException) as e:
                        geometry = ValueError(f"geometrin kan inte läsas: {e}")
                    found.append((props, geometry))
        finally:
            db.close()
    if crs is None:
        raise _fail(name, "GeoPackage-filen har inget lager med desokod eller regsokod")
    return _collect(found, crs, name)


def read(raw, name):
    """Boundaries from the bytes of a GeoPackage or GeoJSON file; TableError on problems."""
    if raw[:16] == b"SQLite format 3\x00":
        return read_geopackage(raw, name)
    if raw.lstrip()[:1] in (b"{", b"\xef"):
        return read_geojson(raw, name)
    raise _fail(name, "filen är varken GeoPackage (.gpkg) eller GeoJSON")


def to_geojson(boundaries, label=""):
    """The boundaries as GeoJSON text (the format the demo's example file is written in);
    `label` is written into every feature as "exempel" (example boundaries say so)."""
    doc = {
        "type": "FeatureCollection",
        **({"name": label} if label else {}),
        "crs": {"type": "name", "properties": {"name": boundaries.crs}},
        "features": [
            {
                "type": "Feature",
                "properties": {
                    ("desokod" if f.level == "deso" else "regsokod"): f.code,
                    **({"regsokod": f.parent} if f.parent else {}),
                    "kommunkod": f.kommun,
                    **({"regsonamn": f.name} if f.name else {}),
                    **({"exempel": label} if label else {}),
                },
                "geometry": {"type": "MultiPolygon", "coordinates": f.polygons},
            }
            for f in boundaries.features
        ],
    }
    return json.dumps(doc, ensure_ascii=False)
