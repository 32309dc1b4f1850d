"""Civic information ("Samhällsinformation"): pages the coordinator writes for new residents.

Rights and obligations, how the municipality works, school, health care, housing, work, SFI
and samhällsorientering, validation: what Lidköping's policy calls "individens ansvar" needs
the individual to know. Each page is translated like other public content (translation.py);
the lättläst version is the `sv-x-ll` translation. Links go to the authorities' own pages.
"""

from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _

from lagesbild.public.models import LONG_TEXT, SHORT_TEXT, TranslatedContent

# A civic page is read on a phone in one sitting: a few screens of text at most.
BODY_TEXT = LONG_TEXT


class Topic(models.TextChoices):
    RIGHTS = "rattigheter", _("Rättigheter och skyldigheter")
    MUNICIPALITY = "kommunen", _("Så fungerar kommunen")
    SCHOOL = "skola", _("Skola och förskola")
    HEALTH = "vard", _("Hälsa och vård")
    HOUSING = "boende", _("Boende")
    WORK = "arbete", _("Arbete")
    SFI = "sfi", _("SFI och samhällsorientering")
    VALIDATION = "validering", _("Validering av utbildning och yrke")
    OTHER = "ovrigt", _("Övrigt")


class CivicPage(TranslatedContent):
    topic = models.CharField(_("ämne"), max_length=20, choices=Topic.choices)
    slug = models.SlugField(_("kortnamn i adresser"), max_length=80)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    title = models.CharField(_("rubrik"), max_length=200)
    summary = models.TextField(_("sammanfattning"), max_length=SHORT_TEXT, blank=True)
    body = models.TextField(
        _("text"),
        max_length=BODY_TEXT,
        blank=True,
        help_text=_(
            "Stycken skiljs med en tom rad. Rader som börjar med ”- ” blir en punktlista. "
            "HTML visas som text."
        ),
    )
    is_published = models.BooleanField(_("publicerad"), default=False)

    class Meta:
        ordering = ["topic", "order", "title"]
        verbose_name = _("sida med samhällsinformation")
        verbose_name_plural = _("samhällsinformation")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="civic_page_unique_slug_per_municipality"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("civic:page", kwargs={"kommun": self.site_slug, "slug": self.slug})


def render_body(text):
    """Plain text as HTML: a <p> per paragraph (blank line between), "- " lines as a <ul>.

    Everything is escaped: the text is typed by staff and translators, never trusted as HTML.
    """
    blocks = [b for b in normalize_newlines(text or "").split("\n\n") if b.strip()]
    html = []
    for block in blocks:
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        items, prose = [], []
        for line in lines:
            if line.startswith("- "):
                if prose:
                    html.append(_paragraph(prose))
                    prose = []
                items.append(line[2:].strip())
            else:
                if items:
                    html.append(_list(items))
                    items = []
                prose.append(line)
        if prose:
            html.append(_paragraph(prose))
        if items:
            html.append(_list(items))
    return mark_safe("".join(html))


def _paragraph(lines):
    return format_html(
        "<p>{}</p>", mark_safe("<br>".join(format_html("{}", line) for line in lines))
    )


def _list(items):
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((i,) for i in items)))


https_only = URLValidator(schemes=["https"], message=_("Ange en adress som börjar med https://."))


class CivicLink(models.Model):
    """A link to an authority's own page (Migrationsverket, 1177, Skolverket ...)."""

    municipality_path = "page__municipality"

    page = models.ForeignKey(
        CivicPage, verbose_name=_("sida"), on_delete=models.CASCADE, related_name="links"
    )
    title = models.CharField(_("länktext"), max_length=200)
    url = models.URLField(_("webbadress"), max_length=500, validators=[https_only])
    authority = models.CharField(
        _("myndighet eller organisation"),
        max_length=200,
        help_text=_("T.ex. Migrationsverket, 1177, Skolverket."),
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)
    # {"title": {"en": "machine"}}, as on the page; an empty text is always "missing".
    translation_status = models.JSONField(_("översättningsstatus"), default=dict, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("länk till myndighet")
        verbose_name_plural = _("länkar till myndigheter")

    def __str__(self):
        return self.title

    @property
    def municipality(self):
        return self.page.municipality

    translation_state = TranslatedContent.translation_state
    set_translation = TranslatedContent.set_translation
