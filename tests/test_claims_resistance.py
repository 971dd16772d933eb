"""Claims about resistance that lesson 03 makes (each test quotes its sentence)."""

import math

import numpy as np
import pytest

from primer_lib.resistance import (
    CAUSES,
    COUNTERMEASURES,
    canonical_courses,
    classify_course,
    countermeasure_for,
    overcome,
    relapse_day,
    simulate_resistance,
)


def _verdict(frame):
    return classify_course(frame["tumor"].to_numpy())


def _eliminated_on(frame):
    gone = np.flatnonzero(frame["tumor"].to_numpy() == 0)
    return float(frame["day"].iloc[gone[0]]) if gone.size else math.nan


def test_the_reference_tumor_responds_and_stays_down():
    # "Without resistance, anti-PD-1 shrinks the tumor below 70% of baseline within days and eliminates
    #  it within about two months; it never comes back." (registry: "eliminates it within about two months")
    frame = simulate_resistance("none")
    tumor = frame["tumor"].to_numpy()
    below = int(np.argmax(tumor <= 0.7))
    assert 0 < below <= 7 and tumor[below:].max() <= 0.7
    assert 45 <= _eliminated_on(frame) <= 70 and tumor[-1] == 0
    assert _verdict(frame) == "response"


@pytest.mark.parametrize("cause", CAUSES)
def test_each_primary_cause_never_responds_and_grows(cause):
    # "A tumor without antigen, an immune desert and an excluded tumor never fall below 70% of baseline
    #  on anti-PD-1: they grow."
    frame = simulate_resistance("primary", cause=cause)
    assert frame["tumor"].min() > 0.7
    assert frame["tumor"].iloc[-1] > 2.0
    assert _verdict(frame) == "primary resistance"


def test_cold_tumors_have_few_t_cells_and_the_adaptive_tumor_has_many():
    # "The desert and the excluded tumor have a tenth of the T cells of the responsive tumor in the tumor
    #  bed; the adaptive tumor has as many, with 4 times the PD-L1, and still never responds."
    reference, adaptive = simulate_resistance("none"), simulate_resistance("adaptive")
    t_cells = reference["effector"].iloc[0]
    for cause in ("desert", "excluded"):
        assert simulate_resistance("primary", cause=cause)["effector"].iloc[0] < 0.11 * t_cells
    assert adaptive["effector"].iloc[0] == pytest.approx(t_cells)
    assert 4.0 <= adaptive["pdl1"].iloc[0] / reference["pdl1"].iloc[0] <= 4.5
    assert adaptive["tumor"].min() > 0.7


def test_a_pre_existing_clone_responds_then_relapses():
    # "With 1 in 10,000 cells that have lost B2M the tumor responds, falls to a few ten-thousandths of
    #  baseline, then relapses (progression on day 175) and ends the year larger than it started."
    frame = simulate_resistance("acquired", resistant_fraction=1e-4)
    tumor = frame["tumor"].to_numpy()
    assert tumor.min() < 1e-3 and tumor.min() <= 0.7
    assert tumor[-1] > 1.2 * tumor.min() and tumor[-1] > 1.0
    assert relapse_day(frame) == 175
    assert frame["resistant_fraction"].iloc[-1] > 0.99  # the relapse is the clone
    assert _verdict(frame) == "acquired resistance"


def test_a_larger_clone_relapses_sooner():
    # "The larger the resistant clone at the start, the sooner the relapse: each ten-fold larger clone
    #  brings it about two months (ln 10 / g ≈ 58 days) earlier."
    fractions = (1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1)
    days = [relapse_day(simulate_resistance("acquired", resistant_fraction=f)) for f in fractions]
    assert days == sorted(days, reverse=True) and len(set(days)) == len(days)
    gaps = np.diff(days[:5])
    assert np.all((-66 <= gaps) & (gaps <= -48)), days


def test_a_clone_of_half_the_tumor_looks_like_primary_resistance():
    # "A clone that is already half the tumor never lets it fall below 70%: it looks like primary resistance."
    assert _verdict(simulate_resistance("acquired", resistant_fraction=0.5)) == "primary resistance"


def test_an_emerging_clone_comes_later_and_only_sometimes():
    # "A clone founded by mutation during treatment relapses later than a pre-existing one (after about
    #  400 days against 175), and in some patients no clone arises at all."
    days = {seed: relapse_day(simulate_resistance("acquired", 730, seed, emerging=True))
            for seed in range(12)}
    relapsed = [d for d in days.values() if not math.isnan(d)]
    assert relapsed and len(relapsed) < len(days)
    assert all(380 <= d <= 450 for d in relapsed)
    assert min(relapsed) > relapse_day(simulate_resistance("acquired", 730)) + 150


def test_adaptive_resistance_with_all_switches_presents_as_primary_resistance():
    # "With the PD-L1 feedback, exhaustion and cytokines all on, adaptive resistance presents as primary
    #  resistance: the tumor never responds."
    frame = simulate_resistance("adaptive")
    assert _verdict(frame) == "primary resistance"
    assert frame["exhaustion"].iloc[-1] > 0.75 and frame["cytokines"].max() > 0.5


@pytest.mark.parametrize("exhaustion", [True, False])
@pytest.mark.parametrize("cytokines", [True, False])
def test_blocking_the_pdl1_feedback_restores_control(exhaustion, cytokines):
    # "Block the IFN-γ → PD-L1 feedback and anti-PD-1 eliminates the tumor again, even with exhaustion
    #  and suppressive cytokines left on."
    frame = simulate_resistance("adaptive", pdl1_feedback=False, exhaustion=exhaustion, cytokines=cytokines)
    assert _verdict(frame) == "response"
    assert _eliminated_on(frame) <= 75
    assert _verdict(simulate_resistance("adaptive", exhaustion=exhaustion, cytokines=cytokines)) != "response"


