"""Lesson 03 explorers: the mechanisms of resistance side by side, and scans to diagnose."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from primer_lib import resistance as model
from primer_lib.charts import resistance as charts
from primer_lib.registry import parameter
from primer_lib.validation import check_choice, check_int
from primer_lib.widgets import selfcheck
from primer_lib.widgets.app import App, build_app
from primer_lib.widgets.controls import dropdown, slider
from primer_lib.widgets.livechart import LiveChart

MECHANISM, CAUSE = "resistance.mechanism", "resistance.cause"
FRACTION = "resistance.log10_resistant_fraction"
FEEDBACK, EXHAUSTION, CYTOKINES = "resistance.pdl1_feedback", "resistance.exhaustion", "resistance.cytokines"
COUNTER = "resistance.countermeasure"
CASE = "resistance.case"
#: Legend names of the four courses, one per mechanism.
SERIES: Mapping[str, str] = {"none": "No resistance", "primary": "Primary", "acquired": "Acquired",
                             "adaptive": "Adaptive"}
DAYS = 365.0
INTRO = ("Each line is one tumor given anti-PD-1 from day 0. Every control changes the line of the "
         "mechanism it belongs to: the cause changes the primary line, the resistant fraction the "
         "acquired line, the three switches the adaptive line, and the last box adds each mechanism's "
         "countermeasure. 'Highlight' picks the line drawn boldly and whose hidden states appear below.")


def _checkbox(value: bool, description: str, tooltip: str, width: str = "12em") -> widgets.Checkbox:
    return widgets.Checkbox(value=value, description=description, tooltip=tooltip, indent=False,
                            layout=widgets.Layout(width=width))


def mechanism_settings(values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each mechanism's :func:`~primer_lib.resistance.simulate_resistance` parameters from the controls."""
    settings: dict[str, dict[str, Any]] = {
        "none": {},
        "primary": {"cause": values[CAUSE]},
        "acquired": {"resistant_fraction": min(0.5, 10.0 ** float(values[FRACTION]))},
        "adaptive": {"pdl1_feedback": bool(values[FEEDBACK]), "exhaustion": bool(values[EXHAUSTION]),
                     "cytokines": bool(values[CYTOKINES])},
    }
    if values[COUNTER]:
        for mechanism, kwargs in settings.items():
            counter = model.countermeasure_for(mechanism, values[CAUSE])
            if counter is not None:
                kwargs["countermeasure"] = counter
    return settings


def _note(mechanism: str, kwargs: Mapping[str, Any]) -> str:
    if mechanism == "primary":
        words = f"cause: {model.CAUSE_LABELS[kwargs['cause']]}"
    elif mechanism == "acquired":
        words = f"B2M-loss clone, initial fraction {kwargs['resistant_fraction']:.2g}"
    elif mechanism == "adaptive":
        switches = {"pdl1_feedback": "PD-L1 feedback", "exhaustion": "exhaustion", "cytokines": "cytokines"}
        words = ", ".join(f"{label} {'on' if kwargs[key] else 'off'}" for key, label in switches.items())
    else:
        words = "reference tumor"
    counter = kwargs.get("countermeasure")
    return f"{words}; + {counter}" if counter else words


def resistance_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    """Run all four mechanisms with the controls' settings (runs are cached); chart data and description."""
    settings = mechanism_settings(values)
    frames = {SERIES[m]: model.simulate_resistance(m, DAYS, **kwargs) for m, kwargs in settings.items()}
    notes = {SERIES[m]: _note(m, kwargs) for m, kwargs in settings.items()}
    selected = SERIES[values[MECHANISM]]
    return (charts.resistance_data(frames, selected),
            charts.describe_resistance(frames, selected, notes))


def resistance_app(mechanism: str = "acquired", cause: str = model.DEFAULT_CAUSE) -> App:
    """The four mechanisms on one chart; controls for each mechanism's settings and its countermeasure."""
    check_choice("mechanism", mechanism, model.MECHANISMS)
    check_choice("cause", cause, model.CAUSES)
    feedback = parameter(FEEDBACK)
    controls: dict[str, widgets.ValueWidget] = {
        MECHANISM: dropdown([(SERIES[m], m) for m in model.MECHANISMS], mechanism, "Highlight",
                             " ".join(model.MECHANISM_NOTES.values())),
        CAUSE: dropdown([(model.CAUSE_LABELS[c], c) for c in model.CAUSES], cause,
                         "Cause of primary resistance", " ".join(model.CAUSE_NOTES.values())),
        FRACTION: slider(FRACTION),
        FEEDBACK: _checkbox(True, "PD-L1 feedback", feedback.tooltip),
        EXHAUSTION: _checkbox(True, "Exhaustion", parameter("resistance.exhaustion_rate").tooltip),
        CYTOKINES: _checkbox(True, "Cytokines", parameter("resistance.cytokine_rate").tooltip),
        COUNTER: _checkbox(False, "Add each mechanism's countermeasure",
                           " ".join(f"{c.id}: {c.action}" for c in model.COUNTERMEASURES.values()
                                    if c.id in model.COUNTERMEASURE_FOR.values()), width="22em"),
    }
    data, text = resistance_update({name: c.value for name, c in controls.items()})
    chart = LiveChart(charts.resistance_chart(list(SERIES.values())), data, text)
    return build_app("Why anti-PD-1 fails: four mechanisms", controls, chart, resistance_update, intro=INTRO)


