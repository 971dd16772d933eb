"""Classroom dashboards: presets, layout and the reuse of the lessons' apps."""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as widgets
import pytest

from primer_lib.charts.theme import resized
from primer_lib.widgets import cycle, response, schedules
from primer_lib.widgets.app import App
from primer_lib.widgets.dashboards import DASHBOARDS, Preset, build_dashboard, tracker_sums
from tests.app_checks import assert_every_control_changes_the_chart, move

ROOT = Path(__file__).parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks" / "dashboards").glob("*.ipynb"))


def test_there_are_dashboards_and_each_has_its_notebook():
    assert len(DASHBOARDS) >= 5
    assert [p.stem for p in NOTEBOOKS] == sorted(DASHBOARDS)
    for path in NOTEBOOKS:
        source = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])
        assert f"{DASHBOARDS[path.stem].__name__}()" in source, path.name


@pytest.fixture(scope="module", params=sorted(DASHBOARDS))
def board(request):
    return DASHBOARDS[request.param]()


def test_dashboard_reuses_a_lesson_app(board):
    assert isinstance(board.app, App)
    assert board.app.update.__module__.startswith("primer_lib.widgets.")
    assert board.app.update.__module__ != "primer_lib.widgets.dashboards"


def test_every_preset_changes_the_chart_and_the_question(board):
    assert len(board.presets) >= 3
    seen = []
    for label in board.presets:
        board.apply(label)
        assert board.preset_buttons.value == label
        assert board.app.status.value == ""
        assert board.presets[label].prompt in html_text(board.prompt.value)
        seen.append(board.app.chart.datasets)
    for i, data in enumerate(seen):
        assert all(data != other for other in seen[:i]), f"preset {i} draws the same chart as an earlier one"


def test_preset_sets_every_control_so_it_always_shows_the_same_picture(board):
    first, second = list(board.presets)[:2]
    board.apply(first)
    expected = board.app.chart.datasets
    board.apply(second)
    move(next(iter(board.controls.values())))
    board.apply(first)
    assert board.app.chart.datasets == expected


def test_moving_a_control_leaves_the_preset(board):
    board.apply(next(iter(board.presets)))
    move(list(board.controls.values())[-1])
    assert board.preset_buttons.value is None
    assert "Your own settings" in board.prompt.value


def test_every_control_still_changes_the_chart(board):
    board.apply(next(iter(board.presets)))
    assert_every_control_changes_the_chart(board.app)


def test_clicking_a_preset_button_applies_it(board):
    label = list(board.presets)[-1]
    board.preset_buttons.value = label
    board.app.set_values({})
    assert board.app.values() == dict(board.presets[label].values)


def test_saved_output_says_what_it_is(board):
    text = board._repr_mimebundle_()["text/plain"]
    assert text.startswith(f"[Interactive: {board.title}.")
    assert all(label in text for label in board.presets)


def test_dashboard_is_projector_styled(board):
    assert {"primer-app", "primer-dashboard"} <= set(board.widget._dom_classes)
    css = board.widget.children[0].value
    assert "--jp-widgets-font-size: 16px" in css and ".primer-loading { display: none; }" in css


def html_text(value: str) -> str:
    import html
    return html.unescape(value)


def test_set_values_redraws_once():
    app = cycle.cycle_explorer_app()
    calls = []
    original = app.update
    app.update = lambda values: calls.append(1) or original(values)
    app.set_values({cycle.PHENOTYPE: "desert", "therapy.anti-PD-1": True, "cycle.step1": 2.0})
    assert len(calls) == 1
    assert app.values()["cycle.step1"] == 2.0


def test_set_values_rejects_unknown_controls_and_non_mappings():
    app = cycle.cycle_explorer_app()
    with pytest.raises(ValueError, match="values must name controls.*cycle.phenotype.*got nonsense"):
        app.set_values({"nonsense": 1})
    with pytest.raises(TypeError, match="values must map control names"):
        app.set_values([("cycle.step1", 1.0)])  # type: ignore[arg-type]


def test_build_dashboard_rejects_bad_input():
    app = schedules.pair_app()
    with pytest.raises(ValueError, match="layout must be one of"):
        build_dashboard("t", app, [Preset("a", {}, "q")], "02", layout="diagonal")
    with pytest.raises(ValueError, match="presets must hold at least one"):
        build_dashboard("t", app, [], "02")
    with pytest.raises(ValueError, match="preset 'a' names controls the app lacks: nope"):
        build_dashboard("t", app, [Preset("a", {"nope": 1}, "q")], "02")
    with pytest.raises(ValueError, match="width_scale must be a number from 0.3 to 2.0"):
        build_dashboard("t", app, [Preset("a", {}, "q")], "02", chart_scale=(0.1, 1.0))
    board = build_dashboard("t", schedules.pair_app(), [Preset("a", {}, "q")], "02")
    with pytest.raises(ValueError, match="label must be one of"):
        board.apply("b")


def test_resized_scales_views_but_not_marks_text_or_data():
    spec = {"hconcat": [{"mark": {"type": "bar", "width": 10}, "width": 400, "height": 300},
                        {"layer": [{"mark": "line"}], "width": 200, "height": {"step": 20}}],
            "config": {"view": {"width": 500}, "axis": {"labelFontSize": 14}},
            "datasets": {"d": [{"width": 3}]}}
    out = resized(spec, 0.5, 0.8)
    assert out["hconcat"][0]["width"] == 200 and out["hconcat"][0]["height"] == 240
    assert out["hconcat"][0]["mark"]["width"] == 10
    assert out["hconcat"][1]["width"] == 100 and out["hconcat"][1]["height"] == {"step": 20}
    assert out["config"] == spec["config"] and out["datasets"] == spec["datasets"]
    assert spec["hconcat"][0]["width"] == 400, "the input is not modified"
    with pytest.raises(ValueError, match="height_scale must be a number"):
        resized(spec, 1.0, "big")  # type: ignore[arg-type]


def test_tracker_sums_come_from_the_lesson_cases_and_parameters():
    assert len(tracker_sums("growth")) == len(response.TRACKER_WEEKS)
    assert tracker_sums("growth")[0] == tracker_sums("shrinkage")[0] == 60.0
    assert list(tracker_sums("growth")) == sorted(tracker_sums("growth"))
    with pytest.raises(ValueError, match="kind must be one of"):
        tracker_sums("remission")


def test_tracker_dashboard_keeps_labels_for_screen_readers():
    board = DASHBOARDS["05_irecist_lesion_tracker"]()
    dropdown = board.controls[response.new_lesions_key(1)]
    assert isinstance(dropdown, widgets.Dropdown) and dropdown.description == "new lesions"
