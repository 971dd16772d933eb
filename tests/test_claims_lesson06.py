"""Claims lesson 06's text makes about the ctDNA model (each quotes its sentence)."""

from primer_lib import liquid_biopsy as lb


def test_pseudoprogression_ctdna_is_a_third_at_week_6_while_recist_says_pd():
    # "By week 6 ctDNA is about a third of its baseline (a molecular response) while RECIST 1.1 calls
    #  progression. In the progression case ctDNA rises."
    case = lb.scenario("pseudoprogression", seed=0)
    fold = lb.early_ctdna_change(case.ctdna)
    assert 0.28 < fold < 0.4 and lb.molecular_response(fold) == "molecular response"
    assert case.imaging.set_index("week").loc[6.0, "recist"] == "PD"
    assert lb.early_ctdna_change(lb.scenario("progression", seed=0).ctdna) > 1


def test_tenfold_lower_limit_detects_a_tenfold_smaller_tumor_with_few_copies():
    # "at 0.01% (tumor-informed assays) a ten times smaller tumor is detectable, but a 4 mL sample then holds
    #  less than one mutant copy on average"
    panel, informed = lb.smallest_detectable_cells(0.1), lb.smallest_detectable_cells(0.01)
    assert 9 < panel / informed < 11
    copies = lb.steady_state_copies(informed) * lb.PLASMA_VOLUME.default
    assert copies < 1


def test_about_ten_billion_cells_are_needed_at_0_1_percent():
    # self-check: "About 10 billion cells, a tumor of roughly 10 cm³"
    assert round(lb.smallest_detectable_cells(0.1) / 1e9) == 10


def test_capstone_reveal_numbers():
    # "anti-PD-1 alone gives responses (iRECIST) in about 10% of patients, the induction arm in about 38% ...
    #  the median PFS is the same (day 42, the first scan) ... the mean PFS ... (137 against 69 days) ... The
    #  irAE risk is about the same (16%) ... In the two arms 8 and 12 patients had RECIST 1.1 progression and
    #  responded ... select patients with TMB ≥ 10: the anti-PD-1 arm's response rate rises to 25%."
    from primer_lib import capstone

    summary = capstone.run_trial(seed=0).summary.set_index("arm")
    mono, induced = summary.loc["anti-PD-1"], summary.loc["induction + anti-PD-1"]
    assert round(mono["response_rate_irecist"], 2) == 0.10
    assert round(induced["response_rate_irecist"], 2) == 0.38
    assert mono["median_pfs_days"] == induced["median_pfs_days"] == 42.0
    assert round(induced["mean_pfs_days"]) == 137 and round(mono["mean_pfs_days"]) == 69
    assert round(mono["irae_risk"], 2) == 0.16 and round(induced["irae_risk"], 2) == 0.16
    assert (int(mono["stopped_by_recist"]), int(induced["stopped_by_recist"])) == (8, 12)
    selected = capstone.run_trial(selection="tmb>=10", seed=0).summary.set_index("arm")
    assert round(selected.loc["anti-PD-1", "response_rate_irecist"], 2) == 0.25


def test_capstone_exercise_solution():
    # "induction + anti-PD-1 responds more often (about 68% against 59% under iRECIST) and keeps patients
    #  progression-free longer on average (about 210 against 191 days), at a much lower severe-irAE risk
    #  (about 16% against 55%)"
    from primer_lib import capstone

    arms = ("anti-PD-1 + anti-CTLA-4", "induction + anti-PD-1")
    summary = capstone.run_trial(selection="tmb>=10", arms=arms, seed=0).summary.set_index("arm")
    two, induced = summary.loc["anti-PD-1 + anti-CTLA-4"], summary.loc["induction + anti-PD-1"]
    rates = (round(induced["response_rate_irecist"], 2), round(two["response_rate_irecist"], 2))
    assert rates == (0.68, 0.59)
    assert (round(induced["mean_pfs_days"]), round(two["mean_pfs_days"])) == (210, 191)
    assert (round(induced["irae_risk"], 2), round(two["irae_risk"], 2)) == (0.16, 0.55)
