"""Fixtures of the registry tests: the real-format files in tests/data/brreg (invented content)."""

from __future__ import annotations

import pathlib

import pytest

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "brreg"


@pytest.fixture
def brreg() -> pathlib.Path:
    """Folder of the Brønnøysund / shareholder-register fixtures."""
    return DATA
