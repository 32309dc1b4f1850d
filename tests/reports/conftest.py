"""Fixtures for the Lägesbild: a loaded policy and a statistics store with known values."""

import pytest

from lagesbild.analysis.observations import FOREIGN_BORN, NATIVE_BORN, Observation
from lagesbild.policy.loading import load_policy
from lagesbild.reports import charts
from lagesbild.stats.store import Batch, save

from ..conftest import POLICY_DIR

KARLSHAMN = POLICY_DIR / "karlshamn-integration-2026-2029.yaml"
LIDKOPING = POLICY_DIR / "lidkoping-integrationspolicy-2026.yaml"
EMPLOYMENT = "sysselsattning-20-64"  # Kolada N02268/N02269; series break 2022 in the catalogue

# Known values: foreign-born 60, 61, 62, 63, 64 (2021–2025), native-born 80 every year.
KARLSHAMN_VALUES = {
    2021: (60.0, 80.0),
    2022: (61.0, 80.0),
    2023: (62.0, 80.0),
    2024: (63.0, 80.0),
    2025: (64.0, 80.0),
}
RIKET_VALUES = {year: (65.0, 85.0) for year in KARLSHAMN_VALUES}


def employment(area, values, example=False, count=None):
    rows = []
    for year, (foreign, native) in values.items():
        rows.append(
            Observation(
                EMPLOYMENT,
                area,
                year,
                FOREIGN_BORN,
                "T",
                foreign,
                "procent",
                count=count,
                example=example,
            )
        )
        rows.append(
            Observation(
                EMPLOYMENT, area, year, NATIVE_BORN, "T", native, "procent", example=example
            )
        )
    return rows


def store(rows, ref="test", example=False):
    content = repr([(o.area, o.period, o.group, o.value) for o in rows])
    save(
        [
            Batch(
                source="example" if example else "kolada",
                source_ref=f"N02268,N02269 {ref}",
                url="https://api.kolada.se/v3/data/kpi/N02268,N02269",
                content=content,
                observations=rows,
                example=example,
            )
        ]
    )


@pytest.fixture(autouse=True)
def _fresh_charts():
    charts.clear_cache()


@pytest.fixture
def karlshamn(db):
    return load_policy(KARLSHAMN.read_bytes(), "karlshamn.yaml").version


@pytest.fixture
def lidkoping(db):
    return load_policy(LIDKOPING.read_bytes(), "lidkoping.yaml").version


@pytest.fixture
def stored(db):
    """Known employment values for Karlshamn and Riket in the statistics store."""
    county = {year: (70.0, 80.0) for year in KARLSHAMN_VALUES}  # Region Blekinge
    store(
        employment("1082", KARLSHAMN_VALUES)
        + employment("0000", RIKET_VALUES)
        + employment("0010", county)
    )
