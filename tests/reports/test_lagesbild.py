"""The Lägesbild document: chapters in the policy's order, numbers and words from known values."""

import pytest

from lagesbild.analysis.observations import Observation
from lagesbild.reports.document import EXAMPLE_DATA_MARK, Figure, Note, Paragraph, walk
from lagesbild.reports.lagesbild import area_indicators, build_document, collect
from lagesbild.reports.models import AreaAnalysis, Experience

from .conftest import EMPLOYMENT, KARLSHAMN_VALUES, RIKET_VALUES, employment, store

pytestmark = pytest.mark.django_db


def section(doc, title):
    return next(s for _, _, s in walk(doc.sections) if s.title == title)


def text_of(section):
    return " ".join(b.text for b in section.blocks if isinstance(b, Paragraph | Note))


def test_one_chapter_per_principle_in_the_policys_order(karlshamn, stored):
    doc = build_document(collect(karlshamn, 2025))
    assert [s.title for s in doc.sections] == [
        "Om lägesbilden",
        "Vägledande princip: Utbildning",
        "Vägledande princip: Språk",
        "Vägledande princip: Arbete",
        "Vägledande princip: Hälsa",
        "Vägledande princip: Demokrati & delaktighet",
        "Agenda 2030",
        "Bilaga: källor och metod",
    ]
    assert doc.title == "Lägesbild för integration 2025"
    goal = doc.sections[3].blocks[0].text
    assert goal.startswith("Mål: Karlshamns kommun ska arbeta för att utrikes födda")


def test_lidkoping_has_four_focus_areas(lidkoping, db):
    doc = build_document(collect(lidkoping, 2025))
    chapters = [s.title for s in doc.sections[1:-2]]
    assert chapters == [
        "Fokusområde: Boende",
        "Fokusområde: Utbildning",
        "Fokusområde: Arbete",
        "Fokusområde: Social integration",
    ]


def test_area_without_listed_indicators_takes_the_catalogues_theme():
    catalogue = {"a": {"theme": "demokrati"}, "b": {"theme": "arbete"}, "c": {"theme": "x"}}
    assert area_indicators({"id": "demokrati-delaktighet", "indicators": []}, catalogue) == ["a"]
    assert area_indicators({"id": "arbete"}, catalogue) == ["b"]
    assert area_indicators({"id": "arbete", "indicators": ["c"]}, catalogue) == ["c"]


def test_description_says_levels_gap_change_and_riket(karlshamn, stored):
    doc = build_document(collect(karlshamn, 2025))
    text = text_of(section(doc, "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda"))
    assert (
        "År 2025 i Karlshamns kommun: utrikes födda 64,0\u00a0%, inrikes födda 80,0\u00a0% – "
        "16,0 procentenheter lägre." in text
    )
    # The series breaks in 2022 (RAMS → BAS): the gap and the trend start there.
    # Gap 2022: 61 − 80 = −19; 2025: 64 − 80 = −16 → 3,0 smaller.
    assert (
        "Skillnaden har minskat med 3,0 procentenheter sedan 2022, då den var 19,0 "
        "procentenheter lägre." in text
    )
    assert (
        "Samma år var skillnaden 20,0 procentenheter lägre i riket och 10,0 procentenheter "
        "lägre i Region Blekinge (utrikes jämfört med inrikes födda)." in text
    )
    assert (
        "Värdet för utrikes födda har ökat med i genomsnitt 1,0 procentenheter per år 2022–2025"
        in text
    )
    assert "utvecklingen är bättre" in text
    assert "Serien bröts 2022" in text


def test_too_few_years_is_said_plainly(karlshamn, db):
    store(employment("1082", {2024: (60.0, 80.0), 2025: (61.0, 80.0)}))
    doc = build_document(collect(karlshamn, 2025))
    text = text_of(section(doc, "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda"))
    assert "går inte att bedöma: för få år med jämförbara värden (2 av minst 3)" in text


def test_chart_has_text_alternative_and_its_numbers_as_a_table(karlshamn, stored):
    doc = build_document(collect(karlshamn, 2025))
    figure = next(
        b
        for b in section(doc, "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda").blocks
        if isinstance(b, Figure)
    )
    assert "utrikes födda från 60,0\u00a0% 2021 till 64,0\u00a0% 2025" in figure.alt
    assert figure.table.header == [
        "År",
        "Utrikes födda, Karlshamns kommun",
        "Inrikes födda, Karlshamns kommun",
        "Utrikes födda, Riket",
        "Inrikes födda, Riket",
    ]
    assert figure.table.rows[-1] == ["2025", "64,0", "80,0", "65,0", "85,0"]
    assert figure.svg.startswith("<svg") and f"<desc>{figure.alt}</desc>" in figure.svg
    assert ">Utrikes födda, Karlshamns kommun</text>" in figure.svg  # the legend says it in words
    assert figure.png.startswith(b"\x89PNG")


