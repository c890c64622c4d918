"""Regenerate the Røros golden files of the thin-and-dense analyses.

Run from the repository root after a deliberate change of a measure::

    python tests/analysis/make_golden.py

It writes ``tests/data/golden/roros_profile.json`` (the full
:func:`ecograph.thin_dense_profile` with its defaults: 100 null graphs, seed 0)
and ``tests/data/golden/roros_key_persons.csv`` (:func:`ecograph.key_persons`).
``test_golden_roros.py`` compares fresh results with them. Review the diff of
both files before committing: the golden files pin today's numbers, so a
change must be explained (which measure changed, and why).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
PROFILE = GOLDEN / "roros_profile.json"
KEY_PERSONS = GOLDEN / "roros_key_persons.csv"


def _plain(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def main() -> None:
    """Compute and write both golden files."""
    import ecograph

    eco = ecograph.load_roros()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    profile = ecograph.thin_dense_profile(eco)
    payload = {str(k): _plain(v.item() if hasattr(v, "item") else v) for k, v in profile.items()}
    PROFILE.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    ecograph.key_persons(eco).to_csv(KEY_PERSONS, lineterminator="\n", float_format="%.12g")
    print(f"wrote {PROFILE} and {KEY_PERSONS}")


if __name__ == "__main__":
    main()
