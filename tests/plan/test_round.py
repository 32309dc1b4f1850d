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

    # Socialförvaltningen has not reported: closing asks first, naming it, and closes nothing.
    response = coordinator.post(reverse("plan:round_close", args=[rnd.pk]))
    assert response.status_code == 200
    assert "Socialförvaltningen" in response.content.decode()
    rnd.refresh_from_db()
    assert rnd.is_open
    missing = rnd.reports.get(department__name="Socialförvaltningen")
    response = coordinator.post(
        reverse("plan:round_close", args=[rnd.pk]), {"confirm_missing": str(missing.pk)}
    )
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
    # Karlshamn's policy names no follow_up.report_to: the report goes to the deciding body.
    assert "rapport till kommunfullmäktige" in text
    assert "Hälsokommunikatörer" in text and "ej rapporterad" in text
    assert "70 %" in text
    # The employment gap: −20 points in 2025, −14 in 2027: narrowed. Same words as the
    # Lägesbild (pdftotext keeps the no-break spaces as spaces).
    # The table's cells wrap (and typst hyphenates), so the PDF is checked in parts and the
    # Word file below by the whole sentence.
    flat = " ".join(text.replace("\u00a0", " ").replace("\u00ad", "").split())
    assert "2025: utrikes födda 60,0 %" in flat and "2027: utrikes födda 66,0 %" in flat
    assert "– 20,0" in flat and "– 14,0" in flat
    assert (
        "Sedan 2025, när planen började (20,0 procentenheter lägre), har skillnaden minskat."
        in (flat)
    )
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


# --- a report a council can decide on ---------------------------------------------------------

NUMBER_WORDS = ["noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"]


def reports_to_kommunstyrelsen():
    """Karlshamn's policy, revised so that its follow-up goes to Kommunstyrelsen."""
    from lagesbild.policy.loading import load_policy

    from .conftest import KARLSHAMN

    text = KARLSHAMN.read_text(encoding="utf-8").replace(
        "follow_up:\n", "follow_up:\n  report_to: Kommunstyrelsen\n", 1
    )
    assert "report_to: Kommunstyrelsen" in text
    return load_policy(text, "karlshamn-ks.yaml").version


