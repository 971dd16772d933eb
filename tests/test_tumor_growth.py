"""primer_lib.tumor_growth: the closed form solves the ODE; inputs are checked."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from primer_lib.tumor_growth import (
    TumorGrowthParams,
    effector_threshold_millions,
    simulate_growth,
    tumor_cells,
)


@pytest.mark.parametrize("effectors", [0.0, 1.0, 1.6348773841961852, 2.0, 5.0])
def test_closed_form_matches_numerical_integration(effectors):
    params = TumorGrowthParams(effector_millions=effectors)
    a, n, b = params.growth_rate_per_day, params.kill_rate_per_cell_day, 1 / params.carrying_capacity_cells
    e = effectors * 1e6

    def rhs(_t, y):
        return a * y * (1 - b * y) - n * e * y

    days = np.linspace(0, 120, 25)
    numeric = solve_ivp(rhs, (0, 120), [1e6], t_eval=days, rtol=1e-10, atol=1e-12).y[0]
    np.testing.assert_allclose(tumor_cells(days, 1e6, params), numeric, rtol=1e-6, atol=1e-3)


def test_long_horizons_do_not_overflow():
    params = TumorGrowthParams(growth_rate_per_day=0.5, effector_millions=0.0)
    frame = simulate_growth(params, days=3650)
    assert np.isfinite(frame["tumor_cells"]).all()
    assert frame["tumor_cells"].iloc[-1] == pytest.approx(params.carrying_capacity_cells)


def test_simulate_growth_frame_shape():
    frame = simulate_growth(points=11, days=10)
    assert list(frame.columns) == ["day", "tumor_cells", "tumor_cells_no_immunity"]
    assert len(frame) == 11 and frame["day"].iloc[-1] == 10
    assert frame["tumor_cells"].iloc[0] == 1e6


def test_threshold_is_growth_over_kill():
    params = TumorGrowthParams()
    assert effector_threshold_millions(params) == pytest.approx(0.18 / 1.101e-7 / 1e6)


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"growth_rate_per_day": -0.1}, ValueError, r"growth_rate_per_day must be in \[0.01, 0.5\] 1/day"),
        ({"effector_millions": 9}, ValueError, r"effector_millions must be in \[0, 5\] 10\^6 cells"),
        ({"growth_rate_per_day": "fast"}, TypeError, "growth_rate_per_day must be a real number"),
    ],
)
def test_bad_parameters_are_rejected(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        TumorGrowthParams(**kwargs)


def test_bad_simulation_arguments_are_rejected():
    with pytest.raises(ValueError, match=r"days must be in \[1, 3650\] days"):
        simulate_growth(days=0)
    with pytest.raises(ValueError, match=r"points must be an integer in \[2, 2000\]"):
        simulate_growth(points=1)
    with pytest.raises(ValueError, match=r"initial_cells must be in"):
        simulate_growth(initial_cells=0)
    with pytest.raises(TypeError, match="params must be TumorGrowthParams"):
        simulate_growth(params={"a": 1})
    with pytest.raises(TypeError, match="params must be TumorGrowthParams"):
        effector_threshold_millions(0.18)


def test_effector_threshold_is_infinite_when_effectors_do_not_kill():
    # Kill rate 0 is inside the registry's range: no number of effectors balances growth.
    no_kill = TumorGrowthParams(kill_rate_per_cell_day=0.0)
    assert math.isinf(effector_threshold_millions(no_kill))
    assert 0 < effector_threshold_millions(TumorGrowthParams()) < math.inf


def test_description_says_when_no_number_of_effectors_balances_growth():
    from primer_lib.charts.tumor_growth import describe_growth

    no_kill = TumorGrowthParams(kill_rate_per_cell_day=0.0)
    text = describe_growth(simulate_growth(no_kill), no_kill)
    assert "No number of effector cells balances growth" in text and "inf" not in text
