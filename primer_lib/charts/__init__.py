"""Altair chart builders: model output in, chart (and its text description) out.

Builders return charts whose data are named placeholders (``alt.NamedData``)
plus a ``data`` mapping, so a live chart embeds the spec once and then receives
data only. :func:`inline` joins the two for a static chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import altair as alt
import pandas as pd


def inline(chart: alt.TopLevelMixin, data: Mapping[str, pd.DataFrame]) -> alt.TopLevelMixin:
    """A copy of ``chart`` with its named datasets filled in (for static output)."""
    spec = chart.to_dict()
    spec["datasets"] = {name: frame.to_dict("records") for name, frame in data.items()}
    # Each top-level chart class parses its own kind of spec (single, layered, concatenated).
    return cast(alt.TopLevelMixin, cast(Any, type(chart)).from_dict(spec))


def format_cells(value: float) -> str:
    """Cells for a sentence: "fewer than one cell", "7,964 cells", "186 million cells", "1.2 billion"."""
    if value < 1:
        return "fewer than one cell"
    if value < 1e6:
        return f"{value:,.0f} cells"
    if value < 1e9:
        return f"{value / 1e6:,.3g} million cells"
    return f"{value / 1e9:,.3g} billion cells"
