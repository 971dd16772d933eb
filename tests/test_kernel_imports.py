"""A lesson's kernel imports only what its first chart needs (issue 11).

Imports are most of the time before a page's first chart. Two slow imports are
kept out on purpose: ``rfc3987_syntax`` (jsonschema >= 4.25's format extra compiles
a grammar on import, about 1 s; requirements.txt holds jsonschema below it) and
``scipy.stats`` (about 0.4 s; only the biomarker AUC needs it, imported there).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SLOW_IMPORTS = ("rfc3987_syntax", "scipy.stats")
# Notebooks that start a kernel: the glossary page is Markdown only.
NOTEBOOKS = [path for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
             + sorted((ROOT / "notebooks" / "dashboards").glob("*.ipynb"))
             if '"cell_type": "code"' in path.read_text(encoding="utf-8")]


def _import_lines(notebook: Path) -> list[str]:
    """The notebook's own top-level import statements, in order."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    statements: list[str] = []
    for cell in cells:
        if cell["cell_type"] == "code":
            tree = ast.parse("".join(cell["source"]))
            statements += [ast.unparse(node) for node in tree.body
                           if isinstance(node, (ast.Import, ast.ImportFrom))]
    return statements


def _start_probe(statements: list[str]) -> subprocess.Popen[str]:
    """A fresh interpreter running ``statements``, then printing which slow modules got loaded."""
    probe = "\n".join(statements + [
        "import sys",
        f"print(' '.join(m for m in {SLOW_IMPORTS!r} if m in sys.modules))",
    ])
    return subprocess.Popen([sys.executable, "-c", probe], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)


def _loaded(process: subprocess.Popen[str]) -> set[str]:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return set(out.split())


@pytest.fixture(scope="module")
def probes() -> dict[Path, subprocess.Popen[str]]:
    # Every notebook's probe starts at once: each is a new interpreter (~2 s), and two cores run
    # them side by side instead of one after another.
    return {notebook: _start_probe(_import_lines(notebook)) for notebook in NOTEBOOKS}


def test_every_notebook_is_checked():
    assert len(NOTEBOOKS) >= 12


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_imports_skip_slow_modules(notebook, probes):
    assert any("primer_lib" in statement for statement in _import_lines(notebook))
    assert _loaded(probes[notebook]) == set()


def test_probe_sees_a_slow_import():
    # The check above can fail: importing scipy.stats directly is seen.
    assert _loaded(_start_probe(["import scipy.stats"])) == {"scipy.stats"}
