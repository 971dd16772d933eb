"""Claims that lesson 00's text makes about the tumor-growth model, as tests.

Each test quotes the sentence it checks. If the model changes so that a
sentence is no longer true, this fails and the lesson text must be revised.
"""

import pytest

from primer_lib.tumor_growth import TumorGrowthParams, effector_threshold_millions, simulate_growth


def _final_over_initial(**kwargs) -> float:
    frame = simulate_growth(TumorGrowthParams(**kwargs))
    return frame["tumor_cells"].iloc[-1] / frame["tumor_cells"].iloc[0]


def test_one_million_effectors_the_tumor_grows():
    # "with 1 million effector cells, the tumor in the chart below grows"
    assert _final_over_initial(effector_millions=1.0) > 1


def test_two_million_effectors_the_tumor_shrinks():
    # "At 2 million effector cells ... the tumor shrinks. Killing (nE ≈ 0.22 per day) now outpaces growth"
    assert _final_over_initial(effector_millions=2.0) < 1
    params = TumorGrowthParams(effector_millions=2.0)
    assert params.kill_rate_per_cell_day * 2e6 == pytest.approx(0.22, abs=0.005)


def test_switch_at_about_1_63_million():
    # "The switch happens at about 1.63 million cells ... below it the tumor grows, above it shrinks"
    threshold = effector_threshold_millions(TumorGrowthParams())
    assert round(threshold, 2) == 1.63
    assert _final_over_initial(effector_millions=threshold - 0.05) > 1
    assert _final_over_initial(effector_millions=threshold + 0.05) < 1


def test_faster_tumor_needs_more_effectors_twice_as_many_when_a_doubles():
    # "a faster tumor needs more effector cells"; self-check: "Twice as many"
    slow = effector_threshold_millions(TumorGrowthParams(growth_rate_per_day=0.15))
    fast = effector_threshold_millions(TumorGrowthParams(growth_rate_per_day=0.30))
    assert fast == pytest.approx(2 * slow)


def test_exercise_solution_2_72_million_at_a_0_30():
    # "gives 2.72 million cells (0.30 / 1.101e-7)"
    assert round(effector_threshold_millions(TumorGrowthParams(growth_rate_per_day=0.30)), 2) == 2.72


def test_five_million_holds_any_tumor_slower_than_0_55_per_day():
    # "With 5 million effector cells ... holds any tumor with a < 0.55 per day in check"
    assert TumorGrowthParams().kill_rate_per_cell_day * 5e6 == pytest.approx(0.55, abs=0.005)
    for a in (0.01, 0.25, 0.5):
        assert _final_over_initial(growth_rate_per_day=a, effector_millions=5.0) < 1


def test_without_immune_cells_the_tumor_fills_the_site():
    # description: "Without immune cells (dashed line) it would reach 500 million cells"
    frame = simulate_growth()
    assert frame["tumor_cells_no_immunity"].iloc[-1] == pytest.approx(5e8, rel=0.01)
