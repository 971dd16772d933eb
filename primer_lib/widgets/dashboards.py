"""Classroom dashboards: one lesson explorer per screen, with presets an instructor switches between.

A dashboard reuses a lesson's :class:`App` (its controls, model and chart, unchanged) and lays it
out for a projector: preset buttons and a question for the class on top, controls on the left,
the chart on the right, large type. It fits a 1280 × 720 screen without scrolling; on a 1080p
projector, browser zoom at 150 % gives the same layout. Presets name only the controls they
change; every other control returns to the lesson's default, so a preset always shows the same
picture. Tests check that each preset's name is true of the model (``tests/test_claims_dashboards.py``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import ipywidgets as widgets

from primer_lib import biomarkers as biomarker_model
from primer_lib import response as response_model
from primer_lib.charts.theme import resized
from primer_lib.validation import check_choice
from primer_lib.widgets import biomarkers, cycle, resistance, response, schedules
from primer_lib.widgets.app import App

#: Scoped to ``.primer-dashboard``: ipywidgets reads these variables, so controls grow with them.
#: The loading note (a Markdown cell above the dashboard) hides once a chart has drawn.
PROJECTOR_CSS = """
<style>
.primer-dashboard { --jp-widgets-font-size: 16px; --jp-widgets-inline-height: 30px;
  --jp-widgets-slider-handle-size: 20px; font-size: 16px; }
.primer-dashboard .widget-label, .primer-dashboard .widget-readout, .primer-dashboard select,
.primer-dashboard .widget-toggle-button, .primer-dashboard .widget-checkbox label { font-size: 16px; }
.primer-dashboard-controls > .widget-hslider, .primer-dashboard-controls > .widget-dropdown
  { width: 440px !important; }
.primer-dashboard-controls > .widget-hslider > .widget-label,
.primer-dashboard-controls > .widget-dropdown > .widget-label { width: 14em !important; }
.primer-dashboard-controls > .widget-hbox { max-width: 440px; flex-wrap: wrap; }
.primer-dashboard-controls > .widget-hbox > .widget-checkbox { width: auto !important; margin-right: 12px; }
.primer-dashboard .primer-dashboard-prompt { font-size: 19px; margin: 0 0 6px 0; }
.primer-dashboard .primer-chart-description { font-size: 14px; line-height: 1.3; max-width: 440px;
  max-height: 250px; overflow-y: auto; }
.primer-dashboard .primer-dashboard-footer { font-size: 13px; color: #555; margin: 0; max-width: 440px;
  line-height: 1.3; }
.primer-dashboard-stacked .primer-chart-description { max-height: 150px; }
.primer-dashboard .widget-toggle-button { font-weight: bold; padding: 0 12px; }
body:has(.primer-dashboard) .jp-RenderedMarkdown h1 { font-size: 26px; margin: 0 0 4px 0; }
body:has(.primer-livechart[data-renders]) .primer-loading { display: none; }
</style>
"""
PRESET_KEY = "dashboard.preset"
#: The note under each dashboard: what the models are, and are not.
FOOTER = ("Teaching models, not clinical advice. Parameters and sources: the model cards in lesson {lesson}.")


@dataclass(frozen=True)
class Preset:
    """A named setting of some controls, and a question to put to the class while it is shown."""

    label: str
    values: Mapping[str, Any]
    prompt: str


@dataclass
class Dashboard:
    """A lesson's app laid out for a projector, with preset buttons."""

    title: str
    app: App
    presets: dict[str, Preset]
    preset_buttons: widgets.ToggleButtons
    prompt: widgets.HTML
    widget: widgets.Box
    _applying: bool = field(default=False, repr=False)

    @property
    def controls(self) -> dict[str, widgets.ValueWidget]:
        """The app's controls (the preset buttons are :attr:`preset_buttons`)."""
        return self.app.controls

    def apply(self, label: str) -> None:
        """Show preset ``label``: set its controls (others to the lesson's defaults), redraw once."""
        check_choice("label", label, self.presets)
        self._applying = True
        try:
            self.app.set_values(self.presets[label].values)
            self.preset_buttons.value = label
        finally:
            self._applying = False
        self.prompt.value = _prompt(self.presets[label].prompt)

    def _on_preset(self, change: Mapping[str, Any]) -> None:
        if not self._applying and change["new"] is not None:
            self.apply(change["new"])

    def _on_control(self, _: Any) -> None:
        # A hand-moved control leaves the preset: no button stays lit for a picture it no longer shows.
        if not self._applying:
            self._applying = True
            try:
                self.preset_buttons.value = None
            finally:
                self._applying = False
            self.prompt.value = _prompt("Your own settings: what changed, and why?")

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = (f"[Interactive: {self.title}. Run this cell to use its presets "
                                f"({', '.join(self.presets)}) and controls.]")
        return bundle


