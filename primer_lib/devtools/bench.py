"""`make bench`: how fast the course feels, against its performance budget (Markdown + JSON).

Every row has a budget and a verdict; median and p95 are over repeated runs (p95 is nearest-rank,
so with fewer than 20 values it is the slowest run). Sections:

1. update compute, in the kernel process: each control of each app in the catalog and of each
   dashboard (``app.last_update_ms``), each dashboard preset (``Dashboard.apply``, wall time) and the
   capstone's Run trial button (``last_run_ms``, cache cleared so every run simulates);
2. slider-to-chart in Voila (headless Chromium): each slider of each dashboard moved by keyboard,
   alternating direction, timed inside the page from keydown to the chart's svg changing;
3. page to first chart in Voila, for every lesson and dashboard: cold (``preheat_kernel=False``) and,
   for dashboards, with the classroom configuration (``voila.json``'s warm pools); after each warm
   load the pool refills before the next, and the refill time is reported;
4. notebook execution (nbclient, top to bottom) of every lesson and dashboard;
5. install: a fresh venv in a temporary folder with ``make start``'s install step, timed and sized.

The browser parts reuse :mod:`primer_lib.devtools.loadtest` (page scripts, Voila server, kernel
monitor); Voila runs from the repository root through :func:`serve_dashboards.voila_command`::

    python -m primer_lib.devtools.bench                     # make bench: writes tests/benchmarks/latest.*
    python -m primer_lib.devtools.bench --skip-install --skip-browser --only 01_ --out /tmp/bench
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from primer_lib.devtools.loadtest import percentile
from primer_lib.devtools.serve_dashboards import ROOT

MOVES_PER_CONTROL = 30
SLIDER_MOVES = 8
REPEATS = 3
#: The capstone's Run trial simulates every patient (about half a second): fewer runs than a control.
TRIAL_RUNS = 6
PAGE_TIMEOUT_S = 90.0
SLIDER_TIMEOUT_S = 10.0
#: A student's pause between slider moves; it also lets the previous redraw finish.
SLIDER_PAUSE_S = 0.3
#: voila.json refills a pool 120 s after a kernel is taken; waiting that long between warm loads would
#: take most of the run, so the bench refills sooner. Long enough that the refill never overlaps the
#: page it is timing (budget 2 s), so the page-to-chart time is the classroom's.
BENCH_FILL_DELAY_S = 5.0
REFILL_WAIT_S = 180.0
PACKAGES = ("numpy", "scipy", "pandas", "altair", "anywidget", "ipywidgets", "jupyterlab", "voila",
            "ipykernel", "nbclient", "playwright")


@dataclass(frozen=True)
class Budget:
    """Upper limits on the median and on the p95 (None: not limited)."""

    median: float | None = None
    p95: float | None = None

    def text(self, unit: str) -> str:
        parts = [f"{name} ≤ {limit:g} {unit}" for name, limit in (("median", self.median), ("p95", self.p95))
                 if limit is not None]
        return ", ".join(parts) or "none set"

    def as_dict(self) -> dict[str, float | None]:
        return {"median": self.median, "p95": self.p95}


UPDATE_BUDGET = Budget(median=20, p95=50)
TRIAL_BUDGET = Budget(p95=2000)
SLIDER_BUDGET = Budget(median=50, p95=100)
PAGE_WARM_BUDGET = Budget(p95=2)
PAGE_COLD_BUDGET = Budget(p95=6)
EXECUTION_BUDGET = Budget(p95=20)
NO_BUDGET = Budget()

#: (key, heading, how it is measured).
SECTIONS = (
    ("updates", "Update compute (kernel)",
     "From a new value to the chart data and description being ready, in the kernel process "
     f"(`app.last_update_ms`); {MOVES_PER_CONTROL} moves per control by default. Presets: wall time of "
     "`Dashboard.apply(label)`, cycling through the presets. Run trial: `last_run_ms` with the trial "
     f"cache cleared, {TRIAL_RUNS} designs. Budget {UPDATE_BUDGET.text('ms')}; Run trial "
     f"{TRIAL_BUDGET.text('ms')}."),
    ("slider", "Slider-to-chart (Voila, headless Chromium)",
     "Keydown on the slider handle to the chart's svg changing, measured inside the page "
     "(`performance.now()`); moves alternate direction so the value always changes, "
     f"{SLIDER_PAUSE_S:g} s apart. On the cold server, after its last load of the dashboard. The note "
     f"gives the browser's own share (`dataset.lastUpdateMs`). Budget {SLIDER_BUDGET.text('ms')}."),
    ("pages", "Page to first chart (Voila, headless Chromium)",
     "Navigation start to the first app chart drawn, measured inside the page; a fresh browser context "
     "per load. Cold: a server with `--VoilaConfiguration.preheat_kernel=False`. Classroom: voila.json "
     "(warm pools of dashboards; lessons have none, so their cold time is also the classroom's), with "
     f"`fill_delay` {BENCH_FILL_DELAY_S:g} s instead of voila.json's; before each warm load the pool has "
     "refilled (its kernels idle). Budget: classroom " + PAGE_WARM_BUDGET.text("s") + ", cold "
     + PAGE_COLD_BUDGET.text("s") + "."),
    ("execution", "Notebook execution (nbclient)",
     f"Each notebook run top to bottom in a fresh kernel (saved outputs untouched). Budget "
     f"{EXECUTION_BUDGET.text('s')}."),
    ("install", "Install (`make start`'s environment)",
     "A fresh venv in a temporary folder, then `pip install -r requirements.txt` and "
     "`pip install --no-deps -e .` as the Makefile does; size with `du`. Run once; no budget set."),
)
SECTION_KEYS = tuple(key for key, _, _ in SECTIONS)


# -------------------------------------------------------------------------------------------- rows


def make_row(section: str, subject: str, item: str, values: Sequence[float], unit: str, budget: Budget,
             note: str = "", error: str | None = None, **extra: Any) -> dict[str, Any]:
    """One table row: statistics of ``values``, its budget and verdict (failed when there are none)."""
    row: dict[str, Any] = {"section": section, "subject": subject, "item": item, "unit": unit,
                           "n": len(values), "median": None, "p95": None, "max": None,
                           "budget": budget.as_dict(), "note": note, "error": error,
                           "values": [round(v, 3) for v in values], **extra}
    if values:
        row.update(median=_median(values), p95=percentile(values, 95), max=max(values))
    row["within"] = verdict(row)
    return row


def _median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def verdict(row: dict[str, Any]) -> bool | None:
    """True within budget, False over it (or not measured), None when the row has no budget."""
    limits = row["budget"]
    if limits["median"] is None and limits["p95"] is None:
        return None
    if not row["n"] or row.get("error"):
        return False
    return all(limits[k] is None or row[k] <= limits[k] for k in ("median", "p95"))


def budget_ratio(row: dict[str, Any]) -> float:
    """How much of its budget a row uses (1.0 = at the limit; inf = failed; 0 = no budget)."""
    limits = row["budget"]
    if limits["median"] is None and limits["p95"] is None:
        return 0.0
    if not row["n"] or row.get("error"):
        return math.inf
    return max(row[k] / limits[k] for k in ("median", "p95") if limits[k] is not None)


def worst_first(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows by share of budget used, highest first; rows without a budget after, in their own order."""
    return sorted(rows, key=lambda r: -budget_ratio(r))


