"""Read and write ecosystem bundles: the folder of files analysts edit.

A bundle is a folder with

* ``ecosystem.toml``: ``format_version`` and an ``[ecosystem]`` table
  (:class:`~ecograph.core.schema.EcosystemMeta`),
* ``actors.csv`` and ``relations.csv`` (UTF-8, comma- or semicolon-
  separated; ``.parquet`` files are read too),
* optional further tables such as ``resources.csv``.

See ``docs/bundle-format.md`` for every column.
"""

from __future__ import annotations

import csv
import io
import tomllib
import warnings
from pathlib import Path
from typing import Any, Literal, overload

import pandas as pd
import pydantic
import tomli_w

from ecograph.core.ecosystem import Ecosystem
from ecograph.core.schema import EcosystemMeta
from ecograph.core.tables import TABLES, validate_tables
from ecograph.exceptions import BundleValidationError, InputError, Issue

__all__ = ["FORMAT_VERSION", "read_bundle", "read_table", "write_bundle"]

FORMAT_VERSION = 1
_TOP_KEYS = {"format_version", "ecosystem"}


def read_table(path: Path) -> pd.DataFrame:
    """Read one CSV or Parquet table as raw strings (CSV) or typed columns (Parquet).

    Empty cells are missing values; no other spelling (``NA``, ``null``) is
    treated as missing. A UTF-8 byte-order mark is ignored and a
    semicolon-separated file (Excel in a Norwegian locale) is recognised; in
    such a file numbers may use a decimal comma (``0,5``).

    Raises
    ------
    BundleValidationError
        When the file cannot be parsed; the issue names file and line.
    """
    name = path.name
    if path.suffix == ".parquet":
        try:
            return pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises several types
            raise BundleValidationError([Issue(name, None, None, f"cannot read Parquet: {exc}")]) from exc
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise BundleValidationError(
            [Issue(name, line, None, "file is not UTF-8; save it as 'CSV UTF-8'")]) from exc
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    try:
        with warnings.catch_warnings():
            # index_col=False: a row longer than the header must not silently become an index
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                                na_values=[""], skipinitialspace=False, index_col=False)
    except pd.errors.EmptyDataError:
        raise BundleValidationError([Issue(name, 1, None, "file is empty; a header row is required")]) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        issues = (_long_rows(text, sep, name)
                  or [Issue(name, None, None, f"cannot parse CSV: {exc}")])
        raise BundleValidationError(issues) from exc
    header = next(csv.reader(io.StringIO(text), delimiter=sep), [])
    if len(header) == frame.shape[1] and len(set(header)) < len(header):
        frame.columns = header  # pandas renamed duplicates to 'name.1'; validation reports them
    if sep == ";":  # Excel in a Norwegian locale: number columns may use decimal commas
        frame.attrs["decimal"] = ","
    return frame


