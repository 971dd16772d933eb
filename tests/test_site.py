"""primer_lib.devtools.site (``make site``): the bundle as a classic script, links, math, widgets as
static HTML, the index, and a whole build of a small notebook folder (no kernel, no browser).

The browser test (tests/browser/test_site.py) builds the real site and opens it offline.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pytest

from primer_lib.course import LESSONS
from primer_lib.devtools import site
from primer_lib.widgets import selfcheck
from primer_lib.widgets.tumor_growth import tumor_growth_app

ROOT = Path(__file__).parents[1]


class _Resources(HTMLParser):
    """Every (tag, attribute, value) by which a page loads something: script, link, img, iframe…"""

    LOADING = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
               "video": "src", "audio": "src", "embed": "src", "object": "data"}

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        wanted = self.LOADING.get(tag)
        self.found += [(tag, name, value or "") for name, value in attrs if name in (wanted, "srcset")]


def loaded_urls(page_html: str) -> list[str]:
    """URLs a page would load by itself (not links a reader may follow)."""
    parser = _Resources()
    parser.feed(page_html)
    return [value for _, _, value in parser.found]


def count_class(page_html: str, name: str) -> int:
    """Elements of class ``name`` (nbconvert re-serialises pages, so quotes may change)."""
    return len(re.findall(rf"""class=["']{name}["']""", page_html))


def remote(urls: list[str]) -> list[str]:
    return [u for u in urls if re.match(r"\s*(https?:)?//", u, re.IGNORECASE)]


# --- The Vega bundle as a classic script ---------------------------------------------------------


def test_classic_script_returns_the_exports_from_a_private_function():
    script = site.classic_script("var a=1;function b(){return a}export{a as A,b as B};\n", "lib")
    assert script.startswith('globalThis.lib = (function () {\n"use strict";\n')
    assert 'return {"A": a, "B": b};' in script and "export" not in script
    assert script.rstrip().endswith("})();")


def test_classic_script_of_the_vendored_bundle_exposes_vega_vega_lite_and_the_tooltip_handler():
    bundle = (site.JS / "vega-bundle.js").read_text(encoding="utf-8")
    script = site.classic_script(bundle)
    exports = re.search(r"return \{(.*)\};\n\}\)\(\);\n$", script)
    assert exports is not None
    assert set(re.findall(r'"(\w+)":', exports.group(1))) == {"Handler", "vega", "vegaLite"}
    assert "export{" not in script


@pytest.mark.parametrize(("source", "message"), [
    ("var a=1;", "exactly one 'export{…}' statement; found 0"),
    ("var a=1;export{a as A};export{a as B};", "found 2"),
    ("var a=1;export{a as A};a=2;", "must end with its 'export"),
    ("var a=1;export{a as 1x};", "not 'name' or 'name as alias'"),
])
def test_classic_script_fails_loudly_when_the_export_is_not_found_once_at_the_end(source, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        site.classic_script(source)


def test_classic_script_rejects_bad_arguments():
    with pytest.raises(TypeError, match="module_source"):
        site.classic_script(b"export{a};")
    with pytest.raises(ValueError, match="global_name"):
        site.classic_script("export{a};", "not a name")


# --- Links and math ------------------------------------------------------------------------------


def test_links_to_exported_notebooks_point_at_their_pages_with_anchors_kept():
    targets = {"01_goals_and_the_cycle.ipynb": "01_goals_and_the_cycle.html",
               "glossary.ipynb": "glossary.html"}
    page = ('<a href="01_goals_and_the_cycle.ipynb">01</a> <a href=\'glossary.ipynb#tps\'>TPS</a> '
            '<a href="./glossary.ipynb">g</a> <a href="dashboards/01_x.ipynb">d</a> '
            '<a href="https://example.org/glossary.ipynb">web</a> <a href="other.ipynb#x">o</a>')
    out = site.rewrite_links(page, targets)
    assert '<a href="01_goals_and_the_cycle.html">' in out
    assert "<a href='glossary.html#tps'>" in out and '<a href="glossary.html">' in out
    assert 'href="dashboards/01_x.ipynb"' in out and 'href="https://example.org/glossary.ipynb"' in out
    assert site.unresolved_links(out) == ["other.ipynb#x"]


def test_rewrite_links_rejects_bad_arguments():
    with pytest.raises(TypeError, match="page_html"):
        site.rewrite_links(None, {})
    with pytest.raises(TypeError, match="targets"):
        site.rewrite_links("", ["a.ipynb"])


def test_tex_becomes_mathml_and_unreadable_tex_fails_naming_the_formula():
    assert site.tex_to_mathml(r"\frac{dT}{dt} = a\,T").startswith("<math")
    assert 'display="block"' in site.tex_to_mathml("E_A + E_B", display=True)
    with pytest.raises(ValueError, match=r"tex could not be converted.*'\{'"):
        site.tex_to_mathml("{")
    with pytest.raises(ValueError, match=r"tex uses \\nosuchcommand"):
        site.tex_to_mathml(r"\nosuchcommand{x}")
    with pytest.raises(TypeError, match="tex must be a str"):
        site.tex_to_mathml(1)


# --- Widgets as static HTML ------------------------------------------------------------------------


def _state_of(*shown: widgets.Widget) -> dict:
    """The widget state nbclient stores for these widgets (ipywidgets' own embed format)."""
    return widgets.Widget.get_manager_state(drop_defaults=False, widgets=_tree(shown))


def _tree(shown) -> list[widgets.Widget]:
    out: list[widgets.Widget] = []
    for w in shown:
        out.append(w)
        out += _tree(getattr(w, "children", ()))
        if hasattr(w, "library"):
            out.append(w.library)
    return out


def _view(widget: widgets.Widget, text: str) -> dict:
    return nbformat.v4.new_output("execute_result", execution_count=1, data={
        site.WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": widget.model_id},
        "text/plain": text})


@pytest.fixture
def executed() -> tuple:
    """An "executed" notebook as nbclient leaves it: a Markdown cell, an app, two questions."""
    app = tumor_growth_app()
    choice = selfcheck.multiple_choice("Which wins?", [selfcheck.Option("Tumor", False, "no"),
                                                       selfcheck.Option("T cells", True, "yes")])
    number = selfcheck.numeric("How many?", answer=1.6, tolerance=0.1, unit="million")
    text = ("# A test page\n\nThe model: $$\\frac{dT}{dt} = aT$$ and inline $E_A$.\n\n"
            "See [lesson 01](01_goals_and_the_cycle.ipynb) and [a paper](https://doi.org/10.1/x).\n\n"
            "<details>\n<summary><b>Solution</b></summary>\n\nIt is **2.7**.\n\n</details>\n")
    code = nbformat.v4.new_code_cell("tumor_growth_app()")
    code.outputs = [_view(app.widget, "[Interactive: app]"), _view(choice.widget, "[Self-check: Which?]"),
                    _view(number.widget, "[Self-check: How many?]")]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text), code])
    notebook.metadata["widgets"] = {site.WIDGET_STATE: _state_of(app.widget, choice.widget, number.widget)}
    return notebook, app


