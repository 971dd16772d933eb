"""Claims lesson 04 makes about biomarkers and patient selection (each quotes its sentence)."""

import numpy as np
import pytest
from scipy.stats import spearmanr

from primer_lib.biomarkers import LU_2019_AUC, roc_auc, selection_metrics, virtual_cohort

#: Seeds checked besides the default (0): the calibration must not depend on a lucky draw.
OTHER_SEEDS = (1, 2, 3, 7, 42, 2024)
SINGLE_MARKERS = ("pdl1_tps", "tmb", "cd8_density", "ifng_score")


@pytest.fixture(scope="module")
def cohorts():
    return {seed: virtual_cohort(10_000, seed) for seed in (0, *OTHER_SEEDS)}


def _rate(cohort, rows) -> float:
    return float(cohort.loc[rows, "responder"].mean())


def test_raising_the_pdl1_cutoff_raises_ppv_and_shrinks_eligibility(cohorts):
    # "Raise the PD-L1 cutoff and more of the selected patients respond, but fewer patients are eligible."
    cohort = cohorts[0]
    steps = [selection_metrics(cohort, "pdl1_tps", cut) for cut in (1, 10, 50)]
    assert [m["ppv"] for m in steps] == sorted(m["ppv"] for m in steps)
    assert [m["eligible_fraction"] for m in steps] == sorted((m["eligible_fraction"] for m in steps),
                                                             reverse=True)
    assert steps[-1]["ppv"] > 2 * cohort["responder"].mean() and steps[-1]["eligible_fraction"] < 0.2


@pytest.mark.parametrize("seed", (0, *OTHER_SEEDS))
def test_the_cohort_reproduces_the_trials_response_rates(cohorts, seed):
    # "In this cohort, as in KEYNOTE-024, about 45% of patients with PD-L1 TPS ≥ 50% respond; 29% with
    #  TMB ≥ 10 mut/Mb (KEYNOTE-158); about 40% of MSI-high patients (FDA pooled analysis); and about one
    #  patient in five overall."
    cohort = cohorts[seed]
    assert _rate(cohort, cohort["pdl1_tps"] >= 50) == pytest.approx(0.448, abs=0.05)
    assert _rate(cohort, cohort["tmb"] >= 10) == pytest.approx(0.29, abs=0.05)
    assert _rate(cohort, cohort["msi_high"]) == pytest.approx(0.396, abs=0.05)
    assert 0.15 <= cohort["responder"].mean() <= 0.25


@pytest.mark.parametrize("seed", (0, *OTHER_SEEDS))
def test_single_marker_aucs_are_near_the_meta_analysis(cohorts, seed):
    # "Each marker alone is a modest test: AUC about 0.65 for PD-L1 and 0.69 for TMB (Lu 2019)."
    cohort = cohorts[seed]
    for marker in ("pdl1_tps", "tmb"):
        assert roc_auc(cohort, marker) == pytest.approx(LU_2019_AUC[marker], abs=0.05), marker


@pytest.mark.parametrize("seed", (0, *OTHER_SEEDS))
def test_the_composite_beats_every_single_marker(cohorts, seed):
    # "Combining TMB with the IFN-γ score (after Cristescu 2018) gives a higher AUC than any marker alone."
    cohort = cohorts[seed]
    composite = roc_auc(cohort, "composite")
    assert all(composite > roc_auc(cohort, marker) for marker in SINGLE_MARKERS)


def test_pdl1_and_tmb_are_nearly_uncorrelated(cohorts):
    # "PD-L1 and TMB are nearly independent (Yarchoan 2019): knowing one tells you little about the other."
    for cohort in cohorts.values():
        assert abs(spearmanr(cohort["pdl1_tps"], cohort["tmb"]).statistic) < 0.2


def test_high_in_both_respond_most_low_in_both_rarely(cohorts):
    # "Patients high in both TMB and the IFN-γ score respond most often; low in both, rarely
    #  (Cristescu 2018)."
    cohort = cohorts[0]
    tmb_high = cohort["tmb"] >= 10
    ifng_high = cohort["ifng_score"] >= cohort["ifng_score"].median()
    both, neither = _rate(cohort, tmb_high & ifng_high), _rate(cohort, ~tmb_high & ~ifng_high)
    one = [_rate(cohort, tmb_high & ~ifng_high), _rate(cohort, ~tmb_high & ifng_high)]
    assert both > max(one) and neither < min(one) and both > 3 * neither


def test_inflamed_tumors_respond_most_deserts_least(cohorts):
    # "Inflamed tumors respond most often, deserts least."
    rates = cohorts[0].groupby("phenotype")["responder"].mean()
    assert rates["inflamed"] > rates["excluded"] > rates["desert"]


def test_no_cutoff_is_both_sensitive_and_specific(cohorts):
    # "No PD-L1 cutoff catches most responders while leaving out most non-responders."
    cohort = cohorts[0]
    for cut in np.arange(0, 101, 5):
        m = selection_metrics(cohort, "pdl1_tps", float(cut))
        assert not (m["sensitivity"] > 0.7 and m["specificity"] > 0.7), cut
