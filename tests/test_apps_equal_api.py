"""The GUI's result equals the API's, for every app in the catalog (after hnn-core's GUI tests).

Each app is built, several of its controls are set to non-default values, and its chart must
show exactly the datasets and description that the public model functions (``primer_lib.<model>``)
and chart-data functions (``primer_lib.charts.<model>``) give for the same settings, converted
as :class:`~primer_lib.widgets.livechart.LiveChart` sends them (:func:`columns_of`). The expected
side is written from those public functions, never through the app's own update code; only the
apps' fixed, non-control settings (output grids, seeds) are imported from the widget modules.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import pytest

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
from primer_lib.charts import biomarkers as biomarker_charts
from primer_lib.charts import capstone as capstone_charts
from primer_lib.charts import combinations as combination_charts
from primer_lib.charts import cycle as cycle_charts
from primer_lib.charts import kuznetsov as kuznetsov_charts
from primer_lib.charts import liquid_biopsy as liquid_biopsy_charts
from primer_lib.charts import resistance as resistance_charts
from primer_lib.charts import response as response_charts
from primer_lib.charts import schedules as schedule_charts
from primer_lib.charts import tumor_growth as growth_charts
from primer_lib.widgets.app import App
from primer_lib.widgets.biomarkers import COHORT_SEED, COHORT_SIZE
from primer_lib.widgets.capstone import SEED as CAPSTONE_SEED
from primer_lib.widgets.capstone import TrialApp
from primer_lib.widgets.catalog import APPS
from primer_lib.widgets.combinations import MONTHS
from primer_lib.widgets.cycle import EXPLORER_POINTS, ExplorerApp
from primer_lib.widgets.kuznetsov import TAU_SHOWN
from primer_lib.widgets.livechart import columns_of
from primer_lib.widgets.resistance import DAYS as RESISTANCE_DAYS
from primer_lib.widgets.response import NEW_LESION_MM, TRACKER_WEEKS
from primer_lib.widgets.schedules import SCHEDULE_DAYS, SCHEDULE_POINTS

Settings = Mapping[str, Any]
Expected = tuple[Mapping[str, pd.DataFrame], str]


# --- Comparison -------------------------------------------------------------------------------------------

def assert_chart_shows(app: App, expected: Expected) -> None:
    """The app's chart holds exactly ``expected`` (data as LiveChart converts it, and description)."""
    data, text = expected
    assert app.status.value == "", app.status.value
    shown, wanted = app.chart.datasets, columns_of(data)
    assert sorted(shown) == sorted(wanted), "dataset names"
    for name, columns in wanted.items():
        assert sorted(shown[name]) == sorted(columns), f"columns of {name}"
        for column, values in columns.items():
            assert shown[name][column] == values, f"{name}[{column!r}]"
    assert shown == wanted
    assert app.chart.description == text
    assert html.escape(text) in app.description.value


def set_and_check(app: App, settings: Settings) -> None:
    """Set ``settings`` in one go: at least two (or the only control) differ from the defaults, and
    every value is kept exactly (not clamped, and not reset by another control, as the biomarker
    app resets its cutoff when the marker changes: the marker must come first)."""
    before = app.values()
    changed = [name for name, value in settings.items() if before[name] != value]
    assert len(changed) >= min(2, len(app.controls)), f"too few non-default settings: {changed}"
    app.set_values(settings)
    assert {name: app.values()[name] for name in settings} == dict(settings)


# --- Expected results from the public API, one function per app ------------------------------------------

def growth_expected(s: Settings) -> Expected:
    params = tumor_growth.TumorGrowthParams(growth_rate_per_day=s["tumor_growth.growth_rate"],
                                            effector_millions=s["tumor_growth.effector_cells"])
    trajectory = tumor_growth.simulate_growth(params)
    return growth_charts.growth_data(trajectory), growth_charts.describe_growth(trajectory, params)


def diagram_expected(s: Settings) -> Expected:
    step, therapy = s["cycle.selected_step"], s["cycle.selected_therapy"]
    return cycle_charts.diagram_data(step, therapy), cycle_charts.describe_diagram(step, therapy)


EXPLORER_STEPS = {1: 1.5, 2: 1.0, 3: 0.5, 4: 2.0, 5: 0.35, 6: 1.0, 7: 0.8}
EXPLORER_TICKED = ("anti-PD-1", "vaccine")  # in the order of the app's checkboxes
EXPLORER_STOP = 154.0  # no dose after day 154
EXPLORER_SETTINGS = ({"cycle.phenotype": "excluded"}
                     | {f"cycle.step{i}": v for i, v in EXPLORER_STEPS.items()}
                     | {f"therapy.{t}": True for t in EXPLORER_TICKED} | {"cycle.stop_day": EXPLORER_STOP})


