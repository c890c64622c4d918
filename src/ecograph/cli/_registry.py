"""``ecograph import``: build bundles from public registers."""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["brreg", "import_group"]

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group(name="import")
def import_group() -> None:
    """Build an ecosystem bundle from public registers."""


@import_group.command()
@click.option(
    "--enheter",
    "enheter",
    multiple=True,
    required=True,
    type=_FILE,
    help="Enhetsregisteret units: JSON, search page, bulk JSON (.gz) or bulk CSV. Repeatable.",
)
@click.option(
    "--roller",
    "roller",
    multiple=True,
    required=True,
    type=_FILE,
    help="Roles: per-unit roller JSON or roller/totalbestand (.gz). Repeatable.",
)
@click.option(
    "--underenheter",
    "underenheter",
    multiple=True,
    type=_FILE,
    help="Sub-units in any unit format. Repeatable.",
)
@click.option(
    "--aksjonaerer",
    "aksjonaerer",
    multiple=True,
    type=_FILE,
    help="Shareholder-register CSV (Skatteetaten). Repeatable.",
)
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Bundle folder to write.",
)
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="Keep units in this kommunenummer (repeatable); default: all.",
)
@click.option("--keep-resigned", is_flag=True, help="Keep resigned roles, flagged resigned=true.")
@click.option(
    "--salt",
    envvar="ECOGRAPH_SALT",
    default=None,
    help="Secret salt of the person ids (or $ECOGRAPH_SALT); random when omitted.",
)
@click.option(
    "--keep-birth-dates",
    is_flag=True,
    help="Write birth dates to actors.csv (personal data; off by default).",
)
@click.option(
    "--link-shareholders",
    type=click.Choice(["none", "name_year"]),
    default="none",
    show_default=True,
    help="Identify shareholders with role holders by name and birth year.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True
)
def brreg(
    enheter: tuple[Path, ...],
    roller: tuple[Path, ...],
    underenheter: tuple[Path, ...],
    aksjonaerer: tuple[Path, ...],
    out: Path,
    municipalities: tuple[str, ...],
    keep_resigned: bool,
    salt: str | None,
    keep_birth_dates: bool,
    link_shareholders: str,
    fmt: str,
) -> None:
    """Import Brønnøysund units, roles (and shareholders) into the bundle --out.

    Writes the bundle (ecosystem.toml, actors, relations) and import_report.json
    with every skipped record, its file, element or row, and the reason.
    """
    from ecograph.io.bundle import write_bundle
    from ecograph.registry.build import import_brreg

    result = import_brreg(
        list(enheter),
        list(roller),
        list(underenheter) or None,
        list(aksjonaerer) or None,
        municipalities=list(municipalities) or None,
        resigned="keep" if keep_resigned else "drop",
        salt=salt,
        keep_birth_dates=keep_birth_dates,
        link_shareholders=link_shareholders,  # type: ignore[arg-type]
    )
    folder = write_bundle(result.ecosystem, out, format=fmt)  # type: ignore[arg-type]
    report_path = result.report.write_json(folder / "import_report.json")
    click.echo(f"wrote {folder}: {result.ecosystem!r}")
    click.echo(result.report.summary())
    click.echo(f"report: {report_path}")
