"""`make loadtest`: a class of N students opens a dashboard at once on a loopback Voila server.

What an instructor does before class and what the class then does, measured on this machine:

1. one kernel alone, from start to the target's app displayed, and the imports that dominate it;
2. the instructor starts Voila as ``make dashboards STUDENTS=N DASHBOARD=...`` does (``voila.json``
   and a warm pool of N kernels, through :func:`serve_dashboards.voila_command`) and waits until the
   pools are filled (Voila's log) and ready (every pooled kernel has run its notebook: kernels idle);
3. N students (headless Chromium contexts) open the page at the same moment; each waits for the
   chart, then moves a slider ``--moves`` times;
4. Voila refills the pool (after ``fill_delay``) while every student keeps moving the slider every
   10 s: how long the refill takes, and what it does to slider-to-chart.

Page-to-chart (navigation start to the first chart drawn) and slider-to-chart (keydown to the
chart's svg changing, seen by a MutationObserver armed before the key press) are measured inside the
page with ``performance.now()``. psutil reads the RSS of Voila, of each kernel and of the browser,
and the CPU each group used while the class arrived. Voila's log gives the pool events and the cells
whose outputs it lost (IOPub timeouts: that student never sees the app).

The students' browsers would run on their own machines; here they share the server's cores, so the
test's Chromium runs at a lower priority (``--browser-nice``). ``--voila-arg`` tries a setting
before it goes into voila.json. The run is bounded (``--timeout`` in all, ``--page-timeout`` per
student) and always stops the browser and the server, then kills any kernel process left behind.
Results go to ``loadtest.json`` and ``loadtest.md`` in ``--out``, one column per configuration (a
rerun of the same configuration replaces its column; ``--fresh`` starts over)::

    python -m primer_lib.devtools.loadtest                          # 30 students, dashboard 01
    python -m primer_lib.devtools.loadtest --students 5 --notebook 00_start_here.ipynb
    python -m primer_lib.devtools.loadtest --students 10 --no-preheat
    python -m primer_lib.devtools.loadtest --fill-delay 1 --voila-arg=--VoilaExecutor.iopub_timeout=60
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from primer_lib.devtools.serve_dashboards import (
    NOTEBOOKS,
    ROOT,
    kernel_pools,
    load_config,
    resolve_dashboard,
    voila_command,
)

DEFAULT_STUDENTS = 30
DEFAULT_DASHBOARD = "01_cancer_immunity_cycle"
DEFAULT_TIMEOUT_S = 900.0
DEFAULT_PAGE_TIMEOUT_S = 180.0
DEFAULT_MOVES = 3
#: Students' browsers run on their own machines; here they share the server's cores, so they run at a
#: lower priority and the measurement is of the server, not of the test's Chromium.
DEFAULT_BROWSER_NICE = 10
#: While the pool refills, each student who has a chart moves the slider this often (a class exploring).
EXPLORE_EVERY_S = 10.0
MAX_STUDENTS = 200
SLIDER_TIMEOUT_S = 30.0
SERVER_START_S = 90.0
#: Waiting for the refill is reported, not required: stop waiting after this long.
REFILL_WAIT_S = 300.0
#: A student looks at the chart before touching it, and between moves.
THINK_S = 1.0
SAMPLE_S = 1.0
#: Stop the run (not the machine) when less RAM than this is left: other work shares this machine.
MIN_AVAILABLE_MB = 1024
#: Kernels count as idle (done running their notebook) when together they use less than this many
#: cores for IDLE_SAMPLES samples in a row; idle ipykernels poll ZMQ and use about 0.1 % each.
IDLE_CORES_BASE = 0.05
IDLE_CORES_PER_KERNEL = 0.005
IDLE_SAMPLES = 3
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PACKAGES = ("voila", "ipykernel", "jupyter_server", "jupyter_client", "ipywidgets", "anywidget", "altair",
            "playwright")
MB = 1024 * 1024

FILLED = re.compile(r"Kernel pool of (?P<nb>.+) is filled with (?P<n>\d+) kernel")
USED = re.compile(r"Using pre-heated kernel: (?P<id>\S+) for (?P<nb>.+)$")
STARTED = re.compile(r"Kernel started: (?P<id>\S+)")
#: nbclient gave up waiting for a cell's outputs (VoilaExecutor.iopub_timeout, 4 s by default): that
#: page shows no app. It happens when Voila's event loop is starved of CPU.
IOPUB_TIMEOUT = "Timeout waiting for IOPub output"

#: Runs before any page script: records when the first app chart has drawn (renders > 0 and a mark).
CHART_WATCH = """(() => {
  const state = window.__primerLoad = {chartAt: null};
  const drawn = () => [...document.querySelectorAll('.primer-app .primer-livechart')].some(
    c => Number(c.dataset.renders || 0) > 0
         && c.querySelector('svg .mark-line, svg .mark-symbol, svg .mark-rect, svg .mark-area'));
  const observer = new MutationObserver(() => {
    if (state.chartAt === null && drawn()) { state.chartAt = performance.now(); observer.disconnect(); }
  });
  observer.observe(document, {childList: true, subtree: true, attributes: true,
                              attributeFilter: ['data-renders']});
})()"""
#: When the chart drew, and when Voila's (streamed) HTML began and ended arriving, from navigation start.
NAV_TIMES = """() => [performance.timeOrigin, window.__primerLoad.chartAt,
  performance.getEntriesByType('navigation')[0].toJSON()]"""
#: How far a page got when it timed out.
PAGE_STATE = """() => ({
  widgets: document.querySelectorAll('.jupyter-widgets').length,
  apps: document.querySelectorAll('.primer-app').length,
  charts: document.querySelectorAll('.primer-livechart').length,
  renders: [...document.querySelectorAll('.primer-livechart')].map(c => c.dataset.renders || '0').join(','),
  text: (document.body ? document.body.innerText : '').split(/\\s+/).join(' ').slice(-200)})"""
#: Armed on the app before the key press: keydown time, then the first svg change after it.
SLIDER_WATCH = """app => {
  const chart = app.querySelector('.primer-livechart');
  const svg = () => { const s = chart.querySelector('svg'); return s ? s.innerHTML : ''; };
  const before = svg();
  const state = window.__primerSlider = {keyAt: null, changedAt: null};
  window.addEventListener('keydown', () => { state.keyAt = performance.now(); }, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (state.keyAt !== null && state.changedAt === null && svg() !== before) {
      state.changedAt = performance.now(); observer.disconnect();
    }
  });
  observer.observe(chart, {childList: true, subtree: true, attributes: true, characterData: true});
}"""


# ----------------------------------------------------------------------------------------- options


@dataclass(frozen=True)
class Options:
    students: int = DEFAULT_STUDENTS
    target: str = f"dashboards/{DEFAULT_DASHBOARD}.ipynb"
    is_dashboard: bool = True
    preheat: bool = True
    timeout_s: float = DEFAULT_TIMEOUT_S
    page_timeout_s: float = DEFAULT_PAGE_TIMEOUT_S
    moves: int = DEFAULT_MOVES
    fill_delay_s: float | None = None
    out: Path = ROOT / "tests" / "benchmarks"
    fresh: bool = False
    browser_nice: int = DEFAULT_BROWSER_NICE
    #: Extra Voila options to try a configuration without editing voila.json.
    voila_args: tuple[str, ...] = ()


def target_notebook(dashboard: str | None, notebook: str | None, root: Path = NOTEBOOKS) -> tuple[str, bool]:
    """The page to load, relative to ``notebooks/`` as in Voila's URLs, and whether it is a dashboard."""
    if notebook is not None:
        path = (root / notebook).resolve()
        if path.suffix != ".ipynb" or not path.is_file() or not path.is_relative_to(root.resolve()):
            raise ValueError(f"notebook must be a .ipynb file under {root}; got {notebook!r}")
        return path.relative_to(root.resolve()).as_posix(), False
    return resolve_dashboard(dashboard or DEFAULT_DASHBOARD, root), True


