"""Claims that the Kuznetsov model card (and the lesson built on it) makes, as tests.

Each test quotes the sentence it checks. If the model changes so that a
sentence is no longer true, this fails and the text must be revised.
"""

import math

import numpy as np
import pytest
from scipy.signal import argrelmax

from primer_lib import kuznetsov as kz

P = kz.KUZNETSOV_1994
X_FREE = P.sigma / P.delta


def _eigenvalues(state: kz.Equilibrium) -> np.ndarray:
    return np.linalg.eigvals(kz.jacobian(0.0, np.array([state.x, state.y]), P))


def test_tumor_free_state_is_a_saddle_with_no_elimination_attractor():
    # "With the published parameters the tumor-free state is a saddle: there is no
    #  elimination attractor, so any tumor ends dormant or escaped."
    free = kz.equilibria()[0]
    assert free.y == 0 and free.kind == "saddle" and not free.stable
    assert not [s for s in kz.equilibria() if s.stable and s.y == 0]
    for x0 in (0.0, X_FREE, 1.0, 2.0):
        for y0 in (1e-3, 1.0, 30.0, 300.0, 1000.0):
            assert kz.final_state(x0, y0).outcome in ("dormant", "escape")


def test_dormant_and_escape_states():
    # "a small tumor is held near 8.2 million cells, a large one escapes to about 447 million"
    states = kz.equilibria()
    assert [s.kind for s in states] == ["saddle", "stable focus", "saddle", "stable node"]
    assert round(states[1].y, 1) == 8.2 and round(states[3].y) == 447


def test_threshold_about_64_million_at_the_tumor_free_effector_level():
    # "the threshold inoculum (about 64 million cells when effectors start at their
    #  tumor-free level σ/δ)"; below it the tumor ends dormant, above it it escapes.
    threshold = kz.escape_threshold(X_FREE)
    assert round(threshold) == 64
    for y0 in (1.0, 10.0, 0.99 * threshold):
        assert kz.final_state(X_FREE, y0).outcome == "dormant"
    for y0 in (1.01 * threshold, 100.0, 500.0):
        assert kz.final_state(X_FREE, y0).outcome == "escape"


def test_threshold_rises_with_the_initial_effector_level():
    # "rises with the initial effector level"
    thresholds = [kz.escape_threshold(x0) for x0 in (0.0, X_FREE, 0.5, 1.0, 1.5)]
    assert all(a < b for a, b in zip(thresholds, thresholds[1:], strict=False))
    # The same tumor of 100 million cells escapes with few effectors, is held with more.
    assert kz.final_state(X_FREE, 100.0).outcome == "escape"
    assert kz.final_state(1.0, 100.0).outcome == "dormant"


def test_dormant_state_is_a_slowly_damped_spiral():
    # "The dormant state is a slowly damped spiral: one turn about every 99 days, its
    #  amplitude falling e-fold about every 180 days."
    dormant = kz.equilibria()[1]
    assert dormant.kind == "stable focus"
    eig = _eigenvalues(dormant)
    assert 2 * math.pi / abs(eig[0].imag) * kz.DAYS_PER_TAU == pytest.approx(99, abs=1)
    assert 1 / abs(eig[0].real) * kz.DAYS_PER_TAU == pytest.approx(180, rel=0.02)
    # The simulated tumor peaks once a turn, ~99 days apart, ever closer to the steady state.
    frame = kz.simulate(X_FREE, 10.0, 300.0, points=3001)
    peaks = argrelmax(frame["y"].to_numpy())[0]
    assert np.diff(frame["day"].to_numpy()[peaks])[2:] == pytest.approx(99, abs=2)
    excess = frame["y"].to_numpy()[peaks] - dormant.y
    assert (np.diff(excess) < 0).all() and excess[-1] > 0


def test_sub_threshold_tumor_first_grows_then_is_controlled():
    # "A tumor below the threshold can first grow several-fold (from 10 to about 115
    #  million cells in the first month) before the effectors control it."
    frame = kz.simulate(X_FREE, 10.0, 100.0, points=1001)
    peak = frame["y"].idxmax()
    assert frame["y"][peak] == pytest.approx(115, abs=2) and frame["day"][peak] <= 31
    assert kz.final_state(X_FREE, 10.0).outcome == "dormant"


def test_the_threshold_state_is_not_the_threshold_inoculum():
    # Lesson 01: "the *threshold* state (about 268 million cells) [...] It is a state, not a starting size:
    #  a tumor that starts smaller than 268 million can still escape"; the reveal: "somewhere between 60 and
    #  70 million cells it crosses the dashed escape boundary".
    saddle = next(s for s in kz.equilibria() if kz.state_name(s) == "threshold")
    assert round(saddle.y) == 268
    inoculum = kz.separatrix_threshold(X_FREE)
    assert 60 < inoculum < 70 and kz.final_state(X_FREE, 0.5 * (inoculum + saddle.y)).outcome == "escape"


def test_eta_is_twenty_million_cells():
    # Model card: "The tumor stimulates effector proliferation, half-maximal at η = 20.19 (about 20 million
    #  tumor cells)"
    assert P.eta == 20.19
    assert any("η = 20.19 (about 20 million" in line for line in kz.MODEL_CARD.assumptions)


def test_threshold_from_half_a_million_effectors():
    # Lesson 01's numeric self-check: "Starting from 0.5 million effector cells, above how many million tumor
    #  cells does a tumor escape?" (about 137 million, the instructor guide says).
    assert round(kz.separatrix_threshold(0.5)) == 137
    assert kz.final_state(0.5, 130.0).outcome == "dormant" and kz.final_state(0.5, 145.0).outcome == "escape"
