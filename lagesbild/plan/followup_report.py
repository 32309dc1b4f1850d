"""The yearly follow-up report for kommunfullmäktige, built when a round closes.

Sources: the round's department reports (ActivityReport rows: status, progress and text per
activity as reported), the departments' beprövad erfarenhet written in the round
(reports.Experience with the round as origin), and the statistics store's observations for the
indicators the activities target (lagesbild.stats.queries), from which lagesbild.analysis.gaps
computes how each gap between foreign-born and native-born moved since the plan started.

The report is a reports.document.Document, rendered by reports.render to HTML, PDF and Word.
Files are written once per round (a closed round no longer changes) to
LAGESBILD_HOME/plan-reports, write-then-rename so a half-written file is never served.
"""

from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation

from lagesbild.analysis.gaps import gap_change, gap_series
from lagesbild.analysis.rollup import Node, rollup, weighted_mean
from lagesbild.core import municipalities
from lagesbild.reports.document import (
    BulletList,
    Document,
    Note,
    Paragraph,
    Section,
    Table,
)
from lagesbild.reports.formatting import gap_text, number
from lagesbild.reports.lagesbild import latest_kind
from lagesbild.reports.models import Experience
from lagesbild.stats.catalogue import catalogue_for

from .forms import indicator_title
from .models import ActivityReport, Status

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SOURCE_NOTE = (
    "Källa: Kolada (RKA) och SCB, ur Lägesbilds statistikdatabas; varje värdes hämtningstid "
    "finns under Statistik. Skillnaden är utrikes födda minus inrikes födda i kommunen."
)
CHANGE_WORDS = {"narrowed": "minskat", "widened": "ökat", "unchanged": "oförändrad"}


def _percent(value):
    return "–" if value is None else f"{number(value, 0)} %"


def _status_label(value):
    # The report is Swedish whatever the interface language of the one who closes the round.
    with translation.override("sv"):
        return str(Status(value).label) if value in Status.values else value


def reported_activities(rnd):
    """[(activity, status, progress, text, reported?)…] as the round left them.

    Activities no department reported on keep their status and progress from the plan.
    """
    items = {
        i.activity_id: i
        for i in ActivityReport.objects.filter(report__round=rnd).select_related("activity")
    }
    out = []
    for a in rnd.plan.activities.select_related("department").order_by("ref"):
        item = items.get(a.pk)
        if item:
            out.append((a, item.status, item.progress, item.text, True))
        else:
            out.append((a, a.status, a.progress, "", False))
    return out


def gap_rows(plan, indicator_ids):
    """[(indicator id, title, first Gap or None, last Gap or None, change or None)…].

    The baseline is the latest gap published for the plan's start year or earlier (else the
    first there is); the comparison is the latest gap. Change is None when there is no newer
    year than the baseline, or a value is missing.
    """
    from lagesbild.stats.queries import observations

    area = plan.municipality
    catalogue = catalogue_for(area)
    ids = [i for i in indicator_ids if i in catalogue]
    obs = list(observations(ids, [area])) if ids else []
    out = []
    for indicator in ids:
        entry = catalogue[indicator]
        # Only values of the kind of the latest one (example or real) are compared.
        mine = [o for o in obs if o.indicator == indicator]
        kind = latest_kind(mine, area)
        series = gap_series([o for o in mine if o.example == kind], indicator, area)
        years = sorted(series)
        first = last = change = None
        if years:
            before = [y for y in years if y <= plan.start_year]
            first = series[before[-1] if before else years[0]]
            last = series[years[-1]]
            better = entry.get("better")
            if last.period > first.period and better in ("higher", "lower"):
                try:
                    change = gap_change(first, last, better)
                except ValueError:
                    change = None
        out.append((indicator, indicator_title(entry), first, last, change, obs))
    return out


def _gap_words(g, unit):
    """The gap with the Lägesbild's convention: 'utrikes födda 63,2 %, inrikes födda 79,1 % –
    15,9 procentenheter lägre'."""
    return gap_text(g.foreign, g.native, unit, points=g.points, ratio=g.ratio)


def _gap_table(plan, indicator_ids, title):
    rows, example = [], False
    catalogue = catalogue_for(plan.municipality)
    for indicator, name, first, last, change, obs in gap_rows(plan, indicator_ids):
        unit = catalogue[indicator]["unit"]
        example = example or latest_kind(
            [o for o in obs if o.indicator == indicator], plan.municipality
        )
        if first is None:
            has_values = any(o.indicator == indicator for o in obs)
            rows.append(
                [
                    name,
                    "redovisas inte för utrikes och inrikes födda"
                    if has_values
                    else "uppgift saknas",
                    "–",
                    "–",
                ]
            )
            continue
        rows.append(
            [
                name,
                f"{first.period}: {_gap_words(first, unit)}",
                f"{last.period}: {_gap_words(last, unit)}" if last.period != first.period else "–",
                CHANGE_WORDS[change] if change else "ingen nyare uppgift än när planen började",
            ]
        )
    table = Table(
        caption=title,
        header=[
            "Indikator",
            "Skillnad när planen började (utrikes jämfört med inrikes födda)",
            "Senaste skillnad",
            "Skillnaden har",
        ],
        rows=rows,
    )
    return table, example


