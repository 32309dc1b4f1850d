"""The yearly follow-up report a council can decide on, built when a round closes.

The report goes to the body the policy names (PolicyVersion.reports_to: the policy's
follow_up.report_to, else the body that decided it); nothing here names a body itself.

Sources: the round's department reports (ActivityReport rows: status, progress and text per
activity as reported; activities nobody reported on as they stood when the round closed, from
their history), the departments' beprövad erfarenhet written in the round (reports.Experience
with the round as origin), the coordinator's overall assessment and proposed decision (on the
round), the previous round of the same plan, and the statistics store's observations for the
indicators the activities target (lagesbild.stats.queries), from which lagesbild.analysis.gaps
computes how each gap between foreign-born and native-born moved since the plan started and
since the year before. Statistics are those of the Lägesbild for the round's year: values up to
and including that year, one kind only (example or real, never combined).

The report is a reports.document.Document, rendered by reports.render to HTML, PDF and Word.
Files are written when the round closes and again when the coordinator saves the assessment or
the proposed decision, to plan-reports/ in the default storage (LAGESBILD_HOME/media, or the
storage every app server shares, LAGESBILD_STORAGE_URL), so a report rebuilt through one server
is the one every server serves; write-then-rename on a folder, so a half-written file is never
served.
"""

import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from lagesbild.analysis.gaps import gap_change, gap_series
from lagesbild.analysis.rollup import Node, rollup, weighted_mean
from lagesbild.core import municipalities
from lagesbild.policy.models import agenda2030_parts
from lagesbild.reports import agenda2030, targets
from lagesbild.reports.document import (
    BulletList,
    Document,
    Note,
    Paragraph,
    Section,
    Table,
)
from lagesbild.reports.formatting import gap_phrase, gap_text, number, signed
from lagesbild.reports.lagesbild import latest_kind, lower_first
from lagesbild.reports.models import Experience
from lagesbild.stats.catalogue import catalogue_for

from .forms import indicator_title
from .models import Activity, ActivityReport, Status

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
# "… har skillnaden minskat" / "… är skillnaden oförändrad"
CHANGE_SENTENCES = {
    "narrowed": "har skillnaden minskat",
    "widened": "har skillnaden ökat",
    "unchanged": "är skillnaden oförändrad",
}
NUMBER_WORDS = ["noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"]
# Who has not written yet: said plainly in the report rather than leaving a section empty.
NO_ASSESSMENT = "Integrationssamordnaren har inte skrivit den samlade bedömningen ännu."
NO_PROPOSAL = "Integrationssamordnaren har inte skrivit något förslag till beslut ännu."


