"""The glossary reaches lesson text, control tooltips and a printable page (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from primer_lib import glossary
from primer_lib.devtools import glossary_page
from primer_lib.glossary import GLOSSARY, terms_in, with_definitions
from primer_lib.widgets.app import control_words
from primer_lib.widgets.catalog import APPS

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "notebooks" / "glossary.ipynb"
LESSONS = glossary_page.lessons()
ANCHORS = {entry.anchor for entry in GLOSSARY}


def _markdown(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


def test_glossary_has_the_terms_the_issue_names():
    names = {entry.term for entry in GLOSSARY}
    assert {"TPS", "TMB", "MSI-H", "iUPD", "Treg", "MDSC"} <= names
    assert len(GLOSSARY) >= 30


def test_every_entry_is_complete_and_unique():
    spellings = [s for entry in GLOSSARY for s in (entry.term, *entry.aliases)]
    assert len(spellings) == len(set(spellings))
    for entry in GLOSSARY:
        assert entry.definition.endswith(".") and entry.source, entry.term


@pytest.mark.parametrize(("name", "expected"), [("TPS", "TPS"), ("Tregs", "Treg"), ("HLA", "MHC")])
def test_term_finds_terms_and_aliases(name, expected):
    assert glossary.term(name).term == expected


def test_term_rejects_unknown_names_and_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"name must be a glossary term \(APC, AUC"):
        glossary.term("XYZ")
    with pytest.raises(TypeError, match="name must be a str"):
        glossary.term(3)  # type: ignore[arg-type]


def test_terms_in_matches_whole_abbreviations_only():
    found = [entry.term for entry in terms_in("PD-L1 TPS cutoff (%) and T-cell exhaustion")]
    assert found == ["exhaustion", "PD-L1", "TPS"]
    assert terms_in("PD-1 blockade") == (glossary.term("PD-1"),)  # not "PD"
    assert terms_in("") == ()
    with pytest.raises(TypeError, match="text must be a str"):
        terms_in(None)  # type: ignore[arg-type]


def test_with_definitions_appends_each_term_once():
    tip = with_definitions("Cutoff on the marker.", "PD-L1 TPS cutoff")
    assert tip.startswith("Cutoff on the marker.\n")
    assert glossary.term("TPS").tooltip in tip and glossary.term("PD-L1").tooltip in tip
    assert with_definitions(tip, "PD-L1 TPS cutoff") == tip
    assert with_definitions("Plain", "Tumor growth rate") == "Plain"


def test_printable_page_is_up_to_date():
    assert PAGE.read_text(encoding="utf-8") == glossary_page.page_text(), "run `make glossary`"


def test_printable_page_has_one_heading_per_term_with_its_source():
    text = glossary.glossary_markdown()
    headings = re.findall(r"^### (.+)$", text, re.MULTILINE)
    assert headings == sorted((entry.term for entry in GLOSSARY), key=str.lower)
    assert text.count("Source: ") == len(GLOSSARY)
    assert "not clinical advice" in text


def test_lessons_are_checked():
    assert len(LESSONS) >= 7


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda path: path.stem)
def test_lesson_links_every_term_it_uses(lesson):
    cells = _markdown(lesson)
    assert glossary_page.link_first_uses(cells) == cells, "run `make glossary`"
    text = "\n".join(cells)
    linked = set(glossary_page.LINK.findall(text))
    assert linked, f"{lesson.name} links no glossary term"
    assert linked <= ANCHORS, f"unknown glossary anchors {linked - ANCHORS}"


def test_linking_finds_a_first_use_and_skips_headings_code_and_links():
    cells = ["# TPS heading", "Uses `TMB` in code and [TPS](x.ipynb) as a link.", "Then TPS and TMB."]
    out = glossary_page.link_first_uses(cells)
    assert out[:2] == cells[:2]
    assert out[2] == "Then [TPS](glossary.ipynb#TPS) and [TMB](glossary.ipynb#TMB)."
    assert glossary_page.link_first_uses(out) == out


def test_every_app_control_naming_a_term_shows_its_definition():
    checked = 0
    for name, build in APPS.items():
        app = build()
        for control in app.controls.values():
            words = control_words(control)
            for entry in terms_in(words):
                assert entry.tooltip in control.tooltip, f"{name}: {words!r} lacks {entry.term}"
                checked += 1
    assert checked >= 10  # therapies (anti-PD-1 ...), markers (TPS, TMB ...), RECIST categories


def test_control_words_leave_out_units():
    # "IFN-γ score (SD)": the SD is a standard deviation, not stable disease.
    app = APPS["biomarker_threshold"]()
    words = control_words(app.controls["biomarkers.marker"])
    assert "IFN-γ score" in words and "(SD)" not in words
    assert "SD" not in [entry.term for entry in terms_in(words)]


def test_cutoff_slider_keeps_definitions_when_the_marker_changes():
    app = APPS["biomarker_threshold"]()
    app.controls["biomarkers.marker"].value = "tmb"
    assert glossary.term("TMB").tooltip in app.controls["biomarkers.cutoff"].tooltip
