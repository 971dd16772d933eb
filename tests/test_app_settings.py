"""Any setting a learner can reach in any app shows a chart or a short message, never a traceback.

Hypothesis draws whole settings (every control at once, any option, any slider value on
its steps) for every app in the catalog and every dashboard; the page must then show
either the updated chart with its description, or one short message naming what is
wrong. The count of settings tried joins the hostile-input summary line.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from primer_lib.widgets.catalog import APPS
from primer_lib.widgets.dashboards import DASHBOARDS
from tests.hostile import PROPERTIES, TALLY

NOT_A_NUMBER = re.compile(r"\b(nan|inf|-inf)\b", re.IGNORECASE)
SETTINGS = settings(PROPERTIES, max_examples=20)


def control_values(control):
    """Every value a learner can give ``control``: its options, True/False, or a slider step."""
    if hasattr(control, "options"):
        return st.sampled_from([o[1] if isinstance(o, tuple) else o for o in control.options])
    if isinstance(control.value, bool):
        return st.booleans()
    steps = round((control.max - control.min) / control.step)
    return st.integers(0, steps).map(lambda i: min(control.max, control.min + i * control.step))


def assert_any_setting_shows_a_chart_or_a_message(app):
    @SETTINGS
    @given(values=st.fixed_dictionaries({k: control_values(c) for k, c in app.controls.items()}))
    def check(values):
        TALLY["app settings"] += 1
        app.set_values(values)  # must not raise: refresh turns any failure into a message
        message = app.status.value
        if message:
            TALLY["app messages"] += 1
            assert len(message) < 400 and "Traceback" not in message and "Error" not in message, message
        else:
            assert app.chart.datasets
            # The chart's text says numbers, never "nan" or "inf" (the chart itself drops non-finite points).
            text = app.description.value
            assert text and not NOT_A_NUMBER.search(text), text

    check()


@pytest.mark.parametrize("name", sorted(APPS))
def test_any_setting_of_an_app_shows_its_chart_or_a_short_message(name):
    assert_any_setting_shows_a_chart_or_a_message(APPS[name]())


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_any_setting_of_a_dashboard_shows_its_chart_or_a_short_message(name):
    assert_any_setting_shows_a_chart_or_a_message(DASHBOARDS[name]().app)
