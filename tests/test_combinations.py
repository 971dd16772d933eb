"""primer_lib.combinations: reference models, Loewe root, IDA, charts and apps.

The Bliss, HSA and Loewe formulas are checked against hand-computed values and
against the ``synergy`` package (D. Wooten, GPL-3; a test-time oracle only).
Its convention differs: E is viability-like (1 − inhibition) and
synergy = reference − E, which equals our excess e_AB − expected.
"""

import math
import time

import numpy as np
import pytest
from scipy.special import ndtr
from scipy.stats import multivariate_normal, norm

from primer_lib import combinations as cb
from primer_lib.charts import combinations as charts
from primer_lib.registry import model_cards, registry
from primer_lib.widgets.combinations import MONTHS, ida_app, synergy_app

DOSES = np.array([0.0, 0.1, 0.5, 1.0, 2.0, 8.0])
A_DRUG, B_DRUG = (1.0, 1.0), (2.0, 1.5)  # (EC50, Hill) of drug A and B
T = np.linspace(0.0, 36.0, 73)
S_A, S_B = cb.exponential_survival(T, 4.0), cb.exponential_survival(T, 6.0)


def _matrix(interaction=1.5):
    return cb.dose_response_matrix(*A_DRUG, *B_DRUG, interaction, DOSES, DOSES)


def _grid():
    return np.meshgrid(DOSES, DOSES, indexing="ij")


# ---------------------------------------------------------------- single-drug curves

def test_hill_values_scalar_and_array():
    assert cb.hill(1.0, 1.0, 1.0) == 0.5 and isinstance(cb.hill(1.0, 1.0, 1.0), float)
    assert cb.hill(2.0, 2.0, 3.0, emax=0.8) == pytest.approx(0.4)
    np.testing.assert_allclose(cb.hill(np.array([0.0, 1.0, 3.0, np.inf]), 1.0, 2.0),
                               [0.0, 0.5, 0.9, 1.0])
    assert cb.hill(np.ones((3, 4)), 1.0, 1.0).shape == (3, 4)


def test_hill_inverse_inverts_hill_and_is_nan_at_or_above_emax():
    doses = np.geomspace(1e-3, 1e3, 25)
    effects = cb.hill(doses, 2.0, 1.7, emax=0.9)
    np.testing.assert_allclose(cb.hill_inverse(effects, 2.0, 1.7, emax=0.9), doses, rtol=1e-9)
    assert cb.hill_inverse(0.0, 2.0, 1.7) == 0.0
    assert cb.hill_inverse(0.5, 2.0, 1.0) == pytest.approx(2.0)
    assert math.isnan(cb.hill_inverse(0.9, 2.0, 1.0, emax=0.9))
    assert np.isnan(cb.hill_inverse(np.array([0.95, 1.0]), 2.0, 1.0, emax=0.9)).all()


# ---------------------------------------------------------------- reference models by hand

def test_bliss_and_hsa_by_hand():
    # Bliss expects 0.3 + 0.5 − 0.15 = 0.65; HSA expects 0.5.
    assert cb.bliss_excess(0.3, 0.5, 0.7) == pytest.approx(0.05)
    assert cb.hsa_excess(0.3, 0.5, 0.7) == pytest.approx(0.2)
    assert isinstance(cb.bliss_excess(0.3, 0.5, 0.7), float)
    np.testing.assert_allclose(cb.bliss_excess(np.array([0.0, 0.3]), 0.5, np.array([0.5, 0.6])),
                               [0.0, -0.05])
    np.testing.assert_allclose(cb.hsa_excess([[0.2], [0.6]], [0.1, 0.4], 0.5), [[0.3, 0.1], [-0.1, -0.1]])


def test_combination_index_by_hand_and_nan_where_undefined():
    # D_A(0.5) = 1, D_B(0.5) = 2: doses (0.5, 1) are half of each, CI = 1.
    assert cb.loewe_combination_index(0.5, 1.0, 0.5, 1.0, 1.0, 2.0, 1.0) == pytest.approx(1.0)
    # At effect 0.8: D_A = 4, D_B = 8 (h = 1), so (0.5, 1) give CI = 0.25.
    assert cb.loewe_combination_index(0.5, 1.0, 0.8, 1.0, 1.0, 2.0, 1.0) == pytest.approx(0.25)
    ci = cb.loewe_combination_index(np.ones(3), np.ones(3), np.array([0.0, 0.5, 0.9]),
                                    1.0, 1.0, 1.0, 1.0, emax=0.9)
    assert np.isnan(ci[[0, 2]]).all() and ci[1] == pytest.approx(1.6)  # D = 1.25 each


