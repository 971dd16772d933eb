"""Static HTML export of the course (``make site``): every page readable offline, with no kernel.

``python -m primer_lib.devtools.site --out site`` executes each top-level notebook (the lessons in
course order, then any others, such as the glossary), turns every widget output into plain HTML,
and writes one page per notebook plus ``index.html``. Each app becomes its title, its chart drawn
in the page by the vendored Vega bundle (spec and data at the default settings), the chart's
text description and a note that the controls are in the live lesson. Nothing is loaded from the
network:

* nbconvert's pages load require.js, MathJax and the widget manager from CDNs, so the
  ``primer_site`` template (``share/jupyter/nbconvert/templates/primer_site``) leaves them out;
* TeX in Markdown becomes MathML at build time (latex2mathml), which browsers draw natively;
* ``vega-bundle.js`` is an ES module, and Chromium refuses module scripts from ``file://``, so the
  site gets a classic-script copy of it that sets ``globalThis.primerVega``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import nbformat
from jinja2 import pass_context
from latex2mathml.converter import convert as latex_to_mathml
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

from primer_lib.course import LESSONS, Lesson, notebook_title

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
TEMPLATES = ROOT / "share" / "jupyter" / "nbconvert" / "templates"
TEMPLATE = "primer_site"
JS = resources.files("primer_lib.widgets") / "js"
#: Shared files of the site (CSS, scripts, licences), relative to its root.
STATIC = "_static"
#: The name under which the classic-script bundle exposes ``{Handler, vega, vegaLite}``.
VEGA_GLOBAL = "primerVega"
COURSE_TITLE = "Immunotherapy Primer, Part 2"
NOTICE = ("<strong>Educational tool, not clinical advice.</strong> The models are simplified teaching "
          "models. Their parameters come from cited papers and trials, but they predict nothing about "
          "any patient. Do not use them to make decisions about anyone's care.")
APP_NOTE = ("Static copy: chart at its default settings. Open the lesson in JupyterLab or Binder to "
            "move the controls.")
QUESTION_NOTE = "Answer this question in the live lesson (JupyterLab or Binder) to get feedback."
WIDGET_NOTE = "This part is interactive: open the lesson in JupyterLab or Binder to use it."
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
MODEL_PREFIX = "IPY_MODEL_"
TIMEOUT_S = 180
#: Marks a folder as a site this tool wrote, so a rebuild may empty it (and no other folder).
MARKER = ".primer-site"

_EXPORT = re.compile(r"export\s*\{([^{}]*)\}\s*;?")
_ALIAS = re.compile(r"\s*([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*")
_LINK = re.compile(r"""(\bhref=)(["'])(?:\./)?([^"'#?/\\:]+\.ipynb)((?:#[^"']*)?)\2""")


@dataclass(frozen=True)
class Page:
    """One exported notebook: where it comes from, its title, and its lesson if it is one."""

    source: Path
    title: str
    lesson: Lesson | None = None

    @property
    def html_name(self) -> str:
        """File name of the exported page, next to ``index.html``."""
        return self.source.stem + ".html"


# --- The Vega bundle as a classic script -------------------------------------------------------


def classic_script(module_source: str, global_name: str = VEGA_GLOBAL) -> str:
    """Turn an ES module whose last statement is ``export{a as X, …}`` into a classic script.

    Parameters
    ----------
    module_source : str
        The module's text (an esbuild bundle: one ``export{…};`` at its end).
    global_name : str
        The global that receives ``{X: a, …}``.

    Returns
    -------
    str
        A script that runs the module inside a function (its top-level names stay private) and
        assigns the exports to ``globalThis[global_name]``.

    Raises
    ------
    ValueError
        If the export statement is not found exactly once, is not the last statement, or names
        something that is not an identifier.
    """
    if not isinstance(module_source, str):
        raise TypeError(f"module_source must be a str; got {type(module_source).__name__}")
    if not isinstance(global_name, str) or not re.fullmatch(r"[A-Za-z_$][\w$]*", global_name):
        raise ValueError(f"global_name must be a JavaScript identifier; got {global_name!r}")
    found = list(_EXPORT.finditer(module_source))
    if len(found) != 1:
        raise ValueError(f"module_source must contain exactly one 'export{{…}}' statement; "
                         f"found {len(found)}")
    statement = found[0]
    if re.sub(r"//[^\n]*", "", module_source[statement.end():]).strip():
        raise ValueError("module_source must end with its 'export{…}' statement")
    pairs = [_export_pair(item) for item in statement.group(1).split(",") if item.strip()]
    exports = ", ".join(f"{json.dumps(public)}: {local}" for local, public in pairs)
    # "use strict": a module's code is strict, and must stay so inside the function.
    return (f"globalThis.{global_name} = (function () {{\n\"use strict\";\n"
            f"{module_source[:statement.start()]}\nreturn {{{exports}}};\n}})();\n")


def _export_pair(item: str) -> tuple[str, str]:
    match = _ALIAS.fullmatch(item)
    if match is None:
        raise ValueError(f"module_source exports {item.strip()!r}, which is not 'name' or 'name as alias'")
    return match.group(1), match.group(2) or match.group(1)


# --- Markdown: links and math -------------------------------------------------------------------


def rewrite_links(page_html: str, targets: Mapping[str, str]) -> str:
    """Point relative links to exported notebooks at their pages.

    Parameters
    ----------
    page_html : str
        HTML with ``href="name.ipynb"`` or ``href="name.ipynb#anchor"`` links.
    targets : Mapping[str, str]
        Notebook file name to page file name (``"00_start_here.ipynb": "00_start_here.html"``).
        Links to other notebooks, and absolute or external links, are left alone.

    Returns
    -------
    str
        The HTML with those links rewritten; anchors are kept.
    """
    if not isinstance(page_html, str):
        raise TypeError(f"page_html must be a str; got {type(page_html).__name__}")
    if not isinstance(targets, Mapping):
        raise TypeError(f"targets must map notebook names to page names; got {type(targets).__name__}")

    def swap(match: re.Match[str]) -> str:
        attr, quote, name, anchor = match.groups()
        if name not in targets:
            return match.group(0)
        return f"{attr}{quote}{html.escape(targets[name])}{anchor}{quote}"

    return _LINK.sub(swap, page_html)


def unresolved_links(page_html: str) -> list[str]:
    """Relative ``.ipynb`` links still in ``page_html`` (notebooks that are not on the site)."""
    return [m.group(3) + m.group(4) for m in _LINK.finditer(page_html)]


def tex_to_mathml(tex: str, display: bool = False) -> str:
    """Convert TeX math to MathML, so a page needs no MathJax.

    Parameters
    ----------
    tex : str
        The formula without its delimiters (``\\frac{dT}{dt} = a T``).
    display : bool
        A display (block) formula rather than an inline one.

    Returns
    -------
    str
        A ``<math>`` element.

    Raises
    ------
    ValueError
        If latex2mathml cannot read the formula; the message quotes it, so it can be fixed.
    """
    if not isinstance(tex, str):
        raise TypeError(f"tex must be a str; got {type(tex).__name__}")
    try:
        mathml = str(latex_to_mathml(tex.strip(), display="block" if display else "inline"))
    except Exception as error:  # noqa: BLE001 - latex2mathml raises many types; name the formula
        raise ValueError(f"tex could not be converted to MathML: {tex!r} "
                         f"({type(error).__name__}: {error})") from error
    unknown = re.search(r">(\\[A-Za-z]+)<", mathml)
    if unknown:  # latex2mathml prints commands it does not know as text
        raise ValueError(f"tex uses {unknown.group(1)}, which latex2mathml does not know: {tex!r}")
    return mathml


class MathMLRenderer(IPythonRenderer):
    """nbconvert's Markdown renderer, with math written as MathML instead of left for MathJax."""

    def block_math(self, body: str) -> str:
        """Display math: ``$$…$$`` or ``\\[…\\]``."""
        return tex_to_mathml(body, display=True)

    def inline_math(self, body: str) -> str:
        """Inline math: ``$…$`` or ``\\(…\\)``."""
        return tex_to_mathml(body)

    def latex_environment(self, name: str, body: str) -> str:
        """A ``\\begin{name}…\\end{name}`` environment, drawn as display math."""
        return tex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)


