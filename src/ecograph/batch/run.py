"""Score every municipality of an ecosystem: serially, on local processes or on Dask.

:func:`score_municipalities` partitions the ecosystem
(:func:`~ecograph.batch.partition.partition_by_municipality`), runs the
measures on each municipality, writes each municipality's result as soon as
it is known (so an interrupted run resumes where it stopped), and collects
one tidy table with one row per municipality.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import pickle
import platform
import shutil
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ecograph.batch.measures import DEFAULT_MEASURES, Measure, flatten, resolve
from ecograph.batch.partition import ExternalPolicy, partition_by_municipality
from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import EcographWarning, InputError
from ecograph.outputs import jsonable

__all__ = ["Executor", "score_municipalities"]

Executor = Literal["serial", "processes", "dask"]
"""Where the municipalities are scored."""

_BASE_COLUMNS = ("name", "status", "error", "organisations", "persons", "external", "relations")
_RESULT_DIR = "municipalities"
_MANIFEST = "manifest.json"
_MEASURE_SPEC = Mapping[str, Measure | str] | Sequence[str] | None


# --------------------------------------------------------------------------- worker side
def _detail_frame(result: Any) -> pd.DataFrame:
    """A measure's result as a table for its Parquet detail file."""
    if isinstance(result, pd.DataFrame):
        frame = result.reset_index() if any(n is not None for n in result.index.names) else result
        frame = frame.copy()
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = (
                    frame[col].map(lambda v: None if v is None else str(v)).astype("string")
                )
        frame.columns = [str(c) for c in frame.columns]
        return frame.reset_index(drop=True)
    flat = flatten(result)
    keys = list(flat)
    values = list(flat.values())
    number = [
        float(v) if isinstance(v, int | float) and not isinstance(v, bool) else math.nan
        for v in values
    ]
    text = [
        None if v is None or (isinstance(v, int | float) and not isinstance(v, bool)) else str(v)
        for v in values
    ]
    return pd.DataFrame(
        {
            "key": pd.array(keys, dtype="string"),
            "value": np.array(number, dtype=float),
            "text": pd.array(text, dtype="string"),
        }
    )


def _score_one(
    code: str, eco: Ecosystem, measures: Sequence[tuple[str, Measure | str]]
) -> dict[str, Any]:
    t0 = time.perf_counter()
    actors = eco.actors
    is_person = (actors["kind"] == "person").to_numpy(dtype=bool)
    external = actors["external"].fillna(False).to_numpy(dtype=bool)
    values: dict[str, Any] = {
        "organisations": int((~is_person & ~external).sum()),
        "persons": int(is_person.sum()),
        "external": int((~is_person & external).sum()),
        "relations": len(eco.relations),
    }
    details: dict[str, pd.DataFrame] = {}
    errors: list[str] = []
    notes: list[str] = []
    for name, target in measures:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = resolve(target)(eco)
                row = flatten(result, name) if not isinstance(result, pd.DataFrame) else {}
                detail = _detail_frame(result)
            except Exception as exc:  # a failing measure must not stop the batch
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
            else:
                values.update(row)
                details[name] = detail
        notes += [f"{name}: {w.category.__name__}: {w.message}" for w in caught]
    return {
        "municipality": code,
        "status": "error" if errors else "ok",
        "error": "; ".join(errors),
        "values": values,
        "details": details,
        "warnings": notes,
        "seconds": time.perf_counter() - t0,
    }


def _score_chunk(
    chunk: Sequence[tuple[str, Ecosystem]], measures: Sequence[tuple[str, Measure | str]]
) -> list[dict[str, Any]]:
    """Score a chunk of municipalities (runs in a worker process or a Dask worker)."""
    return [_score_one(code, eco, measures) for code, eco in chunk]


# --------------------------------------------------------------------------- parent side
def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in (
        "ecograph",
        "numpy",
        "pandas",
        "pyarrow",
        "igraph",
        "networkx",
        "scipy",
        "dask",
        "distributed",
    ):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return out


def _hash_bundle(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix in (".csv", ".parquet", ".toml")
    ):
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        out[path.name] = digest.hexdigest()
    return out