def _whole(value):
    """A percentage rounded as it is shown (half up)."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _percent(value):
    return "–" if value is None else f"{number(value, 0)} %"


def _status_label(value):
    # The report is Swedish whatever the interface language of the one who closes the round.
    with translation.override("sv"):
        return str(Status(value).label) if value in Status.values else value


def _years_word(n):
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def _paragraphs(text):
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def report_date(rnd):
    """The date the report describes: the day the round closed (today while it is open)."""
    return timezone.localtime(rnd.closed_at).date() if rnd.closed_at else timezone.localdate()


def recipient(plan):
    """The body the follow-up report goes to, as the plan's policy names it, for running text
    (its first letter in lower case; "" if unknown)."""
    version = plan.policy.current
    return lower_first(version.reports_to) if version else ""


# --- the round's activities -----------------------------------------------------------------


@dataclass
class Row:
    """One activity as a round left it."""

    activity: Activity
    status: str
    progress: int
    text: str
    item: ActivityReport | None  # the department's answer, None when nobody reported

    @property
    def reported(self):
        return self.item is not None


def reported_activities(rnd):
    """[Row…] for the plan's activities as the round left them, by id.

    Reported activities take the department's answer. The others keep the status and progress
    they had when the round closed (from the activity's history; while the round is open, as
    they are now). Activities created after the round closed are not part of it.
    """
    items = {
        i.activity_id: i
        for i in ActivityReport.objects.filter(report__round=rnd).select_related(
            "report__department"
        )
    }
    then, later = {}, set()
    if rnd.closed_at:
        history = Activity.history.filter(plan_id=rnd.plan_id).order_by("history_date")
        for h in history.filter(history_date__lte=rnd.closed_at):
            then[h.id] = h
        later = set(
            history.filter(history_date__gt=rnd.closed_at, history_type="+").values_list(
                "id", flat=True
            )
        ) - set(then)
    out = []
    for a in rnd.plan.activities.select_related("department").order_by("ref"):
        item = items.get(a.pk)
        if item:
            out.append(Row(a, item.status, item.progress, item.text, item))
        elif a.pk in later:
            continue
        else:
            state = then.get(a.pk, a)
            out.append(Row(a, state.status, state.progress, "", None))
    return out


def _rolled_up(rows):
    """{activity pk: rolled-up progress}; cancelled activities count with weight 0."""
    keys = {r.activity.pk for r in rows}
    return rollup(
        Node(
            r.activity.pk,
            r.activity.parent_id if r.activity.parent_id in keys else None,
            r.progress,
            0 if r.status == Status.CANCELLED else float(r.activity.weight),
        )
        for r in rows
    )


def previous_round(rnd):
    """The round of the same plan opened before this one, or None."""
    return rnd.plan.rounds.filter(pk__lt=rnd.pk).order_by("-opened_at", "-pk").first()


def written_by(rnd, *fields):
    """(name, date) of the last change to any of the round's `fields`, from its history."""
    records = list(rnd.history.select_related("history_user").order_by("history_date"))
    last = None
    for before, after in zip(records, records[1:], strict=False):
        if any(getattr(before, f) != getattr(after, f) for f in fields):
            last = after
    if last is None and records and any(getattr(records[0], f) for f in fields):
        last = records[0]
    if last is None:
        return None
    return _name(last.history_user), timezone.localtime(last.history_date).date()


# --- the gaps -------------------------------------------------------------------------------


@dataclass
class GapRow:
    indicator: str
    title: str
    unit: str
    first: object  # Gap at the plan's baseline, or None
    last: object  # the latest Gap up to the round's year, or None
    previous: object  # the Gap of the latest year before `last`, or None
    change: str | None  # first → last: narrowed, widened, unchanged; None if not comparable
    change_previous: str | None  # previous → last
    has_values: bool  # any value at all (else: "uppgift saknas")
    example: bool  # the values shown are example data
    judged: bool = True  # the catalogue says which direction is better (else no change words)


def _change(a, b, better):
    if a is None or b is None or b.period <= a.period or better not in ("higher", "lower"):
        return None
    try:
        return gap_change(a, b, better)
    except ValueError:  # a value is missing (protected, not published)
        return None


def gap_rows(plan, indicator_ids, year):
    """[GapRow…] for the indicators, from the statistics up to and including `year`.

    The baseline is the latest gap published for the plan's start year or earlier (else the
    first there is); the comparison is the latest gap up to `year`, and the one before it.
    Only values of the kind of the latest one (example or real) are used, as in the Lägesbild.
    """
    from lagesbild.stats.queries import observations

    area = plan.municipality
    catalogue = catalogue_for(area)
    ids = [i for i in indicator_ids if i in catalogue]
    obs = [o for o in observations(ids, [area]) if o.period <= year] if ids else []
    out = []
    for indicator in ids:
        entry = catalogue[indicator]
        mine = [o for o in obs if o.indicator == indicator]
        kind = latest_kind(mine, area)
        series = gap_series([o for o in mine if o.example == kind], indicator, area)
        years = sorted(series)
        first = last = previous = None
        if years:
            before = [y for y in years if y <= plan.start_year]
            first = series[before[-1] if before else years[0]]
            last = series[years[-1]]
            previous = series[years[-2]] if len(years) > 1 else None
        better = entry.get("better")
        out.append(
            GapRow(
                indicator=indicator,
                title=indicator_title(entry),
                unit=entry["unit"],
                first=first,
                last=last,
                previous=previous,
                change=_change(first, last, better),
                change_previous=_change(previous, last, better),
                has_values=bool(mine),
                example=bool(mine) and kind,
                judged=better in ("higher", "lower"),
            )
        )
    return out


