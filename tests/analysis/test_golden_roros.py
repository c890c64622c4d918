"""The Røros case against its golden files (regenerate with tests/analysis/make_golden.py).

The golden files pin the numbers of the bundled Best Lokalt case. Deterministic
entries must match to 1e-9; the null-model entries (a Monte-Carlo estimate from
100 seeded null graphs) must agree within their own sampling error, so a change of
igraph's random stream does not fail the test while a change of the model does.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ecograph

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"


@pytest.fixture(scope="module")
def roros():
    return ecograph.load_roros()


def test_profile_matches_golden(roros):
    golden = json.loads((GOLDEN / "roros_profile.json").read_text(encoding="utf-8"))
    fresh = ecograph.thin_dense_profile(roros)
    assert set(fresh.index) == set(golden)
    n_null = golden["n_null"]
    for key, expected in golden.items():
        got = fresh[key]
        if expected is None:
            assert got is None or (isinstance(got, float) and math.isnan(got)), key
            continue
        if key.startswith("null_mean."):
            sd = golden[key.replace("null_mean.", "null_sd.")] or 0.0
            assert abs(got - expected) <= 5 * sd / math.sqrt(n_null) + 1e-12, key
        elif key.startswith("null_sd."):
            assert got == pytest.approx(expected, rel=0.5, abs=1e-12), key
        elif key.startswith("z."):
            assert got == pytest.approx(expected, abs=0.5), key
        else:
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-12), key


def test_profile_tells_the_thin_and_dense_story(roros):
    # What the golden profile shows, in numbers (see docs/analysis/thin-and-dense.md):
    p = ecograph.thin_dense_profile(roros, n_null=0)
    assert p["persons_per_1000"] == pytest.approx(6 / 20000 * 1000)  # thin: 6 persons mapped
    assert p["mean_roles_per_person"] == 2.0  # dense: every mapped person holds ~2 roles
    assert p["share_persons_2plus_roles"] == pytest.approx(5 / 6)
    assert p["interlocks"] == 4 and p["interlock_repeat_share"] == 0.25  # Best Lokalt-Rørosmat
    assert p["actors.knowledge_institution"] == 0  # the stated absence of R&D links


def test_key_persons_match_golden(roros):
    golden = pd.read_csv(GOLDEN / "roros_key_persons.csv", index_col="person_id")
    fresh = ecograph.key_persons(roros)
    assert list(fresh.index) == list(golden.index)
    assert list(fresh.columns) == list(golden.columns)
    for col in golden.columns:
        if golden[col].dtype.kind == "f":
            np.testing.assert_allclose(fresh[col].to_numpy(float), golden[col].to_numpy(float),
                                       rtol=1e-9, err_msg=col)
        else:
            assert fresh[col].astype(str).tolist() == golden[col].astype(str).tolist(), col
