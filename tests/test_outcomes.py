"""primer_lib.outcomes: summaries of a whole course that a wave or a single day cannot fool."""

import math

import numpy as np
import pytest

from primer_lib import cycle, outcomes
from primer_lib.charts import describe_outcome

DAYS = np.arange(0.0, 366.0)


def wave(low=1e6, high=1e8, period=150.0, start=1e8):
    """A tumor swinging between low and high (geometric), starting at ``start``."""
    mid, amplitude = math.log10(low * high) / 2, math.log10(high / low) / 2
    logs = mid + amplitude * np.cos(2 * np.pi * DAYS / period)
    out = 10 ** logs
    out[0] = start
    return out


def test_log_mean_of_a_wave_is_its_geometric_middle_wherever_the_window_falls():
    tumor = wave()
    for horizon in (150, 225, 300, 365):
        mean = outcomes.log_mean_burden(DAYS, tumor, horizon, window_days=150)
        assert mean == pytest.approx(1e7, rel=0.05)
    # A single day reads anywhere from trough to peak:
    assert tumor[75] < 1.1e6 and tumor[150] > 0.9e8


def test_wave_oscillates_and_a_single_relapse_does_not():
    assert outcomes.oscillates(DAYS, wave())
    relapse = np.concatenate([np.geomspace(1e8, 1e5, 100), np.geomspace(1e5, 4e8, 266)])
    assert not outcomes.oscillates(DAYS, relapse)
    flat = np.full(DAYS.size, 1e8) * (1 + 0.01 * np.sin(DAYS))
    assert not outcomes.oscillates(DAYS, flat)


def test_verdicts():
    eliminated = np.concatenate([np.geomspace(1e8, 2.0, 60), np.zeros(306)])
    assert outcomes.verdict(DAYS, eliminated, 180) == "eliminated"
    assert outcomes.verdict(DAYS, wave(), 365) == "controlled"
    assert outcomes.verdict(DAYS, np.geomspace(1e8, 4e8, DAYS.size), 365) == "escaped"
    # Eliminated only once the tumor is gone: at day 30 it was still there.
    assert outcomes.verdict(DAYS, eliminated, 30) == "controlled"


def test_nadir_and_best_change():
    tumor = np.concatenate([np.geomspace(1e8, 1e6, 101), np.geomspace(1e6, 1e9, 265)[1:]])
    tumor = np.concatenate([tumor, [1e9]])[:DAYS.size]
    low, day = outcomes.nadir(DAYS, tumor)
    assert low == pytest.approx(1e6) and day == 100
    assert outcomes.best_change(DAYS, tumor) == pytest.approx(-0.99)
    assert outcomes.best_change(DAYS, tumor, horizon_days=50) == pytest.approx(1e7 / 1e8 - 1, rel=1e-6)
    assert outcomes.best_change(DAYS, np.geomspace(1e8, 4e8, DAYS.size)) == 0.0


def test_summary_of_the_cycle_models_oscillating_response():
    # Without memory the inflamed tumor on anti-PD-1 swings (predator-prey-like) and is never cleared.
    frame = cycle.simulate_cycle("inflamed", ["anti-PD-1"], days=365, memory_formation=0.0)
    late = outcomes.summarize_course(frame["day"], frame["tumor"], 365)
    assert late.verdict == "controlled" and late.oscillates
    assert late.nadir < late.log_mean_burden < frame["tumor"].iloc[0]
    text = describe_outcome(late)
    assert "controlled at day 365" in text and "swinging" in text and "million cells" in text


@pytest.mark.parametrize("days, tumor, error", [
    ([0, 1], [1e8], ValueError), ([1, 0], [1e8, 1e8], ValueError), ([0, 1], [0, 1e8], ValueError),
    ([0, 1], [1e8, math.nan], ValueError), ([0, 1], [1e8, -1], ValueError), ("ab", [1, 2], TypeError),
    ([0, 1], ["1", "2"], TypeError), ([0], [1e8], ValueError), ([0, 1], [1e8, math.inf], ValueError)])
def test_bad_courses_are_refused_naming_the_argument(days, tumor, error):
    with pytest.raises(error, match="days|tumor"):
        outcomes.summarize_course(days, tumor, 1)


@pytest.mark.parametrize("horizon", [-1, 400, math.nan, "90", None])
def test_horizon_outside_the_course_is_refused(horizon):
    with pytest.raises((ValueError, TypeError), match="horizon_days"):
        outcomes.verdict(DAYS, wave(), horizon)


def test_window_is_checked():
    with pytest.raises(ValueError, match="window_days"):
        outcomes.log_mean_burden(DAYS, wave(), 300, window_days=0)
