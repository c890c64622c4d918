"""``import ecograph`` stays light: no heavy or test-only dependency is imported."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["matplotlib", "pyvis", "dask", "distributed", "networkx", "hypothesis", "jinja2", "tqdm",
         "igraph", "ecograph.testing"]


def imported_after(code: str) -> list[str]:
    script = (f"import sys, json\n{code}\n"
              f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_ecograph_is_light():
    assert imported_after("import ecograph") == []


def test_version_and_cli_group_stay_light():
    # `ecograph --help` only needs click and the lazy command table
    assert imported_after("import ecograph; ecograph.__version__; import ecograph.cli") == []


def test_loading_the_core_does_not_pull_optional_extras():
    loaded = imported_after("import ecograph; ecograph.load_roros()")
    assert not {"matplotlib", "pyvis", "dask", "distributed", "hypothesis", "jinja2", "tqdm",
                "ecograph.testing"} & set(loaded)
