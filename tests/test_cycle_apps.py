"""Lesson 01's cycle apps: the diagram and the break-a-step explorer update their charts."""

import pytest

from primer_lib.charts.cycle import describe_diagram, diagram_data
from primer_lib.widgets.cycle import NO_THERAPY, cycle_diagram_app, cycle_explorer_app


def test_diagram_highlights_the_steps_a_therapy_acts_at():
    nodes = diagram_data(1, "anti-VEGF")["nodes"]
    roles = dict(zip(nodes["number"], nodes["role"], strict=True))
    assert roles[1] == "selected step" and roles[4] == roles[5] == "the therapy acts here"
    assert roles[7] == "other steps"
    assert "anti-VEGF acts at step 4, 5" in describe_diagram(1, "anti-VEGF")


def test_diagram_starts_with_no_therapy_as_a_visible_choice():
    app = cycle_diagram_app()
    assert app.controls["cycle.selected_therapy"].value == NO_THERAPY


def test_explorer_description_names_the_bottleneck():
    app = cycle_explorer_app("excluded")
    assert "step 5 (Infiltration of T cells into tumors)" in app.chart.description


@pytest.mark.parametrize(
    ("call", "error"),
    [(lambda: cycle_diagram_app(step=8), ValueError),
     (lambda: cycle_diagram_app(therapy="x"), ValueError),
     (lambda: cycle_explorer_app("warm"), ValueError),
     (lambda: cycle_explorer_app(therapies=("IL-2",)), ValueError)],
)
def test_bad_arguments_are_rejected(call, error):
    with pytest.raises(error):
        call()
