"""The instructor guide (INSTRUCTORS.md): a plan for every lesson, true to the course it describes.

Every lesson of ``primer_lib.course.LESSONS`` has a section with its subsections; each 50-minute plan
adds up; every dashboard and preset it names exists, with the preset's own question; every exercise and
self-check of a notebook has an answer; and every number the guide quotes with a unit (or as a decimal)
appears in that lesson's stored text or in a claim test, so a model change cannot leave the guide behind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from primer_lib.course import LESSONS, Lesson
from primer_lib.widgets.dashboards import DASHBOARDS

ROOT = Path(__file__).parents[1]
GUIDE = ROOT / "INSTRUCTORS.md"
NOTEBOOKS = ROOT / "notebooks"
SUBSECTIONS = ("At a glance", "50-minute plan", "Project this", "Discussion prompts",
               "Answers to the exercises", "Common misconceptions")
#: Subsections whose numbers must be quoted from the course (the plan's minutes and the file names are not).
QUOTING = ("Project this", "Discussion prompts", "Answers to the exercises", "Common misconceptions")
LESSON_STEMS = {Path(lesson.notebook).stem for lesson in LESSONS}

# --- Reading the guide -----------------------------------------------------------------------------------


def _guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def _lesson_sections() -> dict[int, tuple[str, str]]:
    """Lesson number -> (title, body) for every ``### Lesson NN · Title`` section."""
    text = _guide()
    heads = list(re.finditer(r"^### Lesson (\d\d) · (.+)$", text, flags=re.MULTILINE))
    sections = {}
    for head in heads:
        rest = text[head.end():]
        stop = re.search(r"^#{2,3} ", rest, flags=re.MULTILINE)
        sections[int(head.group(1))] = (head.group(2).strip(), rest[:stop.start()] if stop else rest)
    return sections