class SiteExporter(HTMLExporter):
    """HTML exporter for the site: the ``primer_site`` template, no code, math as MathML."""

    @pass_context  # as in HTMLExporter: the cell's attachments and path come from the context
    def markdown2html(self, context: Mapping[str, Any], source: str) -> str:
        """Render Markdown as nbconvert does, with :class:`MathMLRenderer`."""
        cell = context.get("cell", {})
        renderer = MathMLRenderer(
            escape=False,
            attachments=cell.get("attachments", {}),
            embed_images=self.embed_images,
            path=context.get("resources", {}).get("metadata", {}).get("path", ""),
            anchor_link_text=self.anchor_link_text,
            exclude_anchor_links=self.exclude_anchor_links,
            **self.lexer_options,
        )
        return str(MarkdownWithMath(renderer=renderer).render(source))


def site_exporter() -> SiteExporter:
    """An exporter with the site's template and settings (code inputs and prompts hidden)."""
    # Not embed_images: it re-parses each HTML block alone, which closes a <details> before its
    # Markdown body (a solution would then always show).
    return SiteExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)],
                        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)


# --- Widgets to static HTML ----------------------------------------------------------------------


def widget_models(notebook: Any) -> dict[str, dict[str, Any]]:
    """Each widget's state by model id, from ``metadata.widgets`` of an executed notebook."""
    stored = notebook.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {})
    return {model_id: dict(entry.get("state", {})) for model_id, entry in stored.get("state", {}).items()}


