"""Lesson 04 explorer: pick a biomarker and slide its cutoff (ROC point, trade-off, 2×2 table)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import pandas as pd

from primer_lib import biomarkers as model
from primer_lib.charts import biomarkers as charts
from primer_lib.parameters import Parameter
from primer_lib.validation import check_choice
from primer_lib.widgets.app import App, build_app
from primer_lib.widgets.controls import dropdown, label_of, slider
from primer_lib.widgets.livechart import LiveChart

MARKER, CUTOFF = "biomarkers.marker", "biomarkers.cutoff"
#: Markers offered in the explorer (MSI is yes/no: a single point, not a curve).
APP_MARKERS = ("pdl1_tps", "tmb", "cd8_density", "ifng_score", "composite")
COHORT_SIZE, COHORT_SEED = 10_000, 0


@functools.cache
def default_summaries() -> Mapping[str, model.MarkerSummary]:
    """Each explorer marker of the default cohort (10,000 patients, seed 0), sorted once (~30 ms)."""
    cohort = model.virtual_cohort(COHORT_SIZE, COHORT_SEED)
    return {marker: model.summarize_marker(cohort, marker) for marker in APP_MARKERS}


def threshold_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    """Chart data and description for the chosen marker at the chosen cutoff (~2 ms)."""
    summary = default_summaries()[values[MARKER]]
    cutoff = values[CUTOFF]
    return charts.threshold_data(summary, cutoff), charts.describe_threshold(summary, cutoff)


def _cutoff_record(marker: str) -> Parameter:
    record = model.MARKERS[marker].cutoff
    assert record is not None  # every explorer marker has a numeric cutoff
    return record


def _fit_slider(control: widgets.FloatSlider, marker: str, value: float | None = None) -> None:
    """Give the cutoff slider ``marker``'s range, step, label and (default) value."""
    template = slider(_cutoff_record(marker), value)
    with control.hold_trait_notifications():
        # Widen first so that no intermediate value is clamped, then narrow to the new range.
        control.min, control.max = min(control.min, template.min), max(control.max, template.max)
        control.value = template.value
        control.min, control.max, control.step = template.min, template.max, template.step
        control.description, control.tooltip = template.description, template.tooltip
        control.readout_format = template.readout_format
    template.close()


def threshold_app(marker: str = "pdl1_tps", cutoff: float | None = None) -> App:
    """A marker dropdown and a cutoff slider in the marker's own units, on a cohort of 10,000.

    Changing the marker resets the slider to that marker's range and default cutoff
    (PD-L1 TPS ≥ 50%, TMB ≥ 10 mut/Mb, illustrative cutoffs for the others).
    """
    check_choice("marker", marker, APP_MARKERS)
    record = _cutoff_record(marker)
    cutoff_control = slider(record, cutoff)
    cutoff_control.description = label_of(record)
    choices = [(f"{model.MARKERS[m].label} ({model.MARKERS[m].unit})", m) for m in APP_MARKERS]
    marker_control = dropdown(choices, marker, "Biomarker",
                              "The slider below takes this marker's units; a patient is selected when "
                              "the marker is at or above the cutoff")
    # Registered before build_app's own observer: the slider is rescaled before the chart redraws.
    marker_control.observe(lambda change: _fit_slider(cutoff_control, change["new"]), names="value")
    controls = {MARKER: marker_control, CUTOFF: cutoff_control}
    data, text = threshold_update({name: c.value for name, c in controls.items()})
    return build_app("Choosing a cutoff: who is eligible, who responds", controls,
                     LiveChart(charts.threshold_chart(), data, text), threshold_update,
                     intro="10,000 virtual patients treated with anti-PD-1 (a synthetic cohort "
                           "calibrated to KEYNOTE-024, KEYNOTE-158 and the pooled MSI-H trials).")
