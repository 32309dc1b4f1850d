"""Text from outside, made safe to store and to write into documents.

XML 1.0 (and so Word's .docx, and the PDF tool's input) cannot hold control characters below
U+0020 other than tab, newline and carriage return, nor U+FFFE/U+FFFF or lone surrogates. Such
characters come in by copying from other programs (Word's manual line break is U+000B) and
made a published Lägesbild's Word file fail for everyone. So:

- `clean_text` removes them; vertical tab and form feed, which mean a line or page break where
  they come from, become a newline so the text keeps its lines;
- `clean_instance` runs before every save of the project's own models (connected once in
  lagesbild.core.apps) and cleans every CharField, TextField and JSONField, except the fields in
  RAW_FIELDS, which keep what a source sent exactly (their checksums are over that);
- the renderers (lagesbild.reports.render) clean again when writing, for rows stored before
  this or written around save() (queryset.update, raw SQL).

Length limits for free text are here too, so every model uses the same sizes.
"""

import re

from django.db import models

# Sizes for free text typed by people. TextField's max_length is checked by forms (ModelForm
# shows Django's message with the limit); the database does not enforce it.
LONG_TEXT = 20_000  # texts of a report: experience, analysis, descriptions, assessments
SHORT_TEXT = 5_000  # a note or a timeline entry

_BREAKS = re.compile("[\x0b\x0c]")
_INVALID = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# "app_label.Model.field": stored exactly as a source sent it, never changed (checksummed).
RAW_FIELDS = {
    "stats.Snapshot.content",
    "stats.Snapshot.query",
    "policy.PolicyVersion.source_text",
}


def clean_text(value):
    """`value` without XML-invalid characters; anything that is not a str is returned as is."""
    if not isinstance(value, str):
        return value
    if _BREAKS.search(value):
        value = _BREAKS.sub("\n", value)
    if _INVALID.search(value):
        value = _INVALID.sub("", value)
    return value


def clean_json(value):
    """`value` (JSON: dicts, lists, strings, numbers) with every string cleaned, keys too."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    return value


_fields_of = {}  # model -> [(field name, cleaner)], worked out once per model


def _cleaners(model):
    found = _fields_of.get(model)
    if found is None:
        found = []
        for f in model._meta.concrete_fields:
            label = f"{model._meta.label}.{f.name}"
            if label in RAW_FIELDS or f.is_relation:
                continue
            if isinstance(f, models.CharField | models.TextField):
                found.append((f.attname, clean_text))
            elif isinstance(f, models.JSONField):
                found.append((f.attname, clean_json))
        _fields_of[model] = found
    return found


def is_own_model(model):
    return model._meta.app_config is not None and model._meta.app_config.name.startswith(
        "lagesbild."
    )


def clean_instance(sender, instance, **kwargs):
    """pre_save receiver: clean the text fields of the project's own models before they are
    written. Historical copies (django-simple-history) are models of the same apps and are
    cleaned the same way."""
    if not is_own_model(sender):
        return
    for name, clean in _cleaners(sender):
        value = getattr(instance, name)
        if value:
            setattr(instance, name, clean(value))