def _gap_words(g, unit):
    """The gap with the Lägesbild's convention: 'utrikes födda 63,2 %, inrikes födda 79,1 % –
    15,9 procentenheter lägre'."""
    return gap_text(g.foreign, g.native, unit, points=g.points, ratio=g.ratio)


def _gap_table(rows, title):
    table_rows = []
    for row in rows:
        first, last = row.first, row.last
        if first is None:
            table_rows.append(
                [
                    row.title,
                    "redovisas inte för utrikes och inrikes födda"
                    if row.has_values
                    else "uppgift saknas",
                    "–",
                    "–",
                ]
            )
            continue
        table_rows.append(
            [
                row.title,
                f"{first.period}: {_gap_words(first, row.unit)}",
                f"{last.period}: {_gap_words(last, row.unit)}"
                if last.period != first.period
                else "–",
                _change_cell(row),
            ]
        )
    return Table(
        caption=title,
        header=[
            "Indikator",
            "Skillnad när planen började (utrikes jämfört med inrikes födda)",
            "Senaste skillnad",
            "Skillnaden har",
        ],
        rows=table_rows,
    )


NOT_JUDGED = "jämförs inte (indikatorn anger inte att högre eller lägre värden är bättre)"
NOT_COMPARABLE = "kan inte jämföras: ett värde saknas"


def _change_cell(row):
    if row.last.period == row.first.period:
        return "ingen nyare uppgift än när planen började"
    if row.change:
        return CHANGE_WORDS[row.change]
    return NOT_JUDGED if not row.judged else NOT_COMPARABLE


def _since(then, change, row):
    """'Sedan 2026 (20,0 procentenheter lägre) har skillnaden minskat.'; for an indicator
    without a better direction only the year and the gap."""
    if change:
        return f"{then} {CHANGE_SENTENCES[change]}."
    if not row.judged:
        return f"{then}."
    return f"{then} kan skillnaden inte jämföras: ett värde saknas."


def gap_sentence(row, year):
    """The gap's movement in words: the latest gap, then since the baseline and the year
    before, each with its year and the Lägesbild's signed wording."""
    if row.last is None:
        if row.has_values:
            return f"{row.title}: redovisas inte för utrikes och inrikes födda till och med {year}."
        return f"{row.title}: uppgift saknas till och med {year}."
    last = row.last
    parts = [f"{row.title}. {last.period}: {_gap_words(last, row.unit)}."]
    if row.first.period == last.period:
        parts.append("Det finns ingen nyare uppgift än utgångsläget.")
    else:
        phrase = gap_phrase(row.first.points, row.unit)
        if row.judged:
            then = f"Sedan {row.first.period}, när planen började ({phrase}),"
        else:
            then = f"När planen började, {row.first.period}: {phrase}"
        parts.append(_since(then, row.change, row))
    prev = row.previous
    if prev is not None and prev.period != row.first.period:
        phrase = gap_phrase(prev.points, row.unit)
        then = f"Sedan {prev.period} ({phrase})" if row.judged else f"{prev.period}: {phrase}"
        parts.append(_since(then, row.change_previous, row))
    elif prev is not None and last.period - prev.period > 1:
        parts.append(f"Det finns ingen uppgift för åren mellan {prev.period} och {last.period}.")
    return " ".join(parts)


# --- the summary per area -------------------------------------------------------------------


def activity_state(row, today):
    """done, delayed, not_started, ongoing, paused or cancelled. Delayed: past its end date
    (before `today`) and neither done nor cancelled."""
    if row.status == Status.DONE:
        return "done"
    if row.status == Status.CANCELLED:
        return "cancelled"
    end = row.activity.end
    if end and end < today:
        return "delayed"
    return {Status.PLANNED: "not_started", Status.ONGOING: "ongoing"}.get(row.status, "paused")


STATE_WORDS = [
    # state, in the count sentence (one, several), in the list of names
    ("done", ("klar", "klara"), "Klara"),
    ("delayed", ("försenad", "försenade"), "Försenade (slutdatum passerat, inte klara)"),
    ("not_started", ("inte påbörjad", "inte påbörjade"), "Inte påbörjade"),
    ("ongoing", ("pågår", "pågår"), "Pågår"),
    ("paused", ("pausad", "pausade"), "Pausade"),
    ("cancelled", ("avbruten", "avbrutna"), "Avbrutna"),
]


