from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import get_language, get_language_info

from ..localize import localized, notes
from ..models import STOCKHOLM

register = template.Library()


def _paragraphs(text):
    parts = [p.strip() for p in normalize_newlines(text).split("\n\n") if p.strip()]
    return mark_safe(
        "".join(
            format_html("<p>{}</p>", mark_safe(conditional_escape(p).replace("\n", "<br>")))
            for p in parts
        )
    )


@register.simple_tag
def tr(obj, field, paragraphs=False):
    """A translated field; Swedish fallback text is wrapped with lang="sv" dir="ltr"."""
    t = localized(obj, field)
    body = _paragraphs(t.text) if paragraphs else conditional_escape(t.text)
    if not t.fallback:
        return body
    tag = "div" if paragraphs else "span"
    return format_html('<{} lang="sv" dir="ltr">{}</{}>', tag, body, tag)


@register.inclusion_tag("public/_translation_note.html")
def translation_note(obj, fields=None):
    fallback, machine = notes(obj, fields.split(",") if fields else None)
    return {"fallback": fallback, "machine": machine}


@register.inclusion_tag("public/_languages.html", takes_context=True)
def public_language_links(context):
    """Links to this very page in every public language (shareable, no form, cache-safe)."""
    request = context["request"]
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(request.get_full_path(), code),
                "current": code == current,
                "dir": "rtl" if info["bidi"] else "ltr",
            }
        )
    return {"links": links}


@register.filter
def language_names(codes):
    """["sv", "ar"] -> Svenska, العربية: each language names itself, marked with its lang."""
    return mark_safe(
        ", ".join(
            format_html('<span lang="{}">{}</span>', c, get_language_info(c)["name_local"])
            for c in codes
        )
    )


def _babel_locale():
    # Django's codes to CLDR locales; lättläst uses Swedish formats.
    code = get_language() or "sv"
    return {"sv-x-ll": "sv", "fa-af": "fa_AF"}.get(code, code.replace("-", "_"))


@register.filter
def day(value):
    """A date (or datetime) as a full day name and date in the reader's language."""
    from babel.dates import format_date

    if hasattr(value, "astimezone"):
        value = value.astimezone(STOCKHOLM).date()
    return format_date(value, format="full", locale=_babel_locale())


@register.filter
def clock(value):
    """The Stockholm wall-clock time of an aware datetime, e.g. 18:00."""
    from babel.dates import format_time

    return format_time(value.astimezone(STOCKHOLM), format="short", locale=_babel_locale())
