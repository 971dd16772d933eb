"""primer_lib.kuznetsov: equations, scalings, steady states, thresholds; its chart and app."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from primer_lib import kuznetsov as kz
from primer_lib.charts import inline
from primer_lib.charts import kuznetsov as charts
from primer_lib.registry import parameter
from primer_lib.widgets.kuznetsov import kuznetsov_app

P = kz.KUZNETSOV_1994


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        # 0.1181 + 1.131·10/30.19 − 0.00311·10 − 0.3743·1 ;  1.636·10·(1 − 0.02) − 1·10
        ((1.0, 10.0), (0.08732736005, 6.0328)),
        # 0.1181 + 1.131·2·100/120.19 − 0.00311·2·100 − 0.3743·2 ;  1.636·100·0.8 − 200
        ((2.0, 100.0), (0.62952013479, -69.12)),
        ((0.0, 0.0), (0.1181, 0.0)),
    ],
)
def test_rhs_matches_hand_values(state, expected):
    np.testing.assert_allclose(kz.rhs(0.0, np.array(state), P), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("state", [(0.5, 3.0), (1.6, 8.2), (0.2, 450.0)])
def test_jacobian_matches_finite_differences(state):
    u, h = np.array(state), 1e-6
    numeric = np.column_stack([(kz.rhs(0, u + h * e, P) - kz.rhs(0, u - h * e, P)) / (2 * h)
                               for e in np.eye(2)])
    np.testing.assert_allclose(kz.jacobian(0, u, P), numeric, rtol=1e-6, atol=1e-8)


def test_published_parameters_and_time_scale():
    assert (P.sigma, P.rho, P.eta, P.mu, P.delta, P.alpha, P.beta) == (
        0.1181, 1.131, 20.19, 0.00311, 0.3743, 1.636, 2.0e-3)
    assert kz.DAYS_PER_TAU == pytest.approx(9.083, abs=5e-4)


def test_simulate_frame_columns_grid_and_scalings():
    frame = kz.simulate(0.3, 10.0, 20.0, points=81)
    assert list(frame.columns) == ["tau", "x", "y", "day", "effector_cells", "tumor_cells"]
    assert len(frame) == 81 and frame["tau"].iloc[-1] == 20.0
    np.testing.assert_allclose(np.diff(frame["tau"]), 0.25)
    assert (frame["x"].iloc[0], frame["y"].iloc[0]) == (0.3, 10.0)
    np.testing.assert_allclose(frame["day"], frame["tau"] / (1.101e-7 * 1e6))
    np.testing.assert_allclose(frame["effector_cells"], frame["x"] * 1e6)
    np.testing.assert_allclose(frame["tumor_cells"], frame["y"] * 1e6)


@pytest.mark.parametrize("y0", [1.0, 10.0, 63.0, 65.0, 300.0])
def test_simulate_agrees_with_an_independent_stiff_solver(y0):
    frame = kz.simulate(P.tumor_free_effectors, y0, 100.0, points=51)
    # A reference five orders of magnitude tighter than the comparison (1e-11 took 3 s a case for nothing).
    ref = solve_ivp(kz.rhs, (0, 100), [P.tumor_free_effectors, y0], method="Radau", args=(P,),
                    t_eval=frame["tau"].to_numpy(), rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(frame[["x", "y"]].to_numpy(), ref.y.T, rtol=1e-4, atol=1e-5)


def test_equilibria_are_zeros_of_rhs_sorted_and_include_tumor_free():
    states = kz.equilibria()
    assert len(states) == 4
    assert [s.y for s in states] == sorted(s.y for s in states)
    assert (states[0].x, states[0].y) == (pytest.approx(P.sigma / P.delta), 0.0)
    for s in states:
        np.testing.assert_allclose(kz.rhs(0, np.array([s.x, s.y]), P), 0.0, atol=1e-9)
        assert type(s.stable) is bool and s.kind in kz.KINDS
        assert s.x > 0 and 0 <= s.y < 1 / P.beta


def test_classification_matches_jacobian_eigenvalues():
    for s in kz.equilibria():
        eig = np.linalg.eigvals(kz.jacobian(0, np.array([s.x, s.y]), P))
        assert s.stable == bool((eig.real < 0).all())
        if s.kind == "saddle":
            assert eig.real.min() < 0 < eig.real.max() and not eig.imag.any()
        elif s.kind.endswith("focus"):
            assert abs(eig.imag).max() > 0
        else:
            assert not eig.imag.any() and np.ptp(np.sign(eig.real)) == 0


def test_nullclines_zero_their_component():
    frame = kz.nullclines(P, y_max=500)
    for which, index in (("x", 0), ("y", 1)):
        part = frame[frame["nullcline"] == which]
        values = kz.rhs(0, np.vstack([part["x"], part["y"]]), P)[index]  # rhs works column-wise
        np.testing.assert_allclose(values, 0.0, atol=1e-9)
    assert (frame["x"] >= 0).all()


@pytest.mark.parametrize("x0", [0.0, P.sigma / P.delta, 1.0])
def test_separatrix_threshold_agrees_with_bisection(x0):
    assert kz.separatrix_threshold(x0) == pytest.approx(kz.escape_threshold(x0), rel=1e-3)


def test_separatrix_passes_through_the_threshold_saddle():
    saddle = kz.equilibria()[2]
    assert kz.separatrix_threshold(saddle.x) == pytest.approx(saddle.y, rel=1e-4)
    assert kz.separatrix_threshold(2.0) == math.inf


def test_final_state_names_the_steady_state():
    x0 = P.tumor_free_effectors
    dormant, escape = kz.final_state(x0, 10.0), kz.final_state(x0, 300.0)
    assert (dormant.outcome, dormant.equilibrium) == ("dormant", kz.equilibria()[1])
    assert (escape.outcome, escape.equilibrium) == ("escape", kz.equilibria()[3])
    assert kz.final_state(x0, 0.0).outcome == "tumor-free"


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: kz.simulate(-1, 10, 10), ValueError, r"x0 must be in \[0, 100\] 10\^6 cells"),
        (lambda: kz.simulate(1, 2000, 10), ValueError, r"y0 must be in \[0, 1000\] 10\^6 cells"),
        (lambda: kz.simulate(1, "big", 10), TypeError, r"y0 must be a real number"),
        (lambda: kz.simulate(1, 10, 0), ValueError, r"tau_end must be in \[0.1, 1000\] τ-units"),
        (lambda: kz.simulate(1, 10, 10, points=1), ValueError, r"points must be an integer in \[2, 5000\]"),
        (lambda: kz.simulate(1, 10, 10, points=2.5), TypeError, r"points must be an integer"),
        (lambda: kz.simulate(1, 10, 10, params={"sigma": 1}), TypeError, "params must be KuznetsovParams"),
        (lambda: kz.KuznetsovParams(sigma=-0.1), ValueError, r"sigma must be in \[0, 2\] dimensionless"),
        (lambda: kz.KuznetsovParams(beta=True), TypeError, "beta must be a real number"),
        (lambda: kz.equilibria({"sigma": 1}), TypeError, "params must be KuznetsovParams"),
        (lambda: kz.escape_threshold([1.0]), TypeError, "x0 must be a real number"),
        (lambda: kz.final_state(1.0, -5), ValueError, r"y0 must be in \[0, 1000\]"),
        (lambda: kz.nullclines(P, y_max=0), ValueError, r"y_max must be in"),
    ],
)
def test_bad_input_is_rejected_naming_the_parameter(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_parameters_are_registered_with_units_and_sources():
    sigma = parameter("kuznetsov.sigma")
    assert sigma.calibrated and "Kuznetsov et al. 1994" in sigma.source
    assert parameter("kuznetsov.eta").unit == "10^6 cells"
    assert parameter("kuznetsov.initial_effector").default == pytest.approx(P.sigma / P.delta)
    assert not parameter("kuznetsov.initial_tumor").calibrated


def test_phase_data_is_small_and_inlines():
    data = charts.phase_data(kz.simulate(P.tumor_free_effectors, 10.0, 100.0))
    assert set(data) == {charts.LINES, charts.EQUILIBRIA, charts.START}
    assert sum(len(f) for f in data.values()) < 5000
    assert set(data[charts.LINES]["series"]) == {charts.TRAJECTORY, charts.X_NULLCLINE,
                                                 charts.Y_NULLCLINE, charts.SEPARATRIX}
    assert list(data[charts.EQUILIBRIA]["stability"]) == ["unstable", "stable", "unstable", "stable"]
    spec = inline(charts.phase_chart(), data).to_dict()
    assert len(spec["datasets"][charts.EQUILIBRIA]) == 4


def test_description_states_outcome_threshold_and_states():
    text = charts.describe_phase(kz.simulate(P.tumor_free_effectors, 10.0, 100.0))
    assert "dormant state of 8.19 million tumor" in text and "63.7 million" in text
    assert "saddle" in text and "first grows to" in text
    escape = charts.describe_phase(kz.simulate(P.tumor_free_effectors, 100.0, 100.0))
    assert "escape state of 447 million" in escape


def test_app_starts_where_asked():
    app = kuznetsov_app(initial_tumor=100.0, initial_effector=1.0)
    assert app.values() == {"kuznetsov.initial_tumor": 100.0, "kuznetsov.initial_effector": 1.0}
    assert "Starting from 100 million tumor and 1 million effector" in app.chart.description


# --- Any in-range parameters: a result within 2 s, never a hang or a crash (issue 23) -------------------

HANGED = kz.KuznetsovParams(sigma=0.0, rho=3.3, eta=520.0, mu=1e-7, delta=0.01, alpha=5.0, beta=1e-4)


def _timed(function, *args):
    import time
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


@pytest.mark.timeout(60)
def test_separatrix_of_parameters_that_once_hung_returns_within_2_s():
    curve, seconds = _timed(kz.separatrix, HANGED)
    assert seconds < 2.0 and np.isfinite(curve.to_numpy()).all()
    threshold, seconds = _timed(kz.separatrix_threshold, 1.0, HANGED)
    assert seconds < 2.0 and (math.isnan(threshold) or threshold >= 0)


def test_a_state_that_has_not_settled_is_a_result_not_an_error():
    # delta = 0.01: 300 τ-units is not long enough to settle from (0.3, 10).
    end = kz.final_state(0.3, 10.0, kz.KuznetsovParams(delta=0.01))
    assert end.outcome in kz.OUTCOMES
    assert end.outcome == "not settled" and end.equilibrium is not None and end.equilibrium.y >= 0
    text = charts.describe_phase(kz.simulate(0.3, 10.0, 50.0, kz.KuznetsovParams(delta=0.01)),
                                 kz.KuznetsovParams(delta=0.01))
    assert "has not settled" in text


def test_thresholds_without_a_value_say_so_with_nan():
    params = kz.KuznetsovParams(delta=0.01)
    assert math.isnan(kz.escape_threshold(0.3, params)) or kz.escape_threshold(0.3, params) >= 0
    no_saddle = next(p for p in (kz.KuznetsovParams(alpha=a) for a in (0.1, 0.2, 0.5))
                     if not any(e.kind == "saddle" and e.y > 0 for e in kz.equilibria(p)))
    assert math.isnan(kz.separatrix_threshold(1.0, no_saddle))


RECORDS = (kz.SIGMA, kz.RHO, kz.ETA, kz.MU, kz.DELTA, kz.ALPHA, kz.BETA)


def test_random_in_range_parameters_give_results_within_2_s_each():
    # Seeded draws over the registry's whole ranges (log-uniform where a range spans decades).
    rng = np.random.default_rng(23)
    for _ in range(12):
        values = {}
        for r in RECORDS:
            low, high = r.minimum, r.maximum
            log = low > 0 and high / low > 100
            values[r.key] = float(np.exp(rng.uniform(np.log(low), np.log(high))) if log
                                  else rng.uniform(low, high))
        params = kz.KuznetsovParams(**values)
        calls = ((kz.final_state, (0.3, 10.0, params)), (kz.separatrix, (params,)),
                 (kz.separatrix_threshold, (1.0, params)), (kz.escape_threshold, (1.0, params)))
        for function, args in calls:
            result, seconds = _timed(function, *args)
            assert seconds < 2.0, (function.__name__, values, seconds)
        assert kz.final_state(0.3, 10.0, params).outcome in kz.OUTCOMES


@pytest.mark.parametrize("state", [None, "dormant", 1.0, {"x": 1, "y": 2}])
def test_state_name_refuses_what_is_not_a_steady_state(state):
    with pytest.raises(TypeError, match="state must be an Equilibrium"):
        kz.state_name(state)