def _long_rows(text: str, sep: str, name: str) -> list[Issue]:
    """Issues for every record with more cells than the header (only on the error path)."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    header = next(reader, [])
    return [Issue(name, i + 2, None,
                  f"row has {len(row)} cells but the header has {len(header)} columns")
            for i, row in enumerate(reader) if len(row) > len(header)]


@overload
def _find(folder: Path, stem: str, required: Literal[True]) -> Path: ...


@overload
def _find(folder: Path, stem: str, required: Literal[False]) -> Path | None: ...


def _find(folder: Path, stem: str, required: bool) -> Path | None:
    for suffix in (".csv", ".parquet"):
        p = folder / f"{stem}{suffix}"
        if p.exists():
            return p
    if required:
        raise BundleValidationError([Issue(f"{stem}.csv", None, None,
                                           f"missing from the bundle folder {folder}")])
    return None


def _read_meta(folder: Path) -> EcosystemMeta:
    path = folder / "ecosystem.toml"
    if not path.exists():
        return EcosystemMeta(name=folder.name)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BundleValidationError([Issue("ecosystem.toml", None, None, f"invalid TOML: {exc}")]) from exc
    issues = [Issue("ecosystem.toml", None, key, "unknown key; expected 'format_version' or "
                    "'ecosystem'") for key in doc if key not in _TOP_KEYS]
    version = doc.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        issues.append(Issue("ecosystem.toml", None, "format_version",
                            f"unsupported format version; this ecograph reads {FORMAT_VERSION}", version))
    try:
        meta = EcosystemMeta.model_validate(doc.get("ecosystem", {}))
    except pydantic.ValidationError as exc:
        for err in exc.errors(include_url=False):
            key = "ecosystem." + ".".join(str(p) for p in err["loc"])
            issues.append(Issue("ecosystem.toml", None, key, err["msg"], err.get("input")))
        meta = EcosystemMeta(name=folder.name)
    if issues:
        raise BundleValidationError(issues)
    return meta


def read_bundle(path: str | Path, *, warn: bool = True) -> Ecosystem:
    """Read an ecosystem bundle folder.

    Parameters
    ----------
    path : str or Path
        The bundle folder (or its ``ecosystem.toml``).
    warn : bool, default True
        Emit warnings for suspicious input (isolated actors, ...).

    Returns
    -------
    Ecosystem

    Raises
    ------
    BundleValidationError
        With every problem found, each naming file, row and field.
    FileNotFoundError
        When the folder does not exist.

    Examples
    --------
    >>> import ecograph, tempfile
    >>> eco = ecograph.load_roros()
    >>> with tempfile.TemporaryDirectory() as d:
    ...     _ = ecograph.write_bundle(eco, d)
    ...     again = ecograph.read_bundle(d)
    >>> again == eco
    True
    """
    folder = Path(path)
    if folder.name == "ecosystem.toml":
        folder = folder.parent
    if not folder.exists():
        raise FileNotFoundError(f"bundle folder {folder} does not exist")
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder; a bundle is a folder with actors.csv and relations.csv")
    meta = _read_meta(folder)
    a_path = _find(folder, "actors", True)
    r_path = _find(folder, "relations", False)
    actors = read_table(a_path)
    relations = read_table(r_path) if r_path is not None else None
    eco = Ecosystem.from_frames(actors, relations, meta, actors_file=a_path.name,
                                relations_file=r_path.name if r_path else "relations.csv", warn=warn)
    raw_tables: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    for name in TABLES:
        p = _find(folder, name, False)
        if p is not None:
            raw_tables[name] = read_table(p)
            files[name] = p.name
    if raw_tables:
        eco.tables = validate_tables(eco, raw_tables, files)
    return eco


def _to_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s.dtype):
            out[col] = s.dt.strftime("%Y-%m-%d").astype("string")
        elif pd.api.types.is_bool_dtype(s.dtype):
            out[col] = s.map({True: "true", False: "false"}).astype("string")
        else:
            out[col] = s
    return pd.DataFrame(out, index=frame.index)


def write_bundle(
    eco: Ecosystem, path: str | Path, *, format: Literal["csv", "parquet"] = "csv",
    overwrite: bool = True,
) -> Path:
    """Write ``eco`` as a bundle folder that :func:`read_bundle` reads back unchanged.

    Parameters
    ----------
    eco : Ecosystem
    path : str or Path
        Folder to write (created if needed).
    format : {"csv", "parquet"}
    overwrite : bool, default True
        Replace existing bundle files in the folder.

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    InputError
        For a ``format`` other than ``"csv"`` or ``"parquet"``, or when
        ``overwrite=False`` and the folder already holds a bundle
        (``actors.csv`` or ``actors.parquet``).

    Notes
    -----
    The folder gets ``ecosystem.toml`` (metadata and the dtypes of extra
    columns), ``actors``, ``relations`` and every optional table of
    ``eco.tables``, one file each in ``format``. Files of the same tables in
    the other format are removed, so :func:`read_bundle` cannot pick up a
    stale copy. CSV is UTF-8 with ``\n`` line ends.

    Examples
    --------
    >>> import tempfile
    >>> import ecograph
    >>> eco = ecograph.load_roros()
    >>> with tempfile.TemporaryDirectory() as d:
    ...     folder = ecograph.write_bundle(eco, d)
    ...     names = sorted(p.name for p in folder.iterdir())
    ...     again = ecograph.read_bundle(folder)
    >>> names[:3]
    ['actors.csv', 'ecosystem.toml', 'relations.csv']
    >>> again == eco
    True
    """
    if format not in ("csv", "parquet"):
        raise InputError(f"unknown bundle format {format!r}; expected 'csv' or 'parquet'")
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    if not overwrite and any((folder / f"actors.{ext}").exists() for ext in ("csv", "parquet")):
        raise InputError(f"{folder} already holds a bundle; pass overwrite=True to replace it")
    meta: dict[str, Any] = eco.meta.model_dump(mode="json", exclude_none=True)
    meta["columns"] = {k: v for k, v in eco.extra_dtypes.items() if v}
    doc = {"format_version": FORMAT_VERSION, "ecosystem": _drop_empty(meta)}
    (folder / "ecosystem.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
    actors = eco.actors.reset_index()
    tables = {"actors": actors, "relations": eco.relations, **eco.tables}
    for other in ("csv", "parquet"):
        for name in tables:
            stale = folder / f"{name}.{other}"
            if other != format and stale.exists():
                stale.unlink()
    for name, frame in tables.items():
        if format == "parquet":
            frame.to_parquet(folder / f"{name}.parquet", index=False)
        else:
            _to_csv_frame(frame).to_csv(folder / f"{name}.csv", index=False, encoding="utf-8",
                                        quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return folder


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in ({}, [], (), None)}
