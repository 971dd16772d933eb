"""Phase portrait for :mod:`primer_lib.kuznetsov`: the effector–tumor plane."""

from __future__ import annotations

import functools
import math

import altair as alt
import numpy as np
import pandas as pd

from primer_lib import kuznetsov as model
from primer_lib.charts.theme import OKABE_ITO, themed

LINES, EQUILIBRIA, START = "phase_lines", "phase_equilibria", "phase_start"
TRAJECTORY = "Trajectory"
X_NULLCLINE = "Effector nullcline (dx/dτ = 0)"
Y_NULLCLINE = "Tumor nullcline (dy/dτ = 0)"
SEPARATRIX = "Escape threshold (separatrix)"
_SERIES = (TRAJECTORY, X_NULLCLINE, Y_NULLCLINE, SEPARATRIX)
#: Axis ranges (10^6 cells): y up to the carrying capacity 1/β = 500.
X_MAX, Y_MAX = 3.5, 500.0
_Y_TICKS = [0, 1, 2, 5, 10, 20, 50, 100, 200, 500]
_STABILITY = ("stable", "unstable")


def phase_chart() -> alt.LayerChart:
    """Tumor against effector cells: nullclines, separatrix, steady states, trajectory.

    The y axis is symlog (linear below 1, logarithmic above), so the tumor-free
    state at y = 0 and the steady states at 8 and 447 million cells all show.
    Reads the named datasets made by :func:`phase_data`.
    """
    x = alt.X("x:Q", title="Effector cells (10^6)", scale=alt.Scale(domain=[0, X_MAX]))
    y = alt.Y("y:Q", title="Tumor cells (10^6)",
              scale=alt.Scale(type="symlog", constant=1, domain=[0, Y_MAX]),
              axis=alt.Axis(values=_Y_TICKS))
    lines = alt.Chart(alt.NamedData(LINES)).mark_line(clip=True).encode(
        x=x, y=y, order="order:Q", detail="curve:N",
        color=alt.Color("series:N", title=None, legend=alt.Legend(columns=2, labelLimit=300),
                        scale=alt.Scale(domain=list(_SERIES),
                                        range=[OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[3], OKABE_ITO[7]])),
        strokeDash=alt.StrokeDash("series:N", title=None,
                                  scale=alt.Scale(domain=list(_SERIES),
                                                  range=[[1, 0], [2, 2], [2, 2], [8, 4]])),
        strokeWidth=alt.condition(f"datum.series == '{TRAJECTORY}'", alt.value(3), alt.value(2)),
    )
    hover = alt.Chart(alt.NamedData(LINES)).transform_filter(
        f"datum.series == '{TRAJECTORY}'").mark_point(opacity=0, size=150, clip=True).encode(
        x=x, y=y, tooltip=[alt.Tooltip("day:Q", title="Day", format=".0f"),
                           alt.Tooltip("x:Q", title="Effector cells (10^6)", format=".3g"),
                           alt.Tooltip("y:Q", title="Tumor cells (10^6)", format=".3g")])
    start = alt.Chart(alt.NamedData(START)).mark_point(
        shape="square", size=130, filled=True, color=OKABE_ITO[0]).encode(
        x=x, y=y, tooltip=[alt.Tooltip("label:N", title="Start")])
    states = alt.Chart(alt.NamedData(EQUILIBRIA)).mark_point(
        shape="circle", size=170, strokeWidth=2.5, stroke=OKABE_ITO[1], opacity=1).encode(
        x=x, y=y,
        fill=alt.Fill("stability:N", title="Steady state", legend=alt.Legend(direction="vertical"),
                      scale=alt.Scale(domain=list(_STABILITY), range=[OKABE_ITO[1], "white"])),
        tooltip=[alt.Tooltip("name:N", title="Steady state"), alt.Tooltip("kind:N", title="Kind"),
                 alt.Tooltip("x:Q", title="Effector cells (10^6)", format=".3g"),
                 alt.Tooltip("y:Q", title="Tumor cells (10^6)", format=".3g")])
    return themed(alt.LayerChart(layer=[lines, hover, start, states],
                                 title="Effector cells against tumor cells"))


def _clipped(frame: pd.DataFrame, series: str, curve: str) -> pd.DataFrame:
    # Keep one point past each edge so the clipped line reaches the frame of the plot.
    inside = ((frame["x"] <= X_MAX) & (frame["y"] <= Y_MAX)).to_numpy()
    keep = inside.copy()
    keep[1:] |= inside[:-1]
    keep[:-1] |= inside[1:]
    part = frame.loc[keep, ["x", "y"]].reset_index(drop=True)
    return part.assign(series=series, curve=curve, order=np.arange(len(part)), day=np.nan)


