"""Map details name municipalities, not only their codes (found in the fresh-eyes QA)."""

from __future__ import annotations

import pandas as pd

from ecograph import Ecosystem
from ecograph.viz.pyvis_map import network_map


def test_municipality_name_in_details(fx):
    actors = pd.DataFrame(
        {
            "id": ["o1", "o2", "o3"],
            "name": ["Røros Hotell", "Tolga firm", "Firm abroad"],
            "kind": ["firm", "firm", "firm"],
            "municipality": ["5025", "3426", None],
        }
    )
    relations = pd.DataFrame({"source": ["o1", "o2"], "target": ["o2", "o3"], "kind": ["supply"] * 2})
    eco = Ecosystem.from_frames(actors, relations, {"name": "Names"})
    titles = {n["label"]: n["title"] for n in fx.map_payload(network_map(eco).html)["nodes"]}
    # SSB KLASS 131 (2024): 5025 = Røros - Rossen, 3426 = Tolga
    assert "\nMunicipality: Røros - Rossen (5025)" in titles["Røros Hotell"]
    assert "\nMunicipality: Tolga (3426)" in titles["Tolga firm"]
    assert "Municipality" not in titles["Firm abroad"]
