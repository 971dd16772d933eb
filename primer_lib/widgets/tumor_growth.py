"""Lesson 00 explorer: tumor growth against immune killing (two sliders, one chart)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from primer_lib import tumor_growth as model
from primer_lib.charts import tumor_growth as charts
from primer_lib.widgets.app import App, build_app
from primer_lib.widgets.controls import slider
from primer_lib.widgets.livechart import LiveChart


def growth_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    """Model + chart data + description for one setting of the controls."""
    params = model.TumorGrowthParams(
        growth_rate_per_day=values[model.GROWTH_RATE.name],
        effector_millions=values[model.EFFECTOR_CELLS.name],
    )
    trajectory = model.simulate_growth(params)
    return charts.growth_data(trajectory), charts.describe_growth(trajectory, params)


def tumor_growth_app(growth_rate: float | None = None, effector_cells: float | None = None) -> App:
    """Sliders for the growth rate and the effector cells, wired to the growth chart."""
    controls = {
        model.GROWTH_RATE.name: slider(model.GROWTH_RATE, growth_rate),
        model.EFFECTOR_CELLS.name: slider(model.EFFECTOR_CELLS, effector_cells),
    }
    data, text = growth_update({name: c.value for name, c in controls.items()})
    chart = LiveChart(charts.growth_chart(), data, text)
    return build_app("Tumor growth against immune killing", controls, chart, growth_update)
