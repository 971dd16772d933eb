"""Charts for :mod:`primer_lib.schedules` (lesson 02): trial schedules and a pair of therapies."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from typing import Literal

import altair as alt
import numpy as np
import pandas as pd

from primer_lib.charts import format_cells, last_dose_data, last_dose_layers
from primer_lib.charts.theme import OKABE_ITO, themed
from primer_lib.schedules import TRIAL_RESULTS, PairOutcome, progression_day

ARMS, RESULTS = "arms", "results"
PAIR, EFFECTS, PAIR_STOP = "pair", "effects", "pair_stop"
_LOG_Y = alt.Scale(type="log", domain=[1, 1e9], clamp=True)
_LOG_AXIS = alt.Axis(values=[10.0**k for k in range(0, 10, 2)], format="~s")
_WRAP = 100
_WEIGHTS: tuple[tuple[str, Literal["bold", "normal"]], ...] = (("heading", "bold"), ("result", "normal"))
IRAE = "severe irAE risk"


def _trajectories(name: str, series_title: str, domain: list[str] | None, title: str) -> alt.Chart:
    # With no fixed domain the colour scale follows the data, so the legend lists only current series.
    colour = (alt.Scale(domain=domain, range=list(OKABE_ITO[:len(domain)])) if domain
              else alt.Scale(range=list(OKABE_ITO)))
    return alt.Chart(alt.NamedData(name)).mark_line().encode(
        x=alt.X("day:Q", title="Day", scale=alt.Scale(nice=False)),
        y=alt.Y("tumor:Q", title="Tumor cells (log scale)", scale=_LOG_Y, axis=_LOG_AXIS),
        color=alt.Color("series:N", title=series_title, scale=colour, sort=None),
        tooltip=["series:N", alt.Tooltip("day:Q", format=".0f"),
                 alt.Tooltip("tumor:Q", title="Tumor cells", format=".3~s")],
    ).properties(width=420, height=300, title=title)


def schedule_chart() -> alt.VConcatChart:
    """Each arm's tumor over time, with the trial's published results (text) below."""
    lines = _trajectories(ARMS, "Arm", None, "Model: tumor burden by schedule").encode(
        color=alt.Color("series:N", title="Arm", sort=None, scale=alt.Scale(range=list(OKABE_ITO)),
                        legend=alt.Legend(orient="right")))
    # Font weight cannot be encoded from data: one text layer per weight.
    text = alt.layer(*(alt.Chart(alt.NamedData(RESULTS)).transform_filter(alt.datum.kind == kind).mark_text(
        align="left", baseline="top", fontSize=14, fontWeight=weight).encode(
        x=alt.value(0), y=alt.Y("line:O", axis=None), text="text:N")
        for kind, weight in _WEIGHTS)).properties(
        width=820, height=alt.Step(20), title="Trial: published results (the model is not fitted to them)")
    return themed(alt.vconcat(lines, text))


def schedule_data(trial: str, frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Long-form trajectories for each arm and the trial's results as wrapped text lines."""
    arms = pd.concat([pd.DataFrame({"day": f["day"], "tumor": f["tumor"], "series": arm})
                      for arm, f in frames.items()], ignore_index=True)
    lines: list[tuple[str, str]] = []
    for result in TRIAL_RESULTS:
        if result.trial.startswith(trial) or (trial == "NCT00527735" and "phase III" in result.trial):
            text = f"{result.arm}, {result.measure}: {result.value} ({result.source})"
            wrapped = textwrap.wrap(text, _WRAP)
            lines += [(wrapped[0], "heading")] + [(part, "result") for part in wrapped[1:]]
    results = pd.DataFrame({"line": range(len(lines)), "text": [t for t, _ in lines],
                            "kind": [k for _, k in lines]})
    return {ARMS: arms, RESULTS: results}


