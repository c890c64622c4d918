"""score_municipalities: executors agree, results are resumable, failures are recorded."""

from __future__ import annotations

import json
import os
import pathlib

import pandas as pd
import pytest
from click.testing import CliRunner

import ecograph
from ecograph.batch.measures import basic_structure, flatten
from ecograph.batch.run import score_municipalities
from ecograph.cli import cli
from ecograph.core.ecosystem import Ecosystem
from ecograph.exceptions import EcographWarning, InputError
from ecograph.synthetic import synthetic_region

BASIC = {"basic": basic_structure}


@pytest.fixture(scope="module")
def eco() -> Ecosystem:
    return synthetic_region(1_200, municipalities=8, seed=21)


def _run(eco: Ecosystem, out: pathlib.Path | None, **kw: object) -> pd.DataFrame:
    kw.setdefault("measures", BASIC)
    kw.setdefault("indices", None)
    kw.setdefault("progress", False)
    return score_municipalities(eco, out, **kw)  # type: ignore[arg-type]


def test_public_name_is_registered() -> None:
    assert ecograph.score_municipalities is score_municipalities


def test_serial_table_by_hand(eco: Ecosystem) -> None:
    table = _run(eco, None)
    assert table.index.tolist() == sorted(eco.meta.municipalities)
    assert (table["status"] == "ok").all()
    # counts come from the partition; the basic measure counts from the sub-ecosystem itself
    a = eco.actors
    located = a[a["kind"] != "person"].groupby("municipality").size()
    assert table["organisations"].astype(int).to_dict() == located.to_dict()
    assert (table["basic.organisations"] == table["organisations"] + table["external"]).all()
    assert table.loc["5025", "name"] == "Røros - Rossen"
    assert "seconds" not in table.columns


def test_executors_give_identical_results(eco: Ecosystem, tmp_path: pathlib.Path) -> None:
    distributed = pytest.importorskip("distributed")
    serial = _run(eco, tmp_path / "serial")
    procs = _run(eco, tmp_path / "procs", executor="processes", workers=2, chunksize=3)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        dask = _run(eco, tmp_path / "dask", executor="dask", scheduler=client)
    pd.testing.assert_frame_equal(serial, procs)
    pd.testing.assert_frame_equal(serial, dask)
    text = (tmp_path / "serial" / "municipalities.csv").read_bytes()
    assert text == (tmp_path / "procs" / "municipalities.csv").read_bytes()
    assert text == (tmp_path / "dask" / "municipalities.csv").read_bytes()
    for code in serial.index:
        a = pd.read_parquet(tmp_path / "serial" / "municipalities" / code / "basic.parquet")
        b = pd.read_parquet(tmp_path / "dask" / "municipalities" / code / "basic.parquet")
        pd.testing.assert_frame_equal(a, b)


def test_outputs_and_manifest(eco: Ecosystem, tmp_path: pathlib.Path) -> None:
    table = _run(eco, tmp_path, format="parquet")
    assert (tmp_path / "municipalities.parquet").exists()
    back = pd.read_parquet(tmp_path / "municipalities.parquet")
    pd.testing.assert_frame_equal(back, table, check_dtype=False)
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "finished"
    assert manifest["input"]["kind"] == "ecosystem" and len(manifest["input"]["sha256"]) == 64
    assert manifest["parameters"]["measures"] == {
        "basic": "ecograph.batch.measures:basic_structure"
    }
    assert manifest["counts"]["ok"] == len(table) and manifest["counts"]["computed"] == len(table)
    assert set(manifest["seconds"]) == set(table.index)
    assert {"pandas", "numpy", "igraph"} <= set(manifest["versions"])
    detail = pd.read_parquet(tmp_path / "municipalities" / "5025" / "basic.parquet")
    assert detail.set_index("key").loc["persons", "value"] == table.loc["5025", "basic.persons"]


def _fail_in(codes: set[str]):
    def measure(eco: Ecosystem) -> pd.Series:
        if eco.meta.municipalities[0] in codes:
            raise RuntimeError("boom")
        return pd.Series({"n": float(len(eco.actors))})

    return measure