def validate(students: int, timeout_s: float, page_timeout_s: float, moves: int,
             fill_delay_s: float | None, browser_nice: int = DEFAULT_BROWSER_NICE) -> None:
    if not 1 <= students <= MAX_STUDENTS:
        raise ValueError(f"students must be from 1 to {MAX_STUDENTS}; got {students}")
    if not 60 <= timeout_s <= 4 * 3600:
        raise ValueError(f"timeout must be from 60 s to 4 h; got {timeout_s:g} s")
    if not 5 <= page_timeout_s <= timeout_s:
        raise ValueError(f"page timeout must be from 5 s to the total timeout; got {page_timeout_s:g} s")
    if not 1 <= moves <= 20:
        raise ValueError(f"moves must be from 1 to 20; got {moves}")
    if fill_delay_s is not None and not 0 <= fill_delay_s <= 3600:
        raise ValueError(f"fill delay must be from 0 to 3600 s; got {fill_delay_s:g} s")
    if not 0 <= browser_nice <= 19:
        raise ValueError(f"browser nice must be from 0 to 19; got {browser_nice}")


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=DEFAULT_STUDENTS, help="students arriving at once")
    parser.add_argument("--dashboard", default=DEFAULT_DASHBOARD,
                        help="dashboard name as `make dashboards` takes it (default: %(default)s)")
    parser.add_argument("--notebook", default=None,
                        help="any notebook path under notebooks/ instead of a dashboard (for development)")
    parser.add_argument("--no-preheat", action="store_true", help="cold start: no warm pool for the target")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds for the whole run")
    parser.add_argument("--page-timeout", type=float, default=DEFAULT_PAGE_TIMEOUT_S,
                        help="seconds a student waits for the chart")
    parser.add_argument("--moves", type=int, default=DEFAULT_MOVES, help="slider moves per student")
    parser.add_argument("--fill-delay", type=float, default=None,
                        help="seconds before Voila refills a pool (default: voila.json's fill_delay)")
    parser.add_argument("--browser-nice", type=int, default=DEFAULT_BROWSER_NICE,
                        help="niceness of the test's Chromium (0: Voila's priority; default %(default)s)")
    parser.add_argument("--voila-arg", action="append", default=[], metavar="--Class.trait=VALUE",
                        help="extra Voila option to try a setting before putting it in voila.json; "
                        "write --voila-arg=--VoilaExecutor.iopub_timeout=30 (repeatable)")
    parser.add_argument("--out", type=Path, default=Options.out, help="folder for loadtest.md/.json")
    parser.add_argument("--fresh", action="store_true", help="drop earlier runs from the output files")
    args = parser.parse_args(argv)
    try:
        validate(args.students, args.timeout, args.page_timeout, args.moves, args.fill_delay,
                 args.browser_nice)
        target, is_dashboard = target_notebook(args.dashboard, args.notebook)
        bad = [a for a in args.voila_arg if not re.fullmatch(r"--\w+\.\w+=.*", a)]
        if bad:
            raise ValueError(f"--voila-arg takes --Class.trait=VALUE; got {bad[0]!r}")
    except ValueError as error:
        parser.error(str(error))
    return Options(args.students, target, is_dashboard, not args.no_preheat, args.timeout, args.page_timeout,
                   args.moves, args.fill_delay, args.out, args.fresh, args.browser_nice,
                   tuple(args.voila_arg))


