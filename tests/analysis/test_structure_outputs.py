"""The thin-and-dense files of ``ecograph analyze`` for the bundled Røros case."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import ecograph
from ecograph.cli import main
from ecograph.datasets import dataset_path
from ecograph.outputs import OUTPUTS, analyze

MINE = {
    "profile.json": None,
    "node_metrics.csv": ["actor_id", "kind", "degree", "strength", "neighbours", "component",
                         "component_size", "betweenness_raw", "betweenness_norm", "closeness",
                         "harmonic", "eigenvector", "pagerank", "clustering", "kcore",
                         "articulation_point"],
    "interlocks.csv": ["org_a", "org_b", "shared_persons", "persons", "weight"],
    "role_concentration.csv": ["actor_id", "n_roles", "n_organisations", "n_sectors", "n_kinds",
                               "big_linker"],
    "brokerage.csv": ["actor_id", "group", "contacts", "constraint", "effective_size",
                      "efficiency", "hierarchy", "gf_coordinator", "gf_itinerant",
                      "gf_representative", "gf_gatekeeper", "gf_liaison", "gf_total"],
    "key_persons.csv": ["person_id", "rank", "pairs_disconnected", "largest_component",
                        "fragmentation", "interlocks_lost", "orgs_without_chair",
                        "orgs_without_ceo", "orgs_cut_from_knowledge", "orgs_cut_from_external"],
    "reachability.csv": ["actor_id", "knowledge_institution_length",
                         "knowledge_institution_target", "knowledge_institution_path",
                         "public_body_length", "support_organisation_length", "external_length"],
}


def test_every_output_is_registered():
    registered = {o.filename for o in OUTPUTS}
    assert set(MINE) <= registered


def test_analyze_writes_the_thin_and_dense_files(tmp_path):
    eco = ecograph.load_roros()
    status = analyze(eco, tmp_path, only=list(MINE))
    assert (status["status"] == "ok").all(), status.to_dict("records")
    for name, columns in MINE.items():
        path = tmp_path / name
        assert path.exists(), name
        if columns is None:
            data = json.loads(path.read_text(encoding="utf-8"))
            assert data["actors"] == 62 and "z.interlock_density" in data
            continue
        frame = pd.read_csv(path)
        assert set(columns) <= set(frame.columns), (name, set(columns) - set(frame.columns))
    interlocks = pd.read_csv(tmp_path / "interlocks.csv")
    # list cells are written ';'-joined
    assert "informant_1;informant_2" in interlocks["persons"].tolist()
    key = pd.read_csv(tmp_path / "key_persons.csv")
    assert list(key.columns[:2]) == ["person_id", "rank"] and key["rank"].iloc[0] == 1


@pytest.mark.parametrize("name", ["interlocks.csv", "key_persons.csv"])
def test_cli_analyze_only(tmp_path, name, capsys):
    main(["analyze", str(dataset_path("roros")), "--out", str(tmp_path), "--only", name])
    assert (tmp_path / name).exists()
    assert "wrote 1 files" in capsys.readouterr().out
