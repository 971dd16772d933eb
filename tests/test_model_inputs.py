"""Every public function and class of the lesson models under hostile, extreme and random input.

One valid call per public name (``VALID_CALLS``); each parameter in turn gets every
hostile value of :data:`tests.hostile.HOSTILE` and must be refused with a ValueError
or TypeError naming it, unless the value is valid on purpose (``MEANT``). The
engine's own surface (cycle, outcomes) is covered in ``test_engine_inputs.py``;
both feed the summary line of hostile calls printed at the end of a run.
"""

from __future__ import annotations

import dataclasses
import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from primer_lib import (
    biomarkers,
    capstone,
    combinations,
    cycle,
    kuznetsov,
    liquid_biopsy,
    resistance,
    response,
    schedules,
    tumor_growth,
)
from primer_lib.response import Assessment
from tests.hostile import ANY_VALUE, HOSTILE, PROPERTIES, hostile_defects, value_defect

MODULES = (biomarkers, capstone, combinations, kuznetsov, liquid_biopsy, resistance, response, schedules,
           tumor_growth)
COHORT = biomarkers.virtual_cohort(n=400, seed=1)
RATES = cycle.phenotype_rates("excluded")
PD1 = cycle.as_doses(["anti-PD-1"])
KP = kuznetsov.KuznetsovParams()
EQUILIBRIUM = kuznetsov.equilibria(KP)[0]
SCANS = [Assessment(0, 60), Assessment(6, 50), Assessment(12, 40)]
CASE = liquid_biopsy.scenario("response")
RUN = resistance.mechanism_setup("acquired")
DIAGNOSIS = resistance.canonical_courses()["Patient A"]
ARM_FRAME = schedules.simulate_arm("TONIC", "no induction", days=120, points=61)
UNTREATED = cycle.simulate_cycle("desert", (), days=120, points=61)
PAIR = schedules.combine_on_cycle("anti-PD-1", 1.0, "chemotherapy", 1.0, "excluded", day=30.0, days=60.0)
GROWTH = tumor_growth.TumorGrowthParams()
MONTHS = np.linspace(0, 10, 11)
KM_T, KM_S = capstone.kaplan_meier([10.0, 20.0, 30.0], [True, False, True])
MODEL = biomarkers.ResponseModel(6.0, -1.5, 0.35, 3.0, 0.37)
TRIAL = capstone.run_trial(arms=("anti-PD-1", "chemotherapy"), n_patients=40, days=84.0)
HILL_PAIR = dict(ec50_a=1.0, hill_a=1.0, ec50_b=2.0, hill_b=1.5)
LOEWE = dict(dose_a=1.0, dose_b=1.0, **HILL_PAIR, emax=1.0)
LIQUID = dict(shed_rate=9.3, half_life_hours=0.27)

