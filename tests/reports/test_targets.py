"""Targets against outcomes in the Lägesbild: a policy with every kind of target, loaded with
no code change, and the printed HTML, PDF and Word checked for the target table and statuses.

Known values (stored as real Kolada values): employment of the foreign-born 60, 61, 63
(2022–2024), of the native-born 80 every year; participants in meeting places 900 (2023) and
1000 (2024). Expected paces and statuses are worked out by hand in the comments.
"""

import io
import subprocess

import pytest
from docx import Document as WordDocument

from lagesbild.analysis.observations import Observation
from lagesbild.policy.document import dump_policy, parse_policy
from lagesbild.policy.loading import check_policy, load_policy
from lagesbild.reports.lagesbild import build_document, collect
from lagesbild.reports.render import render_docx, render_html, render_pdf
from lagesbild.stats.models import LocalIndicator
from lagesbild.stats.store import Batch, save

pytestmark = pytest.mark.django_db

POLICY = {
    "format": "lagesbild-policy/1",
    "id": "malpolicy",
    "municipality": {"code": "1082", "name": "Karlshamns kommun"},
    "title": "Integrationsprogram med målvärden",
    "decision": {"body": "Kommunstyrelsen", "date": "2024-03-01", "reference": "KS § 12"},
    "validity": {"start_year": 2024, "end_year": 2029},
    "revise_by": 2028,
    "follow_up": {"rhythm": "yearly", "report_to": "Kommunstyrelsen"},
    "area_term": {"singular": "målområde", "plural": "målområden"},
    "terms": {"target": "Kvantitativt mål", "strategy": "Arbetssätt"},
    "areas": [
        {
            "id": "arbete",
            "title": "Arbete",
            "indicators": ["sysselsattning-20-64"],
            "goals": [
                {
                    "text": "Fler utrikes födda ska ha ett arbete.",
                    "subgoals": [{"text": "Fler praktikplatser i kommunens verksamheter."}],
                    "strategies": ["Språkpraktik kombinerad med SFI."],
                    "targets": [
                        {
                            "indicator": "sysselsattning-20-64",
                            "group": "utrikes_fodda",
                            "value": 70,
                            "year": 2029,
                            "direction": "increase",
                            "baseline_year": 2022,
                        },
                        {
                            "indicator": "sysselsattning-20-64",
                            "group": "gap",
                            "value": -10,
                            "year": 2029,
                            "direction": "increase",
                        },
                    ],
                }
            ],
            "commitments": ["Kommunen tar emot praktikanter i alla förvaltningar."],
        },
        {
            "id": "delaktighet",
            "title": "Delaktighet",
            "indicators": ["motesplatser-deltagare"],
            "targets": [
                {
                    "indicator": "motesplatser-deltagare",
                    "group": "total",
                    "value": 1600,
                    "year": 2029,
                    "direction": "increase",
                },
                {"text": "Fler föreningar med utrikes födda i styrelsen", "year": 2029},
                {
                    "indicator": "foreningsaktiva",
                    "group": "utrikes_fodda",
                    "value": 30,
                    "year": 2029,
                    "direction": "increase",
                },
            ],
        },
    ],
}


def obs(indicator, year, group, value, unit="procent"):
    return Observation(indicator, "1082", year, group, "T", value, unit)


@pytest.fixture
def version(db):
    LocalIndicator.objects.create(
        kommun="1082",
        slug="foreningsaktiva",
        title_sv="Aktiva i föreningar",
        unit="procent",
        better="higher",
        groups=["utrikes_fodda", "inrikes_fodda"],
        source_text="Kommunens föreningsenkät",
        source_name="foreningar",
    )
    rows = [
        obs("sysselsattning-20-64", y, "utrikes_fodda", v)
        for y, v in ((2022, 60.0), (2023, 61.0), (2024, 63.0))
    ]
    rows += [obs("sysselsattning-20-64", y, "inrikes_fodda", 80.0) for y in (2022, 2023, 2024)]
    rows += [
        obs("motesplatser-deltagare", y, "total", v, "antal")
        for y, v in ((2023, 900.0), (2024, 1000.0))
    ]
    save([Batch("kolada", "test", "https://api.kolada.se/v3/test", "t", rows)])
    text = dump_policy(POLICY)
    data, problems = check_policy(text.encode(), "malpolicy.yaml")
    assert problems == [] and data is not None
    return load_policy(text.encode(), "malpolicy.yaml").version


def test_every_kind_of_target_is_judged_and_opens_the_report(version, tmp_path):
    doc = build_document(collect(version, 2024), with_png=False)
    first = doc.sections[0]
    assert first.title == "Kvantitativt mål: läget 2024"
    assert first.blocks[0].text.startswith(
        "Kvantitativt mål i policyn, 5 stycken: 2 på väg, 1 inte på väg, 1 saknar data, 1 mäts inte ännu."
    )
    table = first.blocks[1]
    assert table.header == [
        "Mål",
        "Utgångsläge",
        "Senast",
        "Kvantitativt mål",
        "Takt hittills / som krävs",
        "Läget",
    ]
    rows = {r[0]: r[1:] for r in table.rows}
    # Level: 60 (2022) → 63 (2024): +1,5 a year; needed (70 − 63) / 5 = +1,4 → på väg.
    assert rows["Sysselsättningsgrad 20–64 år, utrikes och inrikes födda, utrikes födda"] == [
        "2022: 60,0\u00a0%",
        "2024: 63,0\u00a0%",
        "minst 70,0\u00a0% år 2029",
        "+1,5 / +1,4 procentenheter per år",
        "på väg",
    ]
    # Gap −20 → −17: +1,5 a year; needed (−10 − (−17)) / 5 = +1,4 → på väg.
    gap = "Sysselsättningsgrad 20–64 år, utrikes och inrikes födda, skillnaden utrikes jämfört med inrikes födda"
    assert rows[gap] == [
        "2022: 20,0 procentenheter lägre",
        "2024: 17,0 procentenheter lägre",
        "skillnaden högst 10,0 procentenheter lägre år 2029",
        "+1,5 / +1,4 procentenheter per år",
        "på väg",
    ]
    # Count: 900 → 1000: +100 a year; needed (1600 − 1000) / 5 = +120 → inte på väg.
    count = rows["Deltagare i kommunens mötesplatser och föreningsaktiviteter"]
    assert count[1:] == [
        "2024: 1\u00a0000",
        "minst 1\u00a0600 år 2029",
        "+100 / +120 per år",
        "inte på väg",
    ]
    assert rows["Fler föreningar med utrikes födda i styrelsen"][-1] == "mäts inte ännu"
    assert rows["Aktiva i föreningar, utrikes födda"][-1] == "saknar data"