# ---------------------------------------------------------------------------------- update compute


def next_control_value(control: Any, rng: random.Random) -> Any:
    """A value different from the control's current one, within its range."""
    if hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return rng.choice([v for v in values if v != control.value])
    if isinstance(control.value, bool):
        return not control.value
    steps = round((control.max - control.min) / control.step)
    current = round((control.value - control.min) / control.step)
    index = rng.choice([i for i in range(steps + 1) if i != current])
    return control.min + index * control.step


def control_row(subject: str, app: Any, key: str, moves: int, rng: random.Random) -> dict[str, Any]:
    """``moves`` new values of one control; ``app.last_update_ms`` of each that drew a chart."""
    control = app.controls[key]
    times = []
    for _ in range(moves):
        # A setting the app refuses shows a message and leaves last_update_ms as it was: not timed.
        app.last_update_ms = math.nan
        control.value = next_control_value(control, rng)
        if math.isfinite(app.last_update_ms):
            times.append(app.last_update_ms)
    refused = moves - len(times)
    note = f"{refused} of {moves} values showed a message instead of a chart (not timed)" if refused else ""
    return make_row("updates", subject, key, times, "ms", UPDATE_BUDGET, note=note)


def trial_times(app: Any, runs: int, rng: random.Random) -> list[float]:
    """``last_run_ms`` of the capstone's Run trial for ``runs`` random designs, never from the cache."""
    from primer_lib.widgets.capstone import design_of, run_design

    times = []
    for _ in range(runs):
        for control in app.controls.values():
            control.value = next_control_value(control, rng)
        run_design.cache_clear()
        app.run()
        if app.result_design != design_of(app.values()):
            raise RuntimeError(f"Run trial failed: {app.status.value}")
        times.append(app.last_run_ms)
    return times


