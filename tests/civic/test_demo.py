"""The demo's civic pages: both municipalities, every topic, examples, idempotent."""

from io import StringIO

from django.test import Client

from lagesbild.civic.demo import load_demo
from lagesbild.civic.models import CivicLink, CivicPage, Topic


def test_demo_pages_for_both_municipalities_and_idempotent(sites):
    load_demo(StringIO())
    pages, links = CivicPage.objects.count(), CivicLink.objects.count()
    assert pages and links
    for code in ("1082", "1494"):
        own = CivicPage.objects.filter(municipality=code)
        wanted = set(Topic.values) - {Topic.OTHER}
        assert wanted <= set(own.values_list("topic", flat=True))
    assert not CivicPage.objects.filter(is_example=False).exists()
    assert not CivicLink.objects.exclude(url__startswith="https://").exists()
    assert CivicPage.objects.exclude(body_sv_x_ll="").exists()
    assert any(not p.body_en for p in CivicPage.objects.all())  # some left for the fallback
    out = StringIO()
    load_demo(out)
    assert (CivicPage.objects.count(), CivicLink.objects.count()) == (pages, links)
    assert "0 exempelsidor" in out.getvalue()


def test_demo_pages_render_with_example_badge(sites):
    load_demo(StringIO())
    html = Client().get("/lidkoping/samhallsinformation/").content.decode()
    assert "Så fungerar kommunen" in html and "Exempel: demoinnehåll" in html
    page = Client().get("/lidkoping/samhallsinformation/sa-fungerar-kommunen/").content.decode()
    assert "https://lidkoping.se" in page and "Karlshamn" not in page.split("<main")[1]
