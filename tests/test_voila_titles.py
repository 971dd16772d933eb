"""The Voila tree's titles: voila.py gives every lesson and dashboard a readable title, not its file name.

voila.py is loaded the way Voila loads it (traitlets' PyFileConfigLoader), and the expected titles are
read independently here: lessons from primer_lib.course, other notebooks from their first ``# `` heading.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import nbformat
import pytest
from markupsafe import escape
from traitlets.config import PyFileConfigLoader

from primer_lib.course import LESSONS

ROOT = Path(__file__).parents[1]
NOTEBOOKS = ROOT / "notebooks"
TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "primer"
SERVED = sorted(p for p in NOTEBOOKS.rglob("*.ipynb") if not any(part.startswith(".") for part in p.parts))
DASHBOARDS = [p for p in SERVED if p.parent.name == "dashboards"]
LESSON_BY_FILE = {lesson.notebook: lesson for lesson in LESSONS}


def expected_title(notebook: Path) -> str:
    """What the tree must show for a served notebook (shared with the browser test)."""
    if notebook.parent == NOTEBOOKS and notebook.name in LESSON_BY_FILE:
        lesson = LESSON_BY_FILE[notebook.name]
        return f"Lesson {lesson.number:02d} · {lesson.title}"
    return first_heading(notebook)


def first_heading(notebook: Path) -> str:
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise AssertionError(f"{notebook.name} has no '# ' heading")


@pytest.fixture
def voila_py(monkeypatch) -> Any:
    """voila.py's config, as Voila sees it; its change to JUPYTER_PATH is undone after the test."""
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    return PyFileConfigLoader("voila.py", path=str(ROOT)).load_config()


def tree_for(voila_py: Any, path: str = "") -> dict[str, Any]:
    hook = voila_py.VoilaConfiguration.page_config_hook
    page_config: dict[str, Any] = {"appVersion": "x"}
    settings = {"contents_manager": SimpleNamespace(root_dir=str(NOTEBOOKS))}
    hook(page_config, base_url="/", settings=settings, log=None, voila_configuration=None, notebook_path=path)
    return page_config["primerTree"]


def test_voila_json_selects_the_primer_template_and_its_server_rendered_tree():
    config = json.loads((ROOT / "voila.json").read_text())["VoilaConfiguration"]
    assert config["template"] == "primer" and config["classic_tree"] is True
    assert json.loads((TEMPLATE / "conf.json").read_text()) == {"base_template": "lab"}
    # Only the tree page is the course's; notebook pages are lab's.
    assert sorted(p.name for p in TEMPLATE.iterdir()) == ["conf.json", "tree.html"]


def test_every_served_notebook_has_a_readable_title(voila_py):
    listed = {n["path"]: n for group in tree_for(voila_py)["groups"] for n in group["notebooks"]}
    assert sorted(listed) == [p.relative_to(NOTEBOOKS).as_posix() for p in SERVED]
    for notebook in SERVED:
        entry = listed[notebook.relative_to(NOTEBOOKS).as_posix()]
        assert entry["title"] == expected_title(notebook)
        assert entry["title"] not in (notebook.name, notebook.stem) and len(entry["title"]) > 10
        assert entry["name"] == notebook.name
    assert listed["01_goals_and_the_cycle.ipynb"]["title"] == (
        "Lesson 01 · Goals of immunotherapy and the cancer-immunity cycle")


def test_lessons_then_dashboards_are_grouped(voila_py):
    groups = tree_for(voila_py)["groups"]
    assert groups[0]["title"] == "Lessons" and groups[0]["path"] == ""
    # The lessons in course order, then the glossary they link to.
    assert [n["name"] for n in groups[0]["notebooks"]] == [lesson.notebook for lesson in LESSONS] + [
        "glossary.ipynb"]
    if DASHBOARDS:
        assert [(g["title"], g["path"]) for g in groups[1:]] == [("Classroom dashboards", "dashboards")]
        assert [n["name"] for n in groups[1]["notebooks"]] == [p.name for p in DASHBOARDS]
        assert tree_for(voila_py, "dashboards")["groups"][0]["title"] == "Classroom dashboards"


def test_server_extension_tree_of_the_repository_gets_the_same_titles(voila_py):
    # JupyterLab's and Binder's Voila serve the repository root and ask for "/notebooks".
    hook = voila_py.VoilaConfiguration.page_config_hook
    page_config: dict[str, Any] = {}
    settings = {"contents_manager": SimpleNamespace(root_dir=str(ROOT))}
    hook(page_config, base_url="/", settings=settings, log=None, voila_configuration=None,
         notebook_path="/notebooks")
    groups = page_config["primerTree"]["groups"]
    assert [(g["title"], g["path"]) for g in groups][:1] == [("Lessons", "notebooks")]
    assert {n["path"]: n["title"] for g in groups for n in g["notebooks"]} == {
        p.relative_to(ROOT).as_posix(): expected_title(p) for p in SERVED}


def test_notebook_pages_keep_their_page_config(voila_py):
    hook = voila_py.VoilaConfiguration.page_config_hook
    page_config = {"appVersion": "x"}
    settings = {"contents_manager": SimpleNamespace(root_dir=str(NOTEBOOKS))}
    returned = hook(page_config, base_url="/", settings=settings, log=None, voila_configuration=None,
                    notebook_path="00_start_here.ipynb")
    assert returned == {"appVersion": "x"}


def test_primer_template_is_found_without_an_install_step(voila_py):
    from voila.paths import collect_template_paths

    paths = collect_template_paths(["voila", "nbconvert"], "primer", prune=True)
    assert paths[0] == str(TEMPLATE)
    assert any(p.endswith("voila/templates/lab") for p in paths)


def test_tree_page_renders_titles_links_and_file_names(voila_py):
    from voila.paths import collect_template_paths

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(collect_template_paths(["voila", "nbconvert"],
                             "primer", prune=True)), extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_null_translations()
    folders = [{"type": "directory", "name": "dashboards", "path": "dashboards"}] if DASHBOARDS else []
    contents = {"content": iter(folders)}  # Voila passes a filter object: the template reads it once
    html = env.get_template("tree.html").render(
        base_url="/", frontend="voila", query="", breadcrumbs=[("/voila/tree", "")], contents=contents,
        page_title="Voilà Home", page_config={"primerTree": tree_for(voila_py)})
    group = '<span class="primer-group-title">{}</span>'.format
    assert group("Lessons") in html and (group("Classroom dashboards") in html) == bool(DASHBOARDS)
    for notebook in SERVED:
        rel = notebook.relative_to(NOTEBOOKS).as_posix()
        assert f'href="/voila/render/{rel}"' in html and str(escape(expected_title(notebook))) in html
        assert f'<span class="primer-file">{notebook.name}</span>' in html
    assert "Other files" not in html  # the dashboards folder is its group, not a bare folder link


def test_import_voila_from_the_repository_root_gets_the_package():
    # pytest (like `python -c` run here) puts the repository root on sys.path, where voila.py is found
    # first; voila.py then loads the installed package in its place.
    import voila.paths

    assert str(ROOT) in sys.path
    assert Path(voila.__file__).parent.name == "voila" and Path(voila.__file__).parents[1] != ROOT
    assert voila.paths.collect_template_paths is not None
