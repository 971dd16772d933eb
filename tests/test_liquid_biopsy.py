"""primer_lib.liquid_biopsy: the ctDNA equation, detection, the teaching cases, the chart and the app."""

import math
import statistics

import numpy as np
import pandas as pd
import pytest

from primer_lib import liquid_biopsy as lb
from primer_lib.charts import liquid_biopsy as charts
from primer_lib.registry import parameter, registry
from tests.app_checks import move


def _lam(half_life_hours=lb.HALF_LIFE.default):
    return math.log(2) / (half_life_hours / 24)


def test_steady_state_for_a_constant_tumor_is_k_n_half_life_over_ln2():
    days = np.linspace(0, 3, 50)
    cells = np.full_like(days, 2e10)
    k = lb.SHED_RATE.default / 1e9
    expected = k * 2e10 * (lb.HALF_LIFE.default / 24) / math.log(2)
    assert lb.ctdna_copies(days, cells) == pytest.approx(expected, rel=1e-12)
    assert lb.steady_state_copies(2e10) == pytest.approx(expected, rel=1e-12)


def test_from_zero_the_ode_follows_its_closed_form():
    # M(t) = (k N / λ)(1 − e^{−λt}) for constant N and M(0) = 0.
    days = np.linspace(0, 0.2, 41)
    cells = np.full_like(days, 5e9)
    copies = lb.ctdna_copies(days, cells, initial_copies_per_ml=0.0)
    k, lam = lb.SHED_RATE.default / 1e9, _lam()
    assert copies == pytest.approx(k * 5e9 / lam * -np.expm1(-lam * days), rel=1e-10, abs=1e-12)


def test_linear_tumor_matches_a_fine_numerical_solution():
    from scipy.integrate import solve_ivp
    days = np.array([0.0, 0.5, 1.0])
    cells = np.array([1e10, 3e10, 2e10])
    k, lam = 20.0 / 1e9, _lam(3.0)
    exact = lb.ctdna_copies(days, cells, shed_rate=20.0, half_life_hours=3.0, initial_copies_per_ml=0.0)
    sol = solve_ivp(lambda t, m: k * np.interp(t, days, cells) - lam * m, (0, 1), [0.0], t_eval=days,
                    rtol=1e-10, atol=1e-12, max_step=1e-3)
    assert exact == pytest.approx(sol.y[0], rel=1e-6)


@pytest.mark.parametrize("half_life_hours", [lb.HALF_LIFE.default, 2.0])
def test_after_the_tumor_is_removed_ctdna_halves_every_half_life(half_life_hours):
    half = half_life_hours / 24
    removed = 1e-6
    days = np.concatenate([[0.0], removed + half * np.arange(0, 8)])
    cells = np.concatenate([[1e10], np.zeros(8)])
    copies = lb.ctdna_copies(days, cells, half_life_hours=half_life_hours)
    assert copies[2:] / copies[1:-1] == pytest.approx(0.5, rel=1e-9)
    slope = np.polyfit(days[1:], np.log(copies[1:]), 1)[0]
    assert math.log(2) / -slope * 24 == pytest.approx(half_life_hours, rel=1e-9)


def test_vaf_and_the_calibration_point():
    assert lb.steady_state_vaf(lb.REFERENCE_CELLS) == pytest.approx(lb.REFERENCE_VAF, rel=0.01)
    assert lb.calibrated_shed_rate() == pytest.approx(lb.SHED_RATE.default, abs=0.05)
    frame = lb.ctdna_trajectory([0, 1], [1e11, 1e11])
    m = frame["ctdna_copies_per_ml"].to_numpy()
    assert frame["ctdna_vaf"].to_numpy() == pytest.approx(m / (m + lb.BACKGROUND.default))


def test_detection_needs_a_mutant_copy_and_a_fraction_at_or_above_the_limit():
    big = lb.ctdna_trajectory(np.arange(10.0), np.full(10, 1e11))
    assert big["detected"].all()
    below = lb.ctdna_trajectory(np.arange(10.0), np.full(10, 1e10), detection_limit_pct=1.0)
    assert (below["mutant_copies"] > 0).all() and not below["detected"].any()  # 0.1% VAF, 1% limit
    none = lb.ctdna_trajectory(np.arange(10.0), np.zeros(10), detection_limit_pct=0.001)
    assert (none["mutant_copies"] == 0).all() and not none["detected"].any()
    frame = lb.ctdna_trajectory(np.arange(200.0), np.full(200, 2e10), seed=3)
    limit = lb.DETECTION_LIMIT.default / 100
    expected = (frame["mutant_copies"] >= 1) & (frame["measured_vaf"] >= limit - 1e-12)
    assert (frame["detected"] == expected).all()
    counts = frame[["mutant_copies", "wild_type_copies"]].to_numpy()
    assert frame["measured_vaf"].to_numpy() == pytest.approx(counts[:, 0] / counts.sum(axis=1))


def test_smallest_detectable_tumor_sits_exactly_at_the_limit():
    for limit in (0.01, 0.1, 0.5):
        cells = lb.smallest_detectable_cells(limit)
        assert lb.steady_state_vaf(cells) == pytest.approx(limit / 100, rel=1e-9)


def test_detection_probability_grows_with_the_tumor_and_matches_sampling():
    probs = [lb.detection_probability(n, 0.01) for n in (1e8, 1e9, 1e10)]
    assert probs == sorted(probs) and probs[0] < 0.1 and probs[-1] > 0.99
    frame = lb.ctdna_trajectory(np.arange(4000.0), np.full(4000, 1e9), detection_limit_pct=0.01, seed=1)
    assert frame["detected"].mean() == pytest.approx(lb.detection_probability(1e9, 0.01), abs=0.03)


