"""The scoring-model format: shipped models, every ModelSpecError, the JSON Schema snapshot."""

from __future__ import annotations

import json
import pathlib
import tomllib

import pytest

from ecograph.datasets import models_path
from ecograph.exceptions import InputError, ModelSpecError
from ecograph.scoring.indicators import INDICATORS
from ecograph.scoring.layers import model_scores
from ecograph.scoring.spec import (
    ScoringModel,
    json_schema,
    list_models,
    load_model,
    model_from_dict,
)

SCHEMA_FILE = models_path() / "schema" / "scoring-model.schema.json"

# Spigel (2017) as listed in the seed digest §2.5 (the names of his Table 1).
SPIGEL_ATTRIBUTES = {
    "cultural": ["supportive_culture", "histories_of_entrepreneurship"],
    "social": ["worker_talent", "investment_capital", "networks", "mentors_and_role_models"],
    "material": ["policy_and_governance", "universities", "support_services",
                 "physical_infrastructure", "open_markets"],
}
# Thesis Tabell 2 (seed digest §2.6): 5 framework and 6 systemic conditions.
MM_CONDITIONS = {
    "framework": ["natural_capital", "local_government", "culture", "local_market",
                  "infrastructure"],
    "systemic": ["enterprising_individuals", "entrepreneurial_social_infrastructure",
                 "financial_capital", "human_capital", "knowledge", "support_systems"],
}


# ----------------------------------------------------------------------------- shipped models
def test_shipped_models_listed() -> None:
    assert list_models() == ["miles_morrison2018", "spigel2017"]


def test_spigel_model_has_spigels_attributes_in_three_layers() -> None:
    m = load_model("spigel2017")
    assert {layer: m.attributes_of(layer) for layer in m.layers} == SPIGEL_ATTRIBUTES
    assert m.pyramid is not None and m.pyramid.order == ("cultural", "social", "material")
    for key, spec in m.indicators.items():
        assert spec.source, key
        assert spec.indicator is None or spec.indicator in INDICATORS


def test_miles_morrison_model_has_tabell_2_conditions() -> None:
    m = load_model("miles_morrison2018")
    assert {layer: m.attributes_of(layer) for layer in m.layers} == MM_CONDITIONS
    assert m.pyramid is None
    # the conditions that external actors can supply carry a supplier declaration
    flagged = {k for k, a in m.attributes.items() if a.suppliers is not None}
    assert flagged == {"local_government", "financial_capital", "knowledge", "support_systems"}


def test_element_weights_sum_to_one_and_layers_count_equally() -> None:
    m = load_model("spigel2017")
    w = m.element_weights()
    assert sum(w.values()) == pytest.approx(1.0)
    # cultural: 2 attributes of weight 0.5 -> each 0.5 / 3 layers
    assert w["supportive_culture"] == pytest.approx(1 / 6)
    # material: 5 attributes of 0.2 -> each 0.2 / 3
    assert w["open_markets"] == pytest.approx(0.2 / 3)
    assert m.groups()["open_markets"] == ["external_supply_share", "external_reach"]


def test_load_model_passes_a_model_through_and_reads_a_path(write_model) -> None:
    path = write_model()
    m = load_model(path)
    assert load_model(m) is m
    assert m.source == str(path)
    assert load_model(str(path)).model.name == "toy"


def test_round_trip_through_dict() -> None:
    m = load_model("spigel2017")
    again = model_from_dict(m.model_dump(mode="json"), source="again")
    assert again.model_dump() == m.model_dump()
    assert again.source == "again"


# ----------------------------------------------------------------------------- errors
def _error(write_model, text: str) -> str:
    path = write_model(text, name="bad")
    with pytest.raises(ModelSpecError) as info:
        load_model(path)
    message = str(info.value)
    assert str(path) in message  # every error names the file
    return message


