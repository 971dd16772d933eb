"""primer_lib.course: the course map lists every lesson and links the ones that exist."""

from pathlib import Path

import pytest

from primer_lib.course import LESSONS, course_map_markdown, notebook_title

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"


def test_course_map_lists_every_lesson_and_links_existing_notebooks():
    assert len(LESSONS) == 7
    text = course_map_markdown(NOTEBOOKS)
    for lesson in LESSONS:
        linked = f"]({lesson.notebook})" in text
        assert linked == (NOTEBOOKS / lesson.notebook).exists(), lesson.notebook


def test_lessons_are_numbered_in_order_with_objectives():
    assert [lesson.number for lesson in LESSONS] == list(range(7))
    assert all(lesson.objectives and lesson.minutes > 0 for lesson in LESSONS)


def test_every_notebook_is_on_the_map():
    mapped = {lesson.notebook for lesson in LESSONS}
    lessons_on_disk = {p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    assert lessons_on_disk and lessons_on_disk <= mapped


def test_missing_folder_is_rejected():
    with pytest.raises(ValueError, match="notebooks_dir must be an existing folder"):
        course_map_markdown("/no/such/folder")


def test_readme_course_map_links_every_existing_lesson():
    readme = (NOTEBOOKS.parent / "README.md").read_text()
    for lesson in LESSONS:
        if (NOTEBOOKS / lesson.notebook).exists():
            assert f"(notebooks/{lesson.notebook})" in readme, lesson.notebook


def test_notebook_title_is_the_first_top_heading(tmp_path):
    assert notebook_title(NOTEBOOKS / "glossary.ipynb") == "Glossary: terms and abbreviations"
    untitled = tmp_path / "untitled.ipynb"
    untitled.write_text('{"cells": [{"cell_type": "markdown", "source": ["## Only a subheading"]}]}')
    assert notebook_title(untitled) is None
    assert notebook_title(tmp_path / "missing.ipynb") is None
    with pytest.raises(TypeError, match="path must be a str or Path"):
        notebook_title(3)  # type: ignore[arg-type]
