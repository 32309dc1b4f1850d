"""Each municipality's own public site: /<språk>/<kommun-slug>/aktuellt/, /…/motesplatser/, …

One installation serves every municipality that publishes (has a published PublicSite). The
municipality is in the address (its slug from the register: `karlshamn`, `lidkoping`), so a
link says whose page it is, and a page, a calendar feed or a cache entry never mixes two
municipalities' content.

An installation may also map a host name to one municipality (LAGESBILD_PUBLIC_HOSTS, e.g.
`integration.karlshamn.se=karlshamn`): on that host the root leads to that municipality's pages
and every other municipality's public pages answer 404, so a municipality's own domain shows
only its own content. The addresses themselves stay the same on every host.
"""

from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.urls import register_converter

from lagesbild.core import municipalities

from .caching import content_version


class MunicipalitySlug:
    """`<kommun:kommun>` in a URL pattern: a municipality's slug from the register."""

    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value):
        if municipalities.by_slug(value) is None:
            raise ValueError(value)  # not a municipality: the next pattern is tried
        return value

    def to_url(self, value):
        return value


register_converter(MunicipalitySlug, "kommun")


@dataclass(frozen=True)
class Site:
    code: str
    slug: str
    name: str  # "Karlshamn"
    full_name: str  # "Karlshamns kommun"
    accent: str  # "#rrggbb" or ""
    logo_version: str  # "" without a logo; else changes with every new logo (cache busting)

    @property
    def has_logo(self):
        return bool(self.logo_version)


def _site(row):
    area = municipalities.get(row["municipality"])
    return Site(
        code=area.code,
        slug=municipalities.slug_of(area.code),
        name=area.name,
        full_name=area.full_name,
        accent=row["accent_colour"],
        logo_version=row["updated_at"].strftime("%Y%m%d%H%M%S") if row["has_logo"] else "",
    )


# {content version: {kommunkod: Site}}: the published sites, read once per content version
# (every save of a PublicSite raises it), so a cached page costs no database query.
_known = {}


def published_sites():
    """{kommunkod: Site} of every published public site, in register order."""
    from django.db.models import BooleanField, Case, Value, When

    from .models import PublicSite

    version = content_version()
    if version is not None and version in _known:
        return _known[version]
    rows = (
        PublicSite.objects.filter(is_published=True)
        .annotate(
            has_logo=Case(
                When(logo__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .values("municipality", "accent_colour", "updated_at", "has_logo")
    )
    found = {
        r["municipality"]: _site(r)
        for r in sorted(rows, key=lambda r: r["municipality"])
        if municipalities.get(r["municipality"])
    }
    if version is not None:
        _known.clear()  # only the newest version is ever asked for again
        _known[version] = found
    return found


def mapped_slug(request):
    """The municipality this request's host is mapped to (LAGESBILD_PUBLIC_HOSTS), or None."""
    hosts = settings.PUBLIC_HOSTS
    if not hosts:
        return None
    return hosts.get(request.get_host().split(":")[0].lower())


def site_for(request, slug):
    """The published site with this slug, as this host may show it, or 404."""
    area = municipalities.by_slug(slug)
    if area is None:
        raise Http404
    mapped = mapped_slug(request)
    if mapped and mapped != slug:
        raise Http404  # a municipality's own domain shows only its own pages
    site = published_sites().get(area.code)
    if site is None:
        raise Http404
    return site


def visible_sites(request):
    """The sites this host lists: all published ones, or the one its host is mapped to."""
    sites = list(published_sites().values())
    mapped = mapped_slug(request)
    return [s for s in sites if s.slug == mapped] if mapped else sites


def public_site(view):
    """For views under <kommun:kommun>/: sets request.public_site (or 404) and calls the view
    without the `kommun` argument."""

    @wraps(view)
    def wrapper(request, *args, kommun, **kwargs):
        request.public_site = site_for(request, kommun)
        return view(request, *args, **kwargs)

    return wrapper


def site_of_code(code):
    """The published Site of a kommunkod, or None."""
    return published_sites().get(str(code))
