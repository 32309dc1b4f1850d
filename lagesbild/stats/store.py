"""Writing to the statistics store: snapshots and observations, all or nothing.

`save(batches)` takes what one fetch, import or demo load produced and writes it in a single
transaction: a Snapshot per raw answer, then the observations compared with the current ones.
A key seen for the first time is `new`; the same value and status again is `unchanged` (the row
is kept; the snapshot's Coverage rows record that it was confirmed again); a different value is `changed`: the old row stays as history (current=False,
replaced_at set) and a new current row is written. A key the source says it has withdrawn
(Batch.withdrawn) stops being current, without a new row: history is kept, nothing is shown.
A real value ends the example values (the offline demo's) of its series in every year, not
only its own: the source may not have the demo's latest year yet, and a left-over example year
would otherwise be the series' latest value and hide the real ones behind it. A series is an
indicator in one area; for a DeSO or RegSO it is the indicator in all the municipality's small
areas, since they are drawn as one map (the demo's example areas need not exist for real).
If anything fails, nothing is written.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from lagesbild.analysis.observations import Observation as Obs
from lagesbild.analysis.small_areas import kommun_of

from .models import Coverage, Observation, Snapshot

CHUNK = 5000


@dataclass
class Batch:
    """One raw answer (or imported file) and the observations normalised from it."""

    source: str
    source_ref: str
    url: str
    content: str
    observations: list[Obs]
    query: dict = field(default_factory=dict)
    api_version: str = ""
    fetched_at: datetime | None = None
    example: bool = False
    # Keys the source has withdrawn: (indicator, area, period, group) for every sex, or
    # (indicator, area, period, group, sex) for one.
    withdrawn: list = field(default_factory=list)

    @property
    def checksum(self):
        return hashlib.sha256(self.content.encode("utf-8")).hexdigest()


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    kept_real: int = 0  # example values not stored because their series has real values
    withdrawn: int = 0  # current values the source withdrew
    example_ended: int = 0  # example values of a series that now has real ones

    def add(self, other):
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        self.kept_real += other.kept_real
        self.withdrawn += other.withdrawn
        self.example_ended += other.example_ended

    def ended_note(self):
        """', 12 exempelvärden i samma serier togs bort' for the summary lines, or ''."""
        n = self.example_ended
        if not n:
            return ""
        return f", {n} {'exempelvärde' if n == 1 else 'exempelvärden'} i samma serier togs bort"


def _key(o):
    return (o.indicator, o.area, o.period, o.group, o.sex)


def _series(key):
    """(indicator, area) of a key, or (indicator, 'KKKK DeSO/RegSO') for a small area."""
    indicator, area = key[:2]
    kommun = kommun_of(area)
    return (indicator, f"{kommun} DeSO/RegSO") if kommun else (indicator, area)


def _small_area_rows(observations, example):
    """{key: id} of the current rows of one kind (example or real) in the small areas of the
    municipalities these observations have small areas in, for the same indicators."""
    # Only DeSO (9 characters) and RegSO (8) are small areas; the length test spares the
    # pattern for the municipalities, counties and Riket that most batches hold.
    wanted = {_series(_key(o)) for o in observations if len(o.area) > 4 and kommun_of(o.area)}
    found = {}
    for indicator in sorted({w[0] for w in wanted}):
        rows = Observation.objects.filter(indicator=indicator, current=True, example=example)
        for row in rows.values_list("id", "indicator", "area", "period", "group", "sex"):
            if _series(row[1:]) in wanted:
                found[row[1:]] = row[0]
    return found


def _current_rows(observations):
    """{key: (id, value, status, count, example)} of the current rows these observations touch."""
    pairs = {(o.indicator, o.area) for o in observations}
    found = {}
    for indicator in {p[0] for p in pairs}:
        areas = sorted({p[1] for p in pairs if p[0] == indicator})
        for i in range(0, len(areas), 500):
            rows = Observation.objects.filter(
                indicator=indicator, area__in=areas[i : i + 500], current=True
            ).values_list(
                "id",
                "indicator",
                "area",
                "period",
                "group",
                "sex",
                "value",
                "status",
                "count",
                "example",
            )
            for row in rows.iterator(chunk_size=CHUNK):
                found[row[1:6]] = (row[0], row[6], row[7], row[8], row[9])
    return found


_COLUMNS = [
    "indicator",
    "area",
    "period",
    "group",
    "sex",
    "value",
    "unit",
    "status",
    "count",
    "example",
    "current",
    "snapshot_id",
    "recorded_at",
    "replaced_at",
]


def _insert(rows):
    """COPY on PostgreSQL, plain executemany on SQLite: bulk_create's per-object work, and
    psycopg's executemany (one round trip per row here), dominated ingest time (bench/)."""
    if not rows:
        return
    table = connection.ops.quote_name(Observation._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        for i in range(0, len(rows), CHUNK):
            cursor.executemany(sql, rows[i : i + CHUNK])


def _update_ids(ids, **values):
    for i in range(0, len(ids), CHUNK):
        Observation.objects.filter(id__in=ids[i : i + CHUNK]).update(**values)


def _withdrawn_ids(keys):
    """Ids of the current rows a source withdrew (keys with or without the sex)."""
    ids = []
    for key in keys:
        indicator, area, period, group, *sex = key
        rows = Observation.objects.filter(
            indicator=indicator, area=area, period=period, group=group, current=True
        )
        if sex:
            rows = rows.filter(sex=sex[0])
        ids += rows.values_list("id", flat=True)
    return ids


def save(batches, run=None, keep_real=False):
    """Store the batches in one transaction; returns Counts. Raises on any problem.

    keep_real: example values are not stored in a series (see the module docstring) that has
    current values from a real source (the demo may run again after a real fetch without
    hiding the real numbers, also in a year or small area the real source does not have).
    """
    counts = Counts()
    now = timezone.now()
    db_now = connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic():
        for batch in batches:
            snapshot = Snapshot.objects.create(
                source=batch.source,
                source_ref=batch.source_ref[:300],
                url=batch.url,
                query=batch.query,
                fetched_at=batch.fetched_at or now,
                checksum=batch.checksum,
                api_version=batch.api_version,
                content=batch.content,
                example=batch.example,
                run=run,
            )
            current = _current_rows(batch.observations)
            if keep_real and batch.example:
                real = [k for k, row in current.items() if not row[4]]
                real += _small_area_rows(batch.observations, example=False)
                real_series = {_series(k) for k in real}
            inserts, replaced_ids, seen, covered = [], [], set(), set()
            for o in batch.observations:
                key = _key(o)
                if key in seen:
                    raise ValueError(f"{batch.source_ref}: värdet {key} förekommer två gånger")
                seen.add(key)
                if keep_real and batch.example and _series(key) in real_series:
                    counts.kept_real += 1
                    continue
                old = current.get(key)
                if old is not None:
                    old_id, value, status, count, was_example = old
                    covered.add(key[:2])
                    if value == o.value and status == o.status and count == o.count:
                        if was_example == batch.example:
                            counts.unchanged += 1
                            continue
                    counts.changed += 1
                    replaced_ids.append(old_id)
                else:
                    counts.new += 1
                    covered.add(key[:2])
                inserts.append(
                    (
                        o.indicator,
                        o.area,
                        o.period,
                        o.group,
                        o.sex,
                        o.value,
                        o.unit,
                        o.status,
                        o.count,
                        batch.example,
                        True,
                        snapshot.id,
                        db_now,
                        None,
                    )
                )
            if not batch.example:
                # Example values left in the series this batch wrote real values for (years,
                # groups or small areas the real source does not give) end now; their rows
                # stay as history.
                examples = {k: row[0] for k, row in current.items() if row[4]}
                examples.update(_small_area_rows(batch.observations, example=True))
                if examples:  # none at all once the demo's values are gone
                    wrote = {_series(k) for k in seen}
                    ended = [
                        i for k, i in examples.items() if k not in seen and _series(k) in wrote
                    ]
                    counts.example_ended += len(ended)
                    replaced_ids += ended
            if batch.withdrawn:
                gone = _withdrawn_ids(batch.withdrawn)
                counts.withdrawn += len(gone)
                replaced_ids += gone
            # History first: the old current row must stop being current before the new one
            # is inserted (one current row per key is a database constraint).
            _update_ids(replaced_ids, current=False, replaced_at=now)
            _insert(inserts)
            Coverage.objects.bulk_create(
                [Coverage(snapshot=snapshot, indicator=i, area=a) for i, a in sorted(covered)],
                batch_size=CHUNK,
            )
    return counts
