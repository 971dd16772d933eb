"""Lesson 06B capstone: design a trial for a cold tumor, preview it, then run it.

The dropdowns and the slider are the design; each change redraws the preview
(schedules and who is enrolled) at once. The "Run trial" button simulates every
patient (about half a second) and replaces the results; until it is pressed again
the results say which design they belong to.
"""

from __future__ import annotations

import functools
import html
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import ipywidgets as widgets
import pandas as pd

from primer_lib import capstone as model
from primer_lib.charts import capstone as charts
from primer_lib.validation import check_choice
from primer_lib.widgets.app import App, build_app
from primer_lib.widgets.controls import dropdown, slider
from primer_lib.widgets.livechart import LiveChart

SELECTION, ARM_A, ARM_B = "capstone.selection", "capstone.arm_a", "capstone.arm_b"
N_PATIENTS = model.N_PATIENTS.name
SEED = 0
RUNNING = "<p role='status' style='font-weight:bold'>Running the trial… (about half a second)</p>"
INTRO = ("A cold tumor type: mostly immune-desert and excluded tumors. Choose who to enrol and the two arms; "
         "the top row shows the design at once. Press Run trial to simulate every patient on the course's "
         "models and read their scans by RECIST 1.1 and iRECIST.")


@dataclass(frozen=True)
class Design:
    """The choices of the controls."""

    selection: str
    arms: tuple[str, str]
    n_patients: int


def design_of(values: Mapping[str, Any]) -> Design:
    """The design the controls describe."""
    return Design(values[SELECTION], (values[ARM_A], values[ARM_B]), int(round(values[N_PATIENTS])))


@functools.lru_cache(maxsize=16)
def run_design(design: Design) -> model.TrialResult:
    """:func:`primer_lib.capstone.run_trial` of ``design`` (cached: pressing Run again is instant)."""
    return model.run_trial(design.selection, design.arms, design.n_patients, SEED)


@dataclass
class TrialApp(App):
    """An :class:`App` with a Run button (kept out of ``controls``: it holds no value)."""

    run_button: widgets.Button = field(default_factory=widgets.Button)
    last_run_ms: float = 0.0
    result: model.TrialResult | None = field(default=None, repr=False)
    result_design: Design | None = None

    def run(self, *_: Any) -> None:
        """Run the current design, then redraw with its results ("Running…" shows meanwhile)."""
        start = time.perf_counter()
        self.run_button.disabled = True
        self.status.value = RUNNING
        try:
            design = design_of(self.values())
            self.result, self.result_design = run_design(design), design
        except Exception as error:  # noqa: BLE001 - a page must never show a traceback
            self.status.value = ("<p role='alert' style='color:#b00020;font-weight:bold'>"
                                 f"Cannot run this design: {html.escape(str(error))}</p>")
            return
        finally:
            self.run_button.disabled = False
        self.refresh()
        self.last_run_ms = (time.perf_counter() - start) * 1e3


def _swap_on_clash(arm_a: widgets.ValueWidget, arm_b: widgets.ValueWidget) -> None:
    """Choosing for one arm what the other arm has swaps them, so the two arms always differ.

    Registered before the app's own observers, so the chart only ever sees two different arms.
    """
    def swap(other: widgets.ValueWidget) -> Any:
        def handler(change: Mapping[str, Any]) -> None:
            if change["new"] == other.value:
                other.value = change["old"]
        return handler

    arm_a.observe(swap(arm_b), names="value")
    arm_b.observe(swap(arm_a), names="value")


def capstone_app(selection: str = "all", arm_a: str = model.DEFAULT_ARMS[0],
                 arm_b: str = model.DEFAULT_ARMS[1]) -> TrialApp:
    """Dropdowns for the enrolment rule and the two arms, a patients slider, and a Run trial button."""
    check_choice("selection", selection, model.SELECTIONS)
    check_choice("arm_a", arm_a, model.ARMS)
    check_choice("arm_b", arm_b, model.ARMS)
    arm_tip = " ".join(f"{a.id}: {a.note}" for a in model.ARMS.values())
    controls: dict[str, widgets.ValueWidget] = {
        SELECTION: dropdown([(s.label, s.id) for s in model.SELECTIONS.values()], selection, "Enrol",
                            "Who may enter the trial: lesson 04's biomarker rules (cutoffs of lesson 04)"),
        ARM_A: dropdown(list(model.ARMS), arm_a, "Arm A", arm_tip),
        ARM_B: dropdown(list(model.ARMS), arm_b, "Arm B", arm_tip),
        N_PATIENTS: slider(model.N_PATIENTS),
    }
    _swap_on_clash(controls[ARM_A], controls[ARM_B])
    holder: dict[str, TrialApp] = {}

    def update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
        design = design_of(values)
        patients, doses = model.design_preview(design.selection, design.arms, design.n_patients, SEED)
        app = holder.get("app")
        result = app.result if app is not None else None
        current = app is not None and app.result_design == design
        data = charts.capstone_data(patients, doses, design.arms, result, current)
        text = charts.describe_capstone(patients, doses, design.arms, design.selection, result, current, SEED)
        return data, text

    data, text = update({name: c.value for name, c in controls.items()})
    base = build_app("Capstone: design a trial for a cold tumor", controls,
                     LiveChart(charts.capstone_chart(), data, text), update, intro=INTRO)
    button = widgets.Button(description="Run trial", button_style="primary", icon="play",
                            tooltip="Simulate every enrolled patient on both arms (about half a second)")
    app = TrialApp(**{f.name: getattr(base, f.name) for f in fields(App)}, run_button=button)
    holder["app"] = app
    for control in controls.values():  # the app's own refresh, so its timing is recorded
        control.unobserve(base.refresh, names="value")
        control.observe(app.refresh, names="value")
    button.on_click(app.run)
    children = list(app.widget.children)
    children.insert(children.index(app.status), button)
    app.widget.children = tuple(children)
    return app