def update_rows(moves: int = MOVES_PER_CONTROL, seed: int = 0, only: str = "",
                trial_runs: int = TRIAL_RUNS) -> list[dict[str, Any]]:
    """Update compute of every control of every app and dashboard, every preset and Run trial."""
    from primer_lib.widgets.capstone import TrialApp
    from primer_lib.widgets.catalog import APPS
    from primer_lib.widgets.dashboards import DASHBOARDS

    rng = random.Random(seed)
    rows = []
    for name, build in APPS.items():
        if only not in name:
            continue
        app = build()
        rows += [control_row(f"app {name}", app, key, moves, rng) for key in app.controls]
        if isinstance(app, TrialApp):
            try:
                rows.append(make_row("updates", f"app {name}", "Run trial button",
                                     trial_times(app, trial_runs, rng), "ms", TRIAL_BUDGET,
                                     note="its own budget: the button starts a simulation"))
            except RuntimeError as error:
                rows.append(make_row("updates", f"app {name}", "Run trial button", [], "ms", TRIAL_BUDGET,
                                     error=str(error)))
    for name, build_board in DASHBOARDS.items():
        if only not in name:
            continue
        board = build_board()
        subject = f"dashboard {name}"
        rows += [control_row(subject, board.app, key, moves, rng) for key in board.app.controls]
        labels = list(board.presets)
        preset_times: dict[str, list[float]] = {label: [] for label in labels}
        # Each preset in turn: every apply changes the picture (consecutive presets differ).
        for _ in range(moves):
            for label in labels:
                start = time.perf_counter()
                board.apply(label)
                preset_times[label].append((time.perf_counter() - start) * 1e3)
        rows += [make_row("updates", subject, f"preset: {label}", times, "ms", UPDATE_BUDGET)
                 for label, times in preset_times.items()]
    return rows


# ---------------------------------------------------------------------------------- execution


def notebook_paths(folder: Path, only: str = "") -> list[Path]:
    """Lessons (``NN_*.ipynb``), then dashboards (``dashboards/*.ipynb``); checkpoints never."""
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb")) + sorted((folder / "dashboards").glob("*.ipynb"))
    return [p for p in paths if only in p.relative_to(folder).as_posix()]


def execution_rows(folder: Path, repeats: int = REPEATS, only: str = "") -> list[dict[str, Any]]:
    """Seconds to execute each notebook top to bottom, ``repeats`` times (round-robin)."""
    import nbformat
    from nbclient import NotebookClient

    paths = notebook_paths(folder, only)
    times: dict[Path, list[float]] = {p: [] for p in paths}
    errors: dict[Path, str] = {}
    for _ in range(repeats):
        for path in paths:
            if path in errors:
                continue
            notebook = nbformat.read(path, as_version=4)
            start = time.perf_counter()
            try:
                # The kernel's own start-up warnings (one per run) would bury the progress lines.
                NotebookClient(notebook, timeout=300, kernel_name="python3",
                               resources={"metadata": {"path": str(path.parent)}}).execute(
                                   stderr=subprocess.DEVNULL)
            except Exception as error:  # noqa: BLE001 - a failing notebook is a row, not a crash
                errors[path] = _first_line(error)
                continue
            times[path].append(time.perf_counter() - start)
    return [make_row("execution", p.relative_to(folder).as_posix(), "top to bottom", times[p], "s",
                     EXECUTION_BUDGET, error=errors.get(p)) for p in paths]


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


# ------------------------------------------------------------------------------------------ browser

#: The kernel a Voila page runs on (to shut it down once measured).
KERNEL_ID = """() => { const e = document.getElementById('jupyter-config-data');
  return e ? JSON.parse(e.textContent).kernelId || null : null; }"""
SLIDER_LABEL = """h => { const w = h.closest('.widget-slider, .widget-hslider');
  const l = w && w.querySelector('.widget-label'); return l ? l.textContent.trim() : ''; }"""
DRAW_MS = "app => Number(app.querySelector('.primer-livechart').dataset.lastUpdateMs)"
DASHBOARD_VIEWPORT = {"width": 1280, "height": 720}
LESSON_VIEWPORT = {"width": 1280, "height": 800}


def shutdown_kernel(server_url: str, kernel_id: str) -> None:
    """What Voila's page asks on ``beforeunload``; that request is refused for want of an ``_xsrf``
    token (voila-dashboards/voila#1458), so the bench sends it with a matching cookie and header."""
    token = secrets.token_hex(16)
    request = urllib.request.Request(f"{server_url}/voila/api/shutdown/{kernel_id}", data=b"", method="POST",
                                     headers={"X-XSRFToken": token, "Cookie": f"_xsrf={token}"})
    with urllib.request.urlopen(request, timeout=60):
        pass


@dataclass
class Load:
    """One page load: seconds from navigation start, and what was left to clean up."""

    chart_s: float
    first_byte_s: float
    html_done_s: float
    kernel_id: str | None


async def open_page(browser: Any, url: str, viewport: dict[str, int], timeout_s: float) -> tuple[Any, Load]:
    """A fresh context, the page, and when its first app chart drew; the caller closes the context."""
    from primer_lib.devtools.loadtest import CHART_WATCH, NAV_TIMES

    context = await browser.new_context(viewport=viewport)
    await context.add_init_script(script=CHART_WATCH)
    page = await context.new_page()
    try:
        await page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        await page.wait_for_function("() => window.__primerLoad.chartAt !== null", polling=100,
                                     timeout=timeout_s * 1000)
        _, chart_at, nav = await page.evaluate(NAV_TIMES)
        kernel_id = await page.evaluate(KERNEL_ID)
    except BaseException:
        kernel_id = None
        with contextlib.suppress(Exception):
            kernel_id = await page.evaluate(KERNEL_ID)
        await _close(context, url, kernel_id)
        raise
    return page, Load(chart_at / 1000, nav["responseStart"] / 1000, nav["responseEnd"] / 1000, kernel_id)


