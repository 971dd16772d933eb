"""Re-execute notebooks top to bottom and save them, ready for nbval and Git.

``python -m primer_lib.devtools.run_notebooks notebooks`` (``make notebooks``).
Stored outputs are only ever written by this tool, never by hand. After running
it strips what would bloat or break a saved notebook:

* ``metadata.widgets`` (widget state: the Vega bundle alone is ~800 KB);
* widget-view outputs, keeping their ``text/plain`` line. A saved view whose
  state is gone shows "Error displaying widget: model not found" in JupyterLab;
  the text line instead tells the learner to run the cell.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
TIMEOUT_S = 120


def strip_widget_state(notebook: Any) -> Any:
    """Drop widget state and widget-view outputs in place; return the notebook."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            data.pop(WIDGET_VIEW, None)
            if output.get("output_type") in {"display_data", "execute_result"} and not data:
                continue
            kept.append(output)
        cell["outputs"] = kept
    return notebook


def execute(path: Path) -> float:
    """Run ``path`` in its own folder, strip widget state, save; return seconds taken."""
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=TIMEOUT_S, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    strip_widget_state(notebook)
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)",
                                       "language": "python", "name": "python3"}
    nbformat.write(notebook, path)
    return seconds


def notebooks_under(folder: Path) -> list[Path]:
    """Every ``.ipynb`` below ``folder`` except checkpoints, sorted."""
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="notebooks or folders")
    args = parser.parse_args(argv)
    targets: list[Path] = []
    for path in args.paths:
        targets += notebooks_under(path) if path.is_dir() else [path]
    for path in targets:
        print(f"{path}: executed in {execute(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
