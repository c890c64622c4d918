"""Regenerate tests/data/golden/roros_spigel.csv (the Spigel scores of the Røros case).

Run ``python tests/scoring/regenerate_golden.py`` after a deliberate change of the Spigel
model, an indicator or the Røros bundle, then review ``git diff`` of the CSV: every changed
number must be explained (docs/analysis/scores.md walks through the current values).
"""

from __future__ import annotations

import pathlib

GOLDEN = pathlib.Path(__file__).resolve().parents[1] / "data" / "golden" / "roros_spigel.csv"


def write_golden(path: pathlib.Path = GOLDEN) -> pathlib.Path:
    """Score ``load_roros()`` with the shipped Spigel model and write it as ``analyze`` does."""
    import ecograph
    from ecograph.outputs import write_table

    return write_table(ecograph.spigel_scores(ecograph.load_roros()), path)


if __name__ == "__main__":
    print(write_golden())