def test_unknown_indicator_names_file_and_key(write_model, toy_text) -> None:
    text = toy_text.replace('user_input = "count"', 'indicator = "no_such_indicator"')
    msg = _error(write_model, text)
    assert "key 'indicators.count.indicator'" in msg
    assert "unknown indicator 'no_such_indicator'" in msg


def test_unknown_layer_names_key(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace('layer = "top"\ntitle = "B1"',
                                                'layer = "roof"\ntitle = "B1"'))
    assert "key 'attributes.b1.layer'" in msg and "unknown layer 'roof'" in msg


def test_unknown_attribute_names_key(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace('attribute = "b1"', 'attribute = "b9"'))
    assert "key 'indicators.count.attribute'" in msg and "unknown attribute 'b9'" in msg
    # b1 is then left without indicators: reported in the same message
    assert "key 'attributes.b1': attribute has no indicators" in msg


def test_weights_not_summing_to_one(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace("weight = 0.6", "weight = 0.5"))
    assert "indicators.minutes.weight, indicators.present.weight" in msg
    assert "weights of attribute 'b2' sum to 0.9" in msg


def test_attribute_weights_not_summing_to_one(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace("weight = 0.75", "weight = 0.7"))
    assert "attributes.b1.weight, attributes.b2.weight" in msg
    assert "layer 'top' sum to 0.95" in msg


def test_missing_weight_under_sum_to_one(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace("weight = 0.6\n", ""))
    assert "key 'indicators.present.weight'" in msg and "needs a weight" in msg


def test_explicit_weight_under_equal_rule(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace('weight_rule = "sum_to_one"',
                                                'weight_rule = "equal"'))
    assert "key 'indicators.survey.weight'" in msg and "does not allow explicit weights" in msg


def test_positive_rule_accepts_any_positive_weights(write_model, toy_text) -> None:
    text = toy_text.replace('weight_rule = "sum_to_one"', 'weight_rule = "positive"')
    text = text.replace("weight = 0.6", "weight = 6").replace("weight = 0.4", "weight = 4")
    m = load_model(write_model(text))
    assert m.indicator_weights()["present"] == 6.0


def test_non_positive_weight(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace("weight = 0.6", "weight = -0.6"))
    assert "key 'indicators.present.weight'" in msg and "greater than 0" in msg


def test_unknown_key_is_an_error(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace('title = "A1"', 'title = "A1"\nwieght = 1'))
    assert "key 'attributes.a1.wieght'" in msg and "Extra inputs are not permitted" in msg


def test_bad_transformation(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace("lower = 1, upper = 5", "lower = 5, upper = 1"))
    assert "key 'indicators.survey.transformation'" in msg
    assert "upper (1.0) must be greater than lower (5.0)" in msg


def test_unknown_transformation_kind(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace('transformation = "presence"',
                                                'transformation = "zscore"'))
    assert "key 'indicators.present.transformation'" in msg and "zscore" in msg


def test_indicator_needs_exactly_one_input(write_model, toy_text) -> None:
    text = toy_text.replace('user_input = "count"',
                             'user_input = "count"\nindicator = "funding_sources"')
    msg = _error(write_model, text)
    assert "key 'indicators.count'" in msg and "exactly one of 'indicator'" in msg


def test_unknown_indicator_parameter(write_model, toy_text) -> None:
    text = toy_text.replace('user_input = "count"',
                             'indicator = "median_firm_age"\nparams = { window = 5 }')
    msg = _error(write_model, text)
    assert "key 'indicators.count.params.window'" in msg
    assert "has no parameter 'window'" in msg


def test_pyramid_with_unknown_layer(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace('order = ["base", "top"]',
                                                'order = ["base", "attic"]'))
    assert "key 'pyramid.order.1'" in msg and "unknown layer 'attic'" in msg


def test_layer_without_attributes(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text + '\n[layers.empty]\ntitle = "Empty"\n')
    assert "key 'layers.empty': layer has no attributes" in msg


def test_missing_source(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace('weight = 0.6\nsource = "test"', "weight = 0.6"))
    assert "key 'indicators.present.source'" in msg and "Field required" in msg