def static_widget_html(model_id: str, models: Mapping[str, Mapping[str, Any]], fallback: str = "") -> str:
    """Static HTML for one displayed widget: an app, a self-check, or any other widget tree.

    Parameters
    ----------
    model_id : str
        The displayed widget's model id (from its widget-view output).
    models : Mapping[str, Mapping[str, Any]]
        Every widget's state by model id (:func:`widget_models`).
    fallback : str
        Text shown, with a note, if the widget has nothing readable (its ``text/plain`` line).

    Returns
    -------
    str
        HTML with no scripts other than each chart's JSON data.

    Raises
    ------
    ValueError
        If ``model_id`` is not in ``models`` (the notebook was run without storing widget state).
    """
    if model_id not in models:
        raise ValueError(f"model_id {model_id!r} has no stored state; execute with store_widget_state")
    state = models[model_id]
    classes = state.get("_dom_classes", [])
    if "primer-app" in classes:
        return _app_html(model_id, models)
    if "primer-selfcheck" in classes:
        return _selfcheck_html(model_id, models)
    return _other_html(model_id, models, fallback)


def chart_html(state: Mapping[str, Any]) -> str:
    """A LiveChart's figure: an empty box Vega draws into, its data as JSON, its description."""
    payload = {key: state.get(key, {}) for key in ("spec", "datasets", "params")}
    data = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    # Inside <script>, "</script>" or "<!--" in a string would end or confuse the element.
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = html.escape(str(state.get("description", "")))
    return (f"<figure class='primer-static-chart'>"
            f"<div class='primer-static-view' role='img' aria-label='{text}'></div>"
            f"<script type='application/json' class='primer-chart-data'>{data}</script>"
            f"<details open class='primer-chart-description'><summary>Chart description</summary>"
            f"<p>{text}</p></details></figure>")


def _walk(model_id: str, models: Mapping[str, Mapping[str, Any]],
          depth: int = 0) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """Every widget below ``model_id`` (not itself), depth first, with its depth (children: 1)."""
    for ref in models[model_id].get("children", []):
        child = str(ref).removeprefix(MODEL_PREFIX)
        if child in models:
            yield depth + 1, models[child]
            yield from _walk(child, models, depth + 1)


def _is_chart(state: Mapping[str, Any]) -> bool:
    return "spec" in state and "datasets" in state


