"""Demo content: the example statistics (lagesbild.stats.example), labelled as example values.

Idempotent: a batch whose snapshot (same indicator, same checksum) is already stored is
skipped, and example values never replace values fetched from a real source.
`lagesbild demo --kommun KOD` adds a municipality's own example load (example_data.load).
"""

from .example import LABEL, SEED, generate
from .example_data import batches
from .store import save


def load_demo(stdout):
    todo = batches(
        generate(), lambda i: f"{i} (lagesbild.stats.example, seed {SEED})", {"seed": SEED}
    )
    if not todo:
        stdout.write(f"Statistik: {LABEL}: redan inläst")
        return
    counts = save(todo, keep_real=True)
    stdout.write(
        f"Statistik: {LABEL}: {counts.new} nya, {counts.changed} ändrade, "
        f"{counts.kept_real} behöll hämtade riktiga värden"
    )