def test_an_app_becomes_its_title_chart_data_description_and_a_note(executed):
    notebook, app = executed
    models = site.widget_models(notebook)
    out = site.static_widget_html(app.widget.model_id, models)
    assert app.title in out and count_class(out, "primer-static-chart") == 1
    assert site.APP_NOTE in out and out.count("Chart description") == 1
    data = json.loads(re.search(r"class=.primer-chart-data.>(.*?)</script>", out).group(1))
    assert data["datasets"] == app.chart.datasets and data["spec"] == app.chart.spec
    assert app.chart.description.split(".")[0] in out
    assert "noUi" not in out and "<input" not in out  # no dead controls


def test_a_question_shows_its_prompt_options_and_where_to_answer(executed):
    notebook, _ = executed
    models = site.widget_models(notebook)
    views = [o["data"][site.WIDGET_VIEW]["model_id"] for o in notebook.cells[1].outputs[1:]]
    choice, number = (site.static_widget_html(v, models) for v in views)
    assert "Which wins?" in choice and "<li>Tumor</li>" in choice and "<li>T cells</li>" in choice
    assert "How many?" in number and site.QUESTION_NOTE in choice and site.QUESTION_NOTE in number


def test_any_other_widget_shows_its_text_or_a_note():
    label = widgets.HTML("<b>Hello</b>")
    box = widgets.VBox([label, widgets.IntSlider(description="n")])
    models = site.widget_models({"metadata": {"widgets": {site.WIDGET_STATE: _state_of(box)}}})
    out = site.static_widget_html(box.model_id, models)
    assert "<b>Hello</b>" in out and site.WIDGET_NOTE in out
    slider = widgets.IntSlider()
    models = site.widget_models({"metadata": {"widgets": {site.WIDGET_STATE: _state_of(slider)}}})
    assert "[A slider]" in site.static_widget_html(slider.model_id, models, fallback="[A slider]")
    with pytest.raises(ValueError, match="model_id 'missing' has no stored state"):
        site.static_widget_html("missing", models)


def test_exported_page_has_one_chart_per_live_chart_math_links_details_and_nothing_remote(executed):
    notebook, _ = executed
    page = site.Page(ROOT / "notebooks" / "test_page.ipynb", "A test page")
    pages = [site.Page(ROOT / "notebooks" / LESSONS[1].notebook, "01", LESSONS[1]), page]
    out = site.page_html(page, notebook, pages, site.site_exporter())
    assert count_class(out, "primer-static-chart") == count_class(out, "primer-chart-data") == 1
    assert "<math" in out and "$" not in re.sub(r"<script.*?</script>", "", out, flags=re.S)
    assert 'href="01_goals_and_the_cycle.html"' in out and site.unresolved_links(out) == []
    assert "<details>" in out and "<summary><b>Solution</b></summary>" in out
    assert remote(loaded_urls(out)) == [], "a page must load nothing from the network"
    assert 'href="https://doi.org/10.1/x"' in out  # reading links may point outside
    assert set(loaded_urls(out)) == {"_static/site.css", "_static/vega.js", "_static/site.js"}
    assert "tumor_growth_app()" not in out, "code inputs are not exported"
    for gone in ("widget-state+json", "widget-view+json", "require.js", "mathjax", "Loading widget"):
        assert gone.lower() not in out.lower(), gone
    assert "<title>A test page</title>" in out and "Course index" in out and "← 01" in out


