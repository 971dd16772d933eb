"""Moving a control as a learner would, for the app tests."""

from __future__ import annotations

import ipywidgets as widgets

from primer_lib.widgets.app import App


def move(control: widgets.ValueWidget) -> None:
    """Change a control to another allowed value: next option, flipped box, or a few steps along."""
    if hasattr(control, "options"):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        control.value = next(v for v in values if v != control.value)
    elif isinstance(control.value, bool):
        control.value = not control.value
    else:
        step = 5 * control.step
        target = control.value + step if control.value + step <= control.max else control.value - step
        control.value = round(target, 9)


def assert_every_control_changes_the_chart(app: App) -> None:
    """Each control, moved in turn, changes the chart's data and its description, with no error shown."""
    assert app.controls, "an app without controls"
    for name, control in app.controls.items():
        before, text = app.chart.datasets, app.chart.description
        move(control)
        assert app.status.value == "", f"{name}: {app.status.value}"
        assert app.chart.datasets != before, f"{name} did not change the chart's data"
        assert app.chart.description != text, f"{name} did not change the chart's description"
