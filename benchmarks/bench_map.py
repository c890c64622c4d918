"""Benchmark: the interactive map of a 5,000-actor ecosystem.

:func:`time_network_map` times :func:`ecograph.network_map` on a generated region (by default
``synthetic_region(2000)``: 2,000 organisations and 3,000 persons = 5,000 actors), split into the
igraph layout and everything else (records, pyvis, template), and reports the file size. With
``browser=True`` it also opens the file in headless Chromium (Debian's ``/usr/bin/chromium``,
driven by Playwright; skipped when either is missing) and times until vis-network has drawn
every node. Run::

    python benchmarks/bench_map.py                          # 5,000 actors, 3 repeats
    python benchmarks/bench_map.py --orgs 400 2000 --repeats 1 --browser

Each size runs in a fresh child process so that peak memory (``ru_maxrss``) is per size.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

__all__ = ["time_network_map"]

_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _browser_seconds(path: pathlib.Path) -> float | None:
    """Seconds from navigation to the first complete drawing, or None without a browser."""
    chromium = pathlib.Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not chromium.exists():
        return None
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t0 = time.perf_counter()
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.ecographMap && window.ecographMap.ready", timeout=120_000)
        seconds = time.perf_counter() - t0
        drawn = page.evaluate("window.ecographMap.network.body.nodeIndices.length")
        browser.close()
    if drawn != page_nodes(path):
        raise RuntimeError(f"the browser drew {drawn} nodes, the file has {page_nodes(path)}")
    return seconds


def page_nodes(path: pathlib.Path) -> int:
    """Number of nodes in a map file (its JSON data block)."""
    text = path.read_text(encoding="utf-8")
    blob = text.split('id="eg-data">', 1)[1].split("</script>", 1)[0]
    return len(json.loads(blob)["nodes"])


def time_network_map(eco: Any = None, *, n_orgs: int = 2000, repeats: int = 3, seed: int = 0,
                     browser: bool = False) -> dict[str, Any]:
    """Median wall time of ``network_map(eco, path)`` and of its layout step.

    Parameters
    ----------
    eco : Ecosystem, optional
        Default: ``ecograph.synthetic_region(n_orgs, seed=seed)``.
    n_orgs : int, default 2000
        Organisations of the generated region (2.5 actors per organisation).
    repeats : int, default 3
    seed : int, default 0
    browser : bool, default False
        Also time the first drawing in headless Chromium (once).

    Returns
    -------
    dict
        ``actors``, ``relations``, ``map_s`` (median seconds of the whole call, writing the file
        included), ``layout_s`` (median seconds of the igraph layout alone), ``other_s``
        (``map_s - layout_s``), ``layout`` (the method used), ``physics`` (whether the page
        starts with physics), ``file_mb`` and ``browser_s`` (None unless ``browser``).
    """
    from ecograph.synthetic import synthetic_region
    from ecograph.viz import pyvis_map

    if eco is None:
        eco = synthetic_region(n_orgs, seed=seed)
    n = len(eco.actors)
    out: dict[str, Any] = {"actors": n, "relations": len(eco.relations)}
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "map.html"
        pyvis_map.network_map(eco, path, seed=seed)  # warm-up: imports, igraph graph cache
        totals, layouts = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            pyvis_map._positions(eco, None, "auto", seed)
            layouts.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            pyvis_map.network_map(eco, path, seed=seed)
            totals.append(time.perf_counter() - t0)
        out["map_s"] = statistics.median(totals)
        out["layout_s"] = statistics.median(layouts)
        out["other_s"] = out["map_s"] - out["layout_s"]
        out["layout"] = pyvis_map._layout_method("auto", n)
        out["physics"] = n <= pyvis_map.PHYSICS_THRESHOLD
        out["file_mb"] = path.stat().st_size / 1e6
        out["browser_s"] = _browser_seconds(path) if browser else None
    return out


def _child(n_orgs: int, repeats: int, browser: bool) -> dict[str, Any]:
    result = time_network_map(n_orgs=n_orgs, repeats=repeats, browser=browser)
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main(argv: list[str] | None = None) -> None:
    """Run each size in a child process and print one JSON line per size."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orgs", type=int, nargs="+", default=[2000],
                        help="organisations per generated region (2.5 actors each)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--browser", action="store_true", help="also time the drawing in Chromium")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(args.orgs[0], args.repeats, args.browser)))
        return
    for n_orgs in args.orgs:
        cmd = [sys.executable, __file__, "--child", "--orgs", str(n_orgs),
               "--repeats", str(args.repeats)]
        if args.browser:
            cmd.append("--browser")
        done = subprocess.run(cmd, capture_output=True, text=True, check=True)
        print(done.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
