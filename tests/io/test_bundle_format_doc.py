"""docs/bundle-format.md is generated from the code and must not drift from it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from ecograph.core.kinds import ACTOR_KINDS, RELATION_KINDS
from ecograph.core.schema import ACTOR_COLUMNS, RELATION_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


def load_generator():
    spec = importlib.util.spec_from_file_location("_gen_bundle_tables",
                                                  ROOT / "docs" / "_gen_bundle_tables.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("_gen_bundle_tables", module)
    spec.loader.exec_module(module)
    return module


def test_committed_doc_matches_the_generator():
    gen = load_generator()
    committed = (ROOT / "docs" / "bundle-format.md").read_text(encoding="utf-8")
    assert committed == gen.render(), "run: python docs/_gen_bundle_tables.py"
    assert gen.main(["--check"]) == 0


def test_doc_covers_every_column_and_kind():
    text = (ROOT / "docs" / "bundle-format.md").read_text(encoding="utf-8")
    for spec in (*ACTOR_COLUMNS, *RELATION_COLUMNS):
        assert f"| `{spec.name}` |" in text, spec.name
    for kind in (*ACTOR_KINDS, *RELATION_KINDS):
        assert f"`{kind}`" in text, kind
    assert "the header is row 1" in text


def test_check_mode_detects_a_stale_file(tmp_path, monkeypatch, capsys):
    gen = load_generator()
    stale = tmp_path / "bundle-format.md"
    stale.write_text("old text\n", encoding="utf-8")
    monkeypatch.setattr(gen, "DOC", stale)
    assert gen.main(["--check"]) == 1
    assert "is stale" in capsys.readouterr().err
    assert gen.main([]) == 0
    assert stale.read_text(encoding="utf-8") == gen.render()
