"""Repository invariants: CI runs the README's commands, and the README's tour stays true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_readme_gives_exactly_two_fresh_machine_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    assert "ecograph report datasets/roros" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci.splitlines()


@pytest.mark.parametrize("path", ["LICENSE", "CHANGELOG.md", "datasets/roros/README.md",
                                  "docs/bundle-format.md", "benchmarks/README.md"])
def test_documents_the_readme_links_to_exist(path):
    assert (ROOT / path).is_file()