#: One valid call of every public function and class of the lesson models.
VALID_CALLS = {
    biomarkers.ResponseModel: dict(recognition_tmb=6.0, intercept=-1.5, immune=0.35, pdl1=3.0, msi=0.37),
    biomarkers.Marker: dict(column="tmb", label="TMB", unit="mut/Mb", cutoff=None),
    biomarkers.tps_from_latent: dict(latent=np.array([0.1, -1.0, 2.0])),
    biomarkers.virtual_cohort: dict(n=200, seed=0, response_model=MODEL),
    biomarkers.check_cutoff: dict(marker="tmb", threshold=10.0),
    biomarkers.selection_metrics: dict(cohort=COHORT, marker="tmb", threshold=10.0),
    biomarkers.roc_curve: dict(cohort=COHORT, marker="tmb"),
    biomarkers.roc_auc: dict(cohort=COHORT, marker="tmb"),
    biomarkers.MarkerSummary: dict(marker="tmb", responders=np.array([1.0, 2.0]), others=np.array([0.5]),
                                   fpr=np.array([0.0, 1.0]), tpr=np.array([0.0, 1.0]),
                                   thresholds=np.array([2.0, 0.5]), auc=0.7),
    biomarkers.summarize_marker: dict(cohort=COHORT, marker="tmb"),
    biomarkers.expected_targets: dict(response_model=MODEL, n=2000, seed=1),
    biomarkers.fit_response_model: dict(n=2000, seed=1),
    capstone.Selection: dict(id="tmb>=10", label="TMB ≥ 10", marker="tmb", cutoff=10.0),
    capstone.Arm: dict(id="x", doses=PD1, note="n"),
    capstone.screened_population: dict(seed=0),
    capstone.eligible_count: dict(selection="all", seed=0),
    capstone.enrol: dict(selection="all", arms=("anti-PD-1", "chemotherapy"), n_patients=40, seed=0),
    capstone.patient_rates: dict(patients=capstone.enrol(n_patients=40).head(3), seed=0),
    capstone.Courses: dict(days=np.array([0.0, 1.0]), states=np.zeros((2, 8, 1))),
    capstone.simulate_patients: dict(rates=[RATES], therapies=["anti-PD-1"], days=28.0, clone_fractions=None,
                                     clone_growth=0.04),
    capstone.scan_days: dict(days=84.0, interval_weeks=6.0),
    capstone.target_sums: dict(tumor=np.array([[1e8, 1e7]]), effector=np.array([[1e5, 1e5]]),
                               rng=np.random.default_rng(0)),
    capstone.new_lesions: dict(tumor=np.array([[1e8, 1e9]])),
    capstone.assessments: dict(weeks=[0, 6], sums=[60.0, 50.0], lesions=[0, 0]),
    capstone.irecist_progression_index: dict(categories=["iSD", "iUPD", "iCPD"]),
    capstone.kaplan_meier: dict(times=[10.0, 20.0, 30.0], events=[True, False, True]),
    capstone.restricted_mean: dict(t=KM_T, s=KM_S),
    capstone.median_survival: dict(t=KM_T, s=KM_S),
    capstone.run_trial: dict(selection="all", arms=("anti-PD-1", "chemotherapy"), n_patients=40, seed=0,
                             days=84.0, scan_interval_weeks=6.0),
    capstone.TrialResult: {f.name: getattr(TRIAL, f.name) for f in dataclasses.fields(TRIAL)},
    capstone.lesson04_rate: dict(selection="tmb>=10", seed=0),
    capstone.design_preview: dict(selection="all", arms=("anti-PD-1", "chemotherapy"), n_patients=40, seed=0),
    combinations.DrugPair: dict(**HILL_PAIR, interaction=2.0),
    combinations.hill: dict(dose=1.0, ec50=1.0, hill_coefficient=1.0, emax=1.0),
    combinations.hill_inverse: dict(effect=0.5, ec50=1.0, hill_coefficient=1.0, emax=1.0),
    combinations.bliss_excess: dict(effect_a=0.3, effect_b=0.4, effect_ab=0.6),
    combinations.hsa_excess: dict(effect_a=0.3, effect_b=0.4, effect_ab=0.6),
    combinations.loewe_combination_index: dict(**LOEWE, effect_ab=0.6),
    combinations.loewe_reference: dict(**LOEWE),
    combinations.loewe_excess: dict(**LOEWE, effect_ab=0.6),
    combinations.dose_response_matrix: dict(**HILL_PAIR, interaction=2.0, doses_a=[0.0, 1.0],
                                            doses_b=[0.0, 2.0]),
    combinations.exponential_survival: dict(t=MONTHS, median=5.0),
    combinations.ida_median: dict(median_a=6.9, median_b=2.9),
    combinations.independent_drug_action: dict(t=MONTHS, survival_a=np.exp2(-MONTHS / 5),
                                               survival_b=np.exp2(-MONTHS / 3), rho=0.0, seed=0),
    kuznetsov.KuznetsovParams: dict(sigma=0.1181, rho=1.131, eta=20.19, mu=0.00311, delta=0.3743, alpha=1.636,
                                    beta=0.002),
    kuznetsov.Equilibrium: dict(x=0.0, y=1.0, stable=True, kind="stable node"),
    kuznetsov.FinalState: dict(outcome="dormant", equilibrium=EQUILIBRIUM),
    kuznetsov.rhs: dict(tau=0.0, state=np.array([1.0, 10.0]), params=KP),
    kuznetsov.jacobian: dict(tau=0.0, state=np.array([1.0, 10.0]), params=KP),
    kuznetsov.simulate: dict(x0=1.0, y0=10.0, tau_end=10.0, params=KP, points=11),
    kuznetsov.equilibria: dict(params=KP),
    kuznetsov.nullclines: dict(params=KP, y_max=500.0, points=20),
    kuznetsov.final_state: dict(x0=1.0, y0=10.0, params=KP),
    kuznetsov.state_name: dict(state=EQUILIBRIUM, params=KP),
    kuznetsov.escape_threshold: dict(x0=1.0, params=KP, rtol=1e-3),
    kuznetsov.separatrix: dict(params=KP, y_max=500.0, points=20),
    kuznetsov.separatrix_threshold: dict(x0=1.0, params=KP),
    kuznetsov.equilibria_table: dict(params=KP),
    liquid_biopsy.calibrated_shed_rate: dict(half_life_hours=0.27, background_copies_per_ml=1500.0),
    liquid_biopsy.steady_state_copies: dict(tumor_cells=1e9, **LIQUID),
    liquid_biopsy.steady_state_vaf: dict(tumor_cells=1e9, **LIQUID, background_copies_per_ml=1500.0),
    liquid_biopsy.smallest_detectable_cells: dict(detection_limit_pct=0.1, **LIQUID,
                                                  background_copies_per_ml=1500.0),
    liquid_biopsy.detection_probability: dict(tumor_cells=1e9, detection_limit_pct=0.1, **LIQUID,
                                              plasma_ml=4.0, background_copies_per_ml=1500.0),
    liquid_biopsy.ctdna_copies: dict(days=MONTHS, tumor_cells=np.full(11, 1e9), **LIQUID,
                                     initial_copies_per_ml=None),
    liquid_biopsy.ctdna_trajectory: dict(days=MONTHS, tumor_cells=np.full(11, 1e9), **LIQUID,
                                         detection_limit_pct=0.1, plasma_ml=4.0,
                                         background_copies_per_ml=1500.0, seed=0, initial_copies_per_ml=None),
    liquid_biopsy.early_ctdna_change: dict(frame=CASE.ctdna, week=6.0, measured=False),
    liquid_biopsy.molecular_response: dict(fold_change=0.3),
    liquid_biopsy.Scenario: dict(kind="response", scans=CASE.scans, tumor=CASE.tumor, ctdna=CASE.ctdna,
                                 detection_limit_pct=0.1, plasma_ml=4.0),
    liquid_biopsy.scenario: dict(kind="response", seed=0, **LIQUID, detection_limit_pct=0.1, plasma_ml=4.0,
                                 background_copies_per_ml=1500.0, baseline_cells=1e11),
    resistance.Countermeasure: dict(id="x", counters="acquired", action="a", doses=(), lag3=False, tgfb=False,
                                    jak=False),
    resistance.CloneTerms: dict(clone_growth=0.04),
    resistance.ResistanceTerms: dict(clone_growth=0.04, mutation_rate=0.0, exhaustion_rate=0.0),
    resistance.ResistanceRun: dict(rates=RUN.rates, terms=RUN.terms, doses=RUN.doses, resistant_fraction=1e-3,
                                   emerging=False),
    resistance.mechanism_setup: dict(mechanism="acquired"),
    resistance.initial_state: dict(run=RUN),
    resistance.simulate_resistance: dict(mechanism="acquired", days=60, seed=0),
    resistance.course_events: dict(burden=[1.0, 0.5, 0.2, 0.4, 1.0]),
    resistance.classify_course: dict(burden=[1.0, 0.5, 0.2, 0.4, 1.0]),
    resistance.relapse_day: dict(frame=resistance.simulate_resistance("acquired", days=120)),
    resistance.countermeasure_for: dict(mechanism="acquired", cause="desert"),
    resistance.overcome: dict(mechanism="acquired", strategy="chemotherapy", days=60, seed=0),
    resistance.Case: dict(days=DIAGNOSIS.days, burden=DIAGNOSIS.burden, label=DIAGNOSIS.label,
                          mechanism=DIAGNOSIS.mechanism, settings=DIAGNOSIS.settings),
    resistance.canonical_courses: dict(seed=0),
    response.Assessment: dict(week=0.0, target_sum_mm=60.0, nontarget="non-CR/non-PD", new_lesion_sum_mm=0.0,
                              new_lesion_count=0),
    response.classify_recist: dict(assessments=SCANS),
    response.explain_recist: dict(assessments=SCANS),
    response.classify_irecist: dict(assessments=SCANS),
    response.explain_irecist: dict(assessments=SCANS),
    response.best_overall_response: dict(categories=["SD", "PR"]),
    response.response_table: dict(assessments=SCANS),
    response.tumor_growth_rate: dict(before=SCANS[0], after=SCANS[1]),
    response.growth_rate_ratio: dict(pretreatment=Assessment(-6, 50), baseline=SCANS[0], follow_up=SCANS[1]),
    response.is_hyperprogression: dict(pretreatment=Assessment(-6, 50), assessments=SCANS),
    response.pretreatment_scan: dict(baseline=SCANS[0], weeks_before=6.0, growth_pct_per_week=2.0),
    response.true_progression: dict(seed=0, baseline_mm=60.0, growth_pct_per_week=2.0, noise_mm=1.0,
                                    interval_weeks=6.0, scans=6),
    response.pseudoprogression: dict(seed=0, baseline_mm=60.0, swelling_pct=30.0, new_lesion_mm=12.0,
                                     shrink_pct_per_week=6.0, noise_mm=1.0, interval_weeks=6.0, scans=6),
    response.delayed_response: dict(seed=0, baseline_mm=60.0, slow_growth_pct_per_week=1.0, turn_week=12.0,
                                    shrink_pct_per_week=6.0, noise_mm=1.0, interval_weeks=6.0, scans=6),
    response.hyperprogression: dict(seed=0, baseline_mm=60.0, growth_pct_per_week=8.0, noise_mm=1.0,
                                    interval_weeks=6.0, scans=6),
    schedules.TrialResult: dict(trial="TONIC", arm="no induction", measure="ORR", value="17%", source="x"),
    schedules.irae_risk: dict(therapies=["anti-PD-1"], days=365.0),
    schedules.progression_day: dict(frame=ARM_FRAME, factor=2.0),
    schedules.simulate_arm: dict(trial="TONIC", arm="no induction", phenotype="desert", days=60, points=31),
    schedules.compare_arms: dict(trial="TONIC", phenotype="desert", days=60),
    schedules.PairOutcome: dict(frames=PAIR.frames, effects=PAIR.effects, bliss_excess=PAIR.bliss_excess,
                                verdict=PAIR.verdict, irae=PAIR.irae),
    schedules.tumor_inhibition: dict(frame=ARM_FRAME, untreated=UNTREATED, day=30.0),
    schedules.combine_on_cycle: dict(therapy_a="anti-PD-1", dose_a=1.0, therapy_b="chemotherapy", dose_b=1.0,
                                     phenotype="excluded", day=30.0, days=60.0, points=13, stop_day=None),
    schedules.cached_cycle_run: dict(phenotype="excluded", doses=PD1, days=30.0, points=7),
    tumor_growth.TumorGrowthParams: dict(growth_rate_per_day=0.18, effector_millions=1.0,
                                         kill_rate_per_cell_day=1.1e-7, carrying_capacity_cells=5e8),
    tumor_growth.effector_threshold_millions: dict(params=GROWTH),
    tumor_growth.tumor_cells: dict(days=MONTHS, initial_cells=1e6, params=GROWTH),
    tumor_growth.simulate_growth: dict(params=GROWTH, initial_cells=1e6, days=30.0, points=31),
}

