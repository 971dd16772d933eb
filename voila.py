"""Voila configuration in Python, for what ``voila.json`` cannot hold.

Voila (the ``voila`` app, and its server extension in JupyterLab or on Binder) reads this file, then
``voila.json``, from the working directory: the repository root. This file

1. puts this checkout's ``share/jupyter`` on the Jupyter data path, so the ``primer`` template that
   voila.json selects is found with no install step (an editable install does not copy data files);
2. gives the ``primer`` tree page (``share/jupyter/voila/templates/primer/tree.html``) every notebook's
   readable title, read when the page is requested: a lesson's from ``primer_lib.course.LESSONS``, any
   other notebook's from its first ``# `` heading, so no title is written twice.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from primer_lib.course import LESSONS, notebook_title

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / "share" / "jupyter"
#: Section headings on the tree page, by folder name; other folders are headed by their own name.
GROUP_TITLES = {"notebooks": "Lessons", "dashboards": "Classroom dashboards"}
LESSON_TITLES = {lesson.notebook: f"Lesson {lesson.number:02d} · {lesson.title}" for lesson in LESSONS}


def title_of(path: Path) -> str:
    """What the tree shows for a notebook; its file name only if it has no title anywhere."""
    return LESSON_TITLES.get(path.name) or notebook_title(path) or path.name


def _visible(folder: Path) -> list[Path]:
    # Hidden entries (.ipynb_checkpoints) are not served, so they are not listed either.
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def tree_groups(root: Path, path: str) -> list[dict[str, Any]]:
    """The notebooks of folder ``path`` under ``root``, then those of each of its sub-folders: one group
    per folder that has notebooks. Paths are relative to ``root``, as in Voila's URLs."""
    groups = []
    folder = root / path
    for group_dir in [folder, *(p for p in _visible(folder) if p.is_dir())]:
        notebooks = [p for p in _visible(group_dir) if p.suffix == ".ipynb" and p.is_file()]
        if notebooks:
            groups.append({
                "title": GROUP_TITLES.get(group_dir.name, group_dir.name),
                "path": "" if group_dir == root else group_dir.relative_to(root).as_posix(),
                "notebooks": [{"path": p.relative_to(root).as_posix(), "name": p.name, "title": title_of(p)}
                              for p in notebooks],
            })
    return groups


def page_config_hook(page_config: dict[str, Any], base_url: str, settings: dict[str, Any], log: Any,
                     voila_configuration: Any, notebook_path: str) -> dict[str, Any]:
    """Add ``primerTree`` to a folder's tree page; a notebook page's config is returned unchanged.

    The tree handler ignores the return value (hence the change in place); the notebook handler uses it.
    """
    root_dir = getattr(settings.get("contents_manager"), "root_dir", None)
    path = notebook_path.strip("/")  # the server extension's tree passes "/notebooks"
    if root_dir is None or not (Path(root_dir) / path).is_dir():
        return page_config
    try:
        page_config["primerTree"] = {"path": path, "groups": tree_groups(Path(root_dir), path)}
    except OSError as error:  # the template falls back to the plain file listing
        log.warning("No titles for the Voila tree of %r: %s", path, error)
    return page_config


def _configure(c: Any) -> None:
    # Voila looks for templates only on the Jupyter data path, read when it sets up its templates (after
    # this file); child processes inheriting it find nothing else there.
    known = os.environ.get("JUPYTER_PATH", "")
    if str(DATA_DIR) not in known.split(os.pathsep):
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(DATA_DIR), known]))
    c.VoilaConfiguration.page_config_hook = page_config_hook


def _load_real_voila() -> None:
    # `import voila` found this file because the repository root is on sys.path (pytest puts it there, so
    # does `python -m` run from here): load the installed package in its place.
    import importlib.machinery
    import importlib.util

    spec = importlib.machinery.PathFinder.find_spec(
        __name__, [p for p in sys.path if Path(p or ".").resolve() != HERE])
    if spec is None or spec.loader is None:
        raise ImportError(f"No module named {__name__!r} outside {HERE}", name=__name__)
    package = importlib.util.module_from_spec(spec)
    sys.modules[__name__] = package  # the import system returns what sys.modules holds once this file ran
    spec.loader.exec_module(package)


if "get_config" in globals():  # loaded by traitlets as configuration
    _configure(get_config())  # type: ignore[name-defined]  # noqa: F821
else:
    _load_real_voila()