def test_failing_municipality_is_recorded_and_resumed(
    eco: Ecosystem, tmp_path: pathlib.Path
) -> None:
    failing: set[str] = {"5026"}
    measure = _fail_in(failing)
    first = _run(eco, tmp_path, measures={"m": measure, "basic": basic_structure})
    assert first.loc["5026", "status"] == "error"
    assert "m: RuntimeError: boom" in first.loc["5026", "error"]
    # the other measure of the failing municipality is kept; the others are ok
    assert pd.notna(first.loc["5026", "basic.persons"])
    assert (first.drop(index="5026")["status"] == "ok").all()
    record = json.loads((tmp_path / "municipalities" / "5026" / "result.json").read_text("utf-8"))
    assert record["status"] == "error"

    stamps = {
        c: (tmp_path / "municipalities" / c / "result.json").stat().st_mtime_ns for c in first.index
    }
    failing.clear()  # fixed: the rerun retries only 5026
    second = _run(eco, tmp_path, measures={"m": measure, "basic": basic_structure})
    assert (second["status"] == "ok").all()
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["resumed"] == len(first) - 1
    assert manifest["counts"]["computed"] == 1
    for code in first.index.drop("5026"):
        assert (tmp_path / "municipalities" / code / "result.json").stat().st_mtime_ns == stamps[
            code
        ]
    fresh = _run(eco, None, measures={"m": measure, "basic": basic_structure})
    pd.testing.assert_frame_equal(second, fresh)


def test_resume_refuses_other_measures_or_inputs(eco: Ecosystem, tmp_path: pathlib.Path) -> None:
    _run(eco, tmp_path)
    with pytest.raises(InputError, match="different measures"):
        _run(eco, tmp_path, measures={"other": basic_structure})
    other = synthetic_region(1_200, municipalities=8, seed=22)
    with pytest.raises(InputError, match="different input"):
        _run(other, tmp_path)
    table = _run(other, tmp_path, resume=False)
    assert (table["status"] == "ok").all()


def test_bundle_input_is_hashed(eco: Ecosystem, tmp_path: pathlib.Path) -> None:
    bundle = ecograph.write_bundle(eco, tmp_path / "bundle")
    table = _run(eco, None)
    from_bundle = _run(bundle, tmp_path / "out")  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(table, from_bundle)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["input"]["files"]) == {"actors.csv", "relations.csv", "ecosystem.toml"}


def test_table_measure_goes_to_the_detail_file(eco: Ecosystem, tmp_path: pathlib.Path) -> None:
    def per_kind(e: Ecosystem) -> pd.DataFrame:
        return e.actors["kind"].value_counts().rename_axis("kind").to_frame("n")

    table = _run(eco, tmp_path, measures={"kinds": per_kind}, municipalities=["5025"])
    assert not any(c.startswith("kinds.") for c in table.columns)
    detail = pd.read_parquet(tmp_path / "municipalities" / "5025" / "kinds.parquet")
    assert set(detail.columns) == {"kind", "n"}


def test_measure_validation(eco: Ecosystem) -> None:
    with pytest.raises(InputError, match="picklable"):
        _run(eco, None, measures={"x": lambda e: {"n": 1}}, executor="processes")
    with pytest.raises(InputError, match="cannot be imported"):
        _run(eco, None, measures={"x": "ecograph.batch.measures:nope"})
    with pytest.raises(InputError, match="unknown measure"):
        _run(eco, None, measures=["nope"])
    with pytest.raises(InputError, match=r"no '\.'"):
        _run(eco, None, measures={"a.b": basic_structure})
    with pytest.raises(InputError, match="executor"):
        _run(eco, None, executor="threads")