def test_small_group_is_hidden_by_the_disclosure_rule(karlshamn, db):
    store(
        employment("1082", {2023: (60.0, 80.0), 2024: (61.0, 80.0), 2025: (62.0, 80.0)}, count=15)
    )
    doc = build_document(collect(karlshamn, 2025))
    s = section(doc, "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda")
    figure = next(b for b in s.blocks if isinstance(b, Figure))
    assert figure.table.rows[-1][1] == "skyddad"
    assert figure.table.rows[-1][2] == "80,0"
    assert (
        "Skyddad enligt röjandekontrollen (för liten grupp), se bilagan: 2023 (utrikes födda, "
        "Karlshamns kommun), 2024 (utrikes födda, Karlshamns kommun) och 2025 (utrikes födda, "
        "Karlshamns kommun)." in text_of(s)
    )


def test_experience_and_analysis_appear_in_their_chapter(karlshamn, stored, make_user):
    rep = make_user("department", department="Utbildningsförvaltningen")
    Experience.objects.create(
        policy=karlshamn.policy,
        area_key="arbete",
        year=2025,
        department=rep.profile.department,
        author=rep,
        text="Praktik ger jobb.\n\nSpråket är nyckeln.",
    )
    AreaAnalysis.objects.create(
        policy=karlshamn.policy, area_key="arbete", year=2025, text="Analysen."
    )
    Experience.objects.create(
        policy=karlshamn.policy,
        area_key="arbete",
        year=2024,
        department=rep.profile.department,
        text="Fel år.",
    )
    doc = build_document(collect(karlshamn, 2025))
    arbete = doc.sections[3]
    experience = next(s for s in arbete.subsections if s.title == "Beprövad erfarenhet")
    assert [b.text for b in experience.blocks][1:] == ["Praktik ger jobb.", "Språket är nyckeln."]
    assert experience.blocks[0].text.startswith("Utbildningsförvaltningen")
    analysis = next(s for s in arbete.subsections if s.title == "Samordnarens analys")
    assert analysis.blocks[0].text == "Analysen."
    utbildning = next(s for s in doc.sections[1].subsections if s.title == "Beprövad erfarenhet")
    assert isinstance(utbildning.blocks[0], Note)


def test_appendix_names_sources_fetch_dates_and_disclosure_rule(karlshamn, stored):
    doc = build_document(collect(karlshamn, 2025))
    appendix = doc.sections[-1]
    [item] = appendix.subsections[0].blocks[1].items  # one fetch, three areas
    assert item.startswith(
        "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda – Karlshamns kommun, "
        "Region Blekinge, Riket. Källa: Kolada (RKA), N02268,N02269 test. Fråga: GET "
        "https://api.kolada.se/v3/data/kpi/N02268,N02269. Hämtad 20"
    )
    checksum = item.rsplit("SHA-256: ", 1)[1]
    assert len(checksum) == 64 and int(checksum, 16) >= 0  # the whole checksum
    rule = text_of(appendix.subsections[2])
    assert "större än 20 personer och fler än 5 har egenskapen och fler än 5 saknar den" in rule
    assert "Lägesbilden döljer inte källornas publicerade värden en gång till." in rule


def test_example_values_mark_the_whole_document(karlshamn, db):
    store(employment("1082", {2025: (60.0, 80.0)}, example=True), example=True)
    doc = build_document(collect(karlshamn, 2025))
    assert doc.example_data is True
    # Karlshamn's policy applies from 2026: the 2025 Lägesbild says so first, then the mark.
    assert doc.sections[0].blocks[0].text.startswith("Året 2025 ligger före policyns")
    assert EXAMPLE_DATA_MARK in doc.sections[0].blocks[1].text


def test_real_values_are_not_marked_as_example(karlshamn, stored):
    assert build_document(collect(karlshamn, 2025)).example_data is False


def test_values_after_the_report_year_are_left_out(karlshamn, stored):
    store(employment("1082", {2026: (99.0, 99.0)}), ref="later")
    snapshot = collect(karlshamn, 2025)
    assert {row[2] for row in snapshot["observations"]} == {2021, 2022, 2023, 2024, 2025}
    assert EMPLOYMENT in snapshot["catalogue"]


def test_real_municipality_and_example_riket_are_never_combined(karlshamn, db):
    store(employment("1082", KARLSHAMN_VALUES))
    store(employment("0000", RIKET_VALUES, example=True), ref="demo", example=True)
    doc = build_document(collect(karlshamn, 2025))
    s = section(doc, "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda")
    text = text_of(s)
    assert "i riket" not in text.split("Jämförelse saknas")[0]  # no riket value or gap used
    assert (
        "Jämförelse saknas för riket: de lagrade värdena där är exempeldata, medan kommunens "
        "senaste värde är officiell statistik." in text
    )
    figure = next(b for b in s.blocks if isinstance(b, Figure))
    assert all("Riket" not in h for h in figure.table.header)
    assert doc.example_data is False  # nothing shown is an example value
    assert EXAMPLE_DATA_MARK not in figure.caption


