"""Claims lesson 06B (the capstone) makes about the trial for a cold tumor (each quotes its sentence)."""

import functools

from primer_lib import capstone as cap

SEEDS = (0, 1, 2)
PD1, INDUCTION = cap.DEFAULT_ARMS


@functools.cache
def trial(selection: str = "all", seed: int = 0) -> cap.TrialResult:
    return cap.run_trial(selection, seed=seed)


def rate(result: cap.TrialResult, arm: str, column: str = "response_rate_irecist") -> float:
    return float(result.summary.set_index("arm").loc[arm, column])


def test_biomarker_selection_raises_the_response_rate():
    # "Enrolling only patients whose composite of TMB and IFN-γ is high raises the response rate to
    #  anti-PD-1 from about one in ten in all comers to about a third; TMB ≥ 10 raises it too."
    for seed in SEEDS:
        everyone, composite, tmb = trial("all", seed), trial("composite", seed), trial("tmb>=10", seed)
        for arm in (PD1, INDUCTION):
            assert rate(composite, arm) > rate(everyone, arm) + 0.1, (seed, arm)
            assert rate(tmb, arm) > rate(everyone, arm), (seed, arm)
    assert 0.05 < rate(trial("all"), PD1) < 0.2
    assert 0.25 < rate(trial("composite"), PD1) < 0.5


def test_induction_beats_anti_pd1_alone_in_the_cold_cohort():
    # "In the cold cohort two weeks of chemotherapy before anti-PD-1 more than triples the response rate
    #  (about 38% against 10%) and keeps patients free of progression for longer on average, although
    #  the medians tie: more than half of each arm progresses by the first scan."
    for seed in SEEDS:
        result = trial("all", seed)
        assert rate(result, INDUCTION) > 2 * rate(result, PD1), seed
        assert rate(result, INDUCTION, "mean_pfs_days") > rate(result, PD1, "mean_pfs_days") + 30, seed
    default = trial()
    assert rate(default, INDUCTION) > 3 * rate(default, PD1)
    assert rate(default, PD1, "median_pfs_days") == rate(default, INDUCTION, "median_pfs_days") == 42.0


def test_recist_would_have_stopped_patients_who_went_on_to_respond():
    # "In each arm RECIST 1.1 calls progression in a few patients who then respond under iRECIST:
    #  a trial that stopped treatment at the first PD would have taken them off a drug that worked."
    for seed in SEEDS:
        summary = trial("all", seed).summary
        assert (summary["stopped_by_recist"] > 0).all(), seed
        assert (summary["response_rate_irecist"] >= summary["response_rate_recist"]).all(), seed
    patients = trial().patients
    stopped = patients[patients["stopped_by_recist_while_responding"]]
    assert stopped["recist_scans"].str.contains("PD").all()
    assert stopped["irecist_scans"].str.contains("iPR|iCR").all()


def test_pdl1_selection_barely_moves_the_mechanistic_rate():
    # "Selecting PD-L1 ≥ 50% lifts lesson 04's statistical response rate to about 45%, but in the cycle
    #  model it hardly helps: constitutive PD-L1 is one more brake, and anti-PD-1 releases only 90% of it."
    result = trial("pdl1>=50")
    assert result.lesson04_selection_rate > 0.4
    assert rate(result, PD1) < result.lesson04_selection_rate - 0.2
    assert rate(result, PD1) < rate(trial("composite"), PD1)


def test_anti_ctla4_adds_irae_risk():
    # "Adding anti-CTLA-4 to anti-PD-1 raises the risk of a severe immune-related adverse event from
    #  about one in six to more than half (the irAE proxy of lesson 02)."
    patients, doses = cap.design_preview(arms=("anti-PD-1", "anti-PD-1 + anti-CTLA-4"))
    risks = doses.groupby("arm")["irae_risk"].first()
    assert 0.14 < risks["anti-PD-1"] < 0.18 and risks["anti-PD-1 + anti-CTLA-4"] > 0.5
