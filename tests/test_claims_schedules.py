"""Claims lesson 02 makes about schedules on the cycle model (each quotes its sentence)."""

import numpy as np

from primer_lib.cycle import Dose, simulate_cycle
from primer_lib.schedules import irae_risk, progression_day, simulate_arm


def _at(frame, day):
    return float(np.interp(day, frame["day"], frame["tumor"]))


def test_induction_before_anti_pd1_beats_anti_pd1_alone_in_a_cold_tumor():
    # "In a cold (desert) tumor, two weeks of chemotherapy before anti-PD-1 beats anti-PD-1 alone."
    induced = simulate_arm("TONIC", "chemotherapy induction", "desert")
    alone = simulate_arm("TONIC", "no induction", "desert")
    assert _at(induced, 90) < 0.1 * _at(alone, 90)
    assert progression_day(induced) > progression_day(alone) + 60


def test_induction_alone_is_not_enough():
    # "Chemotherapy alone for two weeks barely dents the cold tumor: the benefit needs anti-PD-1 after it."
    chemo_only = simulate_cycle("desert", [Dose("chemotherapy", 1.0, 0, 14)])
    induced = simulate_arm("TONIC", "chemotherapy induction", "desert")
    assert _at(chemo_only, 90) > 10 * _at(induced, 90)


def test_the_induced_inflammation_fades_and_the_cold_tumor_returns():
    # "The inflammation fades within months; with no memory in the model, the cold tumor grows back."
    induced = simulate_arm("TONIC", "chemotherapy induction", "desert")
    untreated = simulate_cycle("desert")
    assert induced["inflammation"].iloc[-1] < 0.05 * induced["inflammation"].max()
    assert _at(induced, 365) > 0.5 * _at(untreated, 365)


def test_the_model_cannot_tell_chemotherapy_from_irradiation_induction():
    # "The model gives chemotherapy and irradiation inductions about the same benefit; TONIC did not."
    chemo = simulate_arm("TONIC", "chemotherapy induction", "desert")
    radiation = simulate_arm("TONIC", "irradiation induction", "desert")
    assert 0.5 < _at(chemo, 90) / _at(radiation, 90) < 2


def test_phased_ipilimumab_leaves_less_tumor_at_six_months_than_concurrent():
    # "Chemotherapy first, then ipilimumab (phased) leaves less tumor at six months than giving them
    #  together (concurrent), in excluded and desert tumors."
    for phenotype in ("excluded", "desert"):
        phased = simulate_arm("NCT00527735", "phased ipilimumab", phenotype)
        concurrent = simulate_arm("NCT00527735", "concurrent ipilimumab", phenotype)
        assert _at(phased, 180) < _at(concurrent, 180), phenotype


def test_two_checkpoints_are_more_toxic_than_independent_risks_predict():
    # "Anti-PD-1 plus anti-CTLA-4 is more toxic than either alone, and more than two independent risks."
    pd1 = [Dose("anti-PD-1", 1.0, 0, 365)]
    ctla4 = [Dose("anti-CTLA-4", 1.0, 0, 84)]
    both = irae_risk(pd1 + ctla4)
    independent = 1 - (1 - irae_risk(pd1)) * (1 - irae_risk(ctla4))
    assert both > max(irae_risk(pd1), irae_risk(ctla4)) and both > independent + 0.1


def test_two_checkpoints_are_synergistic_in_the_excluded_tumor_at_a_toxicity_price():
    # "Together they remove about 94% of the tumor by day 90, far more than the ~26% two independent drugs
    #  would (Bliss excess about +0.67: synergy) ... the proxy rises from 8% and 27% to 51% for the pair."
    from primer_lib.schedules import combine_on_cycle
    o = combine_on_cycle("anti-PD-1", 1.0, "anti-CTLA-4", 1.0, "excluded")
    expected = o.effects["A"] + o.effects["B"] - o.effects["A"] * o.effects["B"]
    assert round(o.effects["A + B"], 2) == 0.94 and round(expected, 2) == 0.26
    assert round(o.bliss_excess, 2) == 0.67 and o.verdict.startswith("synergy")
    assert [round(o.irae[k], 2) for k in ("A", "B", "A + B")] == [0.08, 0.27, 0.51]


def test_anti_vegf_is_synergistic_and_chemotherapy_additive_with_anti_pd1_in_the_excluded_tumor():
    # "anti-PD-1 + anti-VEGF is also synergistic ... and adds no immune-related risk in the proxy, while
    #  anti-PD-1 + chemotherapy is only additive: chemotherapy alone already removes ~98% by day 90."
    from primer_lib.schedules import combine_on_cycle
    vegf = combine_on_cycle("anti-PD-1", 1.0, "anti-VEGF", 1.0, "excluded")
    assert vegf.verdict.startswith("synergy") and vegf.irae["A + B"] == vegf.irae["A"]
    chemo = combine_on_cycle("anti-PD-1", 1.0, "chemotherapy", 1.0, "excluded")
    assert chemo.verdict.startswith("additive") and round(chemo.effects["B"], 2) == 0.98


def test_in_the_inflamed_tumor_there_is_no_room_to_tell():
    # "In the inflamed tumor anti-PD-1 alone removes more than 99%, leaving no room to tell."
    from primer_lib.schedules import combine_on_cycle
    o = combine_on_cycle("anti-PD-1", 1.0, "anti-CTLA-4", 1.0, "inflamed")
    assert o.effects["A"] > 0.99 and o.verdict.startswith("no room")


def test_exercise_solution_pairs_in_the_desert_tumor():
    # "Anti-PD-1 + anti-CTLA-4 is synergistic in the desert tumor (about +0.22) but its irAE proxy is 51%.
    #  Anti-PD-1 + IL-2 is also synergistic (about +0.09) at the irAE risk of anti-PD-1 alone (8%) ...
    #  34% of the tumor removed at best."
    from primer_lib.schedules import combine_on_cycle
    ctla4 = combine_on_cycle("anti-PD-1", 1.0, "anti-CTLA-4", 1.0, "desert")
    il2 = combine_on_cycle("anti-PD-1", 1.0, "IL-2", 1.0, "desert")
    assert round(ctla4.bliss_excess, 2) == 0.22 and round(ctla4.irae["A + B"], 2) == 0.51
    assert round(il2.bliss_excess, 2) == 0.09 and il2.verdict.startswith("synergy")
    assert round(il2.irae["A + B"], 2) == 0.08 and round(ctla4.effects["A + B"], 2) == 0.34


def test_cold_tumor_is_a_hundred_times_smaller_at_day_90_after_induction():
    # "By day 90 the tumor is about a hundred times smaller than with anti-PD-1 alone."
    induced = simulate_arm("TONIC", "chemotherapy induction", "desert")
    alone = simulate_arm("TONIC", "no induction", "desert")
    assert 50 < _at(alone, 90) / _at(induced, 90) < 200
