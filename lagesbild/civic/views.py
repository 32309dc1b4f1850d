"""Public civic information pages, their print view, and the search across the public site."""

from itertools import groupby

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lagesbild.public.caching import cached_page
from lagesbild.public.localize import localized, notes
from lagesbild.public.models import (
    Event,
    GuideEntry,
    InternshipPlace,
    MeetingPlace,
    Moderation,
    Partner,
)
from lagesbild.public.sites import public_site

from .models import CivicPage, Topic, render_body

PLAIN = "sv-x-ll"  # the lättläst variety of Swedish, a language of its own in settings
PAGE_FIELDS = ("title", "summary", "body")
MIN_QUERY, MAX_QUERY = 2, 100


def published_pages(request):
    return CivicPage.objects.filter(municipality=request.public_site.code, is_published=True)


@public_site
@cached_page
def index(request):
    # Topics in the order Topic declares them (rights first), not their codes' alphabet.
    rank = {value: n for n, value in enumerate(Topic.values)}
    pages = sorted(published_pages(request), key=lambda p: (rank[p.topic], p.order, p.pk))
    topics = [
        (topic, list(group)) for topic, group in groupby(pages, key=lambda p: p.get_topic_display())
    ]
    return render(request, "civic/index.html", {"topics": topics})


def _page_context(request, slug):
    page = get_object_or_404(published_pages(request), slug=slug)
    fallback, machine = notes(page, PAGE_FIELDS)
    body = localized(page, "body")
    links = [(link, localized(link, "title")) for link in page.links.all()]
    return {
        "page": page,
        "body_html": render_body(body.text),
        "body_lang": body.language if body.fallback else "",
        "fallback": fallback,
        "machine": machine,
        "links": links,
    }


def _language_url(request, slug, language):
    with translation.override(language):
        return reverse("civic:page", kwargs={"kommun": request.public_site.slug, "slug": slug})


@public_site
@cached_page
def page(request, slug):
    context = _page_context(request, slug)
    current = get_language()
    # The lättläst version is the page's sv-x-ll translation: offer it from Swedish, and the
    # ordinary Swedish text from lättläst.
    if current == settings.MODELTRANSLATION_DEFAULT_LANGUAGE and context["page"].body_sv_x_ll:
        context["plain_url"] = _language_url(request, slug, PLAIN)
    if current == PLAIN:
        context["swedish_url"] = _language_url(request, slug, "sv")
    return render(request, "civic/page.html", context)


@public_site
@cached_page
def print_page(request, slug):
    return render(request, "civic/print.html", _page_context(request, slug))


def _matches(obj, fields, words, extra=""):
    """Whether every word occurs in one of the fields, read in the reader's language (with the
    Swedish fallback the page shows) or in Swedish."""
    texts = [extra]
    for field in fields:
        texts.append(localized(obj, field).text)
        texts.append(getattr(obj, f"{field}_sv", "") or "")
    haystack = " ".join(texts).casefold()
    return all(word in haystack for word in words)


def _hit(obj, title_field, url):
    """A result: its title in the reader's language, with the language it is really in when
    that is the Swedish fallback (the template marks it with lang)."""
    title = localized(obj, title_field)
    return {"text": title.text, "lang": title.language if title.fallback else "", "url": url}


def _search(request, query):
    """The municipality's published public content containing every word of the query.

    The content of one municipality is small (tens to a few hundred rows), so the matching is
    plain Python over the localized texts: it reads translations and the Swedish fallback
    exactly as the pages show them, which a database LIKE over one column could not.
    """
    code, slug = request.public_site.code, request.public_site.slug
    words = query.casefold().split()
    site = {"kommun": slug}
    groups = [
        (
            _("Samhällsinformation"),
            [
                _hit(p, "title", p.get_absolute_url())
                for p in published_pages(request)
                if _matches(p, PAGE_FIELDS, words)
            ],
        ),
        (
            _("Evenemang"),
            [
                _hit(e, "title", e.get_absolute_url())
                for e in Event.objects.filter(municipality=code, status=Moderation.PUBLISHED)
                if _matches(e, ("title", "description"), words)
            ],
        ),
        (
            _("Mötesplatser"),
            [
                _hit(m, "name", m.get_absolute_url())
                for m in MeetingPlace.objects.filter(municipality=code)
                if _matches(m, ("name", "description"), words)
            ],
        ),
        (
            _("Praktikplatser"),
            [
                _hit(i, "title", i.get_absolute_url())
                for i in InternshipPlace.objects.filter(
                    municipality=code, status=Moderation.PUBLISHED
                )
                if _matches(i, ("title", "field", "description"), words)
            ],
        ),
        (
            _("Partner"),
            [
                # A partner's name is its own, in no particular language: not marked.
                {"text": p.name, "lang": "", "url": reverse("public:partners", kwargs=site)}
                for p in Partner.objects.filter(municipality=code, is_public=True)
                if _matches(p, ("description",), words, extra=p.name)
            ],
        ),
        (
            _("Validering"),
            [
                _hit(g, "title", reverse("public:guide", kwargs=site))
                for g in GuideEntry.objects.filter(municipality=code)
                if _matches(g, ("title", "description"), words)
            ],
        ),
    ]
    return [(kind, hits) for kind, hits in groups if hits]


@public_site
@cached_page
def search(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "groups": []}
    if not query:
        return render(request, "civic/search.html", context)
    if len(query) > MAX_QUERY:
        context["error"] = _("Sökordet är för långt. Skriv högst %(n)s tecken.") % {"n": MAX_QUERY}
        return render(request, "civic/search.html", context, status=400)
    if len(query) < MIN_QUERY:
        context["error"] = _("Skriv minst %(n)s tecken för att söka.") % {"n": MIN_QUERY}
        return render(request, "civic/search.html", context)
    groups = _search(request, query)
    context.update(groups=groups, searched=True, total=sum(len(hits) for _kind, hits in groups))
    return render(request, "civic/search.html", context)
