"""Every notebook in Voila: loads, draws every chart, every control moves its chart, no errors.

Dashboards also show a loading note until their chart draws, and fit a 1280 × 720 projector
screen without scrolling, in projector-sized type.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import NOTEBOOKS, screenshot
from tests.browser.exercise import (
    assert_controls_show_tooltips,
    assert_no_python_errors,
    exercise_apps,
    exercise_selfchecks,
    expected_apps,
    expected_selfchecks,
    wait_for_charts,
)

PAGES = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
PROJECTOR = {"width": 1280, "height": 720}
#: Watches, frame by frame until the chart draws, whether the loading note was ever on show
#: (Voila's own spinner covers the page while the notebook runs; the note covers the widgets' start).
LOADING_PROBE = """window.__primerLoadingShown = false;
const watch = () => {
  const note = document.querySelector('.primer-loading');
  if (note && note.offsetParent !== null) { window.__primerLoadingShown = true; return; }
  if (!document.querySelector('.primer-livechart[data-renders]')) requestAnimationFrame(watch);
};
requestAnimationFrame(watch);"""
LAYOUT = """() => {
  const scroller = document.querySelector('#rendered_cells') || document.scrollingElement;
  const parts = document.querySelectorAll('.primer-dashboard svg, .primer-dashboard .widget-label');
  const right = Math.max(...[...parts]
                         .map(e => e.getBoundingClientRect().right));
  const size = sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize);
  return {overflowY: scroller.scrollHeight - scroller.clientHeight, right,
          labelPx: size('.primer-dashboard .widget-label'), promptPx: size('.primer-dashboard-prompt'),
          loadingHidden: document.querySelector('.primer-loading').offsetParent === null};
}"""

pytestmark = pytest.mark.browser


def test_there_are_pages_with_apps():
    assert PAGES and any(expected_apps(p) for p in PAGES)
    assert any(p.parent.name == "dashboards" for p in PAGES)


def assert_dashboard_fits_a_projector(page) -> None:
    layout = page.evaluate(LAYOUT)
    assert page.evaluate("window.__primerLoadingShown") is True, "no loading note before the chart"
    assert layout["loadingHidden"], "the loading note stays after the chart has drawn"
    assert layout["overflowY"] <= 1, f"the dashboard scrolls by {layout['overflowY']} px at 1280 × 720"
    assert layout["right"] <= PROJECTOR["width"], f"the dashboard is {layout['right']:.0f} px wide"
    assert layout["labelPx"] >= 16 and layout["promptPx"] >= 18, layout


@pytest.mark.parametrize("notebook", PAGES, ids=lambda p: p.relative_to(NOTEBOOKS).as_posix())
def test_page_is_live_and_clean(voila, page, notebook):
    browser_page, problems = page
    rel = notebook.relative_to(NOTEBOOKS).as_posix()
    dashboard = notebook.parent.name == "dashboards"
    if dashboard:
        browser_page.set_viewport_size(PROJECTOR)
        browser_page.add_init_script(LOADING_PROBE)
    browser_page.goto(f"{voila.url}/voila/render/{rel}", wait_until="domcontentloaded")
    wait_for_charts(browser_page, expected_apps(notebook))
    assert_no_python_errors(browser_page)
    assert_controls_show_tooltips(browser_page)
    if dashboard:
        assert_dashboard_fits_a_projector(browser_page)
    moved = exercise_apps(browser_page)
    assert moved >= expected_apps(notebook), "each app should have at least one control"
    assert exercise_selfchecks(browser_page) == expected_selfchecks(notebook)
    assert_no_python_errors(browser_page)
    screenshot(browser_page, "voila-" + rel.replace("/", "-").removesuffix(".ipynb"))
    assert problems.real_errors() == []