async def _close(context: Any, url: str, kernel_id: str | None) -> None:
    await context.close()
    if kernel_id:
        with contextlib.suppress(OSError):
            await asyncio.to_thread(shutdown_kernel, url.split("/voila/", 1)[0], kernel_id)


async def slider_rows(page: Any, subject: str, moves: int, timeout_s: float = SLIDER_TIMEOUT_S
                      ) -> list[dict[str, Any]]:
    """Move each slider of the page's app ``moves`` times, alternating; keydown to svg change, ms."""
    from primer_lib.devtools.loadtest import SLIDER_WATCH

    app = page.locator(".primer-app").first
    handles = app.locator(".noUi-handle")
    rows = []
    for j in range(await handles.count()):
        handle = handles.nth(j)
        label = await handle.evaluate(SLIDER_LABEL) or f"slider {j + 1}"
        at_max = await handle.get_attribute("aria-valuenow") == await handle.get_attribute("aria-valuemax")
        key = "ArrowLeft" if at_max else "ArrowRight"
        times: list[float] = []
        draws: list[float] = []
        failures = 0
        error = None
        for _ in range(moves):
            await app.evaluate(SLIDER_WATCH)
            await handle.focus()
            await page.keyboard.press(key)
            key = "ArrowRight" if key == "ArrowLeft" else "ArrowLeft"
            try:
                await page.wait_for_function("() => window.__primerSlider.changedAt !== null", polling=50,
                                             timeout=timeout_s * 1000)
            except Exception as exc:  # noqa: BLE001 - a move that never redraws is a result
                failures += 1
                error = f"{failures} of {moves} moves did not redraw in {timeout_s:g} s ({_first_line(exc)})"
                if failures >= 2:
                    break
                continue
            times.append(float(await page.evaluate(
                "() => window.__primerSlider.changedAt - window.__primerSlider.keyAt")))
            with contextlib.suppress(Exception):
                draw = float(await app.evaluate(DRAW_MS))
                if math.isfinite(draw):
                    draws.append(draw)
            await asyncio.sleep(SLIDER_PAUSE_S)
        note = f"browser draw median {_median(draws):.1f} ms" if draws else ""
        rows.append(make_row("slider", subject, label, times, "ms", SLIDER_BUDGET, note=note, error=error,
                             browser_draw_ms=draws))
    return rows


async def _start(command: list[str], log: Path) -> tuple[Any, Any, asyncio.Task[None]]:
    """Voila from the repository root, its kernel monitor, and the task that samples both."""
    from primer_lib.devtools import loadtest

    server = loadtest.start_server(command, log)
    monitor = None
    try:
        await asyncio.to_thread(loadtest.wait_until_answering, server)
        monitor = loadtest.Monitor(server.process.pid)
        sampler = asyncio.create_task(loadtest._sample_forever(monitor, server, {}, None))
    except BaseException:
        loadtest.stop_everything(server, monitor)
        raise
    return server, monitor, sampler


async def _stop(server: Any, monitor: Any, sampler: asyncio.Task[None]) -> dict[str, int]:
    from primer_lib.devtools import loadtest

    sampler.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sampler
    return await asyncio.to_thread(loadtest.stop_everything, server, monitor)


@contextlib.asynccontextmanager
async def voila_and_chromium(command: list[str], log: Path, info: dict[str, Any]
                             ) -> AsyncIterator[tuple[Any, Any, Any]]:
    """Voila with its kernel monitor, and a headless Chromium; the browser stops first, since
    ``loadtest.stop_everything`` then ends every child process of this one that is left."""
    from playwright.async_api import async_playwright

    from primer_lib.devtools.loadtest import CHROMIUM_ARGS

    server, monitor, sampler = await _start(command, log)
    info["log"] = str(log)
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=CHROMIUM_ARGS)
            info["chromium"] = browser.version
            try:
                yield server, monitor, browser
            finally:
                await browser.close()
    finally:
        info["cleanup"] = await _stop(server, monitor, sampler)