def pools_for(options: Options, config: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The pools Voila runs with: the configured ones, with N warm kernels (or none, cold) for the target."""
    if options.is_dashboard and options.preheat:
        return kernel_pools(options.students, options.target, config=config)
    pools = kernel_pools(config=config)
    pools[options.target] = {"pool_size": options.students if options.preheat else 0}
    return pools


def server_command(options: Options, port: int, config: dict[str, Any]) -> list[str]:
    """What the instructor runs (``make dashboards STUDENTS=N``), or its pool override for other cases."""
    delay = options.fill_delay_s
    extra = [*([] if delay is None else [f"--VoilaKernelManager.fill_delay={delay:g}"]), *options.voila_args]
    if options.is_dashboard and options.preheat:
        return voila_command(port=port, students=options.students, dashboard=options.target, extra=extra)
    pools = json.dumps(pools_for(options, config))
    return voila_command(port=port, extra=[f"--VoilaKernelManager.kernel_pools_config={pools}", *extra])


def run_label(options: Options, fill_delay_s: float) -> str:
    mode = f"warm pool, fill_delay {fill_delay_s:g} s" if options.preheat else "cold (pool 0)"
    browser = "" if options.browser_nice else " · browser at Voila's priority"
    extra = "".join(f" · {a.removeprefix('--')}" for a in options.voila_args)
    return f"{Path(options.target).stem} · {options.students} students · {mode}{browser}{extra}"


# -------------------------------------------------------------------------------------- statistics


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (a value that occurred): p95 of 30 values is the 29th smallest."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < q <= 100:
        raise ValueError(f"q must be in (0, 100]; got {q}")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def summary(values: Sequence[float]) -> dict[str, float | int | None]:
    """n, median, p95 and max; None for each statistic when there are no values."""
    if not values:
        return {"n": 0, "median": None, "p95": None, "max": None}
    return {"n": len(values), "median": statistics.median(values), "p95": percentile(values, 95),
            "max": max(values)}


# --------------------------------------------------------------------------------- kernel start-up


def app_cells(notebook: Path) -> list[str]:
    """Code cells up to and including the first that shows an app (its saved "[Interactive:" output)."""
    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    sources = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]
    for i, cell in enumerate(cells):
        texts = ["".join(o.get("data", {}).get("text/plain", "")) for o in cell.get("outputs", [])]
        if any(t.startswith("[Interactive:") for t in texts):
            return sources[: i + 1]
    return sources


def import_profile(code: str, cwd: Path, top: int = 8) -> dict[str, Any]:
    """``python -X importtime`` of ``code``: total import time and the top-level packages that dominate."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=cwd, capture_output=True,
                         text=True, timeout=120, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"importing failed: {run.stderr[-500:]}")
    return aggregate_importtime(run.stderr, top)


def aggregate_importtime(stderr: str, top: int = 8) -> dict[str, Any]:
    """Self time summed by top-level package (``altair.utils.core`` counts for ``altair``)."""
    by_package: dict[str, float] = {}
    for line in stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue
        package = parts[2].strip().split(".")[0]
        by_package[package] = by_package.get(package, 0.0) + int(parts[0]) / 1000
    ranked = sorted(by_package.items(), key=lambda kv: -kv[1])
    return {"total_ms": sum(by_package.values()), "top": [{"package": p, "ms": ms} for p, ms in ranked[:top]]}


def kernel_startup(notebook: Path) -> dict[str, Any]:
    """One kernel on an idle server: start to ready, then each cell up to the app, and its RSS after."""
    import psutil
    from jupyter_client.manager import KernelManager

    cells = app_cells(notebook)
    manager = KernelManager(kernel_name="python3")
    start = time.monotonic()
    manager.start_kernel(cwd=str(notebook.parent))
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        ready = time.monotonic() - start
        cell_s = []
        for source in cells:
            begin = time.monotonic()
            reply = client.execute_interactive(source, timeout=120, output_hook=lambda _msg: None,
                                               store_history=False)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"cell failed in {notebook.name}: {reply['content'].get('evalue')}")
            cell_s.append(time.monotonic() - begin)
        pid = getattr(manager.provisioner, "pid", None)  # LocalProvisioner's; not on the base class
        rss = psutil.Process(pid).memory_info().rss / MB if pid else None
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return {"ready_s": ready, "cells_s": cell_s, "app_displayed_s": ready + sum(cell_s), "rss_mb": rss,
            "imports": import_profile(cells[0], notebook.parent) if cells else None}