def test_indices_use_ee_index(
    eco: Ecosystem, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def fake(table: pd.DataFrame, *, method: str) -> pd.Series:
        calls.append((method, list(table.columns), len(table)))
        return table.sum(axis=1).rename(method)

    monkeypatch.setattr(ecograph, "ee_index", fake, raising=False)
    table = _run(
        eco, tmp_path, indices=("stam",), index_columns=["basic.persons", "basic.relations"]
    )
    assert calls == [("stam", ["basic.persons", "basic.relations"], len(table))]
    expected = table["basic.persons"] + table["basic.relations"]
    pd.testing.assert_series_equal(table["index.stam"], expected, check_names=False)
    assert (tmp_path / "ee_index_stam.csv").exists()


def test_index_failure_is_reported_not_hidden(
    eco: Ecosystem, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(table: pd.DataFrame, *, method: str) -> pd.Series:
        raise ValueError("no variance")

    monkeypatch.setattr(ecograph, "ee_index", broken, raising=False)
    with pytest.warns(EcographWarning, match="gei index not computed: ValueError: no variance"):
        _run(eco, tmp_path, indices=("gei",))
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["indices"]["gei"]["status"] == "error"
    assert (tmp_path / "municipalities.csv").exists()


def test_flatten_rules() -> None:
    s = pd.Series({"a": 1.5, "b": float("nan")})
    assert flatten({"x": s, "y": [1, 2]}, "m") == {"m.x.a": 1.5, "m.x.b": None, "m.y": "1;2"}
    with pytest.raises(InputError, match="table with 2 rows"):
        flatten(pd.DataFrame({"a": [1, 2]}))


def test_cli_generate_and_batch(tmp_path: pathlib.Path) -> None:
    runner = CliRunner()
    res = runner.invoke(
        cli,
        [
            "generate",
            "--orgs",
            "300",
            "--municipalities",
            "3",
            "--seed",
            "2",
            "--out",
            str(tmp_path / "b"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "300 organisations" in res.output
    res = runner.invoke(
        cli,
        [
            "batch",
            str(tmp_path / "b"),
            "--out",
            str(tmp_path / "o"),
            "--workers",
            "1",
            "--measure",
            "basic=ecograph.batch.measures:basic_structure",
            "--no-indices",
            "--no-progress",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "scored 3 of 3 municipalities (serial)" in res.output
    table = pd.read_csv(tmp_path / "o" / "municipalities.csv", dtype={"municipality": str})
    assert table["municipality"].tolist() == ["3430", "5025", "5026"]
    res = runner.invoke(
        cli, ["batch", str(tmp_path / "b"), "--out", str(tmp_path / "o"), "--measure", "bad"]
    )
    assert res.exit_code != 0 and "NAME=module:function" in res.output


@pytest.mark.slow
def test_dask_local_cluster_with_processes(eco: Ecosystem, tmp_path: pathlib.Path) -> None:
    pytest.importorskip("distributed")
    serial = _run(eco, None)
    dask = _run(eco, tmp_path, executor="dask", workers=2)
    pd.testing.assert_frame_equal(serial, dask)
    assert os.path.exists(tmp_path / "municipalities.csv")


def test_default_measures_and_indices(tmp_path: pathlib.Path) -> None:
    eco = synthetic_region(600, municipalities=3, seed=8)
    table = score_municipalities(eco, tmp_path, progress=False)
    assert (table["status"] == "ok").all(), table["error"].tolist()
    prefixes = {c.split(".")[0] for c in table.columns}
    assert {"profile", "coopetition", "spigel", "index"} <= prefixes
    # the row of each municipality holds exactly the profile of its sub-ecosystem
    from ecograph.batch.partition import partition_by_municipality

    sub = partition_by_municipality(eco)["5025"]
    expected = flatten(ecograph.thin_dense_profile(sub), "profile")
    got = {k: table.loc["5025", k] for k in expected}
    assert got == pytest.approx(expected, nan_ok=True)
    # indices: ee_index on the Spigel attribute scores known in every municipality
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    cols = manifest["indices"]["stam"]["columns"]
    assert cols and all(c.startswith("spigel.attribute.") for c in cols)
    for c, why in manifest["indices"]["stam"]["columns_left_out"].items():
        assert table[c].isna().any() or why != "missing in some municipality"
    stam = ecograph.ee_index(table[cols].astype(float), method="stam")
    pd.testing.assert_series_equal(table["index.stam.score"], stam["score"], check_names=False)


def test_progress_bar_goes_to_stderr(eco: Ecosystem, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    _run(eco, None, progress=True, municipalities=["5025", "5026"])
    captured = capsys.readouterr()
    assert "2/2" in captured.err and "municipalit" in captured.err
    assert captured.out == ""
