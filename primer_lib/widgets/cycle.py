"""Lesson 01 explorers: the interactive cycle diagram and the break-a-step explorer."""

from __future__ import annotations

import functools
import html
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import ipywidgets as widgets
import pandas as pd

from primer_lib import cycle as model
from primer_lib.charts import cycle as charts
from primer_lib.validation import check_choice, check_int
from primer_lib.widgets import selfcheck
from primer_lib.widgets.app import App, build_app
from primer_lib.widgets.controls import dropdown, slider
from primer_lib.widgets.livechart import LiveChart

SELECTED_STEP = "cycle.selected_step"
SELECTED_THERAPY = "cycle.selected_therapy"
PHENOTYPE = "cycle.phenotype"
NO_THERAPY = "(none)"
PHENOTYPE_LABELS = {"inflamed": "inflamed (hot)", "excluded": "excluded", "desert": "desert (cold)"}
#: Therapies offered as checkboxes in the explorer, one per kind of action.
EXPLORER_THERAPIES = ("anti-PD-1", "anti-CTLA-4", "vaccine", "chemotherapy", "anti-VEGF", "CAR-T")
#: Output every 5 days: smooth at chart size, and less to send per slider move.
EXPLORER_POINTS = 74


def phenotype_dropdown(value: str) -> widgets.Dropdown:
    """Inflamed / excluded / desert, with Chen & Mellman 2017's descriptions as the tooltip."""
    check_choice("phenotype", value, model.PHENOTYPES)
    return dropdown([(PHENOTYPE_LABELS[p], p) for p in model.PHENOTYPES], value, "Tumor phenotype",
                    "Chen & Mellman 2017: " + " ".join(model.PHENOTYPE_NOTES.values()))


def diagram_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    """Chart data and description for the selected step and therapy."""
    step, choice = values[SELECTED_STEP], values[SELECTED_THERAPY]
    therapy = None if choice == NO_THERAPY else choice
    return charts.diagram_data(step, therapy), charts.describe_diagram(step, therapy)


def cycle_diagram_app(step: int = 1, therapy: str | None = None) -> App:
    """Pick a step to see its factors and therapies; pick a therapy to see where it acts."""
    step = check_int("step", step, 1, 7)
    if therapy is not None:
        check_choice("therapy", therapy, model.THERAPIES)
    controls = {
        SELECTED_STEP: dropdown([(f"{s.number}. {s.name}", s.number) for s in model.STEPS], step,
                                 "Step", "Chen & Mellman 2013, Fig. 1–2"),
        # A string, not None: a None value shows as an empty dropdown in the browser.
        SELECTED_THERAPY: dropdown([NO_THERAPY, *model.THERAPIES], therapy or NO_THERAPY,
                                    "Therapy", "Where each therapy acts: Chen & Mellman 2013, Fig. 3"),
    }
    data, text = diagram_update({name: c.value for name, c in controls.items()})
    return build_app("The cancer-immunity cycle", controls, LiveChart(charts.diagram_chart(), data, text),
                     diagram_update)


@functools.lru_cache(maxsize=8)
def _untreated(phenotype: str) -> pd.DataFrame:
    return model.simulate_cycle(phenotype, points=EXPLORER_POINTS)


@functools.lru_cache(maxsize=64)
def _explorer_run(phenotype: str, therapies: tuple[Any, ...],
                  steps: tuple[tuple[str, float], ...]) -> pd.DataFrame:
    # Remembered per setting (read-only): a class flips between presets and back, each a 365-day run.
    return model.simulate_cycle(phenotype, therapies, points=EXPLORER_POINTS, **dict(steps))


STOP_DAY = "cycle.stop_day"


def explorer_settings(values: Mapping[str, Any]) -> tuple[str, tuple[Any, ...], dict[str, float]]:
    """(phenotype, therapies, step multipliers) from the explorer's control values.

    Each ticked therapy is its standard course (:data:`primer_lib.cycle.REGIMENS`), stopped
    after the stop day when the explorer has that slider.
    """
    steps = {f"step{i}": values[f"cycle.step{i}"] for i in range(1, 8)}
    ticked = [t for t in EXPLORER_THERAPIES if values[f"therapy.{t}"]]
    stop = values.get(STOP_DAY)
    therapies = tuple(ticked if stop is None else (model.course_until(t, stop) for t in ticked))
    return values[PHENOTYPE], therapies, steps


