"""Every bad-input case of the bundle format, with its exact location.

Row numbers follow the spreadsheet convention: the header is row 1, the
first record row 2. The fixture ``make_bundle`` (tests/conftest.py) writes a
bundle folder; its default actors.csv is

    row 1  id,name,kind,municipality,employees
    row 2  p1  person
    row 3  o1  firm          (5025, 12 employees)
    row 4  o2  cooperative   (5025)
    row 5  n1  business_network
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import ecograph
from ecograph.core.ecosystem import Ecosystem
from ecograph.core.validate import validate_frames
from ecograph.exceptions import (
    BundleValidationError,
    EcographWarning,
    GraphIntegrityError,
    InputError,
    Issue,
)

REL_HEADER = "source,target,kind,role,share,competitor_intensity,partner_intensity,since,until\n"


def issues_of(path) -> list[Issue]:
    with pytest.raises(BundleValidationError) as info:
        ecograph.read_bundle(path, warn=False)
    return list(info.value.issues)


def where(issues: list[Issue]) -> set[tuple[str, int | None, str | None]]:
    return {(i.file, i.row, i.field) for i in issues}


def only(issues: list[Issue]) -> Issue:
    assert len(issues) == 1, issues
    return issues[0]


# ---------------------------------------------------------------- columns and fields
@pytest.mark.parametrize(("file", "bad", "good"), [
    ("actors.csv", "employes", "employees"),
    ("actors.csv", "Municipality", "municipality"),
    ("relations.csv", "competiton_intensity", "competitor_intensity"),
    ("relations.csv", "partner intensity", "partner_intensity"),
])
def test_misspelt_column_names_the_file_header_row_and_column(make_bundle, base_actors, file, bad,
                                                               good):
    actors = base_actors
    relations = "source,target,kind\no1,o2,supply\n"
    if file == "actors.csv":
        actors = actors.replace(good, bad)
    else:
        relations = f"source,target,kind,{bad}\no1,o2,coopetition,0.5\n"
    issue = only(issues_of(make_bundle(actors=actors, relations=relations)))
    assert (issue.file, issue.row, issue.field) == (file, 1, bad)
    assert f"did you mean {good!r}" in issue.message
    assert str(issue).startswith(f"{file}, row 1, field '{bad}': unknown column")


def test_unrelated_extra_column_is_kept_not_an_error(make_bundle):
    eco = ecograph.read_bundle(make_bundle(relations="source,target,kind,antall_årsverk\n"
                                                     "o1,o2,supply,3\np1,n1,tie,\n"), warn=False)
    assert eco.relations["antall_årsverk"].tolist()[0] == 3
    assert eco.extra_dtypes["relations"] == {"antall_årsverk": "int"}


def test_missing_required_column_and_value(make_bundle):
    issues = issues_of(make_bundle(actors="id,kind\no1,firm\n,firm\n", relations="source,kind\n"))
    assert where(issues) == {
        ("actors.csv", 1, "name"),          # column missing
        ("actors.csv", 3, "id"),            # value missing
        ("relations.csv", 1, "target"),     # column missing
    }
    assert {i.message for i in issues} == {"required column is missing", "a value is required"}


# ---------------------------------------------------------------- numbers
@pytest.mark.parametrize(("cell", "message"), [
    ("nan", "expected a finite number"),
    ("NaN", "expected a finite number"),
    ("inf", "expected a finite number, got infinity"),
    ("-Infinity", "expected a finite number, got infinity"),
    ("ten", "expected a finite number"),
    ("0,5", "expected a number with a decimal point (0.5, not 0,5); decimal commas are read only "
            "from semicolon-separated files"),  # a comma file: not silently read as 5 or 0.5
    ("1.5", "must be at most 1"),
    ("-0.1", "must be at least 0"),
])
def test_bad_intensity_cell(make_bundle, cell, message):
    rel = REL_HEADER + f'o1,o2,coopetition,,,"{cell}",0.5,,\n'
    issue = only(issues_of(make_bundle(relations=rel)))
    assert (issue.file, issue.row, issue.field) == ("relations.csv", 2, "competitor_intensity")
    assert issue.message == message


@pytest.mark.parametrize(("cell", "message"), [
    ("0", "must be greater than 0"),
    ("-0.2", "must be greater than 0"),
    ("1.2", "must be at most 1"),
    ("inf", "expected a finite number, got infinity"),
])
def test_bad_share(make_bundle, cell, message):
    rel = REL_HEADER + "p1,n1,tie,,,,,,\n" + f"p1,o2,ownership,,{cell},,,,\n"
    issue = only(issues_of(make_bundle(relations=rel)))
    assert (issue.file, issue.row, issue.field) == ("relations.csv", 3, "share")
    assert issue.message == message


def test_nan_and_inf_in_typed_frames():
    # In a typed float column NaN *is* the missing value (an empty cell); inf is an error.
    actors = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["firm", "firm"],
                           "revenue_nok": [np.nan, np.inf]})
    relations = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"],
                              "kind": ["coopetition", "supply"],
                              "competitor_intensity": [-np.inf, np.nan],
                              "weight": [np.nan, 2.0]})
    rep = validate_frames(actors, relations, actors_file="a.csv", relations_file="r.csv")
    assert where(rep.issues) == {("a.csv", 3, "revenue_nok"), ("r.csv", 2, "competitor_intensity")}
    assert all("infinity" in i.message for i in rep.issues)


@pytest.mark.parametrize(("cell", "message"), [
    ("12.5", "expected a whole number"),
    ("twelve", "expected a whole number"),
    ("-1", "must be at least 0"),
    ("100000000000000000000", "expected a whole number of at most 18 digits"),
])
def test_bad_employees(make_bundle, base_actors, cell, message):
    actors = base_actors.replace("5025,12\n", f"5025,{cell}\n")
    issue = only(issues_of(make_bundle(actors=actors, relations="source,target,kind\n")))
    assert (issue.file, issue.row, issue.field, issue.message) == ("actors.csv", 3, "employees",
                                                                   message)


def test_large_integers_are_exact(make_bundle, base_actors):
    # 2**53 + 1 does not survive a trip through float64; it must survive the bundle reader.
    actors = base_actors.replace("5025,12\n", "5025,9007199254740993\n")
    eco = ecograph.read_bundle(make_bundle(actors=actors,
                                           relations="source,target,kind\np1,o1,tie\no2,n1,membership\n"))
    assert eco.actors.loc["o1", "employees"] == 2**53 + 1


@pytest.mark.parametrize(("field", "cell", "pattern"), [
    ("municipality", "502", r"^\d{4}$"),
    ("municipality", "Røros", r"^\d{4}$"),
    ("org_number", "95446302", r"^\d{9}$"),
    ("nace", "10.1101", r"^\d{2}(\.\d{1,3})?$"),
])
def test_pattern_fields(make_bundle, field, cell, pattern):
    actors = f"id,name,kind,{field}\no1,A,firm,{cell}\no2,B,firm,\n"
    rel = "source,target,kind\no1,o2,supply\n"
    issue = only(issues_of(make_bundle(actors=actors, relations=rel)))
    assert (issue.file, issue.row, issue.field) == ("actors.csv", 2, field)
    assert issue.message == f"does not match the pattern {pattern}"
    assert issue.value == cell


def test_founded_year_out_of_range(make_bundle):
    actors = "id,name,kind,founded\no1,A,firm,999\no2,B,firm,2101\n"
    issues = issues_of(make_bundle(actors=actors, relations="source,target,kind\no1,o2,supply\n"))
    assert [(i.row, i.field, i.message) for i in issues] == [
        (2, "founded", "must be at least 1000"), (3, "founded", "must be at most 2100")]


def test_organisation_fields_on_a_person(make_bundle):
    actors = "id,name,kind,org_number,employees\np1,Informant,person,954463028,3\no1,A,firm,,\n"
    issues = issues_of(make_bundle(actors=actors, relations="source,target,kind\np1,o1,tie\n"))
    assert where(issues) == {("actors.csv", 2, "org_number"), ("actors.csv", 2, "employees")}
    assert {i.message for i in issues} == {"applies to organisations, not to persons"}


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize("cell", ["2019-13-01", "2019-02-30", "01.02.2019", "spring 2018", "2019/1",
                                  "2019", "20190105", "2019-01-05T10:00"])
def test_unparseable_dates(make_bundle, cell):
    rel = REL_HEADER + f"o2,n1,membership,,,,,{cell},\n"
    issue = only(issues_of(make_bundle(relations=rel)))
    assert (issue.file, issue.row, issue.field) == ("relations.csv", 2, "since")
    assert issue.message == "expected a date as YYYY-MM-DD"
    assert issue.value == cell


def test_until_before_since(make_bundle):
    rel = REL_HEADER + "o2,n1,membership,,,,,2020-01-01,2019-12-31\n"
    issue = only(issues_of(make_bundle(relations=rel)))
    assert (issue.row, issue.field, issue.message) == (2, "until", "is before since")


# ---------------------------------------------------------------- kinds, roles, specific fields
def test_unknown_kinds(make_bundle, base_actors):
    actors = base_actors + "x1,X,frim,,\n"
    rel = "source,target,kind\no1,o2,suply\np1,n1,tie\n"
    issues = issues_of(make_bundle(actors=actors, relations=rel))
    assert where(issues) == {("actors.csv", 6, "kind"), ("relations.csv", 2, "kind")}
    assert {i.value for i in issues} == {"frim", "suply"}


def test_roles(make_bundle):
    rel = ("source,target,kind,role\n"
           "p1,o1,board_seat,\n"          # row 2: a board seat needs a role
           "p1,o2,board_seat,president\n"  # row 3: not a board role
           "p1,o1,management,boss\n"       # row 4: not a management role
           "o1,n1,membership,anything\n")  # row 5: free text: fine
    issues = issues_of(make_bundle(relations=rel))
    assert [(i.row, i.field, i.message) for i in issues] == [
        (2, "role", "a board_seat needs a role"),
        (3, "role", "expected one of ['chair', 'deputy_chair', 'member', 'deputy_member', "
                    "'observer'] for board_seat"),
        (4, "role", "expected one of ['ceo', 'managing_owner', 'project_leader', 'manager', "
                    "'other'] for management"),
    ]


def test_kind_specific_fields_on_other_kinds(make_bundle):
    rel = ("source,target,kind,share,partner_intensity,function\n"
           "o1,o2,supply,0.5,,\n"
           "o1,o2,ownership,,0.3,\n"
           "o1,o2,tie,,,marketing\n")
    issues = issues_of(make_bundle(relations=rel))
    assert [(i.row, i.field, i.message) for i in issues] == [
        (2, "share", "does not apply to kind 'supply'"),
        (3, "partner_intensity", "does not apply to kind 'ownership'"),
        (4, "function", "does not apply to kind 'tie'"),
    ]


# ---------------------------------------------------------------- graph integrity
@pytest.mark.parametrize("kind", ["supply", "ownership", "coopetition", "tie"])
def test_self_relation(make_bundle, kind):
    rel = f"source,target,kind\np1,n1,tie\no1,o1,{kind}\n"
    issue = only(issues_of(make_bundle(relations=rel)))
    assert (issue.file, issue.row, issue.field, issue.value) == ("relations.csv", 3, "target", "o1")
    assert "itself" in issue.message


@pytest.mark.parametrize(("row", "end", "message"), [
    ("o1,o2,board_seat,member", "source", "a board_seat must start at a person, not at a firm"),
    ("o1,o2,management,ceo", "source", "a management must start at a person, not at a firm"),
    ("p1,o1,membership,", "target",
     "a membership must end at business_network or cooperative, not at a firm"),
    ("p1,p1x,ownership,", "target", "an ownership must end at an organisation, not at a person"),
    ("p1,o1,coopetition,", "source",
     "a coopetition must start at an organisation, not at a person"),
])
def test_wrong_endpoint_kinds(make_bundle, base_actors, row, end, message):
    actors = base_actors + "p1x,Informant 2,person,,\n"
    rel = f"source,target,kind,role\np1x,n1,tie,\n{row}\n"
    issue = only(issues_of(make_bundle(actors=actors, relations=rel)))
    assert (issue.file, issue.row, issue.field) == ("relations.csv", 3, end)
    # The vocabulary decides the article; accept "a ownership" / "an ownership" alike.
    assert issue.message.split(" must ")[1] == message.split(" must ")[1]


def test_dangling_endpoints_all_listed(make_bundle):
    rel = "source,target,kind\no1,o9,supply\nghost,o2,supply\no1,o2,supply\np1,n1,tie\n"
    with pytest.raises(GraphIntegrityError) as info:
        ecograph.read_bundle(make_bundle(relations=rel))
    assert [(i.row, i.field, i.value) for i in info.value.issues] == [
        (2, "target", "o9"), (3, "source", "ghost")]
    assert all(i.message == "no actor with this id in the actors table" for i in info.value.issues)


def test_duplicate_actor_and_relation_ids(make_bundle, base_actors):
    actors = base_actors + "o1,Another hotel,firm,,\n"
    rel = "id,source,target,kind\nr1,o1,o2,supply\nr1,o2,n1,membership\nr2,p1,n1,tie\n"
    with pytest.raises(GraphIntegrityError) as info:
        ecograph.read_bundle(make_bundle(actors=actors, relations=rel))
    issues = info.value.issues
    assert where(issues) == {("actors.csv", 6, "id"), ("relations.csv", 3, "id")}
    actor_issue = next(i for i in issues if i.file == "actors.csv")
    assert actor_issue.message == "duplicate actor id, first used in row 3"
    assert actor_issue.value == "o1"


def test_ids_are_stripped_before_duplicate_check(make_bundle, base_actors):
    actors = base_actors + '" o1 ",Same id with spaces,firm,,\n'
    issue = only(issues_of(make_bundle(actors=actors, relations="source,target,kind\n")))
    assert (issue.row, issue.field, issue.value) == (6, "id", "o1")


def test_ownership_shares_above_one(make_bundle, base_actors):
    actors = base_actors + "o3,Holding AS,firm,,\n"
    rel = ("source,target,kind,share\n"
           "p1,o2,ownership,0.5\n"     # row 2
           "o1,o2,ownership,0.3\n"     # row 3
           "o3,o2,ownership,0.25\n"    # row 4: 0.5 + 0.3 + 0.25 = 1.05 > 1
           "o3,o1,ownership,1\n"       # row 5: exactly 1 is fine
           "o2,n1,membership,\n")
    issue = only(issues_of(make_bundle(actors=actors, relations=rel)))
    assert (issue.file, issue.row, issue.field) == ("relations.csv", 2, "share")
    assert issue.message == "ownership shares into 'o2' sum to 1.05 > 1 (rows 2, 3, 4)"


def test_ownership_shares_in_disjoint_periods_may_sum_above_one(make_bundle):
    rel = ("source,target,kind,share,since,until\n"
           "p1,o2,ownership,0.8,2010-01-01,2014-12-31\n"
           "o1,o2,ownership,0.8,2015-01-01,\n"
           "o2,n1,membership,,,\n")
    eco = ecograph.read_bundle(make_bundle(relations=rel), warn=False)
    assert eco.relations["share"].sum() == pytest.approx(1.6)


def test_integrity_error_class():
    # Only graph-level problems -> GraphIntegrityError; any field problem -> the base class.
    actors = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "kind": ["firm", "firm"]})
    with pytest.raises(GraphIntegrityError):
        Ecosystem.from_frames(actors, pd.DataFrame({"source": ["a"], "target": ["zz"],
                                                    "kind": ["supply"]}))
    with pytest.raises(BundleValidationError) as info:
        Ecosystem.from_frames(actors, pd.DataFrame({"source": ["a"], "target": ["zz"],
                                                    "kind": ["supply"], "weight": [-1.0]}))
    assert type(info.value) is BundleValidationError
    assert isinstance(info.value, InputError)
    assert isinstance(info.value, ValueError)


# ---------------------------------------------------------------- all problems together
def test_every_problem_is_reported_together(make_bundle, base_actors):
    actors = base_actors.replace("employees", "employes") + "o1,Duplicate,firm,,\n"
    rel = (REL_HEADER
           + "o1,o1,supply,,,,,,\n"                     # 2 self
           + "o1,o2,board_seat,member,,,,,\n"           # 3 wrong endpoint
           + "o1,o2,ownership,,0.7,,,,\n"               # 4 share sum
           + "p1,o2,ownership,,0.6,,,,\n"               # 5 share sum
           + "o1,o2,coopetition,,,1.5,nan,,\n"          # 6 out of range + nan
           + "o1,x9,supply,,,,,,\n"                     # 7 dangling
           + "o1,o2,membership,,,,,2019-13-01,\n"       # 8 bad date
           + "o1,o2,supply,,ten,,,01.02.2019,\n"        # 9 bad number, bad date
           + "p1,o1,membership,,,,,,\n")                # 10 wrong target kind
    with pytest.raises(BundleValidationError) as info:
        ecograph.read_bundle(make_bundle(actors=actors, relations=rel))
    got = where(info.value.issues)
    assert got == {
        ("actors.csv", 1, "employes"),
        ("actors.csv", 6, "id"),
        ("relations.csv", 2, "target"),
        ("relations.csv", 3, "source"),
        ("relations.csv", 4, "share"),
        ("relations.csv", 6, "competitor_intensity"),
        ("relations.csv", 6, "partner_intensity"),
        ("relations.csv", 7, "target"),
        ("relations.csv", 8, "since"),
        ("relations.csv", 9, "share"),
        ("relations.csv", 9, "since"),
        ("relations.csv", 10, "target"),
    }
    text = str(info.value)
    assert text.startswith("invalid ecosystem data: 12 problem(s)")
    for issue in info.value.issues:
        assert str(issue) in text


def test_many_problems_are_counted_not_dropped():
    n = 1200
    actors = pd.DataFrame({"id": [f"a{i}" for i in range(n)], "name": "x", "kind": "firm",
                           "employees": -1})
    rep = validate_frames(actors, pd.DataFrame({"source": [], "target": [], "kind": []}))
    located = [i for i in rep.issues if i.row is not None]
    assert len(located) == 1000
    summary = [i for i in rep.issues if i.row is None]
    assert len(summary) == 1
    assert summary[0].message.startswith("200 more rows with:")


# ---------------------------------------------------------------- warnings
def test_isolated_actor_warns(make_bundle):
    rel = "source,target,kind\no1,o2,supply\np1,o1,tie\n"
    with pytest.warns(EcographWarning, match=r"actors\.csv: isolated actor \(no relations\): "
                                             r"row 5 \('n1'\)"):
        eco = ecograph.read_bundle(make_bundle(relations=rel))
    assert "n1" in eco


def test_zero_intensities_warn(make_bundle):
    rel = ("source,target,kind,competitor_intensity,partner_intensity\n"
           "o1,o2,coopetition,0,0\no1,o2,coopetition,0,0.5\np1,n1,tie,,\n")
    with pytest.warns(EcographWarning, match=r"relations\.csv: co-opetition with both intensities "
                                             r"zero: row 2$"):
        ecograph.read_bundle(make_bundle(relations=rel))


def test_unknown_legal_form_and_support_function_warn_not_fail(make_bundle, base_actors):
    actors = base_actors.replace("employees", "legal_form").replace(",12\n", ",AKS\n")
    rel = "source,target,kind,function\no1,o2,support,tarot reading\np1,n1,tie,\n"
    with pytest.warns(EcographWarning) as record:
        ecograph.read_bundle(make_bundle(actors=actors, relations=rel))
    messages = sorted(str(w.message) for w in record)
    assert messages == [
        "actors.csv: unknown legal form: row 3 ('AKS')",
        "relations.csv: support function not in the shipped vocabulary: row 2 ('tarot reading')",
    ]


def test_warn_false_is_silent(make_bundle):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ecograph.read_bundle(make_bundle(relations="source,target,kind\n"), warn=False)


def test_no_warning_for_valid_connected_bundle(make_bundle):
    rel = "source,target,kind,role\np1,o1,board_seat,chair\no1,n1,membership,\no2,n1,membership,\n"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ecograph.read_bundle(make_bundle(relations=rel))
