"""primer_lib.schedules: trial arms, progression, the irAE proxy and the pair comparison."""

import math

import numpy as np
import pandas as pd
import pytest

from primer_lib import cycle, schedules
from primer_lib.cycle import Course
from primer_lib.schedules import (
    TRIAL_ARMS,
    TRIAL_RESULTS,
    compare_arms,
    irae_risk,
    progression_day,
    simulate_arm,
    tumor_inhibition,
)


def test_trial_arms_follow_the_protocols():
    nct = TRIAL_ARMS["NCT00527735"]
    chemo = nct["chemotherapy + placebo"][0]
    assert chemo.administration_days == tuple(21.0 * k for k in range(6))  # six 3-weekly cycles
    concurrent, phased = nct["concurrent ipilimumab"][1], nct["phased ipilimumab"][1]
    assert concurrent.administration_days == (0.0, 21.0, 42.0, 63.0)  # with cycles 1-4
    assert phased.administration_days == (42.0, 63.0, 84.0, 105.0)  # with cycles 3-6
    induction, nivolumab = TRIAL_ARMS["TONIC"]["chemotherapy induction"]
    assert induction.administration_days == (0.0, 7.0) and nivolumab.start_day == 14  # 2-week induction


def test_every_trial_has_published_results_with_sources():
    for trial in TRIAL_ARMS:
        assert any(r.trial.startswith(trial) for r in TRIAL_RESULTS)
    assert all(r.source and r.value for r in TRIAL_RESULTS)


def test_irae_proxy_reproduces_its_calibration_points():
    # CheckMate 067 (2015): a year of anti-PD-1, ipilimumab's four doses, and both, over their first year.
    year, ipilimumab = Course("anti-PD-1", doses=18), Course("anti-CTLA-4")
    assert irae_risk([year]) == pytest.approx(0.163)
    assert irae_risk([ipilimumab]) == pytest.approx(0.273)
    assert irae_risk([year, ipilimumab]) == pytest.approx(0.550)
    assert irae_risk(["chemotherapy", "vaccine"]) == 0.0
    assert irae_risk([Course("anti-PD-1", 0.5, doses=18)]) < irae_risk([year])
    # Exposure fades after the last dose, so stopping early lowers the risk, but not to zero at once.
    assert 0 < irae_risk([Course("anti-PD-1", doses=1)]) < irae_risk([Course("anti-PD-1", doses=5)])


def test_progression_day():
    frame = pd.DataFrame({"day": [0, 1, 2, 3, 4], "tumor": [100.0, 50.0, 60.0, 101.0, 300.0]})
    assert progression_day(frame) == 3
    assert progression_day(frame, factor=5.0) == 4
    assert math.isnan(progression_day(pd.DataFrame({"day": [0, 1], "tumor": [5.0, 0.0]})))
    with pytest.raises(ValueError, match=r"factor must be in \[1.1, 10\]"):
        progression_day(frame, factor=1.0)
    with pytest.raises(ValueError, match="frame must have columns"):
        progression_day(pd.DataFrame({"x": [1]}))


def test_tumor_inhibition_is_a_fraction():
    untreated = pd.DataFrame({"day": [0, 10], "tumor": [1.0, 100.0]})
    treated = pd.DataFrame({"day": [0, 10], "tumor": [1.0, 25.0]})
    assert tumor_inhibition(treated, untreated, 10) == pytest.approx(0.75)
    assert tumor_inhibition(untreated, treated, 10) == 0.0


def test_compare_arms_table():
    table = compare_arms("TONIC", "desert")
    assert list(table["arm"]) == list(TRIAL_ARMS["TONIC"])
    assert {"tumor_day_90", "tumor_day_180", "tumor_end", "progression_day", "irae_risk"} <= set(table)


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="trial must be one of"):
        simulate_arm("KEYNOTE-999", "x")
    with pytest.raises(ValueError, match="arm must be one of"):
        simulate_arm("TONIC", "placebo")
    with pytest.raises(ValueError, match=r"days must be in \[1, 3650\]"):
        irae_risk(["anti-PD-1"], days=0)
    with pytest.raises(ValueError, match="therapy must be one of"):
        irae_risk(["aspirin"])


def test_tumor_below_one_cell_is_eliminated_not_regrown():
    frame = simulate_arm("NCT00527735", "phased ipilimumab", "inflamed")
    gone = np.flatnonzero(frame["tumor"].to_numpy() == 0)
    assert gone.size and (frame["tumor"].to_numpy()[gone[0]:] == 0).all()


# --- Hostile input names the caller's parameter (issue 23) -----------------------------------------------

@pytest.mark.parametrize("frame", [{"day": [0, 1], "tumor": [1, 2]}, pd.DataFrame(), None,
                                   pd.DataFrame({"day": [0.0, 1.0], "tumor": [np.nan, np.nan]})])
def test_progression_day_refuses_what_is_not_a_run(frame):
    with pytest.raises((TypeError, ValueError), match="frame"):
        schedules.progression_day(frame)


@pytest.mark.parametrize("day", [math.nan, math.inf, -1.0, None, True, "1", 500.0])
def test_tumor_inhibition_refuses_days_outside_both_runs(day):
    run = cycle.simulate_cycle("excluded", ["anti-PD-1"], days=180, points=37)
    untreated = cycle.simulate_cycle("excluded", days=180, points=37)
    with pytest.raises((TypeError, ValueError), match="day"):
        schedules.tumor_inhibition(run, untreated, day)
    assert 0.0 <= schedules.tumor_inhibition(run, untreated, 90.0) <= 1.0


@pytest.mark.parametrize(("key", "value"), [("dose_a", 5.0), ("dose_b", -1.0), ("therapy_a", "aspirin"),
                                            ("days", "abc"), ("stop_day", 1.0)])
def test_combine_on_cycle_names_the_bad_argument(key, value):
    kwargs = dict(therapy_a="anti-PD-1", dose_a=1.0, therapy_b="anti-CTLA-4", dose_b=1.0) | {key: value}
    with pytest.raises((TypeError, ValueError), match=key):
        schedules.combine_on_cycle(**kwargs)