def _target_blocks(results, area_id, term):
    """The policy's targets for the area and how they stand, as in the Lägesbild."""
    mine = [r for r in results if r.area == area_id]
    if not mine:
        return []
    return [
        Paragraph(f"{term}: {targets.status_counts(mine)}."),
        BulletList([r.sentence() for r in mine]),
    ]


def small_area_sentences(rnd, indicator_ids):
    """{indicator id: sentence} for the small-area indicators (housing segregation) among the
    activities' indicators: how the segregation index has moved since the plan began."""
    from lagesbild.geodata import store as boundaries
    from lagesbild.reports import segregation
    from lagesbild.stats.queries import small_area_rows

    kommun = rnd.plan.municipality
    catalogue = catalogue_for(kommun)
    out = {}
    for i in indicator_ids:
        # Only counts by group give an index to follow (not area types or measures per area).
        if i in catalogue and catalogue[i].get("level") == "small_areas":
            if not catalogue[i]["source"].get("groups"):
                continue
            part = segregation.snapshot_part(
                catalogue[i], small_area_rows(i, kommun), [], boundaries.for_kommun(kommun)
            )
            out[i] = segregation.since(part, rnd.plan.start_year, rnd.year)
    return out


def area_summary(rnd, area, rows, progress, today, results=(), term="Målvärde"):
    """A policy area's summary: the activities by state with names, the weighted progress,
    the gaps of the indicators its activities target, and the policy's targets. Returns
    (blocks, gap rows, {small-area indicator: sentence})."""
    mine = [r for r in rows if area.key in r.activity.area_keys]
    if not mine:
        return [Paragraph("Handlingsplanen har inga insatser inom området.")], [], {}
    by_state = {}
    for r in mine:
        by_state.setdefault(activity_state(r, today), []).append(r)
    counts = []
    for state, (one, several), _label in STATE_WORDS:
        k = len(by_state.get(state, []))
        if k or state in ("done", "delayed", "not_started", "ongoing"):
            counts.append(f"{k} {one if k == 1 else several}")
    top = [r for r in mine if not r.activity.parent_id]
    mean = weighted_mean(
        (progress[r.activity.pk], 0 if r.status == Status.CANCELLED else float(r.activity.weight))
        for r in top
    )
    n = len(mine)
    blocks = [
        Paragraph(
            f"{n} {'insats' if n == 1 else 'insatser'}: {', '.join(counts)}. "
            f"Sammanvägt genomfört: {_percent(mean)}."
        )
    ]
    names = []
    for state, _word, label in STATE_WORDS:
        found = by_state.get(state)
        if not found:
            continue
        described = []
        for r in found:
            text = f"{r.activity.ref} {r.activity.title}"
            if state == "delayed":
                text += f" (slutdatum {r.activity.end.isoformat()})"
            described.append(text)
        names.append(f"{label}: {', '.join(described)}")
    blocks.append(BulletList(names))

    indicators = []
    for r in mine:
        indicators += [i for i in r.activity.indicators if i not in indicators]
    small = small_area_sentences(rnd, indicators)
    indicators = [i for i in indicators if i not in small]
    gaps = gap_rows(rnd.plan, indicators, rnd.year) if indicators else []
    if gaps:
        blocks.append(
            Paragraph(
                "Skillnaden mellan utrikes och inrikes födda i de indikatorer insatserna ska "
                "påverka:"
            )
        )
        blocks.append(BulletList([gap_sentence(g, rnd.year) for g in gaps]))
        if any(g.example for g in gaps):
            blocks.append(Note("Exempeldata – inte officiell statistik"))
    if small:
        blocks.append(Paragraph("Boendet i kommunens områden, som insatserna ska påverka:"))
        blocks.append(BulletList(list(small.values())))
    if not gaps and not small:
        blocks.append(Paragraph("Insatserna inom området anger inga indikatorer."))
    blocks.extend(_target_blocks(results, area.key, term))
    return blocks, gaps, small


# --- the document ---------------------------------------------------------------------------


