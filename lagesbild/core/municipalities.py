"""Sweden's municipalities, regions and Riket: product data read from data/municipalities.csv.

Source: Kolada's municipality register (see data/README.md). Pure Python, no Django, so the
analysis and statistics code can use it too.
"""

import csv
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REGISTER = Path(__file__).with_name("data") / "municipalities.csv"
RIKET = "0000"


@dataclass(frozen=True)
class Area:
    code: str  # kommunkod (4 digits), region code (00 + county digits) or 0000
    name: str
    kind: str  # "kommun", "region" or "riket"
    county: str  # region code of a municipality; the region's own code; "" for Riket
    official: str = (
        ""  # the name in running text: "Karlshamns kommun", "Malmö stad", "Region Blekinge"
    )

    @property
    def full_name(self):
        return self.official or self.name


@cache
def register():
    with REGISTER.open(encoding="utf-8", newline="") as f:
        rows = [
            Area(r["kommunkod"], r["namn"], r["typ"], r["lan"], r["officiellt_namn"])
            for r in csv.DictReader(f)
        ]
    return {a.code: a for a in rows}


def get(code):
    """The area with this code, or None."""
    return register().get(str(code))


def _ascii_slug(name):
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


@cache
def slugs():
    """{kommunkod: slug} for every municipality: the name in lower-case ASCII ("Lidköping" ->
    "lidkoping", "Upplands Väsby" -> "upplands-vasby"), as in the public pages' addresses.
    Two names that give the same slug (Habo and Håbo) both get their kommunkod added
    ("habo-0643", "habo-0305"), so no address ever depends on which was added first."""
    plain = {a.code: _ascii_slug(a.name) for a in municipalities()}
    taken = Counter(plain.values())
    return {code: s if taken[s] == 1 else f"{s}-{code}" for code, s in plain.items()}


def slug_of(code):
    """The municipality's slug, or None for a code that is not a municipality."""
    return slugs().get(str(code))


@cache
def _by_slug():
    return {s: code for code, s in slugs().items()}


def by_slug(slug):
    """The municipality with this slug, or None."""
    code = _by_slug().get(slug)
    return get(code) if code else None


def municipalities():
    return [a for a in register().values() if a.kind == "kommun"]


def regions():
    return [a for a in register().values() if a.kind == "region"]


def county_of(code):
    """The region (län) a municipality belongs to."""
    area = get(code)
    if area is None or area.kind != "kommun":
        raise KeyError(f"{code} is not a municipality code")
    return register()[area.county]
