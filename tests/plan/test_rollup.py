"""Weighted progress roll-up, with answers computed by hand."""

import pytest

from lagesbild.analysis.rollup import Node, rollup, weighted_mean


def test_leaf_keeps_its_own_progress():
    assert rollup([Node("a", None, 35)]) == {"a": 35.0}


def test_parent_is_weighted_mean_of_children():
    # (100·1 + 40·3) / (1 + 3) = 220 / 4 = 55; the parent's own 0 does not count.
    nodes = [Node("p", None, 0), Node("c1", "p", 100, 1), Node("c2", "p", 40, 3)]
    assert rollup(nodes)["p"] == pytest.approx(55.0)


def test_without_weights_children_count_equally():
    # (100 + 40) / 2 = 70
    nodes = [Node("p", None, 0), Node("c1", "p", 100, 1), Node("c2", "p", 40, 3)]
    assert rollup(nodes, use_weights=False)["p"] == pytest.approx(70.0)


def test_missing_weight_counts_as_one():
    # (90·1 + 30·2) / 3 = 150 / 3 = 50
    nodes = [Node("p", None, 0), Node("c1", "p", 90, None), Node("c2", "p", 30, 2)]
    assert rollup(nodes)["p"] == pytest.approx(50.0)


def test_weight_zero_leaves_a_child_out_even_without_weights():
    # a cancelled child (weight 0) is not part of the mean: (80) / 1
    nodes = [Node("p", None, 0), Node("c1", "p", 80, 1), Node("c2", "p", 0, 0)]
    assert rollup(nodes)["p"] == pytest.approx(80.0)
    assert rollup(nodes, use_weights=False)["p"] == pytest.approx(80.0)


def test_parent_with_only_left_out_children_keeps_its_own_progress():
    nodes = [Node("p", None, 25), Node("c", "p", 90, 0)]
    assert rollup(nodes)["p"] == 25.0


def test_three_levels_roll_up_through_the_middle():
    # m = (100·1 + 0·1) / 2 = 50; top = (50·3 + 10·1) / 4 = 160 / 4 = 40
    nodes = [
        Node("top", None, 0),
        Node("m", "top", 0, 3),
        Node("m1", "m", 100, 1),
        Node("m2", "m", 0, 1),
        Node("x", "top", 10, 1),
    ]
    result = rollup(nodes)
    assert result["m"] == pytest.approx(50.0)
    assert result["top"] == pytest.approx(40.0)
    # equal weights: top = (50 + 10) / 2 = 30
    assert rollup(nodes, use_weights=False)["top"] == pytest.approx(30.0)


def test_cycle_and_unknown_parent_are_errors():
    with pytest.raises(ValueError, match="cirkel"):
        rollup([Node("a", "b", 0), Node("b", "a", 0)])
    with pytest.raises(ValueError, match="okänd"):
        rollup([Node("a", "zz", 0)])


def test_weighted_mean_of_nothing_is_none_and_negative_weight_is_refused():
    assert weighted_mean([]) is None
    assert weighted_mean([(50, 0)]) is None
    with pytest.raises(ValueError, match="negativ vikt -1"):
        weighted_mean([(50, -1)])