TEXT = ("'x'",)  # any text is a label, a note or a description
NEGATIVE = ("-1", "-1e-300")  # in range where negative values are allowed
EXTREME = ("1e+300",)  # finite, and the answer is the model's limit (e.g. a Hill curve at its top)
EMPTY = ("[]",)  # an empty array in, an empty array out (vectorised functions)
DEFAULT = ("None",)  # None takes the documented default
TRUE = ("True",)  # a yes/no field set to yes
#: (function, parameter) -> hostile values (their repr) that are valid on purpose, and why (above).
MEANT: dict[tuple[object, str], tuple[str, ...]] = {
    **{(biomarkers.ResponseModel, k): NEGATIVE for k in ("intercept", "immune", "pdl1", "msi")},
    **{(biomarkers.Marker, k): TEXT for k in ("column", "label", "unit")},
    (biomarkers.Marker, "cutoff"): DEFAULT,  # a yes/no marker has no cutoff
    (biomarkers.tps_from_latent, "latent"): NEGATIVE + EMPTY,  # a latent z-score
    (capstone.Selection, "id"): TEXT, (capstone.Selection, "label"): TEXT,
    (capstone.Selection, "cutoff"): DEFAULT,  # a yes/no marker has no cutoff
    (capstone.Arm, "id"): TEXT, (capstone.Arm, "note"): TEXT,
    (capstone.simulate_patients, "therapies"): EMPTY,  # untreated
    (capstone.simulate_patients, "clone_fractions"): DEFAULT,
    (capstone.target_sums, "rng"): DEFAULT,  # no measurement noise
    (capstone.irecist_progression_index, "categories"): EMPTY,  # no follow-up scan: no progression
    (combinations.DrugPair, "interaction"): ("-1e-300",),
    (combinations.hill, "dose"): ("inf",) + EXTREME + EMPTY,  # inf: the curve's top, emax
    (combinations.hill, "ec50"): EXTREME, (combinations.hill, "hill_coefficient"): EXTREME,
    (combinations.hill_inverse, "effect"): EMPTY,
    (combinations.hill_inverse, "ec50"): EXTREME, (combinations.hill_inverse, "hill_coefficient"): EXTREME,
    **{(f, k): EMPTY for f in (combinations.bliss_excess, combinations.hsa_excess)
       for k in ("effect_a", "effect_b", "effect_ab")},
    **{(f, k): EXTREME + EMPTY for f in (combinations.loewe_combination_index, combinations.loewe_reference,
                                         combinations.loewe_excess) for k in ("dose_a", "dose_b")},
    **{(f, k): EXTREME for f in (combinations.loewe_combination_index, combinations.loewe_reference,
                                 combinations.loewe_excess, combinations.dose_response_matrix)
       for k in HILL_PAIR},
    (combinations.loewe_combination_index, "effect_ab"): EMPTY,
    (combinations.loewe_excess, "effect_ab"): EMPTY,
    (combinations.dose_response_matrix, "interaction"): ("-1e-300",),
    (combinations.dose_response_matrix, "doses_a"): EMPTY,
    (combinations.dose_response_matrix, "doses_b"): EMPTY,
    (combinations.exponential_survival, "t"): ("inf",) + EXTREME + EMPTY,  # S(inf) = 0
    (combinations.exponential_survival, "median"): EXTREME,
    (combinations.independent_drug_action, "rho"): NEGATIVE,  # a correlation in [-1, 1]
    (kuznetsov.Equilibrium, "stable"): TRUE,
    (liquid_biopsy.ctdna_copies, "initial_copies_per_ml"): DEFAULT,  # start at steady state
    (liquid_biopsy.ctdna_trajectory, "initial_copies_per_ml"): DEFAULT,
    (liquid_biopsy.early_ctdna_change, "measured"): TRUE,
    **{(resistance.Countermeasure, k): TEXT for k in ("id", "counters", "action")},
    **{(resistance.Countermeasure, k): TRUE for k in ("lag3", "tgfb", "jak")},
    (resistance.ResistanceRun, "emerging"): TRUE,
    (resistance.Case, "mechanism"): TEXT, (resistance.Case, "settings"): ("{}",),  # the default settings
    (response.Assessment, "week"): NEGATIVE,  # a scan before baseline (pre-treatment)
    (response.pretreatment_scan, "weeks_before"): DEFAULT,  # one scan interval
    **{(schedules.TrialResult, k): TEXT for k in ("trial", "arm", "measure", "value", "source")},
    (schedules.irae_risk, "therapies"): EMPTY,  # no therapy: no risk
    (schedules.simulate_arm, "points"): DEFAULT, (schedules.combine_on_cycle, "points"): DEFAULT,
    (schedules.cached_cycle_run, "points"): DEFAULT,
    (schedules.combine_on_cycle, "stop_day"): DEFAULT,  # the whole courses
    (schedules.PairOutcome, "bliss_excess"): NEGATIVE, (schedules.PairOutcome, "verdict"): TEXT,
    (tumor_growth.tumor_cells, "days"): EMPTY,
}


