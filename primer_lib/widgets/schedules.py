"""Lesson 02 explorers: a pair of therapies on the cycle model, and trial schedules (cold to hot)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from primer_lib import cycle, schedules
from primer_lib.charts import schedules as charts
from primer_lib.validation import check_choice
from primer_lib.widgets.app import App, build_app
from primer_lib.widgets.controls import dropdown, slider
from primer_lib.widgets.cycle import phenotype_dropdown
from primer_lib.widgets.livechart import LiveChart

TRIAL, PHENOTYPE = "schedules.trial", "schedules.phenotype"
THERAPY_A, THERAPY_B = "schedules.therapy_a", "schedules.therapy_b"
DOSE_A, DOSE_B = "schedules.dose_a", "schedules.dose_b"
STOP_DAY = "schedules.stop_day"
#: Therapies offered for pairing: one or two per kind of action.
PAIR_THERAPIES = ("anti-PD-1", "anti-CTLA-4", "chemotherapy", "radiation", "anti-VEGF", "vaccine",
                  "IDO inhibitor", "IL-2")
SCHEDULE_DAYS, SCHEDULE_POINTS = 365.0, 74
#: The pair explorer's span (days): combine_on_cycle's default.
PAIR_DAYS = 180.0
_MECHANISMS = " ".join(f"{t}: {cycle.THERAPIES[t].mechanism}" for t in PAIR_THERAPIES)


def arm_frames(trial: str, phenotype: str) -> dict[str, pd.DataFrame]:
    """Each arm of ``trial`` on the cycle model (cached: every choice is one of six)."""
    return {arm: schedules.cached_cycle_run(phenotype, doses, SCHEDULE_DAYS, SCHEDULE_POINTS)
            for arm, doses in schedules.TRIAL_ARMS[trial].items()}


def schedule_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    trial, phenotype = values[TRIAL], values[PHENOTYPE]
    frames = arm_frames(trial, phenotype)
    return charts.schedule_data(trial, frames), charts.describe_schedule(trial, phenotype, frames)


def schedule_app(trial: str = "TONIC", phenotype: str = "desert") -> App:
    """Pick a trial's schedules and a tumor phenotype; see the model beside the trial."""
    check_choice("trial", trial, schedules.TRIAL_ARMS)
    controls = {TRIAL: dropdown(list(schedules.TRIAL_ARMS), trial, "Trial",
                                 "NCT00527735: phased vs concurrent ipilimumab with chemotherapy; "
                                 "TONIC: 2-week induction before nivolumab"),
                PHENOTYPE: phenotype_dropdown(phenotype)}
    for name in schedules.TRIAL_ARMS:  # every choice is one of six: compute them all up front
        for kind in cycle.PHENOTYPES:
            arm_frames(name, kind)
    data, text = schedule_update({k: c.value for k, c in controls.items()})
    return build_app("Cold to hot: schedules and induction", controls,
                     LiveChart(charts.schedule_chart(), data, text), schedule_update)


def pair_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    a, b, stop = values[THERAPY_A], values[THERAPY_B], values.get(STOP_DAY)
    outcome = schedules.combine_on_cycle(a, values[DOSE_A], b, values[DOSE_B], values[PHENOTYPE],
                                         stop_day=stop)
    text = charts.describe_pair(outcome, a, b)
    stopped = stop if stop is not None and stop < PAIR_DAYS else None
    if stopped is not None:
        text += (f" No dose of either is given after day {stop:g} (dotted line); each course's effect "
                 "then fades.")
    return charts.pair_data(outcome, stop_day=stopped), text


def pair_app(therapy_a: str = "anti-PD-1", therapy_b: str = "anti-CTLA-4",
             phenotype: str = "excluded", stop_control: bool = True) -> App:
    """Two therapies and their doses: each alone, together, the Bliss verdict and the irAE proxy.

    With ``stop_control`` a slider stops both courses early (no dose after that day).
    """
    check_choice("therapy_a", therapy_a, PAIR_THERAPIES)
    check_choice("therapy_b", therapy_b, PAIR_THERAPIES)
    if not isinstance(stop_control, bool):
        raise TypeError(f"stop_control must be True or False; got {stop_control!r}")
    controls = {
        PHENOTYPE: phenotype_dropdown(phenotype),
        THERAPY_A: dropdown(list(PAIR_THERAPIES), therapy_a, "Therapy A", _MECHANISMS),
        DOSE_A: slider(DOSE_A),
        THERAPY_B: dropdown(list(PAIR_THERAPIES), therapy_b, "Therapy B", _MECHANISMS),
        DOSE_B: slider(DOSE_B),
    }
    if stop_control:
        controls[STOP_DAY] = slider(STOP_DAY)
    data, text = pair_update({k: c.value for k, c in controls.items()})
    return build_app("Combine two therapies", controls, LiveChart(charts.pair_chart(), data, text),
                     pair_update)
