"""Charts for :mod:`primer_lib.cycle` (lesson 01): the cycle diagram and the break-a-step explorer."""

from __future__ import annotations

import math
import textwrap
from typing import cast

import altair as alt
import numpy as np
import pandas as pd

from primer_lib.charts import describe_outcome, last_dose_data, last_dose_layers
from primer_lib.charts.theme import OKABE_ITO, themed
from primer_lib.cycle import SHORT_NAMES, STEPS, THERAPIES, most_leverage
from primer_lib.outcomes import summarize_course

NODES, DETAILS = "nodes", "details"
TRAJECTORY, EFFICIENCY, LEVERAGE, STOP = "trajectory", "efficiency", "leverage", "stop"
#: Shown in the leverage panel until the learner measures it for the current settings.
#: Leverage (logs) at or below which no step is marked as the one with most leverage.
NO_LEVERAGE = 0.005
LEVERAGE_PROMPT = "Press 'Double each step' to measure"
_ROLES = ("selected step", "the therapy acts here", "other steps")
_WRAP = 44


def _angle(number: int) -> float:
    # Step 1 at the top, then clockwise, like the paper's figure.
    return math.pi / 2 - 2 * math.pi * (number - 1) / len(STEPS)


def diagram_chart() -> alt.LayerChart:
    """Seven steps around a circle; the selected step's factors and therapies listed beside it."""
    loop = pd.DataFrame({"t": np.linspace(0, 2 * math.pi, 120)})
    loop["x"], loop["y"] = np.cos(loop["t"]), np.sin(loop["t"])
    ring = alt.Chart(alt.Data(values=loop.to_dict("records"))).mark_line(
        color="#999999", strokeWidth=2).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-1.6, 4.4])),
        y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-1.5, 1.5])), order="t:Q")
    nodes = alt.Chart(alt.NamedData(NODES))
    dots = nodes.mark_circle(size=900, opacity=1).encode(
        x="x:Q", y="y:Q",
        color=alt.Color("role:N", title=None,
                        scale=alt.Scale(domain=list(_ROLES), range=[OKABE_ITO[1], OKABE_ITO[2], "#BBBBBB"])),
        tooltip=[alt.Tooltip("number:Q", title="Step"), alt.Tooltip("name:N", title="Name")])
    numbers = nodes.mark_text(fontSize=16, fontWeight="bold", color="white").encode(
        x="x:Q", y="y:Q", text="number:Q")
    # Text alignment cannot be encoded from data: one layer per side of the circle.
    names = [nodes.transform_filter(alt.datum.align == side).mark_text(
        fontSize=13, lineBreak="\n", align=side).encode(x="label_x:Q", y="label_y:Q", text="label:N")
        for side in ("left", "right", "center")]
    details = [alt.Chart(alt.NamedData(DETAILS)).transform_filter(alt.datum.weight == weight).mark_text(
        align="left", fontSize=14, fontWeight=weight).encode(x=alt.datum(1.95), y="y:Q", text="text:N")
        for weight in ("bold", "normal")]
    return themed(alt.LayerChart(layer=[ring, dots, numbers, *names, *details],
                                 title="The cancer-immunity cycle (Chen & Mellman 2013)"),
                  width=840, height=420)


def diagram_data(step: int, therapy: str | None = None) -> dict[str, pd.DataFrame]:
    """Node positions and roles, and the text lines for the selected step (and therapy)."""
    acts = set(THERAPIES[therapy].steps) if therapy else set()
    rows = []
    for s in STEPS:
        angle = _angle(s.number)
        role = _ROLES[0] if s.number == step else _ROLES[1] if s.number in acts else _ROLES[2]
        rows.append({"number": s.number, "name": s.name, "x": math.cos(angle), "y": math.sin(angle),
                     "label_x": 1.32 * math.cos(angle),
                     # The top label sits higher: its two lines are centred on this point.
                     "label_y": 1.22 * math.sin(angle) + (0.12 if math.sin(angle) > 0.9 else 0.0),
                     "align": "left" if math.cos(angle) > 0.2 else "right" if math.cos(angle) < -0.2
                     else "center", "label": "\n".join(textwrap.wrap(s.name, 22)), "role": role})
    return {NODES: pd.DataFrame(rows), DETAILS: _detail_lines(step, therapy)}


