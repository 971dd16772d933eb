"""Charts for :mod:`primer_lib.resistance` (lesson 03): burden courses with hidden states, and scans."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import altair as alt
import numpy as np
import pandas as pd

from primer_lib.charts.theme import OKABE_ITO, themed
from primer_lib.resistance import (
    PROGRESSION_FACTOR,
    RESPONSE_THRESHOLD,
    Case,
    classify_course,
    course_events,
)

BURDEN, STATES, SCANS = "burden", "states", "scans"
#: Burden below this (a millionth of baseline, or none) is drawn at the bottom of the log axis.
BURDEN_FLOOR = 1e-6
BURDEN_DOMAIN = (BURDEN_FLOOR, 10.0)
STATE_DOMAIN = (1e-4, 10.0)
#: Hidden states drawn in the lower panel, with their frame column and the scale they are drawn on.
STATE_SERIES: tuple[tuple[str, str], ...] = (
    ("PD-L1 (relative)", "pdl1"),
    ("T cells in tumor bed (× day 0)", "effector"),
    ("Exhaustion X (0–1)", "exhaustion"),
    ("Suppressive cytokines Y (relative)", "cytokines"),
    ("Resistant fraction R/T", "resistant_fraction"),
)
_STATE_COLOURS = (OKABE_ITO[4], OKABE_ITO[2], OKABE_ITO[1], OKABE_ITO[3], OKABE_ITO[7])
_THRESHOLDS = pd.DataFrame({
    "y": [RESPONSE_THRESHOLD, PROGRESSION_FACTOR],
    "label": ["0.7: response (−30%)", "1.2: progression (+20% over the nadir)"]})
# Small values as 1e-6, others as plain numbers.
_LOG_LABELS = "datum.value < 0.01 ? format(datum.value, '.0e') : format(datum.value, '~g')"
#: Every third day: smooth at chart size, and a third of the data to send per move.
EVERY = 3


def _rules(values: Sequence[float], labels: Sequence[str], right: int) -> alt.LayerChart:
    # Dashed lines at the thresholds; the first label sits below its line, the others above.
    layers: list[alt.Chart] = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        data = alt.Data(values=[{"y": value, "label": label}])
        layers.append(alt.Chart(data).mark_rule(strokeDash=[5, 4], color="#555555").encode(y="y:Q"))
        layers.append(alt.Chart(data).mark_text(
            align="right", baseline="top" if i == 0 else "bottom", dy=2 if i == 0 else -2, fontSize=13,
            color="#333333").encode(y="y:Q", x=alt.value(right), text="label:N"))
    return alt.LayerChart(layer=layers)


def resistance_chart(series: Sequence[str] | None = None) -> alt.VConcatChart:
    """Relative burden over days (log scale, 0.7 and 1.2 marked) above the hidden states of one course.

    ``series`` fixes the legend's order and colours (e.g. the four mechanisms);
    without it the legend follows the data. Reads :data:`BURDEN` and
    :data:`STATES` made by :func:`resistance_data`.
    """
    colour = (alt.Scale(domain=list(series), range=list(OKABE_ITO[:len(series)])) if series
              else alt.Scale(range=list(OKABE_ITO)))
    lines = alt.Chart(alt.NamedData(BURDEN)).mark_line().encode(
        x=alt.X("day:Q", title="Day on anti-PD-1", scale=alt.Scale(nice=False)),
        y=alt.Y("shown:Q", title="Tumor burden (× baseline, log scale)",
                scale=alt.Scale(type="log", domain=list(BURDEN_DOMAIN), clamp=True),
                axis=alt.Axis(values=[1e-6, 1e-4, 0.01, 1, 10], labelExpr=_LOG_LABELS)),
        color=alt.Color("series:N", title=None, scale=colour, sort=None,
                        legend=alt.Legend(orient="right", labelLimit=260)),
        opacity=alt.Opacity("emphasis:N", scale=alt.Scale(domain=["selected", "other"], range=[1.0, 0.4]),
                            legend=None),
        strokeWidth=alt.StrokeWidth("emphasis:N", scale=alt.Scale(domain=["selected", "other"],
                                                                  range=[4, 2]), legend=None),
        tooltip=["series:N", alt.Tooltip("day:Q", format=".0f"),
                 alt.Tooltip("tumor:Q", title="Burden (× baseline)", format=".3~g"), "verdict:N"])
    rules = _rules(list(_THRESHOLDS["y"]), list(_THRESHOLDS["label"]), 415)
    burden = alt.layer(lines, rules).properties(
        width=420, height=300, title="Tumor burden on anti-PD-1")
    states = alt.Chart(alt.NamedData(STATES)).mark_line().encode(
        x=alt.X("day:Q", title="Day on anti-PD-1", scale=alt.Scale(nice=False)),
        y=alt.Y("value:Q", title="Level (log scale)",
                scale=alt.Scale(type="log", domain=list(STATE_DOMAIN), clamp=True),
                axis=alt.Axis(values=[1e-4, 1e-3, 0.01, 0.1, 1, 10], labelExpr=_LOG_LABELS)),
        color=alt.Color("state:N", title=None,
                         scale=alt.Scale(domain=[name for name, _ in STATE_SERIES],
                                         range=list(_STATE_COLOURS)),
                         legend=alt.Legend(orient="right", labelLimit=260)),
        tooltip=["course:N", "state:N", alt.Tooltip("day:Q", format=".0f"),
                 alt.Tooltip("value:Q", format=".3~g")],
    ).properties(width=420, height=180, title="Hidden states of the highlighted course")
    return themed(alt.vconcat(burden, states).resolve_scale(color="independent"))


def resistance_data(frames: Mapping[str, pd.DataFrame], selected: str | None = None,
                    every: int = EVERY) -> dict[str, pd.DataFrame]:
    """Long-form data for :func:`resistance_chart` from ``simulate_resistance`` runs.

    ``frames`` maps a series name to its run; ``selected`` (default: the first)
    is highlighted and its hidden states fill the lower panel. States that stay at
    zero (a switch that is off, no clone) are left out. Every ``every``-th day is kept.
    """
    if not frames:
        raise ValueError("frames must hold at least one simulate_resistance run")
    chosen = selected if selected is not None else next(iter(frames))
    if chosen not in frames:
        raise ValueError(f"selected must be one of {list(frames)}; got {chosen!r}")
    # One frame from numpy columns: building small frames and concatenating them costs milliseconds.
    names = list(frames)
    thin = {name: frames[name].iloc[::every] for name in names}
    lengths = [len(thin[name]) for name in names]
    tumor = np.concatenate([thin[name]["tumor"].to_numpy() for name in names])
    burden = pd.DataFrame({
        "day": np.concatenate([thin[name]["day"].to_numpy() for name in names]), "tumor": tumor,
        "shown": np.maximum(tumor, BURDEN_FLOOR),
        "series": np.repeat(names, lengths),
        "emphasis": np.repeat(["selected" if name == chosen else "other" for name in names], lengths),
        "verdict": np.repeat([classify_course(frames[name]["tumor"].to_numpy()) for name in names], lengths)})
    frame, days = frames[chosen], thin[chosen]["day"].to_numpy()
    shown = [(label, column) for label, column in STATE_SERIES if np.any(frame[column].to_numpy() > 0)]
    states = pd.DataFrame({
        "day": np.tile(days, len(shown)),
        "value": np.concatenate([thin[chosen][column].to_numpy() / _scale(frame, column)
                                 for _, column in shown]) if shown else np.empty(0),
        "state": np.repeat([label for label, _ in shown], len(days)), "course": chosen})
    return {BURDEN: burden, STATES: states}


def summarize_course(frame: pd.DataFrame) -> str:
    """A course in words: its verdict, nadir, relapse or elimination, and burden at the end."""
    tumor, day = frame["tumor"].to_numpy(), frame["day"].to_numpy()
    verdict = classify_course(tumor)
    responded, progressed = course_events(tumor)
    low = int(np.argmin(tumor))
    parts = [verdict]
    gone = np.flatnonzero(tumor == 0)
    if responded is None:
        parts.append(f"never below 0.7 (smallest {_burden(tumor[low])} on day {day[low]:.0f})")
    else:
        parts.append(f"below 0.7 on day {day[responded]:.0f}")
        parts.append(f"eliminated on day {day[gone[0]]:.0f}" if gone.size
                     else f"nadir {_burden(tumor[low])} on day {day[low]:.0f}")
    if progressed is not None:
        parts.append(f"progression from day {day[progressed]:.0f}")
    parts.append(f"{_burden(tumor[-1])} × baseline on day {day[-1]:.0f}")
    return ", ".join(parts)


def describe_resistance(frames: Mapping[str, pd.DataFrame], selected: str | None = None,
                        notes: Mapping[str, str] | None = None) -> str:
    """One paragraph: each course's verdict (:func:`~primer_lib.resistance.classify_course`) and numbers.

    ``notes`` adds each series' settings in words; the highlighted course's hidden
    states are summarised at the end.
    """
    chosen = selected if selected is not None else next(iter(frames))
    notes = notes or {}
    lines = []
    for name, frame in frames.items():
        note = f" ({notes[name]})" if name in notes else ""
        lines.append(f"{name}{note}: {summarize_course(frame)}")
    frame = frames[chosen]
    states = [f"{label} from {_level(frame[column].iloc[0] / _scale(frame, column))} to "
              f"{_level(frame[column].iloc[-1] / _scale(frame, column))} "
              f"(peak {_level(frame[column].max() / _scale(frame, column))})"
              for label, column in STATE_SERIES if np.any(frame[column].to_numpy() > 0)]
    return ("Top: tumor burden relative to day 0 (log scale; below a millionth, or eliminated, at the "
            "bottom) on anti-PD-1, with the response line at 0.7 and the progression line at 1.2. "
            + "; ".join(lines) + f". Below, hidden states of {chosen}: " + "; ".join(states) + ".")


def _scale(frame: pd.DataFrame, column: str) -> float:
    return (float(frame["effector"].iloc[0]) or 1.0) if column == "effector" else 1.0


def _burden(value: float) -> str:
    if value == 0:
        return "0"
    return f"{value:.2g}" if value < 0.01 else f"{value:.2f}"


def _level(value: float) -> str:
    return f"{value:.3g}"


def scans_chart() -> alt.LayerChart:
    """A spider-plot panel: one patient's scans as % change from baseline, −30% and +20% marked."""
    points = alt.Chart(alt.NamedData(SCANS)).encode(
        x=alt.X("day:Q", title="Day of scan", scale=alt.Scale(domain=[0, 380], nice=False),
                axis=alt.Axis(values=list(range(0, 380, 42)))),
        y=alt.Y("change:Q", title="Change from baseline", scale=alt.Scale(domain=[-1.0, 4.5], clamp=True),
                axis=alt.Axis(format="+.0%", values=[-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])),
        tooltip=[alt.Tooltip("day:Q", title="Day", format=".0f"),
                 alt.Tooltip("burden:Q", title="Burden (× baseline)", format=".3~g"),
                 alt.Tooltip("change:Q", title="Change", format="+.0%")])
    line = points.mark_line(color=OKABE_ITO[0])
    dots = points.mark_point(color=OKABE_ITO[0])
    rules = _rules([RESPONSE_THRESHOLD - 1.0, PROGRESSION_FACTOR - 1.0],
                   ["−30% from baseline", "+20% over baseline"], 475)
    return themed(alt.LayerChart(layer=[line, dots, rules], title="Scans every 6 weeks on anti-PD-1"),
                  width=480, height=300)


def scans_data(case: Case) -> dict[str, pd.DataFrame]:
    """Data for :func:`scans_chart` from one case of :func:`~primer_lib.resistance.canonical_courses`."""
    burden = np.asarray(case.burden, dtype=float)
    return {SCANS: pd.DataFrame({"day": np.asarray(case.days, dtype=float), "burden": burden,
                                 "change": burden - 1.0})}


def describe_scans(name: str, case: Case) -> str:
    """The scans in words, without the answer: day and % change from baseline of each scan."""
    scans = ", ".join(f"day {d:.0f}: {_change(b)}" for d, b in zip(case.days, case.burden, strict=True))
    return (f"{name}: tumor burden on each scan as change from baseline; dashed lines at −30% from "
            f"baseline and at +20%. {scans}.")


def _change(burden: float) -> str:
    if burden == 0:
        return "−100% (no tumor seen)"
    if math.isnan(burden):
        return "not measured"
    change = 100 * (burden - 1)
    return f"{change:+.1f}%".replace("-", "−") if change < -99 else f"{change:+.0f}%".replace("-", "−")