def _hash_ecosystem(eco: Ecosystem) -> str:
    digest = hashlib.sha256()
    for frame in (eco.actors.reset_index(), eco.relations):
        digest.update(",".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    digest.update(eco.meta.model_dump_json().encode())
    return digest.hexdigest()


def _measure_list(measures: _MEASURE_SPEC) -> list[tuple[str, Measure | str]]:
    if measures is None:
        return list(DEFAULT_MEASURES.items())
    if isinstance(measures, Mapping):
        items = [(str(k), v) for k, v in measures.items()]
    elif isinstance(measures, str):
        raise InputError(
            f"measures={measures!r}: expected a mapping name -> measure or a list of "
            f"default measure names {sorted(DEFAULT_MEASURES)}"
        )
    else:
        items = []
        for name in measures:
            if name not in DEFAULT_MEASURES:
                raise InputError(
                    f"unknown measure {name!r}; expected one of {sorted(DEFAULT_MEASURES)} "
                    "or a mapping name -> callable"
                )
            items.append((name, DEFAULT_MEASURES[name]))
    bad = [k for k, _ in items if not k or "." in k or "/" in k]
    if bad:
        raise InputError(f"measure names {bad} must be non-empty and contain no '.' or '/'")
    for name, target in items:
        resolve(target)  # fail early on a typo or a missing library function
        if name in _BASE_COLUMNS:
            raise InputError(f"measure name {name!r} clashes with a column of the result table")
    return items


def _measure_label(target: Measure | str) -> str:
    if isinstance(target, str):
        return target
    return f"{getattr(target, '__module__', '?')}:{getattr(target, '__qualname__', repr(target))}"


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _write_result(folder: Path, res: dict[str, Any]) -> None:
    mdir = folder / _RESULT_DIR / res["municipality"]
    mdir.mkdir(parents=True, exist_ok=True)
    for name, frame in res["details"].items():
        tmp = mdir / f"{name}.parquet.tmp"
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, mdir / f"{name}.parquet")
    record = {k: res[k] for k in ("municipality", "status", "error", "warnings", "seconds")}
    record["values"] = jsonable(dict(res["values"]))
    _write_atomic(mdir / "result.json", json.dumps(record, ensure_ascii=False, indent=1).encode())