# ---------------------------------------------------------------------------------- server, monitor


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """Voila, its log, and what the log said (seconds since start)."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path
    started: float
    filled: list[tuple[float, str]] = field(default_factory=list)
    used: list[tuple[float, str]] = field(default_factory=list)
    used_ids: list[str] = field(default_factory=list)
    kernels_started: list[float] = field(default_factory=list)
    iopub_timeouts: list[float] = field(default_factory=list)
    _read: int = 0

    def poll_log(self) -> None:
        with self.log.open("rb") as handle:
            handle.seek(self._read)
            chunk = handle.read()
        end = chunk.rfind(b"\n") + 1  # keep a half-written line for the next read
        self._read += end
        now = time.monotonic() - self.started
        for line in chunk[:end].decode("utf-8", "replace").splitlines():
            if m := FILLED.search(line):
                self.filled.append((now, m["nb"]))
            elif m := USED.search(line):
                self.used.append((now, m["nb"].strip()))
                self.used_ids.append(m["id"])
            elif STARTED.search(line):
                self.kernels_started.append(now)
            elif IOPUB_TIMEOUT in line:
                self.iopub_timeouts.append(now)


def is_kernel(process: Any) -> bool:
    try:
        return any("ipykernel_launcher" in part for part in process.cmdline())
    except Exception:  # noqa: BLE001 - a process that ended or is not ours is not a kernel of ours
        return False


class Monitor:
    """Samples Voila, its kernels and the browser (psutil): RSS, CPU core-seconds per group, peaks."""

    GROUPS = ("server", "kernels", "browser", "other")

    def __init__(self, server_pid: int) -> None:
        import psutil

        self.psutil = psutil
        self.server = psutil.Process(server_pid)
        self.me = psutil.Process()
        self.kernel_pids: set[int] = set()
        #: Kernels left out of the idle test (the students', busy with their sliders), by kernel id.
        self.exclude_ids: set[str] = set()
        self._kernel_ids: dict[int, str] = {}
        self.kernel_dirs: set[str] = set()
        self.cpu = dict.fromkeys(self.GROUPS, 0.0)
        self.peak: dict[str, float] = {"kernels": 0, "kernel_rss_mb": 0.0, "server_rss_mb": 0.0,
                                       "browser_rss_mb": 0.0, "used_ram_mb": 0.0}
        self.kernel_cores = math.inf  # CPU the kernels used during the last sample, in cores
        self._kernel_cpu = 0.0
        self.idle_streak = 0
        self._idle_since = 0.0
        #: When each idle period that lasted IDLE_SAMPLES samples began (monotonic).
        self.settled: list[float] = []
        self.kernels = 0
        self._last: dict[int, float] = {}
        self._last_busy = self._busy()
        self._last_time = time.monotonic()
        self._started = time.time()

    def _busy(self) -> float:
        t = self.psutil.cpu_times()
        return float(sum(t) - t.idle - getattr(t, "iowait", 0.0))

    def processes(self) -> dict[str, list[Any]]:
        try:
            server_tree = self.server.children(recursive=True)
        except self.psutil.NoSuchProcess:
            server_tree = []
        kernels = [p for p in server_tree if is_kernel(p)]
        server_pids = {p.pid for p in server_tree} | {self.server.pid}
        browser = [self.me, *(p for p in self.me.children(recursive=True) if p.pid not in server_pids)]
        return {"server": [self.server], "kernels": kernels, "browser": browser}

    def sample(self) -> None:
        now = time.monotonic()
        groups = self.processes()
        rss: dict[str, float] = {}
        seen: dict[int, float] = {}
        ours = 0.0
        for name, processes in groups.items():
            total_rss = 0.0
            for process in processes:
                try:
                    with process.oneshot():
                        cpu = sum(process.cpu_times()[:2])
                        born = process.create_time()
                        total_rss += process.memory_info().rss / MB
                        if name == "kernels" and process.pid not in self._kernel_ids:
                            self.kernel_pids.add(process.pid)
                            files = [a for a in process.cmdline() if a.endswith(".json") and "kernel-" in a]
                            self.kernel_dirs.update(str(Path(f).parent) for f in files)
                            self._kernel_ids[process.pid] = (
                                Path(files[0]).stem.removeprefix("kernel-") if files else "")
                except self.psutil.Error:
                    continue
                seen[process.pid] = cpu
                # A process born since the last sample counts all its CPU; one there at the start, none.
                first = 0.0 if born > self._started else cpu
                delta = cpu - self._last.get(process.pid, first)
                self.cpu[name] += delta
                ours += delta
                if name == "kernels" and self._kernel_ids.get(process.pid) not in self.exclude_ids:
                    self._kernel_cpu += delta
            rss[name] = total_rss
        busy = self._busy()
        self.cpu["other"] += max(0.0, busy - self._last_busy - ours)
        elapsed = max(now - self._last_time, 1e-3)
        self.kernel_cores, self._kernel_cpu = self._kernel_cpu / elapsed, 0.0
        self.kernels = len(groups["kernels"])
        if self.kernel_cores < IDLE_CORES_BASE + IDLE_CORES_PER_KERNEL * self.kernels:
            if self.idle_streak == 0:
                self._idle_since = self._last_time  # idle since the start of this interval
            self.idle_streak += 1
            if self.idle_streak == IDLE_SAMPLES:
                self.settled.append(self._idle_since)
        else:
            self.idle_streak = 0
        self._last, self._last_busy, self._last_time = seen, busy, now
        self.peak["kernels"] = max(self.peak["kernels"], self.kernels)
        for name in ("kernel", "server", "browser"):
            key = f"{name}_rss_mb"
            self.peak[key] = max(self.peak[key], rss["kernels" if name == "kernel" else name])
        vm = self.psutil.virtual_memory()
        self.peak["used_ram_mb"] = max(self.peak["used_ram_mb"], (vm.total - vm.available) / MB)

    def settled_after(self, moment: float) -> float | None:
        """When the kernels first went idle for good at or after ``moment`` (monotonic), if they have."""
        # Log lines are read once per sample, so an event may be seen up to one sample late.
        return next((t for t in self.settled if t >= moment - SAMPLE_S), None)

    def memory(self, uss: bool = False) -> dict[str, Any]:
        """RSS now: each kernel, Voila, the browser; with ``uss``, memory unique to the kernels (slower)."""
        groups = self.processes()
        kernel_rss, kernel_uss = [], 0.0
        for process in groups["kernels"]:
            try:
                kernel_rss.append(process.memory_info().rss / MB)
                if uss:
                    kernel_uss += process.memory_full_info().uss / MB
            except self.psutil.Error:
                continue

        def total(name: str) -> float:
            value = 0.0
            for process in groups[name]:
                with contextlib.suppress(self.psutil.Error):
                    value += process.memory_info().rss / MB
            return value

        return {"kernels": len(kernel_rss), "kernel_rss_mb": kernel_rss,
                "kernel_rss_total_mb": sum(kernel_rss), "kernel_uss_total_mb": kernel_uss if uss else None,
                "server_rss_mb": total("server"), "browser_rss_mb": total("browser")}


def start_server(command: list[str], log: Path) -> Server:
    port = int(next(a for a in command if a.startswith("--port=")).split("=", 1)[1])
    handle = log.open("wb")
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    handle.close()
    return Server(process, f"http://127.0.0.1:{port}", log, started)


def wait_until_answering(server: Server) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"Voila exited early:\n{server.log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + "/", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"Voila did not answer in {SERVER_START_S:g} s; see {server.log}")


def stop_everything(server: Server | None, monitor: Monitor | None) -> dict[str, int]:
    """Stop Voila (it shuts its kernels down), then kill every kernel or browser process left behind."""
    import psutil

    tree: list[Any] = []
    if monitor is not None:
        with contextlib.suppress(psutil.Error):
            tree = monitor.server.children(recursive=True)
    if server is not None and server.process.poll() is None:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)
    # Kernels outlive a killed Voila (their own session), so look them up by pid and by connection dir.
    leftovers = {p.pid: p for p in tree}
    if monitor is not None:
        for pid in monitor.kernel_pids:
            with contextlib.suppress(psutil.Error):
                leftovers.setdefault(pid, psutil.Process(pid))
        for process in psutil.process_iter(["cmdline"]):
            cmdline = " ".join(process.info["cmdline"] or [])
            if any(d in cmdline for d in monitor.kernel_dirs):
                leftovers.setdefault(process.pid, process)
    leftovers.update({p.pid: p for p in psutil.Process().children(recursive=True)})
    alive = [p for p in leftovers.values() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    kernels = sum(is_kernel(p) for p in alive)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, still = psutil.wait_procs(alive, timeout=5)
    for process in still:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(still, timeout=5)
    remaining = sum(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in alive)
    return {"leftover_kernels_killed": kernels, "leftover_other_killed": len(alive) - kernels,
            "processes_still_running": remaining}


# ------------------------------------------------------------------------------------------- class


async def _sample_forever(monitor: Monitor, server: Server, holder: dict[str, Any],
                         main: asyncio.Task[Any] | None) -> None:
    while True:
        server.poll_log()
        monitor.sample()
        available = monitor.psutil.virtual_memory().available / MB
        if available < MIN_AVAILABLE_MB and main is not None:
            holder["abort"] = f"stopped with {available:.0f} MB of RAM left (peak kernels {monitor.kernels})"
            main.cancel()
            return
        await asyncio.sleep(SAMPLE_S)


async def _wait_for(condition: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.2)
    return condition()


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


async def move_slider(page: Any, timeout_s: float) -> float:
    """Move the first slider of the first app one step; milliseconds from keydown to the svg changing."""
    app = page.locator(".primer-app").first
    handle = app.locator(".noUi-handle").first
    at_max = await handle.get_attribute("aria-valuenow") == await handle.get_attribute("aria-valuemax")
    await app.evaluate(SLIDER_WATCH)
    await handle.focus()
    await page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    await page.wait_for_function("() => window.__primerSlider.changedAt !== null", polling=50,
                                 timeout=timeout_s * 1000)
    return float(await page.evaluate("() => window.__primerSlider.changedAt - window.__primerSlider.keyAt"))


def new_record() -> dict[str, Any]:
    return {"rendered": False, "page_to_chart_s": None, "class_to_chart_s": None, "slider_ms": [],
            "error": None, "page_errors": 0}


async def student(page: Any, url: str, arrival: float, options: Options, record: dict[str, Any]) -> None:
    """Open the page, wait for the chart, move the slider; never raises (failures go in ``record``)."""
    page.on("pageerror", lambda _e: record.__setitem__("page_errors", record["page_errors"] + 1))
    server = url.split("/voila/", 1)[0]  # offline, the CDN icon fonts fail; only the server's requests count
    page.on("requestfailed", lambda r: record.setdefault("failed_requests", []).append(r.url[-80:])
            if r.url.startswith(server) else None)
    page.on("websocket", lambda ws: ws.on("close", lambda _ws: record.__setitem__(
        "websocket_closes", record.get("websocket_closes", 0) + 1)))
    stage = "navigate"
    try:
        await page.goto(url, wait_until="commit", timeout=options.page_timeout_s * 1000)
        stage = "chart"
        remaining = options.page_timeout_s - (time.time() - arrival)
        await page.wait_for_function("() => window.__primerLoad.chartAt !== null", polling=200,
                                     timeout=max(remaining, 1) * 1000)
        origin, chart_at, nav = await page.evaluate(NAV_TIMES)
        record.update(rendered=True, page_to_chart_s=chart_at / 1000,
                      class_to_chart_s=(origin + chart_at) / 1000 - arrival,
                      first_byte_s=nav["responseStart"] / 1000, html_done_s=nav["responseEnd"] / 1000)
        stage = "slider"
        for _ in range(options.moves):
            await asyncio.sleep(THINK_S)
            record["slider_ms"].append(await move_slider(page, SLIDER_TIMEOUT_S))
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - one student's failure is a result, not a crash
        record["error"] = f"{stage}: {_first_line(error)}"
        with contextlib.suppress(Exception):
            record["page_state"] = await page.evaluate(PAGE_STATE)


async def report_progress(records: list[dict[str, Any]], arrival: float) -> None:
    while True:
        await asyncio.sleep(15)
        charts = sum(r["rendered"] for r in records)
        failed = sum(r["error"] is not None for r in records)
        print(f"  +{time.time() - arrival:.0f} s: {charts}/{len(records)} charts, {failed} failed",
              flush=True)


async def explore(page: Any, record: dict[str, Any], offset_s: float) -> None:
    """Keep moving the slider (until cancelled), recording each time in ``slider_refill_ms``."""
    record["slider_refill_ms"] = []
    await asyncio.sleep(offset_s)
    while True:
        try:
            record["slider_refill_ms"].append(await move_slider(page, SLIDER_TIMEOUT_S))
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - recorded; the student keeps trying
            record["refill_error"] = _first_line(error)
        await asyncio.sleep(EXPLORE_EVERY_S)


async def run_class(options: Options, result: dict[str, Any], holder: dict[str, Any]) -> None:
    """Everything that is timed; fills ``result`` as it goes so a timeout still leaves a report."""
    from playwright.async_api import async_playwright

    config = load_config()
    pools = pools_for(options, config)
    existing = {p.relative_to(NOTEBOOKS).as_posix() for p in NOTEBOOKS.rglob("*.ipynb")
                if ".ipynb_checkpoints" not in p.parts}
    warm = {nb: v["pool_size"] for nb, v in pools.items() if nb in existing and v["pool_size"] > 0}
    result["config"]["pools"] = warm
    result["config"]["warm_kernels"] = sum(warm.values())

    result["kernel_startup"] = await asyncio.to_thread(kernel_startup, NOTEBOOKS / options.target)
    command = server_command(options, free_port(), config)
    log = Path(tempfile.mkdtemp(prefix="primer-loadtest-")) / "voila.log"
    server = holder["server"] = start_server(command, log)
    result["config"]["voila_log"] = str(log)
    await asyncio.to_thread(wait_until_answering, server)
    monitor = holder["monitor"] = Monitor(server.process.pid)
    sampler = asyncio.create_task(_sample_forever(monitor, server, holder, asyncio.current_task()))
    timings = result["timings"]

    def since_start() -> float:
        return time.monotonic() - server.started

    timings["server_answering_s"] = since_start()
    try:
        # The instructor's preparation: every pool filled, then every pooled kernel done with its notebook.
        filled = await _wait_for(lambda: set(warm) <= {nb for _, nb in server.filled}, options.timeout_s)
        if not filled:
            raise TimeoutError("the warm pools were not filled")
        target_fill = [t for t, nb in server.filled if nb == options.target]
        timings["pool_filled_s"] = target_fill[0] if target_fill else None
        all_filled = timings["all_pools_filled_s"] = max((t for t, _ in server.filled), default=0.0)
        filled_at = server.started + all_filled
        if not await _wait_for(lambda: monitor.kernels >= sum(warm.values())
                               and monitor.settled_after(filled_at) is not None, options.timeout_s):
            raise TimeoutError("the pooled kernels did not finish running their notebooks")
        timings["pools_ready_s"] = max((monitor.settled_after(filled_at) or 0.0) - server.started, all_filled)
        result["memory"]["before_class"] = monitor.memory(uss=True)

        if options.browser_nice:
            os.nice(options.browser_nice)  # this process and the browser it starts; Voila started before
        async with async_playwright() as playwright:
            executable = shutil.which("chromium") or "/usr/bin/chromium"
            browser = await playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            result["machine"]["chromium"] = browser.version
            pages = []
            for _ in range(options.students):
                context = await browser.new_context(viewport={"width": 1280, "height": 800})
                await context.add_init_script(script=CHART_WATCH)
                pages.append(await context.new_page())
            await asyncio.sleep(2)  # let the idle browser settle before the class arrives

            url = f"{server.url}/voila/render/{options.target}"
            used_before = len(server.used)
            filled_before = len(server.filled)
            cpu_before = dict(monitor.cpu)
            arrival = time.time()
            timings["arrival_s"] = since_start()
            records = result["students"] = [new_record() for _ in pages]
            progress = asyncio.create_task(report_progress(records, arrival))
            await asyncio.gather(*(student(page, url, arrival, options, record)
                                   for page, record in zip(pages, records, strict=True)))
            progress.cancel()
            timings["class_done_s"] = since_start()
            result["cpu_class_core_s"] = {k: monitor.cpu[k] - cpu_before[k] for k in monitor.GROUPS}
            result["memory"]["after_class"] = monitor.memory(uss=True)

            explorers = [asyncio.create_task(explore(p, r, i * EXPLORE_EVERY_S / len(pages)))
                         for i, (p, r) in enumerate(zip(pages, records, strict=True)) if r["rendered"]]
            if options.preheat:
                monitor.exclude_ids = set(server.used_ids)
                # Voila logs one "filled" line per replacement kernel once it has started.
                def refilled() -> bool:
                    used = sum(nb == options.target for _, nb in server.used[used_before:])
                    again = sum(nb == options.target for _, nb in server.filled[filled_before:])
                    return used > 0 and again >= used

                wait_s = min(REFILL_WAIT_S, options.timeout_s)
                if await _wait_for(refilled, wait_s):
                    again = [t for t, nb in server.filled[filled_before:] if nb == options.target]
                    started = timings["refill_started_s"] = again[-1]
                    if await _wait_for(lambda: monitor.settled_after(server.started + started) is not None,
                                       wait_s):
                        ready = monitor.settled_after(server.started + started) or math.nan
                        timings["refill_ready_s"] = max(ready - server.started, started)
                result["memory"]["after_refill"] = monitor.memory(uss=True)
            for task in explorers:
                task.cancel()
            await asyncio.gather(*explorers, return_exceptions=True)
            result["cpu_total_core_s"] = dict(monitor.cpu)
            await browser.close()
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        result["peak"] = dict(monitor.peak)
        result["voila_log_counts"] = {"kernels_started": len(server.kernels_started),
                                      "preheated_used": len(server.used),
                                      "pool_filled_lines": len(server.filled),
                                      "iopub_timeouts_s": [round(t, 1) for t in server.iopub_timeouts]}


# ------------------------------------------------------------------------------------------ report


def machine(packages: Sequence[str] = PACKAGES) -> dict[str, Any]:
    """Cores, RAM, Python, platform, ``packages``' versions and the load when the run started."""
    import psutil

    versions = {}
    for package in packages:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {"cores": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 1024**3, 1),
            "python": platform.python_version(), "platform": platform.platform(), "packages": versions,
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}