def _subsections(body: str) -> dict[str, str]:
    parts = re.split(r"^#### (.+)$", body, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _section(lesson: Lesson) -> dict[str, str]:
    sections = _lesson_sections()
    assert lesson.number in sections, f"INSTRUCTORS.md has no '### Lesson {lesson.number:02d}' section"
    return _subsections(sections[lesson.number][1])


def _presets_named(text: str) -> list[str]:
    """Preset buttons are written as on screen, in square brackets (not Markdown links, not code)."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.findall(r"\[([^\[\]\n]+)\](?!\()", prose)


# --- Reading the course ----------------------------------------------------------------------------------


@cache
def _cells(notebook: str) -> tuple[dict, ...]:
    return tuple(json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"])


def _text(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "".join(value)


@cache
def _stored_text(notebook: str) -> str:
    """What a lesson shows: its Markdown, its stored outputs, and the words of its self-checks."""
    parts = []
    for cell in _cells(notebook):
        source = _text(cell["source"])
        if cell["cell_type"] == "markdown" or "selfcheck." in source:
            parts.append(source)
        for output in cell.get("outputs", []):
            parts.append(_text(output.get("text", "")))
            data = output.get("data", {})
            parts.extend(_text(data[kind]) for kind in ("text/plain", "text/markdown") if kind in data)
    return "\n".join(parts)


@cache
def _claim_tests() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests").glob("test_claims_*.py")))


def _exercises(notebook: str) -> list[str]:
    """The notebook's exercise headings ('Exercise', 'Exercise 2: …'), in order."""
    found = []
    for cell in _cells(notebook):
        if cell["cell_type"] == "markdown":
            found += re.findall(r"^#{2,4}\s+(Exercise\b.*?)\s*$", _text(cell["source"]), flags=re.MULTILINE)
    return found


def _self_check_count(notebook: str) -> int:
    # Counted from the saved outputs: a self-check may be built by a library call (leverage_question()).
    return sum(_text(output.get("data", {}).get("text/plain", "")).startswith("[Self-check:")
               for cell in _cells(notebook) if cell["cell_type"] == "code"
               for output in cell.get("outputs", []))


@pytest.fixture(scope="module")
def dashboards() -> dict[str, dict[str, str]]:
    """Dashboard name -> {preset label: its 'Ask the class' question}, from the built dashboards."""
    return {name: {label: preset.prompt for label, preset in build().presets.items()}
            for name, build in DASHBOARDS.items()}


# --- Numbers ---------------------------------------------------------------------------------------------

_NUMBER = r"(?<![\w.,/])[+−-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w.]*\d)"
_UNITS = (r"%|mm\b|days?\b|weeks?\b|months?\b|million\b|billion\b|cells?\b|patients\b|mut/Mb\b|SD\b"
          r"|per day\b|cm³|mL\b|hours?\b|minutes?\b|samples\b|tumor types\b")
_QUANTITY = re.compile(rf"\b(?P<before>day|week)\s+(?P<n1>{_NUMBER})|(?P<n2>{_NUMBER})\s?(?P<unit>{_UNITS})?")
#: Between a number and its unit in the course: nothing, or more numbers of a list ("11.5 / 6.9 months").
_LIST = r"(?:\s*[/,–-]\s*[+−-]?[\d.,]+)*\s?"


def _value(token: str) -> Decimal:
    return abs(Decimal(token.replace(",", "").replace("−", "-")))


def _quantities(text: str) -> Iterator[tuple[str, Decimal, str | None]]:
    """(as written, value, unit) for each number with a unit, after a day/week, or with a decimal point."""
    text = re.sub(r"`[^`]*`", " ", text)  # file, test and code names
    text = re.sub(r"\[[^\[\]\n]+\](?:\([^)]*\))?", " ", text)  # preset buttons (checked against the model)
    text = re.sub(r"\s+", " ", re.sub(r"RECIST 1\.1", "RECIST", text))  # a unit may follow a line break
    for match in _QUANTITY.finditer(text):
        token = match.group("n1") or match.group("n2")
        unit = match.group("before") or match.group("unit")
        if unit or "." in token:
            yield match.group(0).strip(), _value(token), unit


def _singular(unit: str) -> str:
    unit = unit.lower()
    return {"per day": "per day", "cm³": "cm³", "%": "%"}.get(unit, unit.removesuffix("s"))


@cache
def _corpus(notebook: str) -> tuple[str, tuple[tuple[Decimal, int, int], ...]]:
    text = re.sub(r"\s+", " ", _stored_text(notebook) + "\n" + _claim_tests())
    numbers = tuple((_value(m.group(0)), m.start(), m.end()) for m in re.finditer(_NUMBER, text))
    return text, numbers


def _is_quoted(value: Decimal, unit: str | None, notebook: str) -> bool:
    """Whether the course states ``value`` with ``unit`` (next to it, or 'day N' / 'week N')."""
    text, numbers = _corpus(notebook)
    if unit is None:
        return any(v == value for v, _, _ in numbers)
    if unit == "%":
        # "44.6%", or the same share as a fraction with two or more decimals (0.413 for 41.3%).
        percent = re.compile(rf"{_LIST}%")
        return any(v == value and percent.match(text, end) is not None
                   or v * 100 == value and re.search(r"\.\d\d", text[start:end]) is not None
                   for v, start, end in numbers)
    stem = re.escape(_singular(unit))
    after = re.compile(rf"{_LIST}{stem}", flags=re.IGNORECASE)
    before = re.compile(rf"\b{stem}s?\s*$", flags=re.IGNORECASE) if stem in ("day", "week") else None
    return any(v == value and (after.match(text, end) is not None
                               or before is not None and before.search(text[max(0, start - 12):start]))
               for v, start, end in numbers)


# --- Tests -----------------------------------------------------------------------------------------------


def test_the_guide_has_lesson_plans_for_the_course():
    assert LESSONS, "primer_lib.course.LESSONS is empty: nothing to plan"
    sections = _lesson_sections()
    assert sections, "INSTRUCTORS.md has no '### Lesson NN · Title' sections"
    assert sorted(sections) == [lesson.number for lesson in LESSONS]
    assert "## Before the term" in _guide() and "## Checking the guide against the course" in _guide()


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: f"{lesson.number:02d}")
def test_each_lesson_has_its_section_and_subsections(lesson):
    title, _ = _lesson_sections().get(lesson.number, ("", ""))
    assert title == lesson.title, f"lesson {lesson.number:02d}: the title must be course.py's"
    subsections = _section(lesson)
    missing = [name for name in SUBSECTIONS if not subsections.get(name, "").strip()]
    assert not missing, f"lesson {lesson.number:02d} lacks {missing}"


def _plan_rows(lesson: Lesson) -> list[tuple[int, int, str, str]]:
    rows = []
    for line in _section(lesson)["50-minute plan"].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"(\d+)\s*[–-]\s*(\d+)", cells[0]) if line.startswith("|") else None
        if match:
            rows.append((int(match.group(1)), int(match.group(2)), cells[1], cells[-1]))
    return rows


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: f"{lesson.number:02d}")
def test_each_plan_is_contiguous_and_fills_50_minutes(lesson):
    rows = _plan_rows(lesson)
    assert len(rows) >= 4, f"lesson {lesson.number:02d}: no | Minutes | Activity | Where | table"
    assert rows[0][0] == 0
    for (_, end, _, _), (start, _, _, _) in zip(rows, rows[1:], strict=False):
        assert start == end, f"lesson {lesson.number:02d}: a gap or overlap at minute {end}"
    assert all(end > start for start, end, _, _ in rows)
    assert sum(end - start for start, end, _, _ in rows) == 50
    assert all(activity and where for _, _, activity, where in rows)


