"""The constant-memory JSON-array reader used for the bulk files."""

from __future__ import annotations

import gzip
import io
import json
import pathlib
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecograph.exceptions import ImportFormatError
from ecograph.registry._stream import BrokenElement, iter_json_array, open_text

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@given(
    st.lists(json_values, max_size=12),
    st.integers(min_value=1, max_value=64),
    st.sampled_from([",", ", ", ",\n", " ,\t"]),
)
def test_reader_equals_json_loads_at_any_chunk_size(
    items: list[object], chunk: int, sep: str
) -> None:
    # strings with brackets, quotes and escapes cut at every chunk boundary must not confuse it
    text = "[" + sep.join(json.dumps(v, ensure_ascii=False) for v in items) + "]"
    got = [v for _, v in iter_json_array(io.StringIO(text), chunk=chunk)]
    assert got == json.loads(text)


def test_tricky_strings_across_boundaries() -> None:
    items = [
        {"navn": 'A "quoted" } ] name', "x": "\\"},
        {"navn": "[{", "y": "ø\u00e6å"},
        12345678,
        -1.5e3,
    ]
    text = json.dumps(items, ensure_ascii=False)
    for chunk in range(1, 30):
        assert [v for _, v in iter_json_array(io.StringIO(text), chunk=chunk)] == items


def test_broken_element_is_reported_and_the_rest_read() -> None:
    text = '[{"a": 1}, {"a" 2}, {"b": [1, 2}, {"c": 3}]'
    out = list(iter_json_array(io.StringIO(text), chunk=4))
    assert out[0] == (0, {"a": 1})
    assert isinstance(out[1][1], BrokenElement) and out[1][1].index == 1
    assert out[1][1].offset == text.index('{"a" 2}')
    assert isinstance(out[2][1], BrokenElement)
    assert out[-1] == (out[-1][0], {"c": 3})


def test_truncated_file_gives_a_final_broken_element() -> None:
    out = list(iter_json_array(io.StringIO('[{"a": 1}, {"b": 2'), chunk=3))
    assert out[0] == (0, {"a": 1})
    assert isinstance(out[1][1], BrokenElement) and "truncated" in out[1][1].message
    out = list(iter_json_array(io.StringIO('[{"a": 1}, '), chunk=3))
    assert isinstance(out[-1][1], BrokenElement) and "closing ']'" in out[-1][1].message


def test_not_an_array() -> None:
    with pytest.raises(ImportFormatError, match="starting with"):
        list(iter_json_array(io.StringIO('{"a": 1}')))


def test_open_text_sniffs_gzip_by_magic_bytes(tmp_path: pathlib.Path) -> None:
    p = tmp_path / "no_suffix"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write("[1, 2]")
    with open_text(p) as fh:
        assert [v for _, v in iter_json_array(fh)] == [1, 2]
    with pytest.raises(FileNotFoundError):
        open_text(tmp_path / "missing.json")


def _write_roles(path: pathlib.Path, n_units: int) -> None:
    element = {
        "organisasjonsnummer": "999999999",
        "rollegrupper": [
            {
                "type": {"kode": "STYR", "beskrivelse": "Styre"},
                "sistEndret": "2024-01-01",
                "roller": [
                    {
                        "type": {"kode": "MEDL", "beskrivelse": "Styremedlem"},
                        "avregistrert": False,
                        "rekkefolge": i,
                        "person": {
                            "fodselsdato": "1970-01-01",
                            "navn": {"fornavn": f"Test{i}", "etternavn": "Person"},
                            "erDoed": False,
                        },
                    }
                    for i in range(3)
                ],
            }
        ],
        "_links": {"self": {"href": "https://data.brreg.no/enhetsregisteret/api/roller"}},
    }
    text = json.dumps(element, separators=(",", ":"))
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        fh.write("[")
        for i in range(n_units):
            fh.write(("," if i else "") + text)
        fh.write("]")


def _peak_while_reading(path: pathlib.Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        n = 0
        with open_text(path) as fh:
            for _, value in iter_json_array(fh):
                n += isinstance(value, dict)
        return n, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow
def test_memory_stays_flat_on_multi_megabyte_files(tmp_path: pathlib.Path) -> None:
    small, large = tmp_path / "small.json.gz", tmp_path / "large.json.gz"
    _write_roles(small, 5_000)  # ~3.5 MB uncompressed
    _write_roles(large, 40_000)  # ~28 MB uncompressed
    n_small, peak_small = _peak_while_reading(small)
    n_large, peak_large = _peak_while_reading(large)
    assert (n_small, n_large) == (5_000, 40_000)
    # the text buffer is one chunk (1 Mi characters) plus one element: the peak does not
    # grow with the file (8x the data, at most 1.5x the peak) and stays a few MB
    assert peak_large < 1.5 * peak_small
    assert peak_large < 16 * 2**20