def test_the_feedback_alone_looks_like_acquired_resistance():
    # "With the PD-L1 feedback alone the tumor responds, then comes back: adaptive resistance can also
    #  look like acquired resistance (Sharma 2017)."
    frame = simulate_resistance("adaptive", exhaustion=False, cytokines=False)
    assert _verdict(frame) == "acquired resistance"


@pytest.mark.parametrize(("mechanism", "params"), [
    ("none", {}), ("primary", {"cause": "no-antigen"}), ("primary", {"cause": "desert"}),
    ("primary", {"cause": "excluded"}), ("acquired", {}), ("adaptive", {})])
def test_classify_course_reads_each_mechanism_as_the_lesson_says(mechanism, params):
    # "Read as scans: the reference tumor responds, the primary causes and the adaptive tumor show primary
    #  resistance, the clone shows acquired resistance."
    expected = {"none": "response", "primary": "primary resistance", "acquired": "acquired resistance",
                "adaptive": "primary resistance"}[mechanism]
    assert _verdict(simulate_resistance(mechanism, **params)) == expected


@pytest.mark.parametrize("seed", range(10))
def test_classify_course_labels_each_canonical_case(seed):
    # "Each patient's scans, noise and all, carry the label of their course."
    cases = canonical_courses(seed)
    labels = {name: case.label for name, case in cases.items()}
    assert labels == {"Patient A": "acquired resistance", "Patient B": "primary resistance",
                      "Patient C": "response", "Patient D": "primary resistance", "Patient E": "response",
                      "Patient F": "acquired resistance"}
    for case in cases.values():
        assert classify_course(case.burden) == case.label


# ---------------------------------------------------------------------------------------------------
# What overcomes each mechanism in the model


def test_chemotherapy_induction_turns_the_desert_hot():
    # "Two weeks of chemotherapy at the start turn the desert into a responder: anti-PD-1 then
    #  eliminates it (by about day 62)."
    runs = overcome("primary", "chemotherapy induction", cause="desert")
    assert _verdict(runs["anti-PD-1"]) == "primary resistance"
    assert _verdict(runs["anti-PD-1 + chemotherapy induction"]) == "response"
    assert _eliminated_on(runs["anti-PD-1 + chemotherapy induction"]) <= 70
    assert countermeasure_for("primary", "desert") == "chemotherapy induction"


def test_opening_the_excluded_tumor_needs_anti_vegf_and_an_induction():
    # "Anti-VEGF lets T cells into the excluded tumor and it responds, but it grows back; with two weeks of
    #  chemotherapy at the start as well, it is eliminated."
    alone = simulate_resistance("primary", cause="excluded", countermeasure="anti-VEGF")
    assert alone["tumor"].min() < 1e-3 and _verdict(alone) == "acquired resistance"
    both = simulate_resistance("primary", cause="excluded", countermeasure="anti-VEGF + induction")
    assert _verdict(both) == "response" and _eliminated_on(both) <= 60
    assert countermeasure_for("primary", "excluded") == "anti-VEGF + induction"


def test_nothing_that_works_through_t_cells_rescues_a_tumor_without_antigen():
    # "No countermeasure that works through T cells helps a tumor without antigen; chemotherapy shrinks
    #  it only while it is given."
    for strategy in COUNTERMEASURES:
        frame = simulate_resistance("primary", cause="no-antigen", countermeasure=strategy)
        assert frame["tumor"].iloc[-1] > 4.0, strategy
        if strategy != "chemotherapy":
            assert frame["tumor"].min() > 0.7, strategy
    assert countermeasure_for("primary", "no-antigen") is None


def test_chemotherapy_delays_the_relapse_of_the_invisible_clone():
    # "Six cycles of chemotherapy, every 3 weeks, kill tumor cells whether or not T cells can see them":
    #  the clone's relapse comes later (lesson 03's Solution: day 175 -> day 283) but within the year.
    runs = overcome("acquired", "chemotherapy", days=730)
    alone, added = runs["anti-PD-1"], runs["anti-PD-1 + chemotherapy"]
    assert 90 <= relapse_day(added) - relapse_day(alone) <= 130 and relapse_day(added) < 365
    assert added["resistant"].min() < alone["resistant"].iloc[0]  # the clone is held back while it acts


def test_a_jak_inhibitor_cuts_the_feedback_and_restores_control():
    # "A JAK inhibitor stops the tumor's IFN-γ signalling, so no PD-L1 is induced: anti-PD-1 eliminates
    #  the adaptive tumor."
    runs = overcome("adaptive", "JAK inhibitor")
    added = runs["anti-PD-1 + JAK inhibitor"]
    assert _verdict(runs["anti-PD-1"]) == "primary resistance"
    assert _verdict(added) == "response" and _eliminated_on(added) <= 75
    assert added["pdl1"].max() == pytest.approx(0.2)  # constitutive PD-L1 only


def test_lag3_or_tgfb_blockade_alone_does_not_rescue_while_the_feedback_runs():
    # "Reversing exhaustion (anti-LAG-3) or neutralising TGF-β each lowers the burden a little, but while
    #  the PD-L1 feedback runs the tumor still never responds."
    untreated_end = simulate_resistance("adaptive")["tumor"].iloc[-1]
    for strategy in ("anti-LAG-3", "anti-TGF-β"):
        frame = simulate_resistance("adaptive", countermeasure=strategy)
        assert _verdict(frame) == "primary resistance", strategy
        assert frame["tumor"].iloc[-1] < 0.95 * untreated_end, strategy