def test_every_public_name_of_every_model_has_a_valid_call():
    names = {f"{m.__name__}.{n}": getattr(m, n) for m in MODULES for n in m.__all__}
    callables = {name: obj for name, obj in names.items()
                 if callable(obj) and getattr(obj, "__module__", "") == name.rsplit(".", 1)[0]}
    missing = sorted(name for name, obj in callables.items() if obj not in VALID_CALLS)
    assert not missing, missing
    # Each call passes every parameter, so each is tried.
    short = sorted(f.__qualname__ for f, kwargs in VALID_CALLS.items()
                   if set(inspect.signature(f).parameters) - {"params", "rates"} > set(kwargs)
                   and f not in {resistance.ResistanceTerms, resistance.mechanism_setup,
                                 resistance.simulate_resistance, resistance.overcome})
    assert not short, short


def test_every_meant_value_is_a_parameter_of_its_function():
    for (function, key), values in MEANT.items():
        assert key in VALID_CALLS[function], (function, key)
        assert set(values) <= {repr(v) for v in HOSTILE}


def _name(function):
    return f"{function.__module__.split('.')[-1]}.{function.__name__}"


@pytest.mark.parametrize("function", list(VALID_CALLS), ids=_name)
def test_hostile_values_get_an_error_naming_the_parameter(function):
    kwargs = VALID_CALLS[function]
    function(**kwargs)  # the valid call works
    meant = {(key, value) for (f, key), values in MEANT.items() if f is function for value in values}
    wrong = hostile_defects(function, kwargs, meant)
    assert not wrong, "\n".join(wrong)