def test_the_policy_decides_the_words_the_body_and_the_period(version):
    doc = build_document(collect(version, 2024), with_png=False)
    html = render_html(doc, standalone=True)
    assert (
        "Integrationsprogram med målvärden beslutades av kommunstyrelsen 2024-03-01 (KS § 12) "
        "och gäller 2024–2029. Lägesbilden redovisas för kommunstyrelsen." in html
    )
    assert "kommunfullmäktige" not in html.lower()
    assert "Policyn ska revideras senast 2028, om 4 år räknat från lägesbildens år." in html
    assert "Målområde: Arbete" in html
    assert "Delmål:" in html and "Fler praktikplatser i kommunens verksamheter." in html
    assert "Arbetssätt:" in html and "Språkpraktik kombinerad med SFI." in html
    assert html.index("Delmål:") < html.index("Arbetssätt:") < html.index("Åtaganden:")
    assert "Åtaganden:" in html and "Kommunen tar emot praktikanter i alla förvaltningar." in html
    assert "Kvantitativt mål: Fler föreningar med utrikes födda i styrelsen: mäts inte ännu" in html
    outside = build_document(collect(version, 2023), with_png=False)
    assert outside.sections[0].blocks[0].text == (
        "Året 2023 ligger före policyns giltighetstid (2024–2029): redovisningen visar läget "
        "innan policyn började gälla, och policyns mål och målvärden avser senare år."
    )


def test_pdf_and_word_carry_the_target_table(version, tmp_path):
    doc = build_document(collect(version, 2024))
    pdf = tmp_path / "m.pdf"
    pdf.write_bytes(render_pdf(doc))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.replace("\u00ad", "").split())
    assert "Kvantitativt mål: läget 2024" in flat
    for status in ("på väg", "inte på väg", "saknar data", "mäts inte ännu"):
        assert status in flat
    word = WordDocument(io.BytesIO(render_docx(doc)))
    cells = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    assert ["Takt hittills / som krävs" in row for row in cells].count(True) == 1
    assert any(
        row[-1] == "inte på väg" and row[0].startswith("Deltagare i kommunens") for row in cells
    )


def test_a_target_round_trips_through_the_policy_format():
    data, problems = parse_policy(dump_policy(POLICY), "p.yaml")
    assert problems == [] and data == POLICY


def test_the_follow_up_report_judges_the_same_targets(version, make_user):
    import datetime

    from lagesbild.accounts.models import Department
    from lagesbild.plan import followup_report
    from lagesbild.plan.models import Activity, Plan
    from lagesbild.plan.rounds import close_round, open_round

    department = Department.objects.create(municipality="1082", name="Arbetsmarknad")
    plan = Plan.objects.create(
        policy=version.policy, title="Plan", start_year=2024, end_year=2029, lagesbild_year=2023
    )
    Activity.objects.create(
        plan=plan, ref="A1", title="Språkpraktik", department=department, area_keys=["arbete"],
        indicators=["sysselsattning-20-64"], status="pågår", progress=50,
    )  # fmt: skip
    coordinator = make_user("coordinator")
    rnd = open_round(plan, "Uppföljning 2024", 2024, datetime.date(2025, 3, 1), coordinator)
    close_round(rnd, coordinator)
    doc = followup_report.document(rnd)
    html = render_html(doc, standalone=True)
    assert "Kvantitativt mål: 2 på väg, 1 inte på väg, 1 saknar data, 1 mäts inte ännu." in html
    assert "Kvantitativt mål: 2 på väg." in html  # the area Arbete
    assert "Kommunstyrelsen" in html and "kommunfullmäktige" not in html.lower()
    word = WordDocument(io.BytesIO(render_docx(doc)))
    rows = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    assert any(r[0].startswith("Deltagare i kommunens") and r[-1] == "inte på väg" for r in rows)


def test_a_level_target_is_drawn_in_its_chart(version):
    from lagesbild.reports.document import Figure, walk

    doc = build_document(collect(version, 2024), with_png=False)
    section = next(s for _, _, s in walk(doc.sections) if s.key == "sysselsattning-20-64")
    figure = next(b for b in section.blocks if isinstance(b, Figure))
    assert "Kvantitativt mål 2029: 70,0\u00a0%" in figure.svg  # the legend entry
    assert ">2029</text>" in figure.svg  # the axis runs on to the target year
    assert figure.alt.endswith("Kvantitativt mål 2029: 70,0\u00a0% (utrikes födda).")