def _revision_sentence(version, today):
    year = version.revise_by or version.data.get("revise_by")
    if not year:
        return ""
    left = year - today.year
    if left > 0:
        return f"Policyn ska revideras senast {year}, om {_years_word(left)} år."
    if left == 0:
        return f"Policyn ska revideras senast {year}, alltså i år."
    return f"Policyn skulle ha reviderats senast {year}, för {_years_word(-left)} år sedan."


def _statistics_year(all_gaps):
    years = [g.last.period for g in all_gaps if g.last is not None]
    return max(years) if years else None


def _statistics_sentence(rnd, stats_year):
    base = (
        f"Uppföljningsåret är {rnd.year}. Statistiken är densamma som i lägesbilden för "
        f"{rnd.year}: värden till och med {rnd.year}"
    )
    if stats_year is None:
        return base + ", men det finns inga värden för de indikatorer insatserna ska påverka."
    if stats_year == rnd.year:
        return base + f"; de indikatorer insatserna ska påverka har värden för {rnd.year}."
    return (
        base + f"; det senaste året med värden för de indikatorer insatserna ska påverka är "
        f"{stats_year}."
    )


def _written_text(rnd, field, missing):
    text = getattr(rnd, field)
    if not text.strip():
        return [Note(missing)]
    blocks = [Paragraph(p) for p in _paragraphs(text)]
    who = written_by(rnd, field)
    if who:
        name, date = who
        by = f" av {name}" if name else ""
        blocks.append(Paragraph(f"Skriven{by}, senast ändrad {date.isoformat()}."))
    return blocks


def _quote(row):
    """The department's text as a quotation, with the department and the date."""
    item = row.item
    report = item.report
    if report.submitted_at:
        when = f"inskickad {timezone.localtime(report.submitted_at).date().isoformat()}"
    else:
        when = "utkast, inte inskickat"
    paragraphs = _paragraphs(item.text)
    paragraphs[0] = "”" + paragraphs[0]
    paragraphs[-1] = paragraphs[-1] + "”"
    return [
        Paragraph(f"{row.activity.ref} {row.activity.title} – {report.department.name}, {when}:"),
        *(Paragraph(p) for p in paragraphs),
    ]


def _comparison(rnd, rows, progress):
    prev = previous_round(rnd)
    if prev is None:
        return None
    prev_rows = {r.activity.pk: r for r in reported_activities(prev)}
    prev_progress = _rolled_up(list(prev_rows.values()))

    def state(row, value):
        words = _status_label(row.status) + ("" if row.reported else " (ej rapporterad)")
        return f"{words}, {_percent(value)}"

    table_rows = []
    for r in rows:
        a = r.activity
        old = prev_rows.get(a.pk)
        now = progress[a.pk]
        if old is None:
            table_rows.append([f"{a.ref} {a.title}", "ny sedan dess", state(r, now), "–"])
            continue
        then = prev_progress[a.pk]
        change = _whole(now) - _whole(then)  # the difference of the percentages shown
        table_rows.append(
            [
                f"{a.ref} {a.title}",
                state(old, then),
                state(r, now),
                f"{signed(change, 0)} procentenheter",
            ]
        )
    closed = (
        f", stängd {timezone.localtime(prev.closed_at).date().isoformat()}"
        if prev.closed_at
        else ", fortfarande öppen"
    )
    return Section(
        "Jämförelse med förra uppföljningen",
        key="jamforelse",
        blocks=[
            Paragraph(
                f"Förra uppföljningen av handlingsplanen var {prev.title} (uppföljningsår "
                f"{prev.year}{closed}). Tabellen visar varje insats status och hur stor del som "
                f"var genomförd då och nu, enligt förvaltningarnas rapporter (sammanvägt för "
                f"insatser med delinsatser)."
            ),
            Table(
                caption=f"Insatserna i {prev.title} och i {rnd.title}",
                header=[
                    "Insats",
                    f"Då: status, genomfört ({prev.title})",
                    f"Nu: status, genomfört ({rnd.title})",
                    "Förändring",
                ],
                rows=table_rows,
                numeric_columns={3},
            ),
        ],
    )


