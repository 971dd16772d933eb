"""Lesson 01 explorers: the interactive cycle diagram and the break-a-step explorer."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from primer_lib import cycle as model
from primer_lib.charts import cycle as charts
from primer_lib.validation import check_choice, check_int
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


def explorer_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    """Simulate the chosen phenotype, step speeds and therapies; chart data and description."""
    phenotype = values[PHENOTYPE]
    steps = {f"step{i}": values[f"cycle.step{i}"] for i in range(1, 8)}
    therapies = tuple(t for t in EXPLORER_THERAPIES if values[f"therapy.{t}"])
    frame = model.simulate_cycle(phenotype, therapies, points=EXPLORER_POINTS, **steps)
    efficiency = model.step_efficiency(phenotype, therapies, **steps)
    untreated = _untreated(phenotype)
    return (charts.explorer_data(frame, untreated, efficiency),
            charts.describe_explorer(frame, untreated, efficiency, phenotype, therapies))


def cycle_explorer_app(phenotype: str = "inflamed", therapies: tuple[str, ...] = ()) -> App:
    """A slider per step (× its normal rate), therapy checkboxes and a phenotype choice."""
    check_choice("phenotype", phenotype, model.PHENOTYPES)
    for therapy in therapies:
        check_choice("therapies", therapy, EXPLORER_THERAPIES)
    controls: dict[str, widgets.ValueWidget] = {
        PHENOTYPE: phenotype_dropdown(phenotype),
    }
    controls |= {f"cycle.step{i}": slider(f"cycle.step{i}") for i in range(1, 8)}
    controls |= {f"therapy.{t}": widgets.Checkbox(value=t in therapies, description=t, indent=False,
                                                 tooltip=model.THERAPIES[t].mechanism,
                                                 layout=widgets.Layout(width="11em"))
                 for t in EXPLORER_THERAPIES}
    data, text = explorer_update({name: c.value for name, c in controls.items()})
    return build_app("Break a step, or treat one", controls,
                     LiveChart(charts.explorer_chart(), data, text), explorer_update)
