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