def document(rnd):
    """The follow-up report as a Document."""
    plan = rnd.plan
    policy = plan.policy
    municipality = municipalities.get(policy.municipality)
    activities = reported_activities(rnd)
    progress = rollup(
        Node(a.pk, a.parent_id, p, 0 if s == Status.CANCELLED else float(a.weight))
        for a, s, p, _t, _r in activities
    )
    reports = list(rnd.reports.select_related("department").order_by("department__name"))
    submitted = [r for r in reports if r.submitted_at]
    experiences = Experience.objects.filter(
        policy=policy, year=rnd.year, origin=rnd.origin
    ).select_related("department")

    doc = Document(
        title=f"Uppföljning av {plan.title}",
        subtitle=f"{rnd.title} – rapport till kommunfullmäktige",
        municipality=municipality.name if municipality else policy.municipality_name,
        meta=[
            ("Policy", str(policy)),
            ("Handlingsplan", f"{plan.title}, {plan.start_year}–{plan.end_year}"),
            ("Antagen", plan.adopted.isoformat() if plan.adopted else "–"),
            ("Svarar på lägesbilden för", str(plan.lagesbild_year)),
            ("Uppföljningsår", str(rnd.year)),
            ("Sista dag för rapportering", rnd.deadline.isoformat()),
            (
                "Omgången stängd",
                timezone.localtime(rnd.closed_at).date().isoformat() if rnd.closed_at else "–",
            ),
            ("Förvaltningar som rapporterat", f"{len(submitted)} av {len(reports)}"),
        ],
    )
    if plan.is_example:
        doc.example_data = True

    areas = plan.areas()
    summary_rows = []
    for area in areas:
        top = [
            (a, s) for a, s, _p, _t, _r in activities if area.key in a.area_keys and not a.parent_id
        ]
        mean = weighted_mean(
            (progress[a.pk], 0 if s == Status.CANCELLED else float(a.weight)) for a, s in top
        )
        summary_rows.append([area.title, str(len(top)), _percent(mean)])
    summary = Section(
        "Sammanfattning",
        key="sammanfattning",
        blocks=[
            Paragraph(
                f"Rapporten visar läget för handlingsplanens insatser efter uppföljningen "
                f"{rnd.title}, område för område: varje insats status och hur stor del som är "
                f"genomförd enligt den ansvariga förvaltningen, och hur skillnaden mellan "
                f"utrikes och inrikes födda har förändrats i de indikatorer som insatserna ska "
                f"påverka sedan planen började {plan.start_year}."
            ),
            Table(
                caption="Genomfört per område (sammanvägt, viktat)",
                header=["Område", "Insatser", "Genomfört"],
                rows=summary_rows,
                numeric_columns={1, 2},
            ),
        ],
    )
    if plan.is_example:
        summary.blocks.insert(
            0, Note("Exempelinnehåll för demonstration – inte verkliga beslut eller insatser.")
        )
    doc.sections.append(summary)

    example_stats = False
    for area in areas:
        rows, texts, indicators = [], [], []
        for a, status, _prog, text, reported in activities:
            if area.key not in a.area_keys:
                continue
            rows.append(
                [
                    a.ref,
                    a.title,
                    a.department.name,
                    _status_label(status),
                    _percent(progress[a.pk]),
                    "" if reported else "ej rapporterad",
                ]
            )
            if text:
                texts.append(f"{a.ref} {a.title}: {text}")
            indicators += [i for i in a.indicators if i not in indicators]
        section = Section(area.title, key=area.key)
        if not rows:
            section.blocks.append(Paragraph("Handlingsplanen har inga insatser inom området."))
            doc.sections.append(section)
            continue
        section.blocks.append(
            Table(
                caption=f"Insatser inom {area.title}",
                header=["Id", "Insats", "Ansvarig", "Status", "Genomfört", "Anmärkning"],
                rows=rows,
                numeric_columns={4},
            )
        )
        if texts:
            section.subsections.append(
                Section("Förvaltningarnas lägesbeskrivningar", blocks=[BulletList(texts)])
            )
        found = [e for e in experiences if e.area_key == area.key]
        if found:
            section.subsections.append(
                Section(
                    "Beprövad erfarenhet",
                    blocks=[BulletList([f"{e.department.name}: {e.text}" for e in found])],
                )
            )
        gaps = Section("Indikatorerna insatserna ska påverka")
        if indicators:
            table, example = _gap_table(plan, indicators, f"Skillnaden i {area.title}")
            example_stats = example_stats or example
            gaps.blocks.append(table)
            gaps.blocks.append(Note(SOURCE_NOTE))
            if example:
                gaps.blocks.append(Note("Exempeldata – inte officiell statistik"))
        else:
            gaps.blocks.append(Paragraph("Insatserna inom området anger inga indikatorer."))
        section.subsections.append(gaps)
        doc.sections.append(section)

    doc.sections.append(
        Section(
            "Förvaltningarnas rapportering",
            key="rapportering",
            blocks=[
                Table(
                    caption="Vem har rapporterat",
                    header=["Förvaltning", "Inskickad"],
                    rows=[
                        [
                            r.department.name,
                            timezone.localtime(r.submitted_at).date().isoformat()
                            if r.submitted_at
                            else "ej inskickad",
                        ]
                        for r in reports
                    ],
                )
            ],
        )
    )
    if example_stats:
        doc.example_data = True
    return doc


def _path(rnd, fmt):
    return Path(settings.HOME) / "plan-reports" / f"uppfoljning-{rnd.pk}.{fmt}"


def build(rnd, fmt, force=False):
    """The report file in one format, rendering it the first time it is asked for."""
    from lagesbild.reports import render

    if fmt not in CONTENT_TYPES:
        raise ValueError(f"okänt format {fmt!r}")
    path = _path(rnd, fmt)
    if path.exists() and not force:
        return path
    doc = document(rnd)
    content = {"html": render.render_html, "pdf": render.render_pdf, "docx": render.render_docx}[
        fmt
    ](doc)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{fmt}.tmp")
    tmp.write_bytes(content)
    tmp.replace(path)
    return path