def document(rnd):
    """The follow-up report as a Document."""
    plan = rnd.plan
    policy = plan.policy
    version = policy.current
    municipality = municipalities.get(policy.municipality)
    today = report_date(rnd)
    rows = reported_activities(rnd)
    progress = _rolled_up(rows)
    reports = list(rnd.reports.select_related("department").order_by("department__name"))
    submitted = [r for r in reports if r.submitted_at]
    experiences = Experience.objects.filter(
        policy=policy, year=rnd.year, origin=rnd.origin
    ).select_related("department")
    body = version.reports_to if version else ""
    outside = version.outside_period(rnd.year) if version else ""
    areas = plan.areas()

    # The policy's targets, judged on the statistics up to the follow-up year.
    results = targets.evaluate(version, rnd.year) if version else []
    term = targets.terms(version.data)["target"] if version else "Målvärde"
    summaries, area_gaps, area_small = {}, {}, {}
    for area in areas:
        summaries[area.key], area_gaps[area.key], area_small[area.key] = area_summary(
            rnd, area, rows, progress, today, results, term
        )
    all_gaps = [g for gaps in area_gaps.values() for g in gaps]
    stats_year = _statistics_year(all_gaps)

    meta = []
    if outside:
        meta.append(("Observera", outside))
    if body:
        meta.append(("Rapport till", body))
    if version:
        first, last = version.period
        decided = f"{version.decided_by} {version.decision_date.isoformat()}"
        if version.decision_reference:
            decided += f" ({version.decision_reference})"
        meta += [
            ("Policy", str(policy)),
            ("Policyn antagen av", decided),
            ("Policyns giltighetstid", f"{first or '…'}–{last or '…'}"),
        ]
        revise = version.revise_by or version.data.get("revise_by")
        if revise:
            meta.append(("Revideras senast", str(revise)))
    meta += [
        ("Handlingsplan", f"{plan.title}, {plan.start_year}–{plan.end_year}"),
        ("Handlingsplanen antagen", plan.adopted.isoformat() if plan.adopted else "–"),
        ("Handlingsplanen svarar på", f"lägesbilden för {plan.lagesbild_year}"),
        ("Uppföljningsår", str(rnd.year)),
        (
            "Statistik",
            f"som i lägesbilden för {rnd.year}: till och med {rnd.year}, senaste år med "
            f"värden {stats_year if stats_year else '–'}",
        ),
        ("Sista dag för rapportering", rnd.deadline.isoformat()),
        (
            "Omgången stängd",
            timezone.localtime(rnd.closed_at).date().isoformat() if rnd.closed_at else "–",
        ),
        ("Förvaltningar som rapporterat", f"{len(submitted)} av {len(reports)}"),
    ]
    doc = Document(
        title=f"Uppföljning av {plan.title}",
        subtitle=f"{rnd.title} – rapport till {recipient(plan)}" if body else rnd.title,
        municipality=municipality.name if municipality else policy.municipality_name,
        meta=meta,
    )
    if plan.is_example:
        doc.example_data = True

    top_notes = []
    if outside:
        top_notes.append(Note(outside))
    if plan.is_example:
        top_notes.append(
            Note("Exempelinnehåll för demonstration – inte verkliga beslut eller insatser.")
        )

    # What the body is asked to decide comes first, then what it is based on.
    doc.sections.append(
        Section(
            "Förslag till beslut",
            key="forslag",
            blocks=[*top_notes, *_written_text(rnd, "proposal", NO_PROPOSAL)],
        )
    )

    intro = [
        Paragraph(
            f"Rapporten till {recipient(plan) or 'den som policyn anger'} visar läget för "
            f"handlingsplanens insatser efter uppföljningen {rnd.title}, område för område: "
            f"hur många insatser som är klara, försenade, inte påbörjade eller pågår, hur stor "
            f"del som är genomförd enligt de ansvariga förvaltningarna, och hur skillnaden "
            f"mellan utrikes och inrikes födda har förändrats i de indikatorer insatserna ska "
            f"påverka sedan planen började {plan.start_year} och sedan året före. Försenad "
            f"betyder att insatsens slutdatum låg före {today.isoformat()} och att den inte var "
            f"klar."
        ),
        Paragraph(_statistics_sentence(rnd, stats_year)),
    ]
    if version:
        intro.append(
            Paragraph(
                f"{version.data.get('title', policy.title)} är antagen av "
                f"{lower_first(version.decided_by)} "
                f"{version.decision_date.isoformat()}. " + _revision_sentence(version, today)
            )
        )
    prev = previous_round(rnd)
    if prev is None:
        intro.append(Paragraph("Det här är handlingsplanens första uppföljning."))
    summary_rows = []
    for area in areas:
        mine = [r for r in rows if area.key in r.activity.area_keys]
        top = [r for r in mine if not r.activity.parent_id]
        mean = weighted_mean(
            (
                progress[r.activity.pk],
                0 if r.status == Status.CANCELLED else float(r.activity.weight),
            )
            for r in top
        )
        summary_rows.append([area.title, str(len(mine)), _percent(mean)])
    if results:
        intro.append(Paragraph(f"{term}: {targets.status_counts(results)}."))
        intro.append(targets.summary_table(results, term, rnd.year))
    intro.append(
        Table(
            caption="Genomfört per område (sammanvägt, viktat)",
            header=["Område", "Insatser", "Genomfört"],
            rows=summary_rows,
            numeric_columns={1, 2},
        )
    )
    doc.sections.append(
        Section(
            "Sammanfattning",
            key="sammanfattning",
            blocks=intro,
            subsections=[
                Section(area.title, key=f"sammanfattning-{area.key}", blocks=summaries[area.key])
                for area in areas
            ],
        )
    )
    doc.sections.append(
        Section(
            "Samlad bedömning",
            key="bedomning",
            blocks=_written_text(rnd, "assessment", NO_ASSESSMENT),
        )
    )

    example_stats = any(g.example for g in all_gaps)
    for area in areas:
        mine = [r for r in rows if area.key in r.activity.area_keys]
        section = Section(area.title, key=area.key)
        if not mine:
            section.blocks.append(Paragraph("Handlingsplanen har inga insatser inom området."))
            doc.sections.append(section)
            continue
        section.blocks.append(
            Table(
                caption=f"Insatser inom {area.title}",
                header=["Id", "Insats", "Ansvarig", "Status", "Genomfört", "Anmärkning"],
                rows=[
                    [
                        r.activity.ref,
                        r.activity.title,
                        r.activity.department.name,
                        _status_label(r.status),
                        _percent(progress[r.activity.pk]),
                        _remark(r, today),
                    ]
                    for r in mine
                ],
                numeric_columns={4},
            )
        )
        texts = []
        for r in mine:
            if r.text.strip():
                texts += _quote(r)
            else:
                who = r.activity.department.name
                texts.append(
                    Paragraph(
                        f"{r.activity.ref} {r.activity.title} – {who}: "
                        + ("ingen lägesbeskrivning." if r.reported else "ej rapporterad.")
                    )
                )
        section.subsections.append(Section("Förvaltningarnas lägesbeskrivningar", blocks=texts))
        found = [e for e in experiences if e.area_key == area.key]
        if found:
            section.subsections.append(
                Section(
                    "Beprövad erfarenhet",
                    blocks=[BulletList([f"{e.department.name}: {e.text}" for e in found])],
                )
            )
        gaps = Section("Indikatorerna insatserna ska påverka")
        small = area_small[area.key]
        if area_gaps[area.key]:
            gaps.blocks.append(_gap_table(area_gaps[area.key], f"Skillnaden i {area.title}"))
            gaps.blocks.append(Note(SOURCE_NOTE))
            if any(g.example for g in area_gaps[area.key]):
                gaps.blocks.append(Note("Exempeldata – inte officiell statistik"))
        if small:
            gaps.blocks.append(BulletList(list(small.values())))
            gaps.blocks.append(
                Note(
                    "Segregationsindex (D): andelen av dem med utländsk bakgrund som skulle "
                    "behöva flytta för att de och personer med svensk bakgrund skulle vara jämnt "
                    "fördelade över kommunens DeSO-områden. Källa: SCB, befolkning per DeSO; "
                    "metoden står i lägesbilden."
                )
            )
        if not area_gaps[area.key] and not small:
            gaps.blocks.append(Paragraph("Insatserna inom området anger inga indikatorer."))
        section.subsections.append(gaps)
        doc.sections.append(section)

    doc.sections.append(_partners(rnd))
    doc.sections.append(_agenda2030(rnd, version, rows))

    comparison = _comparison(rnd, rows, progress)
    if comparison:
        doc.sections.append(comparison)

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
    if plan.is_example:  # say what is made up: the plan, and the statistics where they are too
        doc.example_mark = (
            "Exempelinnehåll och exempeldata – inte verkliga beslut eller officiell statistik"
            if example_stats
            else "Exempelinnehåll – inte verkliga beslut eller insatser"
        )
    return doc