def error_counts(errors: Sequence[str]) -> list[str]:
    """``"29 × chart: ... Timeout ms exceeded."``: the same failure once, whatever its numbers."""
    counts: dict[str, int] = {}
    for error in errors:
        key = re.sub(r"\d+(\.\d+)?", "", error)
        counts[key] = counts.get(key, 0) + 1
    return [f"{n} × {key}" for key, n in sorted(counts.items(), key=lambda kv: -kv[1])]


def _after(timings: dict[str, float], key: str, origin: float | None) -> float | None:
    return None if origin is None or key not in timings else timings[key] - origin


def finish(result: dict[str, Any]) -> dict[str, Any]:
    """Add the summaries the table shows (pure: tests call it on a made-up result)."""
    students = result.get("students", [])
    t = result.get("timings", {})
    arrival = t.get("arrival_s")
    rendered = [s for s in students if s["rendered"]]
    moves = [ms for s in students for ms in s["slider_ms"]]
    memory = result.get("memory", {})
    # The end state: the students' kernels plus the refilled pool (or just after the class, cold).
    final = memory.get("after_refill") or memory.get("after_class") or {}
    result["summary"] = {
        "students": result["config"]["students"],
        "rendered": len(rendered),
        "slider_moved": sum(len(s["slider_ms"]) == result["config"]["moves"] for s in students),
        "page_to_chart_s": summary([s["page_to_chart_s"] for s in rendered]),
        "class_to_last_chart_s": max((s["class_to_chart_s"] for s in rendered), default=None),
        "first_byte_s": summary([s["first_byte_s"] for s in rendered if s.get("first_byte_s") is not None]),
        "html_done_s": summary([s["html_done_s"] for s in rendered if s.get("html_done_s") is not None]),
        "slider_to_chart_ms": summary(moves),
        "slider_during_refill_ms": summary([ms for s in students for ms in s.get("slider_refill_ms", [])]),
        "pool_warmup_filled_s": t.get("pool_filled_s"),
        "pool_warmup_ready_s": t.get("pools_ready_s"),
        "refill_started_s": _after(t, "refill_started_s", arrival),
        "refill_ready_s": _after(t, "refill_ready_s", arrival),
        "kernels_at_end": final.get("kernels"),
        "kernel_rss_mb": summary(final.get("kernel_rss_mb", [])),
        "kernel_rss_total_mb": final.get("kernel_rss_total_mb"),
        "kernel_uss_total_mb": final.get("kernel_uss_total_mb"),
        "errors": error_counts([s["error"] for s in students if s["error"]]),
    }
    return result


