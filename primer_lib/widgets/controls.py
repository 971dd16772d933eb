"""Controls built from the parameter registry: label + unit, tooltip = meaning + source."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as widgets

from primer_lib.glossary import with_definitions
from primer_lib.parameters import Parameter
from primer_lib.registry import parameter as lookup

CONTROL_WIDTH = "34em"
LABEL_WIDTH = "15em"


def label_of(param: Parameter) -> str:
    """Slider label: words and unit, e.g. ``"Tumor growth rate (1/day)"``."""
    return f"{param.label} ({param.unit})" if param.unit else param.label


def slider(name: str | Parameter, value: float | None = None) -> widgets.FloatSlider:
    """A slider for a registered parameter, over its allowed range.

    ``continuous_update=False`` would hide the live link; sliders update while
    dragging, and the app keeps each update within the performance budget.
    """
    param = name if isinstance(name, Parameter) else lookup(name)
    start = param.default if value is None else param.check(value)
    decimals = max(0, -math.floor(math.log10(param.step))) if param.step < 1 else 0
    return widgets.FloatSlider(
        value=start, min=param.minimum, max=param.maximum, step=param.step,
        description=label_of(param), tooltip=with_definitions(param.tooltip, param.label),
        readout_format=f".{decimals}f", continuous_update=True,
        style={"description_width": LABEL_WIDTH}, layout=widgets.Layout(width=CONTROL_WIDTH),
    )


def dropdown(options: Any, value: Any, description: str, tooltip: str) -> widgets.Dropdown:
    """A dropdown sized and labelled like the sliders."""
    return widgets.Dropdown(options=options, value=value, description=description, tooltip=tooltip,
                            style={"description_width": LABEL_WIDTH},
                            layout=widgets.Layout(width=CONTROL_WIDTH))
