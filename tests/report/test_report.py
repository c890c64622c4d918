"""The HTML report: sections, failure isolation, safety, offline output, progress."""

from __future__ import annotations

import os
import re
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

from ecograph.exceptions import EcographWarning, InputError
from ecograph.reporting import html as report_module
from ecograph.reporting.html import SECTIONS, report

CITATIONS = (
    "Spigel (2017)",
    "Luo (2007)",
    "Chin, Chan & Lam (2008)",
    "Borgatti (2006)",
    "Miles & Morrison (2020",
    "Mizruchi (1996)",
    "tynne og tette nettverk",
)


def fake_targets(names: dict[str, str] | None = None) -> dict[str, object]:
    """Hand-made results in the documented shapes of the analysis functions (toy ecosystem ids)."""

    def profile(eco):
        return pd.Series(
            {
                "actors": 6,
                "density": 0.2,
                "interlock_density": 0.1,
                "share_persons_2plus_roles": 0.5,
                "z.interlock_density": 2.5,
                "null_mean.interlock_density": 0.05,
                "null_sd.interlock_density": 0.02,
                "n_null": 100,
            },
            name=eco.meta.name,
            dtype=object,
        )

    def roles(eco):
        return pd.DataFrame(
            {"n_roles": [3, 1], "n_organisations": [2, 1], "big_linker": [True, False]},
            index=pd.Index(["p1", "p2"], name="actor_id"),
        )

    def key_persons(eco):
        return pd.DataFrame(
            {
                "rank": [1, 2],
                "roles": [3, 2],
                "delta_largest_component": [-3, -1],
                "orgs_without_ceo": [1, 0],
            },
            index=pd.Index(["p1", "p2"], name="person_id"),
        )

    def robustness(eco):
        return pd.DataFrame(
            {
                "removed": [0, 1, 2],
                "share_removed": [0.0, 0.5, 1.0],
                "targeted": [1.0, 0.5, 0.2],
                "random": [1.0, 0.8, 0.6],
                "random_sd": [0.0, 0.1, 0.1],
            }
        )

    def interlocks(eco):
        return pd.DataFrame(
            {
                "org_a": ["o1"],
                "org_b": ["o3"],
                "shared_persons": [1],
                "persons": [["p1"]],
                "weight": [1.0],
            }
        )

    def coopetition(eco, level="dyad"):
        return pd.DataFrame(
            {
                "org_a": ["o1"],
                "org_b": ["o2"],
                "competitor_intensity": [0.9],
                "partner_intensity": [0.2],
                "category": ["contending"],
                "balance": [-0.7],
                "competitor_threshold": [0.5],
                "partner_threshold": [0.5],
                "person_mediated": [False],
                "provenance": ["stated"],
            }
        )

    def summary(eco):
        return pd.Series({"n_dyads": 1, "share_contending": 1.0, "share_adapting": 0.0})

    def scores(eco):
        return pd.DataFrame(
            {
                "level": ["indicator", "attribute", "attribute", "layer", "layer", "pyramid"],
                "layer": ["social", "social", "material", "social", "material", None],
                "attribute": ["networks", "networks", "universities", None, None, None],
                "indicator": ["interlock_density", None, None, None, None, None],
                "score": [np.nan, 0.6, 0.0, 0.6, 0.0, np.nan],
                "missing": [True, False, False, False, False, False],
                "note": ["no value", "", "", "", "", "undefined"],
                "check": [None, None, None, None, None, "cultural >= social"],
            }
        )

    def coverage(eco):
        return pd.DataFrame(
            {"firms": [2], "not_done_rate": [0.5]}, index=pd.Index(["accounting"], name="function")
        )

    return {
        "profile": profile,
        "role_concentration": roles,
        "key_persons": key_persons,
        "robustness_curve": robustness,
        "interlocks": interlocks,
        "coopetition": coopetition,
        "coopetition_summary": summary,
        "spigel_scores": scores,
        "miles_morrison_scores": scores,
        "support_coverage": coverage,
    }


_PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8A"
    "AAAASUVORK5CYII="
)


@pytest.fixture
def fakes(monkeypatch):
    """Hand-made analysis results; figures are built but not rendered to PNG (speed)."""
    targets = fake_targets()
    for name, func in targets.items():
        monkeypatch.setitem(report_module._TARGETS, name, func)

    def no_render(fig, alt, caption=""):
        return {"kind": "figure", "src": _PIXEL, "alt": alt, "caption": caption, "width": 1}

    monkeypatch.setattr(report_module, "_figure_block", no_render)
    return targets


@pytest.fixture(scope="module")
def toy_eco(fx):
    return fx.toy()


def section_html(html: str, key: str) -> str:
    start = html.index(f'<section class="card" id="{key}">')
    return html[start : html.index("</section>", start)]


