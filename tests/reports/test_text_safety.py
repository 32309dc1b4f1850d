"""Control characters in Lägesbild texts (issue #16, finding 4) and the texts' audit trail
(finding 10): typed text is stored without XML-invalid characters, a frozen version stored
with them still renders in every format, and every change names who made it."""

import io
import subprocess

import docx
import pytest

from lagesbild.accounts.models import Department
from lagesbild.reports.models import AreaAnalysis, Experience, PublishedReport

pytestmark = pytest.mark.django_db

DRAFT = "/lagesbild/karlshamn-integration/2025/"
# Word's manual line break (U+000B), a form feed, a control character and a non-character.
BAD = "Rad ett\x0bRad två\x0cRad tre\x01 och slut\ufffe."
CLEAN = "Rad ett\nRad två\nRad tre och slut."


@pytest.fixture
def coordinator(make_user, karlshamn):
    return make_user("coordinator")


@pytest.fixture
def rep(make_user, karlshamn):
    return make_user("department", department="Utbildningsförvaltningen")


def pdf_text(content):
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def word_text(content):
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_control_characters_typed_in_the_form_are_not_stored(client, rep, stored):
    client.force_login(rep)
    response = client.post(f"{DRAFT}arbete/erfarenhet/", {"text": BAD})
    assert response.status_code == 302
    assert Experience.objects.get().text == CLEAN
    response = client.get(f"{DRAFT}utkast.docx")
    assert response.status_code == 200
    assert "Rad två" in word_text(response.content)


def test_texts_written_around_save_still_render_in_the_draft(
    client, coordinator, karlshamn, stored
):
    """Rows stored before the fix (or written with queryset.update) keep their characters in
    the database; the renderers clean them when writing."""
    experience = Experience.objects.create(
        policy=karlshamn.policy,
        area_key="arbete",
        year=2025,
        department=Department.objects.create(municipality="1082", name="Socialförvaltningen"),
        text="Ren text.",
    )
    Experience.objects.filter(pk=experience.pk).update(text=BAD)
    client.force_login(coordinator)
    for fmt in ("docx", "pdf", "html"):
        response = client.get(f"{DRAFT}utkast.{fmt}")
        assert response.status_code == 200, fmt
    assert "Rad två" in word_text(client.get(f"{DRAFT}utkast.docx").content)


def test_a_frozen_version_stored_with_control_characters_still_downloads(
    client, coordinator, stored
):
    client.force_login(coordinator)
    client.post(f"{DRAFT}arbete/analys/", {"text": "Analysen."})
    assert client.post(f"{DRAFT}publicera/", {"confirm": "yes", "number": "1"}).status_code == 302
    report = PublishedReport.objects.get()
    # A version frozen before the fix: its JSON written directly, around every save().
    snapshot = report.snapshot
    snapshot["analyses"]["arbete"]["text"] = BAD
    PublishedReport.objects.filter(pk=report.pk).update(snapshot=snapshot)
    assert "\x0b" in PublishedReport.objects.get().snapshot["analyses"]["arbete"]["text"]
    version = f"{DRAFT}version/1/"
    client.logout()  # a published version is for everyone
    word = client.get(f"{version}lagesbild.docx")
    assert word.status_code == 200
    assert "Rad två" in word_text(word.content)  # python-docx opens it
    pdf = client.get(f"{version}lagesbild.pdf")
    assert pdf.status_code == 200
    assert "Rad två" in pdf_text(pdf.content)
    page = client.get(version)
    assert page.status_code == 200
    assert "Rad två" in page.content.decode()
    assert "\x0b" not in page.content.decode()


def test_publishing_freezes_clean_texts(client, coordinator, stored):
    """A text stored with control characters before the fix is frozen without them."""
    client.force_login(coordinator)
    client.post(f"{DRAFT}arbete/analys/", {"text": "Analysen."})
    AreaAnalysis.objects.update(text=BAD)
    client.post(f"{DRAFT}publicera/", {"confirm": "yes", "number": "1"})
    assert PublishedReport.objects.get().snapshot["analyses"]["arbete"]["text"] == CLEAN


def test_too_long_text_is_refused_with_the_limit_named(client, rep):
    client.force_login(rep)
    response = client.post(f"{DRAFT}arbete/erfarenhet/", {"text": "x" * 20_001})
    assert response.status_code == 200
    assert "20000" in response.content.decode()
    assert not Experience.objects.exists()


def test_editing_texts_and_publishing_leave_a_history_with_the_user(
    client, coordinator, rep, stored
):
    client.force_login(rep)
    client.post(f"{DRAFT}arbete/erfarenhet/", {"text": "Praktik fungerar."})
    experience = Experience.objects.get()
    client.post(f"/lagesbild/erfarenhet/{experience.pk}/", {"text": "Praktik fungerar bra."})
    client.force_login(coordinator)
    client.post(f"{DRAFT}arbete/analys/", {"text": "Skillnaden minskar."})
    client.post(f"{DRAFT}arbete/analys/", {"text": "Skillnaden minskar långsamt."})
    client.post(f"{DRAFT}publicera/", {"confirm": "yes", "number": "1"})

    changes = list(experience.history.order_by("history_date"))
    assert [(h.history_type, h.history_user, h.text) for h in changes] == [
        ("+", rep, "Praktik fungerar."),
        ("~", rep, "Praktik fungerar bra."),
    ]
    analysis = AreaAnalysis.objects.get()
    assert [(h.history_user, h.text) for h in analysis.history.order_by("history_date")] == [
        (coordinator, "Skillnaden minskar."),
        (coordinator, "Skillnaden minskar långsamt."),
    ]
    published = PublishedReport.objects.get().history.get()
    assert (published.history_type, published.history_user) == ("+", coordinator)

    page = client.get(DRAFT).content.decode()
    history = page[page.index('id="history-h"') :]
    history = history[: history.index("</section>")]
    assert "Ändringshistorik" in history
    assert rep.get_username() in history and coordinator.get_username() in history
    assert "Samordnarens analys" in history and ": ändrad (analys)" in history
    assert "Utbildningsförvaltningen" in history and ": ändrad (beprövad erfarenhet)" in history
    assert 'Publicerad lägesbild <span lang="sv">Version 1</span>: publicerad' in history
