"""The app pattern: controls -> model -> chart update, returned and never displayed.

An :class:`App` holds ``.controls`` (widgets keyed by parameter name), ``.chart``
(one :class:`LiveChart`) and ``.widget`` (the layout to show). Tests set a
control's ``.value`` and read ``.chart.datasets``; no browser needed.
"""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import pandas as pd

from primer_lib.glossary import with_definitions
from primer_lib.widgets.livechart import LiveChart
from primer_lib.widgets.tooltips import TooltipBridge, tooltip_bridge

#: Given control values by name, return (datasets, text description).
Update = Callable[[Mapping[str, Any]], tuple[Mapping[str, pd.DataFrame], str]]


@dataclass
class App:
    """A live explorer: controls wired to one chart."""

    title: str
    controls: dict[str, widgets.ValueWidget]
    chart: LiveChart
    widget: widgets.Box
    description: widgets.HTML
    status: widgets.HTML
    update: Update = field(repr=False)
    last_update_ms: float = 0.0
    #: Shows the dropdowns' and checkboxes' tooltips in the page (see :mod:`.tooltips`).
    tooltips: TooltipBridge | None = field(default=None, repr=False)
    _holding: bool = field(default=False, repr=False)

    def values(self) -> dict[str, Any]:
        """Current control values keyed by parameter name."""
        return {name: control.value for name, control in self.controls.items()}

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Set several controls at once, then update the chart once (a preset, not N redraws)."""
        if not isinstance(values, Mapping):
            raise TypeError(f"values must map control names to values; got {type(values).__name__}")
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"values must name controls of this app ({', '.join(self.controls)}); "
                             f"got {', '.join(unknown)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.refresh()

    def refresh(self, *_: Any) -> None:
        """Recompute from the controls and update the chart.

        Bad combinations of values become a short message under the controls,
        never a traceback on the page.
        """
        if self._holding:
            return
        start = time.perf_counter()
        try:
            data, text = self.update(self.values())
        except Exception as error:  # noqa: BLE001 - a page must never show a traceback
            self.status.value = _message(f"Cannot show these settings: {error}")
            return
        self.chart.update(data, text)
        self.description.value = _description(text)
        self.status.value = ""
        self.last_update_ms = (time.perf_counter() - start) * 1e3

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        # Saved notebooks keep only text/plain (widget state is stripped), so it
        # must say something useful, and carry no memory address.
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = (f"[Interactive: {self.title}. Run this cell to use its "
                                f"controls: {', '.join(c.description for c in self.controls.values())}.]")
        return bundle


_UNIT = re.compile(r"\s*\([^()]*\)$")  # a trailing "(unit)"


def build_app(title: str, controls: Mapping[str, widgets.ValueWidget], chart: LiveChart,
              update: Update, intro: str = "") -> App:
    """Wire ``controls`` to ``chart`` through ``update`` and lay them out."""
    description = widgets.HTML(_description(chart.description))
    status = widgets.HTML("", layout=widgets.Layout(min_height="1.5em"))
    heading = widgets.HTML(f"<h4 class='primer-app-title'>{html.escape(title)}</h4>"
                           + (f"<p>{html.escape(intro)}</p>" if intro else ""))
    for control in controls.values():
        control.tooltip = with_definitions(control.tooltip or "", control_words(control))
    bridge = tooltip_bridge(controls.values())
    box = widgets.VBox([heading, *_rows(list(controls.values())), status, chart, description, bridge],
                       layout=widgets.Layout(width="100%"))
    box.add_class("primer-app")
    app = App(title=title, controls=dict(controls), chart=chart, widget=box,
              description=description, status=status, update=update, tooltips=bridge)
    for control in controls.values():
        control.observe(app.refresh, names="value")
    return app


def control_words(control: widgets.Widget) -> str:
    """A control's label and option labels, without their units: the words a learner may need
    the glossary for ("IFN-γ score (SD)" names IFN-γ; its SD is a standard deviation)."""
    labels = [getattr(control, "description", ""), *map(str, getattr(control, "_options_labels", ()))]
    return label_words(labels)


def label_words(labels: Sequence[str]) -> str:
    """Labels joined, each without a trailing "(unit)"."""
    return " · ".join(_UNIT.sub("", label) for label in labels)


def _rows(controls: list[widgets.Widget]) -> list[widgets.Widget]:
    """Controls one per line, except runs of checkboxes, which share a line."""
    rows: list[widgets.Widget] = []
    for control in controls:
        if isinstance(control, widgets.Checkbox) and rows and isinstance(rows[-1], widgets.HBox):
            rows[-1].children += (control,)
        elif isinstance(control, widgets.Checkbox):
            rows.append(widgets.HBox([control], layout=widgets.Layout(flex_flow="row wrap")))
        else:
            rows.append(control)
    return rows


def _description(text: str) -> str:
    # aria-live: screen readers announce the new description after each move.
    return (f"<details open class='primer-chart-description'><summary>Chart description</summary>"
            f"<p aria-live='polite'>{html.escape(text)}</p></details>")


def _message(text: str) -> str:
    return f"<p role='alert' style='color:#b00020;font-weight:bold'>{html.escape(text)}</p>"
