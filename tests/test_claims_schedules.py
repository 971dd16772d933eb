"""Claims lesson 02 makes about schedules on the cycle model (each quotes its sentence)."""

import numpy as np

from primer_lib import schedules
from primer_lib.cycle import Dose, simulate_cycle
from primer_lib.schedules import TRIAL_ARMS, irae_risk, progression_day, simulate_arm


def _at(frame, day):
    return float(np.interp(day, frame["day"], frame["tumor"]))


def test_induction_before_anti_pd1_beats_anti_pd1_alone_in_a_cold_tumor():
    # "In a cold (desert) tumor, two weeks of chemotherapy before anti-PD-1 beats anti-PD-1 alone."
    induced = simulate_arm("TONIC", "chemotherapy induction", "desert")
    alone = simulate_arm("TONIC", "no induction", "desert")
    assert _at(induced, 90) < 0.1 * _at(alone, 90)
    assert progression_day(induced) > progression_day(alone) + 60


def test_induction_alone_is_not_enough():
    # "Two doses of chemotherapy alone barely dent it: the benefit needs the checkpoint inhibitor afterwards."
    chemo_only = simulate_cycle("desert", [TRIAL_ARMS["TONIC"]["chemotherapy induction"][0]])
    induced = simulate_arm("TONIC", "chemotherapy induction", "desert")
    assert _at(chemo_only, 90) > 10 * _at(induced, 90)


def test_the_induced_inflammation_fades_and_the_cold_tumor_returns():
    # "The inflammation fades within months, and the few memory T cells this short response leaves cannot
    #  hold the cold tumor: it grows back."
    induced = simulate_arm("TONIC", "chemotherapy induction", "desert")
    untreated = simulate_cycle("desert")
    assert induced["inflammation"].iloc[-1] < 0.05 * induced["inflammation"].max()
    assert _at(induced, 365) > 0.5 * _at(untreated, 365)
    assert induced["memory"].max() < 0.1 * induced["effector"].max()


def test_the_model_gives_chemotherapy_induction_far_more_benefit_than_irradiation():
    # "The model also gives the chemotherapy induction far more benefit than the irradiation one, but for its
    #  own reason: ... two weekly chemotherapy doses act for days, ... three radiation fractions for a day."
    chemo = simulate_arm("TONIC", "chemotherapy induction", "desert")
    radiation = simulate_arm("TONIC", "irradiation induction", "desert")
    assert _at(chemo, 90) < 0.1 * _at(radiation, 90)
    arms = TRIAL_ARMS["TONIC"]
    chemo_course, radiation_course = arms["chemotherapy induction"][0], arms["irradiation induction"][0]
    assert len(chemo_course.administration_days) == 2 and len(radiation_course.administration_days) == 3
    assert chemo_course.regimen.half_life_days > radiation_course.regimen.half_life_days


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
    # "Together they remove about 93% of the tumor by day 90, far more than the ~27% two independent drugs
    #  would (Bliss excess about +0.66: synergy) ... the proxy rises from 8% and 26% to 50% for the pair."
    from primer_lib.schedules import combine_on_cycle
    o = combine_on_cycle("anti-PD-1", 1.0, "anti-CTLA-4", 1.0, "excluded")
    expected = o.effects["A"] + o.effects["B"] - o.effects["A"] * o.effects["B"]
    assert round(o.effects["A + B"], 2) == 0.93 and round(expected, 2) == 0.27
    assert round(o.bliss_excess, 2) == 0.66 and o.verdict.startswith("synergy")
    assert [round(o.irae[k], 2) for k in ("A", "B", "A + B")] == [0.08, 0.26, 0.5]


def test_anti_vegf_and_chemotherapy_are_synergistic_with_anti_pd1_in_the_excluded_tumor():
    # "anti-PD-1 + anti-VEGF is also synergistic ... and adds no immune-related risk in the proxy, while
    #  anti-PD-1 + chemotherapy is synergistic as well: six 3-weekly cycles of chemotherapy alone remove
    #  about 58% by day 90, the pair more than 99.9% ..., though the tumor grows back once the six cycles
    #  end."
    from primer_lib.schedules import combine_on_cycle
    vegf = combine_on_cycle("anti-PD-1", 1.0, "anti-VEGF", 1.0, "excluded")
    assert vegf.verdict.startswith("synergy") and vegf.irae["A + B"] == vegf.irae["A"]
    chemo = combine_on_cycle("anti-PD-1", 1.0, "chemotherapy", 1.0, "excluded")
    assert chemo.verdict.startswith("synergy") and round(chemo.effects["B"], 2) == 0.58
    together = chemo.frames["A + B"].set_index("day")["tumor"]
    assert chemo.effects["A + B"] > 0.999 and together[180.0] > 10 * together.loc[90.0:].min()