def test_unsupported_schema_version(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace("schema_version = 1", "schema_version = 2"))
    assert "key 'schema_version'" in msg and "unsupported schema version 2" in msg


def test_invalid_toml(write_model, toy_text) -> None:
    msg = _error(write_model, toy_text.replace('title = "Base"', 'title = "Base'))
    assert "invalid TOML" in msg


def test_every_problem_is_reported_together(write_model, toy_text) -> None:
    text = toy_text.replace('attribute = "b1"', 'attribute = "b9"').replace(
        "weight = 0.75", "weight = 0.7")
    msg = _error(write_model, text)
    assert "problem(s)" in msg
    assert "indicators.count.attribute" in msg and "attributes.b1.weight" in msg


def test_unknown_model_name_lists_shipped_models() -> None:
    with pytest.raises(ModelSpecError, match=r"unknown scoring model 'spigel2099'.*spigel2017"):
        load_model("spigel2099")


def test_missing_file() -> None:
    with pytest.raises(ModelSpecError, match=r"nowhere\.toml: scoring model file not found"):
        load_model("nowhere.toml")


def test_missing_required_input_names_file_and_key(write_model, toy_text, user_eco) -> None:
    text = toy_text.replace('user_input = "count"', 'user_input = "count"\nrequired = true')
    path = write_model(text)
    eco = user_eco({"survey": 3.0, "share": 0.5, "minutes": 10.0, "present": 1.0})
    with pytest.raises(ModelSpecError) as info:
        model_scores(eco, model=path)  # the default policy "skip" does not save a required input
    msg = str(info.value)
    assert str(path) in msg and "key 'indicators.count'" in msg
    assert "required input is missing: no value for 'count'" in msg


def test_model_error_is_an_input_error() -> None:
    assert issubclass(ModelSpecError, InputError)


# ----------------------------------------------------------------------------- JSON Schema
def test_json_schema_snapshot() -> None:
    """The exported schema equals the models' schema.

    Regenerate it with `python -m ecograph.scoring.spec` and review the diff.
    """
    on_disk = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert on_disk == json_schema(), (
        "models/schema/scoring-model.schema.json is out of date; run "
        "`python -m ecograph.scoring.spec` and review the diff")
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert text == json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_json_schema_describes_the_shipped_models() -> None:
    """Structural check of the shipped files against the exported schema (no validator needed)."""
    schema = json_schema()
    assert set(schema["required"]) == {"schema_version", "model", "layers", "attributes",
                                       "indicators"}
    top = set(schema["properties"])
    for path in sorted(models_path().glob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(doc) <= top, path
        ScoringModel.model_validate(doc)
    kinds = schema["$defs"]["IndicatorSpec"]["properties"]["transformation"]["discriminator"]
    assert set(kinds["mapping"]) == {"identity", "goalpost", "log_goalpost", "saturating",
                                     "presence"}


def test_write_json_schema(tmp_path: pathlib.Path) -> None:
    from ecograph.scoring.spec import write_json_schema

    out = write_json_schema(tmp_path / "s.json")
    assert json.loads(out.read_text(encoding="utf-8")) == json_schema()


# ----------------------------------------------------------------------------- documentation
DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "analysis" / "scores.md"


def test_every_indicator_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    undocumented = [name for name in INDICATORS if f"`{name}`" not in text]
    assert not undocumented


def test_documented_example_model_is_valid(tmp_path: pathlib.Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    blocks = text.split("```toml\n")[1:]
    example = next(b.split("```")[0] for b in blocks if b.startswith("schema_version"))
    path = tmp_path / "fjellregionen.toml"
    path.write_text(example, encoding="utf-8")
    m = load_model(path)
    assert m.model.name == "fjellregionen"
    assert m.indicators["survey"].required


def test_a_folder_is_not_a_model(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ModelSpecError, match="is not a file"):
        load_model(tmp_path)