def _is_html(state: Mapping[str, Any]) -> bool:
    return state.get("_model_name") in {"HTMLModel", "HTMLMathModel", "LabelModel"}


def _html_value(state: Mapping[str, Any]) -> str:
    value = str(state.get("value", ""))
    return html.escape(value) if state.get("_model_name") == "LabelModel" else value


def _is_control(state: Mapping[str, Any]) -> bool:
    return not (_is_chart(state) or _is_html(state) or "children" in state)


def _app_html(model_id: str, models: Mapping[str, Mapping[str, Any]]) -> str:
    parts = []
    for depth, state in _walk(model_id, models):
        if _is_chart(state):
            parts.append(chart_html(state))
        # The app's own lines (title, intro); its description is in the chart's figure already,
        # and HTML deeper down belongs to the controls.
        elif depth == 1 and _is_html(state) and "primer-chart-description" not in _html_value(state):
            parts.append(_html_value(state))
    parts.append(f"<p class='primer-static-note'>{html.escape(APP_NOTE)}</p>")
    return f"<div class='primer-static-app'>{''.join(p for p in parts if p.strip())}</div>"


def _selfcheck_html(model_id: str, models: Mapping[str, Mapping[str, Any]]) -> str:
    parts = []
    for depth, state in _walk(model_id, models):
        if depth == 1 and _is_html(state):
            parts.append(_html_value(state))
        elif "_options_labels" in state:
            items = "".join(f"<li>{html.escape(str(o))}</li>" for o in state["_options_labels"])
            parts.append(f"<ul class='primer-static-options'>{items}</ul>")
    parts.append(f"<p class='primer-static-note'>{html.escape(QUESTION_NOTE)}</p>")
    return f"<div class='primer-static-selfcheck'>{''.join(p for p in parts if p.strip())}</div>"


def _other_html(model_id: str, models: Mapping[str, Mapping[str, Any]], fallback: str) -> str:
    root = models[model_id]
    tree = [root, *(state for _, state in _walk(model_id, models))]
    parts = [chart_html(s) if _is_chart(s) else _html_value(s) for s in tree if _is_chart(s) or _is_html(s)]
    parts = [p for p in parts if p.strip()]
    if not parts and fallback:
        parts.append(f"<p>{html.escape(fallback)}</p>")
    if any(_is_control(s) for s in tree) or not parts:
        parts.append(f"<p class='primer-static-note'>{html.escape(WIDGET_NOTE)}</p>")
    return f"<div class='primer-static-widget'>{''.join(parts)}</div>"


def replace_widget_outputs(notebook: Any) -> int:
    """Replace every widget view in an executed notebook by static HTML, in place.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        Executed with ``store_widget_state=True``.

    Returns
    -------
    int
        How many charts the notebook's pages will draw.
    """
    models = widget_models(notebook)
    charts = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                continue
            static = static_widget_html(str(view.get("model_id", "")), models,
                                        fallback=str(output["data"].get("text/plain", "")))
            charts += static.count("class='primer-static-chart'")
            output["data"] = {"text/html": static}
    notebook.get("metadata", {}).pop("widgets", None)
    return charts


# --- Pages --------------------------------------------------------------------------------------


def site_pages(notebooks_dir: Path | str = NOTEBOOKS) -> list[Page]:
    """The notebooks to export: lessons in course order, then every other top-level notebook by name.

    Sub-folders (the classroom dashboards) are not exported.
    """
    folder = Path(notebooks_dir)
    if not folder.is_dir():
        raise ValueError(f"notebooks_dir must be an existing folder; got {str(folder)!r}")
    pages = [Page(folder / lesson.notebook, f"{lesson.number:02d} · {lesson.title}", lesson)
             for lesson in LESSONS if (folder / lesson.notebook).is_file()]
    lesson_names = {lesson.notebook for lesson in LESSONS}
    for path in sorted(folder.glob("*.ipynb")):
        if path.name not in lesson_names:
            title = notebook_title(path) or path.stem.replace("_", " ")
            pages.append(Page(path, title))
    if not pages:
        raise ValueError(f"notebooks_dir must hold notebooks; found none in {str(folder)!r}")
    return pages


