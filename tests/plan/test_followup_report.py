"""The follow-up report's sentences, from hand-made values (no database)."""

import datetime
from types import SimpleNamespace

from lagesbild.analysis.gaps import Gap
from lagesbild.plan.followup_report import (
    GapRow,
    _revision_sentence,
    activity_state,
    gap_sentence,
)

TODAY = datetime.date(2027, 3, 1)


def gap(year, foreign, native):
    points = None if foreign is None or native is None else foreign - native
    return Gap("x", "1082", year, foreign, native, points, None)


def row(first, last, previous, change, change_previous, judged=True, unit="procent"):
    return GapRow("x", "Förvärvsarbetande", unit, first, last, previous, change,
                  change_previous, True, False, judged)  # fmt: skip


def test_gap_sentence_since_the_baseline_and_the_year_before():
    sentence = gap_sentence(
        row(gap(2024, 60, 80), gap(2026, 63.2, 79.1), gap(2025, 70, 80), "narrowed", "widened"),
        2026,
    )
    assert sentence == (
        "Förvärvsarbetande. 2026: utrikes födda 63,2\u00a0%, inrikes födda 79,1\u00a0% – 15,9 "
        "procentenheter lägre. Sedan 2024, när planen började (20,0 procentenheter lägre), har "
        "skillnaden minskat. Sedan 2025 (10,0 procentenheter lägre) har skillnaden ökat."
    )


def test_gap_sentence_without_a_better_direction_or_with_a_missing_value():
    sentence = gap_sentence(
        row(gap(2024, 10, 30), gap(2026, 12, 30), None, None, None, judged=False, unit="antal"),
        2026,
    )
    assert sentence.endswith("När planen började, 2024: 20 lägre.")
    assert "minskat" not in sentence and "ökat" not in sentence
    sentence = gap_sentence(row(gap(2024, None, 80), gap(2026, 63, 80), None, None, None), 2026)
    assert "kan skillnaden inte jämföras: ett värde saknas." in sentence
    only = gap_sentence(row(gap(2026, 63, 80), gap(2026, 63, 80), None, None, None), 2026)
    assert only.endswith("Det finns ingen nyare uppgift än utgångsläget.")
    empty = GapRow("x", "Ohälsotal", "dagar", None, None, None, None, None, False, False)
    assert gap_sentence(empty, 2026) == "Ohälsotal: uppgift saknas till och med 2026."


def test_activity_states():
    def state(status, end=None):
        activity = SimpleNamespace(end=end)
        return activity_state(SimpleNamespace(activity=activity, status=status), TODAY)

    past, future = TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)
    assert state("klar", past) == "done"
    assert state("avbruten", past) == "cancelled"
    assert state("pågår", past) == state("planerad", past) == state("pausad", past) == "delayed"
    assert state("pågår", future) == "ongoing"
    assert state("planerad") == "not_started"
    assert state("pausad", TODAY) == "paused"  # ends today: not late yet


def test_revision_sentence_says_what_remains():
    def version(year):
        return SimpleNamespace(revise_by=year, data={})

    assert _revision_sentence(version(2030), TODAY) == (
        "Policyn ska revideras senast 2030, om tre år."
    )
    assert _revision_sentence(version(2027), TODAY) == (
        "Policyn ska revideras senast 2027, alltså i år."
    )
    assert _revision_sentence(version(2025), TODAY) == (
        "Policyn skulle ha reviderats senast 2025, för två år sedan."
    )
    assert _revision_sentence(SimpleNamespace(revise_by=None, data={"revise_by": 2028}), TODAY)
    assert _revision_sentence(SimpleNamespace(revise_by=None, data={}), TODAY) == ""
