"""The import report: what was imported, what was left out, and why."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["ImportReport"]


class ImportReport:
    """Counts of imported records and every skipped record with its location.

    Attributes
    ----------
    imported : Counter
        Imported records by category (``units``, ``sub_units``, ``persons``,
        ``relations.board_seat``, ...).
    filtered : Counter
        Records left out on purpose (resigned roles when dropped, ignored
        role codes, units outside the requested municipalities, ...), by
        reason. Each is counted; none is an error.
    notes : list of dict
        Records that were imported with a caveat (an unparseable partner
        share kept empty, an invalid municipality code, ...), each with
        ``file``, ``location``, ``note`` and ``value``.

    Examples
    --------
    >>> rep = ImportReport()
    >>> rep.skip("roller.json", "element 3", "unknown role code", "XYZ")
    >>> rep.imported["units"] += 2
    >>> rep.skipped_frame()[["location", "reason", "value"]].values.tolist()
    [['element 3', 'unknown role code', 'XYZ']]
    >>> rep.to_dict()["imported"]
    {'units': 2}
    """

    def __init__(self) -> None:
        self.imported: Counter[str] = Counter()
        self.filtered: Counter[str] = Counter()
        self.notes: list[dict[str, Any]] = []
        self._skipped: list[tuple[str, str, str, str | None]] = []
        self.files: dict[str, str] = {}

    def skip(self, file: str, location: str, reason: str, value: object = None) -> None:
        """Record a skipped (bad) record."""
        self._skipped.append((file, location, reason, None if value is None else str(value)[:200]))

    def note(self, file: str, location: str, note: str, value: object = None) -> None:
        """Record a record imported with a caveat."""
        self.notes.append(
            {
                "file": file,
                "location": location,
                "note": note,
                "value": None if value is None else str(value)[:200],
            }
        )

    @property
    def n_skipped(self) -> int:
        """Number of skipped records."""
        return len(self._skipped)

    def skipped_frame(self) -> pd.DataFrame:
        """Every skipped record: ``file``, ``location``, ``reason``, ``value``.

        Returns
        -------
        DataFrame
        """
        return pd.DataFrame(self._skipped, columns=["file", "location", "reason", "value"])

    def skipped_by_reason(self) -> dict[str, int]:
        """Number of skipped records per reason."""
        return dict(Counter(reason for _, _, reason, _ in self._skipped))

    def to_dict(self) -> dict[str, Any]:
        """The whole report as JSON-ready data."""
        return {
            "files": dict(self.files),
            "imported": dict(sorted(self.imported.items())),
            "filtered": dict(sorted(self.filtered.items())),
            "skipped_total": self.n_skipped,
            "skipped_by_reason": self.skipped_by_reason(),
            "skipped": [
                {"file": f, "location": loc, "reason": r, "value": v}
                for f, loc, r, v in self._skipped
            ],
            "notes": list(self.notes),
        }

    def write_json(self, path: str | Path) -> Path:
        """Write :meth:`to_dict` as UTF-8 JSON; returns the path."""
        p = Path(path)
        p.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
        return p

    def summary(self) -> str:
        """A few lines for people: imported, filtered and skipped counts."""
        lines = [
            "imported: "
            + (", ".join(f"{k} {v}" for k, v in sorted(self.imported.items())) or "nothing")
        ]
        if self.filtered:
            lines.append(
                "left out on purpose: "
                + ", ".join(f"{k} {v}" for k, v in sorted(self.filtered.items()))
            )
        by_reason = self.skipped_by_reason()
        lines.append(
            f"skipped (bad records): {self.n_skipped}"
            + (
                " (" + ", ".join(f"{k}: {v}" for k, v in sorted(by_reason.items())) + ")"
                if by_reason
                else ""
            )
        )
        if self.notes:
            lines.append(f"imported with a caveat: {len(self.notes)}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<ImportReport: {sum(self.imported.values())} imported, "
            f"{sum(self.filtered.values())} left out on purpose, {self.n_skipped} skipped>"
        )
