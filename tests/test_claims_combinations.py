"""Claims that the drug-combination model card (and the lesson built on it) makes, as tests.

Each test quotes the sentence it checks. If the model changes so that a
sentence is no longer true, this fails and the text must be revised.
"""

import numpy as np
import pytest

from primer_lib import combinations as cb

DOSES = np.concatenate([[0.0], cb.TEACHING_DOSES])
GRID_A, GRID_B = np.meshgrid(DOSES, DOSES, indexing="ij")
BOTH = (GRID_A > 0) & (GRID_B > 0)
T = np.linspace(0.0, 36.0, 73)
S_A, S_B = cb.exponential_survival(T, 4.0), cb.exponential_survival(T, 6.0)
#: Drug pairs across the sliders' ranges: (EC50_A, h_A, EC50_B, h_B).
PAIRS = [(1.0, 1.0, 2.0, 1.5), (0.1, 0.5, 10.0, 4.0), (5.0, 3.0, 0.3, 0.8)]


def _excesses(pair, interaction):
    ec50_a, h_a, ec50_b, h_b = pair
    observed = cb.dose_response_matrix(ec50_a, h_a, ec50_b, h_b, interaction, DOSES, DOSES)
    e_a, e_b = cb.hill(GRID_A, ec50_a, h_a), cb.hill(GRID_B, ec50_b, h_b)
    return (cb.bliss_excess(e_a, e_b, observed), cb.hsa_excess(e_a, e_b, observed),
            cb.loewe_excess(GRID_A, GRID_B, observed, ec50_a, h_a, ec50_b, h_b))


@pytest.mark.parametrize("pair", PAIRS)
def test_independent_drugs_have_zero_bliss_excess(pair):
    # "When two drugs act independently, Bliss calls them neither synergistic nor
    #  antagonistic: the Bliss excess is zero at every dose."
    bliss, _, _ = _excesses(pair, interaction=0.0)
    np.testing.assert_allclose(bliss, 0.0, atol=1e-15)


@pytest.mark.parametrize("pair", PAIRS)
def test_the_synergistic_pair_has_positive_bliss_excess(pair):
    # "In the lesson's synergistic pair drug B makes drug A more potent, and the Bliss
    #  excess is positive wherever both drugs are given."
    bliss, _, _ = _excesses(pair, interaction=cb.INTERACTION.default)
    assert cb.INTERACTION.default > 0
    assert (bliss[BOTH] > 0).all()
    np.testing.assert_allclose(bliss[~BOTH], 0.0, atol=1e-15)  # one drug alone is its own reference


@pytest.mark.parametrize("interaction", [-0.9, 0.0, 2.0, 10.0])
@pytest.mark.parametrize("pair", PAIRS)
def test_hsa_is_the_most_lenient_reference(pair, interaction):
    # "HSA is the most lenient: its excess is never below Bliss's or Loewe's, so it
    #  finds the most 'synergy'."
    bliss, hsa, loewe = _excesses(pair, interaction)
    assert (hsa >= bliss - 1e-15).all() and (hsa >= loewe - 1e-12).all()
    # Also for any effects in [0, 1], not only this pair's.
    e_a, e_b, e_ab = np.random.default_rng(0).random((3, 10_000))
    assert (cb.hsa_excess(e_a, e_b, e_ab) >= cb.bliss_excess(e_a, e_b, e_ab)).all()


def test_the_same_matrix_can_be_synergy_for_one_model_and_not_another():
    # "The same dose matrix can be synergy under one model and additive or antagonistic
    #  under another."
    bliss, hsa, loewe = _excesses(PAIRS[0], interaction=cb.INTERACTION.default)
    assert ((hsa > 0.02) & (np.abs(bliss) <= 0.02)).any()
    independent_bliss, _, independent_loewe = _excesses(PAIRS[0], interaction=0.0)
    assert (independent_loewe > 0.02).any() and (np.abs(independent_bliss) < 1e-12).all()