def nav_html(page: Page, pages: Sequence[Page]) -> str:
    """Links to the index and to the previous and next pages."""
    i = list(pages).index(page)
    links = ["<a href='index.html'>Course index</a>"]
    if i > 0:
        links.append(f"<a rel='prev' href='{pages[i - 1].html_name}'>← {html.escape(pages[i - 1].title)}</a>")
    if i + 1 < len(pages):
        links.append(f"<a rel='next' href='{pages[i + 1].html_name}'>{html.escape(pages[i + 1].title)} →</a>")
    return f"<nav class='primer-site-nav' aria-label='Course'>{''.join(links)}</nav>"


def page_html(page: Page, notebook: Any, pages: Sequence[Page], exporter: SiteExporter) -> str:
    """Export one executed notebook to a page of the site (its widgets replaced first)."""
    charts = replace_widget_outputs(notebook)
    notebook.metadata["title"] = page.title
    footer = (f"{NOTICE} This page is a static copy of <code>{html.escape(page.source.name)}</code>; "
              "run the notebook in JupyterLab or Binder to use its controls and questions.")
    extra = {"metadata": {"name": page.title, "path": str(page.source.parent)},
             "primer": {"nav": nav_html(page, pages), "footer": footer, "charts": charts,
                        "static": STATIC}}
    body, _ = exporter.from_notebook_node(notebook, resources=extra)
    return rewrite_links(str(body), {p.source.name: p.html_name for p in pages})


