"""The static site (``make site``) opened from disk in Chromium with the network off.

One build per session; then the index and every page from ``file://``: every chart drawn by the
vendored Vega bundle, its description visible, math drawn (MathML, not raw ``$…$``), solutions that
open and close, no console error, and not one request that is not a local file.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from primer_lib.devtools import site
from tests.browser.conftest import NOTEBOOKS, screenshot
from tests.browser.exercise import expected_apps, expected_selfchecks
from tests.test_site import loaded_urls, remote

PAGES = site.site_pages(NOTEBOOKS)
DRAW_TIMEOUT_MS = 60_000
#: Per chart: drawn by site.js, data marks in its SVG, and its description as shown.
CHARTS = """() => [...document.querySelectorAll('.primer-static-chart')].map(f => ({
  drawn: f.dataset.drawn === 'true',
  marks: f.querySelectorAll('.primer-static-view svg g.role-mark > *').length,
  description: f.querySelector('.primer-chart-description p').innerText.trim(),
}))"""
MATH = """() => ({
  fontPx: parseFloat(getComputedStyle(document.querySelector('main p')).fontSize),
  formulas: [...document.querySelectorAll('math')].map(m => {
    const box = m.getBoundingClientRect();
    return {width: box.width, height: box.height};
  }),
  fractions: [...document.querySelectorAll('math mfrac')].map(f => f.getBoundingClientRect().height),
})"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    site.build_site(out)
    return out


@pytest.fixture
def offline(browser):
    """A page with the network off; every request that is not a local file is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    attempted: list[str] = []
    errors: list[str] = []

    def only_files(route):
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            attempted.append(url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:", "about:"))
            else attempted.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    yield page, attempted, errors
    context.close()


def test_the_offline_page_records_and_blocks_any_request_beyond_local_files(offline, tmp_path):
    page, attempted, _ = offline
    probe = tmp_path / "probe.html"
    probe.write_text("<img src='https://example.org/x.png'><script src='http://example.org/x.js'></script>")
    page.goto(probe.as_uri())
    page.wait_for_load_state("load")
    assert {"https://example.org/x.png", "http://example.org/x.js"} <= set(attempted)


def test_every_page_loads_nothing_remote_and_links_no_notebook(built_site):
    for path in built_site.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert remote(loaded_urls(text)) == [], path.name
        assert site.unresolved_links(text) == [], path.name


class _Anchors(HTMLParser):
    """A page's ids (and named anchors) and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        self.ids |= {found[k] for k in ("id", "name") if found.get(k) and (k == "id" or tag == "a")}
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])


def test_every_link_between_pages_reaches_its_page_and_anchor(built_site):
    pages = {}
    for path in built_site.glob("*.html"):
        pages[path.name] = _Anchors()
        pages[path.name].feed(path.read_text(encoding="utf-8"))
    broken = []
    for name, page in pages.items():
        for href in page.links:
            if urlsplit(href).scheme:  # external reading links (papers, DOIs)
                continue
            target, _, anchor = href.partition("#")
            if target and target not in pages:
                broken += [] if (built_site / target).is_file() else [f"{name}: {href}"]
            elif anchor and anchor not in pages[target or name].ids:
                broken.append(f"{name}: {href}")
    assert broken == []


def test_index_lists_every_page_and_its_links_resolve(built_site, offline):
    page, attempted, errors = offline
    page.goto((built_site / "index.html").as_uri())
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
    local = [h for h in hrefs if h.startswith("file:")]
    assert {Path(unquote(urlsplit(h).path)).name for h in local} >= {p.html_name for p in PAGES}
    for href in local:
        assert Path(unquote(urlsplit(href).path)).is_file(), href
    text = page.inner_text("body")
    assert "Educational tool, not clinical advice." in text and re.search(r"Built on \d{4}-\d\d-\d\d", text)
    for p in PAGES:
        if p.lesson is not None:
            assert p.title in text and f"{p.lesson.minutes} min" in text
            assert all(goal in text for goal in p.lesson.objectives)
    screenshot(page, "site-index")
    assert attempted == [] and errors == []


def _toggle_first_solution(page) -> None:
    solution = page.locator(".jp-RenderedMarkdown details").first
    body = solution.locator(":scope > :not(summary)").first
    assert solution.get_attribute("open") is None and not body.is_visible()
    solution.locator("summary").click()
    assert solution.get_attribute("open") is not None and body.is_visible()
    solution.locator("summary").click()
    assert solution.get_attribute("open") is None


def _assert_math_drawn(page, notebook: Path) -> None:
    markdown = "\n".join(c.source for c in nbformat.read(notebook, as_version=4).cells
                          if c.cell_type == "markdown")
    written = len(re.findall(r"\$\$.+?\$\$|\$[^$\n]+?\$", markdown, re.S))
    math = page.evaluate(MATH)
    assert len(math["formulas"]) >= written, f"{len(math['formulas'])} formulas drawn, {written} written"
    assert all(m["width"] > 0 and m["height"] > 0 for m in math["formulas"]), math
    # Drawn as MathML, a fraction stands about two lines of text tall; as raw text it would be one.
    assert all(h > 1.5 * math["fontPx"] for h in math["fractions"]), math
    text = page.inner_text("main")
    assert not re.search(r"\$\$|\$\\|\\frac", text), "raw TeX on the page"


@pytest.mark.parametrize("entry", PAGES, ids=lambda p: p.source.stem)
def test_page_reads_offline_with_every_chart_drawn(built_site, offline, entry):
    page, attempted, errors = offline
    page.goto((built_site / entry.html_name).as_uri())
    apps = expected_apps(entry.source)
    if apps:
        page.wait_for_function("document.body.dataset.chartsDone !== undefined", timeout=DRAW_TIMEOUT_MS)
    charts = page.evaluate(CHARTS)
    assert len(charts) == apps, "one chart per live chart of the notebook"
    for i, chart in enumerate(charts):
        assert chart["drawn"] and chart["marks"] > 0, f"chart {i} is not drawn: {chart}"
        assert len(chart["description"]) > 20, f"chart {i} has no description"
        assert page.locator(".primer-static-chart .primer-chart-description p").nth(i).is_visible()
    assert page.locator(".primer-static-selfcheck").count() == expected_selfchecks(entry.source)
    dead = page.locator(":is(.primer-static-app, .primer-static-selfcheck) :is(input, select, button)")
    assert dead.count() == 0, "a static copy shows no controls that cannot work"
    body = page.inner_text("body")
    for marker in ("Loading widget", "Error displaying widget", "could not be drawn", "Traceback"):
        assert marker not in body
    _assert_math_drawn(page, entry.source)
    if page.locator(".jp-RenderedMarkdown details").count():
        _toggle_first_solution(page)
    screenshot(page, "site-" + entry.source.stem)
    assert attempted == [], f"requests beyond the page's files: {attempted}"
    assert errors == []