def explorer_update(values: Mapping[str, Any],
                    leverage: dict[int, float] | None = None) -> tuple[dict[str, pd.DataFrame], str]:
    """Simulate the chosen phenotype, step speeds and therapies; chart data and description."""
    phenotype, therapies, steps = explorer_settings(values)
    frame = _explorer_run(phenotype, therapies, tuple(sorted(steps.items())))
    efficiency = model.step_efficiency(phenotype, therapies, **steps)
    untreated = _untreated(phenotype)
    names = tuple(t for t in EXPLORER_THERAPIES if values[f"therapy.{t}"])
    stop = values.get(STOP_DAY)
    text = charts.describe_explorer(frame, untreated, efficiency, phenotype, names, leverage)
    if stop is not None:
        text += f" No dose is given after day {stop:g} (dotted line); each course's effect then fades."
    return charts.explorer_data(frame, untreated, efficiency, leverage, stop), text


def explorer_leverage(values: Mapping[str, Any]) -> dict[int, float]:
    """:func:`primer_lib.cycle.step_leverage` for the explorer's settings (365 days, its output grid)."""
    phenotype, therapies, steps = explorer_settings(values)
    return model.step_leverage(phenotype, therapies, points=EXPLORER_POINTS, **steps)


@dataclass
class ExplorerApp(App):
    """The break-a-step explorer with a 'Double each step' button that measures each step's leverage.

    Leverage takes eight runs (about 50 ms), so it is measured on request, not on every
    move; it stays on the chart while the settings it was measured for are unchanged.
    """

    leverage_button: widgets.Button = field(default_factory=widgets.Button)
    leverage: dict[int, float] | None = None
    leverage_for: dict[str, Any] | None = None
    last_leverage_ms: float = 0.0

    def measure_leverage(self, *_: Any) -> None:
        """Measure each step's leverage at the current settings, then redraw."""
        start = time.perf_counter()
        try:
            self.leverage, self.leverage_for = explorer_leverage(self.values()), self.values()
        except Exception as error:  # noqa: BLE001 - a page must never show a traceback
            self.status.value = ("<p role='alert' style='color:#b00020;font-weight:bold'>"
                                 f"Cannot measure leverage here: {html.escape(str(error))}</p>")
            return
        self.refresh()
        self.last_leverage_ms = (time.perf_counter() - start) * 1e3


def cycle_explorer_app(phenotype: str = "inflamed", therapies: tuple[str, ...] = (),
                       stop_control: bool = True) -> ExplorerApp:
    """A slider per step (× its normal rate), therapy checkboxes, a phenotype choice and a leverage button.

    With ``stop_control`` a slider stops every course early (the courses then fade): what does
    memory keep? The one-screen classroom dashboard leaves it out.
    """
    check_choice("phenotype", phenotype, model.PHENOTYPES)
    for therapy in therapies:
        check_choice("therapies", therapy, EXPLORER_THERAPIES)
    if not isinstance(stop_control, bool):
        raise TypeError(f"stop_control must be True or False; got {stop_control!r}")
    controls: dict[str, widgets.ValueWidget] = {
        PHENOTYPE: phenotype_dropdown(phenotype),
    }
    controls |= {f"cycle.step{i}": slider(f"cycle.step{i}") for i in range(1, 8)}
    controls |= {f"therapy.{t}": widgets.Checkbox(value=t in therapies, description=t, indent=False,
                                                 tooltip=model.THERAPIES[t].mechanism,
                                                 layout=widgets.Layout(width="auto", margin="0 1em 0 0"))
                 for t in EXPLORER_THERAPIES}
    if stop_control:
        controls[STOP_DAY] = slider(STOP_DAY)
    holder: dict[str, ExplorerApp] = {}

    def update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
        app = holder.get("app")
        current = app is not None and app.leverage_for == dict(values)
        return explorer_update(values, app.leverage if current and app is not None else None)

    data, text = update({name: c.value for name, c in controls.items()})
    base = build_app("Break a step, or treat one", controls, LiveChart(charts.explorer_chart(), data, text),
                     update)
    button = widgets.Button(description="Double each step", icon="bolt",
                            tooltip="Run the course again with each step twice as fast, one step at a time, "
                                    "and show how many logs fewer tumor cells each leaves (about 50 ms)")
    app = ExplorerApp(**{f.name: getattr(base, f.name) for f in fields(App)}, leverage_button=button)
    holder["app"] = app
    for control in controls.values():  # the app's own refresh, so its timing is recorded
        control.unobserve(base.refresh, names="value")
        control.observe(app.refresh, names="value")
    button.on_click(app.measure_leverage)
    button.layout = widgets.Layout(width="auto")
    boxes = next(row for row in app.widget.children if isinstance(row, widgets.HBox)
                 and any(isinstance(c, widgets.Checkbox) for c in row.children))
    boxes.children += (button,)  # on the therapies' line, so a dashboard keeps its one-screen height
    return app


