"""Weighted progress roll-up over a tree of activities. Pure Python, no Django.

An activity with children gets the weighted mean of its children's (rolled-up) progress; a
leaf keeps its own. Weights say how much a child counts: None counts as 1, 0 leaves the child
out (the plan passes 0 for cancelled activities). With `use_weights=False` every child with a
weight other than 0 counts equally.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    key: object
    parent: object  # the parent's key, or None for a top-level activity
    progress: float  # 0–100, the activity's own reported progress
    weight: float | None = None


def weighted_mean(pairs, use_weights=True):
    """Mean of (value, weight) pairs; None when nothing counts (no pairs or all weights 0)."""
    total = weight_sum = 0.0
    for value, weight in pairs:
        w = 1.0 if weight is None else float(weight)
        if w < 0:
            raise ValueError(f"negativ vikt {weight!r}")
        if w == 0:
            continue
        if not use_weights:
            w = 1.0
        total += value * w
        weight_sum += w
    return total / weight_sum if weight_sum else None


def rollup(nodes, use_weights=True):
    """{key: rolled-up progress} for every node.

    A parent whose children all have weight 0 keeps its own progress. Raises ValueError on a
    parent that is not among the nodes or on a cycle.
    """
    nodes = list(nodes)
    by_key = {n.key: n for n in nodes}
    children = {n.key: [] for n in nodes}
    for n in nodes:
        if n.parent is not None:
            if n.parent not in by_key:
                raise ValueError(f"{n.key!r} har en okänd överordnad insats {n.parent!r}")
            children[n.parent].append(n)

    result = {}

    def value(node, path):
        if node.key in result:
            return result[node.key]
        if node.key in path:
            raise ValueError(f"insatserna bildar en cirkel: {node.key!r}")
        kids = children[node.key]
        if kids:
            path = path | {node.key}
            mean = weighted_mean(((value(k, path), k.weight) for k in kids), use_weights)
            result[node.key] = node.progress if mean is None else mean
        else:
            result[node.key] = float(node.progress)
        return result[node.key]

    for n in nodes:
        value(n, frozenset())
    return result
