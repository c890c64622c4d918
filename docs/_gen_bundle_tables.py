"""Generate ``docs/bundle-format.md`` from ecograph's vocabulary and record models.

The column tables, the relation-kind table and the vocabularies are built from
:data:`ecograph.core.kinds.RELATION_RULES`, the kind vocabularies, the column
specifications and the pydantic field declarations (types, bounds, patterns,
descriptions), so the documentation cannot drift from the code. The prose
around the tables lives in :data:`TEMPLATE` below.

Usage::

    python docs/_gen_bundle_tables.py           # rewrite docs/bundle-format.md
    python docs/_gen_bundle_tables.py --check   # exit 1 if the committed file is stale

The test ``tests/io/test_bundle_format_doc.py`` runs the check.
"""

from __future__ import annotations

import argparse
import sys
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ecograph.core.kinds import (
    ACTOR_KINDS,
    BOARD_ROLES,
    LEGAL_FORMS,
    MANAGEMENT_ROLES,
    ORGANISATION_KINDS,
    PROVENANCES,
    RELATION_KINDS,
    RELATION_RULES,
    SUPPORT_FUNCTIONS,
)
from ecograph.core.schema import (
    ACTOR_COLUMNS,
    INT64_MAX,
    ORGANISATION_FIELDS,
    RELATION_COLUMNS,
    Actor,
    ColumnSpec,
    EcosystemMeta,
    Relation,
    SourceRef,
    field_bounds,
)
from ecograph.core.tables import TABLES
from ecograph.core.validate import EXTRA_DTYPES

__all__ = ["DOC", "main", "render"]

DOC = Path(__file__).with_name("bundle-format.md")

# One example cell per column, taken from the Røros bundle where it has one.
EXAMPLES: dict[str, dict[str, str]] = {
    "actors": {
        "id": "rorosmat", "name": "Rørosmat SA", "kind": "cooperative",
        "org_number": "954463028", "municipality": "5025", "nace": "10.110", "legal_form": "SA",
        "employees": "40", "revenue_nok": "130000000", "founded": "1999", "external": "false",
        "evidence": "thesis Tabell 1", "provenance": "stated",
    },
    "relations": {
        "id": "brd01", "source": "informant_2", "target": "rorosmat", "kind": "board_seat",
        "role": "chair", "share": "0.25", "competitor_intensity": "0.3",
        "partner_intensity": "0.8", "function": "process_facilitation", "weight": "2",
        "since": "2019-01-01", "until": "2019-12-31", "evidence": "thesis Tabell 4",
        "provenance": "inferred", "confidence": "0.9",
    },
    "ecosystem": {
        "name": '"Best Lokalt, Røros"', "description": '"The business network ..."',
        "region": '"Røros region"', "municipalities": '["5025", "5026", "3430"]',
        "population": "20000", "year": "2019", "licence": '"CC BY 4.0"',
        "sources": '[{ id = "thesis", title = "..." }]', "indicators": "{ trust = 0.7 }",
        "columns": '{ actors = { sector = "text" } }',
    },
    "sources": {
        "id": '"thesis"', "title": '"Best Lokalt også best nasjonalt?"', "author": '"..."',
        "year": "2019", "url": '"https://..."', "note": '"Cited as 000 in the digest"',
    },
}

# Meanings of ecosystem.toml keys whose pydantic field carries no description.
TOML_MEANINGS: dict[str, str] = {
    "name": "Display name of the ecosystem.",
    "description": "What the bundle holds, its scope and caveats.",
    "region": "Name of the focal region.",
    "municipalities": "Kommunenummer of the municipalities of the focal region.",
    "population": "Inhabitants of the focal region (used by per-capita indicators).",
    "year": "Reference year of the data.",
    "licence": "Licence of the compilation.",
    "sources": "The sources cited by `evidence` cells (array of tables, see below).",
    "title": "Title of the source.",
    "author": "Author or publisher.",
    "year_source": "Publication year.",
    "url": "Where to find it.",
    "note": "Anything a reader should know (edition, how it was used).",
}

