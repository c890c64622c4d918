"""The documentation and the notebooks stay true to the code.

* the user-guide pages' Python examples run (every ```python block of a page, in order, in one
  namespace, in a scratch folder; blocks with ``title="file"`` are written there first; a block
  preceded by ``<!-- not run: ... -->`` is skipped, with the reason in the page);
* the generated API pages and notebooks are up to date with their generators, and the notebooks
  are stored without outputs;
* every CLI command and option, and every file ``ecograph analyze`` writes, is in docs/cli.md;
* every page of docs/ is in the navigation, and every navigation entry exists;
* the reST-to-Markdown conversion of the API reference (docs/api/_rst_roles.py);
* the notebooks' data: the brreg samples are the test fixtures, and the invented extract is
  reproducible and uses organisation numbers that fail the modulus-11 check.
"""

from __future__ import annotations

import doctest
import filecmp
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import click
import pytest

from ecograph.scoring.indicators import INDICATORS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
NOTEBOOKS = ROOT / "notebooks"

FENCE = re.compile(r"^```(?P<lang>[\w-]*)(?P<attrs>[^\n]*)\n(?P<body>.*?)^```\s*$", re.M | re.S)


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _blocks(page: Path) -> list[tuple[str, str, str, bool]]:
    """(language, title, body, skipped) of every fenced block of a page."""
    text = page.read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(text):
        before = text[: m.start()].rstrip().splitlines()
        skipped = bool(before) and before[-1].strip().startswith("<!-- not run")
        title = re.search(r'title="([^"]+)"', m.group("attrs"))
        out.append((m.group("lang"), title.group(1) if title else "", m.group("body"), skipped))
    return out


# ---------------------------------------------------------------------------
# The examples of the user guide run
# ---------------------------------------------------------------------------

RUNNABLE_PAGES = [
    "user-guide/getting-started.md",
    "user-guide/scoring-models.md",
    "dask.md",
]