def submit(client, report, answers, experiences=None):
    """A department's report sent in: answers {activity: (status, progress, text)}."""
    data = {"submit": "1"}
    for activity, (status, progress, text) in answers.items():
        p = activity.pk
        data.update({f"a{p}-status": status, f"a{p}-progress": progress, f"a{p}-text": text})
    for key, text in (experiences or {}).items():
        data[f"e-{key}-text"] = text
    response = client.post(reverse("plan:report", args=[report.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]


def close(client, rnd):
    """Close a round, confirming the departments that have not reported."""
    missing = ",".join(
        str(pk) for pk in rnd.reports.filter(submitted_at__isnull=True).values_list("pk", flat=True)
    )
    response = client.post(reverse("plan:round_close", args=[rnd.pk]), {"confirm_missing": missing})
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert not rnd.is_open


def flat(text):
    return " ".join(text.replace("\u00a0", " ").replace("\u00ad", "").split())


@pytest.mark.django_db
def test_follow_up_report_a_council_can_decide_on(plan, users, client_for, tmp_path):
    from lagesbild.plan.rounds import open_round

    version = reports_to_kommunstyrelsen()
    assert version.reports_to == "Kommunstyrelsen"
    assert version.decided_by == "Kommunfullmäktige"
    # Employment gap: −20 points when the plan started (2026), −14 in 2027, −16 in 2028; the
    # 2029 value is newer than the round's year and is not used.
    store_gap(
        "sysselsattning-20-64",
        "1082",
        {2026: (60.0, 80.0), 2027: (66.0, 80.0), 2028: (64.0, 80.0), 2029: (77.7, 80.0)},
    )
    today = timezone.localdate()
    acts = {a.ref: a for a in plan.activities.all()}
    # S1.2 should have been done a month ago; S1 runs another year.
    acts["S1.2"].end = today - datetime.timedelta(days=30)
    acts["S1.2"].save()
    acts["S1"].end = today + datetime.timedelta(days=365)
    acts["S1"].save()

    coordinator = client_for(users["coordinator"])
    own_rep, other_rep = client_for(users["rep_own"]), client_for(users["rep_other"])

    # The first round: only Utbildningsförvaltningen reports; the coordinator writes nothing.
    first = open_round(plan, "Uppföljning 2027", 2027, today, users["coordinator"])
    own = first.reports.get(department__name="Utbildningsförvaltningen")
    submit(
        own_rep,
        own,
        {
            acts["S1"]: ("pågår", 0, ""),
            acts["S1.1"]: ("pågår", 50, ""),
            acts["S1.2"]: ("pågår", 20, ""),
        },
    )
    close(coordinator, first)
    text = docx_text(
        b"".join(coordinator.get(reverse("plan:doc_docx", args=[first.pk])).streaming_content)
    )
    assert "Integrationssamordnaren har inte skrivit den samlade bedömningen ännu." in text
    assert "Integrationssamordnaren har inte skrivit något förslag till beslut ännu." in text
    assert "Det här är handlingsplanens första uppföljning." in text
    assert "Jämförelse med förra uppföljningen" not in text

    # The second round: both report, with texts.
    second = open_round(plan, "Uppföljning 2028", 2028, today, users["coordinator"])
    submit(
        own_rep,
        second.reports.get(department__name="Utbildningsförvaltningen"),
        {
            acts["S1"]: ("pågår", 0, "Startat i två skolor."),
            acts["S1.1"]: ("klar", 100, ""),
            acts["S1.2"]: ("pågår", 60, "Två kurser av fem är igång.\n\nDe andra startar i höst."),
        },
    )
    submit(
        other_rep,
        second.reports.get(department__name="Socialförvaltningen"),
        {acts["H1"]: ("planerad", 0, "Rekryteringen börjar i vår.")},
    )
    close(coordinator, second)

    # The coordinator writes the assessment and the proposal after closing; the report is
    # built again with them, and the change is in the round's history.
    page = coordinator.get(reverse("plan:round", args=[second.pk])).content.decode()
    assert "Samlad bedömning" in page and "Förslag till beslut" in page
    assert "Uppföljningsrapport till kommunstyrelsen" in page
    assert "kommunfullmäktige" not in page.lower()
    response = coordinator.post(
        reverse("plan:round_assessment", args=[second.pk]),
        {
            "assessment": "Språkinsatserna går framåt men kurserna är försenade.",
            "proposal": "Kommunstyrelsen lägger uppföljningen till handlingarna.",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.assessment.startswith("Språkinsatserna")
    assert second.history.first().history_user == users["coordinator"]
    page = coordinator.get(reverse("plan:round", args=[second.pk])).content.decode()
    assert "Senast ändrade av" in page

    pdf = coordinator.get(reverse("plan:doc_pdf", args=[second.pk]))
    pdf_words = pdf_text(b"".join(pdf.streaming_content), tmp_path)
    word = docx_text(
        b"".join(coordinator.get(reverse("plan:doc_docx", args=[second.pk])).streaming_content)
    )
    html = coordinator.get(reverse("plan:doc_html", args=[second.pk])).content.decode()
    for text in (pdf_words, word, html):
        # The body from the policy, never a hard-coded one.
        assert "Kommunstyrelsen" in text
        assert "till kommunfullmäktige" not in text.lower()  # it decided, it is not reported to
    pdf_flat, word_flat = flat(pdf_words), flat(word)
    for text in (pdf_flat, word_flat):
        assert "Uppföljning 2028 – rapport till kommunstyrelsen" in text
        assert "Kommunfullmäktige 2026-05-18" in text  # who decided the policy
        # The assessment and the proposed decision.
        assert "Språkinsatserna går framåt men kurserna är försenade." in text
        assert "Kommunstyrelsen lägger uppföljningen till handlingarna." in text
        # The follow-up year and the statistics it builds on.
        assert (
            "Uppföljningsåret är 2028. Statistiken är densamma som i lägesbilden för 2028" in text
        )
        # Språk: S1 pågår, S1.1 klar, S1.2 past its end date. Arbete: S1 only. Hälsa: H1.
        assert "3 insatser: 1 klar, 1 försenad, 0 inte påbörjade, 1 pågår." in text
        assert "1 insats: 0 klara, 0 försenade, 0 inte påbörjade, 1 pågår." in text
        assert "1 insats: 0 klara, 0 försenade, 1 inte påbörjad, 0 pågår." in text
        assert "Försenade (slutdatum passerat, inte klara): S1.2 Kurser (slutdatum " in text
        assert "Inte påbörjade: H1 Hälsokommunikatörer" in text
        # The department's text, quoted, with the department and the date.
        assert (
            f"S1.2 Kurser – Utbildningsförvaltningen, inskickad {today.isoformat()}: "
            "”Två kurser av fem är igång. De andra startar i höst.”"
        ) in text
        assert "”Rekryteringen börjar i vår.”" in text
        # The previous round: S1.2 reported 20 % then, 60 % now.
        assert "Jämförelse med förra uppföljningen" in text
        assert "Förra uppföljningen av handlingsplanen var Uppföljning 2027" in text
        assert "Policyn ska revideras senast 2029" in text
    left = 2029 - today.year
    if 0 < left < len(NUMBER_WORDS):
        assert f"Policyn ska revideras senast 2029, om {NUMBER_WORDS[left]} år." in word
    # The gap since the baseline and since the year before, in the Lägesbild's words (the
    # Word file keeps each sentence in one paragraph).
    assert (
        "2028: utrikes födda 64,0\u00a0%, inrikes födda 80,0\u00a0% – 16,0 procentenheter lägre. "
        "Sedan 2026, när planen började (20,0 procentenheter lägre), har skillnaden minskat. "
        "Sedan 2027 (14,0 procentenheter lägre) har skillnaden ökat."
    ) in word
    assert "77,7" not in word and "2029: utrikes" not in word  # after the round's year
    assert "som i lägesbilden för 2028: till och med 2028, senaste år med värden 2028" in word
    # The comparison row: S1.2 20 % then, 60 % now.
    row = next(line for line in word.splitlines() if line.startswith("S1.2 Kurser | "))
    assert row.split(" | ")[1:] == ["pågår, 20 %", "pågår, 60 %", "+40 procentenheter"]
    assert "+40 procentenheter" in pdf_flat


@pytest.mark.django_db
def test_report_says_plainly_when_the_year_is_outside_the_policys_period(plan, users, client_for):
    from lagesbild.plan import followup_report
    from lagesbild.plan.rounds import open_round

    rnd = open_round(
        plan, "Uppföljning 2031", 2031, datetime.date(2031, 3, 1), users["coordinator"]
    )
    close(client_for(users["coordinator"]), rnd)
    sentence = plan.policy.current.outside_period(2031)
    assert sentence.startswith("Året 2031 ligger efter policyns giltighetstid (2026–2029)")
    doc = followup_report.document(rnd)
    assert ("Observera", sentence) == doc.meta[0]  # at the top of the cover
    assert doc.sections[0].blocks[0].text == sentence  # and first in the text
    word = docx_text(
        b"".join(
            client_for(users["coordinator"])
            .get(reverse("plan:doc_docx", args=[rnd.pk]))
            .streaming_content
        )
    )
    assert sentence in word


@pytest.mark.django_db
def test_unreported_activities_keep_their_state_from_when_the_round_closed(plan, users, client_for):
    from lagesbild.plan import followup_report
    from lagesbild.plan.rounds import open_round

    rnd = open_round(plan, "R", 2026, datetime.date(2026, 12, 1), users["coordinator"])
    close(client_for(users["coordinator"]), rnd)
    h1 = plan.activities.get(ref="H1")
    h1.progress = 90
    h1.save()
    from lagesbild.plan.models import Activity

    Activity.objects.create(plan=plan, ref="N1", title="Ny", department=h1.department)
    rows = {r.activity.ref: r for r in followup_report.reported_activities(rnd)}
    assert rows["H1"].progress == 20 and not rows["H1"].reported
    assert "N1" not in rows


# --- confirmations before what cannot be undone -----------------------------------------------


@pytest.mark.django_db
def test_closing_with_departments_missing_needs_a_confirmation_naming_them(plan, users, client_for):
    from lagesbild.plan.rounds import open_round

    rnd = open_round(plan, "R", 2026, datetime.date(2026, 12, 1), users["coordinator"])
    coordinator = client_for(users["coordinator"])
    url = reverse("plan:round_close", args=[rnd.pk])
    # The round page names them beside a required checkbox.
    page = coordinator.get(reverse("plan:round", args=[rnd.pk])).content.decode()
    assert "2 förvaltningar har inte skickat in sina rapporter" in page
    assert 'name="confirm_missing"' in page and "required" in page

    # Without the confirmation: a page naming them, and the round stays open.
    response = coordinator.post(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Socialförvaltningen" in page and "Utbildningsförvaltningen" in page
    assert not FollowUpRound.objects.get(pk=rnd.pk).closed_at

    # A confirmation that covers only one of them does not close either.
    own = rnd.reports.get(department__name="Utbildningsförvaltningen")
    other = rnd.reports.get(department__name="Socialförvaltningen")
    response = coordinator.post(url, {"confirm_missing": str(own.pk)})
    assert response.status_code == 200
    assert "har ändrats sedan du bekräftade" in response.content.decode()
    assert FollowUpRound.objects.get(pk=rnd.pk).is_open

    # Other roles: 403 even with the confirmation, and nothing changes.
    both = f"{own.pk},{other.pk}"
    for role in ("rep_own", "reader", "partner", "other_coordinator"):
        assert client_for(users[role]).post(url, {"confirm_missing": both}).status_code == 403
    assert FollowUpRound.objects.get(pk=rnd.pk).is_open

    response = coordinator.post(url, {"confirm_missing": both})
    assert response.status_code == 302
    assert not FollowUpRound.objects.get(pk=rnd.pk).is_open


@pytest.mark.django_db
def test_closing_when_everyone_has_reported_needs_no_confirmation(plan, users, client_for):
    from lagesbild.plan.rounds import open_round

    rnd = open_round(plan, "R", 2026, datetime.date(2026, 12, 1), users["coordinator"])
    rnd.reports.update(submitted_at=timezone.now())
    coordinator = client_for(users["coordinator"])
    assert (
        'name="confirm_missing"'
        not in coordinator.get(reverse("plan:round", args=[rnd.pk])).content.decode()
    )
    assert coordinator.post(reverse("plan:round_close", args=[rnd.pk])).status_code == 302
    assert not FollowUpRound.objects.get(pk=rnd.pk).is_open


@pytest.mark.django_db
def test_a_second_round_is_refused_while_one_is_open(plan, users, client_for):
    from lagesbild.plan.rounds import RoundAlreadyOpen, open_round

    rnd = open_round(plan, "Vår", 2026, datetime.date(2026, 12, 1), users["coordinator"])
    coordinator = client_for(users["coordinator"])
    url = reverse("plan:round_open", args=[plan.pk])
    data = {"title": "Höst", "year": 2026, "deadline": "2026-11-30"}

    # The plan page says which round is open instead of offering a new one.
    page = coordinator.get(reverse("plan:detail", args=[plan.pk])).content.decode()
    assert "En ny omgång kan öppnas när Vår är stängd." in page
    assert url not in page

    for response in (coordinator.get(url), coordinator.post(url, data)):
        assert response["Location"] == reverse("plan:round", args=[rnd.pk])
    page = coordinator.get(reverse("plan:round", args=[rnd.pk])).content.decode()
    assert "Omgången Vår är fortfarande öppen" in page
    assert not FollowUpRound.objects.filter(title="Höst").exists()
    with pytest.raises(RoundAlreadyOpen, match="är fortfarande öppen"):
        open_round(plan, "Höst", 2026, datetime.date(2026, 12, 1), users["coordinator"])
    for role in ("rep_own", "reader", "partner", "other_coordinator"):
        assert client_for(users[role]).post(url, data).status_code == 403
    assert plan.rounds.count() == 1

    # Once it is closed, the next one opens.
    close(coordinator, rnd)
    response = coordinator.post(url, data)
    assert response["Location"] == reverse(
        "plan:round", args=[FollowUpRound.objects.get(title="Höst").pk]
    )