def _detail_blocks(step: int, therapy: str | None) -> list[tuple[str, str]]:
    s = STEPS[step - 1]
    here = sorted(t.id for t in THERAPIES.values() if step in t.steps)
    blocks = [(f"Step {s.number}: {s.name}", "bold"), (f"Cells: {s.cells}", "normal"),
              ("Speeds it up: " + (", ".join(s.stimulatory) or "—"), "normal"),
              ("Slows it down: " + (", ".join(s.inhibitory) or "—"), "normal"),
              ("Therapies acting here: " + (", ".join(here) or "none in the figure"), "normal")]
    if therapy:
        t = THERAPIES[therapy]
        steps = ", ".join(str(n) for n in t.steps)
        blocks.append((f"{t.id} acts at step {steps}: {t.mechanism}", "bold"))
    return blocks


def _detail_lines(step: int, therapy: str | None) -> pd.DataFrame:
    lines = [(line, weight) for text, weight in _detail_blocks(step, therapy)
             for line in textwrap.wrap(text, _WRAP, break_on_hyphens=False)]
    top = 1.35
    return pd.DataFrame({"text": [t for t, _ in lines], "weight": [w for _, w in lines],
                         "y": [top - 0.155 * i for i in range(len(lines))]})


def describe_diagram(step: int, therapy: str | None = None) -> str:
    """One paragraph: the loop, the selected step's factors, and the chosen therapy's steps."""
    text = ". ".join(t.rstrip(".") for t, _ in _detail_blocks(step, therapy))
    return ("Diagram of the seven steps of the cancer-immunity cycle arranged in a loop: antigen release, "
            "presentation, priming, trafficking, infiltration, recognition and killing, whose dying cells "
            f"release antigen again. Selected: {text}.")


def explorer_chart() -> alt.HConcatChart:
    """Tumor cells over time (log) beside each step's speed and, once measured, each step's leverage."""
    series = ("Your settings", "Untreated, same phenotype")
    tumor = alt.Chart(alt.NamedData(TRAJECTORY)).mark_line().encode(
        x=alt.X("day:Q", title="Day", scale=alt.Scale(nice=False)),
        y=alt.Y("tumor:Q", title="Tumor cells (log scale)",
                scale=alt.Scale(type="log", domain=[1, 1e9], clamp=True),
                axis=alt.Axis(values=[10.0**k for k in range(0, 10, 2)], format="~s")),
        color=alt.Color("series:N", title=None, scale=alt.Scale(domain=list(series),
                                                                range=list(OKABE_ITO[:2]))),
        strokeDash=alt.StrokeDash("series:N", title=None,
                                  scale=alt.Scale(domain=list(series), range=[[1, 0], [6, 4]])),
        tooltip=["series:N", alt.Tooltip("day:Q", format=".0f"),
                 alt.Tooltip("tumor:Q", title="Tumor cells", format=".3~s")],
    )
    tumor = alt.layer(tumor, *last_dose_layers(STOP)).properties(width=420, height=300, title="Tumor burden")
    bars = alt.Chart(alt.NamedData(EFFICIENCY)).encode(
        y=alt.Y("step:N", title=None, sort=None),
        x=alt.X("speed:Q", title="Speed (× unobstructed)",
                scale=alt.Scale(type="log", domain=[0.01, 10], clamp=True),
                axis=alt.Axis(values=[0.01, 0.1, 1, 10], format="~g")),
        tooltip=["step:N", alt.Tooltip("speed:Q", format=".2f"), "note:N"])
    bar = bars.mark_bar().encode(
        color=alt.Color("note:N", title=None,
                        scale=alt.Scale(domain=["slowest", "slowed", "normal or faster"],
                                        range=[OKABE_ITO[1], OKABE_ITO[3], OKABE_ITO[0]])))
    one = alt.Chart(alt.Data(values=[{"x": 1}])).mark_rule(strokeDash=[4, 3], color="#555555").encode(
        x="x:Q")
    speeds = alt.layer(bar, one).properties(width=230, height=100, title="Each step's speed")
    steps = alt.vconcat(speeds, _leverage_panel(), spacing=8).resolve_scale(color="independent")
    return themed(alt.hconcat(tumor, steps).resolve_scale(color="independent", strokeDash="independent"))


