"""Drafts and published versions of the Lägesbild, rendered in any of the three formats."""

import hashlib
import json

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from lagesbild.core.text import clean_json

from .lagesbild import build_document, collect
from .models import PublishedReport
from .render import render_docx, render_html, render_pdf

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render(snapshot, fmt, status, standalone=True):
    """The snapshot's Lägesbild as str (html) or bytes (pdf, docx)."""
    doc = build_document(snapshot, status=status, with_png=fmt == "docx")
    if fmt == "html":
        return render_html(doc, standalone=standalone)
    if fmt == "pdf":
        return render_pdf(doc)
    if fmt == "docx":
        return render_docx(doc)
    raise ValueError(f"okänt format {fmt!r}; välj html, pdf eller docx")


def published_status(report):
    when = timezone.localtime(report.published_at).date().isoformat()
    return f"Publicerad {when}, version {report.number}"


def render_published(report, fmt, standalone=True):
    """A published version; it never changes, so the result is cached."""
    key = f"reports:published:{report.pk}:{report.checksum}:{fmt}:{standalone}"
    found = cache.get(key)
    if found is None:
        found = render(report.snapshot, fmt, published_status(report), standalone)
        cache.set(key, found, 3600)
    return found


def snapshot_checksum(snapshot):
    text = json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def publish(policy, year, user=None):
    """Freeze the Lägesbild for `policy` and `year` as its next published version."""
    version = policy.current
    if version is None:
        raise ValueError(f"{policy} har ingen gällande version")
    # Cleaned before the checksum, so saving (which cleans JSON too, core.text) changes nothing.
    snapshot = clean_json(collect(version, year))
    with transaction.atomic():
        last = (
            PublishedReport.objects.select_for_update()
            .filter(policy=policy, year=year)
            .order_by("-number")
            .first()
        )
        return PublishedReport.objects.create(
            policy=policy,
            year=year,
            number=(last.number + 1) if last else 1,
            snapshot=snapshot,
            checksum=snapshot_checksum(snapshot),
            example=snapshot["example"],
            published_by=user,
        )
