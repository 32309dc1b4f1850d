"""lagesbild.core.text: XML-invalid characters never reach the database or a document."""

import pytest

from lagesbild.accounts.models import Department
from lagesbild.core.text import clean_json, clean_text
from lagesbild.stats.models import Snapshot


@pytest.mark.parametrize(
    "given, kept",
    [
        ("Rad\tett\r\nRad två", "Rad\tett\r\nRad två"),  # tab, CR and LF are valid XML
        ("ett\x0btvå\x0ctre", "ett\ntvå\ntre"),  # Word's line break and a form feed: new lines
        ("a\x00b\x01c\x08d\x0ee\x1ff", "abcdef"),
        ("slut\ufffe\uffff", "slut"),  # non-characters
        ("halv\ud800\udfffa", "halva"),  # lone surrogates (from JSON escapes)
        ("Ålänning 🙂 مرحبا", "Ålänning 🙂 مرحبا"),  # letters, emoji and other scripts stay
    ],
)
def test_clean_text(given, kept):
    assert clean_text(given) == kept


def test_clean_json_cleans_every_string_and_key():
    given = {"a\x01": ["x\x0by", 3, None, {"t": "ok\x02"}], "n": 1.5, "b": True}
    assert clean_json(given) == {"a": ["x\ny", 3, None, {"t": "ok"}], "n": 1.5, "b": True}


@pytest.mark.django_db
def test_every_save_of_a_project_model_is_cleaned():
    department = Department.objects.create(municipality="1082", name="Social\x01förvaltningen")
    department.refresh_from_db()
    assert department.name == "Socialförvaltningen"


@pytest.mark.django_db
def test_a_sources_raw_answer_is_kept_exactly():
    """Snapshot.content is what the source sent, checksummed: never changed (RAW_FIELDS)."""
    snapshot = Snapshot.objects.create(
        source="kolada",
        source_ref="N1",
        fetched_at="2026-01-01T00:00Z",
        checksum="0" * 64,
        content="rå\x01data",
        query={"q": "x\x01"},
        url="https://example.invalid/\x01",
    )
    snapshot.refresh_from_db()
    assert (snapshot.content, snapshot.query) == ("rå\x01data", {"q": "x\x01"})
    assert snapshot.url == "https://example.invalid/"
