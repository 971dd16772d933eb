"""Altair chart builders: model output in, chart (and its text description) out.

Builders return charts whose data are named placeholders (``alt.NamedData``)
plus a ``data`` mapping, so a live chart embeds the spec once and then receives
data only. :func:`inline` joins the two for a static chart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, cast

import altair as alt
import pandas as pd

from primer_lib.outcomes import Outcome


def inline(chart: alt.TopLevelMixin, data: Mapping[str, pd.DataFrame]) -> alt.TopLevelMixin:
    """A copy of ``chart`` with its named datasets filled in (for static output)."""
    spec = chart.to_dict()
    spec["datasets"] = {name: frame.to_dict("records") for name, frame in data.items()}
    # Each top-level chart class parses its own kind of spec (single, layered, concatenated).
    return cast(alt.TopLevelMixin, cast(Any, type(chart)).from_dict(spec))


def last_dose_layers(name: str) -> tuple[alt.Chart, alt.Chart]:
    """A dotted rule labelled "last dose" at the day in dataset ``name`` (column ``day``; no row: none)."""
    rule = alt.Chart(alt.NamedData(name)).mark_rule(strokeDash=[2, 2], color="#555555").encode(
        x="day:Q", tooltip=[alt.Tooltip("day:Q", title="No dose after day")])
    label = alt.Chart(alt.NamedData(name)).mark_text(align="left", dx=3, dy=8, color="#333333").encode(
        x="day:Q", y=alt.value(0), text=alt.value("last dose"))
    return rule, label


def last_dose_data(stop_day: float | None) -> pd.DataFrame:
    """Data for :func:`last_dose_layers`: one row at ``stop_day``, or none."""
    return pd.DataFrame({"day": [] if stop_day is None else [float(stop_day)]}, dtype=float)


def format_cells(value: float) -> str:
    """Cells for a sentence: "fewer than one cell", "7,964 cells", "186 million cells", "1.2 billion"."""
    if value < 1:
        return "fewer than one cell"
    if value < 1e6:
        return f"{value:,.0f} cells"
    if value < 1e9:
        return f"{value / 1e6:,.3g} million cells"
    return f"{value / 1e9:,.3g} billion cells"


def describe_outcome(outcome: Outcome) -> str:
    """One clause for a chart description from :func:`primer_lib.outcomes.summarize_course`."""
    day = f"day {outcome.horizon_days:g}"
    if outcome.verdict == "eliminated":
        return f"eliminated by {day} (gone on day {outcome.nadir_day:g})"
    swing = ", swinging" if outcome.oscillates else ""
    fold = 1.0 / (1.0 + outcome.best_change) if outcome.best_change > -1 else math.inf
    fall = ("never below its start" if outcome.best_change == 0 else
            f"lowest {format_cells(outcome.nadir)} on day {outcome.nadir_day:g}"
            + (f", {fold:,.0f}-fold down" if fold >= 10 else f", {-100 * outcome.best_change:.0f}% down"))
    burden = (f"about {format_cells(outcome.log_mean_burden)}, "
              f"log-mean of the last {outcome.window_days:g} days")
    return f"{outcome.verdict} at {day} ({burden}{swing}; {fall})"
