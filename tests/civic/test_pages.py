"""The civic pages: own municipality only, translation markers, lättläst link, print view."""

from django.test import Client
from django.utils import timezone

from lagesbild.civic.models import CivicPage, Topic
from lagesbild.public.models import PublicSite, TranslationStatus


def text(response):
    return response.content.decode()


def test_index_groups_published_pages_by_topic_in_order(make_page):
    make_page(title="Förskola", slug="forskola", order=2)
    make_page(title="Skolplikt", slug="skolplikt", order=1)
    make_page(title="Vårdcentralen", slug="vard", topic=Topic.HEALTH)
    make_page(title="Lika inför lagen", slug="lag", topic=Topic.RIGHTS)
    make_page(title="Utkast", slug="utkast", is_published=False)
    response = Client().get("/karlshamn/samhallsinformation/")
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Samhällsinformation</h1>" in html
    assert html.index("Skola och förskola") < html.index("Skolplikt") < html.index("Förskola")
    # Topics in their declared order: rights, ..., school, health.
    assert html.index("Rättigheter och skyldigheter") < html.index("Skola och förskola")
    assert html.index("Skola och förskola") < html.index("Hälsa och vård")
    assert "Vårdcentralen" in html and "Lika inför lagen" in html
    assert "Utkast" not in html


def test_pages_show_only_their_own_municipalitys_content(make_page):
    make_page(title="Karlshamns skolsida", slug="skola", municipality="1082")
    make_page(title="Lidköpings skolsida", slug="skola", municipality="1494")
    karlshamn = text(Client().get("/karlshamn/samhallsinformation/"))
    assert "Karlshamns skolsida" in karlshamn and "Lidköpings skolsida" not in karlshamn
    lidkoping = Client().get("/lidkoping/samhallsinformation/skola/")
    assert lidkoping.status_code == 200
    assert "Lidköpings skolsida" in text(lidkoping)
    assert "Karlshamns skolsida" not in text(lidkoping)


def test_a_page_of_another_municipality_or_unpublished_is_not_found(make_page):
    make_page(slug="bara-karlshamn", municipality="1082")
    make_page(slug="utkast", is_published=False)
    assert Client().get("/lidkoping/samhallsinformation/bara-karlshamn/").status_code == 404
    assert Client().get("/karlshamn/samhallsinformation/utkast/").status_code == 404


def test_a_municipality_without_a_published_site_has_no_civic_pages(make_page):
    make_page(municipality="1494")
    PublicSite.objects.filter(municipality="1494").update(is_published=False)
    assert Client().get("/lidkoping/samhallsinformation/").status_code == 404


def test_page_shows_title_summary_body_links_date_and_print_link(make_page):
    page = make_page(
        title="Skolplikt",
        summary_sv="Kort om skolan.",
        body_sv="Alla barn går i skolan.\n\n- förskoleklass\n- grundskola",
        is_example=True,
        links=[("Skolverket", "https://www.skolverket.se", "Läs hos Skolverket")],
    )
    response = Client().get("/karlshamn/samhallsinformation/skola/")
    assert response.status_code == 200
    html = text(response)
    assert "<h1>Skolplikt</h1>" in html
    assert "Kort om skolan." in html
    assert (
        "<p>Alla barn går i skolan.</p><ul><li>förskoleklass</li><li>grundskola</li></ul>" in html
    )
    assert (
        '<a href="https://www.skolverket.se" rel="noopener">Läs hos Skolverket</a> (Skolverket)'
        in html
    )
    assert "Exempel: demoinnehåll" in html
    # The page shows the date in the municipality's time zone, not UTC: just
    # before midnight UTC it is already the next day in Sweden.
    assert f'datetime="{timezone.localtime(page.updated_at):%Y-%m-%d}"' in html
    assert 'href="/karlshamn/samhallsinformation/skola/utskrift/">Skriv ut</a>' in html


