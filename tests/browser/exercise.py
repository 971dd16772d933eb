"""What a learner does on a page, as functions both the Voila and the JupyterLab tests use."""

from __future__ import annotations

import json
from pathlib import Path

from primer_lib.glossary import terms_in
from primer_lib.widgets.app import label_words

CHART_TIMEOUT_MS = 90_000
CHANGE_TIMEOUT_MS = 10_000
#: A button may start real work (the capstone's "Run trial", about 0.5 s warm, longer on a busy machine).
BUTTON_TIMEOUT_MS = 45_000

SVG_OF = "el => { const s = el.querySelector('.primer-livechart svg'); return s ? s.innerHTML : ''; }"
CHANGED = """([el, before]) => {
  const s = el.querySelector('.primer-livechart svg');
  return s !== null && s.innerHTML !== before;
}"""


def expected_apps(notebook: Path) -> int:
    """Apps a notebook shows: its saved outputs carry one "[Interactive: ..." line each."""
    cells = json.loads(notebook.read_text())["cells"]
    return sum("".join(o.get("data", {}).get("text/plain", "")).startswith("[Interactive:")
               for c in cells for o in c.get("outputs", []))


def expected_selfchecks(notebook: Path) -> int:
    cells = json.loads(notebook.read_text())["cells"]
    return sum("".join(o.get("data", {}).get("text/plain", "")).startswith("[Self-check:")
               for c in cells for o in c.get("outputs", []))


def wait_for_charts(page, apps: int) -> None:
    """Wait until ``apps`` apps are on the page and every chart has drawn."""
    page.wait_for_function(
        """n => {
          const charts = document.querySelectorAll('.primer-app .primer-livechart');
          return charts.length >= n && [...charts].every(c => Number(c.dataset.renders || 0) > 0
                 && c.querySelector('svg .mark-line, svg .mark-symbol, svg .mark-rect, svg .mark-area'));
        }""", arg=apps, timeout=CHART_TIMEOUT_MS)
    assert page.locator(".primer-app").count() == apps


CONTROLS = ".primer-app .widget-dropdown, .primer-app .widget-checkbox, .primer-app .widget-slider"


def assert_controls_show_tooltips(page) -> int:
    """Every control of an app carries its tooltip in the page, with the glossary definition of each
    term its label or options name (ipywidgets 8 drops the tooltips of labelled dropdowns and
    checkboxes; primer_lib's TooltipBridge puts them back). Returns how many controls name a term."""
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('{CONTROLS}')]
                 .every(e => [e, ...e.querySelectorAll('[title]')].some(n => (n.title || '').length > 20))""",
        timeout=CHART_TIMEOUT_MS)
    controls = page.evaluate(f"""() => [...document.querySelectorAll('{CONTROLS}')].map(e => ({{
        labels: [...e.querySelectorAll('label, option')].map(n => n.textContent.replaceAll('\\u200b', '')),
        titles: [e, ...e.querySelectorAll('[title]')].map(n => n.title || '').join(' | ')}}))""")
    named = 0
    for control in controls:
        terms = terms_in(label_words(control["labels"]))
        for term in terms:
            assert term.tooltip in control["titles"], f"{control['labels']!r} lacks {term.term}"
        named += bool(terms)
    return named


def assert_no_python_errors(page, kernel_lost: bool = False) -> None:
    """No traceback, widget error or error message on the page; no kernel-lost banner unless expected."""
    stderr = page.locator("[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, stderr.first.inner_text()
    body = page.inner_text("body")
    for marker in ("Traceback", "Error displaying widget", "could not be drawn"):
        assert marker not in body, f"page shows {marker!r}"
    alerts = page.locator(".primer-app [role=alert]")
    assert alerts.count() == 0, alerts.first.inner_text()
    if not kernel_lost:
        lost = page.locator(".primer-kernel-lost")
        assert not (lost.count() and lost.first.is_visible()), "a live page claims it lost its kernel"


def _expect_chart_change(app, before: str, what: str, timeout_ms: int = CHANGE_TIMEOUT_MS) -> None:
    try:
        app.page.wait_for_function(CHANGED, arg=[app.element_handle(), before], timeout=timeout_ms)
    except Exception as error:  # noqa: BLE001 - re-raised with the control's name
        raise AssertionError(f"chart did not change after {what}") from error


def exercise_apps(page) -> int:
    """Move every control of every app and check its chart changes; return controls moved."""
    moved = 0
    for i in range(page.locator(".primer-app").count()):
        app = page.locator(".primer-app").nth(i)
        app.scroll_into_view_if_needed()
        handles = app.locator(".noUi-handle")
        for j in range(handles.count()):
            handle = handles.nth(j)
            key = "ArrowLeft" if handle.get_attribute("aria-valuenow") == handle.get_attribute(
                "aria-valuemax") else "ArrowRight"
            before = app.evaluate(SVG_OF)
            handle.focus()
            page.keyboard.press(key)
            _expect_chart_change(app, before, f"slider {j} of app {i} ({key})")
            moved += 1
        selects = app.locator("select")
        for j in range(selects.count()):
            select = selects.nth(j)
            current = select.evaluate("s => s.selectedIndex")
            before = app.evaluate(SVG_OF)
            select.select_option(index=1 if current == 0 else 0)
            _expect_chart_change(app, before, f"dropdown {j} of app {i}")
            moved += 1
        for selector, timeout in (("input[type=checkbox]", CHANGE_TIMEOUT_MS), ("button", BUTTON_TIMEOUT_MS)):
            items = app.locator(selector)
            for j in range(items.count()):
                # A lit preset button shows what is already drawn; clicking it again changes nothing.
                if "mod-active" in (items.nth(j).get_attribute("class") or "").split():
                    continue
                before = app.evaluate(SVG_OF)
                items.nth(j).click()
                _expect_chart_change(app, before, f"{selector} {j} of app {i}", timeout)
                moved += 1
        texts = app.locator("input[type=text], input[type=number]")
        for j in range(texts.count()):
            field = texts.nth(j)
            before = app.evaluate(SVG_OF)
            field.fill(str(float(field.input_value() or 0) + 1))
            field.press("Enter")
            _expect_chart_change(app, before, f"text field {j} of app {i}")
            moved += 1
    return moved


def exercise_selfchecks(page) -> int:
    """Answer every self-check and see feedback appear; return how many were answered."""
    checks = page.locator(".primer-selfcheck")
    for i in range(checks.count()):
        check = checks.nth(i)
        check.scroll_into_view_if_needed()
        radios = check.locator("input[type=radio]")
        if radios.count():
            radios.first.check()
        else:
            check.locator("input").first.fill("1")
            check.locator("button").first.click()
        check.locator("[role=status]").wait_for(timeout=CHANGE_TIMEOUT_MS)
    return checks.count()
