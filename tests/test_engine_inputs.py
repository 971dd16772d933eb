"""The cycle engine's whole public surface under hostile, extreme and random in-range input.

Hostile values get a ValueError or TypeError that names the parameter (never an
AttributeError, KeyError, IndexError, ZeroDivisionError or a silent NaN); random
settings inside every range give finite, non-negative states (hypothesis).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from primer_lib import cycle, outcomes
from primer_lib.cycle import Course, Dose
from tests.hostile import ANY_VALUE, PROPERTIES, hostile_defects, value_defect

RATES = cycle.phenotype_rates("excluded")
DOSES = cycle.as_doses(["anti-PD-1"])
STATE = cycle.untreated_steady_state(RATES)
DRIVE = cycle.therapy_drive(RATES, DOSES, 0.0)
DAYS = np.arange(0.0, 100.0)
TUMOR = 1e8 * np.exp(-DAYS / 30.0)

#: One valid call of every public function and class of the engine (cycle and outcomes).
VALID_CALLS = {
    cycle.phenotype_rates: dict(phenotype="inflamed"),
    cycle.Dose: dict(therapy="anti-PD-1", intensity=1.0, start_day=0.0, end_day=10.0),
    cycle.Course: dict(therapy="anti-PD-1", intensity=1.0, start_day=0.0, doses=3, interval_days=21.0,
                       last_day=50.0),
    cycle.as_doses: dict(therapies=["anti-PD-1"]),
    cycle.therapy_totals: dict(doses=DOSES, day=1.0),
    cycle.therapy_drive: dict(rates=RATES, doses=DOSES, day=1.0),
    cycle.drive_from_totals: dict(rates=RATES, total=cycle.therapy_totals(DOSES, 1.0)),
    cycle.derivatives: dict(values=list(STATE), rates=RATES, drive=DRIVE),
    cycle.rhs: dict(day=1.0, state=STATE, rates=RATES, drive=DRIVE),
    cycle.RateTable: dict(rates=[RATES, RATES]),
    cycle.switch_days: dict(doses=DOSES, days=100.0),
    cycle.solve: dict(rates=RATES, doses=DOSES, initial=STATE, grid=np.linspace(0.0, 30.0, 31)),
    cycle.untreated_steady_state: dict(rates=RATES),
    cycle.step_fluxes: dict(state=STATE[:, None], rates=RATES, drive=DRIVE),
    cycle.pdl1_level: dict(effector=1e6, rates=RATES),
    cycle.simulate_cycle: dict(phenotype="inflamed", therapies=["anti-PD-1"], days=30, points=31),
    cycle.step_efficiency: dict(phenotype="inflamed", therapies=["anti-PD-1"]),
    cycle.course_until: dict(therapy="anti-PD-1", stop_day=60.0, intensity=1.0),
    cycle.settle_days: dict(therapy="anti-PD-1"),
    cycle.FadingDrive: dict(rates=RATES, doses=DOSES, start=0.0, end=21.0),
    cycle.piece_drive: dict(rates=RATES, doses=DOSES, start=0.0, end=21.0),
    cycle.step_leverage: dict(phenotype="inflamed", therapies=["anti-PD-1"], horizon_days=120.0,
                              window_days=30.0),
    cycle.most_leverage: dict(leverage={i: 0.1 * i for i in range(1, 8)}),
    cycle.bottleneck: dict(phenotype="inflamed"),
    outcomes.best_change: dict(days=DAYS, tumor=TUMOR, horizon_days=90.0),
    outcomes.log_mean_burden: dict(days=DAYS, tumor=TUMOR, horizon_days=90.0, window_days=30.0),
    outcomes.nadir: dict(days=DAYS, tumor=TUMOR, horizon_days=90.0),
    outcomes.oscillates: dict(days=DAYS, tumor=TUMOR, horizon_days=90.0),
    outcomes.summarize_course: dict(days=DAYS, tumor=TUMOR, horizon_days=90.0, window_days=30.0),
    outcomes.verdict: dict(days=DAYS, tumor=TUMOR, horizon_days=90.0, window_days=30.0),
}
#: (function, parameter, value) that are valid on purpose: an empty course list is "untreated",
#: None takes the standard course or the whole run, a continuous dose may run for ever.
MEANT = {(f, key, repr(v)) for f, keys, values in [
    (cycle.as_doses, ("therapies",), ([],)),
    (cycle.simulate_cycle, ("therapies",), ([],)),
    (cycle.step_efficiency, ("therapies",), ([],)),
    (cycle.step_leverage, ("therapies",), ([],)),
    (cycle.therapy_totals, ("doses",), ([],)),
    (cycle.therapy_drive, ("doses",), ([],)),
    (cycle.switch_days, ("doses",), ([],)),
    (cycle.solve, ("doses",), ([],)),
    (cycle.FadingDrive, ("doses",), ([],)),
    (cycle.piece_drive, ("doses",), ([],)),
    (cycle.simulate_cycle, ("points",), (None,)),
    (cycle.Course, ("doses", "interval_days", "last_day"), (None,)),
    (cycle.Dose, ("end_day",), (math.inf, 1e300)),
    (cycle.FadingDrive, ("end",), (math.inf, 1e300)),
    (cycle.piece_drive, ("end",), (math.inf, 1e300)),
    (cycle.pdl1_level, ("effector",), (1e300, [])),
    (outcomes.best_change, ("horizon_days",), (None,)),
    (outcomes.nadir, ("horizon_days",), (None,)),
    (outcomes.oscillates, ("horizon_days",), (None,)),
] for key in keys for v in values}


def test_every_public_name_of_the_engine_has_a_valid_call():
    public = [getattr(m, n) for m in (cycle, outcomes) for n in m.__all__]
    functions = {obj for obj in public if callable(obj) and getattr(obj, "__module__", "").startswith(
        ("primer_lib.cycle", "primer_lib.outcomes"))}
    # Records and laws made by the engine itself, not by a learner's call.
    internal = {cycle.Step, cycle.Therapy, cycle.RateLaw, cycle.Drive, cycle.Core, cycle.Extension,
                cycle.Solution, cycle.Regimen, cycle.CycleRates, outcomes.Outcome}
    assert functions - internal <= set(VALID_CALLS), sorted(f.__name__ for f in functions - internal
                                                            - set(VALID_CALLS))


@pytest.mark.parametrize("function", list(VALID_CALLS), ids=lambda f: f.__name__)
def test_hostile_values_get_an_error_naming_the_parameter(function):
    kwargs = VALID_CALLS[function]
    function(**kwargs)  # the valid call works
    wrong = hostile_defects(function, kwargs, {(key, value) for f, key, value in MEANT if f is function})
    assert not wrong, "\n".join(wrong)


# --- Random settings inside every range -----------------------------------------------------------------

THERAPY_IDS = tuple(cycle.THERAPIES)
SLIDER_RATES = [p for p in cycle.PARAMETERS if p.name.startswith("cycle.step")]

courses = st.builds(Course, therapy=st.sampled_from(THERAPY_IDS),
                    intensity=st.floats(0.0, 3.0), start_day=st.floats(0.0, 120.0),
                    doses=st.none() | st.integers(1, 40), interval_days=st.none() | st.floats(1.0, 60.0),
                    last_day=st.none() | st.floats(120.0, 400.0))
doses = st.builds(lambda t, i, a, b: Dose(t, i, a, a + b), st.sampled_from(THERAPY_IDS), st.floats(0.0, 3.0),
                  st.floats(0.0, 200.0), st.floats(1.0, 200.0))
rate_settings = st.fixed_dictionaries(
    {}, optional={p.key: st.floats(p.minimum, p.maximum) for p in SLIDER_RATES})


@settings(PROPERTIES, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(phenotype=st.sampled_from(tuple(cycle.PHENOTYPES)),
       treatments=st.lists(courses | doses | st.sampled_from(THERAPY_IDS), max_size=3),
       days=st.floats(1.0, 400.0), rates=rate_settings)
def test_any_setting_in_range_gives_finite_non_negative_states(phenotype, treatments, days, rates):
    frame = cycle.simulate_cycle(phenotype, treatments, days=days, points=41, **rates)
    values = frame.drop(columns="day").to_numpy()
    assert np.isfinite(values).all() and (values >= 0).all()
    assert (frame["tumor"] <= 1.0 / cycle.phenotype_rates(phenotype, **rates).capacity_inverse * 1.001).all()
    summary = outcomes.summarize_course(frame["day"], frame["tumor"], frame["day"].iloc[-1],
                                        window_days=min(30.0, days))
    assert summary.verdict in outcomes.VERDICTS


@settings(PROPERTIES, max_examples=40)
@given(course=courses, day=st.floats(0.0, 800.0))
def test_a_course_effect_is_between_zero_and_its_peak(course, day):
    weight = course.weight(day)
    assert 0.0 <= weight <= (3.0 if course.regimen.peak_days is not None else 1.0) + 1e-12
    assert np.isclose(course.weights(np.array([day]))[0], weight)


@settings(PROPERTIES, max_examples=40)
@given(baseline=st.floats(1.0, 1e12), tumor=st.lists(st.floats(0.0, 1e12), min_size=1, max_size=60),
       horizon=st.floats(1.0, 100.0))
def test_outcome_summaries_are_finite_for_any_course(baseline, tumor, horizon):
    tumor = [baseline, *tumor]  # a course starts from a tumor
    days = np.arange(len(tumor), dtype=float) * 2.0
    horizon = min(horizon, days[-1])
    summary = outcomes.summarize_course(days, tumor, horizon, window_days=horizon)
    assert summary.verdict in outcomes.VERDICTS
    assert math.isfinite(summary.nadir) and summary.nadir >= 0


#: Parameters whose valid values can cost seconds (a ten-year run); the hostile table tries them.
COSTLY = {"days", "points", "grid"}
COSTLY_LEVERAGE = {"horizon_days", "window_days"}  # step_leverage runs eight courses that long


@pytest.mark.parametrize("function", list(VALID_CALLS), ids=lambda f: f.__name__)
def test_any_value_is_refused_by_name_or_gives_a_finite_answer(function):
    costly = COSTLY | (COSTLY_LEVERAGE if function is cycle.step_leverage else set())
    keys = [k for k in VALID_CALLS[function] if k not in costly]

    @settings(PROPERTIES, max_examples=25)
    @given(key=st.sampled_from(keys), value=ANY_VALUE)
    def check(key, value):
        defect = value_defect(function, VALID_CALLS[function], key, value)
        assert not defect, defect

    check()