def test_missing_translation_falls_back_to_swedish_with_a_note(make_page):
    make_page(links=[("1177", "https://www.1177.se", "Vård hos 1177")])
    html = text(Client().get("/en/karlshamn/samhallsinformation/skola/"))
    assert "This text is not yet available in your language" in html
    assert '<h1><span lang="sv" dir="ltr">Skolplikt</span></h1>' in html
    assert '<div class="civic-body" lang="sv" dir="ltr"><p>Alla barn går i skolan.</p>' in html
    assert 'rel="noopener" lang="sv" dir="ltr">Vård hos 1177</a>' in html


def test_translated_page_has_no_fallback_note_and_machine_text_is_marked(make_page):
    page = make_page()
    page.set_translation("title", "en", "Compulsory school", TranslationStatus.MACHINE)
    page.set_translation("body", "en", "All children go to school.", TranslationStatus.REVIEWED)
    page.save()
    html = text(Client().get("/en/karlshamn/samhallsinformation/skola/"))
    assert "<h1>Compulsory school</h1>" in html
    assert '<div class="civic-body"><p>All children go to school.</p>' in html
    assert "Machine-translated" in html or "Maskinöversatt" in html
    assert "not yet available in your language" not in html


def test_lattlast_link_only_when_the_plain_version_exists(make_page):
    page = make_page()
    swedish = text(Client().get("/karlshamn/samhallsinformation/skola/"))
    assert "Lättläst version" not in swedish
    page.set_translation("body", "sv-x-ll", "Alla barn måste gå i skolan.", "reviewed")
    page.save()
    swedish = text(Client().get("/karlshamn/samhallsinformation/skola/"))
    assert 'href="/sv-x-ll/karlshamn/samhallsinformation/skola/"' in swedish
    assert "Lättläst version" in swedish
    plain = Client().get("/sv-x-ll/karlshamn/samhallsinformation/skola/")
    assert plain.status_code == 200
    assert "Alla barn måste gå i skolan." in text(plain)
    assert 'href="/karlshamn/samhallsinformation/skola/"' in text(plain)


def test_print_view(make_page):
    make_page(
        title="Skolplikt",
        body_sv="Alla barn går i skolan.",
        links=[("Skolverket", "https://www.skolverket.se", "Skolverket")],
    )
    response = Client().get("/karlshamn/samhallsinformation/skola/utskrift/")
    assert response.status_code == 200
    html = text(response)
    assert '<html lang="sv" dir="ltr">' in html
    assert "<main" in html and "<h1>Skolplikt</h1>" in html
    assert "Karlshamns kommun" in html
    assert "https://www.skolverket.se" in html.split("<h2>", 1)[1]
    assert "civic/print" in html and ".css" in html
    assert "Logga in" not in html  # no site navigation on paper


def test_print_view_in_arabic_is_right_to_left(make_page):
    make_page()
    html = text(Client().get("/ar/karlshamn/samhallsinformation/skola/utskrift/"))
    assert '<html lang="ar" dir="rtl">' in html
    assert '<span lang="sv" dir="ltr">Skolplikt</span>' in html


def test_page_edits_show_at_once_despite_the_cache(make_page):
    page = make_page(title="Gammal rubrik")
    assert "Gammal rubrik" in text(Client().get("/karlshamn/samhallsinformation/"))
    page.title_sv = "Ny rubrik"
    page.save()
    html = text(Client().get("/karlshamn/samhallsinformation/"))
    assert "Ny rubrik" in html and "Gammal rubrik" not in html
    assert CivicPage.objects.count() == 1


def test_civic_pages_are_public_pages_for_caches(make_page):
    """Anonymous civic pages may be kept by caches like the other public pages (needs "civic"
    in lagesbild.core.middleware.PUBLIC_NAMESPACES); a logged-in view never."""
    make_page()
    for path in ("/karlshamn/samhallsinformation/", "/karlshamn/samhallsinformation/skola/"):
        response = Client().get(path)
        assert "no-store" not in response.get("Cache-Control", ""), path
    assert "no-store" not in Client().get("/karlshamn/sok/?q=skola").get("Cache-Control", "")