def _num(value: float | int | None, digits: int = 1, unit: str = "") -> str:
    return "–" if value is None else f"{value:.{digits}f}{unit}"


def _stats(s: dict[str, Any], digits: int = 1) -> str:
    if not s or not s.get("n"):
        return "–"
    return f"{s['median']:.{digits}f} / {s['p95']:.{digits}f} / {s['max']:.{digits}f}"


def _iopub(r: dict[str, Any]) -> str:
    times = r.get("voila_log_counts", {}).get("iopub_timeouts_s")
    arrival = r.get("timings", {}).get("arrival_s")
    if times is None:
        return "–"
    before = sum(arrival is None or t < arrival for t in times)
    return f"{before} / {len(times) - before}"


def _gb(mb: float | None) -> str:
    return "–" if mb is None else f"{mb / 1024:.1f}"


#: (row label, cell from one run's result).
ROWS: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
    ("Students with a chart", lambda r: f"**{r['summary']['rendered']}/{r['summary']['students']}**"),
    ("Students who moved the slider every time",
     lambda r: f"{r['summary']['slider_moved']}/{r['summary']['students']}"),
    ("Page-to-chart, s (median / p95 / max)", lambda r: _stats(r["summary"]["page_to_chart_s"])),
    ("Class arrival to the last chart, s", lambda r: _num(r["summary"]["class_to_last_chart_s"])),
    ("Page's first byte, s (median / p95 / max)", lambda r: _stats(r["summary"]["first_byte_s"])),
    ("Page's HTML complete (Voila streams it), s", lambda r: _stats(r["summary"]["html_done_s"])),
    ("Slider-to-chart, ms (median / p95 / max)", lambda r: _stats(r["summary"]["slider_to_chart_ms"], 0)),
    ("Slider moves measured", lambda r: str(r["summary"]["slider_to_chart_ms"]["n"])),
    ("Slider-to-chart while the pool refills, ms (median / p95 / max)",
     lambda r: _stats(r["summary"]["slider_during_refill_ms"], 0)),
    ("Slider moves measured while the pool refills",
     lambda r: str(r["summary"]["slider_during_refill_ms"]["n"])),
    ("Warm kernels configured (all pools)", lambda r: str(r["config"].get("warm_kernels", "–"))),
    ("Pool warm-up: server start to pool filled (log), s",
     lambda r: _num(r["summary"]["pool_warmup_filled_s"])),
    ("Pool warm-up: server start to all pools ready (kernels idle), s",
     lambda r: _num(r["summary"]["pool_warmup_ready_s"])),
    ("Refill after arrival: replacements started, s", lambda r: _num(r["summary"]["refill_started_s"])),
    ("Refill after arrival: replacements ready (idle), s", lambda r: _num(r["summary"]["refill_ready_s"])),
    ("Kernels at the end (students' and the refilled pools)", lambda r: str(r["summary"]["kernels_at_end"])),
    ("Per-kernel RSS at the end, MB (median / p95 / max)",
     lambda r: _stats(r["summary"]["kernel_rss_mb"], 0)),
    ("All kernels at the end, GB: RSS (USS, memory unique to each kernel)",
     lambda r: f"{_gb(r['summary']['kernel_rss_total_mb'])} ({_gb(r['summary']['kernel_uss_total_mb'])})"),
    ("Peak: kernels / all kernels GB RSS",
     lambda r: f"{r['peak']['kernels']:.0f} / {_gb(r['peak']['kernel_rss_mb'])}" if r.get("peak") else "–"),
    ("Peak Voila server RSS, MB", lambda r: _num((r.get("peak") or {}).get("server_rss_mb"), 0)),
    ("Peak browser RSS (the test's Chromium), GB",
     lambda r: _gb((r.get("peak") or {}).get("browser_rss_mb"))),
    ("Peak RAM in use on the machine, GB", lambda r: _gb((r.get("peak") or {}).get("used_ram_mb"))),
    ("CPU while the class arrived, core-s: Voila / kernels / browser (the test's) / other processes",
     lambda r: " / ".join(f"{r['cpu_class_core_s'][k]:.0f}" for k in Monitor.GROUPS)
     if r.get("cpu_class_core_s") else "–"),
    ("One kernel alone: start to ready / to app displayed, s",
     lambda r: f"{r['kernel_startup']['ready_s']:.1f} / {r['kernel_startup']['app_displayed_s']:.1f}"
     if r.get("kernel_startup") else "–"),
    ("Load average when the run started",
     lambda r: " ".join(f"{x:.1f}" for x in r["machine"]["load_average_at_start"])),
    ("Cell outputs lost by Voila (IOPub timeouts): warm-up / class and refill",
     lambda r: _iopub(r)),
    ("Stopped early", lambda r: r.get("stopped") or "no"),
]