def build_dashboard(title: str, app: App, presets: list[Preset], lesson: str, layout: str = "side",
                    chart_scale: tuple[float, float] = (1.0, 1.0),
                    grid: Sequence[str | None] | None = None) -> Dashboard:
    """Lay ``app`` out for a projector, with one button per preset, showing the first preset.

    ``layout="side"`` puts the controls (and the chart's words) left of the chart; ``"stacked"``
    puts a wide chart on top and the controls in two columns below. ``chart_scale`` shrinks the
    plots' width and height (not their text) so the whole dashboard fits one screen. ``grid``
    orders a stacked layout's controls row by row, two per row (``None`` leaves a cell empty).
    """
    check_choice("layout", layout, ("side", "stacked"))
    if not presets:
        raise ValueError("presets must hold at least one Preset")
    defaults = app.values()
    full = {}
    for preset in presets:
        unknown = sorted(set(preset.values) - set(defaults))
        if unknown:
            raise ValueError(f"preset {preset.label!r} names controls the app lacks: {', '.join(unknown)}")
        full[preset.label] = Preset(preset.label, {**defaults, **preset.values}, preset.prompt)
    app.chart.spec = resized(app.chart.spec, *chart_scale)
    buttons = widgets.ToggleButtons(options=list(full), value=None, tooltips=[p.prompt for p in presets],
                                    style={"button_width": "auto"})
    prompt = widgets.HTML("")
    prompt.add_class("primer-dashboard-prompt")
    # The lesson's control rows: everything after its heading except status, chart, words and bridge.
    others = (app.status, app.chart, app.description, app.tooltips)
    rows = [w for w in app.widget.children[1:] if all(w is not other for other in others)]
    note = html.escape(FOOTER.format(lesson=lesson))
    footer = widgets.HTML(f"<p class='primer-dashboard-footer'>{note}</p>")
    if layout == "side":
        controls = widgets.VBox([*rows, app.status, app.description, footer],
                                layout=widgets.Layout(flex="0 0 auto", margin="0 16px 0 0"))
        main: widgets.Widget = widgets.HBox([controls, app.chart],
                                            layout=widgets.Layout(align_items="flex-start"))
    else:
        if grid is not None:
            rows = [widgets.HTML("") if name is None else app.controls[name] for name in grid]
        controls = widgets.GridBox([*rows, app.status], layout=widgets.Layout(
            grid_template_columns="repeat(2, max-content)", grid_gap="0 16px", flex="0 0 auto"))
        main = widgets.VBox([app.chart, widgets.HBox([controls, widgets.VBox([app.description, footer])])])
    controls.add_class("primer-dashboard-controls")
    bridge = [app.tooltips] if app.tooltips is not None else []
    root = widgets.VBox([widgets.HTML(PROJECTOR_CSS), buttons, prompt, main, *bridge],
                        layout=widgets.Layout(width="100%"))
    root.add_class("primer-app")
    root.add_class("primer-dashboard")
    root.add_class(f"primer-dashboard-{layout}")
    board = Dashboard(title=title, app=app, presets=full, preset_buttons=buttons, prompt=prompt, widget=root)
    buttons.observe(board._on_preset, names="value")
    for control in app.controls.values():
        control.observe(board._on_control, names="value")
    board.apply(presets[0].label)
    return board


def _prompt(text: str) -> str:
    return f"<b>Ask the class:</b> {html.escape(text)}"


def _therapies(*names: str) -> dict[str, bool]:
    return {f"therapy.{name}": True for name in names}


def cycle_dashboard() -> Dashboard:
    """Lesson 01's break-a-step explorer: hot, excluded and cold tumors, with and without treatment."""
    p = cycle.PHENOTYPE
    presets = [
        Preset("Inflamed (hot) tumor", {p: "inflamed"},
               "T cells reach this tumor, yet it grows. Which step is slowest?"),
        Preset("Hot + anti-PD-1", {p: "inflamed", **_therapies("anti-PD-1")},
               "Which step does anti-PD-1 speed up, and how much smaller is the tumor at one year?"),
        Preset("Excluded tumor", {p: "excluded"},
               "T cells gather at the margin. Which step holds them back?"),
        Preset("Cold (desert) tumor", {p: "desert"},
               "Few T cells anywhere. Where does the cycle stall?"),
        Preset("Cold + anti-PD-1", {p: "desert", **_therapies("anti-PD-1")},
               "Predict first: will releasing the PD-1 brake help a tumor with almost no T cells?"),
        Preset("Cold + chemo + anti-PD-1", {p: "desert", **_therapies("chemotherapy", "anti-PD-1")},
               "Chemotherapy releases antigen (step 1). Why does anti-PD-1 now work on the cold tumor?"),
    ]
    # The stop-day slider stays in lesson 01: one more row would push the dashboard past one screen.
    explorer = cycle.cycle_explorer_app(stop_control=False)
    return build_dashboard("The cancer-immunity cycle", explorer, presets, "01", chart_scale=(0.66, 1.0))


