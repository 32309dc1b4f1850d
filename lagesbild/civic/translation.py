"""Translated fields of civic pages (django-modeltranslation adds `<field>_<lang>`).

The lättläst version of a page is its `sv-x-ll` translation (settings.LANGUAGES).
"""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from lagesbild.public.translation import TRANSLATED_FIELDS as PUBLIC_TRANSLATED_FIELDS

from .models import CivicLink, CivicPage

TRANSLATED_FIELDS = {
    CivicPage: ("title", "summary", "body"),
    CivicLink: ("title",),
}
# Added to the public content's list, which drives the admin's status grid (status_form) and
# the reader's translation notes (localize.notes): civic pages get exactly the same ones.
PUBLIC_TRANSLATED_FIELDS.update(TRANSLATED_FIELDS)


@register(CivicPage)
class CivicPageTranslationOptions(TranslationOptions):
    fields = TRANSLATED_FIELDS[CivicPage]


@register(CivicLink)
class CivicLinkTranslationOptions(TranslationOptions):
    fields = TRANSLATED_FIELDS[CivicLink]


# Who changed what, and when (the admin's "Historik"); registered after the translated fields
# exist so the history keeps every language's text.
register_history(CivicPage)