async def cold_pass(pages: list[str], repeats: int, slider_moves: int, timeout_s: float,
                    log_dir: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Cold loads of every page (round-robin); sliders of each dashboard after its last load."""
    from primer_lib.devtools import loadtest
    from primer_lib.devtools.serve_dashboards import voila_command

    command = voila_command(port=loadtest.free_port(), extra=["--VoilaConfiguration.preheat_kernel=False"])
    loads: dict[str, list[Load]] = {p: [] for p in pages}
    errors: dict[str, str] = {}
    sliders: list[dict[str, Any]] = []
    info: dict[str, Any] = {}
    async with voila_and_chromium(command, log_dir / "voila-cold.log", info) as (server, monitor, browser):
        for repeat in range(repeats):
            for rel in pages:
                dashboard = rel.startswith("dashboards/")
                url = f"{server.url}/voila/render/{rel}"
                # The previous page's kernel is gone and no kernel is busy: each load starts alike.
                await loadtest._wait_for(lambda: monitor.kernels == 0, 30)
                try:
                    page, load = await open_page(browser, url, DASHBOARD_VIEWPORT if dashboard
                                                 else LESSON_VIEWPORT, timeout_s)
                except Exception as error:  # noqa: BLE001 - recorded in the row
                    errors[rel] = _first_line(error)
                    continue
                loads[rel].append(load)
                if dashboard and repeat == repeats - 1 and slider_moves:
                    try:
                        sliders += await slider_rows(page, Path(rel).stem, slider_moves)
                    except Exception as error:  # noqa: BLE001 - recorded in a row
                        sliders.append(make_row("slider", Path(rel).stem, "(sliders)", [], "ms",
                                                SLIDER_BUDGET, error=_first_line(error)))
                await _close(page.context, url, load.kernel_id)
                print(f"  cold {rel}: {load.chart_s:.2f} s", flush=True)
    rows = []
    for rel in pages:
        lesson = not rel.startswith("dashboards/")
        values = [load.chart_s for load in loads[rel]]
        note = _html_note(loads[rel])
        item = "cold (= classroom: no pool for lessons)" if lesson else "cold"
        rows.append(make_row("pages", rel, item, values, "s", PAGE_COLD_BUDGET, note=note,
                             error=errors.get(rel) if len(values) < repeats else None))
    return rows + sliders, info


def _html_note(loads: list[Load]) -> str:
    """When Voila's (streamed) HTML began and finished arriving: where a slow page spent its time."""
    if not loads:
        return ""
    first_byte, html_done = (_median([getattr(x, k) for x in loads]) for k in ("first_byte_s", "html_done_s"))
    return f"first byte {first_byte:.2f} s, HTML done {html_done:.2f} s (medians)"


def _grew(items: Sequence[Any], before: int) -> bool:
    return len(items) > before


def _settled(monitor: Any, moment: float) -> bool:
    return monitor.settled_after(moment) is not None


async def warm_pass(dashboards: list[str], repeats: int, timeout_s: float,
                    log_dir: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Classroom configuration: each dashboard loaded from its warm pool, the pool refilled in between."""
    from primer_lib.devtools import loadtest
    from primer_lib.devtools.serve_dashboards import NOTEBOOKS, kernel_pools, load_config, voila_command

    config = load_config()
    pools = {nb: v["pool_size"] for nb, v in kernel_pools(config=config).items() if v["pool_size"] > 0
             and (NOTEBOOKS / nb).is_file()}
    command = voila_command(port=loadtest.free_port(),
                            extra=[f"--VoilaKernelManager.fill_delay={BENCH_FILL_DELAY_S:g}"])
    loads: dict[str, list[Load]] = {d: [] for d in dashboards}
    refills: dict[str, list[float]] = {d: [] for d in dashboards}
    errors: dict[str, str] = {}
    info: dict[str, Any] = {"pools": pools, "fill_delay_s": BENCH_FILL_DELAY_S,
                            "classroom_fill_delay_s": config["VoilaKernelManager"].get("fill_delay")}
    log = log_dir / "voila-classroom.log"
    async with voila_and_chromium(command, log, info) as (server, monitor, browser):
        # The instructor's preparation: every pool filled, then every pooled kernel done with its notebook.
        if not await loadtest._wait_for(lambda: set(pools) <= {nb for _, nb in server.filled}, 300):
            raise TimeoutError("the warm pools were not filled in 300 s")
        at = server.started + max(t for t, _ in server.filled)
        if not await loadtest._wait_for(lambda: monitor.kernels >= sum(pools.values())
                                        and monitor.settled_after(at) is not None, 300):
            raise TimeoutError("the pooled kernels did not finish their notebooks in 300 s")
        info["pools_ready_s"] = round((monitor.settled_after(at) or at) - server.started, 1)
        for _ in range(repeats):
            for rel in dashboards:
                url = f"{server.url}/voila/render/{rel}"
                used_before, filled_before = len(server.used), len(server.filled)
                opened = time.monotonic()
                try:
                    page, load = await open_page(browser, url, DASHBOARD_VIEWPORT, timeout_s)
                except Exception as error:  # noqa: BLE001 - recorded in the row
                    errors[rel] = _first_line(error)
                    continue
                await _close(page.context, url, load.kernel_id)
                await loadtest._wait_for(partial(_grew, server.used, used_before), 5)
                if not any(nb == rel for _, nb in server.used[used_before:]):
                    errors[rel] = "a load did not get a pre-heated kernel (pool empty?)"
                    continue
                loads[rel].append(load)

                def refilled(rel: str = rel, before: int = filled_before) -> bool:
                    return any(nb == rel for _, nb in server.filled[before:])

                # Refilled: Voila logged the pool full again, then every kernel went idle (notebook run).
                if await loadtest._wait_for(refilled, REFILL_WAIT_S):
                    again = server.started + next(t for t, nb in server.filled[filled_before:] if nb == rel)
                    if await loadtest._wait_for(partial(_settled, monitor, again), REFILL_WAIT_S):
                        # Idle is seen on a 1 s sampling grid: the refill time is good to about 1 s.
                        refills[rel].append(max(monitor.settled_after(again) or again, again) - opened)
                print(f"  classroom {rel}: {load.chart_s:.2f} s, refilled "
                      f"{refills[rel][-1] if refills[rel] else math.nan:.1f} s after opening", flush=True)
    rows = []
    classroom_delay = info["classroom_fill_delay_s"]
    for rel in dashboards:
        values = [load.chart_s for load in loads[rel]]
        note = _html_note(loads[rel])
        if refills[rel]:
            refill = _median(refills[rel])
            in_class = refill - BENCH_FILL_DELAY_S + classroom_delay
            note += (f"; pool refilled {refill:.1f} s (±1 s) after the page opened (median; fill_delay "
                     f"{BENCH_FILL_DELAY_S:g} s here, so ~{in_class:.0f} s with voila.json's "
                     f"{classroom_delay:g} s)")
        rows.append(make_row("pages", rel, "classroom (preheated)", values, "s", PAGE_WARM_BUDGET, note=note,
                             error=errors.get(rel) if len(values) < repeats else None, refill_s=refills[rel]))
    return rows, info


async def browser_rows(repeats: int, slider_moves: int, timeout_s: float, only: str = ""
                       ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Cold and classroom page loads, and slider-to-chart, in one headless Chromium.

    Voila serves the repository's ``notebooks/`` folder (as ``make dashboards`` does).
    """
    from primer_lib.devtools.serve_dashboards import NOTEBOOKS

    pages = [p.relative_to(NOTEBOOKS).as_posix() for p in notebook_paths(NOTEBOOKS, only)]
    dashboards = [p for p in pages if p.startswith("dashboards/")]
    log_dir = Path(tempfile.mkdtemp(prefix="primer-bench-"))
    info: dict[str, Any] = {"logs": str(log_dir)}
    # A pass that fails leaves rows that say why; the other pass still runs.
    try:
        rows, info["cold"] = await cold_pass(pages, repeats, slider_moves, timeout_s, log_dir)
        info["chromium"] = info["cold"].get("chromium")
    except Exception as error:  # noqa: BLE001 - recorded in the rows
        rows = [make_row("pages", rel, "cold", [], "s", PAGE_COLD_BUDGET, error=_first_line(error))
                for rel in pages]
    if dashboards:
        try:
            warm, info["classroom"] = await warm_pass(dashboards, repeats, timeout_s, log_dir)
        except Exception as error:  # noqa: BLE001 - recorded in the rows
            warm = [make_row("pages", rel, "classroom (preheated)", [], "s", PAGE_WARM_BUDGET,
                             error=_first_line(error)) for rel in dashboards]
        rows += warm
    return rows, info


# ------------------------------------------------------------------------------------------ install


def _du_mb(path: Path) -> float:
    run = subprocess.run(["du", "-sm", str(path)], capture_output=True, text=True, check=True)
    return float(run.stdout.split()[0])


def install_rows(root: Path, python: str | None = None) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Time ``make start``'s environment from nothing (fresh venv, pip installs); size it with du."""
    python = python or shutil.which("python3") or sys.executable
    cache = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True,
                           check=False).stdout.strip()
    cache_mb = _du_mb(Path(cache)) if cache and Path(cache).is_dir() else 0.0
    config = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True,
                            check=False).stdout.splitlines()
    info: dict[str, Any] = {"python": python, "pip_cache": cache, "pip_cache_mb_before": cache_mb,
                            "pip_sources": [x for x in config if "index" in x or "find-links" in x]}
    # A warm cache or local package folders make this faster than a learner's first install.
    warm = (f"pip's cache held {cache_mb:.0f} MB before (warm)" if cache_mb > 0 else "pip's cache was empty")
    if info["pip_sources"]:
        warm += ("; pip here also reads local package folders (find-links, file:// index; `pip config list`) "
                 "so the time leaves out most of a learner's first download")
    pip = ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    folder = Path(tempfile.mkdtemp(prefix="primer-bench-venv-"))
    venv = folder / "venv"
    steps: dict[str, float] = {}
    new_python = str(venv / "bin" / "python")
    try:
        for name, command in (("venv", [python, "-m", "venv", str(venv)]),
                              ("requirements", [new_python, *pip, "-r", "requirements.txt"]),
                              ("editable", [new_python, *pip, "--no-deps", "-e", "."])):
            start = time.perf_counter()
            subprocess.run(command, cwd=root, check=True, capture_output=True, timeout=1800)
            steps[name] = time.perf_counter() - start
        size = _du_mb(venv)
    except (subprocess.SubprocessError, OSError) as error:
        detail = getattr(error, "stderr", b"") or b""
        message = f"{_first_line(error)} {detail[-300:].decode(errors='replace')}".strip()
        return [make_row("install", "fresh venv", "create + pip install", [], "s", NO_BUDGET,
                         error=message)], info
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    info["steps_s"] = steps
    split = ", ".join(f"{k} {v:.0f} s" for k, v in steps.items())
    return [make_row("install", "fresh venv", "create + pip install", [sum(steps.values())], "s", NO_BUDGET,
                     note=f"{split}; {warm}"),
            make_row("install", "fresh venv", "size on disk", [size], "MB", NO_BUDGET,
                     note="`du -sm` of the venv (the course stack, no test tools)")], info