def combinations_dashboard() -> Dashboard:
    """Lesson 02's pair explorer: two therapies alone and together, with the Bliss excess."""
    ph, a, b = schedules.PHENOTYPE, schedules.THERAPY_A, schedules.THERAPY_B
    presets = [
        Preset("Two checkpoints", {ph: "excluded", a: "anti-PD-1", b: "anti-CTLA-4"},
               "Is the pair more than independent action predicts? Read the Bliss excess."),
        Preset("Immuno + chemo", {ph: "excluded", a: "anti-PD-1", b: "chemotherapy"},
               "Chemotherapy kills tumor cells and releases antigen: which steps of the cycle does it feed?"),
        Preset("Immuno + anti-VEGF", {ph: "excluded", a: "anti-PD-1", b: "anti-VEGF"},
               "Anti-VEGF normalises vessels: which step of an excluded tumor does that open?"),
        Preset("Hot tumor, two checkpoints", {ph: "inflamed", a: "anti-PD-1", b: "anti-CTLA-4"},
               "Compare with the excluded tumor: is there still room for synergy, and what happens to risk?"),
        Preset("Cold tumor, two checkpoints", {ph: "desert", a: "anti-PD-1", b: "anti-CTLA-4"},
               "Two brakes released, few T cells to release them on: what would you add first?"),
    ]
    # The projector keeps the six controls of the presets; the stop-day slider is the lesson's.
    return build_dashboard("Combining therapies", schedules.pair_app(stop_control=False), presets, "02",
                           layout="stacked", chart_scale=(1.0, 0.7),
                           grid=[ph, None, a, b, schedules.DOSE_A, schedules.DOSE_B])


def resistance_dashboard() -> Dashboard:
    """Lesson 03's four mechanisms on one chart; presets highlight one mechanism each."""
    m, cause = resistance.MECHANISM, resistance.CAUSE
    presets = [
        Preset("Primary: T-cell desert", {m: "primary", cause: "desert"},
               "This tumor never responds. Is anti-PD-1 failing, or is there nothing for it to act on?"),
        Preset("Primary: no antigen", {m: "primary", cause: "no-antigen"},
               "No neoantigen, no recognition: which step of the cycle is missing?"),
        Preset("Acquired: resistant clone", {m: "acquired"},
               "It responded, then grew back. Where was the resistant clone at the start?"),
        Preset("Adaptive: the tumor fights back", {m: "adaptive"},
               "Which of PD-L1 feedback, exhaustion and cytokines matters most? Switch them off one by one."),
        Preset("Each with its countermeasure", {m: "acquired", resistance.COUNTER: True},
               "Each mechanism meets its own countermeasure: does every line respond within the year? "
               "Which step does each countermeasure repair?"),
    ]
    return build_dashboard("Why anti-PD-1 fails: mechanisms of resistance", resistance.resistance_app(),
                           presets, "03", chart_scale=(1.0, 0.7))


def biomarker_dashboard() -> Dashboard:
    """Lesson 04's cutoff explorer: the cutoffs trials used, and a composite."""
    mk, cut = biomarkers.MARKER, biomarkers.CUTOFF
    tps = biomarker_model.MARKERS["pdl1_tps"].cutoff
    tmb = biomarker_model.MARKERS["tmb"].cutoff
    composite = biomarker_model.MARKERS["composite"].cutoff
    assert tps is not None and tmb is not None and composite is not None  # explorer markers have cutoffs
    presets = [
        Preset(f"PD-L1 TPS ≥ {tps.default:g}%", {mk: "pdl1_tps", cut: tps.default},
               "How many patients qualify, and how many of them respond? Who is left out?"),
        Preset("PD-L1 TPS ≥ 1%", {mk: "pdl1_tps", cut: 1.0},
               "Lower the bar: more patients treated. What happens to the share who respond?"),
        Preset(f"TMB ≥ {tmb.default:g} mut/Mb", {mk: "tmb", cut: tmb.default},
               "A different marker, a different biology: does TMB pick the same patients as PD-L1?"),
        Preset(f"Composite ≥ {composite.default:g} SD", {mk: "composite", cut: composite.default},
               "Two independent signals combined: compare the AUC with either marker alone."),
    ]
    return build_dashboard("Choosing a biomarker cutoff", biomarkers.threshold_app(), presets, "04",
                           chart_scale=(0.9, 0.92))