def phase_data(trajectory: pd.DataFrame,
               params: model.KuznetsovParams = model.KUZNETSOV_1994) -> dict[str, pd.DataFrame]:
    """Datasets for :func:`phase_chart` from :func:`primer_lib.kuznetsov.simulate` output."""
    static_lines, states = _fixed_by(params)
    path = trajectory[["x", "y", "day"]].assign(series=TRAJECTORY, curve="trajectory",
                                               order=np.arange(len(trajectory)))
    first = trajectory.iloc[0]
    start = pd.DataFrame({"x": [first["x"]], "y": [first["y"]],
                          "label": [f"{first['x']:.3g} million effector, "
                                    f"{first['y']:.3g} million tumor cells"]})
    return {LINES: pd.concat([path, static_lines], ignore_index=True)[list(static_lines.columns)],
            EQUILIBRIA: states.copy(), START: start}


@functools.lru_cache(maxsize=16)
def _fixed_by(params: model.KuznetsovParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Nullclines, separatrix and steady states depend on the parameters only:
    # built once, so a slider move pays for the trajectory alone.
    parts = []
    for (which, branch), piece in model.nullclines(params, y_max=Y_MAX).groupby(["nullcline", "branch"]):
        parts.append(_clipped(piece, X_NULLCLINE if which == "x" else Y_NULLCLINE, f"{which}{branch}"))
    parts.append(_clipped(model.separatrix(params), SEPARATRIX, "separatrix"))
    lines = pd.concat(parts, ignore_index=True)[["series", "curve", "order", "x", "y", "day"]]
    states = pd.DataFrame([{"x": e.x, "y": e.y, "kind": e.kind, "name": model.state_name(e, params),
                            "stability": "stable" if e.stable else "unstable"}
                           for e in model.equilibria(params)])
    return lines, states


def describe_phase(trajectory: pd.DataFrame,
                   params: model.KuznetsovParams = model.KUZNETSOV_1994) -> str:
    """One paragraph: where the trajectory goes, the threshold, the steady states."""
    x0, y0 = float(trajectory["x"].iloc[0]), float(trajectory["y"].iloc[0])
    end = model.final_state(x0, y0, params)
    peak = int(trajectory["y"].to_numpy().argmax())
    peak_y, peak_day = trajectory["y"].iloc[peak], trajectory["day"].iloc[peak]
    if end.equilibrium is None or end.outcome == "not settled":
        path = (f"the state has not settled after {model.TAU_SETTLE:g} τ-units "
                f"({model.TAU_SETTLE * model.DAYS_PER_TAU:.0f} days)")
    else:
        path = _path(end, y0, peak_y, peak_day)
    threshold = model.separatrix_threshold(x0, params)
    if math.isnan(threshold):
        split = "has no single value for these parameters (the boundary is not a curve over the effectors)"
    elif math.isinf(threshold):
        split = "lies above 1000 million tumor cells: every tumor up to the carrying capacity ends dormant"
    else:
        split = f"is {_millions(threshold)} tumor cells: smaller tumors end dormant, larger ones escape"
    states = model.equilibria(params)
    listing = "; ".join(f"{model.state_name(e, params)} ({e.kind}) at {e.x:.3g}, {e.y:.3g}"
                        for e in states)
    saddle = (" The tumor-free state is a saddle, so no tumor is eliminated."
              if states[0].kind == "saddle" else "")
    return (
        f"Phase portrait of effector cells (horizontal) against tumor cells (vertical, log-like "
        f"scale, both in millions). Starting from {_millions(y0)} tumor and {_millions(x0)} "
        f"effector cells, {path}. With this many effector cells at the start, the escape "
        f"threshold (dashed line) {split}. Steady states (effector, tumor): {listing}.{saddle}"
    )


def _path(end: model.FinalState, y0: float, peak_y: float, peak_day: float) -> str:
    """Where a settled trajectory goes, for :func:`describe_phase`."""
    if end.equilibrium is None:
        raise ValueError("end must be a FinalState that settled at a steady state")
    target = (f"the {end.outcome} state of {_millions(end.equilibrium.y)} tumor and "
              f"{_millions(end.equilibrium.x)} effector cells")
    settles = "spirals slowly into" if end.equilibrium.kind == "stable focus" else "settles at"
    if end.outcome != "dormant":
        return f"the tumor ends at {target}"
    if peak_y > 1.05 * y0:
        return (f"the tumor first grows to {_millions(peak_y)} cells by day {peak_day:.0f}, then "
                f"the effectors control it and it {settles} {target}")
    return f"the effectors control the tumor and it {settles} {target}"


def _millions(value: float) -> str:
    return f"{value:.3g} million"