@functools.lru_cache(maxsize=8)
def _cases(seed: int) -> dict[str, model.Case]:
    return model.canonical_courses(seed)


def diagnose_app(case: str = "Patient A", seed: int = 0) -> App:
    """Pick a patient to see their scans; the notebook's self-check asks for the diagnosis."""
    seed = check_int("seed", seed, 0, 2**32 - 1)
    cases = _cases(seed)
    check_choice("case", case, cases)

    def update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
        name = values[CASE]
        return charts.scans_data(cases[name]), charts.describe_scans(name, cases[name])

    controls = {CASE: dropdown(list(cases), case, "Patient",
                                "Each patient's tumor burden on scans every 6 weeks on anti-PD-1")}
    data, text = update({CASE: case})
    return build_app("Diagnose the resistance", controls, LiveChart(charts.scans_chart(), data, text), update,
                     intro="Choose a patient and read the scans: response, primary resistance, acquired "
                           "resistance or stable disease?")


# --- Self-checks computed from the model ------------------------------------------------------------------

def diagnosis_question(case: str = "Patient A", seed: int = 0) -> selfcheck.SelfCheck:
    """How would you classify ``case``'s course? Each option's feedback reads that patient's scans.

    The answer is :func:`primer_lib.resistance.classify_course` of the true course; the
    feedback quotes the scans (deepest fall, when the burden responded and regrew).
    """
    seed = check_int("seed", seed, 0, 2**32 - 1)
    cases = _cases(seed)
    check_choice("case", case, cases)
    scans = cases[case]
    weeks = scans.days / 7.0
    burden = scans.burden / scans.burden[0]
    responded, progressed = model.course_events(burden)
    lowest = int(np.argmin(burden))
    share = f"{burden[lowest]:.0%}" if burden[lowest] >= 0.01 else "under 1%"
    facts = ("the burden never fell below baseline" if lowest == 0 else
             f"its lowest scan is {share} of baseline (week {weeks[lowest]:.0f})")
    reasons = {
        "response": ("this label means a response that lasts: the burden falls below 70% of baseline and "
                     "does not grow back; "
                     + ("it fell that low but grew back" if progressed is not None and responded is not None
                        else "it never fell below 70%" if responded is None else "it stayed down")),
        "primary resistance": ("primary resistance means no response at all, and growth: "
                               + ("it did respond first" if responded is not None else
                                  "it never responded and grew" if progressed is not None else
                                  "it never responded but did not grow either")),
        "acquired resistance": ("acquired resistance means a response first, then regrowth: "
                                + ("it never responded" if responded is None else
                                   "it responded and grew back" if progressed is not None else
                                   "it responded and did not grow back")),
        "stable disease": ("stable disease means neither a response nor growth: "
                           + ("it responded" if responded is not None else
                              "it grew" if progressed is not None else "it did neither")),
    }

    def why(label: str) -> str:
        text = f"{reasons[label][0].upper()}{reasons[label][1:]}; {facts}."
        return ("Yes. " if label == scans.label else "Not this one. ") + text

    return selfcheck.multiple_choice(f"{case}: how would you classify the course?",
                                     [selfcheck.Option(label, label == scans.label, why(label))
                                      for label in model.LABELS])


def countermeasure_question() -> selfcheck.SelfCheck:
    """What, added to anti-PD-1, overcomes adaptive resistance in the model? Feedback: model and clinic.

    Each option's feedback says what :func:`primer_lib.resistance.overcome` gives in the model
    and what patients have shown (:data:`primer_lib.resistance.IN_THE_CLINIC`).
    """
    answer = model.countermeasure_for("adaptive")
    stride = int(parameter("resistance.scan_interval").default)  # daily course read as 6-weekly scans
    options = []
    for strategy in model.IN_THE_CLINIC:
        runs = model.overcome("adaptive", strategy)
        course = model.classify_course(runs[f"anti-PD-1 + {strategy}"]["tumor"].to_numpy()[::stride])
        in_model = (f"In the model: with anti-PD-1 + {strategy} Patient D's course is {course}. "
                    f"{model.COUNTERMEASURES[strategy].action}")
        verdict = "Yes, in the model." if strategy == answer else "Not in the model."
        clinic = model.IN_THE_CLINIC[strategy]
        options.append(selfcheck.Option(strategy, strategy == answer,
                                        f"{verdict} {in_model} In the clinic: {clinic}"))
    return selfcheck.multiple_choice(
        "In the model, what overcomes the adaptive resistance of Patient D when added to anti-PD-1? (Then "
        "read what each has shown in patients.)", options)
