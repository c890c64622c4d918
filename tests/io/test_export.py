"""GraphML and GEXF exports read back by networkx with their attributes."""

from __future__ import annotations

from collections import Counter

import networkx as nx
import pandas as pd
import pytest

import ecograph
from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import InputError


@pytest.fixture(scope="module")
def roros() -> Ecosystem:
    return ecograph.load_roros()


def edge_multiset(G: nx.Graph) -> Counter:
    return Counter((u, v, d["kind"]) for u, v, d in G.edges(data=True))


def expected_edges(eco: Ecosystem) -> Counter:
    return Counter(zip(eco.relations["source"], eco.relations["target"], eco.relations["kind"],
                       strict=True))


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_is_readable_with_attributes(roros, tmp_path, fmt, reader):
    path = ecograph.export_graph(roros, tmp_path / f"roros.{fmt}")
    G = reader(path)
    assert G.is_directed() and G.is_multigraph()
    assert set(G.nodes) == set(roros.actors.index)
    assert edge_multiset(G) == expected_edges(roros)
    st = G.nodes["stensaas"]
    assert st["label"] == "Stensaas Reinsdyrslakteri AS"
    assert st["kind"] == "firm"
    assert st["org_number"] == "954463028"        # stays text: leading zeros would survive
    assert st["municipality"] == "5025"
    assert int(st["employees"]) == 20
    assert float(st["revenue_nok"]) == 70_000_000
    assert int(st["founded"]) == 1989
    assert "employees" not in G.nodes["informant_1"]   # missing values are left out
    assert G.nodes["innovasjon_norge"]["external"] in (True, "true")
    # extra columns are exported too
    assert G.nodes["informant_3_firm"]["may_be"] == (
        "bergstadens_hotell|vauldalen_fjellhotell|roros_hotell")
    funding = [d for _, _, d in G.edges(data=True) if d["kind"] == "funding"]
    assert len(funding) == 1
    assert funding[0]["since"] == "2019-01-01"       # dates as ISO strings
    assert funding[0]["relation_id"] == "fun01"
    assert funding[0]["date_precision"] == "year"
    coop = {d["relation_id"]: d for _, _, d in G.edges(data=True) if d["kind"] == "coopetition"}
    assert float(coop["cop01"]["competitor_intensity"]) == 0.4
    assert float(coop["cop01"]["partner_intensity"]) == 0.8


def test_norwegian_text_survives_graphml(tmp_path):
    eco = Ecosystem.from_frames(
        pd.DataFrame({"id": ["ø", "å"], "name": ['Ærlige "Øl" & <Brød>', "Å"],
                      "kind": ["firm", "firm"]}),
        pd.DataFrame({"source": ["ø"], "target": ["å"], "kind": ["supply"],
                      "evidence": ["§4.4; «test»"]}))
    G = nx.read_graphml(ecograph.export_graph(eco, tmp_path / "x.graphml"))
    assert G.nodes["ø"]["label"] == 'Ærlige "Øl" & <Brød>'
    (data,) = [d for _, _, d in G.edges(data=True)]
    assert data["evidence"] == "§4.4; «test»"


def test_explicit_format_and_unknown_format(roros, tmp_path):
    path = ecograph.export_graph(roros, tmp_path / "roros.xml", format="graphml")
    assert nx.read_graphml(path).number_of_nodes() == len(roros.actors)
    with pytest.raises(InputError, match="unknown export format 'dot'"):
        ecograph.export_graph(roros, tmp_path / "roros.dot")
