"""The course's one chart theme: Okabe-Ito colours, projector-sized text.

Applied by each chart builder through :func:`themed` rather than registered and
enabled globally, so importing the course changes no one else's charts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

import altair as alt

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with the common
#: colour-vision deficiencies. Ordered so the first two contrast most.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#E69F00",  # orange
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow (use on dark marks only)
    "#000000",  # black
)

WIDTH_PX = 560
HEIGHT_PX = 300
FONT = "Helvetica, Arial, sans-serif"

ChartT = TypeVar("ChartT", bound=alt.TopLevelMixin)


def course_theme() -> alt.theme.ThemeConfig:
    """The theme as an Altair ``ThemeConfig`` (sizes in px, fonts ≥ 14 px)."""
    return alt.theme.ThemeConfig(
        width=WIDTH_PX,
        height=HEIGHT_PX,
        config=alt.theme.ConfigKwds(
            font=FONT,
            range=alt.theme.RangeConfigKwds(category=list(OKABE_ITO)),
            axis=alt.theme.AxisConfigKwds(labelFontSize=14, titleFontSize=16,
                                          titleFontWeight="normal", gridOpacity=0.5),
            legend=alt.theme.LegendConfigKwds(labelFontSize=14, titleFontSize=15,
                                              orient="bottom", symbolStrokeWidth=3,
                                              labelLimit=360),
            title=alt.theme.TitleConfigKwds(fontSize=18, anchor="start"),
            line=alt.theme.LineConfigKwds(strokeWidth=3),
            point=alt.theme.MarkConfigKwds(size=90, filled=True),
            view=alt.theme.ViewConfigKwds(stroke=None),
        ),
    )


def themed(chart: ChartT, width: int | None = None, height: int | None = None) -> ChartT:
    """Return ``chart`` with the course theme as its top-level config.

    Single and layered charts get the theme's size (or ``width``/``height`` in px);
    concatenated charts keep the sizes of their parts.
    """
    theme = course_theme()
    if isinstance(chart, alt.Chart | alt.LayerChart):
        chart = cast(ChartT, chart.properties(width=width or theme["width"],
                                              height=height or theme["height"]))
    return cast(ChartT, chart.configure(**theme["config"]))


def resized(spec: Mapping[str, Any], width_scale: float = 1.0, height_scale: float = 1.0) -> dict[str, Any]:
    """A copy of a Vega-Lite ``spec`` with every view's numeric width and height scaled.

    Text, marks and ``{"step": ...}`` sizes keep their size: a classroom dashboard shrinks
    a lesson's plots to fit one screen without making their labels smaller.
    """
    for name, factor in (("width_scale", width_scale), ("height_scale", height_scale)):
        if not isinstance(factor, int | float) or isinstance(factor, bool) or not 0.3 <= factor <= 2.0:
            raise ValueError(f"{name} must be a number from 0.3 to 2.0; got {factor!r}")

    def scale(node: Any) -> Any:
        if isinstance(node, list):
            return [scale(item) for item in node]
        if not isinstance(node, Mapping):
            return node
        out = {key: scale(value) for key, value in node.items() if key not in ("data", "datasets", "config")}
        for key in ("data", "datasets", "config"):
            if key in node:
                out[key] = node[key]
        if not _VIEW_KEYS & node.keys():  # a mark's or a legend's width is not a view size
            return out
        for key, factor in (("width", width_scale), ("height", height_scale)):
            if isinstance(node.get(key), int | float) and not isinstance(node.get(key), bool):
                out[key] = round(node[key] * factor)
        return out

    return cast(dict[str, Any], scale(spec))


_VIEW_KEYS = {"mark", "layer", "hconcat", "vconcat", "concat", "facet", "repeat"}
