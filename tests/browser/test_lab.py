"""Every lesson and dashboard in JupyterLab: opens cleanly, runs all cells, every control moves its chart."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.browser.conftest import NOTEBOOKS, screenshot
from tests.browser.exercise import (
    CHART_TIMEOUT_MS,
    assert_controls_show_tooltips,
    assert_no_python_errors,
    exercise_apps,
    exercise_selfchecks,
    expected_apps,
    expected_selfchecks,
    wait_for_charts,
)

pytestmark = pytest.mark.browser
# Every dashboard runs a lesson's app (tested here) through one builder: one dashboard shows the
# builder works in Lab (test_voila.py drives every dashboard), keeping `make test` under 10 minutes.
LESSONS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
LAB_NOTEBOOKS = [*LESSONS, *sorted(NOTEBOOKS.glob("dashboards/*.ipynb"))[:1]]

RUN_ALL = """async () => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  await panel.sessionContext.ready;
  await app.commands.execute('notebook:run-all-cells');
}"""


def read_while_scrolling(page) -> str:
    """Text of every cell: Lab renders cells lazily, so scroll the notebook through."""
    seen = []
    for _ in range(60):
        seen.append(page.inner_text(".jp-Notebook"))
        at_end = page.evaluate("""() => {
          const panel = document.querySelector('.jp-WindowedPanel-outer');
          panel.scrollBy(0, panel.clientHeight * 0.8);
          return panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 2;
        }""")
        page.wait_for_timeout(150)
        if at_end:
            seen.append(page.inner_text(".jp-Notebook"))
            break
    return "\n".join(seen)


@pytest.mark.parametrize("notebook", LAB_NOTEBOOKS, ids=lambda p: p.relative_to(NOTEBOOKS).as_posix())
def test_lesson_runs_live_in_jupyterlab(lab, page, notebook):
    browser_page, problems = page
    rel = notebook.relative_to(NOTEBOOKS.parent).as_posix()
    # A fresh workspace per run, reset, so no earlier layout is restored.
    browser_page.goto(f"{lab.url}/lab/workspaces/test-{uuid.uuid4().hex[:8]}/tree/{rel}?reset")
    browser_page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext", timeout=CHART_TIMEOUT_MS)
    browser_page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=CHART_TIMEOUT_MS)
    # Every cell is rendered (the fixture turns Lab's virtual scrolling off), so the whole notebook is read.
    cells = len(json.loads(notebook.read_text())["cells"])
    browser_page.wait_for_function(f"document.querySelectorAll('.jp-Notebook .jp-Cell').length >= {cells}",
                                   timeout=CHART_TIMEOUT_MS)
    # Saved outputs are text only: opening the notebook must show no widget errors.
    saved = read_while_scrolling(browser_page)
    assert "Error displaying widget" not in saved
    assert "Run this cell" in saved
    browser_page.evaluate(RUN_ALL)
    wait_for_charts(browser_page, expected_apps(notebook))
    assert_no_python_errors(browser_page)
    assert_controls_show_tooltips(browser_page)
    exercise_apps(browser_page)
    assert exercise_selfchecks(browser_page) == expected_selfchecks(notebook)
    assert_no_python_errors(browser_page)
    if notebook.parent.name == "dashboards":  # its loading note gives way to the dashboard in Lab too
        assert not browser_page.locator(".primer-loading").is_visible()
    name = notebook.relative_to(NOTEBOOKS).with_suffix("").as_posix().replace("/", "-")
    screenshot(browser_page, "lab-" + name)
    assert problems.real_errors() == []
