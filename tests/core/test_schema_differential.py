"""Differential test: the vectorised validator and the pydantic records agree on single rows.

:func:`validate_frames` checks a million rows with numpy; :class:`Actor` and
:class:`Relation` check one record built in Python. For the field-level rules
(types, bounds, patterns, vocabularies, kind-specific fields, self-relations,
since/until) both must accept and reject the same rows.

Representation convention (the documented meaning of an empty cell): a cell
that is ``None``, ``NaN`` or blank text is a *missing* value, i.e. a keyword
left out of the pydantic call.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
import pydantic
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ecograph.core.kinds import (
    ACTOR_KINDS,
    MANAGEMENT_ROLES,
    PROVENANCES,
    RELATION_KINDS,
    RELATION_RULES,
    SUPPORT_FUNCTIONS,
)
from ecograph.core.schema import Actor, Relation
from ecograph.core.validate import validate_frames

INF = float("inf")
NAN = float("nan")

floats_any = st.one_of(st.floats(-2, 3, allow_nan=False),
                       st.sampled_from([0.0, 1.0, -0.0, INF, -INF, NAN, 1e-300]))
texts = st.text(st.sampled_from("abcøæå ,;'\"-_.0123456789"), max_size=8)


def maybe(s: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), s)


actor_rows = st.fixed_dictionaries({
    "id": st.one_of(st.just("a1"), st.just(" a1 "), st.none(), st.just(" ")),
    "name": st.one_of(st.just("Rørosmat SA"), texts, st.none()),
    "kind": st.sampled_from([*ACTOR_KINDS, "frim", "Firm", ""]),
}, optional={
    "org_number": maybe(st.one_of(st.from_regex(r"[0-9]{9}", fullmatch=True),
                                  st.sampled_from(["12345678", "1234567890", "95446302x"]))),
    "municipality": maybe(st.one_of(st.from_regex(r"[0-9]{4}", fullmatch=True),
                                    st.sampled_from(["502", "50255", "Røros", "5025 "]))),
    "nace": maybe(st.one_of(st.from_regex(r"[0-9]{2}(\.[0-9]{1,3})?", fullmatch=True),
                            st.sampled_from(["10,110", "1", "10.1101", "10."]))),
    "legal_form": maybe(texts),
    "employees": maybe(st.one_of(st.integers(-3, 2**62), st.sampled_from([2.0, 2.5, INF, NAN]))),
    "revenue_nok": maybe(st.one_of(st.floats(-10, 1e12, allow_nan=False),
                                   st.sampled_from([INF, NAN]))),
    "founded": maybe(st.one_of(st.integers(900, 2200), st.just(1999.5))),
    "external": maybe(st.booleans()),
    "evidence": maybe(texts),
    "provenance": maybe(st.sampled_from([*PROVENANCES, "guess", "Stated"])),
    "employes": st.integers(0, 5),        # a misspelt field: an error both ways
    "antall_årsverk": st.integers(0, 5),  # an unrelated extra field: kept both ways
})


def is_missing(value: Any) -> bool:
    return (value is None or (isinstance(value, float) and math.isnan(value))
            or (isinstance(value, str) and not value.strip()))


def pydantic_accepts(model: type[pydantic.BaseModel], row: dict[str, Any]) -> bool:
    try:
        model(**{k: v for k, v in row.items() if not is_missing(v)})
    except pydantic.ValidationError:
        return False
    return True


def frame_of(row: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series([v], dtype=object) for k, v in row.items()})


EMPTY_RELATIONS = pd.DataFrame({"source": [], "target": [], "kind": []})


@settings(max_examples=40)
@given(row=actor_rows)
@example(row={"id": "p", "name": "Informant", "kind": "person", "employees": 3})
@example(row={"id": "p", "name": "Informant", "kind": "person", "org_number": "954463028"})
@example(row={"id": "o", "name": "Big", "kind": "firm", "employees": 2**63})
def test_actor_rules_agree(row):
    frames_ok = validate_frames(frame_of(row), EMPTY_RELATIONS).issues == []
    assert frames_ok == pydantic_accepts(Actor, row), row


def endpoint_actors(kind: str) -> pd.DataFrame:
    """Actors 'a' and 'b' whose kinds the rule of ``kind`` allows at source and target."""
    rule = RELATION_RULES.get(kind)
    src = rule.source_kinds[0] if rule else "firm"
    tgt = rule.target_kinds[-1] if rule else "firm"
    return pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": [src, tgt]})


relation_rows = st.fixed_dictionaries({
    "source": st.just("a"),
    "target": st.sampled_from(["b", "b", "a"]),
    "kind": st.sampled_from([*RELATION_KINDS, "suply"]),
}, optional={
    "id": maybe(st.sampled_from(["r1", " r1 "])),
    "role": maybe(st.one_of(st.sampled_from(["chair", "member", "observer", *MANAGEMENT_ROLES]),
                            texts)),
    "share": maybe(floats_any),
    "competitor_intensity": maybe(floats_any),
    "partner_intensity": maybe(floats_any),
    "function": maybe(st.one_of(st.sampled_from(SUPPORT_FUNCTIONS), texts)),
    "weight": maybe(floats_any),
    "since": maybe(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))),
    "until": maybe(st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))),
    "evidence": maybe(texts),
    "provenance": maybe(st.sampled_from([*PROVENANCES, "guess"])),
    "confidence": maybe(floats_any),
    "competiton_intensity": st.just(0.5),   # misspelt
    "notat": texts,                         # unrelated extra
})


@settings(max_examples=50)
@given(row=relation_rows)
@example(row={"source": "a", "target": "b", "kind": "board_seat"})
@example(row={"source": "a", "target": "b", "kind": "ownership", "share": 0.0})
@example(row={"source": "a", "target": "b", "kind": "supply", "share": NAN})
def test_relation_rules_agree(row):
    rep = validate_frames(endpoint_actors(row["kind"]), frame_of(row))
    assert (rep.issues == []) == pydantic_accepts(Relation, row), (row, rep.issues)


@pytest.mark.parametrize(("model", "row"), [
    (Actor, {"id": "x", "name": "X", "kind": "firm", "employees": 3}),
    (Relation, {"source": "a", "target": "b", "kind": "tie"}),
])
def test_harness_accepts_a_valid_row(model, row):
    # guard: the differential tests above are meaningful only if valid rows pass both ways
    assert pydantic_accepts(model, row)
    actors = endpoint_actors(row["kind"]) if model is Relation else frame_of(row)
    relations = frame_of(row) if model is Relation else EMPTY_RELATIONS
    assert validate_frames(actors, relations).issues == []
