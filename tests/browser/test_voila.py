"""Every notebook in Voila: loads, draws every chart, every control moves its chart, no errors."""

from __future__ import annotations

import pytest

from tests.browser.conftest import NOTEBOOKS, screenshot
from tests.browser.exercise import (
    assert_no_python_errors,
    exercise_apps,
    exercise_selfchecks,
    expected_apps,
    expected_selfchecks,
    wait_for_charts,
)

PAGES = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)

pytestmark = pytest.mark.browser


def test_there_are_pages_with_apps():
    assert PAGES and any(expected_apps(p) for p in PAGES)


@pytest.mark.parametrize("notebook", PAGES, ids=lambda p: p.relative_to(NOTEBOOKS).as_posix())
def test_page_is_live_and_clean(voila, page, notebook):
    browser_page, problems = page
    rel = notebook.relative_to(NOTEBOOKS).as_posix()
    browser_page.goto(f"{voila.url}/voila/render/{rel}", wait_until="domcontentloaded")
    wait_for_charts(browser_page, expected_apps(notebook))
    assert_no_python_errors(browser_page)
    moved = exercise_apps(browser_page)
    assert moved >= expected_apps(notebook), "each app should have at least one control"
    assert exercise_selfchecks(browser_page) == expected_selfchecks(notebook)
    assert_no_python_errors(browser_page)
    screenshot(browser_page, "voila-" + rel.replace("/", "-").removesuffix(".ipynb"))
    assert problems.real_errors() == []
