"""Shared test fixtures. Reference data is read from ../shared/data, never copied."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
POLICY_DIR = ROOT / "policies"


@pytest.fixture
def shared_data():
    if not SHARED_DATA.is_dir():
        pytest.fail(f"reference data missing: {SHARED_DATA} (clone ../shared beside the repo)")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, settings):
    """Generated files go to a fresh folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HOME = tmp_path