def test_in_the_inflamed_tumor_there_is_no_room_to_tell():
    # "In the inflamed tumor anti-PD-1 alone removes more than 99%, leaving no room to tell."
    from primer_lib.schedules import combine_on_cycle
    o = combine_on_cycle("anti-PD-1", 1.0, "anti-CTLA-4", 1.0, "inflamed")
    assert o.effects["A"] > 0.99 and o.verdict.startswith("no room")


def test_exercise_solution_pairs_in_the_desert_tumor():
    # "Anti-PD-1 + anti-CTLA-4 is synergistic in the desert tumor (Bliss excess about +0.22) but its irAE
    #  proxy is 50% ... anti-PD-1 + radiation (about +0.32) and anti-PD-1 + chemotherapy (about +0.45; more
    #  than 99.9% removed by day 90), at the irAE risk of anti-PD-1 alone (8%) ... Anti-PD-1 +
    #  IL-2 or + a vaccine are only additive here ... the two-checkpoint pair removes only 35%."
    from primer_lib.schedules import combine_on_cycle
    pair = {t: combine_on_cycle("anti-PD-1", 1.0, t, 1.0, "desert")
            for t in ("anti-CTLA-4", "radiation", "chemotherapy", "IL-2", "vaccine")}
    ctla4 = pair["anti-CTLA-4"]
    assert round(ctla4.bliss_excess, 2) == 0.22 and round(ctla4.irae["A + B"], 2) == 0.5
    assert round(pair["radiation"].bliss_excess, 2) == 0.32
    assert round(pair["chemotherapy"].bliss_excess, 2) == 0.45
    assert pair["chemotherapy"].effects["A + B"] > 0.999
    for t in ("radiation", "chemotherapy"):
        assert pair[t].verdict.startswith("synergy") and round(pair[t].irae["A + B"], 2) == 0.08
    assert all(pair[t].verdict.startswith("additive") for t in ("IL-2", "vaccine"))
    assert round(pair["anti-CTLA-4"].effects["A + B"], 2) == 0.35


def test_cold_tumor_is_a_hundred_times_smaller_at_day_90_after_induction():
    # "By day 90 the tumor is about a hundred times smaller than with anti-PD-1 alone."
    induced = simulate_arm("TONIC", "chemotherapy induction", "desert")
    alone = simulate_arm("TONIC", "no induction", "desert")
    assert 50 < _at(alone, 90) / _at(induced, 90) < 200


def test_independent_drug_action_against_checkmate_067():
    # Lesson 02 self-check: exponential curves with medians 6.9 and 2.9 months give the combination a median
    #  of about 8.5 months under independent drug action; "The trial observed 11.5 months".
    from primer_lib.combinations import ida_median
    assert round(ida_median(6.9, 2.9), 1) == 8.5
    # The instructor guide's usual slips: "6.9, the better drug alone; 9.8, the medians added"
    assert round(6.9 + 2.9, 1) == 9.8 and ida_median(6.9, 2.9) > 6.9
    results = {r.measure: r.value for r in schedules.TRIAL_RESULTS if r.trial == "CheckMate 067"}
    assert results["median progression-free survival"] == "11.5 / 6.9 / 2.9 months"
    # "CheckMate 067's 16.3% (nivolumab) and 27.3% (ipilimumab) would give 1 − 0.837 × 0.727 ≈ 39% for the
    #  pair; 55.0% was observed."
    assert results["grade 3–4 treatment-related adverse events"] == "55.0% / 16.3% / 27.3%"
    assert round(1 - (1 - 0.163) * (1 - 0.273), 2) == 0.39


def test_the_irae_proxy_is_8_percent_over_180_days_and_the_trials_16_percent_over_a_year():
    # "rises from 8% (anti-PD-1) [...] over the 180 days shown. (CheckMate 067 reported 16.3% for
    #  nivolumab: over its whole follow-up; the proxy reaches that after a year of dosing.)"
    assert round(schedules.irae_risk(["anti-PD-1"], 180), 2) == 0.08
    assert round(schedules.irae_risk(["anti-PD-1"], 365), 3) == 0.163


def test_the_phased_schedule_wins_at_six_months_only():
    # "in excluded and desert tumors chemotherapy first, then ipilimumab, leaves less tumor at six months than
    #  giving them together, but at three months and at a year the concurrent schedule leaves less"
    for phenotype in ("excluded", "desert"):
        phased = simulate_arm("NCT00527735", "phased ipilimumab", phenotype, days=365)["tumor"]
        concurrent = simulate_arm("NCT00527735", "concurrent ipilimumab", phenotype, days=365)["tumor"]
        assert phased.iloc[180] < concurrent.iloc[180], phenotype
        assert phased.iloc[90] > concurrent.iloc[90] and phased.iloc[365] > concurrent.iloc[365], phenotype