def test_every_section_with_source_and_no_errors(toy_eco, fakes, tmp_path, fx):
    index = report(toy_eco, tmp_path / "out", progress=False)
    html = index.read_text(encoding="utf-8")
    for key, title in SECTIONS:
        sec = section_html(html, key)
        assert f"{title}</h2>" in sec.replace("&#39;", "'").replace("&amp;", "&")
        assert "<b>Source:</b>" in sec
    text = html.replace("&amp;", "&").replace("&#39;", "'")
    for citation in CITATIONS:
        assert citation in text, citation
    assert "Could not compute" not in html
    assert "No warnings; every section was computed." in html
    # names instead of ids, figures inline, map embedded with every actor
    assert "Røros Hotell" in section_html(html, "interlocks")
    assert html.count('src="data:image/png;base64,') == 4  # roles, robustness, quadrants, layers
    payload = fx.map_payload(fx.srcdoc(html))
    assert len(payload["nodes"]) == len(toy_eco.actors)
    assert sorted(os.listdir(tmp_path / "out")) == ["index.html", "map.html"]
    assert (tmp_path / "out" / "map.html").read_text(encoding="utf-8") == fx.srcdoc(html)


def test_figures_per_section(toy_eco, tmp_path, monkeypatch):
    for name, func in fake_targets().items():
        monkeypatch.setitem(report_module._TARGETS, name, func)
    html = report(toy_eco, tmp_path, progress=False).read_text(encoding="utf-8")
    import base64

    first = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(first)[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(first) > 10_000  # a real plot, not a placeholder
    count = {
        key: section_html(html, key).count('src="data:image/png;base64,') for key, _ in SECTIONS
    }
    assert count == {
        "summary": 0,
        "map": 0,
        "profile": 1,
        "key_persons": 1,
        "interlocks": 0,
        "coopetition": 1,
        "spigel": 1,
        "miles_morrison": 0,
        "resources": 0,
        "provenance": 0,
        "warnings": 0,
    }


def test_shares_are_percentages_and_years_plain(toy_eco, fakes, tmp_path):
    html = report(toy_eco, tmp_path, progress=False).read_text(encoding="utf-8")
    assert '<div class="value">50 %</div>' in section_html(
        html, "profile"
    )  # share_persons_2plus_roles
    assert '<div class="value">100 %</div>' in section_html(html, "coopetition")
    assert '<div class="value">2019</div>' in section_html(html, "summary")


def test_failing_analysis_shows_box_and_report_continues(toy_eco, fakes, monkeypatch, tmp_path):
    def boom(eco):
        raise RuntimeError("the null model did not converge")

    monkeypatch.setitem(report_module._TARGETS, "profile", boom)
    monkeypatch.setitem(report_module._TARGETS, "interlocks", "ecograph.no_such_module:interlocks")
    html = report(toy_eco, tmp_path, progress=False).read_text(encoding="utf-8")
    prof = section_html(html, "profile")
    assert "Could not compute this section." in prof
    assert "RuntimeError: the null model did not converge" in prof
    assert "ModuleNotFoundError" in section_html(html, "interlocks")
    assert "Could not compute" not in section_html(html, "key_persons")  # later sections unaffected
    gaps = section_html(html, "warnings")
    assert "Thin and dense: the structure: RuntimeError: the null model did not converge" in gaps
    assert 'class="failed"' in html  # flagged in the table of contents
    assert "2 section(s) could not be computed" in html


def test_warnings_are_collected_and_others_reemitted(toy_eco, fakes, monkeypatch, tmp_path):
    def warns(eco):
        warnings.warn("only 2 of 45 founding years known", EcographWarning, stacklevel=2)
        warnings.warn("numerical trouble", RuntimeWarning, stacklevel=2)
        return fake_targets()["interlocks"](eco)  # type: ignore[operator]

    monkeypatch.setitem(report_module._TARGETS, "interlocks", warns)
    with pytest.warns(RuntimeWarning, match="numerical trouble"):
        html = report(toy_eco, tmp_path, progress=False).read_text(encoding="utf-8")
    assert "Board interlocks: only 2 of 45 founding years known" in section_html(html, "warnings")


def test_missing_support_data_is_a_notice_not_an_error(toy_eco, fakes, tmp_path):
    html = report(toy_eco, tmp_path, progress=False).read_text(encoding="utf-8")
    sec = section_html(html, "resources")
    assert "no support relations and no resources table" in sec and "Could not compute" not in sec


def test_hostile_strings_never_become_markup(fx, fakes, monkeypatch, tmp_path):
    eco = fx.hostile()
    hostile_ids = list(eco.actors.index[:2])

    def interlocks(e):
        return pd.DataFrame(
            {
                "org_a": [hostile_ids[0]],
                "org_b": [hostile_ids[1]],
                "shared_persons": [1],
                "persons": [[fx.HOSTILE[3]]],
                "weight": [1.0],
            }
        )

    def roles(e):
        return pd.DataFrame({"n_roles": [2]}, index=pd.Index(["p1"], name="actor_id"))

    def key_persons(e):
        return pd.DataFrame({"rank": [1], "roles": [2]}, index=pd.Index(["p1"], name="person_id"))

    def coopetition(e, level="dyad"):
        return pd.DataFrame(
            {
                "org_a": [hostile_ids[0]],
                "org_b": [hostile_ids[1]],
                "competitor_intensity": [0.9],
                "partner_intensity": [0.2],
                "category": [fx.HOSTILE[1]],
                "provenance": [fx.HOSTILE[0]],
            }
        )

    for name, func in {
        "interlocks": interlocks,
        "role_concentration": roles,
        "key_persons": key_persons,
        "coopetition": coopetition,
    }.items():
        monkeypatch.setitem(report_module._TARGETS, name, func)
    html = report(eco, tmp_path, progress=False).read_text(encoding="utf-8")
    for bad in fx.DANGEROUS:
        assert bad not in html, bad
    assert fx.EXTERNAL_URL.search(html) is None
    tags = fx.parse(html).tags
    assert [t for t, _ in tags].count("script") == 0  # the report itself runs no script
    hrefs = [a["href"] for t, a in tags if "href" in a]
    assert all(h.startswith("#") or h == "map.html" for h in hrefs), hrefs
    srcs = [a["src"] for t, a in tags if "src" in a]
    assert all(s.startswith("data:image/png;base64,") for s in srcs)
    inner = fx.srcdoc(html)
    assert [t for t, _ in fx.parse(inner).tags].count("script") == 3
    for bad in fx.DANGEROUS:
        assert bad not in inner, bad
    assert {n["name"] for n in fx.map_payload(inner)["nodes"]} >= set(fx.HOSTILE)
    # the hostile names are shown, escaped
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in html


def test_csp_nonce_shared_with_the_embedded_map(toy_eco, fakes, tmp_path, fx):
    html = report(toy_eco, tmp_path, progress=False).read_text(encoding="utf-8")
    csp = next(a["content"] for t, a in fx.parse(html).tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    inner = fx.parse(fx.srcdoc(html)).tags
    assert all(
        a.get("nonce") == nonce
        for t, a in inner
        if t == "script" and a.get("type") != "application/json"
    )


def test_nothing_written_outside_out_dir(toy_eco, fakes, tmp_path, monkeypatch):
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    report(toy_eco, tmp_path / "out", progress=False)
    assert os.listdir(cwd) == []


def test_progress_lines_without_tqdm(toy_eco, fakes, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    report(toy_eco, tmp_path, progress=True)
    err = capsys.readouterr().err
    assert f"[1/{len(SECTIONS)}] Summary ..." in err
    assert f"[{len(SECTIONS)}/{len(SECTIONS)}] Warnings and gaps ..." in err


def test_progress_bar_with_tqdm(toy_eco, fakes, tmp_path, capsys):
    pytest.importorskip("tqdm")
    report(toy_eco, tmp_path, progress=True)
    err = capsys.readouterr().err
    assert "report: done" in err and f"{len(SECTIONS)}/{len(SECTIONS)}" in err


def test_silent_without_progress(toy_eco, fakes, tmp_path, capsys):
    report(toy_eco, tmp_path, progress=False)
    assert capsys.readouterr().err == ""


def test_bad_arguments(toy_eco, fakes, tmp_path):
    file = tmp_path / "file.txt"
    file.write_text("x")
    with pytest.raises(InputError, match="is a file"):
        report(toy_eco, file)
    with pytest.raises(InputError, match="max_rows"):
        report(toy_eco, tmp_path, max_rows=0)
    html = report(toy_eco, tmp_path, progress=False, map_options={"colour": "red"}).read_text(
        encoding="utf-8"
    )
    assert "unknown map option(s) [&#39;colour&#39;]" in section_html(html, "map")
    assert not (tmp_path / "map.html").exists()


def test_max_rows_truncates_with_a_note(toy_eco, fakes, monkeypatch, tmp_path):
    def many(eco):
        return pd.DataFrame(
            {"org_a": ["o1"] * 30, "org_b": ["o2"] * 30, "shared_persons": np.arange(30)}
        )

    monkeypatch.setitem(report_module._TARGETS, "interlocks", many)
    html = report(toy_eco, tmp_path, progress=False, max_rows=5).read_text(encoding="utf-8")
    sec = section_html(html, "interlocks")
    assert sec.count("<tr>") == 6  # header + 5 rows
    assert "Showing 5 of 30 rows" in sec


@pytest.mark.slow
def test_real_analyses_on_roros(tmp_path, fx):
    """The README's main job, on the bundled Røros case: every section computes.

    Slow (all real analyses); the browser tests and the CI main-job step run it too.
    """
    import ecograph

    eco = ecograph.load_roros()
    html = report(eco, tmp_path, progress=False).read_text(encoding="utf-8")
    failed = re.findall(r'id="([a-z_]+)">(?:(?!</section>).)*Could not compute', html, flags=re.S)
    assert failed == []
    assert len(fx.map_payload(fx.srcdoc(html))["nodes"]) == len(eco.actors)


def test_flat_name_is_callable_even_after_the_subpackage_import(toy_eco, fakes, tmp_path):
    import ecograph
    import ecograph.reporting.html  # the implementing module must not shadow the flat name

    assert callable(ecograph.report)
    assert ecograph.report(toy_eco, tmp_path, progress=False) == tmp_path / "index.html"