# --- Random settings inside every range -----------------------------------------------------------------



def in_range(parameter):
    """Any value of a registry parameter, its ends included."""
    return st.floats(parameter.minimum, parameter.maximum)


def _ends_at_confirmed_progression_or_in_range(scans):
    assert all(0.0 <= a.target_sum_mm <= response.LARGEST_SUM_MM for a in scans)
    categories = response.classify_irecist(scans)
    assert "iCPD" not in categories[:-1]  # follow-up ends at confirmation


SCAN_SETTINGS = dict(seed=st.integers(0, 2**32 - 1), baseline=in_range(response.BASELINE_SUM),
                     noise=in_range(response.NOISE), interval=in_range(response.SCAN_INTERVAL),
                     scans=st.integers(1, 20))


@settings(PROPERTIES, max_examples=80)
@given(**SCAN_SETTINGS, growth=in_range(response.HYPER_GROWTH), which=st.sampled_from(["true", "hyper"]))
def test_growing_teaching_cases_are_sized_like_tumors_or_refused_by_name(seed, baseline, noise, interval,
                                                                        scans, growth, which):
    make = response.true_progression if which == "true" else response.hyperprogression
    try:
        series = make(seed, baseline, growth, noise, interval, scans)
    except ValueError as error:  # settings that would grow past any tumor are refused, naming them
        assert "growth_pct_per_week" in str(error) and "interval_weeks" in str(error)
        return
    _ends_at_confirmed_progression_or_in_range(series)