@pytest.mark.parametrize("page", RUNNABLE_PAGES)
def test_user_guide_examples_run(page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _blocks(DOCS / page)
    code = [body for lang, title, body, skipped in blocks if lang == "python" and not title and not skipped]
    assert code, f"{page} has no runnable Python example"
    for _lang, title, body, _skipped in blocks:
        if title:
            (tmp_path / title).write_text(body, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the dask page inserts "." into sys.path
    namespace: dict[str, Any] = {"__name__": f"docs_{Path(page).stem}"}
    # the scoring page registers an indicator in the process-wide registry: undo it, or a
    # later test in this worker (random order) sees an indicator the docs do not describe
    registered = dict(INDICATORS)
    try:
        for i, body in enumerate(code):
            try:
                exec(compile(body, f"{page}[python block {i + 1}]", "exec"), namespace)
            except Exception as exc:  # pragma: no cover - the message names the page and block
                raise AssertionError(f"{page}, Python block {i + 1} fails: {exc!r}\n{body}") from exc
    finally:
        INDICATORS.clear()
        INDICATORS.update(registered)
        sys.modules.pop("my_measures", None)


def test_scoring_guide_uses_every_documented_key() -> None:
    """The model written in the guide loads, and the guide's expected error text is the real one."""
    toml = next(body for lang, title, body, _ in _blocks(DOCS / "user-guide/scoring-models.md")
                if title == "food_region.toml")
    import tomllib

    from ecograph.exceptions import ModelSpecError
    from ecograph.scoring.spec import model_from_dict

    doc = tomllib.loads(toml)
    model = model_from_dict(doc, source="food_region.toml")
    assert set(model.layers) == {"cultural", "social", "material"}
    doc["indicators"]["membership"]["wieght"] = 0.5
    with pytest.raises(ModelSpecError, match=r"key 'indicators\.membership\.wieght': Extra inputs"):
        model_from_dict(doc, source="food_region.toml")


# ---------------------------------------------------------------------------
# Generated files are fresh; notebooks are clean
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("script", ["docs/api/_gen_api.py", "notebooks/_build.py"])
def test_generated_files_are_fresh(script: str) -> None:
    run = subprocess.run([sys.executable, str(ROOT / script), "--check"], cwd=ROOT,
                         capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "error"})
    assert run.returncode == 0, run.stderr + run.stdout


@pytest.mark.parametrize("notebook", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebooks_are_stored_without_outputs(notebook: str) -> None:
    nb = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["id"]


def test_every_notebook_is_listed_in_the_guide() -> None:
    guide = (DOCS / "user-guide/notebooks.md").read_text(encoding="utf-8")
    names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert names == ["01-roros-case.ipynb", "02-from-the-registers.ipynb",
                     "03-all-municipalities.ipynb", "04-scale.ipynb"]
    for name in names:
        assert f"`{name}`" in guide


def test_notebooks_use_only_the_public_api() -> None:
    """No notebook imports a private module (a path component starting with '_')."""
    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        for module in re.findall(r"^\s*(?:from|import)\s+(ecograph[\w.]*)", source, re.M):
            assert not any(part.startswith("_") for part in module.split(".")), (path.name, module)


# ---------------------------------------------------------------------------
# The CLI page documents every command, option and output file
# ---------------------------------------------------------------------------


def _commands() -> list[tuple[str, click.Command]]:
    from ecograph.cli import _COMMANDS, cli

    ctx = click.Context(cli)
    out = []
    for name in _COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            sub = click.Context(command, parent=ctx)
            for sub_name in command.list_commands(sub):
                sub_command = command.get_command(sub, sub_name)
                assert sub_command is not None
                out.append((f"{name} {sub_name}", sub_command))
        else:
            out.append((name, command))
    return out


def test_cli_page_documents_every_command_and_option() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", page, flags=re.M)
    for name, command in _commands():
        section = next((s for s in sections if s.startswith(f"`ecograph {name}")), None)
        assert section is not None, f"no section for 'ecograph {name}' in docs/cli.md"
        for param in command.params:
            if isinstance(param, click.Option) and "--help" not in param.opts:
                assert any(f"`{opt}" in section for opt in param.opts), (name, param.opts)


def test_cli_page_lists_every_analyze_output() -> None:
    from ecograph.outputs import OUTPUTS

    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    for output in OUTPUTS:
        assert f"| `{output.filename}` |" in page, output.filename


# ---------------------------------------------------------------------------
# Navigation
# ---------------------------------------------------------------------------


def _nav_files(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [f for item in nav for f in _nav_files(item)]
    if isinstance(nav, dict):
        return [f for value in nav.values() for f in _nav_files(value)]
    return []


def test_navigation_covers_every_page() -> None:
    yaml = pytest.importorskip("yaml")  # installed with mkdocs (the docs extra)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = _nav_files(config["nav"])
    for page in nav:
        assert (DOCS / page).is_file(), f"nav entry {page} does not exist"
    pages = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
    assert sorted(set(nav)) == pages, "pages missing from the nav (or nav entries without a page)"


# ---------------------------------------------------------------------------
# reST -> Markdown in the API reference
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rst() -> ModuleType:
    return _load(DOCS / "api" / "_rst_roles.py", "docs_api_rst_roles")


def test_rst_conversion_doctests(rst: ModuleType) -> None:
    result = doctest.testmod(rst, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(("source", "expected"), [
    (":func:`ecograph.interlocks`", "`ecograph.interlocks()`"),
    (":func:`~ecograph.analysis.interlocks.interlocks`", "`interlocks()`"),
    (":class:`~ecograph.core.ecosystem.Ecosystem`", "`Ecosystem`"),
    (":meth:`Ecosystem.as_of`", "`Ecosystem.as_of()`"),
    (":data:`NULL_STATISTICS`", "`NULL_STATISTICS`"),
    (":mod:`ecograph.batch.measures`", "`ecograph.batch.measures`"),
    (":class:`the model <ecograph.scoring.spec.ScoringModel>`", "`the model`"),
    (":math:`O(n + m)` per class", "`O(n + m)` per class"),
    ("two :math:`a` and :math:`b`", "two `a` and `b`"),
    (".. [1] R. S. Burt, Structural Holes", "- [1] R. S. Burt, Structural Holes"),
    ("   .. [2] Gould", "   - [2] Gould"),
    ("scores as separate dimensions)::", "scores as separate dimensions):"),
    ("Examples ::", "Examples"),
    ("plain text stays", "plain text stays"),
])
def test_rst_conversion(rst: ModuleType, source: str, expected: str) -> None:
    assert rst.convert(source) == expected


def test_rst_math_blocks(rst: ModuleType) -> None:
    text = "Notes\n-----\n.. math::\n\n    F = 1 - x\n\nafter"
    assert rst.convert(text) == "Notes\n-----\n\n    F = 1 - x\n\nafter"
    assert rst.convert("  .. math:: s = a + b") == "\n      s = a + b"


# ---------------------------------------------------------------------------
# The notebooks' data
# ---------------------------------------------------------------------------


def test_brreg_samples_are_the_test_fixtures() -> None:
    samples = sorted((NOTEBOOKS / "data" / "brreg-samples").iterdir())
    assert samples
    for path in samples:
        assert filecmp.cmp(path, ROOT / "tests" / "data" / "brreg" / path.name, shallow=False), path.name


def _mod11_valid(orgnr: str) -> bool:
    """Brønnøysund's check digit: weights 3 2 7 6 5 4 3 2, check = 11 - sum mod 11 (11 -> 0)."""
    total = sum(int(d) * w for d, w in zip(orgnr[:8], (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    check = 11 - total % 11
    return check != 10 and (0 if check == 11 else check) == int(orgnr[8])


def test_mod11_reference_values() -> None:
    # 974760673 is Brønnøysundregistrene's own organisation number: 9*3+7*2+4*7+7*6+6*5+0*4+6*3+7*2
    # = 27+14+28+42+30+0+18+14 = 173; 173 mod 11 = 8; 11 - 8 = 3 = the last digit.
    assert _mod11_valid("974760673")
    assert not _mod11_valid("974760674")


def test_invented_extract_is_reproducible_and_cannot_be_real(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    maker = _load(NOTEBOOKS / "data" / "_make_fjellbygd.py", "notebooks_make_fjellbygd")
    monkeypatch.setattr(maker, "OUT", tmp_path / "fjellbygd")
    maker.main()
    shipped = NOTEBOOKS / "data" / "fjellbygd"
    names = sorted(p.name for p in shipped.iterdir())
    assert names == sorted(p.name for p in (tmp_path / "fjellbygd").iterdir())
    for name in names:
        assert filecmp.cmp(shipped / name, tmp_path / "fjellbygd" / name, shallow=False), name
    numbers = set(maker.ORGNR.values())
    assert len(numbers) == len(maker.ORGNR)
    assert all(len(n) == 9 and n.isdigit() and not _mod11_valid(n) for n in numbers)


def test_invented_extract_imports_without_skipped_records() -> None:
    import ecograph

    extract = NOTEBOOKS / "data" / "fjellbygd"
    result = ecograph.import_brreg(extract / "enheter.json", extract / "roller_totalbestand.json.gz",
                                   underenheter=extract / "underenheter.json",
                                   aksjonaerer=extract / "aksjonaerer_2023.csv", salt="test",
                                   link_shareholders="name_year")
    assert result.report.skipped_frame().empty
    actors = result.ecosystem.actors
    # 30 units + 1 sub-unit, 32 invented persons of whom one (resigned) holds no current role
    assert (actors["kind"] != "person").sum() == 31
    assert (actors["kind"] == "person").sum() == 31
    assert set(actors.loc[actors["kind"] != "person", "municipality"]) == {"9901", "9902"}
