"""The follow-up report's Agenda 2030 section (issue #15): goals the policy and the plan's
activities serve, and how the gap in their indicators moved, read back from PDF and Word."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lagesbild.plan.models import FollowUpRound
from lagesbild.policy.models import Agenda2030Tag

from .test_round import docx_text, pdf_text, store_gap


@pytest.mark.django_db
def test_followup_report_names_goals_activities_and_gap_movement(plan, users, client_for, tmp_path):
    # Employment gap −20 points when the plan began (2025), −14 in 2027: narrowed.
    store_gap("sysselsattning-20-64", "1082", {2025: (60.0, 80.0), 2027: (66.0, 80.0)})
    Agenda2030Tag.objects.create(
        policy=plan.policy, area_key="halsa", codes=["3", "3.8"], is_example=True
    )
    plan.activities.filter(ref="S1").update(agenda2030=["8", "8.5", "4.4"])
    rnd = FollowUpRound.objects.create(
        plan=plan,
        title="Uppföljning 2027",
        year=2027,
        deadline=timezone.localdate() - datetime.timedelta(days=1),
        closed_at=timezone.now(),
    )
    coordinator = client_for(users["coordinator"])

    html = coordinator.get(reverse("plan:doc_html", args=[rnd.pk])).content.decode()
    assert "Agenda 2030: globala mål, policy, insatser och indikatorer" in html

    word = coordinator.get(reverse("plan:doc_docx", args=[rnd.pk]))
    text = docx_text(b"".join(word.streaming_content))
    assert (
        "3. God hälsa och välbefinnande | Vägledande princip: Hälsa (exempelkoppling) (3.8)" in text
    )
    assert "4. God utbildning för alla | – | S1 SFI och yrke (pågår) (4.4)" in text
    assert (
        "8. Anständiga arbetsvillkor och ekonomisk tillväxt | – | S1 SFI och yrke (pågår) (8.5) | "
        "Sysselsättning" in text
    )
    assert "skillnaden mellan utrikes och inrikes födda: minskat" in text
    assert "kopplade till 3 av Agenda 2030:s 17 globala mål" in text

    pdf = coordinator.get(reverse("plan:doc_pdf", args=[rnd.pk]))
    flat = " ".join(
        pdf_text(b"".join(pdf.streaming_content), tmp_path).replace("\u00ad", "").split()
    )
    assert "Agenda 2030" in flat and "God utbildning för alla" in flat and "A/RES/71/313" in flat
