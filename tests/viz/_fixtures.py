"""Ecosystems and helpers shared by the map, plot and report tests (loaded by path)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import numpy as np
import pandas as pd

from ecograph import Ecosystem

HOSTILE = (
    "</script><script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    "\"'><svg onload=window.__pwned=1>",
    '<a href="javascript:window.__pwned=1">click</a>',
    "javascript:window.__pwned=1",
    "{{ 7*7 }} ${7*7} `tick` &amp; &lt;",
    "Ærø ünïcødé \u2028 line\u2029sep",
)
"""Strings that would execute or break out if they reached the page unescaped."""

DANGEROUS = (
    "</script><script>window.__pwned",
    "<script>window.__pwned",
    "<img src=x onerror=",
    "<svg onload=",
    'href="javascript:',
    "href='javascript:",
)
"""Substrings that must never occur in an output file."""


def toy() -> Ecosystem:
    """Six actors, parallel relations between p1 and o1, a co-opetition pair, an ownership share."""
    actors = pd.DataFrame(
        {
            "id": ["p1", "p2", "o1", "o2", "o3", "n1"],
            "name": [
                "Informant 1",
                "Informant 2",
                "Røros Hotell",
                "Bergstadens Hotell",
                "Rørosmat SA",
                "Best Lokalt",
            ],
            "kind": ["person", "person", "firm", "firm", "cooperative", "business_network"],
            "municipality": [None, None, "5025", "5025", "5025", "5025"],
            "employees": [None, None, 40, 12, None, None],
        }
    )
    relations = pd.DataFrame(
        {
            "source": ["p1", "p1", "p1", "p2", "o1", "o3", "o1", "p2"],
            "target": ["o1", "o1", "o3", "o2", "o2", "n1", "n1", "o3"],
            "kind": [
                "board_seat",
                "management",
                "board_seat",
                "board_seat",
                "coopetition",
                "membership",
                "membership",
                "ownership",
            ],
            "role": ["chair", "ceo", "member", "member", None, None, None, None],
            "competitor_intensity": [None, None, None, None, 0.9, None, None, None],
            "partner_intensity": [None, None, None, None, 0.2, None, None, None],
            "share": [None, None, None, None, None, None, None, 0.5],
            "evidence": ["Tabell 4"] * 8,
            "provenance": ["stated"] * 8,
        }
    )
    return Ecosystem.from_frames(
        actors, relations, {"name": "Toy Røros", "region": "Fjellregionen", "year": 2019}
    )


def hostile() -> Ecosystem:
    """Hostile strings in names, evidence, roles, region, description, sources and the name."""
    n = len(HOSTILE)
    ids = [f"h{i}" for i in range(n)]
    actors = pd.DataFrame(
        {
            "id": [*ids, "p1"],
            "name": [*HOSTILE, HOSTILE[0] + " person"],
            "kind": ["firm"] * n + ["person"],
            "municipality": ["5025"] * n + [None],
            "legal_form": [HOSTILE[1]] + [None] * n,
            "evidence": [HOSTILE[i % n] for i in range(n + 1)],
            "provenance": ["stated"] * (n + 1),
        }
    )
    rel_src = ["p1"] * n + ids[:-1]
    rel_dst = ids + ids[1:]
    relations = pd.DataFrame(
        {
            "source": rel_src,
            "target": rel_dst,
            "kind": ["board_seat"] * n + ["supply"] * (n - 1),
            "role": ["member"] * n + [HOSTILE[i % n] for i in range(n - 1)],
            "evidence": [HOSTILE[(i + 2) % n] for i in range(2 * n - 1)],
            "provenance": ["stated"] * (2 * n - 1),
        }
    )
    meta = {
        "name": HOSTILE[0] + " " + HOSTILE[1],
        "region": HOSTILE[2],
        "description": HOSTILE[3],
        "licence": HOSTILE[4],
        "sources": [
            {
                "id": "x",
                "title": HOSTILE[1],
                "author": HOSTILE[0],
                "url": "javascript:window.__pwned=1",
                "note": HOSTILE[3],
            }
        ],
    }
    return Ecosystem.from_frames(actors, relations, meta, warn=False)


def grid_ecosystem(n_orgs: int, persons_per_org: int = 1, seed: int = 0) -> Ecosystem:
    """``n_orgs`` firms in a ring of supply ties, each with its own board members."""
    rng = np.random.default_rng(seed)
    orgs = [f"o{i}" for i in range(n_orgs)]
    persons = [f"p{i}" for i in range(n_orgs * persons_per_org)]
    actors = pd.DataFrame(
        {
            "id": orgs + persons,
            "name": [f"Firm {i}" for i in range(n_orgs)]
            + [f"Person {i}" for i in range(len(persons))],
            "kind": ["firm"] * n_orgs + ["person"] * len(persons),
            "employees": list(rng.integers(0, 50, n_orgs)) + [None] * len(persons),
        }
    )
    src = persons + orgs
    dst = [orgs[i // persons_per_org] for i in range(len(persons))] + orgs[1:] + orgs[:1]
    kinds = ["board_seat"] * len(persons) + ["supply"] * n_orgs
    relations = pd.DataFrame(
        {
            "source": src,
            "target": dst,
            "kind": kinds,
            "role": ["member"] * len(persons) + [None] * n_orgs,
        }
    )
    return Ecosystem.from_frames(actors, relations, {"name": f"grid {n_orgs}"}, warn=False)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: dict[str, str] = {}
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if tag == "script" and d.get("type") == "application/json":
            self._current = d.get("id") or ""

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self.data[self._current] = self.data.get(self._current, "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._current = None


def parse(html: str) -> _Collector:
    """Parse a page with the standard library's HTML parser."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def _no_constants(name: str) -> Any:
    raise ValueError(f"non-finite JSON constant {name}")


def map_payload(html: str) -> dict[str, Any]:
    """The JSON data blob of a map page, parsed strictly (NaN / Infinity rejected)."""
    blob = parse(html).data["eg-data"]
    return json.loads(blob, parse_constant=_no_constants)  # type: ignore[no-any-return]


def srcdoc(html: str) -> str:
    """The (unescaped) srcdoc of the first iframe of a page."""
    for tag, attrs in parse(html).tags:
        if tag == "iframe" and attrs.get("srcdoc") is not None:
            return attrs["srcdoc"] or ""
    raise AssertionError("no iframe with srcdoc in the page")


EXTERNAL_URL = re.compile(r"""(src|href)\s*=\s*["']?\s*https?://""", re.IGNORECASE)