def tracker_sums(kind: str) -> tuple[float, ...]:
    """Target sums (mm) at the tracker's six scans for a teaching course.

    ``pseudoprogression`` and ``delayed response`` are lesson 05's seeded teaching cases;
    ``growth`` and ``shrinkage`` follow the cases' pre-treatment growth and on-treatment
    shrinkage rates from a 60 mm baseline, without noise (the cases stop at confirmed
    progression, the tracker always shows six scans).
    """
    check_choice("kind", kind, ("pseudoprogression", "delayed response", "growth", "shrinkage"))
    if kind in response_model.TEACHING_CASES:
        scans = response_model.TEACHING_CASES[kind]()
        return tuple(float(a.target_sum_mm) for a in scans[:len(response.TRACKER_WEEKS)])
    per_week = (response_model.PRETREATMENT_GROWTH.default if kind == "growth"
                else -response_model.SHRINK_RATE.default) / 100.0
    baseline = response_model.BASELINE_SUM.default
    return tuple(float(round(baseline * math.exp(per_week * w))) for w in response.TRACKER_WEEKS)


def _tracker_values(kind: str, new_lesions: Mapping[int, int] | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {response.target_key(i): s for i, s in enumerate(tracker_sums(kind))}
    if kind == "pseudoprogression":  # the case's small new lesion at the first scan
        scans = response_model.TEACHING_CASES[kind]()
        new_lesions = {i: a.new_lesion_count for i, a in enumerate(scans[1:len(response.TRACKER_WEEKS)], 1)}
    for index, count in (new_lesions or {}).items():
        values[response.new_lesions_key(index)] = count
    return values


def lesion_tracker_dashboard() -> Dashboard:
    """Lesson 05's lesion tracker: the same scans read by RECIST 1.1 and by iRECIST."""
    presets = [
        Preset("Pseudoprogression", _tracker_values("pseudoprogression"),
               "RECIST 1.1 calls progression at week 6. Stop treatment? What does iRECIST wait for?"),
        Preset("Delayed response", _tracker_values("delayed response"),
               "Slow growth first, shrinkage later: when does each set of rules call a response?"),
        Preset("True progression", _tracker_values("growth"),
               "Growth continues: at which scan does iRECIST confirm progression (iCPD)?"),
        Preset("New lesions", _tracker_values("shrinkage", {2: 1, 3: 2}),
               "The targets shrink, but new lesions appear: what does each set of rules say?"),
        Preset("Response", _tracker_values("shrinkage"),
               "Steady shrinkage: which scan first counts as a partial response (−30%)?"),
    ]
    app = response.lesion_tracker_app()
    _compact_tracker(app)
    return build_dashboard("Reading the scans: RECIST 1.1 and iRECIST", app, presets, "05",
                           chart_scale=(0.92, 0.5))


def _compact_tracker(app: App) -> None:
    """Narrow the tracker's grid for the left column: column headings instead of repeated labels.

    The dropdowns keep their labels for screen readers; only their visible width goes to zero.
    """
    grid = app.widget.children[1]
    for i, week in enumerate(response.TRACKER_WEEKS):
        target = app.controls[response.target_key(i)]
        target.description = f"Week {week:g} (mm)"
        target.style.description_width = "7.5em"
        target.layout.width = "300px"
        if i:
            for key, width in ((response.new_lesions_key(i), "64px"), (response.nontarget_key(i), "140px")):
                app.controls[key].style.description_width = "0px"
                app.controls[key].layout.width = width
    for cell in grid.children:
        if isinstance(cell, widgets.HTML) and "baseline" in cell.value:
            cell.value = "<i>baseline</i>"
    headings = [widgets.HTML(f"<b>{text}</b>") for text in ("Target-lesion sum", "New lesions", "Non-target")]
    grid.children = (*headings, *grid.children)


#: Dashboard builders keyed by the notebook they appear in (``notebooks/dashboards/<key>.ipynb``).
DASHBOARDS: Mapping[str, Callable[[], Dashboard]] = MappingProxyType({
    "01_cancer_immunity_cycle": cycle_dashboard,
    "02_combinations_and_synergy": combinations_dashboard,
    "03_resistance_mechanisms": resistance_dashboard,
    "04_biomarker_thresholds": biomarker_dashboard,
    "05_irecist_lesion_tracker": lesion_tracker_dashboard,
})