def markdown(runs: Sequence[dict[str, Any]]) -> str:
    """One column per run; the machine and the kernel start-up imports of the last run below."""
    last = runs[-1]
    m = last["machine"]
    lines = ["# Classroom load test", "",
             "`make loadtest` (`python -m primer_lib.devtools.loadtest`): students open the page at the "
             "same moment in headless Chromium on the same machine as Voila, wait for the chart and move a "
             "slider. Times are measured in the page; memory is RSS (USS: memory unique to each kernel). "
             "The test's Chromium shares the server's cores (at a lower priority; see the CPU row): real "
             "students' browsers do that work on their own machines, so page-to-chart here is an upper "
             "bound.", "",
             f"Machine: {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}, {m['platform']}, "
             f"Chromium {m.get('chromium', '?')}.",
             "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".", "",
             "| Measure | " + " | ".join(r["label"] + f" ({r['date'][:10]})" for r in runs) + " |",
             "|---|" + "---|" * len(runs)]
    for label, cell in ROWS:
        values = []
        for run in runs:
            try:
                values.append(cell(run))
            except (KeyError, TypeError):
                values.append("–")
        lines.append(f"| {label} | " + " | ".join(values) + " |")
    errors = [(r["label"], e) for r in runs for e in r["summary"]["errors"]]
    if errors:
        lines += ["", "Errors:", *(f"- {label}: {e}" for label, e in errors)]
    startup = last.get("kernel_startup")
    if startup and startup.get("imports"):
        imports = startup["imports"]
        cells = ", ".join(f"{s:.2f}" for s in startup["cells_s"])
        lines += ["", f"## Kernel start-up ({last['config']['target']}, one kernel, idle server)", "",
                  f"Start to ready {startup['ready_s']:.2f} s; code cells up to the app {cells} s; app "
                  f"displayed {startup['app_displayed_s']:.2f} s after start; kernel RSS then "
                  f"{_num(startup['rss_mb'], 0)} MB. Imports of the first cell (`-X importtime`): "
                  f"{imports['total_ms'] / 1000:.2f} s in all, by top-level package:", "",
                  "| Package | Self time (ms) |", "|---|---|"]
        lines += [f"| {row['package']} | {row['ms']:.0f} |" for row in imports["top"]]
    return "\n".join(lines) + "\n"