def explorer_expected(s: Settings, leverage: dict[int, float] | None = None) -> Expected:
    phenotype = s["cycle.phenotype"]
    steps = {f"step{i}": s[f"cycle.step{i}"] for i in range(1, 8)}
    names = tuple(t for t in EXPLORER_TICKED if s[f"therapy.{t}"])
    therapies = tuple(cycle.course_until(t, s["cycle.stop_day"]) for t in names)
    frame = cycle.simulate_cycle(phenotype, therapies, points=EXPLORER_POINTS, **steps)
    untreated = cycle.simulate_cycle(phenotype, points=EXPLORER_POINTS)
    efficiency = cycle.step_efficiency(phenotype, therapies, **steps)
    text = cycle_charts.describe_explorer(frame, untreated, efficiency, phenotype, names, leverage)
    stop = s["cycle.stop_day"]
    text += f" No dose is given after day {stop:g} (dotted line); each course's effect then fades."
    return cycle_charts.explorer_data(frame, untreated, efficiency, leverage, s["cycle.stop_day"]), text


def kuznetsov_expected(s: Settings) -> Expected:
    trajectory = kuznetsov.simulate(s["kuznetsov.initial_effector"], s["kuznetsov.initial_tumor"], TAU_SHOWN)
    return kuznetsov_charts.phase_data(trajectory), kuznetsov_charts.describe_phase(trajectory)


def pair_expected(s: Settings) -> Expected:
    a, b = s["schedules.therapy_a"], s["schedules.therapy_b"]
    outcome = schedules.combine_on_cycle(a, s["schedules.dose_a"], b, s["schedules.dose_b"],
                                         s["schedules.phenotype"], stop_day=s["schedules.stop_day"])
    text = schedule_charts.describe_pair(outcome, a, b)
    stop = s["schedules.stop_day"]
    text += f" No dose of either is given after day {stop:g} (dotted line); each course's effect then fades."
    return schedule_charts.pair_data(outcome, stop_day=stop), text


def synergy_expected(s: Settings) -> Expected:
    pair = combinations.DrugPair(ec50_a=s["combinations.ec50_a"], hill_a=s["combinations.hill_a"],
                                 ec50_b=s["combinations.ec50_b"], hill_b=s["combinations.hill_b"],
                                 interaction=s["combinations.interaction"])
    doses = combinations.TEACHING_DOSES
    data = combination_charts.synergy_data(doses, doses, pair.matrix(doses, doses), pair)
    return data, combination_charts.describe_synergy(data, pair)


def ida_expected(s: Settings) -> Expected:
    rho = s["combinations.rho"]
    s_a = combinations.exponential_survival(MONTHS, s["combinations.median_a"])
    s_b = combinations.exponential_survival(MONTHS, s["combinations.median_b"])
    both = combinations.independent_drug_action(MONTHS, s_a, s_b, rho)
    return (combination_charts.ida_data(MONTHS, s_a, s_b, both),
            combination_charts.describe_ida(MONTHS, s_a, s_b, both, rho))


def schedule_expected(s: Settings) -> Expected:
    trial, phenotype = s["schedules.trial"], s["schedules.phenotype"]
    frames = {arm: cycle.simulate_cycle(phenotype, doses, days=SCHEDULE_DAYS, points=SCHEDULE_POINTS)
              for arm, doses in schedules.TRIAL_ARMS[trial].items()}
    return (schedule_charts.schedule_data(trial, frames),
            schedule_charts.describe_schedule(trial, phenotype, frames))


TRACKER_SUMS = (80.0, 70.0, 100.0, 52.0, 20.0, 0.0)
TRACKER_NEW = (2, 0, 1, 0, 3)
TRACKER_NONTARGET = ("non-CR/non-PD", "PD", "non-CR/non-PD", "CR", "CR")
TRACKER_SETTINGS = ({f"response.target_sum_{i}": v for i, v in enumerate(TRACKER_SUMS)}
                    | {f"response.new_lesions_{i}": n for i, n in enumerate(TRACKER_NEW, start=1)}
                    | {f"response.nontarget_{i}": v for i, v in enumerate(TRACKER_NONTARGET, start=1)})


