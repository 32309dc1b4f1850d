"""Pluggable machine translation. The default backend translates nothing.

No translation model runs offline here, so staff translate by hand, or a municipality names its
own service in the setting PUBLIC_MACHINE_TRANSLATION_BACKEND (a dotted class path). A backend
has one method, `translate(text, source, target) -> str | None`; None means "no translation",
and the field stays missing (the page shows Swedish with a note). Machine output is stored with
the status "machine" until someone reviews it.
"""

from django.conf import settings
from django.utils.module_loading import import_string
from modeltranslation.utils import build_localized_fieldname

DEFAULT_BACKEND = "lagesbild.public.machine.NoMachineTranslation"


class NoMachineTranslation:
    def translate(self, text, source, target):
        return None


def get_backend():
    return import_string(getattr(settings, "PUBLIC_MACHINE_TRANSLATION_BACKEND", DEFAULT_BACKEND))()


def fill_missing(obj, fields, languages, backend=None):
    """Machine-translate the empty fields of obj; returns how many were filled (not saved)."""
    from .models import TranslationStatus

    backend = backend or get_backend()
    source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    filled = 0
    for field in fields:
        text = getattr(obj, build_localized_fieldname(field, source))
        if not text:
            continue
        for language in languages:
            if language == source or obj.translation_state(field, language) != "missing":
                continue
            result = backend.translate(text, source, language)
            if result:
                obj.set_translation(field, language, result, TranslationStatus.MACHINE)
                filled += 1
    return filled
