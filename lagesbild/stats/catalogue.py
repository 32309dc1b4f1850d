"""The indicator catalogue: product data in catalogue.yaml, reviewed by hand.

Policies refer to indicators by the ids defined here; `lagesbild policy check` rejects others.
"""

from functools import cache
from pathlib import Path

import yaml

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")


@cache
def load_catalogue():
    data = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8")) or {}
    return {entry["id"]: entry for entry in data.get("indicators", [])}


def indicator_ids():
    return frozenset(load_catalogue())