def _partners(rnd):
    """What the partner organisations asked for their part wrote, in their own words."""
    asked = list(rnd.contributions.all())
    blocks = []
    for c in asked:
        if c.submitted_at:
            date = timezone.localtime(c.submitted_at).date().isoformat()
            blocks.append(Paragraph(f"{c.organisation}, {date}:"))
            blocks += [Paragraph(p.strip()) for p in c.text.split("\n\n") if p.strip()]
    missing = [c.organisation or "en partner" for c in asked if not c.submitted_at]
    if missing:
        blocks.append(Note("Tillfrågade som inte har skickat in sin del: " + ", ".join(missing)))
    if not asked:
        blocks.append(Paragraph("Ingen partnerorganisation har tillfrågats i den här omgången."))
    return Section("Partnernas del", blocks, key="partner")


def _agenda2030(rnd, version, rows):
    """Which global goals the policy and the plan's activities serve, and how the gap in
    their indicators has moved since the plan began."""
    parts = agenda2030_parts(rnd.plan.policy, version.data) if version else []
    activities = [
        {
            "name": f"{r.activity.ref} {r.activity.title} ({_status_label(r.status).lower()})",
            "codes": r.activity.agenda2030,
            "indicators": r.activity.indicators,
        }
        for r in rows
        if r.activity.agenda2030
    ]
    ids = []
    for item in parts + activities:
        ids += [i for i in item["indicators"] if i not in ids]
    movement = small_area_sentences(rnd, ids)
    ids = [i for i in ids if i not in movement]
    for g in gap_rows(rnd.plan, ids, rnd.year) if ids else []:
        if g.first is None:
            words = (
                "redovisas inte för utrikes och inrikes födda"
                if g.has_values
                else ("uppgift saknas")
            )
        else:
            words = f"skillnaden mellan utrikes och inrikes födda: {_change_cell(g)}"
        mark = " (exempeldata)" if g.example else ""
        movement[g.indicator] = f"{g.title}{mark}: {words}."
    term = version.data["area_term"]["plural"] if version else "områden"
    return agenda2030.section(parts, activities, movement, term)


