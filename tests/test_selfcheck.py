"""primer_lib.widgets.selfcheck: feedback per option, numeric tolerance, bad definitions."""

import pytest

from primer_lib.widgets.selfcheck import Option, multiple_choice, numeric


def _mc():
    return multiple_choice("Which?", [Option("A", False, "not A"), Option("B", True, "yes B")])


def test_multiple_choice_feedback_appears_on_selection():
    q = _mc()
    assert q.feedback.value == ""
    q.answer.value = "A"
    assert "not A" in q.feedback.value and "Not yet" in q.feedback.value
    q.answer.value = "B"
    assert "yes B" in q.feedback.value and "Correct" in q.feedback.value
    assert q.check("B") == (True, "yes B")


def test_numeric_checks_on_button_within_tolerance():
    q = numeric("How many?", answer=1.63, tolerance=0.02, unit="million", hint="n·E = a")
    button = q.widget.children[1].children[1]
    q.answer.value = 1.64
    button.click()
    assert "Correct" in q.feedback.value and "1.63 million" in q.feedback.value
    q.answer.value = 3.0
    button.click()
    assert "too high" in q.feedback.value and "n·E = a" in q.feedback.value
    assert q.check(1.0)[0] is False


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: multiple_choice("", [Option("A", True, "")] * 2), TypeError),
        (lambda: multiple_choice("Q", [Option("A", True, "")]), ValueError),
        (lambda: multiple_choice("Q", [Option("A", False, ""), Option("B", False, "")]), ValueError),
        (lambda: multiple_choice("Q", [Option("A", True, ""), Option("A", False, "")]), ValueError),
        (lambda: numeric("Q", answer="x", tolerance=1), TypeError),
        (lambda: numeric("Q", answer=1, tolerance=-1), ValueError),
    ],
)
def test_bad_question_definitions_are_rejected(build, error):
    with pytest.raises(error):
        build()


def test_grading_an_unknown_option_names_the_choices():
    with pytest.raises(ValueError, match=r"answer must be one of \['A', 'B'\]"):
        _mc().check("C")


def test_saved_text_has_the_prompt():
    assert "Which?" in _mc()._repr_mimebundle_()["text/plain"]