def tracker_expected(s: Settings) -> Expected:
    scans = [response.Assessment(TRACKER_WEEKS[0], s["response.target_sum_0"])]
    for i in range(1, len(TRACKER_WEEKS)):
        count = s[f"response.new_lesions_{i}"]
        scans.append(response.Assessment(TRACKER_WEEKS[i], s[f"response.target_sum_{i}"],
                                         s[f"response.nontarget_{i}"], NEW_LESION_MM * count, count))
    return response_charts.response_data(scans), response_charts.describe_response(scans)


def cases_expected(s: Settings) -> Expected:
    case = s["response.case"]
    scans = response.TEACHING_CASES[case]()
    text = f"{case.capitalize()}. {response.CASE_NOTES[case]} " + response_charts.describe_response(scans)
    return response_charts.response_data(scans), text


RESISTANCE_SETTINGS = {"resistance.mechanism": "adaptive", "resistance.cause": "excluded",
                       "resistance.log10_resistant_fraction": -2.5, "resistance.pdl1_feedback": False,
                       "resistance.exhaustion": True, "resistance.cytokines": False,
                       "resistance.countermeasure": True}
#: The app's legend name of each mechanism's course.
RESISTANCE_SERIES = {"none": "No resistance", "primary": "Primary", "acquired": "Acquired",
                     "adaptive": "Adaptive"}


def resistance_expected(s: Settings) -> Expected:
    switches = {key: s[f"resistance.{key}"] for key in ("pdl1_feedback", "exhaustion", "cytokines")}
    runs = {"none": {}, "primary": {"cause": s["resistance.cause"]},
            "acquired": {"resistant_fraction": 10.0 ** s["resistance.log10_resistant_fraction"]},
            "adaptive": switches}
    # The app's notes for RESISTANCE_SETTINGS, written out.
    words = {"none": "reference tumor", "primary": "cause: immune-excluded",
             "acquired": "B2M-loss clone, initial fraction 0.0032",
             "adaptive": "PD-L1 feedback off, exhaustion on, cytokines off"}
    frames, notes = {}, {}
    for mechanism, kwargs in runs.items():
        series = RESISTANCE_SERIES[mechanism]
        counter = resistance.countermeasure_for(mechanism, s["resistance.cause"])
        added = counter is not None and s["resistance.countermeasure"]
        extra: dict[str, Any] = {"countermeasure": counter} if added else {}
        frames[series] = resistance.simulate_resistance(mechanism, RESISTANCE_DAYS, **kwargs, **extra)
        notes[series] = f"{words[mechanism]}; + {counter}" if extra else words[mechanism]
    selected = RESISTANCE_SERIES[s["resistance.mechanism"]]
    return (resistance_charts.resistance_data(frames, selected),
            resistance_charts.describe_resistance(frames, selected, notes))


def diagnose_expected(s: Settings) -> Expected:
    name = s["resistance.case"]
    case = resistance.canonical_courses(0)[name]
    return resistance_charts.scans_data(case), resistance_charts.describe_scans(name, case)


def threshold_expected(s: Settings) -> Expected:
    cohort = biomarkers.virtual_cohort(COHORT_SIZE, COHORT_SEED)
    summary = biomarkers.summarize_marker(cohort, s["biomarkers.marker"])
    cutoff = s["biomarkers.cutoff"]
    return (biomarker_charts.threshold_data(summary, cutoff),
            biomarker_charts.describe_threshold(summary, cutoff))


def ctdna_expected(s: Settings) -> Expected:
    case = liquid_biopsy.scenario(s["liquid_biopsy.case"], shed_rate=s["liquid_biopsy.shed_rate"],
                                  half_life_hours=s["liquid_biopsy.half_life_hours"],
                                  detection_limit_pct=s["liquid_biopsy.detection_limit_pct"])
    return liquid_biopsy_charts.ctdna_data(case), liquid_biopsy_charts.describe_ctdna(case)


CAPSTONE_SETTINGS: Settings = {"capstone.selection": "pdl1>=1", "capstone.arm_a": "anti-PD-1 + anti-CTLA-4",
                     "capstone.arm_b": "chemotherapy + anti-PD-1", "capstone.n_patients": 120.0}


