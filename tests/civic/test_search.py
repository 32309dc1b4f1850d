"""Search across one municipality's public site, in the reader's language."""

from datetime import datetime

import pytest
from django.test import Client

from lagesbild.public.models import (
    STOCKHOLM,
    Event,
    GuideEntry,
    InternshipPlace,
    MeetingPlace,
    Moderation,
    Partner,
)


def search(q, prefix=""):
    return Client().get(f"{prefix}/karlshamn/sok/", {"q": q})


def event(title, municipality="1082", status=Moderation.PUBLISHED):
    start = datetime(2030, 5, 7, 18, tzinfo=STOCKHOLM)
    return Event.objects.create(
        title_sv=title,
        start=start,
        end=start.replace(hour=20),
        address="Exempelgatan 1",
        status=status,
        municipality=municipality,
    )


def test_finds_own_civic_page_and_event_not_the_other_municipalitys(make_page):
    make_page(title="Språkstöd i skolan", slug="sprakstod", body_sv="Modersmål och SFI.")
    make_page(title="Språkstöd i Lidköping", slug="sprakstod", municipality="1494")
    event("Språkcafé på biblioteket")
    event("Språkcafé i Lidköping", municipality="1494")
    event("Språkcafé som väntar", status=Moderation.PENDING)
    response = search("språk")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/karlshamn/samhallsinformation/sprakstod/">Språkstöd i skolan</a>' in html
    assert "Språkcafé på biblioteket" in html
    assert "Lidköping" not in html.split("<main", 1)[1].split("</main>")[0]
    assert "Språkcafé som väntar" not in html
    assert "2 träffar" in html


def test_finds_places_internships_partners_and_guide_entries(sites):
    MeetingPlace.objects.create(
        name_sv="Träffpunkt Torget", slug="torget", address="Torget 1", municipality="1082"
    )
    InternshipPlace.objects.create(
        title_sv="Praktik på Torget",
        field_sv="Handel",
        period_start="2030-01-01",
        period_end="2030-02-01",
        contact="vaxel@example.invalid",
        status=Moderation.PUBLISHED,
        municipality="1082",
    )
    Partner.objects.create(
        name="Torgföreningen", slug="torg", kind="association", municipality="1082"
    )
    GuideEntry.objects.create(
        category="skills",
        title_sv="Yrkeskunskap från torghandel",
        description_sv="Bedömning.",
        contact_body="Arbetsförmedlingen",
        municipality="1082",
    )
    html = search("torg").content.decode()
    for kind in ("Mötesplatser", "Praktikplatser", "Partner", "Validering"):
        assert f">{kind}</h2>" in html
    assert "Träffpunkt Torget" in html and "Praktik på Torget" in html
    assert "Torgföreningen" in html and "Yrkeskunskap från torghandel" in html


def test_search_reads_the_readers_language_and_marks_swedish_fallback(make_page):
    page = make_page(title="Hälsa och vård", slug="vard")
    page.set_translation("title", "en", "Health care", "reviewed")
    page.save()
    make_page(title="Vårdnadshavare", slug="vardnad")
    html = search("health", prefix="/en").content.decode()
    assert '<a href="/en/karlshamn/samhallsinformation/vard/">Health care</a>' in html
    # A Swedish word still finds the page; its untranslated title is marked as Swedish.
    html = search("vård", prefix="/en").content.decode()
    assert 'lang="sv" dir="ltr">Vårdnadshavare</a>' in html


@pytest.mark.parametrize("q", ["a", " b "])
def test_too_short_query_says_so(sites, q):
    response = search(q)
    assert response.status_code == 200
    assert "Skriv minst 2 tecken för att söka." in response.content.decode()


def test_too_long_query_is_refused(sites):
    response = search("x" * 101)
    assert response.status_code == 400
    assert "Sökordet är för långt. Skriv högst 100 tecken." in response.content.decode()
    assert search("x" * 100).status_code == 200


def test_nothing_found(sites):
    html = search("zzzz").content.decode()
    assert "Inget hittades" in html and "0 träffar" in html


def test_empty_search_shows_the_form(sites):
    response = Client().get("/karlshamn/sok/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "träffar" not in response.content.decode()