def _leverage_panel() -> alt.LayerChart:
    """Log10 fewer tumor cells if a step ran twice as fast; a prompt until measured."""
    base = alt.Chart(alt.NamedData(LEVERAGE))
    bar = base.transform_filter("isValid(datum.leverage)").mark_bar().encode(
        y=alt.Y("step:N", title=None, sort=None),
        x=alt.X("leverage:Q", title="Logs fewer tumor cells if 2× faster",
                scale=alt.Scale(domain=[-1, 3], clamp=True)),
        color=alt.Color("note:N", title=None,
                        scale=alt.Scale(domain=["most leverage", "other steps"],
                                        range=[OKABE_ITO[2], OKABE_ITO[0]])),
        tooltip=["step:N", alt.Tooltip("leverage:Q", format=".2f", title="log10 fall"), "note:N"])
    prompt = base.transform_filter("!isValid(datum.leverage)").mark_text(
        align="center", baseline="middle", fontSize=13, lineBreak="\n").encode(
        x=alt.value(115), y=alt.value(50), text="prompt:N")
    zero = alt.Chart(alt.Data(values=[{"x": 0}])).mark_rule(color="#555555").encode(x="x:Q")
    return cast(alt.LayerChart, alt.layer(bar, zero, prompt).properties(
        width=230, height=100, title="Each step's leverage"))


def explorer_data(frame: pd.DataFrame, untreated: pd.DataFrame, efficiency: dict[int, float],
                  leverage: dict[int, float] | None = None,
                  stop_day: float | None = None) -> dict[str, pd.DataFrame]:
    """Data for :func:`explorer_chart` from two :func:`simulate_cycle` runs, step speeds and leverage.

    ``leverage`` (:func:`primer_lib.cycle.step_leverage`) None shows the prompt to measure it
    (one row with no leverage, which the panel draws as text instead of bars); ``stop_day`` draws
    the day after which no dose is given.
    """
    trajectory = pd.DataFrame({
        "day": np.concatenate([frame["day"], untreated["day"]]),
        "tumor": np.concatenate([frame["tumor"], untreated["tumor"]]),
        "series": ["Your settings"] * len(frame) + ["Untreated, same phenotype"] * len(untreated)})
    slowest = min(efficiency, key=lambda k: (efficiency[k], k))
    labels = [f"{s.number}. {SHORT_NAMES[s.number]}" for s in STEPS]
    speeds = pd.DataFrame({
        "step": labels,
        "speed": [efficiency[s.number] for s in STEPS],
        "note": ["slowest" if s.number == slowest else "slowed" if efficiency[s.number] < 0.999
                 else "normal or faster" for s in STEPS]})
    if leverage is None:
        levers = pd.DataFrame({"step": [""], "leverage": [np.nan], "note": [""],
                               "prompt": [LEVERAGE_PROMPT.replace("' to", "'\nto")]})
    else:
        # No step is marked when none changes the outcome (e.g. the tumor is eliminated either way).
        top = most_leverage(leverage) if max(leverage.values()) > NO_LEVERAGE else None
        levers = pd.DataFrame({"step": labels, "leverage": [leverage[s.number] for s in STEPS],
                               "note": ["most leverage" if s.number == top else "other steps" for s in STEPS],
                               "prompt": [""] * len(STEPS)})
    return {TRAJECTORY: trajectory, EFFICIENCY: speeds, LEVERAGE: levers, STOP: last_dose_data(stop_day)}


def describe_explorer(frame: pd.DataFrame, untreated: pd.DataFrame, efficiency: dict[int, float],
                      phenotype: str, therapies: tuple[str, ...],
                      leverage: dict[int, float] | None = None) -> str:
    """One paragraph: the course against untreated (robust summaries), the slowest step, the leverage."""
    days = float(frame["day"].iloc[-1])
    ours = summarize_course(frame["day"], frame["tumor"], days)
    theirs = summarize_course(untreated["day"], untreated["tumor"], days)
    slowest = min(efficiency, key=lambda k: (efficiency[k], k))
    treated = ", ".join(therapies) if therapies else "no therapy"
    text = (f"Left: the {phenotype} tumor with {treated}: {describe_outcome(ours)}; untreated (dashed): "
            f"{theirs.verdict}. Right: the slowest step is {slowest} ({SHORT_NAMES[slowest]}, "
            f"{efficiency[slowest]:.2f}× unobstructed)")
    if leverage is None:
        return text + "; leverage not yet measured for these settings."
    if max(leverage.values()) <= NO_LEVERAGE:
        return text + ("; doubling any one step changes nothing here (the outcome is the same either way: "
                       "steps 1–7: " + ", ".join(f"{v:+.2f}" for _, v in sorted(leverage.items())) + ").")
    top = most_leverage(leverage)
    return text + (f"; doubling step {top} ({SHORT_NAMES[top]}) lowers the tumor most, {leverage[top]:.2f} "
                   "logs (steps 1–7: " + ", ".join(f"{v:+.2f}" for _, v in sorted(leverage.items())) + ").")