def test_example_years_before_real_ones_are_not_joined_into_one_trend(karlshamn, db):
    # A real save now ends the example values of its series (test_store); a database written
    # before that, or example values stored after the real ones, can still hold both kinds.
    store(employment("1082", {2023: (62.0, 80.0), 2024: (63.0, 80.0), 2025: (64.0, 80.0)}))
    store(employment("1082", {2021: (10.0, 90.0), 2022: (11.0, 90.0)}, example=True), example=True)
    doc = build_document(collect(karlshamn, 2025))
    s = section(doc, "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda")
    figure = next(b for b in s.blocks if isinstance(b, Figure))
    assert [r[0] for r in figure.table.rows] == ["2023", "2024", "2025"]
    assert (
        "Värdena för 2021–2022 är exempeldata och visas inte här, eftersom kommunens senaste "
        "värde är officiell statistik; de två slagen jämförs aldrig." in text_of(s)
    )
    assert "Jämförelse saknas" not in text_of(s)
    assert (
        "Värdet för utrikes födda har ökat med i genomsnitt 1,0 procentenheter per år 2023–2025"
        in text_of(s)
    )


def test_a_fetch_after_the_demo_shows_the_real_series_not_the_demos_latest_year(karlshamn, db):
    """The demo's example values run to 2025; the source's real ones end in 2024. After the
    fetch the report shows the real series up to 2024, not the example 2025 in front of it."""
    store(employment("1082", {y: (10.0, 90.0) for y in range(2021, 2026)}), example=True)
    store(employment("1082", {2022: (61.0, 80.0), 2023: (62.0, 80.0), 2024: (63.0, 80.0)}))
    doc = build_document(collect(karlshamn, 2025))
    s = section(doc, "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda")
    figure = next(b for b in s.blocks if isinstance(b, Figure))
    assert [r[0] for r in figure.table.rows] == ["2022", "2023", "2024"]
    assert "År 2024 i Karlshamns kommun: utrikes födda 63,0" in text_of(s)
    assert "exempeldata" not in text_of(s).lower()
    assert doc.example_data is False


def test_a_stale_indicator_says_why_and_when_it_was_last_updated(karlshamn, stored):
    from django.utils import timezone

    from lagesbild.stats.models import IndicatorRefresh

    IndicatorRefresh.objects.create(
        kommun="1082",
        indicator=EMPLOYMENT,
        attempted_at=timezone.now(),
        succeeded_at=timezone.make_aware(timezone.datetime(2026, 3, 4, 12, 0)),
        error="Kolada N02268,N02269: Kolada svarade HTTP 500",
    )
    doc = build_document(collect(karlshamn, 2025))
    s = section(doc, "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda")
    assert s.blocks[0].text == (
        "Inte uppdaterad – Kolada N02268,N02269: Kolada svarade HTTP 500. Värdena är från den "
        "senaste lyckade hämtningen 2026-03-04."
    )


def test_a_context_share_is_not_worded_as_a_share_among_a_group(lidkoping, db):
    rows = [
        Observation("utrikes-fodda-andel", "1494", y, "utrikes_fodda", "T", v, "procent")
        for y, v in ((2023, 12.0), (2024, 12.5), (2025, 13.0))
    ]
    store(rows, ref="N02926")
    doc = build_document(collect(lidkoping, 2025))
    text = text_of(section(doc, "Utrikes födda, andel av befolkningen"))
    assert text.startswith(
        "Utrikes födda, andel av befolkningen: 13,0\u00a0% i Lidköpings kommun år 2025."
    )
    assert "bland utrikes födda" not in text and "för utrikes födda" not in text


def test_years_in_sweden_come_in_their_natural_order():
    from lagesbild.reports.lagesbild import group_label, group_order

    groups = ["inrikes_fodda", "vistelsetid-10-", "vistelsetid-2-3", "vistelsetid-0-1"]
    groups.append("vistelsetid-4-9")
    assert [group_label(g) for g in sorted(groups, key=group_order)] == [
        "Utrikes födda, 0–1 år i Sverige",
        "Utrikes födda, 2–3 år i Sverige",
        "Utrikes födda, 4–9 år i Sverige",
        "Utrikes födda, 10 år eller mer i Sverige",
        "Inrikes födda",
    ]


def test_appendix_lists_the_comparison_groups_members_behind_the_mean(karlshamn, stored):
    snapshot = collect(karlshamn, 2025)
    member = snapshot["comparison"]["group_members"][0]
    store(employment(member, KARLSHAMN_VALUES), ref="member")
    doc = build_document(collect(karlshamn, 2025))
    items = doc.sections[-1].subsections[0].blocks[1].items
    from lagesbild.core import municipalities

    name = municipalities.get(member).full_name
    assert any(
        i.split(" – ")[1].startswith(f"{name}. Källa: Kolada (RKA), N02268,N02269 member")
        for i in items
    )
