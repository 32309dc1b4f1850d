"""The follow-up report on an activity that is to counter housing segregation (issue #18): how
the segregation index over the municipality's DeSO has moved since the plan began, in HTML,
Word and PDF. The counts are this test's own, with the index worked out by hand."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lagesbild.analysis.observations import Observation
from lagesbild.plan.models import FollowUpRound
from lagesbild.stats.store import Batch, save

from .test_round import docx_text, pdf_text

INDICATOR = "befolkning-deso-bakgrund"


def store_areas(values):
    """{year: {DeSO: (foreign background, Swedish background)}} as the store keeps them."""
    obs = [
        Observation(INDICATOR, area, year, group, "T", float(n), "antal")
        for year, areas in values.items()
        for area, counts in areas.items()
        for group, n in zip(("utlandsk_bakgrund", "svensk_bakgrund"), counts, strict=True)
    ]
    save([Batch(source="test", source_ref=INDICATOR, url="", content="test", observations=obs)])


@pytest.mark.django_db
def test_followup_report_says_how_segregation_moved_since_the_plan_began(
    plan, users, client_for, tmp_path
):
    # 2025 (the plan starts 2026): D = ½(|100/200 − 10/210| + |100/200 − 200/210|) = 19/42.
    # 2027: the same mix in both areas, D = 0.
    store_areas(
        {
            2025: {"1082C1010": (100, 10), "1082C1020": (100, 200)},
            2027: {"1082C1010": (50, 100), "1082C1020": (50, 100)},
        }
    )
    plan.activities.filter(ref="H1").update(indicators=[INDICATOR])
    rnd = FollowUpRound.objects.create(
        plan=plan,
        title="Uppföljning 2027",
        year=2027,
        deadline=timezone.localdate() - datetime.timedelta(days=1),
        closed_at=timezone.now(),
    )
    expected = (
        "Boendesegregation: segregationsindex (D) över kommunens DeSO-områden har minskat från "
        "0,45 2025 till 0,00 2027."
    )
    coordinator = client_for(users["coordinator"])
    html = coordinator.get(reverse("plan:doc_html", args=[rnd.pk])).content.decode()
    assert expected in html
    assert "Boendet i kommunens områden, som insatserna ska påverka:" in html
    assert "Insatserna inom området anger inga indikatorer." not in html.split("Hälsa")[-1]

    word = coordinator.get(reverse("plan:doc_docx", args=[rnd.pk]))
    assert expected in docx_text(b"".join(word.streaming_content))
    pdf = coordinator.get(reverse("plan:doc_pdf", args=[rnd.pk]))
    flat = " ".join(
        pdf_text(b"".join(pdf.streaming_content), tmp_path).replace("\u00ad", "").split()
    )
    assert "segregationsindex (D) över kommunens DeSO-områden har minskat från 0,45 2025" in flat
