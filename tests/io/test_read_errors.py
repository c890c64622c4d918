"""File-level problems of a bundle: encoding, separators, empty files, ecosystem.toml."""

from __future__ import annotations

import pandas as pd
import pytest

import ecograph
from ecograph.exceptions import BundleValidationError, InputError, Issue

RELATIONS = "source,target,kind\no1,o2,supply\np1,n1,tie\n"


def issues_of(path) -> tuple[Issue, ...]:
    with pytest.raises(BundleValidationError) as info:
        ecograph.read_bundle(path, warn=False)
    return info.value.issues


# ---------------------------------------------------------------- encoding and separators
def test_non_utf8_file_names_file_and_row(make_bundle, base_actors):
    # Latin-1 "ø" on the third line (row 3) is not valid UTF-8.
    raw = base_actors.encode("latin-1")
    (issue,) = issues_of(make_bundle(actors=raw, relations=RELATIONS))
    assert (issue.file, issue.row, issue.field) == ("actors.csv", 3, None)
    assert issue.message == "file is not UTF-8; save it as 'CSV UTF-8'"


def test_utf8_bom_and_crlf_are_accepted(make_bundle, base_actors):
    raw = ("\ufeff" + base_actors.replace("\n", "\r\n")).encode("utf-8")
    eco = ecograph.read_bundle(make_bundle(actors=raw, relations=RELATIONS), warn=False)
    assert list(eco.actors.index) == ["p1", "o1", "o2", "n1"]
    assert eco.actors.loc["o1", "name"] == "Røros Hotell"
    assert eco.actors.loc["o1", "employees"] == 12


def test_semicolon_csv_reads_like_comma_csv(make_bundle, base_actors):
    rel = "source,target,kind,competitor_intensity,partner_intensity\no1,o2,coopetition,0.3,0.8\n" \
          "p1,n1,tie,,\n"
    comma = ecograph.read_bundle(make_bundle(actors=base_actors, relations=rel, name="comma"),
                                 warn=False)
    semi = ecograph.read_bundle(make_bundle(actors=base_actors.replace(",", ";"),
                                            relations=rel.replace(",", ";"), name="semi"),
                                warn=False)
    pd.testing.assert_frame_equal(comma.actors, semi.actors)
    pd.testing.assert_frame_equal(comma.relations, semi.relations)


def test_semicolon_csv_reads_decimal_commas(make_bundle, base_actors):
    # Excel in a Norwegian locale writes ';' between cells and 0,3 for 0.3: read it as 0.3.
    rel = "source;target;kind;competitor_intensity;partner_intensity\n" \
          "p1;n1;tie;;\no1;o2;coopetition;0,3;0.8\n"
    eco = ecograph.read_bundle(make_bundle(actors=base_actors.replace(",", ";"), relations=rel),
                               warn=False)
    assert eco.relations.loc[1, ["competitor_intensity", "partner_intensity"]].tolist() == [0.3, 0.8]


def test_semicolon_csv_rejects_ambiguous_numbers(make_bundle, base_actors):
    # Only digits,digits is a decimal comma; '1,5,0' or '0,3 ' with text stays an error at its cell.
    rel = "source;target;kind;competitor_intensity;partner_intensity\n" \
          "p1;n1;tie;;\no1;o2;coopetition;1,5,0;0.8\n"
    issues = issues_of(make_bundle(actors=base_actors.replace(",", ";"), relations=rel))
    assert [(i.file, i.row, i.field, i.value) for i in issues] == [
        ("relations.csv", 3, "competitor_intensity", "1,5,0")]


def test_semicolons_inside_comma_csv_text_are_data(make_bundle, base_actors):
    rel = 'source,target,kind,evidence\no1,o2,supply,"thesis §4.4; Tabell 7"\np1,n1,tie,\n'
    eco = ecograph.read_bundle(make_bundle(relations=rel), warn=False)
    assert eco.relations.loc[0, "evidence"] == "thesis §4.4; Tabell 7"


@pytest.mark.parametrize("content", ["", "\n", "\n\n\n"])
def test_empty_file(make_bundle, content):
    (issue,) = issues_of(make_bundle(actors=content, relations=RELATIONS))
    assert (issue.file, issue.row, issue.field) == ("actors.csv", 1, None)
    assert issue.message == "file is empty; a header row is required"


def test_header_only_files_give_an_empty_ecosystem(make_bundle):
    folder = make_bundle(actors="id,name,kind\n", relations="source,target,kind\n")
    eco = ecograph.read_bundle(folder)
    assert len(eco.actors) == 0
    assert len(eco.relations) == 0


