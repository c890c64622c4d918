"""Presentation details found in the fresh-eyes QA: honesty notes, names, narrow tables, numbers."""

from __future__ import annotations

import html as html_lib
import importlib.util
import pathlib
import re
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from ecograph import Ecosystem
from ecograph.reporting import html as report_module
from ecograph.reporting.html import _fmt, report


def _load_test_report() -> ModuleType:
    """test_report.py by path (tests are no package; --import-mode=importlib)."""
    path = pathlib.Path(__file__).with_name("test_report.py")
    spec = importlib.util.spec_from_file_location("ecograph_tests_report_main", path)
    if spec is None or spec.loader is None:  # pragma: no cover
        raise ImportError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_TR = _load_test_report()
fake_targets = _TR.fake_targets
section_html = _TR.section_html


@pytest.fixture
def fakes(monkeypatch):
    """The hand-made analysis results of test_report, without PNG rendering."""
    targets = fake_targets()
    for name, func in targets.items():
        monkeypatch.setitem(report_module._TARGETS, name, func)
    monkeypatch.setattr(
        report_module,
        "_figure_block",
        lambda fig, alt, caption="": {
            "kind": "figure",
            "src": "data:image/png;base64,",
            "alt": alt,
            "caption": caption,
            "width": 1,
        },
    )
    return targets


def small_eco(provenance: list[str], municipalities: list[str] | None = None) -> Ecosystem:
    """Two persons, three organisations, four relations with the given provenance."""
    actors = pd.DataFrame(
        {
            "id": ["p1", "p2", "o1", "o2", "n1"],
            "name": ["Informant 1", "Informant 2", "Røros Hotell", "Rørosmat SA", "Best Lokalt"],
            "kind": ["person", "person", "firm", "cooperative", "business_network"],
            "provenance": ["stated", "stated", "stated", "illustrative", "stated"],
        }
    )
    relations = pd.DataFrame(
        {
            "source": ["p1", "p2", "o1", "o2"],
            "target": ["o1", "o2", "n1", "n1"],
            "kind": ["board_seat", "board_seat", "membership", "membership"],
            "role": ["chair", "member", None, None],
            "provenance": provenance,
        }
    )
    meta: dict[str, object] = {"name": "Small", "year": 2019}
    if municipalities is not None:
        meta["municipalities"] = municipalities
    return Ecosystem.from_frames(actors, relations, meta)


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def test_summary_flags_inferred_and_illustrative_records(fakes, tmp_path):
    eco = small_eco(["stated", "inferred", "inferred", "illustrative"])
    summary = text_of(section_html(report(eco, tmp_path, progress=False).read_text("utf-8"), "summary"))
    # counted by hand from small_eco: actors 1 illustrative of 5; relations 2 inferred, 1 illustrative of 4
    assert "1 illustrative of the 5 actors" in summary
    assert "2 inferred and 1 illustrative of the 4 relations" in summary
    assert "deserve less weight" in summary


def test_no_flag_when_every_record_is_stated(fakes, tmp_path, fx):
    html = report(fx.toy(), tmp_path, progress=False).read_text("utf-8")  # toy: all stated
    assert "Not every record is a stated fact" not in section_html(html, "summary")


def test_municipality_names_next_to_codes(fakes, tmp_path):
    # names as in SSB KLASS 131 (2024): 5025 Røros - Rossen, 3430 Os; 9999 is no municipality
    eco = small_eco(["stated"] * 4, municipalities=["5025", "3430", "9999"])
    summary = text_of(section_html(report(eco, tmp_path, progress=False).read_text("utf-8"), "summary"))
    assert "Røros - Rossen (5025), Os (3430), 9999" in summary


def test_per_capita_counts_say_they_count_recorded_actors(fakes, monkeypatch, tmp_path, fx):
    def profile(eco):
        return pd.Series({"persons_per_1000": 0.3, "organisations_per_1000": 2.65})

    monkeypatch.setitem(report_module._TARGETS, "profile", profile)
    prof = text_of(section_html(report(fx.toy(), tmp_path, progress=False).read_text("utf-8"), "profile"))
    assert "persons recorded in the data, not everyone living in the region" in prof
    assert "organisations recorded in the data" in prof
    assert "thin: few people" not in prof


def test_support_coverage_is_split_into_two_narrow_tables(fakes, monkeypatch, tmp_path):
    def coverage(eco):
        return pd.DataFrame(
            {
                "group": ["marketing_sales"],
                "firms": [29],
                "self": [0],
                "cooperative": [29],
                "not_done": [0],
                "good": [3],
                "gap_rate": [0.25],
            },
            index=pd.Index(["distribution"], name="function"),
        )

    monkeypatch.setitem(report_module._TARGETS, "support_coverage", coverage)
    # a support relation, so the section runs the (fake) coverage instead of a notice
    actors = pd.DataFrame({"id": ["s1", "o1"], "name": ["Helper", "Firm"], "kind": ["support_organisation", "firm"]})
    relations = pd.DataFrame({"source": ["s1"], "target": ["o1"], "kind": ["support"]})
    eco = Ecosystem.from_frames(actors, relations, {"name": "Support"})
    sec = section_html(report(eco, tmp_path, progress=False).read_text("utf-8"), "resources")
    heads = [
        re.findall(r"<th[^>]*>([^<]*)</th>", table) for table in re.findall(r"<thead>(.*?)</thead>", sec, flags=re.S)
    ]
    assert heads == [
        ["function", "group", "firms", "self", "cooperative", "not done"],
        ["function", "good", "gap (share)"],
    ]
    assert "marketing sales" in sec  # identifier made readable


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.000326, "0.000326"),  # 3 significant digits, no exponent from 1e-4 on
        (0.0001, "0.0001"),
        (3.26e-05, "3.26e-05"),  # below 1e-4: scientific
        (0.1 + 0.2, "0.3"),  # 0.30000000000000004 rounded
        (20000.0, "20\u202f000"),  # thin space from 10 000 on
        (np.nan, "–"),
    ],
)
def test_number_formatting(value, text):
    assert _fmt(value) == text


def test_all_illustrative_data_says_it_describes_no_real_ecosystem():
    from ecograph.reporting.html import _uncertain_records_text

    actors = pd.DataFrame({"kind": ["firm", "person"], "provenance": ["illustrative"] * 2})
    relations = pd.DataFrame({"kind": ["board_seat"], "provenance": ["illustrative"]})
    assert "results describe no real ecosystem" in _uncertain_records_text(actors, relations)
    relations["provenance"] = ["stated"]  # one stated record: the mixed wording, with counts
    text = _uncertain_records_text(actors, relations)
    assert text.startswith("Not every record is a stated fact: 2 illustrative of the 2 actors.")
