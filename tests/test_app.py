"""primer_lib.widgets.app and controls: sliders from the registry, live updates, no tracebacks."""

import ipywidgets as widgets
import pandas as pd
import pytest

from primer_lib.registry import parameter
from primer_lib.widgets.app import build_app
from primer_lib.widgets.controls import label_of, slider
from primer_lib.widgets.tumor_growth import tumor_growth_app


def test_slider_reads_label_unit_range_and_tooltip_from_registry():
    p = parameter("tumor_growth.growth_rate")
    s = slider(p.name)
    assert s.description == label_of(p) == "Tumor growth rate (1/day)"
    assert (s.min, s.max, s.step, s.value) == (p.minimum, p.maximum, p.step, p.default)
    assert p.source in s.tooltip and p.meaning in s.tooltip
    assert slider(p, 0.3).value == 0.3
    with pytest.raises(ValueError, match=r"growth_rate must be in \[0.01, 0.5\]"):
        slider(p, 3.0)


def test_app_exposes_controls_chart_widget_keyed_by_parameter_name():
    app = tumor_growth_app()
    assert set(app.controls) == {"tumor_growth.growth_rate", "tumor_growth.effector_cells"}
    assert app.chart in app.widget.children
    assert all(c in app.widget.children for c in app.controls.values())


@pytest.mark.parametrize("name", ["tumor_growth.growth_rate", "tumor_growth.effector_cells"])
def test_every_control_changes_the_chart_data_and_description(name):
    app = tumor_growth_app()
    before, text_before = app.chart.datasets, app.chart.description
    control = app.controls[name]
    control.value = control.value + 5 * control.step
    assert app.chart.datasets != before
    assert app.chart.description != text_before
    assert app.status.value == ""
    assert app.last_update_ms > 0


def test_update_errors_become_a_short_message_not_a_traceback():
    source = widgets.FloatSlider(value=1.0, description="x")

    def update(values):
        if values["x"] > 1:
            raise ValueError("x must be in [0, 1]; got 2.0")
        return {"d": pd.DataFrame({"x": [values["x"]]})}, "ok"

    import altair as alt

    from primer_lib.widgets.livechart import LiveChart
    chart = LiveChart(alt.Chart(alt.NamedData("d")).mark_point().encode(x="x:Q"),
                      {"d": pd.DataFrame({"x": [1.0]})})
    app = build_app("Test", {"x": source}, chart, update)
    source.value = 2.0
    assert "x must be in [0, 1]" in app.status.value and "Traceback" not in app.status.value
    assert chart.datasets["d"]["x"] == [1.0]  # the chart keeps its last good state
    source.value = 0.5
    assert app.status.value == "" and chart.datasets["d"]["x"] == [0.5]


def test_saved_text_says_to_run_the_cell_and_has_no_address():
    text = tumor_growth_app()._repr_mimebundle_()["text/plain"]
    assert "Run this cell" in text and "0x" not in text
