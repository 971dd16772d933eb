"""Claims lesson 03's text makes about the resistance model (each quotes its sentence)."""

import itertools
import math

import pytest

from primer_lib import resistance as r
from primer_lib.widgets.resistance import countermeasure_question, diagnosis_question


def _label(mechanism, **params):
    return r.classify_course(r.simulate_resistance(mechanism, **params)["tumor"].to_numpy())


def test_relapse_days_by_clone_size():
    # "about 58 days earlier for every tenfold larger starting clone (relapse on day 290 for 1 in a million,
    #  day 175 for 1 in 10,000, day 66 for 1 in 100)"
    days = {f: r.relapse_day(r.simulate_resistance("acquired", resistant_fraction=f))
            for f in (1e-6, 1e-4, 1e-2)}
    assert days == {1e-6: 290.0, 1e-4: 175.0, 1e-2: 66.0}
    assert abs((days[1e-6] - days[1e-2]) / 4 - 58) < 3


def test_a_large_clone_looks_like_primary_resistance():
    # "A large enough clone never lets the tumor respond at all: it looks like primary resistance."
    assert _label("acquired", resistant_fraction=0.5) == "primary resistance"


def test_adaptive_presentations():
    # "with all three on, the tumor never responds (primary); with the PD-L1 feedback off, anti-PD-1
    #  eliminates it."
    assert _label("adaptive") == "primary resistance"
    assert _label("adaptive", exhaustion=False, cytokines=False) == "acquired resistance"
    # "responds, regrows to about a fifth of baseline (enough to read as progression [...]), swings, and is
    #  cleared near the end of the year"
    alone = r.simulate_resistance("adaptive", exhaustion=False, cytokines=False)
    tumor = alone["tumor"].to_numpy()
    low = int(tumor[:150].argmin())
    assert 0.15 <= tumor[low:300].max() <= 0.25 and 340 <= alone["day"][alone["tumor"] == 0].iloc[0] <= 365
    for exhaustion in (True, False):
        for cytokines in (True, False):
            frame = r.simulate_resistance("adaptive", pdl1_feedback=False, exhaustion=exhaustion,
                                          cytokines=cytokines)
            assert frame["tumor"].iloc[-1] == 0.0


def test_exercise_solution():
    # "the desert and excluded tumors are eliminated ..., and the adaptive tumor too ... The acquired-
    #  resistance tumor still relapses, but later: ... from about day 175 to about day 283, still within
    #  the first year"
    for cause in ("desert", "excluded"):
        strategy = r.countermeasure_for("primary", cause)
        assert r.overcome("primary", strategy, cause=cause)[f"anti-PD-1 + {strategy}"]["tumor"].iloc[-1] == 0
    assert r.overcome("adaptive", "JAK inhibitor")["anti-PD-1 + JAK inhibitor"]["tumor"].iloc[-1] == 0
    runs = r.overcome("acquired", "chemotherapy", days=540)
    assert [r.relapse_day(f) for f in runs.values()] == [175.0, 283.0]
    # "A tumor with no antigen has no countermeasure in this model"
    assert r.countermeasure_for("primary", "no-antigen") is None


def test_exhaustion_and_cytokines_only_act_with_the_pdl1_feedback_on():
    # "Turn it off and anti-PD-1 eliminates the tumor whatever the other two switches say; keep it on and turn
    #  the other two off, and the tumor responds and then comes back [...] In this model exhaustion and the
    #  cytokines only matter with the PD-L1 feedback on" (every combination of the three switches).
    def course(**switches):
        frame = r.simulate_resistance("adaptive", **switches)
        return r.classify_course(frame["tumor"].to_numpy()[::42]), frame["tumor"].iloc[-1]
    for exhaustion, cytokines in itertools.product((True, False), repeat=2):
        label, last = course(pdl1_feedback=False, exhaustion=exhaustion, cytokines=cytokines)
        assert label == "response" and last == 0.0, (exhaustion, cytokines)
    assert course(pdl1_feedback=True, exhaustion=False, cytokines=False)[0] == "acquired resistance"
    assert course(pdl1_feedback=True, exhaustion=True, cytokines=True)[0] == "primary resistance"


def test_a_clone_that_arises_during_treatment_does_not_relapse_within_a_year():
    # "at the mutation rates it allows, that clone does not bring the tumor back within the first year"
    limit = r.PARAMETERS[[p.key for p in r.PARAMETERS].index("mutation_rate")].maximum
    for rate in (5e-9, 1e-7, limit):
        frame = r.simulate_resistance("acquired", emerging=True, mutation_rate=rate)
        assert math.isnan(r.relapse_day(frame)), rate


def test_in_the_model_only_the_jak_inhibitor_rescues_patient_d():
    # How to fight back: "blocking the PD-L1 feedback (a JAK inhibitor) restores control; anti-LAG-3 or
    #  anti-TGF-β alone do not"
    for strategy, expected in (("JAK inhibitor", "response"), ("anti-LAG-3", "primary resistance"),
                               ("anti-TGF-β", "primary resistance")):
        frame = r.overcome("adaptive", strategy)[f"anti-PD-1 + {strategy}"]
        assert r.classify_course(frame["tumor"].to_numpy()[::42]) == expected, strategy
    assert countermeasure_question().check("JAK inhibitor")[0]


@pytest.mark.parametrize("case", ["Patient A", "Patient B", "Patient C", "Patient E", "Patient F"])
def test_each_diagnosis_question_answers_with_the_models_label(case):
    label = r.canonical_courses(0)[case].label
    question = diagnosis_question(case)
    assert question.check(label)[0] and not any(question.check(o)[0] for o in r.LABELS if o != label)
