"""primer_lib.resistance: frames, determinism, input checks, classify_course, charts and lesson 03's apps."""

from __future__ import annotations

import math
import statistics

import altair as alt
import numpy as np
import pandas as pd
import pytest

from primer_lib import resistance
from primer_lib.charts import inline
from primer_lib.charts import resistance as charts
from primer_lib.charts.theme import OKABE_ITO
from primer_lib.cycle import CycleRates
from primer_lib.registry import parameter, registry
from primer_lib.resistance import (
    CAUSES,
    COLUMNS,
    COUNTERMEASURES,
    LABELS,
    MECHANISMS,
    canonical_courses,
    classify_course,
    countermeasure_for,
    course_events,
    overcome,
    relapse_day,
    simulate_resistance,
)
from primer_lib.widgets.resistance import (
    CASE,
    COUNTER,
    FRACTION,
    MECHANISM,
    diagnose_app,
    resistance_app,
)
from tests.app_checks import move

ALL_RUNS = [("none", {}), *(("primary", {"cause": c}) for c in CAUSES), ("acquired", {}),
            ("acquired", {"emerging": True}), ("adaptive", {}),
            ("adaptive", {"pdl1_feedback": False, "exhaustion": False, "cytokines": False})]


@pytest.mark.parametrize(("mechanism", "params"), ALL_RUNS)
def test_frame_has_the_columns_and_starts_at_baseline(mechanism, params):
    frame = simulate_resistance(mechanism, days=60, **params)
    assert tuple(frame.columns) == COLUMNS
    assert len(frame) == 61 and frame["day"].iloc[-1] == 60
    assert frame["tumor"].iloc[0] == pytest.approx(1.0)
    assert (frame.drop(columns="day") >= 0).all().all()
    assert frame["resistant_fraction"].between(0, 1).all()
    np.testing.assert_allclose(frame["tumor"], frame["sensitive"] + frame["resistant"])
    assert frame["exhaustion"].max() < 1.0


def test_each_mechanism_has_its_own_states():
    acquired = simulate_resistance("acquired", resistant_fraction=1e-3)
    assert acquired["resistant_fraction"].iloc[0] == pytest.approx(1e-3)
    assert acquired["resistant_fraction"].iloc[-1] > 0.99
    assert (acquired[["exhaustion", "cytokines"]] == 0).all().all()
    adaptive = simulate_resistance("adaptive")
    assert adaptive["exhaustion"].iloc[-1] > adaptive["exhaustion"].iloc[0] > 0
    assert adaptive["cytokines"].max() > adaptive["cytokines"].iloc[0] > 0
    assert adaptive["pdl1"].iloc[0] > 3 * simulate_resistance("none")["pdl1"].iloc[0]
    off = simulate_resistance("adaptive", exhaustion=False, cytokines=False)
    assert (off[["exhaustion", "cytokines", "resistant"]] == 0).all().all()
    assert simulate_resistance("adaptive", pdl1_feedback=2.5)["pdl1"].iloc[0] == pytest.approx(
        CycleRates().pdl1_constitutive + 2.5 * off["effector"].iloc[0]
        / (off["effector"].iloc[0] + CycleRates().pdl1_half_saturation), rel=0.05)


def test_the_reference_rates_come_from_the_registry():
    assert resistance.REFERENCE_RATES.priming == parameter("resistance.priming").default
    assert resistance.REFERENCE_RATES.pdl1_suppression == parameter("resistance.pdl1_suppression").default
    names = [p.name for p in resistance.PARAMETERS]
    assert all(n.startswith("resistance.") for n in names) and set(names) <= set(registry())
    assert all(p.unit for p in resistance.PARAMETERS)


def test_same_seed_same_run_and_deterministic_mechanisms_ignore_the_seed():
    for mechanism, params in ALL_RUNS:
        first = simulate_resistance(mechanism, 120, 3, **params)
        pd.testing.assert_frame_equal(first, simulate_resistance(mechanism, 120, 3, **params))
    pd.testing.assert_frame_equal(simulate_resistance("adaptive", seed=1),
                                  simulate_resistance("adaptive", seed=2))
    runs = {seed: simulate_resistance("acquired", 730, seed, emerging=True) for seed in range(6)}
    founded = {seed: frame.attrs["clone_day"] for seed, frame in runs.items()}
    assert any(math.isnan(d) for d in founded.values()) and any(not math.isnan(d) for d in founded.values())


