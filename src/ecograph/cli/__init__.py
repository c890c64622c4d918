"""The ``ecograph`` command line.

Subcommands are loaded lazily from their own modules (``_COMMANDS``), so
``ecograph --help`` is fast and each command imports only what it needs.
Errors in user input end the command with one readable message on stderr
and exit code 1 (2 for usage errors); no traceback.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from ecograph import __version__
from ecograph.exceptions import EcographError

__all__ = ["cli", "main"]

_COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("ecograph.cli._core:validate", "Validate a bundle and list every problem."),
    "info": ("ecograph.cli._core:info", "Summarise a bundle: metadata and counts."),
    "export": ("ecograph.cli._core:export", "Export a bundle to GraphML or GEXF."),
    "analyze": ("ecograph.cli._analyze:analyze", "Run every analysis and write CSV/JSON tables."),
    "report": ("ecograph.cli._report:report", "Write the self-contained HTML report."),
    "map": ("ecograph.cli._report:map_command", "Write the interactive network map."),
    "import": ("ecograph.cli._registry:import_group", "Build a bundle from public registers."),
    "batch": ("ecograph.cli._batch:batch", "Score every municipality of a national ecosystem."),
    "generate": ("ecograph.cli._batch:generate", "Generate a synthetic region or country."),
    "compare": ("ecograph.cli._compare:compare", "Compare two ecosystems (baseline vs scenario or dates)."),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module, attr = _COMMANDS[cmd_name][0].split(":")
        return getattr(importlib.import_module(module), attr)  # type: ignore[no-any-return]

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_) for name, (_, help_) in _COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ecograph")
def cli() -> None:
    """Map and measure entrepreneurial ecosystems as graphs."""


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the console script; turns ecograph errors into one-line messages."""
    try:
        return cli.main(args=argv, prog_name="ecograph", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except EcographError as exc:
        click.echo(f"{type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    except FileNotFoundError as exc:
        click.echo(f"FileNotFoundError: {exc}", err=True)
        sys.exit(1)
