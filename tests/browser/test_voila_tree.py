"""The Voila tree `make dashboards` serves: every lesson and dashboard by title, grouped, one click away."""

from __future__ import annotations

import pytest

from tests.browser.conftest import NOTEBOOKS, screenshot
from tests.test_voila_titles import DASHBOARDS, SERVED, expected_title

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 90_000
#: Smallest title size readable on a classroom projector.
MIN_TITLE_PX = 24


def group_of(notebook) -> str:
    return "Classroom dashboards" if notebook.parent.name == "dashboards" else "Lessons"


def test_root_lists_every_lesson_and_dashboard_by_title(voila, page):
    browser_page, problems = page
    browser_page.goto(voila.url + "/", wait_until="load")
    expected_groups = ["Lessons"] + (["Classroom dashboards"] if DASHBOARDS else [])
    assert browser_page.locator(".primer-group-title").all_inner_texts() == expected_groups
    for notebook in SERVED:
        rel = notebook.relative_to(NOTEBOOKS).as_posix()
        link = browser_page.locator(f'.primer-group:has(.primer-group-title:text-is("{group_of(notebook)}")) '
                                    f'a[href="/voila/render/{rel}"]')
        assert link.count() == 1, rel
        assert link.locator(".primer-title").inner_text() == expected_title(notebook)
        assert link.locator(".primer-file").inner_text() == notebook.name
    sizes = browser_page.eval_on_selector_all(
        ".primer-title", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert len(sizes) == len(SERVED) and min(sizes) >= MIN_TITLE_PX
    screenshot(browser_page, "voila-tree")
    assert problems.real_errors() == []


@pytest.mark.skipif(not DASHBOARDS, reason="no dashboards yet")
def test_dashboards_folder_page_lists_them_by_title(voila, page):
    browser_page, problems = page
    browser_page.goto(voila.url + "/", wait_until="load")
    browser_page.get_by_role("link", name="open folder").click()
    browser_page.wait_for_url(f"{voila.url}/voila/tree/dashboards")
    assert browser_page.locator(".primer-group-title").all_inner_texts() == ["Classroom dashboards"]
    assert browser_page.locator(".primer-title").all_inner_texts() == [expected_title(p) for p in DASHBOARDS]
    browser_page.get_by_role("link", name="Up one folder").click()
    browser_page.wait_for_url(f"{voila.url}/voila/tree")
    assert browser_page.locator(".primer-group-title").count() == 2
    assert problems.real_errors() == []


def test_a_title_opens_its_page(voila, page):
    # The root test checks every link's target; one click shows a title is a working link. (Each page
    # opened starts a kernel, so opening all twelve here again would cost minutes on 2 cores.)
    browser_page, problems = page
    notebook = SERVED[0]
    rel = notebook.relative_to(NOTEBOOKS).as_posix()
    browser_page.goto(voila.url + "/", wait_until="load")
    assert problems.real_errors() == []
    title = browser_page.get_by_text(expected_title(notebook), exact=True)
    link = browser_page.locator(".primer-list a").filter(has=title)
    assert link.count() == 1
    with browser_page.expect_navigation(wait_until="commit", timeout=PAGE_TIMEOUT_MS):
        link.click()
    # Voila streams the page: its head (titled with the notebook's name) comes before the kernel has
    # started. That is enough to tell the page; test_voila.py checks each page's content and controls.
    browser_page.wait_for_url(f"{voila.url}/voila/render/{rel}", wait_until="commit", timeout=PAGE_TIMEOUT_MS)
    browser_page.wait_for_function("stem => document.title.trim() === stem", arg=notebook.stem,
                                   timeout=PAGE_TIMEOUT_MS)