def test_loewe_reference_equal_hill_closed_form():
    # With h_A = h_B = h, y = x^h/(1 + x^h), x = d_A/EC50_A + d_B/EC50_B.
    grid_a, grid_b = _grid()
    x = grid_a / 1.0 + grid_b / 3.0
    expected = 0.7 * x**2 / (1 + x**2)
    np.testing.assert_allclose(cb.loewe_reference(grid_a, grid_b, 1.0, 2.0, 3.0, 2.0, emax=0.7),
                               expected, atol=1e-14)


def test_loewe_reference_really_solves_its_equation_on_a_20x20_matrix():
    doses = np.geomspace(1e-3, 1e3, 20)
    grid_a, grid_b = np.meshgrid(doses, doses, indexing="ij")
    y = cb.loewe_reference(grid_a, grid_b, 1.0, 0.7, 5.0, 2.5, emax=0.9)
    residual = grid_a / cb.hill_inverse(y, 1.0, 0.7, 0.9) + grid_b / cb.hill_inverse(y, 5.0, 2.5, 0.9) - 1
    assert np.abs(residual).max() < 1e-9
    observed = np.full_like(y, 0.5)
    np.testing.assert_array_equal(cb.loewe_excess(grid_a, grid_b, observed, 1.0, 0.7, 5.0, 2.5, 0.9),
                                  observed - y)


def test_loewe_is_vectorised():
    # A Python loop of 64 bisections per cell would take seconds for 40,000 cells.
    doses = np.geomspace(1e-3, 1e3, 200)
    start = time.perf_counter()
    cb.loewe_excess(doses[:, None], doses[None, :], 0.5, 1.0, 0.7, 5.0, 2.5)
    assert time.perf_counter() - start < 1.0


def test_loewe_on_the_axes_and_at_zero_dose():
    # One drug alone: the reference is that drug's own effect; no drug: no effect.
    assert cb.loewe_reference(2.0, 0.0, *A_DRUG, *B_DRUG) == pytest.approx(cb.hill(2.0, *A_DRUG))
    assert cb.loewe_reference(0.0, 2.0, *A_DRUG, *B_DRUG) == pytest.approx(cb.hill(2.0, *B_DRUG))
    assert cb.loewe_reference(0.0, 0.0, *A_DRUG, *B_DRUG) == pytest.approx(0.0, abs=1e-15)
    assert isinstance(cb.loewe_excess(1.0, 1.0, 0.5, *A_DRUG, *B_DRUG), float)
    # Defined even where the CI is not (effect 0 or ≥ emax).
    assert np.isfinite(cb.loewe_excess(1.0, 1.0, np.array([0.0, 0.95]), *A_DRUG, *B_DRUG, emax=0.9)).all()


# ---------------------------------------------------------------- the teaching pair

def test_dose_response_matrix_shape_axes_and_independence():
    m = cb.dose_response_matrix(*A_DRUG, *B_DRUG, 0.0, DOSES, DOSES[:4])
    assert m.shape == (6, 4)
    np.testing.assert_allclose(m[:, 0], cb.hill(DOSES, *A_DRUG))  # dose_b = 0: A alone
    np.testing.assert_allclose(m[0, :], cb.hill(DOSES[:4], *B_DRUG))  # dose_a = 0: B alone
    grid_a, grid_b = _grid()
    independent = _matrix(0.0)
    np.testing.assert_allclose(cb.bliss_excess(cb.hill(grid_a, *A_DRUG), cb.hill(grid_b, *B_DRUG),
                                               independent), 0.0, atol=1e-15)


def test_interaction_sign_sets_synergy_or_antagonism():
    grid_a, grid_b = _grid()
    e_a, e_b = cb.hill(grid_a, *A_DRUG), cb.hill(grid_b, *B_DRUG)
    both = (grid_a > 0) & (grid_b > 0)
    assert (cb.bliss_excess(e_a, e_b, _matrix(1.5))[both] > 0).all()
    assert (cb.bliss_excess(e_a, e_b, _matrix(-0.5))[both] < 0).all()