def write_results(result: dict[str, Any], out: Path, fresh: bool) -> str:
    """Merge this run into ``loadtest.json`` (replacing a run with the same label); write the Markdown."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / "loadtest.json"
    runs: list[dict[str, Any]] = []
    if path.exists() and not fresh:
        with contextlib.suppress(ValueError, KeyError):
            # Summaries are recomputed, so earlier runs read the same way as this one.
            runs = [finish(r) for r in json.loads(path.read_text())["runs"] if r["label"] != result["label"]]
    runs.append(result)
    path.write_text(json.dumps({"runs": runs}, indent=1))
    text = markdown(runs)
    (out / "loadtest.md").write_text(text)
    return text


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    config = load_config()
    fill_delay = options.fill_delay_s if options.fill_delay_s is not None else float(
        config["VoilaKernelManager"].get("fill_delay", 1))
    result: dict[str, Any] = {
        "label": run_label(options, fill_delay), "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(), "timings": {}, "memory": {}, "students": [], "stopped": None,
        "config": {"target": options.target, "students": options.students, "preheat": options.preheat,
                   "moves": options.moves, "fill_delay_s": fill_delay, "browser_nice": options.browser_nice,
                   "timeout_s": options.timeout_s,
                   "page_timeout_s": options.page_timeout_s,
                   "cull_idle_timeout_s": config.get("MappingKernelManager", {}).get("cull_idle_timeout")}}
    holder: dict[str, Any] = {}
    print(f"Load test: {result['label']}; up to {options.timeout_s:g} s.", flush=True)
    try:
        asyncio.run(asyncio.wait_for(run_class(options, result, holder), options.timeout_s))
    except TimeoutError as error:
        result["stopped"] = f"timeout after {options.timeout_s:g} s ({_first_line(error)})"
    except (KeyboardInterrupt, asyncio.CancelledError):
        result["stopped"] = holder.get("abort", "interrupted")
    except Exception as error:  # noqa: BLE001 - still stop everything and write what was measured
        result["stopped"] = f"{type(error).__name__}: {_first_line(error)}"
    finally:
        result["cleanup"] = stop_everything(holder.get("server"), holder.get("monitor"))
    text = write_results(finish(result), options.out, options.fresh)
    print(text)
    print(f"Cleanup: {result['cleanup']}. Written to {options.out / 'loadtest.md'} and loadtest.json.")
    s = result["summary"]
    complete = s["rendered"] == s["students"] and s["slider_moved"] == s["students"] and not result["stopped"]
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