@settings(PROPERTIES, max_examples=60)
@given(**SCAN_SETTINGS, swelling=in_range(response.SWELLING),
       new=in_range(response.NEW_LESION), shrink=in_range(response.SHRINK_RATE),
       slow=in_range(response.SLOW_GROWTH), turn=st.floats(0.0, 104.0))
def test_shrinking_teaching_cases_are_sized_like_tumors(seed, baseline, noise, interval, scans, swelling, new,
                                                         shrink, slow, turn):
    _ends_at_confirmed_progression_or_in_range(
        response.pseudoprogression(seed, baseline, swelling, new, shrink, noise, interval, scans))
    _ends_at_confirmed_progression_or_in_range(
        response.delayed_response(seed, baseline, slow, turn, shrink, noise, interval, scans))


@settings(PROPERTIES, max_examples=60)
@given(cells=st.floats(0.0, 1e13), limit=in_range(liquid_biopsy.DETECTION_LIMIT),
       shed=in_range(liquid_biopsy.SHED_RATE), half_life=in_range(liquid_biopsy.HALF_LIFE),
       plasma=in_range(liquid_biopsy.PLASMA_VOLUME), background=in_range(liquid_biopsy.BACKGROUND))
def test_ctdna_numbers_are_finite_fractions_and_counts(cells, limit, shed, half_life, plasma, background):
    vaf = liquid_biopsy.steady_state_vaf(cells, shed, half_life, background)
    chance = liquid_biopsy.detection_probability(cells, limit, shed, half_life, plasma, background)
    smallest = liquid_biopsy.smallest_detectable_cells(limit, shed, half_life, background)
    assert 0.0 <= vaf <= 1.0 and 0.0 <= chance <= 1.0 and math.isfinite(smallest) and smallest > 0


