"""Charts for :mod:`primer_lib.tumor_growth` (lesson 00)."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from primer_lib.charts import format_cells
from primer_lib.charts.theme import OKABE_ITO, themed
from primer_lib.tumor_growth import TumorGrowthParams, effector_threshold_millions

GROWTH = "growth"
_SERIES = ("With immune killing", "Without immune cells")
#: Cells shown on the log axis; below one cell the tumor is gone.
Y_DOMAIN_CELLS = (1.0, 1e9)
_DECADES = [10.0**k for k in range(10)]
_DECADE_LABEL = ("datum.value >= 1e9 ? format(datum.value / 1e9, ',') + ' billion' : "
                 "datum.value >= 1e6 ? format(datum.value / 1e6, ',') + ' million' : "
                 "format(datum.value, ',')")


def growth_chart() -> alt.LayerChart:
    """Tumor cells (log scale) against day, with and without immune killing.

    The template reads the named dataset ``"growth"`` made by :func:`growth_data`.
    """
    base = alt.Chart(alt.NamedData(GROWTH)).encode(
        x=alt.X("day:Q", title="Day"),
        y=alt.Y("cells:Q", title="Tumor cells (log scale)",
                scale=alt.Scale(type="log", domain=list(Y_DOMAIN_CELLS), clamp=True),
                axis=alt.Axis(values=_DECADES, labelExpr=_DECADE_LABEL)),
        color=alt.Color("series:N", title=None,
                        scale=alt.Scale(domain=list(_SERIES), range=list(OKABE_ITO[:2]))),
        strokeDash=alt.StrokeDash("series:N", title=None,
                                  scale=alt.Scale(domain=list(_SERIES), range=[[1, 0], [6, 4]])),
    )
    lines = base.mark_line()
    hover = base.mark_point(opacity=0, size=200).encode(
        tooltip=[alt.Tooltip("series:N", title="Curve"), alt.Tooltip("day:Q", format=".0f"),
                 alt.Tooltip("cells:Q", title="Tumor cells", format=".3~s")])
    return themed(alt.LayerChart(layer=[lines, hover], title="Tumor cells over time"))


def growth_data(trajectory: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Long-form data for :func:`growth_chart` from :func:`simulate_growth` output."""
    frame = pd.DataFrame({
        "day": np.concatenate([trajectory["day"].to_numpy()] * 2),
        "cells": np.concatenate([trajectory["tumor_cells"].to_numpy(),
                                 trajectory["tumor_cells_no_immunity"].to_numpy()]),
        "series": np.repeat(_SERIES, len(trajectory)),
    })
    return {GROWTH: frame}


def describe_growth(trajectory: pd.DataFrame, params: TumorGrowthParams) -> str:
    """One paragraph saying what the growth chart shows, with its key numbers."""
    start, end = trajectory["tumor_cells"].iloc[0], trajectory["tumor_cells"].iloc[-1]
    untreated = trajectory["tumor_cells_no_immunity"].iloc[-1]
    days = trajectory["day"].iloc[-1]
    trend = "shrinks" if params.net_rate_per_day < 0 else "grows"
    balance = effector_threshold_millions(params)
    balance_text = (f"Killing balances growth at {balance:.2f} million effector cells."
                    if math.isfinite(balance)
                    else "No number of effector cells balances growth: they do not kill.")
    return (
        f"Line chart of tumor cells (log scale) over {days:.0f} days. "
        f"With {params.effector_millions:.1f} million effector cells the tumor {trend}: "
        f"net growth rate {params.net_rate_per_day:+.3f} per day, from {format_cells(start)} "
        f"to {format_cells(end)} by day {days:.0f}. Without immune cells (dashed line) it "
        f"would reach {format_cells(untreated)}. {balance_text}"
    )