def test_row_longer_than_header(make_bundle):
    # Without care pandas would silently take the first column as an index and shift every cell.
    rel = "source,target,kind\no1,o2,supply,extra\np1,n1,tie\no2,n1,membership,x,y\n"
    issues = issues_of(make_bundle(relations=rel))
    assert [(i.file, i.row, i.field, i.message) for i in issues] == [
        ("relations.csv", 2, None, "row has 4 cells but the header has 3 columns"),
        ("relations.csv", 4, None, "row has 5 cells but the header has 3 columns"),
    ]


def test_duplicated_column(make_bundle):
    # pandas would silently rename the second 'name' to 'name.1' and keep it as an extra column
    actors = "id,name,kind,name\no1,A,firm,B\no2,C,firm,D\n"
    (issue,) = issues_of(make_bundle(actors=actors, relations="source,target,kind\no1,o2,supply\n"))
    assert (issue.file, issue.row, issue.field) == ("actors.csv", 1, "name")
    assert issue.message == "column appears more than once"


def test_row_numbers_count_records_not_lines(make_bundle):
    # A quoted line break inside a cell does not shift the row numbers of later records.
    rel = 'source,target,kind,evidence\no1,o2,supply,"two\nlines"\no1,o1,supply,\n'
    (issue,) = issues_of(make_bundle(relations=rel))
    assert (issue.row, issue.field) == (3, "target")


def test_missing_actors_file(make_bundle):
    (issue,) = issues_of(make_bundle(actors=None, relations=RELATIONS))
    assert issue.file == "actors.csv"
    assert "missing from the bundle folder" in issue.message


def test_missing_folder_and_file_instead_of_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        ecograph.read_bundle(tmp_path / "nope")
    f = tmp_path / "actors.csv"
    f.write_text("id,name,kind\n", encoding="utf-8")
    with pytest.raises(InputError, match="is not a folder"):
        ecograph.read_bundle(f)


def test_bundle_path_may_be_its_toml(make_bundle):
    toml = 'format_version = 1\n[ecosystem]\nname = "Tøy"\n'
    folder = make_bundle(relations=RELATIONS, toml=toml)
    assert ecograph.read_bundle(folder / "ecosystem.toml", warn=False).meta.name == "Tøy"


def test_unreadable_parquet(make_bundle):
    folder = make_bundle(actors=None)
    (folder / "actors.parquet").write_bytes(b"not parquet at all")
    (issue,) = issues_of(folder)
    assert issue.file == "actors.parquet"
    assert issue.message.startswith("cannot read Parquet")


# ---------------------------------------------------------------- ecosystem.toml
def test_misspelt_key_in_ecosystem_table(make_bundle):
    toml = 'format_version = 1\n[ecosystem]\nname = "x"\npopulaton = 3\n'
    (issue,) = issues_of(make_bundle(relations=RELATIONS, toml=toml))
    assert (issue.file, issue.row, issue.field) == ("ecosystem.toml", None, "ecosystem.populaton")
    assert issue.message == "Extra inputs are not permitted"
    assert issue.value == 3


def test_unknown_top_level_key_and_version(make_bundle):
    toml = 'format_version = 2\necosytem = 1\n'
    issues = issues_of(make_bundle(relations=RELATIONS, toml=toml))
    assert [(i.file, i.field, i.message) for i in issues] == [
        ("ecosystem.toml", "ecosytem", "unknown key; expected 'format_version' or 'ecosystem'"),
        ("ecosystem.toml", "format_version", "unsupported format version; this ecograph reads 1"),
    ]


def test_bad_values_in_ecosystem_table_all_reported(make_bundle):
    toml = ('[ecosystem]\nmunicipalities = ["5025", "502"]\npopulation = -1\n'
            '[[ecosystem.sources]]\ntitle = "no id"\n')
    issues = issues_of(make_bundle(relations=RELATIONS, toml=toml))
    assert {i.field for i in issues} == {"ecosystem.municipalities.1", "ecosystem.population",
                                         "ecosystem.sources.0.id"}
    assert all(i.file == "ecosystem.toml" for i in issues)


def test_invalid_toml_syntax(make_bundle):
    (issue,) = issues_of(make_bundle(relations=RELATIONS, toml="format_version = 1\n[ecosystem\n"))
    assert issue.file == "ecosystem.toml"
    assert issue.message.startswith("invalid TOML:")
    assert "line 2" in issue.message


def test_no_toml_names_the_ecosystem_after_its_folder(make_bundle):
    eco = ecograph.read_bundle(make_bundle(relations=RELATIONS, name="røros_test"), warn=False)
    assert eco.meta.name == "røros_test"
