"""The course's one chart theme: Okabe-Ito colours, projector-sized text.

Applied by each chart builder through :func:`themed` rather than registered and
enabled globally, so importing the course changes no one else's charts.
"""

from __future__ import annotations

from typing import TypeVar, cast

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
