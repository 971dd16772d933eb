"""Fixtures for browser tests: Debian's Chromium driven by Playwright, Voila and JupyterLab on loopback.

Playwright cannot download its own browser here, so it drives the system
``chromium``; servers bind to 127.0.0.1 on a free port and are stopped after the session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from primer_lib.devtools.loadtest import free_port
from primer_lib.devtools.serve_dashboards import voila_command

ROOT = Path(__file__).parents[2]
NOTEBOOKS = ROOT / "notebooks"
SCREENSHOTS = Path(__file__).parent / "screenshots"
BIN = Path(sys.executable).parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Offline, Lab and Voila fail to fetch an icon font from a CDN; that is not the course's fault.
ALLOWED_FAILED_HOSTS = ("cdn.jsdelivr.net", "cdnjs.cloudflare.com", "fonts.googleapis.com",
                        "fonts.gstatic.com", "unpkg.com")
SERVER_START_S = 90


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_server(args: list[str], port: int, log: Path, ready_path: str = "/") -> Server:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    handle = log.open("w")
    process = subprocess.Popen(args, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early; see {log}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + ready_path, timeout=2):
                return Server(url, process, log)
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"server did not answer in {SERVER_START_S} s; see {log}")


@pytest.fixture(scope="session")
def voila(tmp_path_factory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    # The classroom configuration (voila.json), as `make dashboards` runs it, with one warm kernel
    # per dashboard so the pools do not crowd out the tests on 2 cores.
    server = start_server(voila_command(port=port, pool=1), port, log)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lab(tmp_path_factory) -> Iterator[Server]:
    port = free_port()
    home = tmp_path_factory.mktemp("lab")
    # Render every cell (no virtual scrolling), so the test reads and moves everything on the page.
    tracker = home / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    args = [str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            "--ServerApp.token=", "--ServerApp.password=", "--LabApp.expose_app_in_browser=True",
            f"--ServerApp.root_dir={ROOT}", "--ServerApp.disable_check_xsrf=False",
            f"--LabApp.workspaces_dir={home}", f"--LabApp.user_settings_dir={home / 'settings'}"]
    if os.geteuid() == 0:
        args.append("--allow-root")
    server = start_server(args, port, home / "lab.log", ready_path="/api")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class PageProblems:
    """Console errors and failed requests a page produced, minus the allowed CDN fonts."""

    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def real_errors(self) -> list[str]:
        failed_allowed = [u for u in self.failed_requests if any(h in u for h in ALLOWED_FAILED_HOSTS)]
        errors = [e for e in self.console_errors if not e.startswith("Failed to load resource")]
        # Each blocked CDN request also logs one "Failed to load resource" line.
        resource_errors = [e for e in self.console_errors if e.startswith("Failed to load resource")]
        unexplained = len(resource_errors) - len(failed_allowed)
        bad_requests = [u for u in self.failed_requests if u not in failed_allowed]
        return errors + bad_requests + (["unexplained resource load failure"] if unexplained > 0 else [])


@pytest.fixture
def page(browser) -> Iterator[tuple[object, PageProblems]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    problems = PageProblems()
    new_page.on("console", lambda m: problems.console_errors.append(m.text) if m.type == "error" else None)
    new_page.on("pageerror", lambda e: problems.console_errors.append(f"pageerror: {e}"))
    new_page.on("requestfailed", lambda r: problems.failed_requests.append(r.url))
    yield new_page, problems
    context.close()


def screenshot(page, name: str) -> None:
    """Save the whole page; Lab and Voila scroll inside a panel, so grow the viewport to fit."""
    SCREENSHOTS.mkdir(exist_ok=True)
    height = page.evaluate("""() => Math.max(document.body.scrollHeight,
        ...[...document.querySelectorAll('#rendered_cells, .jp-WindowedPanel-outer')]
           .map(e => e.scrollHeight + 100))""")
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": min(int(height), 16000)})
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(viewport)