def describe_schedule(trial: str, phenotype: str, frames: Mapping[str, pd.DataFrame]) -> str:
    """One paragraph: each arm's burden at day 180 and progression day in the model."""
    parts = []
    for arm, frame in frames.items():
        day = progression_day(frame)
        when = "does not progress" if math.isnan(day) else f"progresses on day {day:.0f}"
        at_180 = float(np.interp(180.0, frame["day"], frame["tumor"]))
        parts.append(f"{arm}: {format_cells(at_180)} at day 180, {when}")
    return (f"Left: tumor cells over time for each arm of {trial}, given to the model's {phenotype} tumor. "
            + "; ".join(parts) + ". Below: the trial's published results, for comparison (the model "
            "is not fitted to them).")


def pair_chart() -> alt.HConcatChart:
    """Tumor with A, B, both, or neither; bars of tumor removed and of severe-irAE risk."""
    series = ["untreated", "A", "B", "A + B"]
    lines = alt.layer(_trajectories(PAIR, "Treatment", series, "Tumor burden"), *last_dose_layers(PAIR_STOP))
    bars = alt.Chart(alt.NamedData(EFFECTS)).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=None),
        x=alt.X("value:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=["observed", "expected if independent (Bliss)", "irAE risk"],
                                        range=[OKABE_ITO[0], OKABE_ITO[5], OKABE_ITO[1]])),
        tooltip=["measure:N", "label:N", alt.Tooltip("value:Q", format=".1%")],
    ).properties(width=240)
    removed = bars.transform_filter(alt.datum.measure != IRAE).properties(title="Tumor removed by day 90")
    risk = bars.transform_filter(alt.datum.measure == IRAE).properties(
        title=["Immune-related grade 3–4 adverse events", "(checkpoint antibodies only; 180 days; proxy)"])
    return themed(alt.hconcat(lines, alt.vconcat(removed, risk)).resolve_scale(color="independent"))


def pair_data(outcome: PairOutcome, day: float = 90.0,
              stop_day: float | None = None) -> dict[str, pd.DataFrame]:
    """Trajectories and bars for :func:`pair_chart` from :func:`combine_on_cycle`; ``stop_day`` draws
    the day after which no dose is given (None: the whole courses, no rule)."""
    frames = outcome.frames
    pair = pd.DataFrame({  # one frame from arrays: a concat of four frames costs ~3 ms per slider move
        "day": np.concatenate([f["day"].to_numpy() for f in frames.values()]),
        "tumor": np.concatenate([f["tumor"].to_numpy() for f in frames.values()]),
        "series": np.repeat(list(frames), [len(f) for f in frames.values()])})
    e = outcome.effects
    expected = e["A"] + e["B"] - e["A"] * e["B"]
    measure_e, measure_t = f"tumor removed at day {day:.0f}", IRAE
    rows = [(measure_e, "A alone", e["A"], "observed"), (measure_e, "B alone", e["B"], "observed"),
            (measure_e, "A + B", e["A + B"], "observed"),
            (measure_e, "A + B if independent", expected, "expected if independent (Bliss)")]
    rows += [(measure_t, f"{name} alone" if name != "A + B" else name, outcome.irae[name], "irAE risk")
             for name in ("A", "B", "A + B")]
    effects = pd.DataFrame(rows, columns=["measure", "label", "value", "kind"])
    return {PAIR: pair, EFFECTS: effects, PAIR_STOP: last_dose_data(stop_day)}


def describe_pair(outcome: PairOutcome, therapy_a: str, therapy_b: str) -> str:
    """One paragraph: effects, Bliss excess, verdict and irAE risks."""
    e, r = outcome.effects, outcome.irae
    return (f"Left: tumor cells over 180 days untreated, with A ({therapy_a}), B ({therapy_b}) and both. "
            f"Right: share of the tumor removed at day 90: A {e['A']:.0%}, B {e['B']:.0%}, together "
            f"{e['A + B']:.0%}; Bliss excess {outcome.bliss_excess:+.2f}: {outcome.verdict} (in the model). "
            f"Risk of a grade 3–4 immune-related adverse event from checkpoint antibodies over the 180 "
            f"days (proxy calibrated to CheckMate 067; other drugs' toxicity not counted): A {r['A']:.0%}, "
            f"B {r['B']:.0%}, together {r['A + B']:.0%}.")

