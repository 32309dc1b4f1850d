"""Demo content: the example statistics (lagesbild.stats.example), labelled as example values.

Idempotent: a batch whose snapshot (same indicator, same checksum) is already stored is
skipped, and example values never replace values fetched from a real source.
"""

from .example import LABEL, SEED, as_json, generate
from .models import Snapshot
from .store import Batch, save


def load_demo(stdout):
    batches = []
    for indicator_id, rows in generate().items():
        ref = f"{indicator_id} (lagesbild.stats.example, seed {SEED})"
        batch = Batch(
            source="example",
            source_ref=ref,
            url="",
            content=as_json(rows),
            observations=rows,
            query={"indicator": indicator_id, "seed": SEED},
            example=True,
        )
        if Snapshot.objects.filter(source="example", source_ref=ref, checksum=batch.checksum):
            continue
        batches.append(batch)
    if not batches:
        stdout.write(f"Statistik: {LABEL}: redan inläst")
        return
    counts = save(batches, keep_real=True)
    stdout.write(
        f"Statistik: {LABEL}: {counts.new} nya, {counts.changed} ändrade, "
        f"{counts.kept_real} behöll hämtade riktiga värden"
    )