def _remark(row, today):
    remarks = []
    if not row.reported:
        remarks.append("ej rapporterad")
    if activity_state(row, today) == "delayed":
        remarks.append(f"försenad (slutdatum {row.activity.end.isoformat()})")
    return ", ".join(remarks)


def report_name(rnd, fmt):
    """The report file's name in the default storage."""
    return f"plan-reports/uppfoljning-{rnd.pk}.{fmt}"


def build(rnd, fmt, force=False):
    """The report file in one format, rendering it the first time it is asked for; returns
    its name in the default storage."""
    from lagesbild.reports import render

    if fmt not in CONTENT_TYPES:
        raise ValueError(f"okänt format {fmt!r}")
    name = report_name(rnd, fmt)
    if default_storage.exists(name) and not force:
        return name
    doc = document(rnd)
    content = {"html": render.render_html, "pdf": render.render_pdf, "docx": render.render_docx}[
        fmt
    ](doc)
    if isinstance(content, str):
        content = content.encode("utf-8")
    _replace(name, content)
    return name


def _replace(name, content):
    """Store content under name, replacing the file there."""
    try:
        path = Path(default_storage.path(name))
    except NotImplementedError:  # object storage (S3): an upload replaces the object whole
        default_storage.delete(name)
        default_storage.save(name, ContentFile(content))
        return
    # A folder (local or a shared volume): write-then-rename, never a half-written file.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f"{path.suffix}.{secrets.token_hex(8)}.tmp")  # unique across hosts
    tmp.write_bytes(content)
    tmp.replace(path)
