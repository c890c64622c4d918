from __future__ import annotations

import importlib.util
import pathlib
from types import ModuleType

import pytest


def _load() -> ModuleType:
    path = pathlib.Path(__file__).with_name("_fixtures.py")
    spec = importlib.util.spec_from_file_location("ecograph_tests_viz_fixtures", path)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FX = _load()


@pytest.fixture(scope="session")
def fx() -> ModuleType:
    """The shared fixtures module (ecosystems, HTML parsing helpers)."""
    return FX


@pytest.fixture(scope="session")
def toy_eco():  # type: ignore[no-untyped-def]
    return FX.toy()


@pytest.fixture(scope="session")
def hostile_eco():  # type: ignore[no-untyped-def]
    return FX.hostile()
