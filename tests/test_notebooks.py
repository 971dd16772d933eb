"""The notebooks as files: saved by `make notebooks`, lesson structure, nbval really compares."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from primer_lib.course import LESSONS as COURSE
from primer_lib.devtools.run_notebooks import WIDGET_VIEW, notebooks_under, strip_widget_state

ROOT = Path(__file__).parents[1]
NOTEBOOKS = notebooks_under(ROOT / "notebooks")
LESSONS = [p for p in NOTEBOOKS if p.name in {lesson.notebook for lesson in COURSE}]
REQUIRED_SECTIONS = ("Time", "Prerequisites", "You will be able to", "Key takeaways", "References",
                     "Predict", "Reveal", "Exercise", "Solution", "not clinical advice")
# Lesson 00 introduces the format with a first question; every later lesson has at least three.
MIN_SELF_CHECKS = {"00_start_here.ipynb": 1}


def test_there_are_notebooks():
    assert LESSONS, "no lesson notebooks found"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_saved_executed_without_widget_state_or_errors(path):
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert all(c.execution_count for c in code), "run `make notebooks`: a cell was never executed"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "cells were not run top to bottom in one go"
    for cell in code:
        for output in cell.outputs:
            assert output.output_type != "error"
            assert WIDGET_VIEW not in output.get("data", {})
            assert output.get("name") != "stderr", f"stderr output in: {cell.source[:60]}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_has_the_course_structure(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    missing = [s for s in REQUIRED_SECTIONS if s.lower() not in text.lower()]
    assert not missing, f"{path.name} lacks: {missing}"
    checks = sum("".join(o.get("data", {}).get("text/plain", "")).startswith("[Self-check:")
                 for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert checks >= MIN_SELF_CHECKS.get(path.name, 3), f"{path.name} has {checks} self-checks"


def test_strip_keeps_text_and_drops_views():
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"state": {}}
    out = nbformat.v4.new_output("execute_result", data={WIDGET_VIEW: {"model_id": "x"},
                                                          "text/plain": "[Interactive]"})
    only_view = nbformat.v4.new_output("display_data", data={WIDGET_VIEW: {"model_id": "y"}})
    nb.cells = [nbformat.v4.new_code_cell("app", outputs=[out, only_view])]
    strip_widget_state(nb)
    assert "widgets" not in nb.metadata
    assert nb.cells[0].outputs == [out] and out["data"] == {"text/plain": "[Interactive]"}


def _nbval(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), str(path)],
        capture_output=True, text=True, cwd=path.parent, timeout=300)


def test_nbval_passes_unchanged_and_fails_when_a_checked_output_changes(tmp_path):
    folder = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder)
    copy = folder / "00_start_here.ipynb"
    assert _nbval(copy).returncode == 0, "unchanged copy must pass"
    nb = json.loads(copy.read_text())
    changed = False
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain")
            if text and "".join(text).strip() == "1.63":
                output["data"]["text/plain"] = ["9.99"]
                changed = True
    assert changed, "expected the exercise cell's stored output 1.63"
    copy.write_text(json.dumps(nb))
    result = _nbval(copy)
    assert result.returncode != 0, result.stdout[-2000:]
    assert "1 failed" in result.stdout and "9.99" in result.stdout
