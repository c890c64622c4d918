"""Benchmark: streaming import of a generated ``roller/totalbestand`` file.

:func:`write_totalbestand` writes a gzipped bulk roles file in the published shape (a JSON
array of ``{"organisasjonsnummer", "rollegrupper", "_links"}``, minified, invented persons,
fictitious organisation numbers) together with the matching bulk ``enheter`` file;
:func:`time_import` runs :func:`ecograph.import_brreg` on them in a fresh child process and
reports the wall time and the peak resident memory (``ru_maxrss``) of that process. The
target (issue 7) is 1,000,000 roles in under 2 GiB. Run::

    python benchmarks/bench_registry.py                     # 100,000 roles (quick check)
    python benchmarks/bench_registry.py --roles 1000000     # the target size

The reader streams the array element by element (``json.JSONDecoder.raw_decode`` on a
sliding 1 Mi-character buffer), so the memory that grows with the file is the imported
ecosystem itself, not the file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pathlib
import resource
import subprocess
import sys
import tempfile
import time
from typing import Any

import numpy as np

__all__ = ["time_import", "write_report", "write_totalbestand"]

_CODES = (
    ("LEDE", "Styrets leder"),
    ("MEDL", "Styremedlem"),
    ("MEDL", "Styremedlem"),
    ("VARA", "Varamedlem"),
    ("DAGL", "Daglig leder"),
)


def write_totalbestand(
    folder: pathlib.Path,
    n_roles: int,
    *,
    seed: int = 0,
    roles_per_unit: float = 3.0,
    persons_per_role: float = 0.6,
) -> dict[str, Any]:
    """Write ``enheter.json.gz`` and ``roller.json.gz`` with about ``n_roles`` roles.

    Parameters
    ----------
    folder : Path
    n_roles : int
        Number of roles (person role holders) to write.
    seed : int
    roles_per_unit : float
        Mean roles per unit (1 + Poisson).
    persons_per_role : float
        Distinct persons per role: persons are drawn with replacement from a pool of
        ``persons_per_role * n_roles`` invented persons, so many hold several roles and
        the identity index has to merge them.

    Returns
    -------
    dict
        ``units``, ``roles``, ``persons_pool``, ``enheter_bytes``, ``roller_bytes``
        (compressed) and ``roller_uncompressed_bytes``.
    """
    rng = np.random.default_rng(seed)
    sizes = 1 + rng.poisson(roles_per_unit - 1, size=int(n_roles / roles_per_unit * 1.2) + 10)
    cum = np.cumsum(sizes)
    n_units = int(np.searchsorted(cum, n_roles) + 1)
    sizes = sizes[:n_units]
    sizes[-1] -= int(cum[n_units - 1] - n_roles)
    pool = max(1, int(persons_per_role * n_roles))
    person = rng.integers(0, pool, size=n_roles)
    born = 1940 + person % 60
    codes = rng.integers(0, len(_CODES), size=n_roles)
    orgnr = 800_000_000 + np.arange(n_units)
    folder.mkdir(parents=True, exist_ok=True)
    raw = 0
    with gzip.open(folder / "roller.json.gz", "wt", encoding="utf-8", compresslevel=1) as fh:
        fh.write("[")
        k = 0
        for u in range(n_units):
            roles = []
            for r in range(int(sizes[u])):
                code, label = _CODES[int(codes[k])]
                p = int(person[k])
                roles.append(
                    {
                        "type": {"kode": code, "beskrivelse": label},
                        "person": {
                            "fodselsdato": f"{born[k]}-0{1 + p % 9}-1{p % 10}",
                            "navn": {"fornavn": f"Fornavn{p}", "etternavn": f"Etternavn{p % 997}"},
                            "erDoed": False,
                        },
                        "avregistrert": bool(k % 50 == 0),
                        "rekkefolge": r,
                    }
                )
                k += 1
            element = {
                "organisasjonsnummer": str(orgnr[u]),
                "rollegrupper": [
                    {
                        "type": {"kode": "STYR", "beskrivelse": "Styre"},
                        "sistEndret": "2024-01-01",
                        "roller": roles,
                    }
                ],
                "_links": {
                    "enhet": {
                        "href": f"https://data.brreg.no/enhetsregisteret/api/enheter/{orgnr[u]}"
                    }
                },
            }
            text = ("," if u else "") + json.dumps(
                element, ensure_ascii=False, separators=(",", ":")
            )
            raw += len(text.encode("utf-8"))
            fh.write(text)
        fh.write("]")
    kommuner = np.array(["5025", "5026", "3430", "0301", "4601", "5001"])
    with gzip.open(folder / "enheter.json.gz", "wt", encoding="utf-8", compresslevel=1) as fh:
        fh.write("[")
        for u in range(n_units):
            unit = {
                "organisasjonsnummer": str(orgnr[u]),
                "navn": f"TESTFIRMA {u} AS",
                "organisasjonsform": {"kode": "AS", "beskrivelse": "Aksjeselskap"},
                "naeringskode1": {"kode": "10.130", "beskrivelse": "Produksjon av kjøttvarer"},
                "forretningsadresse": {"kommunenummer": str(kommuner[u % len(kommuner)])},
                "harRegistrertAntallAnsatte": bool(u % 3),
                "antallAnsatte": int(u % 40),
            }
            fh.write(
                ("," if u else "") + json.dumps(unit, ensure_ascii=False, separators=(",", ":"))
            )
        fh.write("]")
    return {
        "units": n_units,
        "roles": int(sizes.sum()),
        "persons_pool": pool,
        "enheter_bytes": (folder / "enheter.json.gz").stat().st_size,
        "roller_bytes": (folder / "roller.json.gz").stat().st_size,
        "roller_uncompressed_bytes": raw + 2,
    }


def _child(folder: str) -> None:
    import ecograph

    path = pathlib.Path(folder)
    t0 = time.perf_counter()
    result = ecograph.import_brreg(path / "enheter.json.gz", path / "roller.json.gz", salt="bench")
    seconds = time.perf_counter() - t0
    eco = result.ecosystem
    print(
        json.dumps(
            {
                "seconds": seconds,
                "actors": len(eco.actors),
                "persons": len(eco.persons),
                "relations": len(eco.relations),
                "skipped": result.report.n_skipped,
                "filtered": sum(result.report.filtered.values()),
                "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def time_import(folder: pathlib.Path) -> dict[str, Any]:
    """Import the files of :func:`write_totalbestand` in a child process; time and peak memory.

    Returns
    -------
    dict
        ``seconds`` (the ``import_brreg`` call), ``peak_rss_mib`` (whole child process,
        including the interpreter and libraries), ``actors``, ``persons``, ``relations``,
        ``skipped``, ``filtered``.
    """
    code = (
        f"import sys; sys.path.insert(0, {str(pathlib.Path(__file__).parent)!r}); "
        f"import bench_registry as b; b._child({str(folder)!r})"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Command-line entry: generate, import, print one JSON record."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--roles", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--keep", type=pathlib.Path, default=None, help="folder to keep the files in"
    )
    parser.add_argument(
        "--out",
        type=pathlib.Path,
        default=None,
        help="folder for registry_import.json and registry_import.md (with the machine)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or pathlib.Path(tmp)
        t0 = time.perf_counter()
        files = write_totalbestand(folder, args.roles, seed=args.seed)
        files["write_seconds"] = time.perf_counter() - t0
        record = {"benchmark": "registry_streaming_import", **files, **time_import(folder)}
    record["target_peak_rss_mib"] = 2048
    record["within_target"] = record["peak_rss_mib"] < 2048
    if args.out is not None:
        sys.path.insert(0, str(pathlib.Path(__file__).parent))
        from _common import machine

        record["machine"] = machine()
        record["command"] = "python benchmarks/bench_registry.py " + " ".join(
            sys.argv[1:] if argv is None else argv
        )
        write_report(record, args.out)
    print(json.dumps(record, indent=2))
    return record


def write_report(record: dict[str, Any], out: pathlib.Path) -> None:
    """Write ``registry_import.json`` and a short ``registry_import.md`` to ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "registry_import.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    mach = record.get("machine", {})
    verdict = "reached" if record["within_target"] else "**not reached**"
    lines = [
        f"# Streaming import of a {record['roles']:,}-role `totalbestand` file",
        "",
        f"* Command: `{record.get('command', '')}`",
        f"* Date: {mach.get('date')}; {mach.get('cpu')}, {mach.get('cores')} cores; {mach.get('python')}",
        "* Load average (1, 5, 15 min) at start: "
        f"{[round(x, 2) for x in mach.get('load_average_at_start') or []]}",
        "",
        "| roles | roller.json.gz | uncompressed | import s | peak RSS (whole process) | actors | "
        "persons | relations | skipped | filtered | target < 2 GiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {record['roles']:,} | {record['roller_bytes'] / 2**20:,.0f} MiB "
        f"| {record['roller_uncompressed_bytes'] / 2**20:,.0f} MiB | {record['seconds']:,.1f} "
        f"| {record['peak_rss_mib']:,.0f} MiB | {record['actors']:,} | {record['persons']:,} "
        f"| {record['relations']:,} | {record['skipped']:,} | {record['filtered']:,} | {verdict} |",
        "",
        "`import_brreg` on the generated bulk `enheter` and `roller` files in a fresh child "
        "process; the peak is that process's `ru_maxrss` (interpreter and libraries included). "
        "*skipped*: bad records reported by the import; *filtered*: resigned roles left out "
        "by the default options (the generator marks 2 % of the roles resigned).",
    ]
    (out / "registry_import.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
