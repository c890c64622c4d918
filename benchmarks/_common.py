"""Shared plumbing of the benchmark suite: machine description, memory probes, child runs.

Nothing here imports ecograph, igraph or networkx at module level, so ``run.py`` can describe
the machine and start children without paying for those imports itself.

Memory
------
Every (operation, implementation, size) runs in its own child process. Inside the child:

* ``rss_base`` is the resident set size (``VmRSS``) once the input is loaded and the
  implementation has been warmed up on a tiny input (imports done);
* the kernel's high-water mark is then reset (``/proc/self/clear_refs`` = 5, Linux ≥ 4.0), so
  ``VmHWM`` after the timed repeats is the peak *of the operation* (input included, because it
  stays resident): ``peak_rss``;
* ``growth = peak_rss - rss_base`` is what the operation itself added at its peak;
* ``process_peak`` is ``getrusage(RUSAGE_SELF).ru_maxrss`` (the whole child, input generation
  included) and ``children_peak`` is ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the largest
  worker process the operation started, e.g. the batch's process pool).

Where ``clear_refs`` cannot be written, ``peak_rss`` falls back to ``ru_maxrss`` and the record
says ``hwm_reset: false``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import importlib.metadata
import json
import math
import os
import platform
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "MIB",
    "PACKAGES",
    "ChildResult",
    "TreeWatcher",
    "extrapolate",
    "fmt_bytes",
    "fmt_seconds",
    "machine",
    "median",
    "reset_peak",
    "rss_now",
    "run_child",
    "scaling_exponent",
    "status_kib",
    "time_repeats",
]

MIB = 1024 * 1024

PACKAGES = ("ecograph", "igraph", "networkx", "numpy", "scipy", "pandas", "pyarrow", "pydantic",
            "matplotlib", "pyvis", "leidenalg", "dask", "distributed")
"""Packages whose versions the results record."""


# ----------------------------------------------------------------------------- machine
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _mem_total() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _cache_sizes() -> dict[str, str]:
    out: dict[str, str] = {}
    base = Path("/sys/devices/system/cpu/cpu0/cache")
    if not base.exists():
        return out
    for index in sorted(base.glob("index*")):
        try:
            level = (index / "level").read_text().strip()
            kind = (index / "type").read_text().strip()
            size = (index / "size").read_text().strip()
        except OSError:
            continue
        if kind != "Instruction":
            out[f"L{level}"] = size
    return out


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version("python-igraph" if package == "igraph" else package)
    except importlib.metadata.PackageNotFoundError:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return None


def machine() -> dict[str, Any]:
    """Description of this machine and software: CPU, cores, RAM, Python, versions, date, load."""
    try:
        load = list(os.getloadavg())
    except OSError:
        load = None
    return {
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "caches": _cache_sizes(),
        "ram_bytes": _mem_total(),
        "os": f"{platform.system()} {platform.release()}",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": {p: _version(p) for p in PACKAGES},
        "load_average_at_start": load,
    }


# ----------------------------------------------------------------------------- memory
def status_kib(field: str) -> int | None:
    """A ``/proc/self/status`` field in KiB (``VmRSS``, ``VmHWM``), or None off Linux."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_now() -> int:
    """Current resident set size in bytes (``VmRSS``; ``ru_maxrss`` where unavailable)."""
    kib = status_kib("VmRSS")
    if kib is None:
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib * 1024


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark of this process; False when not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def median(values: Sequence[float]) -> float:
    """Median of a non-empty sequence."""
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