def test_bliss_misjudges_a_drug_combined_with_itself():
    # "a drug combined with itself (Loewe-additive by definition) looks antagonistic to
    #  Bliss when its Hill coefficient is 1, and synergistic at low doses when its curve
    #  is steeper (h > 1)."
    doses = np.geomspace(0.01, 100, 9)
    a, b = np.meshgrid(doses, doses, indexing="ij")
    for h in (1.0, 2.0):
        sham = cb.hill(a + b, 1.0, h)
        assert np.abs(cb.loewe_excess(a, b, sham, 1.0, h, 1.0, h)).max() < 1e-12
        bliss = cb.bliss_excess(cb.hill(a, 1.0, h), cb.hill(b, 1.0, h), sham)
        if h == 1.0:
            assert (bliss < 0).all()
        else:
            low = (a <= 0.3) & (b <= 0.3)
            assert (bliss[low] > 0).all()


def test_perfectly_correlated_responses_give_only_the_better_drug():
    # "If patients respond to the two drugs in the same order (ρ = 1), the combination
    #  is no better than the better drug alone."
    np.testing.assert_array_equal(cb.independent_drug_action(T, S_A, S_B, rho=1.0), np.maximum(S_A, S_B))
    nearly = cb.independent_drug_action(T, S_A, S_B, rho=0.99)
    assert np.abs(nearly - np.maximum(S_A, S_B)).max() < 0.02


def test_uncorrelated_responses_beat_both_monotherapies():
    # "With uncorrelated responses (ρ = 0) the combination beats both drugs alone,
    #  with no drug interaction at all."
    combination = cb.independent_drug_action(T, S_A, S_B, rho=0.0)
    assert (combination[1:] > np.maximum(S_A, S_B)[1:]).all()
    assert combination[0] == 1.0


def test_less_correlation_means_more_benefit():
    # "The less the responses are correlated, the more the combination gains: lowering ρ
    #  raises the combination's curve."
    rhos = np.round(np.arange(1.0, -1.01, -0.1), 1)  # the slider's values, high to low
    curves = [cb.independent_drug_action(T, S_A, S_B, rho) for rho in rhos]
    for higher_rho, lower_rho in zip(curves, curves[1:], strict=False):
        assert (lower_rho >= higher_rho - 0.003).all()  # simulation noise
        assert lower_rho.mean() > higher_rho.mean()
    medians = [np.interp(0.5, c[::-1], T[::-1]) for c in curves]
    assert all(a < b for a, b in zip(medians, medians[1:], strict=False))


def test_lesson_02_synergy_map_reveal():
    # "The HSA map is positive wherever both drugs do something (up to about +0.2) ... Loewe ... calls the
    #  same independent pair mildly synergistic in some corners and slightly antagonistic in others. Raise
    #  the interaction and all three maps shift towards synergy."
    import numpy as np

    from primer_lib import combinations as c
    d = c.TEACHING_DOSES
    grid_a, grid_b = np.meshgrid(d, d, indexing="ij")
    e_a, e_b = c.hill(grid_a, 1.0, 1.0), c.hill(grid_b, 2.0, 1.5)

    def excess(alpha):
        e_ab = c.dose_response_matrix(1.0, 1.0, 2.0, 1.5, alpha, d, d)
        return (c.bliss_excess(e_a, e_b, e_ab), c.hsa_excess(e_a, e_b, e_ab),
                c.loewe_excess(grid_a, grid_b, e_ab, 1.0, 1.0, 2.0, 1.5))

    bliss, hsa, loewe = excess(0.0)
    assert np.abs(bliss).max() < 1e-12 and (hsa >= 0).all() and round(hsa.max(), 1) == 0.2
    assert np.nanmax(loewe) > 0.02 and np.nanmin(loewe) < -0.005
    for before, after in zip((bliss, hsa, loewe), excess(2.0), strict=True):
        assert np.nanmean(after) > np.nanmean(before)
