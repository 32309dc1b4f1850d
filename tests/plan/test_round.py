"""A whole follow-up round: opening, a department's report, the coordinator's overview,
closing, and the follow-up report opened as PDF (pdftotext) and Word (python-docx)."""

import datetime
import io
import subprocess

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from lagesbild.analysis.observations import FOREIGN_BORN, NATIVE_BORN, Observation
from lagesbild.plan.models import DepartmentReport, FollowUpRound
from lagesbild.reports.models import Experience
from lagesbild.stats.store import Batch, save


def store_gap(indicator, area, values):
    """Observations {year: (foreign, native)} for one indicator, as the statistics store keeps them."""
    obs = []
    for year, (foreign, native) in values.items():
        obs.append(Observation(indicator, area, year, FOREIGN_BORN, "T", foreign, "procent"))
        obs.append(Observation(indicator, area, year, NATIVE_BORN, "T", native, "procent"))
    save([Batch(source="test", source_ref=indicator, url="", content="test", observations=obs)])


def pdf_text(content, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def docx_text(content):
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


@pytest.mark.django_db
def test_whole_round_from_opening_to_report(plan, users, client_for, tmp_path):
    # Employment gap −20 points the year before the plan started, −14 in its second year.
    store_gap("sysselsattning-20-64", "1082", {2025: (60.0, 80.0), 2027: (66.0, 80.0)})

    # The coordinator opens a round whose deadline has passed for the test's purposes.
    coordinator = client_for(users["coordinator"])
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    response = coordinator.post(
        reverse("plan:round_open", args=[plan.pk]),
        {"title": "Uppföljning 2027", "year": 2027, "deadline": deadline.isoformat()},
    )
    rnd = FollowUpRound.objects.get(title="Uppföljning 2027")
    assert response["Location"] == reverse("plan:round", args=[rnd.pk])
    assert sorted(rnd.reports.values_list("department__name", flat=True)) == [
        "Socialförvaltningen",
        "Utbildningsförvaltningen",
    ]

    # The representative is sent from the round to her department's report.
    rep = client_for(users["rep_own"])
    own = rnd.reports.get(department__name="Utbildningsförvaltningen")
    response = rep.get(reverse("plan:round", args=[rnd.pk]))
    assert response["Location"] == reverse("plan:report", args=[own.pk])
    page = rep.get(reverse("plan:report", args=[own.pk])).content.decode()
    assert "SFI och yrke" in page and "Kartläggning" in page and "Kurser" in page
    assert "Hälsokommunikatörer" not in page  # the other department's activity
    assert "Språk" in page and "Arbete" in page  # areas for her experience texts

    acts = {a.ref: a for a in plan.activities.all()}
    answers = {
        "S1": ("pågår", 0, "Startat i två skolor."),
        "S1.1": ("klar", 100, "Klar i våras."),
        "S1.2": ("pågår", 60, "Två kurser av fem är igång."),
    }
    data = {"e-sprak-text": "Språkstöd i yrkeskurserna fungerar bäst i små grupper.",
            "e-arbete-text": ""}  # fmt: skip
    for ref, (status, progress, text) in answers.items():
        pk = acts[ref].pk
        data.update({f"a{pk}-status": status, f"a{pk}-progress": progress, f"a{pk}-text": text})

    # A draft keeps the answers but changes neither the plan nor the round's overview.
    rep.post(reverse("plan:report", args=[own.pk]), {**data, "save": "1"})
    own.refresh_from_db()
    assert own.submitted_at is None
    assert own.items.count() == 3
    acts["S1.2"].refresh_from_db()
    assert acts["S1.2"].progress == 40

    # A bad value is refused with the field named, and nothing changes.
    bad = {**data, f"a{acts['S1.2'].pk}-progress": "150", "submit": "1"}
    response = rep.post(reverse("plan:report", args=[own.pk]), bad)
    assert response.status_code == 200
    assert "Rapporten sparades inte" in response.content.decode()
    own.refresh_from_db()
    assert own.submitted_at is None

    response = rep.post(reverse("plan:report", args=[own.pk]), {**data, "submit": "1"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.submitted_at is not None and own.submitted_by == users["rep_own"]
    acts["S1.2"].refresh_from_db()
    assert (acts["S1.2"].status, acts["S1.2"].progress) == ("pågår", 60)
    experience = Experience.objects.get(department__name="Utbildningsförvaltningen")
    assert (experience.area_key, experience.year, experience.origin) == (
        "sprak",
        2027,
        "Uppföljning: Uppföljning 2027",
    )

    # The coordinator sees who has reported; after the deadline the other is late.
    FollowUpRound.objects.filter(pk=rnd.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = coordinator.get(reverse("plan:round", args=[rnd.pk])).content.decode()
    assert "inskickad" in page and "försenad" in page
    assert "1 / 2" in page  # submitted / all

    response = coordinator.post(reverse("plan:round_close", args=[rnd.pk]))
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert not rnd.is_open

    # After closing, the report can no longer be changed.
    rep.post(
        reverse("plan:report", args=[own.pk]),
        {**data, f"a{acts['S1.2'].pk}-progress": 5, "submit": "1"},
    )
    acts["S1.2"].refresh_from_db()
    assert acts["S1.2"].progress == 60

    # S1 rolls up its parts: (100·1 + 60·3) / 4 = 70 %. Språk's only top-level activity is S1.
    html = coordinator.get(reverse("plan:doc_html", args=[rnd.pk])).content.decode()
    assert "70 %" in html
    assert "Språkstöd i yrkeskurserna fungerar bäst i små grupper." in html

    pdf = coordinator.get(reverse("plan:doc_pdf", args=[rnd.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(pdf.streaming_content), tmp_path)
    assert "Uppföljning av Testplan" in text
    assert "Hälsokommunikatörer" in text and "ej rapporterad" in text
    assert "70 %" in text
    # The employment gap: −20 points in 2025, −14 in 2027: narrowed. Same words as the
    # Lägesbild (pdftotext keeps the no-break spaces as spaces).
    # The table's cells wrap (and typst hyphenates), so the PDF is checked in parts and the
    # Word file below by the whole sentence.
    flat = " ".join(text.replace("\u00a0", " ").replace("\u00ad", "").split())
    assert "2025: utrikes födda 60,0 %" in flat and "2027: utrikes födda 66,0 %" in flat
    assert "– 20,0 procen" in flat and "– 14,0 procen" in flat
    assert "minskat" in text

    word = coordinator.get(reverse("plan:doc_docx", args=[rnd.pk]))
    text = docx_text(b"".join(word.streaming_content))
    assert "Kurser" in text and "70 %" in text
    assert (
        "2025: utrikes födda 60,0\u00a0%, inrikes födda 80,0\u00a0% – 20,0 procentenheter lägre"
        in text
    )
    assert "minskat" in text
    assert "Utbildningsförvaltningen" in text and "ej inskickad" in text


@pytest.mark.django_db
def test_report_of_an_open_round_is_not_served(plan, users, client_for):
    from lagesbild.plan.rounds import open_round

    rnd = open_round(plan, "Öppen", 2026, datetime.date(2026, 12, 1), users["coordinator"])
    response = client_for(users["coordinator"]).get(reverse("plan:doc_pdf", args=[rnd.pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_opening_a_round_makes_one_report_per_department_with_activities(plan, users):
    from lagesbild.plan.rounds import open_round

    rnd = open_round(plan, "R", 2026, datetime.date(2026, 12, 1), users["coordinator"])
    assert DepartmentReport.objects.filter(round=rnd).count() == 2


@pytest.mark.django_db
def test_department_given_an_activity_after_opening_gets_a_report(plan, users, client_for):
    from lagesbild.accounts.models import Department
    from lagesbild.plan.models import Activity
    from lagesbild.plan.rounds import open_round

    rnd = open_round(plan, "R", 2026, datetime.date(2026, 12, 1), users["coordinator"])
    culture = Department.objects.create(
        municipality="1082", name="Kultur- och fritidsförvaltningen"
    )
    Activity.objects.create(plan=plan, ref="K1", title="Språkcafé", department=culture)
    page = client_for(users["coordinator"]).get(reverse("plan:round", args=[rnd.pk]))
    assert "Kultur- och fritidsförvaltningen" in page.content.decode()
    assert rnd.reports.count() == 3