def test_sampling_is_seeded():
    days, cells = np.arange(30.0), np.geomspace(1e11, 1e9, 30)
    a = lb.ctdna_trajectory(days, cells, seed=7)
    pd.testing.assert_frame_equal(a, lb.ctdna_trajectory(days, cells, seed=7))
    assert not a["mutant_copies"].equals(lb.ctdna_trajectory(days, cells, seed=8)["mutant_copies"])
    s1, s2 = lb.scenario("response", seed=2), lb.scenario("response", seed=2)
    pd.testing.assert_frame_equal(s1.ctdna, s2.ctdna)
    assert s1.scans == s2.scans


def test_early_change_and_molecular_response():
    frame = lb.ctdna_trajectory(7.0 * np.arange(13), 1e11 * np.exp(-0.1 * np.arange(13)))
    assert lb.early_ctdna_change(frame, 6) == pytest.approx(
        frame["ctdna_vaf"].iloc[6] / frame["ctdna_vaf"].iloc[0])
    assert lb.molecular_response(0.49) == "molecular response"
    assert lb.molecular_response(0.5) == "no molecular response"  # "more than 50%" (Goldberg 2018)
    assert lb.molecular_response(2.0) == "no molecular response"


def test_scenarios_have_scans_and_weekly_draws():
    for kind in lb.SCENARIOS:
        case = lb.scenario(kind)
        assert list(case.draws["week"]) == list(range(lb.WEEKS + 1))
        assert {"day", "week", "tumor_cells", "ctdna_vaf", "detected", "draw"} <= set(case.ctdna)
        assert case.imaging["week"].iloc[0] == 0 and case.imaging["target_sum_mm"].iloc[0] == 60
        assert case.ctdna["tumor_cells"].iloc[0] == lb.BASELINE_CELLS.default


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match=r"shed_rate must be in \[0.1, 100\]"):
        lb.ctdna_trajectory([0, 1], [1, 1], shed_rate=-1)
    with pytest.raises(ValueError, match=r"half_life_hours must be in \[0.05, 12\] hours"):
        lb.ctdna_trajectory([0, 1], [1, 1], half_life_hours=0)
    with pytest.raises(ValueError, match=r"detection_limit_pct must be in \[0.001, 1\] % VAF"):
        lb.scenario("response", detection_limit_pct=5)
    with pytest.raises(ValueError, match=r"plasma_ml must be in"):
        lb.ctdna_trajectory([0, 1], [1, 1], plasma_ml=0)
    with pytest.raises(ValueError, match="days must be strictly increasing"):
        lb.ctdna_trajectory([0, 2, 1], [1, 1, 1])
    with pytest.raises(ValueError, match="tumor_cells must have one value per day"):
        lb.ctdna_trajectory([0, 1, 2], [1, 1])
    with pytest.raises(ValueError, match=r"tumor_cells must be in \[0, 1e\+14\] cells"):
        lb.ctdna_trajectory([0, 1], [1, -5])
    with pytest.raises(TypeError, match="days must be numbers"):
        lb.ctdna_trajectory(["a", "b"], [1, 1])
    with pytest.raises(ValueError, match="kind must be one of"):
        lb.scenario("cure")
    with pytest.raises(ValueError, match="seed must be an integer"):
        lb.scenario("response", seed=-1)
    with pytest.raises(ValueError, match="week must be within"):
        lb.early_ctdna_change(lb.scenario("response").ctdna, week=30)
    with pytest.raises(ValueError, match="fold_change must be in"):
        lb.molecular_response(-1)


def test_parameters_are_registered_with_sources():
    names = {p.name for p in lb.PARAMETERS}
    assert names <= set(registry())
    assert parameter("liquid_biopsy.half_life_hours").source.startswith("Lo et al. 1999")
    assert "Abbosh" in parameter("liquid_biopsy.detection_limit_pct").source
    assert "Abbosh" in parameter("liquid_biopsy.shed_rate").source
    for name in ("liquid_biopsy.background_copies_per_ml", "liquid_biopsy.plasma_ml",
                 "liquid_biopsy.baseline_cells"):
        assert not parameter(name).calibrated and "Illustrative" in parameter(name).source


def test_chart_data_match_the_chart_placeholders():
    chart = charts.ctdna_chart().to_json()
    case = lb.scenario("pseudoprogression")
    data = charts.ctdna_data(case)
    for name in data:
        assert f'"name": "{name}"' in chart
    assert data[charts.LIMIT]["vaf_pct"].iloc[0] == lb.DETECTION_LIMIT.default
    missed = data[charts.DRAWS][data[charts.DRAWS]["status"] == "not detected"]
    assert (missed["shown_pct"] == lb.DETECTION_LIMIT.default).all()
    text = charts.describe_ctdna(case)
    assert "pseudoprogression" in text and "0.1% detection limit" in text and "molecular response" in text


def test_app_updates_within_budget():
    from primer_lib.widgets.liquid_biopsy import liquid_biopsy_app
    app = liquid_biopsy_app()
    for name, control in app.controls.items():
        times = []
        for _ in range(6):
            move(control)
            assert app.status.value == "", name
            times.append(app.last_update_ms)
        assert statistics.median(times) <= 20.0, (name, times)


def test_early_ctdna_change_refuses_hostile_frames_and_flags():
    # Issue 23: an empty frame raised IndexError; measured='no' was read as True.
    from primer_lib import liquid_biopsy as lb

    frame = lb.scenario("response").ctdna
    with pytest.raises(ValueError, match="frame"):
        lb.early_ctdna_change(frame.iloc[:0])
    with pytest.raises(TypeError, match="measured"):
        lb.early_ctdna_change(frame, measured="no")
    assert lb.early_ctdna_change(frame) > 0
