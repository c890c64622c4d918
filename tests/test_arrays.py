"""The sort-based unique helpers against numpy's own ``np.unique``."""

import numpy as np
import pytest

from ecograph import _arrays


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint16, np.bool_])
@pytest.mark.parametrize("n", [0, 1, 7, 5000])
def test_unique_matches_numpy(dtype, n):
    rng = np.random.default_rng(n)
    x = rng.integers(0, 2 if dtype is np.bool_ else 300, n).astype(dtype)
    np.testing.assert_array_equal(_arrays.unique(x), np.unique(x))
    got, inv = _arrays.unique(x, return_inverse=True)
    want, want_inv = np.unique(x, return_inverse=True)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(inv, want_inv.ravel())
    np.testing.assert_array_equal(got[inv], x)
    assert got.dtype == x.dtype


def test_unique_large_keys_and_other_dtypes():
    rng = np.random.default_rng(1)
    keys = rng.integers(-(2**62), 2**62, 20_000)
    keys = np.concatenate([keys, keys[:5000]])
    np.testing.assert_array_equal(_arrays.unique(keys), np.unique(keys))
    floats = np.array([2.0, np.nan, 1.0, np.nan, 2.0])  # delegated: NaNs collapse as in numpy
    np.testing.assert_array_equal(_arrays.unique(floats), np.unique(floats))
    text = np.array(["b", "a", "b"])
    np.testing.assert_array_equal(_arrays.unique(text), ["a", "b"])


@pytest.mark.parametrize("shape", [(0, 2), (1, 2), (400, 2), (400, 3), (50, 1)])
def test_unique_rows_matches_numpy(shape):
    rng = np.random.default_rng(shape[0])
    a = rng.integers(-3, 4, shape)
    got = _arrays.unique_rows(a)
    np.testing.assert_array_equal(got, np.unique(a, axis=0))
    assert got.dtype == a.dtype