def capstone_expected(s: Settings, result: capstone.TrialResult | None = None,
                      current: bool = True) -> Expected:
    selection, arms = s["capstone.selection"], (s["capstone.arm_a"], s["capstone.arm_b"])
    patients, doses = capstone.design_preview(selection, arms, int(s["capstone.n_patients"]), CAPSTONE_SEED)
    return (capstone_charts.capstone_data(patients, doses, arms, result, current),
            capstone_charts.describe_capstone(patients, doses, arms, selection, result, current,
                                              CAPSTONE_SEED))


#: App name -> (non-default control values, the API's datasets and description for them).
CASES: Mapping[str, tuple[Settings, Callable[[Settings], Expected]]] = {
    "tumor_growth": ({"tumor_growth.growth_rate": 0.31, "tumor_growth.effector_cells": 2.4}, growth_expected),
    "cycle_diagram": ({"cycle.selected_step": 4, "cycle.selected_therapy": "anti-VEGF"}, diagram_expected),
    "cycle_explorer": (EXPLORER_SETTINGS, explorer_expected),
    "kuznetsov": ({"kuznetsov.initial_tumor": 240.0, "kuznetsov.initial_effector": 1.3}, kuznetsov_expected),
    "pair": ({"schedules.phenotype": "desert", "schedules.therapy_a": "radiation", "schedules.dose_a": 1.5,
              "schedules.therapy_b": "anti-PD-1", "schedules.dose_b": 0.7, "schedules.stop_day": 63.0},
             pair_expected),
    "synergy": ({"combinations.ec50_a": 3.5, "combinations.ec50_b": 0.8, "combinations.interaction": -0.5,
                 "combinations.hill_a": 2.2, "combinations.hill_b": 0.7}, synergy_expected),
    "ida": ({"combinations.rho": 0.3, "combinations.median_a": 9.5, "combinations.median_b": 3.0},
            ida_expected),
    "schedule": ({"schedules.trial": "NCT00527735", "schedules.phenotype": "inflamed"}, schedule_expected),
    "lesion_tracker": (TRACKER_SETTINGS, tracker_expected),
    "response_cases": ({"response.case": "hyperprogression"}, cases_expected),
    "resistance": (RESISTANCE_SETTINGS, resistance_expected),
    "diagnose_resistance": ({"resistance.case": "Patient D"}, diagnose_expected),
    "biomarker_threshold": ({"biomarkers.marker": "tmb", "biomarkers.cutoff": 15.5}, threshold_expected),
    "liquid_biopsy": ({"liquid_biopsy.case": "response", "liquid_biopsy.shed_rate": 20.0,
                       "liquid_biopsy.half_life_hours": 1.5, "liquid_biopsy.detection_limit_pct": 0.05},
                      ctdna_expected),
    "capstone": (CAPSTONE_SETTINGS, capstone_expected),
}


# --- Tests -------------------------------------------------------------------------------------------------

def test_every_app_in_the_catalog_has_a_gui_equals_api_check() -> None:
    assert set(CASES) == set(APPS)


@pytest.mark.parametrize("name", sorted(APPS))
def test_app_shows_what_the_api_computes(name: str) -> None:
    settings, expected = CASES[name]
    app = APPS[name]()
    set_and_check(app, settings)
    assert_chart_shows(app, expected(settings))


def test_cycle_explorer_leverage_is_step_leverage() -> None:
    app = APPS["cycle_explorer"]()
    assert isinstance(app, ExplorerApp)
    set_and_check(app, EXPLORER_SETTINGS)
    app.leverage_button.click()
    steps = {f"step{i}": v for i, v in EXPLORER_STEPS.items()}
    courses = tuple(cycle.course_until(t, EXPLORER_STOP) for t in EXPLORER_TICKED)
    leverage = cycle.step_leverage("excluded", courses, points=EXPLORER_POINTS, **steps)
    assert_chart_shows(app, explorer_expected(EXPLORER_SETTINGS, leverage))


def test_capstone_run_is_run_trial_until_the_design_changes() -> None:
    app = APPS["capstone"]()
    assert isinstance(app, TrialApp)
    set_and_check(app, CAPSTONE_SETTINGS)
    app.run_button.click()
    s = CAPSTONE_SETTINGS
    result = capstone.run_trial(s["capstone.selection"], (s["capstone.arm_a"], s["capstone.arm_b"]),
                                int(s["capstone.n_patients"]), CAPSTONE_SEED)
    assert_chart_shows(app, capstone_expected(s, result))
    later = {**s, "capstone.n_patients": 160.0}  # results stay, marked as an earlier design's
    app.set_values({"capstone.n_patients": 160.0})
    assert_chart_shows(app, capstone_expected(later, result, current=False))