# -------------------------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    """Cores, RAM, Python, platform, the course's package versions and the load at the start."""
    from primer_lib.devtools import loadtest

    return loadtest.machine(PACKAGES)


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    digits = {"ms": 1, "s": 2, "MB": 0}.get(unit, 1)
    return f"{value:.{digits}f} {unit}"


def _within(row: dict[str, Any]) -> str:
    return {True: "yes", False: "**no**", None: "–"}[row["within"]]


def _label(row: dict[str, Any]) -> str:
    return f"{row['subject']} · {row['item']}"


def _brief(row: dict[str, Any]) -> str:
    if row.get("error") and not row["n"]:
        return f"{_label(row)}: not measured ({row['error']})"
    budget = Budget(**row["budget"]).text(row["unit"])
    failed = f"; {row['error']}" if row.get("error") else ""
    unit = row["unit"]
    return (f"{_label(row)}: median {_value(row['median'], unit)}, p95 {_value(row['p95'], unit)} "
            f"(budget {budget}){failed}")


def _share(used: float | None) -> str:
    return "not measured" if used is None else f"{used:.0%}"


def finish(result: dict[str, Any]) -> dict[str, Any]:
    """Add the summary: rows over budget, and the five that use the most of their budget."""
    rows = [row for key in SECTION_KEYS for row in result["sections"].get(key, [])]
    judged = [r for r in rows if r["within"] is not None]
    result["summary"] = {
        "rows": len(rows),
        "judged": len(judged),
        "over_budget": [_brief(r) for r in worst_first(r for r in judged if r["within"] is False)],
        # JSON has no infinity: a row that was not measured used None of its budget.
        "worst": [{"row": _label(r), "section": r["section"],
                   "budget_used": None if math.isinf(budget_ratio(r)) else round(budget_ratio(r), 3)}
                  for r in worst_first(judged)[:5]],
    }
    return result


