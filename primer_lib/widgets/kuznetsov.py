"""Kuznetsov explorer: initial tumor and effector cells, one phase portrait."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from primer_lib import kuznetsov as model
from primer_lib.charts import kuznetsov as charts
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
