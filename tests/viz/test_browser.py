"""The map and the report in a real browser: Debian's headless Chromium driven by Playwright.

Run with ``pytest -m browser`` (excluded from the default run). Needs the
``playwright`` Python package and ``/usr/bin/chromium`` (``apt-get install
chromium``); never a browser downloaded by Playwright. Screenshots go to
``test-artifacts/`` at the repository root.
"""

from __future__ import annotations

import pathlib
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = pathlib.Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = pathlib.Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class Watch:
    """Everything a page did that a test may want to assert on."""

    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def open_page(
    browser: Any, path: pathlib.Path, *, width: int = 1400, height: int = 900
) -> tuple[Any, Watch]:
    """Open a local file, every request routed: anything but the file is blocked and recorded."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, service_workers="block"
    )
    page = context.new_page()
    watch = Watch(url=path.resolve().as_uri())

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(("http:", "https:", "ws:", "wss:", "ftp:")):
            watch.blocked.append(url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    context.on("request", lambda req: watch.requests.append(req.url))
    page.on(
        "console",
        lambda m: (
            watch.errors.append(f"console.{m.type}: {m.text}")
            if m.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda e: watch.errors.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (watch.dialogs.append(d.message), d.dismiss()))
    page.goto(watch.url, wait_until="load")
    return page, watch


def wait_ready(frame: Any, timeout_ms: int = 60_000) -> None:
    # polled from Python: Playwright's wait_for_function evaluates its predicate inside the
    # page, which the map's Content-Security-Policy (no 'unsafe-eval') rightly refuses once
    # the first check fails (a slow, loaded machine); evaluate() runs outside the page's CSP
    ready = "window.ecographMap !== undefined && window.ecographMap.ready === true"
    deadline = time.monotonic() + timeout_ms / 1000.0
    while not frame.evaluate(ready):
        if time.monotonic() > deadline:
            raise AssertionError(f"the map did not report ready within {timeout_ms} ms")
        time.sleep(0.1)


def assert_offline_and_clean(watch: Watch) -> None:
    assert watch.blocked == [], watch.blocked
    other = [u for u in watch.requests if u != watch.url and not u.startswith(("data:", "about:"))]
    assert other == [], other
    assert watch.errors == [], watch.errors
    assert watch.dialogs == [], watch.dialogs


def shoot(page_or_locator: Any, name: str, **kwargs: Any) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page_or_locator.screenshot(path=str(ARTIFACTS / name), **kwargs)


def drawn_nodes(frame: Any) -> tuple[int, int]:
    return (
        frame.evaluate("window.ecographMap.nodes.length"),
        frame.evaluate("window.ecographMap.network.body.nodeIndices.length"),
    )


# ---------------------------------------------------------------- maps
def test_roros_map_draws_every_actor_offline(browser, tmp_path):
    import ecograph
    from ecograph.viz.pyvis_map import network_map

    eco = ecograph.load_roros()
    path = network_map(eco, tmp_path / "roros-map.html")
    page, watch = open_page(browser, path)
    wait_ready(page)
    assert drawn_nodes(page) == (len(eco.actors), len(eco.actors))
    assert page.evaluate("window.ecographMap.edges.length") == len(eco.relations)
    shoot(page, "map-roros.png")
    assert_offline_and_clean(watch)


def test_map_search_highlight_and_layer_toggles(browser, tmp_path, fx):
    from ecograph.viz.pyvis_map import network_map

    eco = fx.toy()
    path = network_map(eco, tmp_path / "toy-map.html")
    page, watch = open_page(browser, path)
    wait_ready(page)
    page.fill("#eg-search", "bergstadens")
    page.press("#eg-search", "Enter")
    assert page.text_content("#eg-status") == "1 actor matches."
    target = f"a{int(eco.vertex_index['o2'])}"
    assert page.evaluate("window.ecographMap.network.getSelectedNodes()") == [target]
    assert page.text_content("#eg-details").startswith("Bergstadens Hotell\nFirm")
    dim = page.evaluate("window.ecographMap.nodes.get().filter(n => n.opacity < 1).length")
    assert dim == len(eco.actors) - 1
    shoot(page, "map-toy-search.png")
    page.click("#eg-clear")
    assert page.evaluate("window.ecographMap.nodes.get().filter(n => n.opacity < 1).length") == 0
    # layer toggles: hiding board seats removes exactly those edges from the view
    n_board = int((eco.relations["kind"] == "board_seat").sum())
    before = page.evaluate("window.ecographMap.edgeView.length")
    page.uncheck('input[data-layer="board_seat"]')
    assert page.evaluate("window.ecographMap.edgeView.length") == before - n_board
    assert page.text_content("#eg-count-edges") == str(before - n_board)
    page.click("#eg-none")
    assert page.evaluate("window.ecographMap.edgeView.length") == 0
    page.click("#eg-all")
    assert page.evaluate("window.ecographMap.edgeView.length") == before
    # actor-kind toggles hide the persons and their relations
    page.uncheck('input[data-kind="person"]')
    assert page.evaluate("window.ecographMap.nodeView.length") == len(eco.actors) - 2
    assert (
        page.evaluate("window.ecographMap.network.body.nodeIndices.length") == len(eco.actors) - 2
    )
    assert_offline_and_clean(watch)


def test_hostile_names_do_not_execute_in_the_map(browser, tmp_path, fx):
    from ecograph.viz.pyvis_map import network_map

    eco = fx.hostile()
    path = network_map(eco, tmp_path / "hostile-map.html")
    page, watch = open_page(browser, path)
    wait_ready(page)
    page.fill("#eg-search", "img src")
    page.press("#eg-search", "Enter")
    node = page.evaluate("window.ecographMap.network.getSelectedNodes()[0]")
    page.evaluate(f"window.ecographMap.network.selectNodes(['{node}'])")
    # hover every node so vis builds each tooltip
    for node_id in page.evaluate("window.ecographMap.nodes.getIds()"):
        pos = page.evaluate(
            f"window.ecographMap.network.canvasToDOM(window.ecographMap.network.getPosition('{node_id}'))"
        )
        box = page.locator("#eg-network").bounding_box()
        page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
        page.wait_for_timeout(250)
    shoot(page, "map-hostile.png")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert drawn_nodes(page) == (len(eco.actors), len(eco.actors))
    assert (
        page.evaluate(
            "document.querySelectorAll('img, svg[onload], a[href^=\"javascript\"]').length"
        )
        == 0
    )
    assert page.title().startswith(fx.HOSTILE[0])  # shown as text
    assert_offline_and_clean(watch)


def test_5000_actor_map_opens_in_seconds(browser, tmp_path):
    from ecograph.synthetic import synthetic_region
    from ecograph.viz.pyvis_map import network_map

    eco = synthetic_region(2000, seed=1)
    assert len(eco.actors) == 5000
    t0 = time.perf_counter()
    path = network_map(eco, tmp_path / "big.html")
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    page, watch = open_page(browser, path)
    wait_ready(page, timeout_ms=60_000)
    opened = time.perf_counter() - t0
    assert drawn_nodes(page) == (5000, 5000)
    assert page.evaluate("window.ecographMap.network.physics.physicsEnabled") is False
    shoot(page, "map-5000.png")
    print(f"5,000-actor map: built in {build:.1f} s, drawn in the browser in {opened:.1f} s")
    assert opened < 20.0  # generous on a shared 2-core machine; typically 2-4 s
    assert_offline_and_clean(watch)


# ---------------------------------------------------------------- report
def test_roros_report_in_the_browser(browser, tmp_path):
    import ecograph
    from ecograph.reporting.html import report

    eco = ecograph.load_roros()
    path = report(eco, tmp_path / "roros-report", progress=False)
    page, watch = open_page(browser, path, width=1400, height=1000)
    assert page.locator(".error").count() == 0, page.locator(".error").all_text_contents()
    assert page.locator("section.card").count() == 11
    assert page.locator("img").count() >= 4
    assert all(
        page.evaluate("Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
    )
    shoot(page, "report-roros-full.png", full_page=True)
    page.locator("iframe.map-frame").scroll_into_view_if_needed()
    frame = page.locator("iframe.map-frame").element_handle().content_frame()
    wait_ready(frame)
    assert drawn_nodes(frame) == (len(eco.actors), len(eco.actors))
    shoot(page.locator("#map"), "report-roros-map.png")
    assert_offline_and_clean(watch)


def test_hostile_names_do_not_execute_in_the_report(browser, tmp_path, fx):
    from ecograph.reporting.html import report

    eco = fx.hostile()
    path = report(eco, tmp_path / "hostile-report", progress=False)
    page, watch = open_page(browser, path)
    page.locator("iframe.map-frame").scroll_into_view_if_needed()
    frame = page.locator("iframe.map-frame").element_handle().content_frame()
    wait_ready(frame)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert frame.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.scripts.length") == 0
    assert (
        page.evaluate(
            "document.querySelectorAll("
            "'img:not([src^=\"data:image/png\"]), svg, a[href^=\"javascript\"]').length"
        )
        == 0
    )
    assert fx.HOSTILE[1] in page.text_content("h1")  # rendered as text
    shoot(page, "report-hostile.png", full_page=True)
    # an analysis failing on hostile data is fine; executing it is not
    watch.errors = [e for e in watch.errors if "Could not compute" not in e]
    assert_offline_and_clean(watch)


def test_roros_report_tables_fit_a_laptop_screen(browser, tmp_path):
    """At 1280 px no visible table needs sideways scrolling (headers wrap instead)."""
    import ecograph
    from ecograph.reporting.html import report

    path = report(ecograph.load_roros(), tmp_path / "roros-report", progress=False)
    page, watch = open_page(browser, path, width=1280, height=900)
    too_wide = page.evaluate(
        """Array.from(document.querySelectorAll('.tbl-wrap'))
             .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
             .map(e => [e.closest('section').id, e.scrollWidth, e.clientWidth])"""
    )
    assert too_wide == []
    assert_offline_and_clean(watch)
