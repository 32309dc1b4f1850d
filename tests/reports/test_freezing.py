"""Freezing, where users meet it: a Lägesbild published over HTTP (with its confirmation step)
reads the same, page and every download byte for byte, after the statistics, the texts, the
policy and the indicator catalogue have all changed; the draft shows every one of the changes.

Only the page's CSRF token (in the language form), which Django masks anew for every
response, is set to a fixed value before comparing. The PDF and the Word file are compared as
they are: both are dated by the snapshot's collection time, not the render time.
"""

import copy
import io
import re
import subprocess
import zipfile

import pytest
from django.core.cache import cache
from django.test import Client

from lagesbild.policy.loading import load_policy
from lagesbild.reports import charts
from lagesbild.reports.models import Experience, PublishedReport
from lagesbild.stats import catalogue

from .conftest import EMPLOYMENT, KARLSHAMN, employment, store

pytestmark = pytest.mark.django_db

DRAFT = "/lagesbild/karlshamn-integration/2025/"
PUBLISHED = "/lagesbild/karlshamn-integration/2025/version/1/"
FORMATS = ("html", "pdf", "docx")

# What the changed world says, each in words the published version never contained.
NEW_VALUE = "70,0"  # foreign-born employment 2025 after the new fetch (was 64,0)
EDITED_EXPERIENCE = "Yrkes-SFI har halverat avhoppen."
NEW_EXPERIENCE = "Hälsokommunikatörerna når fler familjer."
NEW_ANALYSIS = "Omskriven analys efter nya siffror."
NEW_AREA_TITLE = "Arbete och egen försörjning"  # the revised policy's chapter title
NEW_INDICATOR_TITLE = "Förvärvsarbetande 20–64 år enligt ny katalog"
NEW_BREAK_NOTE = "Katalogens nya seriebrott för testet."

CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]*)(")')


def _blank(match):
    return match.group(1) + b"0" * len(match.group(2)) + match.group(3)


def normalised(fmt, content):
    """The response body with only the page's CSRF token made fixed."""
    if fmt == "page":
        return CSRF.sub(_blank, content)
    return content


def text_of(fmt, content):
    """The readable text of a download, whitespace collapsed (to look for words in it)."""
    if fmt == "pdf":
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
        ).stdout.decode()
    elif fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            xml = archive.read("word/document.xml").decode()
        text = re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", xml))
    else:
        text = content.decode()
    return " ".join(text.replace("\u00ad", "").split())


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content


def published_now(reader):
    urls = {"page": PUBLISHED, **{fmt: f"{PUBLISHED}lagesbild.{fmt}" for fmt in FORMATS}}
    return {fmt: fetch(reader, url) for fmt, url in urls.items()}


def draft_now(coordinator):
    urls = {"page": DRAFT, **{fmt: f"{DRAFT}utkast.{fmt}" for fmt in FORMATS}}
    return {fmt: fetch(coordinator, url) for fmt, url in urls.items()}


def changed_catalogue(original):
    """The shipped catalogue with the employment indicator's title, better direction and
    series break changed, as a new catalogue.yaml would change them."""

    def load():
        entries = copy.deepcopy(original())
        entry = entries[EMPLOYMENT]
        assert entry["better"] == "higher"
        entry["title"] = {"sv": NEW_INDICATOR_TITLE, "en": "Employment, new catalogue"}
        entry["better"] = "lower"
        entry["series_breaks"] = [{"year": 2024, "note": NEW_BREAK_NOTE}]
        return entries

    return load


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_published_lagesbild_and_downloads_stay_byte_identical_while_the_draft_changes(
    karlshamn, stored, make_user, monkeypatch
):
    coordinator = login(make_user("coordinator"))
    rep = make_user("department", department="Utbildningsförvaltningen")
    representative = login(rep)

    # Texts as they stand at publishing: the coordinator's analysis, a department's experience.
    response = coordinator.post(f"{DRAFT}arbete/analys/", {"text": "Skillnaden minskar."})
    assert response.status_code == 302
    response = representative.post(f"{DRAFT}sprak/erfarenhet/", {"text": "Språkcaféer hjälper."})
    assert response.status_code == 302
    experience = Experience.objects.get()

    # Publishing: the confirmation page for version 1, then the confirmed POST.
    confirm = coordinator.get(f"{DRAFT}publicera/")
    assert "Publicera lägesbilden 2025 som version 1?" in confirm.content.decode()
    response = coordinator.post(f"{DRAFT}publicera/", {"confirm": "yes", "number": "1"})
    assert response.status_code == 302 and response["Location"] == PUBLISHED
    assert PublishedReport.objects.get().number == 1

    reader = Client()  # the public: published versions need no login
    before = published_now(reader)
    page = before["page"].decode()
    assert "Skillnaden minskar." in page and "Språkcaféer hjälper." in page
    assert "64,0" in page and "Publicerad" in page
    for fmt in ("pdf", "docx"):
        assert "Skillnaden minskar." in text_of(fmt, before[fmt])
    draft_before = draft_now(coordinator)

    # The world changes. A new fetch: foreign-born employment 2025 is 70.0, not 64.0.
    store(employment("1082", {2025: (70.0, 81.0)}), ref="ny hämtning")
    # The department rewrites its text and adds one; the coordinator rewrites the analysis.
    response = representative.post(
        f"/lagesbild/erfarenhet/{experience.pk}/", {"text": EDITED_EXPERIENCE}
    )
    assert response.status_code == 302
    response = representative.post(f"{DRAFT}halsa/erfarenhet/", {"text": NEW_EXPERIENCE})
    assert response.status_code == 302
    response = coordinator.post(f"{DRAFT}arbete/analys/", {"text": NEW_ANALYSIS})
    assert response.status_code == 302
    # The policy is revised: a new version with another chapter title.
    revised = KARLSHAMN.read_text(encoding="utf-8").replace(
        "title: Arbete\n", f"title: {NEW_AREA_TITLE}\n", 1
    )
    assert revised != KARLSHAMN.read_text(encoding="utf-8")
    assert load_policy(revised, "reviderad.yaml").version.number == 2
    # The catalogue changes the indicator's title, which way is better and its series break.
    monkeypatch.setattr(catalogue, "load_catalogue", changed_catalogue(catalogue.load_catalogue))
    assert catalogue.catalogue_for("1082")[EMPLOYMENT]["better"] == "lower"
    # Published renders are cached; without this the second fetch would prove nothing.
    cache.clear()
    charts.clear_cache()

    after = published_now(reader)
    for fmt in before:
        assert normalised(fmt, after[fmt]) == normalised(fmt, before[fmt]), fmt

    # The draft, fetched the same way, shows every change in every format.
    draft_after = draft_now(coordinator)
    for fmt in draft_after:
        assert normalised(fmt, draft_after[fmt]) != normalised(fmt, draft_before[fmt]), fmt
        text = text_of(fmt, draft_after[fmt])
        for new in (
            NEW_VALUE,
            EDITED_EXPERIENCE,
            NEW_EXPERIENCE,
            NEW_ANALYSIS,
            NEW_AREA_TITLE,
            NEW_INDICATOR_TITLE,
            NEW_BREAK_NOTE,
        ):
            assert new in text, (fmt, new)
        assert "Språkcaféer hjälper." not in text and "Skillnaden minskar." not in text
