"""Claims lesson 03's text makes about the resistance model (each quotes its sentence)."""


from primer_lib import resistance as r


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
    # "with all three on, the tumor never responds (primary); with the PD-L1 feedback alone it responds and
    #  then comes back (acquired); with the PD-L1 feedback off, anti-PD-1 eliminates it."
    assert _label("adaptive") == "primary resistance"
    assert _label("adaptive", exhaustion=False, cytokines=False) == "acquired resistance"
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