def build_line(root: Path = ROOT) -> str:
    """When and from which commit the site was built (the one line of a page that changes by itself)."""
    def git(*args: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    source = f"commit {commit}" if commit else "a copy that is not a Git checkout"
    if commit and git("status", "--porcelain", "--untracked-files=no"):
        source += " with local changes"
    epoch = os.environ.get("SOURCE_DATE_EPOCH")  # reproducible builds set this
    day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date() if epoch else dt.date.today()
    return f"Built on {day.isoformat()} from {source}."


def index_html(pages: Sequence[Page], built: str) -> str:
    """The site's front page: the course, the notice, every lesson with its time and objectives."""
    by_notebook = {p.lesson.notebook: p for p in pages if p.lesson is not None}
    items = []
    for lesson in LESSONS:
        name = html.escape(f"{lesson.number:02d} · {lesson.title}")
        page = by_notebook.get(lesson.notebook)
        link = f"<a href='{page.html_name}'>{name}</a>" if page else f"{name} <em>(coming soon)</em>"
        goals = "".join(f"<li>{html.escape(goal)}</li>" for goal in lesson.objectives)
        items.append(f"<li><h2>{link} <span class='primer-lesson-time'>· {lesson.minutes} min</span></h2>"
                     f"<p>You will be able to:</p><ul>{goals}</ul></li>")
    others = "".join(f"<li><a href='{p.html_name}'>{html.escape(p.title)}</a></li>"
                     for p in pages if p.lesson is None)
    more = f"<h2>More</h2><ul class='primer-more'>{others}</ul>" if others else ""
    return (f"<!DOCTYPE html>\n<html lang='en'>\n<head>\n<meta charset='utf-8'>\n"
            f"<meta name='viewport' content='width=device-width, initial-scale=1.0'>\n"
            f"<title>{html.escape(COURSE_TITLE)}</title>\n"
            f"<link rel='stylesheet' href='{STATIC}/site.css'>\n</head>\n<body class='primer-site'>\n<main>\n"
            f"<h1>{html.escape(COURSE_TITLE)}</h1>\n"
            f"<p>An interactive course on cancer immunotherapy. These pages are its static copy: the text, "
            f"and every chart at its default settings, readable without Python or a network. To move the "
            f"sliders and answer the questions, open the notebooks in JupyterLab or on Binder.</p>\n"
            f"<p class='primer-notice'>{NOTICE}</p>\n"
            f"<ol class='primer-lessons'>\n{''.join(items)}\n</ol>\n{more}\n"
            f"<p class='primer-site-built'>{html.escape(built)} Vega, Vega-Lite and vega-tooltip are "
            f"BSD-3-Clause: see <a href='{STATIC}/THIRD_PARTY_NOTICES.md'>their notices</a>.</p>\n"
            f"</main>\n</body>\n</html>\n")


# --- Build ---------------------------------------------------------------------------------------


def execute_notebooks(paths: Sequence[Path], jobs: int = 2) -> list[Any]:
    """Execute notebooks (``jobs`` kernels at a time), keeping widget state; return them in order."""
    notebooks = [nbformat.read(path, as_version=4) for path in paths]

    async def run_all() -> None:
        limit = asyncio.Semaphore(jobs)

        async def run(notebook: Any, path: Path) -> None:
            if not any(c.cell_type == "code" for c in notebook.cells):
                return  # nothing to run (a glossary): no kernel needed
            async with limit:
                client = NotebookClient(notebook, timeout=TIMEOUT_S, kernel_name="python3",
                                        store_widget_state=True, extra_arguments=["--log-level=ERROR"],
                                        resources={"metadata": {"path": str(path.parent)}})
                await client.async_execute()

        await asyncio.gather(*(run(nb, path) for nb, path in zip(notebooks, paths, strict=True)))

    # In a thread of its own: the caller may already run an event loop (Playwright's, in the tests).
    with ThreadPoolExecutor(max_workers=1) as worker:
        worker.submit(asyncio.run, run_all()).result()
    return notebooks


def _prepare(out: Path) -> None:
    """Empty ``out`` if this tool made it; refuse any other non-empty folder."""
    if out.exists() and not out.is_dir():
        raise ValueError(f"out must be a folder; {str(out)!r} is a file")
    if out.is_dir() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise ValueError(f"out must be empty or a site built by this tool; {str(out)!r} is neither")
        shutil.rmtree(out)
    (out / STATIC).mkdir(parents=True)
    (out / MARKER).write_text("Built by python -m primer_lib.devtools.site; rebuilt in place.\n")


def _write_static(out: Path) -> None:
    bundle = (JS / "vega-bundle.js").read_text(encoding="utf-8")
    (out / STATIC / "vega.js").write_text(classic_script(bundle), encoding="utf-8")
    (out / STATIC / "THIRD_PARTY_NOTICES.md").write_text(
        (JS / "THIRD_PARTY_NOTICES.md").read_text(encoding="utf-8"), encoding="utf-8")
    for name in ("site.css", "site.js"):
        shutil.copyfile(TEMPLATES / TEMPLATE / "static" / name, out / STATIC / name)


def build_site(out: Path | str, notebooks_dir: Path | str = NOTEBOOKS, jobs: int = 2) -> list[Path]:
    """Build the static site.

    Parameters
    ----------
    out : Path or str
        Folder to write; created if missing, replaced if it holds an earlier build.
    notebooks_dir : Path or str
        Folder of the notebooks (its top level only).
    jobs : int
        Notebooks executed at once.

    Returns
    -------
    list of Path
        ``index.html``, then every page, in course order.
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a whole number >= 1; got {jobs!r}")
    out = Path(out)
    pages = site_pages(notebooks_dir)
    notebooks = execute_notebooks([p.source for p in pages], jobs)
    _prepare(out)
    _write_static(out)
    exporter = site_exporter()
    written = []
    for page, notebook in zip(pages, notebooks, strict=True):
        body = page_html(page, notebook, pages, exporter)
        for link in unresolved_links(body):
            print(f"warning: {page.source.name} links to {link}, which is not on the site", file=sys.stderr)
        (out / page.html_name).write_text(body, encoding="utf-8")
        written.append(out / page.html_name)
    (out / "index.html").write_text(index_html(pages, build_line()), encoding="utf-8")
    return [out / "index.html", *written]


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m primer_lib.devtools.site --out site``."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("site"), help="output folder (default: site)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="folder of the notebooks")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks executed at once (default: 2)")
    args = parser.parse_args(argv)
    written = build_site(args.out, args.notebooks, args.jobs)
    print(f"Wrote {len(written)} pages to {args.out}/ (open {args.out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
