"""`make glossary`: write notebooks/glossary.ipynb and link each lesson's first use of a term.

The glossary itself lives in :mod:`primer_lib.glossary`. This tool keeps the two places
that show it in step: the printable page (a Markdown-only notebook, readable without a
kernel) and the lessons' prose, where the first use of each term links to its entry.
tests/test_glossary.py fails when either is out of date.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from pathlib import Path

import nbformat

from primer_lib.glossary import GLOSSARY, Term, glossary_markdown, mention_pattern

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
PAGE = "glossary.ipynb"
LINK = re.compile(r"\]\(glossary\.ipynb#([^)\s]+)\)")
# Spans where a link must not go: headings, quotations and notices (> lines), code,
# math, HTML tags, existing links, <summary> lines (a link there would steal the click
# that opens a solution) and reference lists (paper titles use words in other senses).
_SKIP = re.compile(r"^## References\b[\s\S]*|^#.*$|^>.*$|^.*<summary>.*$|`[^`]*`|\$[^$]*\$|<[^>]+>"
                   r"|\[[^\]]*\]\([^)]*\)", re.MULTILINE)


def glossary_notebook() -> nbformat.NotebookNode:
    """The glossary page as a notebook of one Markdown cell, so it needs no kernel.

    Its metadata are lesson 00's (as `make notebooks` saved them): with less, JupyterLab fills
    in the kernel's language details on opening and marks the page as changed.
    """
    cell = nbformat.v4.new_markdown_cell(glossary_markdown(), id="glossary")
    first_lesson = nbformat.read(lessons()[0], as_version=4)
    return nbformat.v4.new_notebook(cells=[cell], metadata=first_lesson.metadata)


def page_text() -> str:
    """What notebooks/glossary.ipynb must contain, byte for byte."""
    return nbformat.writes(glossary_notebook()) + "\n"


def lessons() -> list[Path]:
    """Every lesson notebook (numbered, top level of notebooks/)."""
    return sorted(path for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _spellings(entry: Term) -> list[str]:
    # Longest first, so "cold tumors" is linked rather than a shorter alias inside it.
    return sorted((entry.term, *entry.aliases), key=len, reverse=True)


def _first_use(text: str, entry: Term) -> re.Match[str] | None:
    """The first mention of ``entry`` in ``text`` outside the spans links must avoid."""
    blocked = [m.span() for m in _SKIP.finditer(text)]
    best: re.Match[str] | None = None
    for spelling in _spellings(entry):
        flags = re.IGNORECASE if spelling.islower() else 0
        for match in re.finditer(mention_pattern(spelling), text, flags):
            if not any(start <= match.start() < end for start, end in blocked):
                if best is None or match.start() < best.start():
                    best = match
                break
    return best


def link_first_uses(sources: Sequence[str]) -> list[str]:
    """Link the first unlinked use of each glossary term across a lesson's Markdown cells.

    A term already linked anywhere in the lesson is left alone, so running this twice
    changes nothing.
    """
    cells = list(sources)
    linked = {anchor for text in cells for anchor in LINK.findall(text)}
    for entry in GLOSSARY:
        if entry.anchor in linked:
            continue
        for i, text in enumerate(cells):
            match = _first_use(text, entry)
            if match:
                # "anti-PD-1" is linked whole, so the link text reads as the therapy.
                start = match.start() - 5 if text[:match.start()].endswith("anti-") else match.start()
                cells[i] = (f"{text[:start]}[{text[start:match.end()]}]({PAGE}#{entry.anchor})"
                            f"{text[match.end():]}")
                linked.add(entry.anchor)
                break
    return cells


def link_lesson(path: Path) -> bool:
    """Rewrite one lesson's Markdown cells with glossary links; True if it changed."""
    notebook = nbformat.read(path, as_version=4)
    markdown = [cell for cell in notebook.cells if cell.cell_type == "markdown"]
    before = ["".join(cell["source"]) for cell in markdown]
    after = link_first_uses(before)
    for cell, text in zip(markdown, after, strict=True):
        cell.source = text
    if after == before:
        return False
    nbformat.write(notebook, path)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """Write the glossary page and link the lessons; print what changed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.parse_args(argv)
    page = NOTEBOOKS / PAGE
    page.write_text(page_text(), encoding="utf-8")
    print(f"wrote {page.relative_to(ROOT)}")
    for path in lessons():
        if link_lesson(path):
            print(f"linked glossary terms in {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
