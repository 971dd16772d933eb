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
    assert "slowest step is 5 (infiltration" in app.chart.description


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


def test_double_each_step_shows_the_models_leverage_until_a_setting_changes():
    from primer_lib import cycle
    from primer_lib.charts.cycle import LEVERAGE, LEVERAGE_PROMPT

    app = cycle_explorer_app("excluded", ("anti-PD-1",))
    assert any(app.leverage_button in getattr(row, 'children', ()) for row in app.widget.children)
    assert app.chart.datasets[LEVERAGE]["leverage"] == [None]
    assert "not yet measured" in app.chart.description
    app.leverage_button.click()
    shown = dict(zip(app.chart.datasets[LEVERAGE]["step"], app.chart.datasets[LEVERAGE]["leverage"],
                     strict=True))
    api = cycle.step_leverage("excluded", ("anti-PD-1",), points=74)
    # The GUI shows the API's numbers.
    assert [shown[k] for k in sorted(shown)] == [api[i] for i in range(1, 8)]
    top = cycle.most_leverage(api)
    assert f"doubling step {top}" in app.chart.description
    app.controls["cycle.step5"].value = 2.0  # any move makes the measurement stale
    assert app.chart.datasets[LEVERAGE]["leverage"] == [None]
    assert LEVERAGE_PROMPT.split("'")[1] in app.chart.datasets[LEVERAGE]["prompt"][0]
    app.controls["cycle.step5"].value = 1.0  # back to the measured settings: it shows again
    assert app.chart.datasets[LEVERAGE]["leverage"][0] is not None


def test_a_failed_leverage_measurement_is_a_message_not_a_traceback(monkeypatch):
    from primer_lib.widgets import cycle as widgets_cycle

    app = cycle_explorer_app()
    monkeypatch.setattr(widgets_cycle, "explorer_leverage", lambda values: 1 / 0)
    app.measure_leverage()
    assert "Cannot measure leverage" in app.status.value and app.leverage is None


def test_no_step_is_marked_when_no_doubling_changes_the_outcome():
    from primer_lib.charts.cycle import LEVERAGE

    # Every therapy at once eliminates the excluded tumor whichever step is doubled.
    app = cycle_explorer_app("excluded", ("anti-PD-1", "anti-CTLA-4", "vaccine", "chemotherapy", "anti-VEGF"))
    app.leverage_button.click()
    assert "most leverage" not in app.chart.datasets[LEVERAGE]["note"]
    assert "doubling any one step changes nothing here" in app.chart.description