# --- Self-checks computed from the model ------------------------------------------------------------------

def slowest_step_question(phenotype: str = "excluded") -> selfcheck.SelfCheck:
    """Which step runs slowest in ``phenotype``? Each option's feedback gives that step's speed."""
    check_choice("phenotype", phenotype, model.PHENOTYPES)
    speed = model.step_efficiency(phenotype)
    slowest = model.bottleneck(phenotype)
    label = PHENOTYPE_LABELS[phenotype]

    def why(step: model.Step) -> str:
        if step.number == slowest:
            return (f"Yes: step {step.number} runs at {speed[step.number]:.0%} of its normal speed in the "
                    f"{label} tumor, the shortest bar in the explorer's right-hand panel.")
        return (f"Step {step.number} runs at {speed[step.number]:.0%} of normal; step {slowest} is slower, "
                f"at {speed[slowest]:.0%}.")

    return selfcheck.multiple_choice(
        f"In the model's {label} tumor, untreated, which step runs slowest?",
        [selfcheck.Option(f"Step {s.number}: {s.name}", s.number == slowest, why(s)) for s in model.STEPS])


def leverage_question(phenotype: str = "excluded",
                      therapies: tuple[str, ...] = ("anti-PD-1",)) -> selfcheck.SelfCheck:
    """Doubling which step's rate shrinks the tumor most? Feedback: each step's leverage.

    Leverage is :func:`primer_lib.cycle.step_leverage` (log-mean burden over the last 90
    days of the year), the number the explorer's "Double each step" button shows.
    """
    check_choice("phenotype", phenotype, model.PHENOTYPES)
    for therapy in therapies:
        check_choice("therapies", therapy, EXPLORER_THERAPIES)
    leverage = model.step_leverage(phenotype, therapies, points=EXPLORER_POINTS)
    best, slowest = model.most_leverage(leverage), model.bottleneck(phenotype)
    given = f" on {' + '.join(therapies)}" if therapies else ", untreated"

    ranked = sorted(leverage.values(), reverse=True)
    far_ahead = 10 ** (ranked[0] - ranked[1]) >= 3  # the best lever beats the next by 3-fold or more

    weak = 10 ** ranked[0] < 1.5  # even the best lever removes under a third of the tumor
    closing = (" No single doubling helps much here: the tumor is held back at several steps at once."
               if weak else "")

    def why(step: int) -> str:
        return _why(step) + closing

    def _why(step: int) -> str:
        text = f"Doubling step {step} leaves {fold_change_words(10 ** leverage[step])} tumor cells."
        if step == best:
            return "Yes. " + text + (" No other step comes close." if far_ahead else "")
        if step == slowest:
            text += (f" Step {step} is the slowest, yet speeding it up changes little: the outcome is held "
                     "back at other steps too.")
        return text + f" Doubling step {best} leaves {fold_change_words(10 ** leverage[best])}."

    return selfcheck.multiple_choice(
        f"The {PHENOTYPE_LABELS[phenotype]} tumor{given}: doubling the rate of which one step shrinks it "
        "most (averaged over the last 90 days of the year)?",
        [selfcheck.Option(f"Step {step.number}: {step.name}", step.number == best, why(step.number))
         for step in model.STEPS])


def fold_change_words(fold: float) -> str:
    """How many tumor cells are left after a ``fold`` reduction, in words.

    "about as many" (within 1%), "19% fewer", "98% fewer (66 times fewer)", "30% more".
    """
    if not fold > 0:
        raise ValueError(f"fold must be > 0; got {fold!r}")
    removed = 1.0 - 1.0 / fold
    if abs(removed) < 0.01:
        return "about as many"
    if removed < 0:
        return f"{-removed:.0%} more"
    return f"{removed:.0%} fewer" + (f" ({fold:.2g} times fewer)" if fold >= 2 else "")