# Extra notes on allowed values that the field declarations cannot express.
NOTES: dict[tuple[str, str], str] = {
    ("actors", "id"): "non-empty; unique in the table (compared after stripping spaces)",
    ("actors", "name"): "non-empty",
    ("actors", "legal_form"): "a code of the legal-form table (others warn)",
    ("actors", "external"): "`true` / `false` (also yes/no, ja/nei, 1/0); empty = false",
    ("relations", "id"): "unique in the table; empty: generated (`r1`, `r2`, ...)",
    ("relations", "source"): "an actor `id`",
    ("relations", "target"): "an actor `id`; not the source",
    ("relations", "role"): "per kind, see the relation-kind table",
    ("relations", "function"): "a support function (others warn)",
    ("relations", "since"): "`YYYY-MM-DD`",
    ("relations", "until"): "`YYYY-MM-DD`; not before `since`",
    ("relations", "share"): "shares into one organisation sum to at most 1 at any date",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _codes(values: typing.Iterable[str]) -> str:
    return ", ".join(f"`{v}`" for v in values)


def _literal_values(annotation: Any) -> tuple[str, ...] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(arg) is typing.Literal:
            return typing.get_args(arg)
    return None


def _allowed(model: type[BaseModel], table: str, name: str) -> str:
    parts: list[str] = []
    values = _literal_values(model.model_fields[name].annotation)
    if values is not None:
        parts.append(_codes(values))
    bounds = field_bounds(model, name)
    if "pattern" in bounds:
        parts.append(f"pattern `{bounds['pattern']}`")
    low = (f"≥ {bounds['ge']}" if "ge" in bounds else f"> {bounds['gt']}" if "gt" in bounds
           else None)
    high = (f"≤ {bounds['le']}" if "le" in bounds and bounds["le"] != INT64_MAX else None)
    parts.extend(b for b in (low, high) if b is not None)
    if (table, name) in NOTES:
        parts.append(NOTES[(table, name)])
    if table == "actors" and name in ORGANISATION_FIELDS:
        parts.append("organisations only (empty for persons)")
    if table == "relations":
        kinds = [k for k, rule in RELATION_RULES.items() if name in rule.fields]
        if name != "role" and 0 < len(kinds) < len(RELATION_KINDS):
            parts.append("only for " + _codes(kinds))
    return "; ".join(parts) if parts else "any text"


def _column_table(table: str, specs: tuple[ColumnSpec, ...], model: type[BaseModel]) -> str:
    rows = ["| column | type | required | allowed values | example | meaning |",
            "|---|---|---|---|---|---|"]
    for spec in specs:
        if spec.name not in EXAMPLES[table]:
            raise KeyError(f"no example for {table}.{spec.name}: add one to EXAMPLES")
        description = model.model_fields[spec.name].description
        if not description:
            raise KeyError(f"{model.__name__}.{spec.name} has no description")
        rows.append(
            f"| `{spec.name}` | {spec.logical} (`{spec.dtype}`) | "
            f"{'yes' if spec.required else 'no'} | {_cell(_allowed(model, table, spec.name))} | "
            f"`{EXAMPLES[table][spec.name]}` | {_cell(description)} |")
    return "\n".join(rows)


def _kinds(kinds: tuple[str, ...]) -> str:
    if set(kinds) == set(ACTOR_KINDS):
        return "any actor"
    if set(kinds) == set(ORGANISATION_KINDS):
        return "any organisation"
    return _codes(kinds)


def _relation_kind_table() -> str:
    rows = ["| kind | source | target | directed | `role` | kind-specific fields | meaning |",
            "|---|---|---|---|---|---|---|"]
    for kind, rule in RELATION_RULES.items():
        if rule.roles is None:
            roles = "free text"
        else:
            roles = _codes(rule.roles) + (" (required)" if kind == "board_seat" else "")
        specific = [f for f in rule.fields if f != "role"]
        rows.append(
            f"| `{kind}` | {_kinds(rule.source_kinds)} | {_kinds(rule.target_kinds)} | "
            f"{'yes' if rule.directed else 'no'} | {roles} | {_codes(specific) or '-'} | "
            f"{_cell(rule.description)} |")
    return "\n".join(rows)


def _roles_table() -> str:
    rows = ["| relation kind | `role` | Brønnøysund code |", "|---|---|---|"]
    for role, code in BOARD_ROLES.items():
        rows.append(f"| `board_seat` | `{role}` | {code} |")
    for role, code2 in MANAGEMENT_ROLES.items():
        rows.append(f"| `management` | `{role}` | {code2 or '-'} |")
    return "\n".join(rows)


def _legal_forms_table() -> str:
    rows = ["| code | legal form |", "|---|---|"]
    rows += [f"| `{code}` | {_cell(text)} |" for code, text in LEGAL_FORMS.items()]
    return "\n".join(rows)


def _type_name(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType):
        return _type_name(args[0])
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is tuple:
        return f"array of {_type_name(args[0])}"
    if origin is dict:
        return f"table of {_type_name(args[1])}"
    if annotation is SourceRef:
        return "table"
    return {str: "text", int: "integer", float: "number", bool: "boolean"}.get(annotation, "value")


def _toml_table(model: type[BaseModel], examples: dict[str, str], suffix: str = "") -> str:
    rows = ["| key | type | required | allowed values | example | meaning |",
            "|---|---|---|---|---|---|"]
    for name, info in model.model_fields.items():
        if name not in examples:
            raise KeyError(f"no example for {model.__name__}.{name}: add one to EXAMPLES")
        meaning = (info.description or TOML_MEANINGS.get(f"{name}{suffix}")
                   or TOML_MEANINGS.get(name))
        if not meaning:
            raise KeyError(f"no meaning for {model.__name__}.{name}: add one to TOML_MEANINGS")
        bounds = field_bounds(model, name) if name != "municipalities" else {"pattern": r"^\d{4}$"}
        allowed = []
        if "pattern" in bounds:
            allowed.append(f"pattern `{bounds['pattern']}`")
        if "ge" in bounds:
            allowed.append(f"≥ {bounds['ge']}")
        if "le" in bounds:
            allowed.append(f"≤ {bounds['le']}")
        if name == "columns":
            allowed.append("tables `actors`, `relations`; types " + _codes(EXTRA_DTYPES))
        if name == "name" and model is EcosystemMeta:
            allowed.append(f"non-empty; default `{info.default}` (the folder name when the "
                           "bundle has no ecosystem.toml)")
        rows.append(
            f"| `{name}` | {_type_name(info.annotation)} | "
            f"{'yes' if info.is_required() else 'no'} | {_cell('; '.join(allowed)) or 'any'} | "
            f"`{examples[name]}` | {_cell(meaning)} |")
    return "\n".join(rows)


def _extra_types_table() -> str:
    rows = ["| declared type | pandas dtype | cells |", "|---|---|---|"]
    cells = {"text": "any text, kept verbatim (`0150` stays `0150`)",
             "int": "whole numbers of at most 18 digits",
             "float": "numbers with a decimal point (`2.5`, `1e6`)",
             "bool": "`true` / `false` (also yes/no, ja/nei, 1/0, y/n, t/f)",
             "date": "`YYYY-MM-DD`"}
    rows += [f"| `{k}` | `{v}` | {cells[k]} |" for k, v in EXTRA_DTYPES.items()]
    return "\n".join(rows)


def render() -> str:
    """The full text of ``docs/bundle-format.md``.

    Returns
    -------
    str
    """
    tables = {
        "ACTOR_COLUMNS": _column_table("actors", ACTOR_COLUMNS, Actor),
        "RELATION_COLUMNS": _column_table("relations", RELATION_COLUMNS, Relation),
        "RELATION_KINDS": _relation_kind_table(),
        "ROLES": _roles_table(),
        "ACTOR_KINDS": _codes(ACTOR_KINDS),
        "ORGANISATION_KINDS": _codes(ORGANISATION_KINDS),
        "PROVENANCES": _codes(PROVENANCES),
        "SUPPORT_FUNCTIONS": _codes(SUPPORT_FUNCTIONS),
        "LEGAL_FORMS": _legal_forms_table(),
        "ECOSYSTEM_KEYS": _toml_table(EcosystemMeta, EXAMPLES["ecosystem"]),
        "SOURCE_KEYS": _toml_table(SourceRef, EXAMPLES["sources"], suffix="_source"),
        "EXTRA_TYPES": _extra_types_table(),
        "TABLES": _codes(f"{name}.csv" for name in TABLES),
        "ORGANISATION_FIELDS": _codes(ORGANISATION_FIELDS),
    }
    text = TEMPLATE
    for key, value in tables.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise KeyError(f"unfilled placeholder near {text[text.index('{{'):][:40]!r}")
    return text


def main(argv: list[str] | None = None) -> int:
    """Write the document, or with ``--check`` report whether it is up to date.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments.

    Returns
    -------
    int
        Exit code: 0, or 1 when ``--check`` finds the file stale.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, do not write")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC} is stale: run python docs/_gen_bundle_tables.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC}")
    return 0


TEMPLATE = """\
<!-- Generated by docs/_gen_bundle_tables.py from ecograph.core: edit the script, not this file -->
# The bundle format

An ecosystem **bundle** is a folder that a regional analyst can edit in a spreadsheet:

```
my-region/
  ecosystem.toml     metadata and sources
  actors.csv         one row per actor (person or organisation)
  relations.csv      one row per relation between two actors
  resources.csv ...  optional further tables
```

`ecograph.read_bundle("my-region")` reads it, validates every row and returns an
`Ecosystem`; `ecograph.write_bundle(eco, "my-region")` writes one that reads back
unchanged (every value, type, date, empty cell and Norwegian letter survives).
`ecograph validate my-region` lists every problem, each with its file, row and field.
The bundled example is `datasets/roros/` (`ecograph.load_roros()`).

## Files, encoding and separators

* **UTF-8.** Save from Excel as *CSV UTF-8*. A byte-order mark is accepted and ignored. A file in
  another encoding is rejected with the row of the first undecodable byte.
* **Comma or semicolon.** The separator is taken from the header row: a semicolon-separated file
  (Excel in a Norwegian locale) is read like a comma-separated one. Cells follow the usual CSV
  quoting (`"..."`, a quote inside is doubled); a quoted cell may contain separators and line
  breaks.
* **Decimal point or comma.** In a comma-separated file numbers use a decimal point (`0.5`); a
  decimal comma there (`"0,5"`) is an error at its cell, never silently read as 5 or 0.5. In a
  semicolon-separated file (Excel in a Norwegian locale) a number of the form `0,5` is read as
  0.5 in the number columns. No thousands separators.
* **Rows.** A row with more cells than the header is an error at that row (no silent shift of
  cells). A row with fewer cells has empty cells at the end.
* **Parquet.** `actors.parquet` and `relations.parquet` are read in place of the CSV files (the
  CSV file wins when both exist). Parquet columns keep their types (integers, floats, booleans,
  timestamps); the same validation applies. `write_bundle(eco, path, format="parquet")` writes
  them.
* An empty file (no header row) is an error; a header-only file is an empty table.

## Row numbers in messages

Every problem names the **file**, the **row** and the **field**, e.g.

```
relations.csv, row 3, field 'source': a board_seat must start at a person, not at a firm (got 'o1')
```

Rows are numbered as in a spreadsheet: **the header is row 1**, the first record row 2. A record
whose quoted cell holds a line break still counts as one row. Problems with a column (unknown or
missing column) are reported at row 1; problems with a whole file have no row. For frames passed
to `Ecosystem.from_frames` the row is the 0-based position + 2, so a row keeps its number after
`DataFrame.to_csv`. All problems are collected and reported together (up to 1000 per rule, then
a count).

## Empty cells

An **empty cell is a missing value**, never zero or false, except where said otherwise:

* Cells are stripped of surrounding spaces; a cell of spaces only is empty.
* No other spelling means missing: `NA`, `null`, `-` are text (and an error in a number
  column). The text `nan` or `inf` in a number column is an error.
* In a typed frame (`Ecosystem.from_frames`, Parquet) `NaN`, `None`, `pd.NA` and `NaT` are
  missing values; infinity is an error.
* Consequences: empty `employees` = unknown (not 0); empty `share` = unknown share; empty
  `weight` = 1 in graphs; empty `since` / `until` = open interval; empty `external` = false;
  empty `id` of a relation = generated.

## actors.csv

One row per actor. Actor kinds: {{ACTOR_KINDS}}. Every kind except `person` is an
organisation ({{ORGANISATION_KINDS}}). The columns {{ORGANISATION_FIELDS}} apply to
organisations only.

{{ACTOR_COLUMNS}}

Legal forms (Brønnøysund `organisasjonsform`; any other code is kept with a warning):

{{LEGAL_FORMS}}

## relations.csv

One row per relation. Each relation kind is also a **layer** of the multi-layer graph.

{{RELATION_COLUMNS}}

Dates are `YYYY-MM-DD` and nothing else: `2019`, `01.02.2019`, `2019/1` and times are errors
(when a source gives only a year, write its first day and say so, e.g. in an extra column
`date_precision` as the Røros bundle does). A relation holds from `since` to `until`, both
inclusive; `Ecosystem.as_of(date)` keeps the relations valid on a date.

`provenance` says where a row comes from: {{PROVENANCES}}. `evidence` names the source (the
Røros bundle starts every cell with a source id of `ecosystem.toml`). `confidence` is a
probability-like judgement in [0, 1] for inferred rows.

### Relation kinds and their endpoints

{{RELATION_KINDS}}

"Any organisation" is every kind except `person`. Undirected kinds (`directed` = no) are stored
once, in the orientation given. A field of the *kind-specific fields* column must stay empty for
other kinds.

Roles with a vocabulary:

{{ROLES}}

Support functions (from the micro-business report 004 §2.1; any other text is kept with a
warning): {{SUPPORT_FUNCTIONS}}.

### What is checked

Errors (the bundle is rejected, every problem listed):

* a misspelt column name (close to a known column, e.g. `employes`, `competiton_intensity`);
  a missing required column; a duplicated column;
* a missing required value; a value of the wrong type, out of its range or not matching its
  pattern; `NaN` or infinity; an unknown kind, role or provenance;
* a field filled for a kind it does not apply to; a `board_seat` without a role;
* a relation from an actor to itself; an endpoint of the wrong kind (a board seat held by a
  firm, a membership in a firm); an endpoint id that is not in actors.csv;
* a duplicate actor id (ids are compared after stripping spaces) or relation id;
* ownership shares into one organisation summing above 1 among the relations valid at the same
  date;
* `until` before `since`.

Warnings (the bundle is read; `ecograph validate` prints them):

* an isolated actor (no relations);
* a co-opetition relation with both intensities 0;
* an unknown legal form or support function.

## Extra columns

Any column that is not listed above is **kept** as an extra attribute of the actor or relation
(unless its name looks like a misspelt known column). Its type is

1. the type declared in `ecosystem.toml`, or
2. otherwise the narrowest type that loses nothing: integer when every non-empty cell is a whole
   number without leading zeros (`0150` stays text), number when every cell is a plain decimal
   number without trailing zeros, boolean when every cell is `true` or `false`, else text. Dates
   are only recognised when declared.

A declared type that a cell does not match falls back to text for the whole column (no data is
lost). `write_bundle` declares the type of every extra column, so a round trip keeps it.

```toml
[ecosystem.columns.actors]
sector = "text"
placeholder = "bool"

[ecosystem.columns.relations]
date_precision = "text"
```

{{EXTRA_TYPES}}

## ecosystem.toml

```toml
format_version = 1

[ecosystem]
name = "Best Lokalt, Røros"
municipalities = ["5025", "5026", "3430", "3426", "3427", "3428"]
population = 20000

[[ecosystem.sources]]
id = "thesis"
title = "Best Lokalt også best nasjonalt?"
year = 2019
```

The top level holds `format_version` (integer; this ecograph reads `1`) and the table
`[ecosystem]`; any other key is an error. A missing `ecosystem.toml` is allowed (the folder name
becomes the name). Keys of `[ecosystem]`:

{{ECOSYSTEM_KEYS}}

Keys of each `[[ecosystem.sources]]` entry:

{{SOURCE_KEYS}}

A misspelt key (`populaton`) or a value out of range is an error naming the key, e.g.
`ecosystem.toml, field 'ecosystem.populaton': Extra inputs are not permitted`.

## Optional tables

Further tables are validated by the module that owns them: {{TABLES}} (Parquet accepted too).
They reference actors by id in an `actor` column.

## Exports

`ecograph.export_graph(eco, "region.graphml")` (or `.gexf`, or `ecograph export PATH --out
FILE`) writes every actor and relation attribute for Gephi, yEd, Cytoscape and UCINET users:
node ids are actor ids, the node `label` is the actor name, dates are `YYYY-MM-DD` text, and
missing values are left out (neither format has a null).
"""


if __name__ == "__main__":
    sys.exit(main())