def _read_done(folder: Path) -> dict[str, dict[str, Any]]:
    done: dict[str, dict[str, Any]] = {}
    root = folder / _RESULT_DIR
    if not root.exists():
        return done
    for path in sorted(root.glob("*/result.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue  # a half-written result is recomputed
        if record.get("status") == "ok":
            done[str(record["municipality"])] = record
    return done


_FIXED_COST = 100
"""Estimated cost of scoring a municipality before its first actor, in actors (measure set-up)."""

_TASKS_PER_WORKER = 32
"""Default tasks per worker: the target weight of a task is the total over ``workers * 32``.

The cost per actor of the default measures varies about two-fold between municipalities of
the same size, so tasks are kept small: with the per-municipality times of a 500,000-
organisation run, tasks of 1/8 of a worker's share left 2 workers 4 % idle at the end, tasks
of 1/32 less than 1 %. Per-task overhead is milliseconds."""


def _chunks(items: Sequence[tuple[str, float]], size: int) -> list[list[str]]:
    """Chunks of ``size`` municipalities, in the order given (an explicit ``chunksize``)."""
    return [[c for c, _ in items[i : i + size]] for i in range(0, len(items), size)]


def _balanced_chunks(items: Sequence[tuple[str, float]], n_tasks: int) -> list[list[str]]:
    """Cut municipalities into tasks of about equal estimated cost, the costliest task first.

    Parameters
    ----------
    items : sequence of (code, weight)
        Municipalities and their estimated cost (non-negative).
    n_tasks : int
        Wanted number of tasks; the target weight of a task is ``sum(weights) / n_tasks``.

    Returns
    -------
    list of list of str
        Every code exactly once. Taken heaviest first (ties by code), a municipality
        weighing at least the target is a task of its own, and lighter ones are grouped, in
        that order, into tasks that never exceed the target (so a task of more than one
        municipality weighs at most the target). Tasks are ordered by decreasing weight
        (ties by their first code), so a pool that hands out tasks in order starts the
        longest first. The result depends only on ``items`` and ``n_tasks``.
    """
    ordered = sorted(items, key=lambda item: (-item[1], item[0]))
    total = float(sum(w for _, w in ordered))
    target = total / max(1, n_tasks)
    tasks: list[tuple[float, list[str]]] = []
    current: list[str] = []
    weight = 0.0
    for code, w in ordered:
        if current and weight + w > target:
            tasks.append((weight, current))
            current, weight = [], 0.0
        current.append(code)
        weight += w
    if current:
        tasks.append((weight, current))
    tasks.sort(key=lambda task: (-task[0], task[1][0]))
    return [codes for _, codes in tasks]


def _progress_bar(total: int, enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is optional; the batch runs without it
        return None
    return tqdm(total=total, unit="municipality", file=sys.stderr, dynamic_ncols=True)


def _run_pool(
    submit: Callable[[list[tuple[str, Ecosystem]]], Any],
    wait_first: Callable[[set[Any]], set[Any]],
    result_of: Callable[[Any], list[dict[str, Any]]],
    chunks: list[list[str]],
    build: Callable[[str], Ecosystem],
    window: int,
) -> Iterator[list[dict[str, Any]]]:
    """Submit chunks, at most ``window`` in flight; yield each chunk's results as it finishes."""
    pending: dict[Any, list[str]] = {}
    queue = list(reversed(chunks))  # popped from the end: the first chunk goes first

    def refill() -> None:
        while queue and len(pending) < window:
            codes = queue.pop()
            pending[submit([(c, build(c)) for c in codes])] = codes

    while queue or pending:
        refill()
        finished = [(fut, pending.pop(fut)) for fut in wait_first(set(pending))]
        refill()  # keep the workers busy while the parent collects and writes results
        for fut, codes in finished:
            try:
                yield result_of(fut)
            except Exception as exc:  # the whole chunk failed (worker died, pickling, ...)
                yield [
                    {
                        "municipality": c,
                        "status": "error",
                        "values": {},
                        "details": {},
                        "warnings": [],
                        "seconds": math.nan,
                        "error": f"worker: {type(exc).__name__}: {exc}",
                    }
                    for c in codes
                ]


def score_municipalities(
    eco_or_bundle: Ecosystem | str | Path,
    out: str | Path | None = None,
    *,
    workers: int | None = None,
    executor: Executor = "serial",
    scheduler: Any = None,
    measures: _MEASURE_SPEC = None,
    municipalities: Iterable[str] | None = None,
    external: ExternalPolicy = "actors",
    indices: Sequence[str] | None = ("stam", "gei"),
    index_columns: Sequence[str] | None = None,
    format: Literal["csv", "parquet"] = "csv",
    resume: bool = True,
    progress: bool = True,
    chunksize: int | None = None,
) -> pd.DataFrame:
    """Score every municipality of an ecosystem and collect one row per municipality.

    Parameters
    ----------
    eco_or_bundle : Ecosystem, str or Path
        The (national) ecosystem, or the folder of a bundle to read.
    out : str or Path, optional
        Output folder. When given: ``municipalities.csv`` (or ``.parquet``),
        ``municipalities/<code>/<measure>.parquet`` detail files and
        ``result.json`` per municipality (written as each finishes),
        ``ee_index_<method>.csv`` and ``manifest.json``. Without it nothing
        is written and nothing is resumed.
    workers : int, optional
        Number of worker processes (``"processes"``) or Dask workers of a
        local cluster (``"dask"`` without ``scheduler``); default: all cores.
    executor : {"serial", "processes", "dask"}, default "serial"
        ``"processes"`` uses a :class:`concurrent.futures.ProcessPoolExecutor`
        with chunks of municipalities; ``"dask"`` uses Dask distributed.
    scheduler : str or distributed.Client, optional
        With ``executor="dask"``: the scheduler address
        (``"tcp://HOST:PORT"``) or an existing ``Client``. Without it a
        ``LocalCluster(n_workers=workers, threads_per_worker=1)`` is started
        and closed again.
    measures : mapping or list of str, optional
        ``{name: callable or "module:function"}``; every callable takes an
        Ecosystem and returns a Series or mapping of scalars (columns
        ``<name>.<key>`` of the result) or a DataFrame (detail file only); see
        :mod:`ecograph.batch.measures`. A list picks default measures by
        name. Default: :data:`~ecograph.batch.measures.DEFAULT_MEASURES`
        (profile, co-opetition summary, Spigel scores). For ``"processes"``
        and ``"dask"`` the callables must be picklable (module-level).
    municipalities : iterable of str, optional
        Only these kommunenummer (default: every municipality with an
        organisation).
    external : {"actors", "drop"}, default "actors"
        Treatment of ties that leave a municipality (see
        :func:`~ecograph.batch.partition.partition_by_municipality`).
    indices : sequence of {"stam", "gei"} or None, default ("stam", "gei")
        Cross-municipality indices computed with :func:`ecograph.ee_index`
        after the batch, on the municipalities scored ``ok``. ``None`` skips them.
    index_columns : sequence of str, optional
        Columns of the result fed to :func:`ecograph.ee_index`. Default: the
        Spigel attribute scores ``spigel.attribute.*`` (else every numeric
        measure column) that are known, non-negative and not 0 everywhere in
        the municipalities scored ``ok``; the columns left out and why are
        listed in ``manifest.json``, as are warnings raised by ``ee_index``.
    format : {"csv", "parquet"}, default "csv"
        Format of the municipality table.
    resume : bool, default True
        Skip municipalities whose result (status ``ok``) is already in
        ``out``. The inputs and measures must be those of the earlier run
        (checked against ``manifest.json``). ``False`` recomputes all and
        replaces earlier results.
    progress : bool, default True
        Show a tqdm progress bar on stderr (when tqdm is installed).
    chunksize : int, optional
        Municipalities per task for ``"processes"`` and ``"dask"``, largest
        municipalities first. Default: tasks balanced by estimated cost (the
        actors of each sub-ecosystem plus a fixed set-up cost), each about
        1/32 of a worker's share; a municipality heavier than that is a task
        of its own, and the heaviest task goes first. The tasks are listed
        in ``manifest.json``.

    Returns
    -------
    DataFrame
        Indexed by ``municipality`` (sorted). Columns ``name`` (from the
        shipped 2024 list), ``status`` (``ok`` / ``error``), ``error``,
        ``organisations`` (located there), ``persons``, ``external``,
        ``relations``, then ``<measure>.<key>`` and, when computed,
        ``index.<method>...`` columns. Timings are in ``manifest.json``, not
        in the table, so the table is identical for every executor.

    Raises
    ------
    InputError
        Unknown executor, measures that cannot be imported or pickled, an
        output folder holding results of different inputs or measures.
    OptionalDependencyError
        ``executor="dask"`` without ``dask[distributed]`` installed.

    Notes
    -----
    A municipality whose measure raises gets ``status="error"`` and the
    message in ``error`` (the values of its other measures are kept); the
    batch goes on, and a resumed run tries it again. Warnings raised by a
    measure are recorded in the municipality's ``result.json``. The
    manifest records the input hashes (SHA-256 of the bundle files, or of
    the frames), the parameters, package versions, per-municipality
    timings and the counts of ok / error / resumed municipalities.

    Every executor runs the same function on the same sub-ecosystems, so
    the table is identical whichever runs it (tested). Measures that use
    randomness must be seeded.

    Examples
    --------
    >>> import ecograph
    >>> from ecograph.batch.measures import basic_structure
    >>> eco = ecograph.synthetic_region(300, municipalities=3, seed=3)
    >>> table = score_municipalities(eco, measures={"basic": basic_structure},
    ...                              indices=None, progress=False)
    >>> table.index.tolist(), table["status"].unique().tolist()
    (['3430', '5025', '5026'], ['ok'])
    >>> int(table["organisations"].sum()) == int((eco.actors["kind"] != "person").sum())
    True
    """
    if executor not in ("serial", "processes", "dask"):
        raise InputError(f"executor={executor!r}: expected 'serial', 'processes' or 'dask'")
    if format not in ("csv", "parquet"):
        raise InputError(f"format={format!r}: expected 'csv' or 'parquet'")
    if workers is not None and (isinstance(workers, bool) or int(workers) < 1):
        raise InputError(f"workers={workers!r}: expected a positive integer")
    if chunksize is not None and (isinstance(chunksize, bool) or int(chunksize) < 1):
        raise InputError(f"chunksize={chunksize!r}: expected a positive integer")
    if indices is not None:
        bad = [m for m in indices if m not in ("stam", "gei")]
        if bad:
            raise InputError(f"unknown index method(s) {bad}; expected 'stam' and/or 'gei'")
    n_workers = int(workers) if workers is not None else (os.cpu_count() or 1)
    measure_items = _measure_list(measures)
    if executor != "serial":
        try:
            pickle.dumps([t for _, t in measure_items])
        except Exception as exc:
            raise InputError(
                "measures must be picklable (module-level functions or "
                f"'module:function' strings) for executor={executor!r}: {exc}"
            ) from exc

    # ---- input
    if isinstance(eco_or_bundle, Ecosystem):
        eco = eco_or_bundle
        input_record: dict[str, Any] = {
            "kind": "ecosystem",
            "name": eco.meta.name,
            "sha256": _hash_ecosystem(eco),
        }
    else:
        from ecograph.io.bundle import read_bundle

        folder_in = Path(eco_or_bundle)
        eco = read_bundle(folder_in, warn=False)
        files = _hash_bundle(folder_in if folder_in.is_dir() else folder_in.parent)
        input_record = {
            "kind": "bundle",
            "path": str(folder_in.resolve()),
            "files": files,
            "sha256": hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest(),
        }
    parts = partition_by_municipality(eco, municipalities=municipalities, external=external)
    sizes = parts.sizes()
    fingerprint = {
        "measures": {k: _measure_label(v) for k, v in measure_items},
        "external": external,
    }
    parameters = {
        **fingerprint,
        "executor": executor,
        "workers": n_workers,
        "scheduler": scheduler if isinstance(scheduler, str | None) else type(scheduler).__name__,
        "municipalities": list(parts.codes),
        "indices": list(indices or []),
        "index_columns": list(index_columns) if index_columns is not None else None,
        "format": format,
        "resume": resume,
        "chunksize": chunksize,
    }

    # ---- output folder, manifest, resume
    folder = Path(out) if out is not None else None
    done: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] = {}
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        mpath = folder / _MANIFEST
        if mpath.exists() and resume:
            try:
                old = json.loads(mpath.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise InputError(
                    f"{mpath} is not a readable manifest; remove it or pass resume=False"
                ) from exc
            same_input = old.get("input", {}).get("sha256") == input_record["sha256"]
            same_measures = {
                k: old.get("parameters", {}).get(k) for k in fingerprint
            } == fingerprint
            if not (same_input and same_measures):
                what = "input" if not same_input else "measures / external policy"
                raise InputError(
                    f"{folder} holds results of a run with a different {what}; use "
                    "another output folder or resume=False to replace them"
                )
            done = {c: r for c, r in _read_done(folder).items() if c in parts.codes}
        elif not resume and (folder / _RESULT_DIR).exists():
            shutil.rmtree(folder / _RESULT_DIR)
        manifest = {
            "ecograph": _versions().get("ecograph", "unknown"),
            "versions": _versions(),
            "platform": platform.platform(),
            "started": dt.datetime.now(dt.UTC).isoformat(),
            "status": "running",
            "input": input_record,
            "parameters": parameters,
        }
        _write_atomic(mpath, json.dumps(manifest, indent=2, ensure_ascii=False).encode())

    # ---- run
    # estimated cost: the actors of the sub-ecosystem plus a fixed set-up per municipality
    weight = (sizes["organisations"] + sizes["persons"] + sizes["external"]).astype(int).to_dict()
    todo = [(c, int(weight[c]) + _FIXED_COST) for c in parts.codes if c not in done]
    todo.sort(key=lambda item: (-item[1], item[0]))  # largest first: better load balance
    results: dict[str, dict[str, Any]] = {}
    bar = _progress_bar(len(todo), progress)
    if bar is not None and done:
        bar.set_postfix_str(f"{len(done)} resumed")

    def collect(batch: list[dict[str, Any]]) -> None:
        for res in batch:
            results[res["municipality"]] = res
            if folder is not None:
                _write_result(folder, res)
            if bar is not None:
                bar.update(1)

    try:
        if executor == "serial" or not todo:
            for code, _ in todo:
                collect(_score_chunk([(code, parts[code])], measure_items))
        else:

            def plan(slots: int) -> list[list[str]]:
                """The tasks for ``slots`` parallel workers (recorded in the manifest)."""
                if chunksize is not None:
                    chunks = _chunks(todo, int(chunksize))
                else:
                    chunks = _balanced_chunks(todo, max(1, slots) * _TASKS_PER_WORKER)
                if manifest:
                    manifest["chunks"] = chunks
                return chunks

            if executor == "processes":
                _run_processes(plan, parts.__getitem__, measure_items, n_workers, collect)
            else:
                _run_dask(plan, parts.__getitem__, measure_items, n_workers, scheduler, collect)
    finally:
        if bar is not None:
            bar.close()

    # ---- table
    names = parts._names
    records = []
    for code in parts.codes:
        if code in results:
            res = results[code]
            values, status, error = res["values"], res["status"], res["error"]
        else:
            rec = done[code]
            values, status, error = rec["values"], rec["status"], rec["error"]
        records.append(
            {
                "municipality": code,
                "name": names.get(code, ""),
                "status": status,
                "error": error,
                **values,
            }
        )
    table = pd.DataFrame.from_records(records)
    if table.empty:
        table = pd.DataFrame(columns=["municipality", *_BASE_COLUMNS])
    table = table.set_index("municipality")
    for col in ("organisations", "persons", "external", "relations"):
        if col in table.columns:
            table[col] = pd.to_numeric(table[col]).astype("Int64")

    # ---- indices across municipalities
    index_status: dict[str, Any] = {}
    if indices:
        table, index_status = _add_indices(table, indices, index_columns, folder)

    if folder is not None:
        target = folder / f"municipalities.{format}"
        other = folder / f"municipalities.{'parquet' if format == 'csv' else 'csv'}"
        if other.exists():
            other.unlink()
        if format == "csv":
            table.to_csv(target, encoding="utf-8", lineterminator="\n")
        else:
            table.to_parquet(target)
        all_seconds = {c: r.get("seconds") for c, r in done.items()}
        all_seconds.update({c: r["seconds"] for c, r in results.items()})
        manifest.update(
            {
                "finished": dt.datetime.now(dt.UTC).isoformat(),
                "status": "finished",
                "counts": {
                    "municipalities": len(parts.codes),
                    "ok": int((table["status"] == "ok").sum()) if len(table) else 0,
                    "error": int((table["status"] == "error").sum()) if len(table) else 0,
                    "resumed": len(done),
                    "computed": len(results),
                    "unplaced_organisations": len(parts.unplaced),
                },
                "seconds": {c: jsonable(s) for c, s in sorted(all_seconds.items())},
                "indices": index_status,
                "outputs": sorted(
                    str(p.relative_to(folder))
                    for p in folder.iterdir()
                    if p.is_file() and p.name != _MANIFEST
                ),
            }
        )
        _write_atomic(
            folder / _MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode()
        )
    return table


def _run_processes(
    plan: Callable[[int], list[list[str]]],
    build: Callable[[str], Ecosystem],
    measures: list[tuple[str, Measure | str]],
    n_workers: int,
    collect: Callable[[list[dict[str, Any]]], None],
) -> None:
    import concurrent.futures as cf
    import multiprocessing as mp

    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    with cf.ProcessPoolExecutor(max_workers=n_workers, mp_context=mp.get_context(method)) as pool:
        for batch in _run_pool(
            lambda chunk: pool.submit(_score_chunk, chunk, measures),
            lambda pending: cf.wait(pending, return_when=cf.FIRST_COMPLETED).done,
            lambda fut: fut.result(),
            plan(n_workers),
            build,
            window=2 * n_workers,
        ):
            collect(batch)


def _run_dask(
    plan: Callable[[int], list[list[str]]],
    build: Callable[[str], Ecosystem],
    measures: list[tuple[str, Measure | str]],
    n_workers: int,
    scheduler: Any,
    collect: Callable[[list[dict[str, Any]]], None],
) -> None:
    from ecograph._optional import require

    distributed = require("distributed", "batch scoring on Dask")
    cluster = None
    if isinstance(scheduler, distributed.Client):
        client, own = scheduler, False
    elif isinstance(scheduler, str):
        client, own = distributed.Client(scheduler), True
    elif scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=n_workers, threads_per_worker=1, dashboard_address=":0"
        )
        client, own = distributed.Client(cluster), True
    else:
        raise InputError(
            f"scheduler={scheduler!r}: expected 'tcp://HOST:PORT' or a distributed.Client"
        )
    try:
        # worker threads of the cluster (a local cluster: ``workers`` single-threaded workers)
        slots = sum(int(n) for n in client.nthreads().values()) or n_workers
        for batch in _run_pool(
            lambda chunk: client.submit(_score_chunk, chunk, measures, pure=False),
            lambda pending: set(
                distributed.wait(list(pending), return_when="FIRST_COMPLETED").done
            ),
            lambda fut: fut.result(),
            plan(slots),
            build,
            window=2 * slots,
        ):
            collect(batch)
    finally:
        if own:
            client.close()
            if cluster is not None:
                cluster.close()


def _add_indices(
    table: pd.DataFrame, methods: Sequence[str], columns: Sequence[str] | None, folder: Path | None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Run ``ecograph.ee_index`` over the ok municipalities; record (never hide) failures."""
    from ecograph.outputs import write_table

    status: dict[str, Any] = {}
    ok = table[table["status"] == "ok"]
    measure_cols = [c for c in table.columns if c not in _BASE_COLUMNS]
    dropped: dict[str, str] = {}
    if columns is None:
        spigel = [c for c in measure_cols if c.startswith("spigel.attribute.")]
        candidates = spigel or [c for c in measure_cols if pd.api.types.is_numeric_dtype(table[c])]
        columns = []
        for c in candidates:
            values = pd.to_numeric(ok[c], errors="coerce")
            if values.isna().any():
                dropped[c] = "missing in some municipality"
            elif (values < 0).any():
                dropped[c] = "negative values"
            elif (values == 0).all():
                dropped[c] = "0 in every municipality"
            else:
                columns.append(c)
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise InputError(f"index_columns {missing} are not columns of the result table")
    data = ok[list(columns)].apply(pd.to_numeric, errors="coerce").astype("float64")
    try:
        import ecograph

        ee_index = ecograph.ee_index
    except (ImportError, AttributeError) as exc:
        message = f"ecograph.ee_index is not available: {exc}"
        warnings.warn(f"indices not computed: {message}", EcographWarning, stacklevel=3)
        return table, {m: {"status": "error", "error": message} for m in methods}
    for method in methods:
        record: dict[str, Any] = {"columns": list(columns), "columns_left_out": dropped}
        status[method] = record
        try:
            if data.empty or not len(data.columns):
                raise InputError("no municipality with status ok, or no usable index column")
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = ee_index(data, method=method)
        except Exception as exc:  # the table is still written; the failure is recorded and warned
            message = f"{type(exc).__name__}: {exc}"
            record.update(status="error", error=message)
            warnings.warn(f"{method} index not computed: {message}", EcographWarning, stacklevel=3)
            continue
        record.update(status="ok", warnings=[str(w.message) for w in caught])
        if folder is not None:
            write_table(result, folder / f"ee_index_{method}.csv")
            record["file"] = f"ee_index_{method}.csv"
        if isinstance(result, pd.Series) and result.index.isin(table.index).all():
            table[f"index.{method}"] = result.reindex(table.index)
        elif isinstance(result, pd.DataFrame) and result.index.isin(table.index).all():
            for col in result.columns:
                table[f"index.{method}.{col}"] = result[col].reindex(table.index)
    return table, status
