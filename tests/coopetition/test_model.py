"""The declarative co-opetition model files: loading, validation errors, schemas."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from ecograph.analysis.coopetition_model import (
    InferenceModel,
    PlacementModel,
    Threshold,
    load_coopetition_model,
    load_inference_model,
    resolve_thresholds,
    shipped_models,
)
from ecograph.datasets import models_path
from ecograph.exceptions import ModelSpecError

MODELS = models_path() / "coopetition"


def test_shipped_models_load() -> None:
    assert {"luo2007", "inference"} <= set(shipped_models())
    m = load_coopetition_model()
    assert m.name == "luo2007" and m.source is not None and m.source.endswith("luo2007.toml")
    # Luo (2007): contending = high competition / low cooperation, partnering = low / high,
    # adapting = high / high, isolating = low / low
    cells = {k: (v.competitor, v.partner) for k, v in m.categories.items()}
    assert cells == {"contending": ("high", "low"), "partnering": ("low", "high"),
                     "adapting": ("high", "high"), "isolating": ("low", "low")}
    assert m.thresholds.competitor == Threshold(method="fixed", value=0.5)
    assert set(m.diversity.positions) == {"dispersing", "concentrating", "connecting", "networking"}
    assert "could NOT be verified" in m.diversity.note
    inf = load_inference_model()
    assert sum(inf.competitor.weights.values()) == pytest.approx(1.0)
    assert sum(inf.partner.weights.values()) == pytest.approx(1.0)
    assert load_coopetition_model(m) is m
    assert load_coopetition_model(MODELS / "luo2007.toml").categories == m.categories
    assert load_inference_model(str(MODELS / "inference.toml")).partner == inf.partner


@pytest.mark.parametrize(("cls", "name"), [(PlacementModel, "placement"),
                                           (InferenceModel, "inference")])
def test_json_schema_is_current(cls: type, name: str) -> None:
    path = MODELS / f"{name}.schema.json"
    current = cls.model_json_schema()  # type: ignore[attr-defined]
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored == current, (
        f"{path} is out of date; regenerate it with: python -c \"import json; from "
        f"ecograph.analysis.coopetition_model import {cls.__name__} as M; open('{path}', 'w').write("
        "json.dumps(M.model_json_schema(), indent=2, sort_keys=True) + '\\n')\"")


def _write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _luo_with(replace: str, by: str) -> str:
    text = (MODELS / "luo2007.toml").read_text(encoding="utf-8")
    assert replace in text
    return text.replace(replace, by, 1)


def test_error_names_file_and_key_typo(tmp_path: Path) -> None:
    path = _write(tmp_path, _luo_with('method = "fixed"     # fixed',
                                      'mthod = "fixed"     # fixed'))
    with pytest.raises(ModelSpecError) as info:
        load_coopetition_model(path)
    msg = str(info.value)
    assert "bad.toml" in msg
    assert "key 'thresholds.competitor.mthod': Extra inputs are not permitted" in msg


def test_error_fixed_without_value(tmp_path: Path) -> None:
    path = _write(tmp_path, _luo_with("value = 0.5", "q = 0.5"))
    with pytest.raises(ModelSpecError, match=r"bad\.toml: key 'thresholds\.competitor': "
                                             r"Value error, method 'fixed' needs 'value'"):
        load_coopetition_model(path)


def test_error_incomplete_grid(tmp_path: Path) -> None:
    path = _write(tmp_path, _luo_with('[categories.isolating]\ncompetitor = "low"',
                                      '[categories.isolating]\ncompetitor = "high"'))
    with pytest.raises(ModelSpecError, match=r"key 'categories': .*exactly once"):
        load_coopetition_model(path)


def test_error_unknown_rival_category(tmp_path: Path) -> None:
    path = _write(tmp_path, _luo_with('market = "municipality"',
                                      'market = "municipality"\nrival_categories = ["rivals"]'))
    with pytest.raises(ModelSpecError, match=r"rival_categories names unknown .*\['rivals'\]"):
        load_coopetition_model(path)


def test_error_weights_too_large(tmp_path: Path) -> None:
    text = (MODELS / "inference.toml").read_text(encoding="utf-8")
    path = _write(tmp_path, text.replace("industry = 0.6", "industry = 0.9"))
    with pytest.raises(ModelSpecError, match=r"bad\.toml: key 'competitor\.weights': .*to 1\.3"):
        load_inference_model(path)


def test_error_unknown_feature_and_kind(tmp_path: Path) -> None:
    text = (MODELS / "inference.toml").read_text(encoding="utf-8")
    text = text.replace("supply = 0.15", "suply = 0.15").replace('kinds = ["firm", "cooperative"]',
                                                                 'kinds = ["firm", "person"]')
    with pytest.raises(ModelSpecError) as info:
        load_inference_model(_write(tmp_path, text))
    msg = str(info.value)
    assert "key 'partner.weights.suply': Input should be 'shared_persons'" in msg
    assert "key 'candidates': Value error, kinds ['person'] are not organisation kinds" in msg


def test_error_invalid_toml_and_missing(tmp_path: Path) -> None:
    with pytest.raises(ModelSpecError, match=r"bad\.toml: invalid TOML"):
        load_coopetition_model(_write(tmp_path, "name = \n"))
    with pytest.raises(ModelSpecError, match="not found"):
        load_coopetition_model(tmp_path / "nope.toml")
    with pytest.raises(ModelSpecError, match=r"no shipped co-opetition model 'luo2008'.*'luo2007'"):
        load_coopetition_model("luo2008")
    with pytest.raises(ModelSpecError, match="expected a PlacementModel"):
        load_coopetition_model(load_inference_model())  # type: ignore[arg-type]


def test_threshold_quantile_rule_by_hand() -> None:
    # k = floor(q * n) on sorted values; NaN ignored
    assert Threshold(method="median").resolve([5, 1, 4, 2, 3]) == 3.0          # k = 2
    assert Threshold(method="median").resolve([4, 1, 3, 2]) == 3.0             # k = 2
    assert Threshold(method="quantile", q=0.25).resolve([4, 1, 3, 2]) == 2.0   # k = 1
    assert Threshold(method="quantile", q=0.1).resolve([4, 1, 3, 2]) == 1.0    # k = 0
    assert Threshold(method="quantile", q=0.99).resolve([4, 1, 3, 2]) == 4.0   # k = 3
    assert Threshold(method="quantile", q=0.29).resolve(range(100)) == 29.0    # 28.999... -> 29
    assert Threshold(method="median").resolve([float("nan"), 2.0]) == 2.0
    assert math.isnan(Threshold(method="median").resolve([]))
    assert Threshold(method="fixed", value=0.2).resolve([0.9]) == 0.2
    with pytest.raises(ValueError, match="'median' takes neither"):
        Threshold(method="median", q=0.5)
    with pytest.raises(ValueError, match="less than 1"):
        Threshold(method="quantile", q=1.0)


def test_resolve_thresholds_forms() -> None:
    m = load_coopetition_model()
    assert resolve_thresholds(m, None) == m.thresholds
    t = resolve_thresholds(m, 0.3)
    assert (t.competitor.value, t.partner.value) == (0.3, 0.3)
    t = resolve_thresholds(m, {"partner": "median"})
    assert (t.competitor, t.partner.method) == (m.thresholds.competitor, "median")
    t = resolve_thresholds(m, {"method": "quantile", "q": 0.8})
    assert t.competitor.q == t.partner.q == 0.8
    with pytest.raises(ModelSpecError, match="expected a number"):
        resolve_thresholds(m, {"competitor": True})
