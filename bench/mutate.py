"""Mutation testing by hand: small deliberate bugs, each run against the tests that claim to
cover the code. Run by hand (minutes), never in CI:

    .venv/bin/python bench/mutate.py                      # the default targets below
    .venv/bin/python bench/mutate.py lagesbild/analysis/gaps.py tests/analysis/test_gaps.py

A mutant is one change to one line: a comparison flipped (< ↔ <=, > ↔ >=, == ↔ !=), an
arithmetic operator swapped (+ ↔ −, * ↔ /), `and` ↔ `or`, a True/False or a small number
changed, `not` dropped. The module is rewritten in place (and always restored), the tests run
with -x, and a mutant the tests do not notice is listed as a survivor with its line. Do not
run it while other test runs use the same working tree: they would see the mutated module.
"""

import ast
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = [
    ("lagesbild/analysis/gaps.py", ["tests/analysis/test_gaps.py"]),
    ("lagesbild/analysis/trends.py", ["tests/analysis/test_analysis.py"]),
    ("lagesbild/analysis/compare.py", ["tests/analysis/test_analysis.py"]),
    ("lagesbild/analysis/disclosure.py", ["tests/analysis/test_analysis.py"]),
    ("lagesbild/analysis/targets.py", ["tests/analysis/test_targets.py"]),
    ("lagesbild/analysis/rollup.py", ["tests/plan/test_rollup.py"]),
    (
        "lagesbild/accounts/rules.py",
        ["tests/accounts/test_rules.py", "tests/plan/test_permissions.py"],
    ),
    ("lagesbild/stats/store.py", ["tests/stats/test_store.py"]),
]
SWAPS = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Add: ast.Sub, ast.Sub: ast.Add,
    ast.Mult: ast.Div, ast.Div: ast.Mult, ast.And: ast.Or, ast.Or: ast.And,
    ast.In: ast.NotIn, ast.NotIn: ast.In,
}  # fmt: skip


def mutants(tree):
    """(line, description, mutate(tree) -> None) for every mutation point, in order."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in SWAPS:
                    found.append((node, "ops", i, SWAPS[type(op)]))
        elif isinstance(node, ast.BinOp | ast.BoolOp) and type(node.op) in SWAPS:
            found.append((node, "op", None, SWAPS[type(node.op)]))
        elif isinstance(node, ast.Constant) and type(node.value) in (bool, int, float):
            if isinstance(node.value, bool):
                found.append((node, "value", None, not node.value))
            elif node.value in (0, 1, 2, 5, 20, 0.05, 0.1):
                found.append((node, "value", None, node.value + 1))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append((node, "not", None, None))
    return found


class DropNot(ast.NodeTransformer):
    def __init__(self, target):
        self.target = target

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        return node.operand if node is self.target else node


def apply(tree, mutant):
    node, field, index, new = mutant
    if field == "ops":
        old = node.ops[index]
        node.ops[index] = new()
        return lambda: node.ops.__setitem__(index, old), f"{type(old).__name__} → {new.__name__}"
    if field == "op":
        old = node.op
        node.op = new()
        return lambda: setattr(node, "op", old), f"{type(old).__name__} → {new.__name__}"
    if field == "value":
        old = node.value
        node.value = new
        return lambda: setattr(node, "value", old), f"{old!r} → {new!r}"
    return None, "drop not"


def run(module, tests):
    path = ROOT / module
    source = path.read_text(encoding="utf-8")
    points = mutants(ast.parse(source))
    killed, survivors = 0, []
    try:
        for i in range(len(points)):
            tree = ast.parse(source)
            mutant = mutants(tree)[i]
            line = mutant[0].lineno
            if mutant[1] == "not":
                tree = DropNot(mutant[0]).visit(tree)
                what = "drop not"
            else:
                _, what = apply(tree, mutant)
            path.write_text(ast.unparse(ast.fix_missing_locations(tree)), encoding="utf-8")
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests],
                cwd=ROOT,
                capture_output=True,
                timeout=600,
            )
            if result.returncode == 0:
                survivors.append(f"{module}:{line}: {what}")
            else:
                killed += 1
    finally:
        path.write_text(source, encoding="utf-8")
    return killed, survivors


def main(argv):
    # Stopped from outside: still restore the module (the `finally` in run() does it).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    targets = [(argv[0], argv[1:])] if argv else TARGETS
    total_killed = total = 0
    for module, tests in targets:
        started = time.monotonic()
        killed, survivors = run(module, tests)
        n = killed + len(survivors)
        total_killed, total = total_killed + killed, total + n
        print(f"{module}: {killed}/{n} killed ({time.monotonic() - started:.0f} s)")
        for s in survivors:
            print(f"  survived: {s}")
    if total:
        print(f"score: {total_killed}/{total} = {100 * total_killed / total:.0f} %")


if __name__ == "__main__":
    main(sys.argv[1:])