# --- Pages, index, build -------------------------------------------------------------------------


def _markdown_notebook(path: Path, *texts: str) -> Path:
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(t) for t in texts]), path)
    return path


def test_pages_are_the_lessons_in_course_order_then_other_notebooks_titled_by_their_heading(tmp_path):
    for lesson in reversed(LESSONS[:2]):
        _markdown_notebook(tmp_path / lesson.notebook, f"# Lesson {lesson.number}")
    _markdown_notebook(tmp_path / "glossary.ipynb", "Intro", "# Glossary\n\n## TPS")
    _markdown_notebook(tmp_path / "aa_notes.ipynb", "no heading")
    (tmp_path / "dashboards").mkdir()
    _markdown_notebook(tmp_path / "dashboards" / "d.ipynb", "# Dashboard")
    pages = site.site_pages(tmp_path)
    assert [p.source.name for p in pages] == [LESSONS[0].notebook, LESSONS[1].notebook, "aa_notes.ipynb",
                                            "glossary.ipynb"]
    assert pages[0].title == f"00 · {LESSONS[0].title}" and pages[0].lesson == LESSONS[0]
    assert [p.title for p in pages[2:]] == ["aa notes", "Glossary"]
    assert pages[3].html_name == "glossary.html"


def test_pages_need_a_folder_of_notebooks(tmp_path):
    with pytest.raises(ValueError, match="notebooks_dir must be an existing folder"):
        site.site_pages(tmp_path / "missing")
    with pytest.raises(ValueError, match="notebooks_dir must hold notebooks"):
        site.site_pages(tmp_path)


def test_index_lists_every_lesson_with_time_objectives_link_notice_and_build_line():
    pages = [site.Page(ROOT / "notebooks" / lesson.notebook, lesson.title, lesson) for lesson in LESSONS[:-1]]
    pages.append(site.Page(ROOT / "notebooks" / "glossary.ipynb", "Glossary"))
    out = site.index_html(pages, "Built on 2026-01-01 from commit abc1234.")
    assert site.COURSE_TITLE in out and "Educational tool, not clinical advice." in out
    for lesson in LESSONS[:-1]:
        assert f"<a href='{lesson.notebook.removesuffix('.ipynb')}.html'>{lesson.number:02d} · " in out
        assert f"{lesson.minutes} min" in out
        assert all(goal.replace("'", "&#x27;") in out for goal in lesson.objectives)
    assert "(coming soon)" in out  # the last lesson has no page here
    assert "<a href='glossary.html'>Glossary</a>" in out and "commit abc1234" in out
    assert remote(loaded_urls(out)) == []


def test_build_line_names_the_commit_and_honours_source_date_epoch(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    line = site.build_line(ROOT)
    assert line.startswith("Built on 1970-01-01 from commit ") or "not a Git checkout" in line
    assert site.build_line(tmp_path) == "Built on 1970-01-01 from a copy that is not a Git checkout."


def test_a_whole_build_of_a_small_folder_writes_index_pages_and_the_static_files(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _markdown_notebook(notebooks / LESSONS[0].notebook, "# Start\n\n$x^2$ see [G](glossary.ipynb#tps)")
    _markdown_notebook(notebooks / "glossary.ipynb", "# Glossary\n\n<a id='tps'></a>**TPS**")
    out = tmp_path / "site"
    written = site.build_site(out, notebooks, jobs=1)
    assert [p.name for p in written] == ["index.html", "00_start_here.html", "glossary.html"]
    for name in ("vega.js", "site.js", "site.css", "THIRD_PARTY_NOTICES.md"):
        assert (out / site.STATIC / name).is_file(), name
    start = (out / "00_start_here.html").read_text()
    assert 'href="glossary.html#tps"' in start and "<math" in start
    assert "_static/vega.js" not in start, "a page without charts does not load Vega"
    site.build_site(out, notebooks, jobs=1)  # a rebuild replaces the earlier site
    expected = [site.MARKER, site.STATIC, *(p.name for p in written)]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)


def test_build_refuses_bad_jobs_and_a_folder_it_did_not_make(tmp_path):
    with pytest.raises(ValueError, match="jobs must be a whole number >= 1"):
        site.build_site(tmp_path / "out", jobs=0)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _markdown_notebook(notebooks / "glossary.ipynb", "# Glossary")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="out must be empty or a site built by this tool"):
        site.build_site(tmp_path / "mine", notebooks, jobs=1)
    assert (tmp_path / "mine" / "keep.txt").exists()