def test_returned_frames_are_copies():
    frame = simulate_resistance("none", days=30)
    frame["tumor"] = -1.0
    assert simulate_resistance("none", days=30)["tumor"].iloc[0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: simulate_resistance("innate"), ValueError, "mechanism must be one of"),
        (lambda: simulate_resistance("none", cause="desert"), ValueError,
         r"params of mechanism 'none' must be among \['countermeasure'\]"),
        (lambda: simulate_resistance("acquired", speed=2), ValueError,
         r"must be among \['clone_growth', 'countermeasure', 'emerging', 'mutation_rate', "
         r"'resistant_fraction'\]"),
        (lambda: simulate_resistance("primary", cause="cold"), ValueError, "cause must be one of"),
        (lambda: simulate_resistance("acquired", resistant_fraction=0.6), ValueError,
         r"resistant_fraction must be in \[0, 0.5\] fraction"),
        (lambda: simulate_resistance("acquired", resistant_fraction="1e-4"), TypeError, "resistant_fraction"),
        (lambda: simulate_resistance("acquired", emerging=1), TypeError, "emerging must be True or False"),
        (lambda: simulate_resistance("acquired", emerging=True, resistant_fraction=0.1), ValueError,
         "resistant_fraction is for a pre-existing clone"),
        (lambda: simulate_resistance("acquired", mutation_rate=1e-8), ValueError, "emerging=True"),
        (lambda: simulate_resistance("acquired", clone_growth=1.0), ValueError, r"clone_growth must be in"),
        (lambda: simulate_resistance("adaptive", pdl1_feedback=7), ValueError,
         r"pdl1_feedback must be in \[0, 5\]"),
        (lambda: simulate_resistance("adaptive", exhaustion="yes"), TypeError, "exhaustion must be True"),
        (lambda: simulate_resistance("adaptive", cytokines=None), TypeError, "cytokines must be True"),
        (lambda: simulate_resistance("none", countermeasure="aspirin"), ValueError,
         "countermeasure must be one of"),
        (lambda: simulate_resistance("none", days=0), ValueError, r"days must be in \[1, 3650\]"),
        (lambda: simulate_resistance("none", seed=-1), ValueError, "seed must be an integer"),
        (lambda: simulate_resistance("none", seed=1.5), TypeError, "seed must be an integer"),
        (lambda: overcome("adaptive", "prayer"), ValueError, "strategy must be one of"),
        (lambda: overcome("adaptive", "anti-LAG-3", countermeasure="anti-TGF-β"), ValueError, "strategy"),
        (lambda: countermeasure_for("primary", "lukewarm"), ValueError, "cause must be one of"),
        (lambda: canonical_courses(seed=-2), ValueError, "seed must be an integer"),
        (lambda: relapse_day(pd.DataFrame({"t": [1.0]})), ValueError, "frame must have columns"),
    ],
)
def test_bad_input_names_the_parameter(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


@pytest.mark.parametrize(
    ("burden", "label"),
    [
        ([1.0, 0.5, 0.4, 0.3], "response"),
        ([1.0, 0.7], "response"),  # −30% exactly is a response
        ([1.0, 0.71, 0.8], "stable disease"),  # +13% over the nadir
        ([1.0, 1.19, 1.1], "stable disease"),  # +19% is not progression
        ([1.0, 1.2], "primary resistance"),  # +20% is
        ([1.0, 0.8, 0.97], "primary resistance"),  # +21% over a nadir of 0.8, not over baseline
        ([1.0, 0.001, 0.05, 0.09], "response"),  # 90× the nadir but below the 0.1 floor
        ([1.0, 0.001, 0.05, 0.102], "acquired resistance"),  # over nadir + 0.1 and 1.2 × nadir
        ([1.0, 0.5, 0.59], "response"),  # +18% over the nadir
        ([1.0, 0.5, 0.61], "acquired resistance"),
        ([1.0, 0.0, 0.0], "response"),  # eliminated
        ([1.0, 0.0, 0.2], "acquired resistance"),  # back from nothing
        ([1.0, 1.3, 0.5, 0.45], "response"),  # progression before a response does not count
        ([10.0, 5.0, 4.0], "response"),  # any unit: divided by the baseline
        ([2.0, 2.5, 3.0], "primary resistance"),
    ],
)
def test_classify_course_on_crafted_series(burden, label):
    assert classify_course(burden) == label
    assert classify_course(np.asarray(burden)) == label
    assert label in LABELS


def test_course_events_give_the_response_and_progression_points():
    assert course_events([1.0, 0.6, 0.2, 0.1, 0.3]) == (1, 4)
    assert course_events([1.0, 1.1, 1.3]) == (None, 2)
    assert course_events([1.0, 0.9, 0.95]) == (None, None)


@pytest.mark.parametrize(
    ("burden", "error", "pattern"),
    [
        ([], ValueError, "burden must be a 1-D sequence of at least 2"),
        ([1.0], ValueError, "burden must be a 1-D sequence of at least 2"),
        ([[1.0, 0.5], [0.4, 0.3]], ValueError, "burden must be a 1-D"),
        ([1.0, -0.1], ValueError, r"burden must be in \[0, inf\]"),
        ([1.0, float("nan")], ValueError, "burden must be in .* and NaN"),
        ([1.0, float("inf")], ValueError, "burden must be finite"),
        ([0.0, 0.5], ValueError, r"burden\[0\], the baseline, must be positive"),
        ("abc", TypeError, "burden must be numbers"),
    ],
)
def test_classify_course_rejects_bad_burden(burden, error, pattern):
    with pytest.raises(error, match=pattern):
        classify_course(burden)


def test_relapse_day_and_overcome():
    frame = simulate_resistance("acquired")
    day = relapse_day(frame)
    assert 100 < day < 300
    responded, progressed = course_events(frame["tumor"].to_numpy())
    assert frame["day"].iloc[progressed] == day and responded < progressed
    assert math.isnan(relapse_day(simulate_resistance("none")))
    assert math.isnan(relapse_day(simulate_resistance("primary")))
    pair = overcome("acquired", "chemotherapy")
    assert list(pair) == ["anti-PD-1", "anti-PD-1 + chemotherapy"]
    pd.testing.assert_frame_equal(pair["anti-PD-1"], frame)


def test_every_mechanism_and_cause_has_a_countermeasure_entry():
    assert set(resistance.COUNTERMEASURE_FOR) == {*MECHANISMS, *CAUSES} - {"primary"}
    for mechanism in MECHANISMS:
        for cause in CAUSES:
            choice = countermeasure_for(mechanism, cause)
            assert choice is None or choice in COUNTERMEASURES
    assert countermeasure_for("primary", "no-antigen") is None
    assert countermeasure_for("adaptive") == "JAK inhibitor"
    for counter in COUNTERMEASURES.values():
        assert counter.counters and counter.action
        assert counter.doses or counter.lag3 or counter.tgfb or counter.jak


def test_canonical_courses_are_scans_every_six_weeks_with_seeded_noise():
    cases = canonical_courses()
    assert len(cases) >= 5 and {c.label for c in cases.values()} >= {
        "response", "primary resistance", "acquired resistance"}
    for case in cases.values():
        np.testing.assert_array_equal(case.days, np.arange(0.0, 366.0, 42.0))
        assert case.burden[0] == 1.0 and len(case.burden) == len(case.days)
        assert case.label in LABELS and case.mechanism
    again, other = canonical_courses(0), canonical_courses(1)
    for name, case in cases.items():
        np.testing.assert_array_equal(case.burden, again[name].burden)
    assert any(not np.array_equal(case.burden, other[name].burden) for name, case in cases.items())


# ---------------------------------------------------------------------------------------------------
# Charts


def test_chart_data_is_named_small_and_inlines():
    frames = {"A": simulate_resistance("acquired"), "B": simulate_resistance("adaptive")}
    data = charts.resistance_data(frames, "B")
    assert set(data) == {charts.BURDEN, charts.STATES}
    assert all(len(frame) <= 5000 for frame in data.values())
    burden = data[charts.BURDEN]
    assert set(burden["series"]) == {"A", "B"}
    assert set(burden.loc[burden["series"] == "B", "emphasis"]) == {"selected"}
    assert burden["shown"].min() >= charts.BURDEN_FLOOR
    assert set(data[charts.STATES]["course"]) == {"B"}
    assert {"Exhaustion X (0–1)", "Suppressive cytokines Y (relative)"} <= set(data[charts.STATES]["state"])
    spec = charts.resistance_chart(["A", "B"]).to_dict()
    spec["datasets"] = {name: frame.to_dict("records") for name, frame in data.items()}
    spec = alt.VConcatChart.from_dict(spec).to_dict()  # validates against the schema
    assert len(spec["datasets"][charts.BURDEN]) == len(burden)
    assert spec["config"]["range"]["category"] == list(OKABE_ITO)
    # Only the states a course has: the clone's fraction, no exhaustion.
    states = charts.resistance_data(frames, "A")[charts.STATES]
    assert "Resistant fraction R/T" in set(states["state"])
    assert "Exhaustion X (0–1)" not in set(states["state"])
    with pytest.raises(ValueError, match="selected must be one of"):
        charts.resistance_data(frames, "C")
    with pytest.raises(ValueError, match="frames must hold"):
        charts.resistance_data({})


def test_description_states_each_verdict():
    frames = {"Reference": simulate_resistance("none"), "Clone": simulate_resistance("acquired")}
    text = charts.describe_resistance(frames, "Clone", {"Clone": "fraction 1e-4"})
    assert "Reference: response, below 0.7 on day 3, eliminated on day" in text
    assert "Clone (fraction 1e-4): acquired resistance" in text and "progression from day 175" in text
    assert "Resistant fraction R/T from 0.0001 to 1" in text


def test_scans_chart_and_description_do_not_give_the_answer_away():
    for name, case in canonical_courses().items():
        data = charts.scans_data(case)[charts.SCANS]
        assert list(data.columns) == ["day", "burden", "change"] and len(data) == len(case.days)
        text = charts.describe_scans(name, case)
        assert name in text and "day 42:" in text
        for label in LABELS:
            assert label not in text
        assert case.mechanism not in text
    spec = inline(charts.scans_chart(), charts.scans_data(canonical_courses()["Patient C"])).to_dict()
    assert spec["datasets"][charts.SCANS][0]["burden"] == 1.0


# ---------------------------------------------------------------------------------------------------
# Apps


@pytest.mark.parametrize("name", ["resistance.cause", FRACTION, "resistance.pdl1_feedback",
                                  "resistance.exhaustion", "resistance.cytokines", COUNTER])
def test_each_setting_changes_its_own_line_whatever_is_highlighted(name):
    # The chart shows every mechanism, so each control changes a line even when another is highlighted.
    for highlighted in ("none", "primary", "acquired", "adaptive"):
        app = resistance_app(highlighted)
        before = app.chart.datasets["burden"]["tumor"]
        move(app.controls[name])
        assert app.chart.datasets["burden"]["tumor"] != before, (name, highlighted)


def test_highlight_moves_the_emphasis_and_the_states_panel():
    app = resistance_app("acquired")
    app.controls[MECHANISM].value = "adaptive"
    burden = app.chart.datasets["burden"]
    chosen = {s for s, e in zip(burden["series"], burden["emphasis"], strict=True) if e == "selected"}
    assert chosen == {"Adaptive"} and set(app.chart.datasets["states"]["course"]) == {"Adaptive"}


def test_slider_sets_the_clone_on_a_log_scale():
    app = resistance_app()
    app.controls[FRACTION].value = -2.0
    assert "initial fraction 0.01" in app.chart.description
    app.controls[FRACTION].value = app.controls[FRACTION].max
    assert app.status.value == "" and "initial fraction 0.5" in app.chart.description


def test_diagnose_app_shows_each_case():
    app = diagnose_app()
    for name in canonical_courses():
        app.controls[CASE].value = name
        assert app.chart.description.startswith(name)
        assert app.chart.datasets[charts.SCANS]["burden"][0] == 1.0


@pytest.mark.parametrize("build", [resistance_app, diagnose_app])
def test_each_update_takes_at_most_20_ms_median(build):
    app = build()
    for control in app.controls.values():
        times = []
        for _ in range(9):
            move(control)
            times.append(app.last_update_ms)
        assert statistics.median(times) <= 20.0, (control.description, times)


@pytest.mark.parametrize(
    ("call", "pattern"),
    [(lambda: resistance_app("innate"), "mechanism must be one of"),
     (lambda: resistance_app(cause="cold"), "cause must be one of"),
     (lambda: diagnose_app("Patient Z"), "case must be one of"),
     (lambda: diagnose_app(seed=-1), "seed must be an integer")],
)
def test_bad_arguments_are_rejected(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()
