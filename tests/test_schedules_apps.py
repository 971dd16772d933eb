"""Lesson 02's schedule and pair apps update their charts for every control."""

import pytest

from primer_lib.charts.schedules import RESULTS
from primer_lib.widgets.schedules import pair_app, schedule_app


def test_schedule_app_shows_the_chosen_trials_results():
    app = schedule_app("TONIC")
    assert any("Voorwerk" in line for line in app.chart.datasets[RESULTS]["text"])
    app.controls["schedules.trial"].value = "NCT00527735"
    lines = " ".join(app.chart.datasets[RESULTS]["text"])
    assert "Reck 2013" in lines and "Govindan 2017" in lines and "Voorwerk" not in lines


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="trial must be one of"):
        schedule_app("KEYNOTE")
    with pytest.raises(ValueError, match="therapy_a must be one of"):
        pair_app(therapy_a="aspirin")
