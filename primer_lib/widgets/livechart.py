"""LiveChart: an offline Vega-Lite widget that updates by data, not by spec.

Why not ``alt.JupyterChart``? Offline it needs ``vl-convert-python`` (+96 MB per
kernel) and it ships a ~900 KB bundle in every chart's state; replacing its chart
re-embeds the whole view (~55 ms to the new drawing, plus 17-24 ms of
``to_dict()`` in the kernel). LiveChart embeds the spec once and sends only the
named datasets that change, which the browser applies with ``view.data``.
The README's "How it works" section records the measurements.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from importlib import resources
from typing import Any

import altair as alt
import anywidget
import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

_JS = resources.files("primer_lib.widgets") / "js"
#: Bump when vega-bundle.js changes, so a page never mixes two bundles.
LIBRARY_VERSION = "vega6.4.0-vl6.4.1-tt1.1.0"

Columns = dict[str, list[Any]]

#: The page's kernel watchdog (js/livechart.js) sends PING through one live chart every few seconds;
#: a missing PONG tells the learner the kernel is gone.
PING = "primer-ping"
PONG = "primer-pong"


class VegaLibrary(widgets.Widget):
    """Carries the Vega/Vega-Lite bundle to the page once per kernel."""

    _model_name = traitlets.Unicode("WidgetModel").tag(sync=True)
    _model_module = traitlets.Unicode("@jupyter-widgets/base").tag(sync=True)
    _model_module_version = traitlets.Unicode("2.0.0").tag(sync=True)
    source = traitlets.Unicode().tag(sync=True)


@functools.cache
def _bundle_source() -> str:
    return (_JS / "vega-bundle.js").read_text(encoding="utf-8")


def vega_library() -> VegaLibrary:
    """Return this kernel's one open VegaLibrary widget, creating it if needed."""
    library = _shared_library()
    if library.comm is None:  # closed (e.g. Widget.close_all()): start afresh
        _shared_library.cache_clear()
        library = _shared_library()
    return library


@functools.cache
def _shared_library() -> VegaLibrary:
    # One per kernel process: every LiveChart on a page points at it, so the
    # bundle crosses the websocket once.
    return VegaLibrary(source=_bundle_source())


class LiveChart(anywidget.AnyWidget):
    """A Vega-Lite chart whose named datasets and parameters update live.

    Build it from an Altair chart whose data are ``alt.NamedData`` placeholders,
    then call :meth:`update` with new data frames for those names.
    """

    _esm = _JS / "livechart.js"
    _css = """
    .primer-livechart { min-height: 2em; }
    .primer-livechart-error { color: #b00020; font-weight: bold; }
    """
    spec = traitlets.Dict().tag(sync=True)
    datasets = traitlets.Dict().tag(sync=True)
    params = traitlets.Dict().tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    library = traitlets.Instance(VegaLibrary).tag(sync=True, **widgets.widget_serialization)
    library_version = traitlets.Unicode(LIBRARY_VERSION).tag(sync=True)

    def __init__(
        self,
        chart: alt.TopLevelMixin,
        data: Mapping[str, pd.DataFrame],
        description: str = "",
        **kwargs: Any,
    ) -> None:
        if not isinstance(chart, alt.TopLevelMixin):
            raise TypeError(f"chart must be an Altair chart; got {type(chart).__name__}")
        super().__init__(
            spec=chart.to_dict(),
            datasets=columns_of(data),
            description=description,
            library=vega_library(),
            **kwargs,
        )
        self.on_msg(self._answer_heartbeat)

    def _answer_heartbeat(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """Reply to the page's watchdog; only a beat number goes back, nothing the client sent."""
        if isinstance(content, dict) and content.get("type") == PING:
            beat = content.get("beat")
            ok = isinstance(beat, int) and not isinstance(beat, bool) and 0 <= beat < 2**53
            self.send({"type": PONG, "beat": beat if ok else None})

    def update(self, data: Mapping[str, pd.DataFrame], description: str | None = None) -> None:
        """Replace the named datasets (and the text description) in one message."""
        with self.hold_sync():
            self.datasets = columns_of(data)
            if description is not None:
                self.description = description

    def __repr__(self) -> str:
        # The default repr would print the whole spec and every data value.
        names = ", ".join(sorted(self.datasets))
        return f"LiveChart(datasets=[{names}])"


def columns_of(data: Mapping[str, pd.DataFrame]) -> dict[str, Columns]:
    """Turn ``{name: DataFrame}`` into JSON-ready columns (NaN/inf become null)."""
    if not isinstance(data, Mapping):
        raise TypeError(f"data must map dataset names to DataFrames; got {type(data).__name__}")
    out: dict[str, Columns] = {}
    for name, frame in data.items():
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"data[{name!r}] must be a pandas DataFrame; got {type(frame).__name__}")
        if len(frame) > alt.data_transformers.options.get("max_rows", 5000):
            raise ValueError(
                f"data[{name!r}] has {len(frame)} rows; aggregate to at most 5000 before charting"
            )
        out[name] = {str(c): _json_column(frame[c]) for c in frame.columns}
    return out


def _json_column(series: pd.Series) -> list[Any]:
    if pd.api.types.is_float_dtype(series.dtype):
        values = series.to_numpy(dtype=float)
        finite = np.isfinite(values)
        if finite.all():
            return values.tolist()
        return [v if ok else None for v, ok in zip(values.tolist(), finite.tolist(), strict=True)]
    if pd.api.types.is_bool_dtype(series.dtype) or pd.api.types.is_integer_dtype(series.dtype):
        return series.tolist()
    return [None if (isinstance(v, float) and math.isnan(v)) else str(v) for v in series.tolist()]
