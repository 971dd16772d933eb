"""Claims lesson 04's text makes about the virtual cohort (each quotes its sentence)."""

import pytest

from primer_lib import biomarkers as b


@pytest.fixture(scope="module")
def cohort():
    return b.virtual_cohort(n=10_000, seed=0)


def _m(cohort, marker, cutoff):
    return {k: round(v, 3) for k, v in b.selection_metrics(cohort, marker, cutoff).items()}


def test_reveal_numbers(cohort):
    # "TPS ≥ 50% selects 14.6% of patients with a response rate of 44.6%; TPS ≥ 80% selects only 6.1%,
    #  responding at 54.8%; TPS ≥ 1% selects 68.5% at 22.0%, hardly above the 18.8% of everyone ... at ≥ 50%
    #  the test finds only about a third of all responders."
    for cutoff, eligible, ppv in ((50, 0.146, 0.446), (80, 0.061, 0.548), (1, 0.685, 0.22)):
        metrics = _m(cohort, "pdl1_tps", cutoff)
        assert (metrics["eligible_fraction"], metrics["ppv"]) == (eligible, ppv)
    assert round(cohort["responder"].mean(), 3) == 0.188
    assert 0.3 < _m(cohort, "pdl1_tps", 50)["sensitivity"] < 0.37


def test_auc_range_and_composite(cohort):
    # "the AUCs run from about 0.61 (MSI-H, a yes/no marker) to 0.70 ... the composite ... AUC is higher
    #  than any single marker's"
    single = {m: b.roc_auc(cohort, m) for m in ("pdl1_tps", "tmb", "cd8_density", "ifng_score", "msi_high")}
    assert round(min(single.values()), 2) == 0.61 and round(max(single.values()), 2) == 0.70
    assert b.roc_auc(cohort, "composite") > max(single.values())


def test_inflamed_respond_about_three_times_as_often_as_desert(cohort):
    # "response is about three times as common in inflamed tumors as in desert ones"
    rates = cohort.groupby("phenotype")["responder"].mean()
    assert 2.5 < rates["inflamed"] / rates["desert"] < 3.5


def test_exercise_solution(cohort):
    # "PD-L1 reaches a 30% response rate at a cutoff of about 12% TPS, admitting about 34% of the cohort. TMB
    #  reaches it at about 11 mut/Mb (10 gives 29.6%), admitting about 38%."
    def first_cutoff(marker, cutoffs):
        return next(t for t in cutoffs if b.selection_metrics(cohort, marker, t)["ppv"] >= 0.30)

    pdl1 = first_cutoff("pdl1_tps", range(0, 101))
    tmb = first_cutoff("tmb", [x / 2 for x in range(0, 60)])
    assert pdl1 == 12 and round(_m(cohort, "pdl1_tps", 12)["eligible_fraction"], 2) == 0.34
    assert tmb == 11.0 and round(_m(cohort, "tmb", 11)["eligible_fraction"], 2) == 0.38
    assert _m(cohort, "tmb", 10)["ppv"] == 0.296