def markdown(result: dict[str, Any]) -> str:
    """The benchmark as Markdown: summary, machine, then one table per section, worst first."""
    m = result["machine"]
    summary = result["summary"]
    lines = ["# Benchmark", "",
             f"`make bench` (`python -m primer_lib.devtools.bench`), {result.get('date', '?')[:16]} UTC; "
             f"took {result.get('runtime_s', 0) / 60:.1f} min.", "", "## Summary", ""]
    over = summary["over_budget"]
    if over:
        lines.append(f"**{len(over)} of {summary['judged']} rows over budget:**")
        lines += [f"- {text}" for text in over]
    else:
        lines.append(f"All {summary['judged']} rows with a budget are within it.")
    if summary["worst"]:
        lines += ["", "Most of their budget used: " + "; ".join(
            f"{w['row']} ({_share(w['budget_used'])})" for w in summary["worst"]) + "."]
    if result.get("settings", {}).get("only"):
        lines += ["", f"**Partial run:** only the apps, dashboards and notebooks whose name contains "
                  f"`{result['settings']['only']}`."]
    headings = {key: heading for key, heading, _ in SECTIONS}
    skipped = [f"{headings.get(key, key)} ({reason})" for key, reason in result.get("skipped", {}).items()]
    if skipped:
        lines += ["", "Not measured this run: " + "; ".join(skipped) + "."]
    for key, error in result.get("errors", {}).items():
        lines += ["", f"**{key} stopped:** {error}"]
    durations = ", ".join(f"{name} {seconds / 60:.1f} min" for name, seconds in
                          result.get("durations_s", {}).items())
    if durations:
        lines += ["", f"Time per part: {durations}."]
    load = " / ".join(" ".join(f"{x:.1f}" for x in m.get(k, [])) for k in
                      ("load_average_at_start", "load_average_at_end") if m.get(k))
    lines += ["", f"Machine: {m['cores']} cores, {m.get('ram_gb', '?')} GB RAM, Python {m['python']}, "
              f"{m['platform']}" + (f", Chromium {m['chromium']}" if m.get("chromium") else "") + ".",
              "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".",
              f"Load average (1, 5, 15 min) at start / end: {load or '?'}."]
    for key, heading, how in SECTIONS:
        rows = result["sections"].get(key)
        if not rows:
            continue
        lines += ["", f"## {heading}", "", how, "",
                  "| What | Item | n | Median | p95 | Budget | Within budget | Notes |",
                  "|---|---|---|---|---|---|---|---|"]
        for row in worst_first(rows):
            notes = "; ".join(x for x in (row.get("note"), row.get("error")) if x)
            unit = row["unit"]
            lines.append(f"| {row['subject']} | {row['item']} | {row['n']} | {_value(row['median'], unit)} | "
                         f"{_value(row['p95'], unit)} | {Budget(**row['budget']).text(unit)} | "
                         f"{_within(row)} | {notes.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------- main


def _bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}; got {value}")
        return value
    return parse


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("tests/benchmarks"),
                        help="folder for latest.md and latest.json (default: %(default)s)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="folder of notebooks to execute (Voila always serves the repository's)")
    parser.add_argument("--moves", type=_bounded(2, 1000), default=MOVES_PER_CONTROL,
                        help="kernel updates per control and per preset (default: %(default)s)")
    parser.add_argument("--slider-moves", type=_bounded(1, 50), default=SLIDER_MOVES,
                        help="browser moves per dashboard slider (default: %(default)s)")
    parser.add_argument("--repeats", type=_bounded(1, 20), default=REPEATS,
                        help="page loads and executions per notebook (default: %(default)s)")
    parser.add_argument("--page-timeout", type=float, default=PAGE_TIMEOUT_S,
                        help="seconds a page may take to draw its first chart (default: %(default)s)")
    parser.add_argument("--only", default="", metavar="TEXT",
                        help="only apps, dashboards and notebooks whose name contains TEXT (quick runs)")
    parser.add_argument("--skip-install", action="store_true", help="skip the fresh-venv install timing")
    parser.add_argument("--skip-browser", action="store_true", help="skip everything that needs Voila")
    parser.add_argument("--skip-execution", action="store_true", help="skip notebook execution")
    args = parser.parse_args(argv)
    if not 5 <= args.page_timeout <= 600:
        parser.error(f"--page-timeout must be from 5 to 600 s; got {args.page_timeout:g}")
    if not args.notebooks.is_dir():
        parser.error(f"--notebooks must be a folder; got {args.notebooks}")
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Measure every section not skipped; a section that fails is reported, the others still run."""
    started = time.monotonic()
    result: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine(),
        "settings": {"moves": args.moves, "slider_moves": args.slider_moves, "repeats": args.repeats,
                     "only": args.only, "trial_runs": TRIAL_RUNS, "bench_fill_delay_s": BENCH_FILL_DELAY_S},
        "sections": {}, "skipped": {}, "errors": {}, "durations_s": {}, "details": {}}
    steps: list[tuple[str, bool, str, Callable[[], Any]]] = [
        ("updates", False, "", lambda: update_rows(args.moves, only=args.only)),
        ("execution", args.skip_execution, "--skip-execution",
         lambda: execution_rows(args.notebooks, args.repeats, args.only)),
        ("browser", args.skip_browser, "--skip-browser", lambda: asyncio.run(browser_rows(
            args.repeats, args.slider_moves, args.page_timeout, args.only))),
        ("install", args.skip_install, "--skip-install", lambda: install_rows(ROOT)),
    ]
    for name, skip, flag, measure in steps:
        if skip:
            for key in (("slider", "pages") if name == "browser" else (name,)):
                result["skipped"][key] = flag
            continue
        print(f"Measuring {name}…", flush=True)
        start = time.monotonic()
        try:
            measured = measure()
        except Exception as error:  # noqa: BLE001 - keep the other sections' results
            result["errors"][name] = f"{type(error).__name__}: {_first_line(error)}"
            measured = []
        rows, details = measured if isinstance(measured, tuple) else (measured, None)
        if details is not None:
            result["details"][name] = details
            if name == "browser" and details.get("chromium"):
                result["machine"]["chromium"] = details["chromium"]
        for row in rows:
            result["sections"].setdefault(row["section"], []).append(row)
        result["durations_s"][name] = round(time.monotonic() - start, 1)
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["runtime_s"] = round(time.monotonic() - started, 1)
    return finish(result)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(result, indent=1, allow_nan=False, default=str) + "\n")
    text = markdown(result)
    (args.out / "latest.md").write_text(text)
    print(text)
    print(f"Written to {args.out / 'latest.md'} and latest.json in {result['runtime_s'] / 60:.1f} min.")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
