"""Tasks of the batch: balanced by estimated cost, every municipality once, deterministic."""

from __future__ import annotations

import random

import pytest

from ecograph.batch.run import _balanced_chunks, _chunks


def _weights(chunks: list[list[str]], weight: dict[str, float]) -> list[float]:
    return [sum(weight[c] for c in chunk) for chunk in chunks]


def test_balanced_chunks_by_hand() -> None:
    items = [("e", 10), ("a", 100), ("c", 30), ("g", 5), ("b", 50), ("d", 20), ("f", 5)]
    # total 220, 4 tasks: target 55. "a" is heavier than the target and stands alone; "b"
    # would overflow with "c"; "c" + "d" = 50 and "e" would overflow; "e" + "f" + "g" = 20.
    assert _balanced_chunks(items, 4) == [["a"], ["b"], ["c", "d"], ["e", "f", "g"]]
    # one task: everything, heaviest first
    assert _balanced_chunks(items, 1) == [["a", "b", "c", "d", "e", "f", "g"]]
    # more tasks than municipalities: one each, heaviest first, ties by code
    assert _balanced_chunks(items, 50) == [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]
    assert _balanced_chunks([], 4) == []
    assert _balanced_chunks([("x", 0), ("y", 0)], 4) == [["x", "y"]]


@pytest.mark.parametrize("seed", range(25))
def test_balanced_chunks_properties(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 400)
    # heavy-tailed like Norway's municipalities: a few large ones, many small ones
    weight = {f"{i:04d}": 100 + int(rng.paretovariate(1.1) * 300) for i in range(n)}
    items = list(weight.items())
    n_tasks = rng.choice([1, 2, 8, 16, 32])
    target = sum(weight.values()) / n_tasks
    chunks = _balanced_chunks(items, n_tasks)

    codes = [c for chunk in chunks for c in chunk]
    assert sorted(codes) == sorted(weight) and len(codes) == len(set(codes))
    sums = _weights(chunks, weight)
    for chunk, total in zip(chunks, sums, strict=True):
        # a task of several municipalities never exceeds the target; a heavier one is alone
        assert len(chunk) == 1 or total <= target + 1e-9
        # within a task the heaviest comes first
        assert [weight[c] for c in chunk] == sorted((weight[c] for c in chunk), reverse=True)
    assert sums == sorted(sums, reverse=True)  # the longest task is handed out first
    # any two neighbours in the greedy cut exceed the target, so there are few tasks
    assert len(chunks) <= 2 * n_tasks + 1
    # the order of the input does not matter
    rng.shuffle(items)
    assert _balanced_chunks(items, n_tasks) == chunks


def test_equal_count_chunks_would_not_be_balanced() -> None:
    # the old default (equal counts, largest first) puts the heavy head into one task
    weight = {f"{i:03d}": 100 + 50_000 // (i + 1) for i in range(357)}
    items = sorted(weight.items(), key=lambda item: (-item[1], item[0]))
    target = sum(weight.values()) / 16
    old = _weights(_chunks(items, 45), weight)
    new = _weights(_balanced_chunks(items, 16), weight)
    assert max(old) > 2 * target
    assert max(new) <= max(target, max(weight.values()))
    # an explicit chunksize still means municipalities per task, in the order given
    assert _chunks(items, 100)[0] == [c for c, _ in items[:100]]
    assert [len(c) for c in _chunks(items, 100)] == [100, 100, 100, 57]
