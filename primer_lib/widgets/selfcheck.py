"""Self-check questions: multiple choice and numeric, with feedback on each answer.

Built from ipywidgets only (no Output widget), so they behave the same in
JupyterLab, in Voila and under nbval. Correct numeric answers can come straight
from a model function, so the question cannot drift from the model.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets

from primer_lib.validation import check_real

CORRECT_COLOUR = "#006d4f"  # dark bluish green: passes WCAG AA on white
WRONG_COLOUR = "#a33c00"  # dark vermillion


@dataclass(frozen=True)
class Option:
    """One answer of a multiple-choice question, with the feedback it earns."""

    text: str
    correct: bool
    feedback: str


@dataclass
class SelfCheck:
    """A question widget: ``.answer`` takes the learner's input, ``.feedback`` replies."""

    prompt: str
    answer: widgets.ValueWidget
    feedback: widgets.HTML
    widget: widgets.Box
    grade: Any = field(repr=False)

    def check(self, value: Any) -> tuple[bool, str]:
        """Grade ``value`` as if the learner had entered it; returns (correct, feedback)."""
        return self.grade(value)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = f"[Self-check: {self.prompt} Run this cell to answer.]"
        return bundle


def multiple_choice(prompt: str, options: Sequence[Option]) -> SelfCheck:
    """A question with one or more correct options; feedback appears on selection."""
    if not isinstance(prompt, str) or not prompt.strip():
        raise TypeError("prompt must be a non-empty str")
    options = tuple(options)
    if len(options) < 2 or not all(isinstance(o, Option) for o in options):
        raise ValueError("options must be at least 2 Option(...) entries")
    if not any(o.correct for o in options):
        raise ValueError("options must include at least one correct Option")
    by_text = {o.text: o for o in options}
    if len(by_text) != len(options):
        raise ValueError("options must have distinct texts")

    def grade(value: Any) -> tuple[bool, str]:
        if value not in by_text:
            raise ValueError(f"answer must be one of {list(by_text)}; got {value!r}")
        option = by_text[value]
        return option.correct, option.feedback

    choice = widgets.RadioButtons(options=list(by_text), value=None,
                                  layout=widgets.Layout(width="auto"))
    return _assemble(prompt, choice, grade, trigger=choice)


def numeric(prompt: str, answer: float, tolerance: float, unit: str = "",
            explanation: str = "", hint: str = "",
            mistakes: Sequence[tuple[float, float, str]] = ()) -> SelfCheck:
    """A question whose answer is a number, accepted within ``±tolerance``.

    ``explanation`` is shown with the verdict either way; ``hint`` only when wrong.
    ``mistakes`` diagnose likely wrong answers: ``(value, tolerance, why)`` answers
    within ``tolerance`` of ``value`` get ``why`` (e.g. the wrong unit, a confused quantity).
    """
    if not isinstance(prompt, str) or not prompt.strip():
        raise TypeError("prompt must be a non-empty str")
    answer = check_real("answer", answer)
    tolerance = check_real("tolerance", tolerance, 0.0, math.inf)
    diagnoses = tuple(_mistake(i, m) for i, m in enumerate(mistakes))
    for value, within, _ in diagnoses:
        if abs(value - answer) <= tolerance + within:
            raise ValueError(f"mistakes must not overlap the right answer {answer:g} ± {tolerance:g}; "
                             f"got {value:g} ± {within:g}")

    def grade(value: Any) -> tuple[bool, str]:
        entered = check_real("answer", value)
        shown = f"{answer:.3g}{' ' + unit if unit else ''}"
        if abs(entered - answer) <= tolerance:
            return True, f"The answer is {shown}. {explanation}".strip()
        for wrong, within, why in diagnoses:
            if abs(entered - wrong) <= within:
                return False, f"{entered:g}: {why}"
        direction = "too high" if entered > answer else "too low"
        return False, f"{entered:g} is {direction}. {hint}".strip()

    entry = widgets.FloatText(value=0.0, description=f"Answer{' (' + unit + ')' if unit else ''}",
                              style={"description_width": "initial"})
    button = widgets.Button(description="Check", button_style="primary")
    return _assemble(prompt, entry, grade, trigger=button, extra=(button,))


def _mistake(index: int, mistake: Any) -> tuple[float, float, str]:
    if not isinstance(mistake, tuple) or len(mistake) != 3 or not isinstance(mistake[2], str):
        raise TypeError(f"mistakes[{index}] must be (value, tolerance, why); got {mistake!r:.60}")
    return (check_real(f"mistakes[{index}] value", mistake[0]),
            check_real(f"mistakes[{index}] tolerance", mistake[1], 0.0, math.inf), mistake[2])


def _assemble(prompt: str, answer: widgets.ValueWidget, grade: Any, trigger: widgets.Widget,
              extra: tuple[widgets.Widget, ...] = ()) -> SelfCheck:
    feedback = widgets.HTML("", layout=widgets.Layout(min_height="1.5em"))
    question = widgets.HTML(f"<p class='primer-question'><b>Self-check.</b> {html.escape(prompt)}</p>")
    row = widgets.HBox([answer, *extra]) if extra else answer
    box = widgets.VBox([question, row, feedback])
    box.add_class("primer-selfcheck")
    check = SelfCheck(prompt=prompt, answer=answer, feedback=feedback, widget=box, grade=grade)

    def show(*_: Any) -> None:
        if answer.value is None:
            return
        try:
            correct, text = grade(answer.value)
        except (TypeError, ValueError) as error:
            feedback.value = _verdict(False, str(error))
            return
        feedback.value = _verdict(correct, text)

    if isinstance(trigger, widgets.Button):
        trigger.on_click(show)
    else:
        answer.observe(show, names="value")
    return check


def _verdict(correct: bool, text: str) -> str:
    mark, colour = ("✔ Correct", CORRECT_COLOUR) if correct else ("✘ Not yet", WRONG_COLOUR)
    return (f"<p role='status' style='color:{colour}'><b>{mark}.</b> "
            f"{html.escape(text)}</p>")