def test_drug_pair_checks_the_registry_ranges():
    assert cb.DrugPair().matrix().shape == (11, 11)
    with pytest.raises(ValueError, match=r"interaction must be in \[-0.9, 10\]"):
        cb.DrugPair(interaction=20.0)


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [(lambda: cb.hill(-1.0, 1.0, 1.0), ValueError, r"dose must be in \[0, inf\] dose units"),
     (lambda: cb.hill(1.0, 0.0, 1.0), ValueError, r"ec50 must be in \(0, inf\) dose units"),
     (lambda: cb.hill(1.0, 1.0, -2.0), ValueError, r"hill_coefficient must be in \(0, inf\)"),
     (lambda: cb.hill(1.0, 1.0, 1.0, emax=0.0), ValueError, r"emax must be in \(0, 1\]"),
     (lambda: cb.hill(1.0, 1.0, 1.0, emax=1.5), ValueError, r"emax must be in \(0, 1\]"),
     (lambda: cb.hill("1", 1.0, 1.0), TypeError, "dose must be real numbers"),
     (lambda: cb.hill(True, 1.0, 1.0), TypeError, "dose must be real numbers"),
     (lambda: cb.hill([1, "a"], 1.0, 1.0), TypeError, "dose must be real numbers"),
     (lambda: cb.hill(1.0, "1", 1.0), TypeError, r"ec50 must be a real number in \(0, inf\)"),
     (lambda: cb.hill_inverse(1.5, 1.0, 1.0), ValueError, r"effect must be in \[0, 1\]"),
     (lambda: cb.bliss_excess(0.1, 0.2, [0.5, np.nan]), ValueError, r"effect_ab must be in \[0, 1\]"),
     (lambda: cb.hsa_excess(-0.1, 0.2, 0.5), ValueError, r"effect_a must be in \[0, 1\]"),
     (lambda: cb.loewe_excess(1.0, -1.0, 0.5, 1, 1, 1, 1), ValueError,
      r"dose_b must be in \[0, 1e\+300\] dose units"),
     (lambda: cb.loewe_combination_index(1, 1, 0.5, 1, 1, 0, 1), ValueError, r"ec50_b must be in \(0, inf\)"),
     (lambda: cb.loewe_excess(1, 1, 0.5, 1, 0, 1, 1), ValueError, r"hill_a must be in \(0, inf\)"),
     (lambda: cb.dose_response_matrix(1, 1, 1, 1, -1.0, DOSES, DOSES), ValueError,
      r"interaction must be in \[-0.9, 10\]"),
     (lambda: cb.dose_response_matrix(1, 1, 1, 1, 0.0, np.ones((2, 2)), DOSES), ValueError,
      "doses_a must be a 1-D array"),
     (lambda: cb.independent_drug_action(T, S_A, S_B, rho=1.5), ValueError, r"rho must be in \[-1, 1\]"),
     (lambda: cb.independent_drug_action(T, S_A, S_B, seed=-1), ValueError, "seed must be an integer"),
     (lambda: cb.independent_drug_action(T, 0.9 * S_A, S_B), ValueError, "survival_a must start at 1"),
     (lambda: cb.independent_drug_action(T, S_A, S_B[::-1]), ValueError, "survival_b must start at 1"),
     (lambda: cb.independent_drug_action(T, S_A, np.r_[1.0, 0.5, S_B[2:]]), ValueError,
      "survival_b must be non-increasing"),
     (lambda: cb.independent_drug_action(T, S_A, S_B[:10]), ValueError, "one value per time point"),
     (lambda: cb.independent_drug_action(T[::-1], S_A, S_B), ValueError, "strictly increasing"),
     (lambda: cb.independent_drug_action(T, S_A, S_B, rho="high"), TypeError, "rho must be a real number")],
)
def test_bad_input_names_the_parameter_and_range(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


# ---------------------------------------------------------------- oracle: the synergy package

@pytest.fixture(scope="module")
def oracle():
    synergy_combination = pytest.importorskip("synergy.combination")
    synergy_single = pytest.importorskip("synergy.single")

    def hill(drug):
        ec50, h = drug
        return synergy_single.Hill(E0=1.0, Emax=0.0, h=h, C=ec50)  # viability 1 → 0

    grid_a, grid_b = _grid()
    observed = _matrix(1.5)

    def fit(cls, **kwargs):
        m = cls(drug1_model=hill(A_DRUG), drug2_model=hill(B_DRUG), **kwargs)
        values = m.fit(grid_a.ravel(), grid_b.ravel(), 1.0 - observed.ravel())
        return np.asarray(values).reshape(grid_a.shape)

    return synergy_combination, fit, grid_a, grid_b, observed


def test_bliss_and_hsa_match_the_synergy_package(oracle):
    module, fit, grid_a, grid_b, observed = oracle
    e_a, e_b = cb.hill(grid_a, *A_DRUG), cb.hill(grid_b, *B_DRUG)
    np.testing.assert_allclose(cb.bliss_excess(e_a, e_b, observed), fit(module.Bliss), atol=1e-12)
    np.testing.assert_allclose(cb.hsa_excess(e_a, e_b, observed),
                               fit(module.HSA, stronger_orientation=np.minimum), atol=1e-12)


def test_loewe_matches_the_synergy_package(oracle):
    module, fit, grid_a, grid_b, observed = oracle
    # Its delta modes find the reference with a bounded scalar minimiser (tolerance ~1e-5).
    ours = cb.loewe_excess(grid_a, grid_b, observed, *A_DRUG, *B_DRUG)
    np.testing.assert_allclose(ours, fit(module.Loewe, mode="delta_HSA"), atol=1e-4)
    ci = cb.loewe_combination_index(grid_a, grid_b, observed, *A_DRUG, *B_DRUG)
    theirs = fit(module.Loewe, mode="CI")
    assert np.isnan(ci[0, 0]) and theirs[0, 0] == 1.0  # no drug: undefined here, 1 by its convention
    np.testing.assert_allclose(ci.ravel()[1:], theirs.ravel()[1:], rtol=1e-10)


# ---------------------------------------------------------------- independent drug action

def _copula_exact(s_a, s_b, rho):
    """S_AB = S_A + S_B − C(S_A, S_B), C the Gaussian copula (an independent check of the simulation)."""
    r = 2 * math.sin(math.pi * rho / 6)
    q = np.column_stack([norm.ppf(np.clip(s_a, 1e-12, 1 - 1e-12)), norm.ppf(np.clip(s_b, 1e-12, 1 - 1e-12))])
    both = multivariate_normal(mean=[0, 0], cov=[[1, r], [r, 1]]).cdf(q)
    return s_a + s_b - both


def test_ida_exact_cases():
    np.testing.assert_array_equal(cb.independent_drug_action(T, S_A, S_B), 1 - (1 - S_A) * (1 - S_B))
    np.testing.assert_array_equal(cb.independent_drug_action(T, S_A, S_B, 1.0), np.maximum(S_A, S_B))
    np.testing.assert_array_equal(cb.independent_drug_action(T, S_A, S_B, -1.0), np.minimum(1, S_A + S_B))


@pytest.mark.parametrize(("rho", "exact"), [(0.001, 0.0), (-0.001, 0.0), (0.999, 1.0), (-0.999, -1.0)])
def test_ida_simulation_approaches_the_exact_formulas(rho, exact):
    simulated = cb.independent_drug_action(T, S_A, S_B, rho)
    assert np.abs(simulated - cb.independent_drug_action(T, S_A, S_B, exact)).max() < 0.01


@pytest.mark.parametrize("rho", [-0.7, -0.3, 0.3, 0.7])
def test_ida_simulation_matches_the_gaussian_copula(rho):
    # Curves that reach 0 and have a plateau, to cover both ends of the inversion.
    s_a = np.clip(1 - T / 20, 0, 1)
    s_b = np.where(T < 3, 1.0, cb.exponential_survival(np.maximum(T - 3, 0), 8.0))
    simulated = cb.independent_drug_action(T, s_a, s_b, rho, seed=3)
    assert np.abs(simulated - _copula_exact(s_a, s_b, rho)).max() < 0.006


def test_ida_follows_the_recipe_patient_by_patient():
    # The documented recipe, literally: draw, map uniforms to times by inverting
    # each curve, take the longer time, read the empirical survival on t.
    rho, seed = 0.4, 11
    r = 2 * math.sin(math.pi * rho / 6)
    z = np.random.default_rng(seed).standard_normal((2, cb.PATIENTS))
    levels = ndtr(z[0]), ndtr(r * z[0] + math.sqrt(1 - r * r) * z[1])
    times = [np.where(u < s[-1], np.inf, np.interp(u, s[::-1], T[::-1]))
             for u, s in zip(levels, (S_A, S_B), strict=True)]
    longest = np.maximum(*times)
    recipe = (longest[None, :] > T[:, None]).mean(axis=1)
    np.testing.assert_allclose(cb.independent_drug_action(T, S_A, S_B, rho, seed), recipe, atol=1e-4)


def test_ida_is_deterministic_with_its_seed():
    first = cb.independent_drug_action(T, S_A, S_B, 0.5, seed=7)
    np.testing.assert_array_equal(first, cb.independent_drug_action(T, S_A, S_B, 0.5, seed=7))
    other = cb.independent_drug_action(T, S_A, S_B, 0.5, seed=8)
    assert not np.array_equal(first, other) and np.abs(first - other).max() < 0.01
    assert cb.PATIENTS >= 100_000


# ---------------------------------------------------------------- registry, card, charts

def test_parameters_are_registered_under_combinations():
    names = {p.name for p in cb.PARAMETERS}
    assert names <= set(registry()) and all(n.startswith("combinations.") for n in names)
    assert "combinations.rho" in names
    card = model_cards()["combinations"]
    text = " ".join(card.limits)
    for phrase in ("independent mechanisms", "weaker drug's maximal effect", "most lenient",
                   "without any drug interaction"):
        assert phrase in text


def test_synergy_data_shape_and_nan_note():
    pair = cb.DrugPair()
    data = charts.synergy_data(cb.TEACHING_DOSES, cb.TEACHING_DOSES, pair.matrix(), pair)
    frame = data[charts.SYNERGY]
    assert len(frame) == 3 * 121 <= 5000 and set(frame["model"]) == set(charts.MODELS)
    assert np.isfinite(frame["excess"]).all()
    assert "cells are undefined" not in charts.describe_synergy(data, pair)
    frame.loc[(frame["model"] == "Loewe") & (frame["dose_a"] > 50), "excess"] = np.nan
    assert "11 cells are undefined for at least one model (grey)" in charts.describe_synergy(data, pair)
    with pytest.raises(ValueError, match="increasing positive doses"):
        charts.synergy_data(DOSES, DOSES, _matrix(), pair)


def test_charts_compile_with_named_data():
    synergy = charts.synergy_chart().to_dict()
    assert synergy["data"] == {"name": charts.SYNERGY}
    color = synergy["spec"]["layer"][1]["encoding"]["color"]["scale"]
    assert color["domainMid"] == 0 and color["scheme"] == "blueorange"
    assert charts.ida_chart().to_dict()["data"] == {"name": charts.IDA}


def test_median_time():
    assert charts.median_time(T, S_A) == pytest.approx(4.0, abs=0.01)
    assert charts.median_time(T, np.ones_like(T)) == math.inf


# ---------------------------------------------------------------- apps

def test_ida_app_simulates_at_the_chosen_rho():
    app = ida_app(rho=0.3)
    curve = app.chart.datasets[charts.IDA]
    series = np.array(curve["series"])
    combination = np.array(curve["pfs"])[series == "A + B, independent action"]
    expected = cb.independent_drug_action(MONTHS, cb.exponential_survival(MONTHS, 4.0),
                                          cb.exponential_survival(MONTHS, 6.0), 0.3)
    np.testing.assert_allclose(combination, expected)
    assert "ρ = 0.3" in app.chart.description and "illustrative" in app.chart.description


def test_apps_reject_out_of_range_start_values():
    with pytest.raises(ValueError, match="ec50_a must be in"):
        synergy_app(ec50_a=50.0)
    with pytest.raises(ValueError, match="rho must be in"):
        ida_app(rho=2.0)