@settings(PROPERTIES, max_examples=60)
@given(dose_a=st.floats(0.0, 1e6), dose_b=st.floats(0.0, 1e6), effect=st.floats(0.0, 1.0),
       ec50_a=in_range(combinations.EC50_A), hill_a=in_range(combinations.HILL_A),
       ec50_b=in_range(combinations.EC50_B), hill_b=in_range(combinations.HILL_B),
       interaction=in_range(combinations.INTERACTION))
def test_combination_references_are_finite_in_range(dose_a, dose_b, effect, ec50_a, hill_a, ec50_b, hill_b,
                                                    interaction):
    pair = dict(ec50_a=ec50_a, hill_a=hill_a, ec50_b=ec50_b, hill_b=hill_b)
    reference = combinations.loewe_reference(dose_a, dose_b, **pair)
    excess = combinations.loewe_excess(dose_a, dose_b, effect, **pair)
    matrix = combinations.dose_response_matrix(**pair, interaction=interaction, doses_a=[0.0, dose_a],
                                               doses_b=[0.0, dose_b])
    assert 0.0 <= reference <= 1.0 and -1.0 <= excess <= 1.0
    assert np.isfinite(matrix).all() and ((matrix >= 0) & (matrix <= 1)).all()


@settings(PROPERTIES, max_examples=60)
@given(growth=in_range(tumor_growth.GROWTH_RATE), effectors=in_range(tumor_growth.EFFECTOR_CELLS),
       kill=in_range(tumor_growth.KILL_RATE), capacity=in_range(tumor_growth.CARRYING_CAPACITY),
       initial=in_range(tumor_growth.INITIAL_TUMOR), days=st.floats(1.0, 3650.0))
def test_tumor_growth_is_finite_and_never_negative(growth, effectors, kill, capacity, initial, days):
    params = tumor_growth.TumorGrowthParams(growth, effectors, kill, capacity)
    frame = tumor_growth.simulate_growth(params, initial, days, 41)
    values = frame.drop(columns="day").to_numpy()
    assert np.isfinite(values).all() and (values >= 0).all()


@settings(PROPERTIES, max_examples=25)
@given(phenotype=st.sampled_from(tuple(cycle.PHENOTYPES)),
       a=st.sampled_from(tuple(cycle.THERAPIES)), b=st.sampled_from(tuple(cycle.THERAPIES)),
       dose_a=st.floats(0.0, 3.0), dose_b=st.floats(0.0, 3.0),
       stop_day=st.none() | st.floats(7.0, 365.0))
def test_any_pair_on_the_cycle_gives_effects_and_a_verdict(phenotype, a, b, dose_a, dose_b, stop_day):
    outcome = schedules.combine_on_cycle(a, dose_a, b, dose_b, phenotype, stop_day=stop_day)
    assert all(0.0 <= e <= 1.0 for e in outcome.effects.values()) and -1.0 <= outcome.bliss_excess <= 1.0


# --- Random hostile values for every parameter of every public function ---------------------------------

#: Parameters whose valid values can cost seconds (a 1,000-patient trial); the table above tries them.
COSTLY = {"seed", "n", "n_patients", "days", "points", "scans", "tau_end"}
#: Functions whose documented answer may be NaN ("not reached", "never", "does not exist").
NAN_ANSWERS = {capstone.median_survival, resistance.relapse_day, kuznetsov.escape_threshold,
               combinations.loewe_combination_index,  # undefined where no single dose reaches the effect
               kuznetsov.separatrix_threshold, biomarkers.selection_metrics, schedules.progression_day}


@pytest.mark.parametrize("function", [f for f, kw in VALID_CALLS.items() if set(kw) - COSTLY], ids=_name)
def test_any_value_is_refused_by_name_or_gives_a_finite_answer(function):
    keys = [k for k in VALID_CALLS[function] if k not in COSTLY]

    @settings(PROPERTIES, max_examples=25)
    @given(key=st.sampled_from(keys), value=ANY_VALUE)
    def check(key, value):
        defect = value_defect(function, VALID_CALLS[function], key, value, nan_ok=function in NAN_ANSWERS)
        assert not defect, defect

    check()