class TreeWatcher:
    """Poll the processes this one started (children, grandchildren, ...) for their memory.

    A daemon thread reads ``/proc`` every ``interval`` seconds. ``children_peak`` is the
    largest ``VmHWM`` (the kernel's own peak, so exact once seen) of any descendant;
    ``tree_peak`` the largest sampled sum of ``VmRSS`` over this process and its
    descendants. Worker pools started through a fork server are grandchildren, which
    ``getrusage(RUSAGE_CHILDREN)`` does not see.
    """

    def __init__(self, interval: float = 0.2) -> None:
        import threading

        self.interval = interval
        self.children_peak = 0
        self.tree_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _descendants(root: int) -> list[int]:
        parent: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                parent[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
        out, frontier = [], [root]
        while frontier:
            kids = [p for p, pp in parent.items() if pp in frontier]
            out += kids
            frontier = kids
        return out

    @staticmethod
    def _kib(pid: int, field: str) -> int:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _poll(self) -> None:
        me = os.getpid()
        kids = self._descendants(me)
        total = self._kib(me, "VmRSS")
        for pid in kids:
            total += self._kib(pid, "VmRSS")
            self.children_peak = max(self.children_peak, 1024 * self._kib(pid, "VmHWM"))
        self.tree_peak = max(self.tree_peak, 1024 * total)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._poll()

    def __enter__(self) -> TreeWatcher:
        if Path("/proc").is_dir():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


# ----------------------------------------------------------------------------- timing
def time_repeats(func: Callable[[], Any], repeats: int, *, before: Callable[[], None] | None = None,
                 budget: float = math.inf) -> tuple[list[float], dict[str, Any]]:
    """Wall times of ``repeats`` calls of ``func`` and the memory of the whole series.

    ``before`` runs untimed before every call (e.g. clear a cache). Repeats stop early once
    the timed total exceeds ``budget`` seconds (at least one call always runs). The result of
    each call is dropped before the next one starts.

    Returns
    -------
    (times, memory) : list of float, dict
        Seconds per call; ``rss_base``, ``peak_rss``, ``growth`` (bytes), ``hwm_reset``.
    """
    gc.collect()
    base = rss_now()
    reset = reset_peak()
    times: list[float] = []
    for _ in range(max(repeats, 1)):
        if before is not None:
            before()
        t0 = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t0)
        del result
        gc.collect()
        if sum(times) > budget:
            break
    hwm = status_kib("VmHWM") if reset else None
    peak = hwm * 1024 if hwm is not None else (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    return times, {"rss_base": base, "peak_rss": peak, "growth": max(peak - base, 0),
                   "hwm_reset": reset}


# ----------------------------------------------------------------------------- children
ChildResult = dict[str, Any]


def run_child(args: Sequence[str], *, timeout: float, env: Mapping[str, str] | None = None,
              cwd: str | Path | None = None) -> ChildResult:
    """Run ``python <args>`` in a new session; parse the last JSON line of its stdout.

    On timeout the child's whole process group (the child and any workers it started) is
    killed and ``{"status": "timeout"}`` is returned; a failing child gives
    ``{"status": "error", "error": <last stderr lines>}``.
    """
    full_env = dict(os.environ)
    full_env.update(env or {})
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=full_env, cwd=cwd,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"status": "timeout", "error": f"killed after {timeout:.0f} s",
                "wall": time.perf_counter() - t0}
    lines = [line for line in out.strip().splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = " | ".join(err.strip().splitlines()[-4:])
        return {"status": "error", "error": f"exit {proc.returncode}: {tail}"[:600],
                "wall": time.perf_counter() - t0}
    record: ChildResult = json.loads(lines[-1])
    record.setdefault("status", "ok")
    record["wall"] = time.perf_counter() - t0
    return record


# ----------------------------------------------------------------------------- scaling
def scaling_exponent(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(time) on log(size) over ``(size, seconds)`` points."""
    pts = [(math.log(s), math.log(t)) for s, t in points if s > 0 and t > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    if sxx == 0:
        return None
    return sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx


def extrapolate(points: Sequence[tuple[float, float]], size: float,
                default_exponent: float) -> tuple[float, float] | None:
    """Predicted seconds at ``size`` from measured ``(size, seconds)`` points.

    The exponent is fitted on the two largest measured sizes (the small sizes are dominated
    by fixed costs) and never taken below ``default_exponent / 2`` nor, with a single
    point, different from ``default_exponent``.

    Returns
    -------
    (seconds, exponent) or None
        None without a measured point.
    """
    pts = sorted((s, t) for s, t in points if t > 0)
    if not pts:
        return None
    fitted = scaling_exponent(pts[-2:])
    exponent = default_exponent if fitted is None else max(fitted, default_exponent / 2)
    s0, t0 = pts[-1]
    return t0 * (size / s0) ** exponent, exponent


# ----------------------------------------------------------------------------- format
def fmt_seconds(value: float | None) -> str:
    """``0.42 ms``, ``12.3 ms``, ``1.23 s``, ``123 s``."""
    if value is None or not math.isfinite(value):
        return "–"
    if value < 1e-3:
        return f"{value * 1e6:.0f} µs"
    if value < 1.0:
        return f"{value * 1e3:.3g} ms"
    if value < 100:
        return f"{value:.3g} s"
    return f"{value:.0f} s"


def fmt_bytes(value: float | None) -> str:
    """``123 MiB`` / ``1.23 GiB``."""
    if value is None or not math.isfinite(value):
        return "–"
    if value >= 1024 * MIB:
        return f"{value / (1024 * MIB):.2f} GiB"
    return f"{value / MIB:.0f} MiB"
