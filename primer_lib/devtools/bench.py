"""`make bench`: how fast the course feels, written as a Markdown table and a JSON file.

Measured here (a benchmark, not a timed test):

1. update compute: for every control of every app in the catalog, the time from a new
   value to the new chart data and description being ready in the kernel (median, p95);
2. lesson execution: each notebook run top to bottom (nbclient);
3. the machine: cores, Python and package versions.

Browser slider-to-chart and Voila page-to-first-chart times come from the browser
benchmark (``tests/browser``); they join this table when the dashboards exist.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

MOVES_PER_CONTROL = 30
PACKAGES = ("numpy", "scipy", "pandas", "altair", "anywidget", "ipywidgets", "jupyterlab", "voila")


def _next_value(control: Any, rng: random.Random) -> Any:
    if hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return rng.choice([v for v in values if v != control.value])
    if isinstance(control.value, bool):
        return not control.value
    steps = round((control.max - control.min) / control.step)
    return control.min + rng.randint(0, steps) * control.step


def update_times(moves: int = MOVES_PER_CONTROL, seed: int = 0) -> list[dict[str, Any]]:
    """Median and p95 of ``app.last_update_ms`` for each control of each catalogued app."""
    from primer_lib.widgets.catalog import APPS

    rng = random.Random(seed)
    rows = []
    for name, build in APPS.items():
        app = build()
        for key, control in app.controls.items():
            times = []
            for _ in range(moves):
                control.value = _next_value(control, rng)
                times.append(app.last_update_ms)
            times.sort()
            rows.append({"app": name, "control": key, "median_ms": statistics.median(times),
                         "p95_ms": times[max(0, int(0.95 * len(times)) - 1)]})
    return rows


def lesson_times(folder: Path) -> list[dict[str, Any]]:
    """Seconds to execute each lesson top to bottom (saved outputs are not touched)."""
    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        rows.append({"notebook": path.name, "seconds": time.perf_counter() - start})
    return rows


def machine() -> dict[str, Any]:
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "packages": versions}


def markdown(result: dict[str, Any]) -> str:
    """The benchmark as Markdown: machine, update budget table (worst first), lesson times."""
    m = result["machine"]
    lines = ["# Benchmark", "", f"Machine: {m['cores']} cores, Python {m['python']}, {m['platform']}.",
             "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".", "",
             "## Update compute per control (kernel; budget: median ≤ 20 ms, p95 ≤ 50 ms)", "",
             "| App | Control | Median (ms) | p95 (ms) | Within budget |", "|---|---|---|---|---|"]
    for row in sorted(result["updates"], key=lambda r: -r["median_ms"]):
        ok = row["median_ms"] <= 20 and row["p95_ms"] <= 50
        lines.append(f"| {row['app']} | {row['control']} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} | "
                     f"{'yes' if ok else '**no**'} |")
    lines += ["", "## Lesson execution (budget: ≤ 20 s each)", "", "| Notebook | Seconds |", "|---|---|"]
    lines += [f"| {row['notebook']} | {row['seconds']:.1f} |" for row in result["lessons"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark the course (see module docstring).")
    parser.add_argument("--out", type=Path, default=Path("tests/benchmarks"), help="folder for the results")
    parser.add_argument("--notebooks", type=Path, default=Path("notebooks"))
    parser.add_argument("--moves", type=int, default=MOVES_PER_CONTROL)
    args = parser.parse_args(argv)
    result = {"machine": machine(), "updates": update_times(args.moves),
              "lessons": lesson_times(args.notebooks)}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(result, indent=2))
    text = markdown(result)
    (args.out / "latest.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
