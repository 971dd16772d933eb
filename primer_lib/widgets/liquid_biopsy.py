"""Lesson 06A explorer: ctDNA against the scans (shedding, clearance, detection limit, teaching case)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from primer_lib import liquid_biopsy as model
from primer_lib.charts import liquid_biopsy as charts
from primer_lib.validation import check_choice
from primer_lib.widgets.app import App, build_app
from primer_lib.widgets.controls import dropdown, slider
from primer_lib.widgets.livechart import LiveChart

CASE = "liquid_biopsy.case"
_CASE_TIP = ("Teaching case. response: the tumour shrinks from week 0; progression: it keeps growing; "
             "pseudoprogression: immune cells swell the scan at week 6 while the tumour cells fall.")


def ctdna_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    """Model + chart data + description for one setting of the controls."""
    case = model.scenario(values[CASE], shed_rate=values[model.SHED_RATE.name],
                          half_life_hours=values[model.HALF_LIFE.name],
                          detection_limit_pct=values[model.DETECTION_LIMIT.name])
    return charts.ctdna_data(case), charts.describe_ctdna(case)


def liquid_biopsy_app(kind: str = "pseudoprogression") -> App:
    """Sliders for shedding, clearance half-life and detection limit, and a teaching-case dropdown."""
    check_choice("kind", kind, model.SCENARIOS)
    controls = {
        CASE: dropdown(list(model.SCENARIOS), kind, "Teaching case", _CASE_TIP),
        model.SHED_RATE.name: slider(model.SHED_RATE),
        model.HALF_LIFE.name: slider(model.HALF_LIFE),
        model.DETECTION_LIMIT.name: slider(model.DETECTION_LIMIT),
    }
    for case in model.SCENARIOS:  # warm the cached scans and tumours: every case is one of three
        model.scenario(case)
    data, text = ctdna_update({name: c.value for name, c in controls.items()})
    return build_app("Liquid biopsy: ctDNA against the scans", controls,
                     LiveChart(charts.ctdna_chart(), data, text), ctdna_update,
                     intro="ctDNA follows the tumour cells; the scan also counts immune infiltrate.")