def test_every_dashboard_named_exists():
    named = set(re.findall(r"\b(\d\d_[a-z][a-z0-9_]*)\b", _guide())) - LESSON_STEMS
    assert named, "the guide names no dashboard"
    assert named <= set(DASHBOARDS), f"not dashboards: {sorted(named - set(DASHBOARDS))}"
    for name in named:
        assert (NOTEBOOKS / "dashboards" / f"{name}.ipynb").exists(), name


def test_every_preset_named_exists(dashboards):
    every = {label for presets in dashboards.values() for label in presets}
    named = _presets_named(_guide())
    assert named, "the guide names no preset"
    assert set(named) <= every, f"not presets of any dashboard: {sorted(set(named) - every)}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: f"{lesson.number:02d}")
def test_presets_belong_to_the_dashboards_the_lesson_projects(lesson, dashboards):
    _, body = _lesson_sections()[lesson.number]
    projected = set(re.findall(r"\b(\d\d_[a-z][a-z0-9_]*)\b", body)) & set(dashboards)
    allowed = {label for name in projected for label in dashboards[name]}
    stray = set(_presets_named(body)) - allowed
    assert not stray, f"lesson {lesson.number:02d} names presets of no dashboard it projects: {sorted(stray)}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: f"{lesson.number:02d}")
def test_project_this_puts_each_presets_own_question(lesson, dashboards):
    prompts = {label: prompt for presets in dashboards.values() for label, prompt in presets.items()}
    items = re.split(r"^\d+\. ", _section(lesson)["Project this"], flags=re.MULTILINE)[1:]
    assert items, f"lesson {lesson.number:02d}: 'Project this' has no numbered items"
    for item in items:
        label = re.match(r"\[([^\[\]\n]+)\]", item)
        if label:
            flat = " ".join(item.split())
            assert f"Ask the class:* \"{' '.join(prompts[label.group(1)].split())}\"" in flat, label.group(1)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: f"{lesson.number:02d}")
def test_every_exercise_and_self_check_has_an_answer(lesson):
    answers = _section(lesson)["Answers to the exercises"]
    exercises = _exercises(lesson.notebook)
    assert exercises, f"{lesson.notebook} has no exercise heading"
    assert re.findall(r"^- \*\*(Exercise\b[^*]*?)\*\*", answers, flags=re.MULTILINE) == exercises
    checks = [int(n) for n in re.findall(r"^- \*\*Self-check (\d+)\*\*", answers, flags=re.MULTILINE)]
    assert checks == list(range(1, _self_check_count(lesson.notebook) + 1)), lesson.notebook


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: f"{lesson.number:02d}")
def test_every_number_quoted_appears_in_the_lesson_or_a_claim_test(lesson):
    subsections = _section(lesson)
    quoted = [q for name in QUOTING for q in _quantities(subsections[name])]
    assert quoted, f"lesson {lesson.number:02d}: no numbers found, so nothing was checked"
    missing = [written for written, value, unit in quoted if not _is_quoted(value, unit, lesson.notebook)]
    assert not missing, (f"lesson {lesson.number:02d} quotes numbers found neither in {lesson.notebook}'s "
                         f"stored text nor in tests/test_claims_*.py: {missing}")


@pytest.mark.parametrize(("text", "expected"), [
    ("about 2.72 million cells", [("2.72 million", "million")]),
    ("44.6% of them, 1 in 10,000 cells, day 175, Bliss +0.67", [
        ("44.6%", "%"), ("10,000 cells", "cells"), ("day 175", "day"), ("+0.67", None)]),
    ("[PD-L1 TPS ≥ 50%] `test_claims_lesson04.py` RECIST 1.1, step 7, B2M, PD-1", []),
])
def test_numbers_are_extracted_with_their_units(text, expected):
    assert [(written, unit) for written, _, unit in _quantities(text)] == expected


def test_the_number_check_rejects_a_number_the_course_does_not_state():
    # 2.72 million is lesson 00's exercise answer; 2.79 million, 72 days and 0.281 appear nowhere.
    notebook = LESSONS[0].notebook
    assert _is_quoted(Decimal("2.72"), "million", notebook)
    assert not _is_quoted(Decimal("2.79"), "million", notebook)
    assert not _is_quoted(Decimal("2.72"), "days", notebook)
    assert not _is_quoted(Decimal("0.281"), None, notebook)
