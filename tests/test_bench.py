"""primer_lib.devtools.bench: the table flags controls over budget; moves always change the value."""

import random

import ipywidgets as widgets

from primer_lib.devtools.bench import _next_value, markdown

MACHINE = {"cores": 2, "python": "3.11", "platform": "test", "packages": {"numpy": "2"}}


def test_markdown_marks_controls_over_budget_worst_first():
    result = {"machine": MACHINE, "lessons": [{"notebook": "00.ipynb", "seconds": 4.0}],
              "updates": [{"app": "a", "control": "fast", "median_ms": 2.0, "p95_ms": 3.0},
                          {"app": "a", "control": "slow", "median_ms": 25.0, "p95_ms": 30.0},
                          {"app": "a", "control": "spiky", "median_ms": 5.0, "p95_ms": 60.0}]}
    table = markdown(result)
    rows = [line for line in table.splitlines() if line.startswith("| a |")]
    assert [r.split("|")[2].strip() for r in rows] == ["slow", "spiky", "fast"]
    assert rows[0].endswith("**no** |") and rows[1].endswith("**no** |") and rows[2].endswith("yes |")
    assert "| 00.ipynb | 4.0 |" in table


def test_next_value_always_moves_within_range():
    rng = random.Random(0)
    slider = widgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.5)
    dropdown = widgets.Dropdown(options=[("A", 1), ("B", 2)], value=1)
    box = widgets.Checkbox(value=False)
    for _ in range(20):
        assert 0.0 <= _next_value(slider, rng) <= 2.0
    assert _next_value(dropdown, rng) == 2 and _next_value(box, rng) is True
