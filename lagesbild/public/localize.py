"""Reading translated content in the reader's language, with a visible Swedish fallback."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from .models import TranslationStatus


@dataclass(frozen=True)
class Localized:
    text: str
    language: str  # the language the text is actually in
    fallback: bool  # True when the reader's language was missing and Swedish is shown
    machine: bool  # True when the text is an unreviewed machine translation


def localized(obj, field, language=None):
    language = language or get_language() or settings.LANGUAGE_CODE
    source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    state = obj.translation_state(field, language)
    if state == TranslationStatus.MISSING:
        text = getattr(obj, build_localized_fieldname(field, source)) or ""
        return Localized(text, source, fallback=language != source and bool(text), machine=False)
    text = getattr(obj, build_localized_fieldname(field, language))
    return Localized(text, language, False, state == TranslationStatus.MACHINE)


def translated_fields(obj):
    from .translation import TRANSLATED_FIELDS

    return TRANSLATED_FIELDS[type(obj)]


def notes(obj, fields=None, language=None):
    """Which notes the reader needs for obj: (any field falls back, any field is machine-made)."""
    found = [localized(obj, f, language) for f in (fields or translated_fields(obj))]
    return any(x.fallback for x in found), any(x.machine for x in found)
