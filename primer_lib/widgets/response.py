"""Lesson 05 explorers: a lesion tracker read by RECIST 1.1 and iRECIST, and the teaching cases."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd

from primer_lib import response as model
from primer_lib.charts import response as charts
from primer_lib.validation import check_choice, check_real
from primer_lib.widgets.app import App, build_app
from primer_lib.widgets.controls import dropdown
from primer_lib.widgets.livechart import LiveChart

CASE = "response.case"
#: The tracker's fixed schedule: baseline and five follow-ups, every 6 weeks.
TRACKER_WEEKS: tuple[float, ...] = tuple(model.SCAN_INTERVAL.default * i for i in range(6))
#: Starting sums (mm): a swelling at week 6, then shrinkage -- RECIST PD, iRECIST iUPD then iPR.
TRACKER_START: tuple[float, ...] = (60.0, 76.0, 58.0, 40.0, 34.0, 30.0)
#: In the tracker every new lesion counts as one measurable lesion of this size (mm).
NEW_LESION_MM = 10.0
MAX_SUM_MM, MAX_NEW = 150.0, 5
_NONTARGET_OPTIONS = ("CR", "non-CR/non-PD", "PD")
_TARGET_TIP = ("Sum of the diameters of the baseline target lesions (mm); 0 = all gone. PR at ≤ −30% "
               "from baseline; progression at ≥ +20% and ≥ 5 mm over the nadir (Eisenhauer 2009).")
_NEW_TIP = (f"New lesions present at this scan (each counted as a measurable {NEW_LESION_MM:g} mm lesion). "
            "Any new lesion is PD (RECIST 1.1) or iUPD; more new lesions confirm an iUPD (iRECIST).")
_NONTARGET_TIP = ("Non-target disease, judged not measured: CR = gone; non-CR/non-PD = present; PD = "
                  "unequivocal progression, or, after an iUPD, any further increase (Seymour 2017).")


def target_key(index: int) -> str:
    """Control name of the target sum at scan ``index`` (0 = baseline)."""
    return f"response.target_sum_{index}"


def new_lesions_key(index: int) -> str:
    """Control name of the new-lesion count at follow-up ``index`` (1-5)."""
    return f"response.new_lesions_{index}"


def nontarget_key(index: int) -> str:
    """Control name of the non-target status at follow-up ``index`` (1-5)."""
    return f"response.nontarget_{index}"


def tracker_assessments(values: Mapping[str, Any]) -> list[model.Assessment]:
    """The tracker's scans from its control values."""
    scans = [model.Assessment(TRACKER_WEEKS[0], values[target_key(0)])]
    for i, week in enumerate(TRACKER_WEEKS[1:], start=1):
        count = int(values[new_lesions_key(i)])
        scans.append(model.Assessment(week, values[target_key(i)], values[nontarget_key(i)],
                                      new_lesion_sum_mm=NEW_LESION_MM * count, new_lesion_count=count))
    return scans


def tracker_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    scans = tracker_assessments(values)
    return charts.response_data(scans), charts.describe_response(scans)


def _target_slider(index: int, value: float) -> widgets.FloatSlider:
    week = TRACKER_WEEKS[index]
    return widgets.FloatSlider(
        value=value, min=10.0 if index == 0 else 0.0, max=MAX_SUM_MM, step=1.0,
        description=f"Week {week:g}: target sum (mm)",
        tooltip=_TARGET_TIP, readout_format=".0f", continuous_update=True,
        style={"description_width": "15em"}, layout=widgets.Layout(width="33em"))


def _compact_dropdown(options: Sequence[Any], value: Any, description: str, tooltip: str,
                      width: str) -> widgets.Dropdown:
    return widgets.Dropdown(options=list(options), value=value, description=description, tooltip=tooltip,
                            style={"description_width": "6.5em"}, layout=widgets.Layout(width=width))


def lesion_tracker_app(target_sums: Sequence[float] = TRACKER_START) -> App:
    """Edit six scans (baseline + five follow-ups every 6 weeks); see RECIST 1.1 and iRECIST side by side.

    Per scan: a slider for the target sum; per follow-up: the number of new lesions and
    the non-target status. Controls sit in a grid, one row per scan.
    """
    sums = [float(s) for s in target_sums] if isinstance(target_sums, Sequence) else []
    if len(sums) != len(TRACKER_WEEKS):
        raise ValueError(f"target_sums must hold {len(TRACKER_WEEKS)} sums (mm), one per scan; "
                         f"got {target_sums!r}")
    for i, value in enumerate(sums):
        check_real(f"target_sums[{i}]", value, 10.0 if i == 0 else 0.0, MAX_SUM_MM, "mm")
    controls: dict[str, widgets.ValueWidget] = {}
    cells: list[widgets.Widget] = []
    for i in range(len(TRACKER_WEEKS)):
        controls[target_key(i)] = _target_slider(i, sums[i])
        cells.append(controls[target_key(i)])
        if i == 0:
            cells += [widgets.HTML("<i>baseline (reference)</i>"), widgets.HTML("")]
            continue
        controls[new_lesions_key(i)] = _compact_dropdown(range(MAX_NEW + 1), 0, "new lesions", _NEW_TIP,
                                                         "11em")
        controls[nontarget_key(i)] = _compact_dropdown(_NONTARGET_OPTIONS, "non-CR/non-PD", "non-target",
                                                       _NONTARGET_TIP, "17em")
        cells += [controls[new_lesions_key(i)], controls[nontarget_key(i)]]
    data, text = tracker_update({name: c.value for name, c in controls.items()})
    app = build_app("Track the lesions: RECIST 1.1 and iRECIST", controls,
                    LiveChart(charts.response_chart(), data, text), tracker_update,
                    intro="Move a week's target sum, add new lesions or change the non-target status: both "
                          "classifications are recomputed at every scan.")
    grid = widgets.GridBox(cells, layout=widgets.Layout(
        grid_template_columns="repeat(3, max-content)", grid_gap="2px 12px", align_items="center"))
    heading = app.widget.children[0]
    bridge = (app.tooltips,) if app.tooltips is not None else ()
    app.widget.children = (heading, grid, app.status, app.chart, app.description, *bridge)
    return app


@functools.lru_cache(maxsize=8)
def case_assessments(case: str) -> tuple[model.Assessment, ...]:
    """The teaching case's scans with the default seed (cached: there are four)."""
    check_choice("case", case, model.TEACHING_CASES)
    return tuple(model.TEACHING_CASES[case]())


def cases_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    case = values[CASE]
    scans = case_assessments(case)
    text = f"{case.capitalize()}. {model.CASE_NOTES[case]} " + charts.describe_response(scans)
    return charts.response_data(scans), text


def cases_app(case: str = "pseudoprogression") -> App:
    """Choose a teaching case; see its scans and how RECIST 1.1 and iRECIST read them."""
    check_choice("case", case, model.TEACHING_CASES)
    controls = {CASE: dropdown(list(model.TEACHING_CASES), case, "Teaching case",
                               " ".join(f"{name}: {note}" for name, note in model.CASE_NOTES.items()))}
    data, text = cases_update({CASE: case})
    return build_app("Four patients, two sets of rules", controls,
                     LiveChart(charts.response_chart(), data, text), cases_update)
