"""Kuznetsov explorer: initial tumor and effector cells, one phase portrait."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from primer_lib import kuznetsov as model
from primer_lib.charts import kuznetsov as charts
from primer_lib.validation import check_real
from primer_lib.widgets.app import App, build_app
from primer_lib.widgets.controls import slider
from primer_lib.widgets.livechart import LiveChart

#: Shown span: 100 τ-units ≈ 908 days, long enough to see escape or several dormant spiral turns.
TAU_SHOWN = 100.0


def phase_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    """Model + chart data + description for one setting of the controls.

    Costs one 100 τ trajectory and one 300 τ run to name the end state (about
    3 + 4 ms); nullclines, steady states and the separatrix are cached per
    parameter set.
    """
    trajectory = model.simulate(values[model.INITIAL_EFFECTOR.name],
                                values[model.INITIAL_TUMOR.name], TAU_SHOWN)
    return charts.phase_data(trajectory), charts.describe_phase(trajectory)


def kuznetsov_app(initial_tumor: float | None = None,
                  initial_effector: float | None = None) -> App:
    """Sliders for the initial tumor and effector cells, wired to the phase portrait."""
    controls = {
        model.INITIAL_TUMOR.name: slider(model.INITIAL_TUMOR, initial_tumor),
        model.INITIAL_EFFECTOR.name: slider(model.INITIAL_EFFECTOR, initial_effector),
    }
    data, text = phase_update({name: c.value for name, c in controls.items()})
    chart = LiveChart(charts.phase_chart(), data, text)
    return build_app("Dormancy or escape: effector cells against a tumor", controls, chart,
                     phase_update)


def kuznetsov_mistakes(initial_effector: float = 0.5) -> tuple[tuple[float, float, str], ...]:
    """Likely wrong answers to "starting from ``initial_effector`` million effector cells, above how many
    million tumor cells does a tumor escape?" (lesson 01), each ``(value in million cells, tolerance, why)``
    for :func:`primer_lib.widgets.selfcheck.numeric`.

    The steady states of the published parameters (:func:`primer_lib.kuznetsov.equilibria`) are easy to
    confuse with the escape threshold of a starting tumor; so are the threshold from the tumor-free
    effector level and the unit.
    """
    x0 = check_real("initial_effector", initial_effector, 0.0, 100.0, "10^6 cells")
    states = {model.state_name(s): s.y for s in model.equilibria()}
    free = model.KUZNETSOV_1994.tumor_free_effectors
    threshold, from_free = model.separatrix_threshold(x0), model.separatrix_threshold(free)
    mistakes = [
        (states["threshold"], 10.0, f"that is the threshold state (the saddle in the table, about "
         f"{states['threshold']:.0f} million cells), a point the boundary passes through, not the "
         "smallest starting tumor that escapes. Read where the dashed separatrix crosses the starting "
         "effector level."),
        (states["escape"], 10.0, "that is the escape state, where an escaping tumor ends up, not where "
         "escape begins."),
        (states["dormant"], 1.0, "that is the dormant state, where a controlled tumor settles."),
        (threshold * 1e6, threshold * 1e5, "the answer is asked in millions of cells: enter "
         f"{threshold:.1f}, not {threshold * 1e6:,.0f}."),
    ]
    if abs(x0 - free) > 0.05:
        mistakes.append((from_free, 2.0, f"that is the threshold for effectors at their tumor-free level "
                         f"({free:.2f} million); with {x0:g} million effectors larger tumors are still "
                         "held."))
    return tuple(mistakes)
