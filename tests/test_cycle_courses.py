"""Treatment courses, fading effects, CAR-T through step 5 and immune memory in the cycle engine."""

import math

import numpy as np
import pytest

from primer_lib import cycle, outcomes
from primer_lib.cycle import REGIMENS, THERAPIES, Course, Dose, as_doses, simulate_cycle


def verdict(frame, horizon, window=90.0):
    return outcomes.verdict(frame["day"], frame["tumor"], horizon, window)


def log_mean(frame, horizon, window=90.0):
    return outcomes.log_mean_burden(frame["day"], frame["tumor"], horizon, window)


# --- Standard courses -----------------------------------------------------------------------------------

def test_every_therapy_has_a_standard_course_with_a_source():
    assert set(REGIMENS) == set(THERAPIES)
    for therapy, regimen in REGIMENS.items():
        assert regimen.schedule and regimen.source, therapy
        assert regimen.half_life_days > 0 and regimen.doses >= 1


@pytest.mark.parametrize("therapy, days", [
    ("chemotherapy", (0, 21, 42, 63, 84, 105)),  # 6 cycles every 3 weeks (NCT00527735)
    ("radiation", (0, 1, 2, 3, 4)),  # fractions over a week
    ("anti-CTLA-4", (0, 21, 42, 63)),  # four doses every 3 weeks
    ("CAR-T", (0,)),  # one infusion
    ("vaccine", (0, 7, 14, 21, 84, 140)),  # a weekly prime and two boosts
])
def test_a_therapy_named_by_id_gets_its_standard_course(therapy, days):
    (course,) = as_doses([therapy])
    assert isinstance(course, Course) and course.administration_days == tuple(float(d) for d in days)


def test_checkpoint_antibodies_run_every_3_weeks_for_up_to_two_years():
    (course,) = as_doses(["anti-PD-1"])
    assert len(course.administration_days) == 35 and course.administration_days[-1] == 34 * 21
    assert course.end_day == 35 * 21  # about two years


def test_the_explicit_forms_keep_working():
    dose, course = as_doses([("chemotherapy", 1.0, 0, 14), Course("anti-PD-1", start_day=14, doses=3)])
    assert dose == Dose("chemotherapy", 1.0, 0, 14) and course.administration_days == (14.0, 35.0, 56.0)


# --- Fading effects ---------------------------------------------------------------------------------------

def test_a_dose_of_chemotherapy_fades_within_weeks():
    course = Course("chemotherapy", doses=1)
    assert course.weight(0.0) == 1.0
    assert 0.4 < course.weight(5.0) < 0.6  # one half-life
    assert course.weight(40.0) < 0.01


def test_one_dose_of_anti_pd1_keeps_most_pd1_blocked_for_two_months():
    # Brahmer et al. 2010: > 70% of PD-1 still occupied >= 2 months after one infusion.
    course = Course("anti-PD-1", doses=1)
    assert course.weight(60.0) > 0.7 and course.weight(150.0) < 0.3


def test_a_continuous_dose_acts_fully_then_fades_after_it_stops():
    dose = Dose("radiation", 1.0, 10.0, 20.0)
    assert dose.weight(5.0) == 0.0 and dose.weight(15.0) == 1.0
    assert 0 < dose.weight(21.0) < 1.0 and dose.weight(40.0) < 0.01


def test_chemotherapy_no_longer_runs_for_ever():
    # Six cycles end on day 126: they hold the desert tumor down while they act, then it catches up.
    treated = simulate_cycle("desert", ["chemotherapy"], days=365)
    untreated = simulate_cycle("desert", days=365)
    assert treated["tumor"].iloc[90] < 0.6 * untreated["tumor"].iloc[90]
    assert treated["tumor"].iloc[365] > 0.9 * untreated["tumor"].iloc[365]


def test_drive_in_a_fading_stretch_equals_the_drive_from_the_doses_themselves():
    doses = as_doses(["anti-PD-1", "chemotherapy", "CAR-T"])
    rates = cycle.phenotype_rates("inflamed")
    for start, end in [(0.0, 7.0), (22.0, 42.0), (130.0, 200.0)]:
        drive = cycle.piece_drive(rates, doses, start, end)
        for day in np.linspace(start, end, 5)[:-1]:
            ours = drive.at(day) if isinstance(drive, cycle.FadingDrive) else drive
            theirs = cycle.therapy_drive(rates, doses, day)
            assert ours.blockade == pytest.approx(theirs.blockade, abs=cycle.SWITCH_JUMP)
            assert ours.direct_kill == pytest.approx(theirs.direct_kill, abs=0.1 * cycle.SWITCH_JUMP)
            spent = cycle.SPENT * THERAPIES["CAR-T"].effects["car_t"]  # an infusion is spent below this
            assert ours.car_t == pytest.approx(theirs.car_t, rel=1e-9, abs=spent)


# --- CAR-T through step 5 ---------------------------------------------------------------------------------

def test_car_t_cells_must_infiltrate_lowering_step_5_weakens_them():
    burdens = [log_mean(simulate_cycle("inflamed", ["CAR-T"], days=180, step5=m5), 180, 120)
               for m5 in (1.0, 0.5, 0.2, 0.05)]
    assert all(a < b for a, b in zip(burdens, burdens[1:], strict=False)), burdens
    assert burdens[0] < 0.01 * burdens[-1]


def test_the_excluded_tumor_keeps_car_t_cells_out():
    inflamed = simulate_cycle("inflamed", ["CAR-T"], days=180)
    excluded = simulate_cycle("excluded", ["CAR-T"], days=180)
    assert verdict(inflamed, 180) in ("eliminated", "controlled") and verdict(excluded, 180) == "escaped"


# --- Memory ---------------------------------------------------------------------------------------------

def test_memory_holds_an_inflamed_tumor_for_a_year_after_a_year_of_anti_pd1():
    year = [Course("anti-PD-1", doses=18)]  # every 3 weeks for a year, then stop
    inflamed = simulate_cycle("inflamed", year, days=730)
    desert = simulate_cycle("desert", year, days=730)
    for horizon in (545.0, 730.0):
        assert verdict(inflamed, horizon) in ("eliminated", "controlled"), horizon
        assert verdict(desert, horizon) == "escaped", horizon


def test_without_memory_an_early_stop_lets_the_tumor_back():
    stop_early = [Course("anti-PD-1", doses=6)]  # last dose on day 105
    with_memory = simulate_cycle("inflamed", stop_early, days=365)
    without = simulate_cycle("inflamed", stop_early, days=365, memory_formation=0.0)
    assert verdict(with_memory, 365) == "controlled" and verdict(without, 365) == "escaped"
    assert with_memory["memory"].iloc[-1] > 100 * max(without["memory"].iloc[-1], 1.0)


def test_memory_stays_small_in_an_untreated_tumor():
    frame = simulate_cycle("inflamed", days=365)
    assert frame["memory"].iloc[0] == 0 and frame["memory"].iloc[-1] < 0.05 * frame["effector"].iloc[-1]


# --- Bad input -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, error, name", [
    ({"therapy": "aspirin"}, ValueError, "therapy"),
    ({"therapy": "anti-PD-1", "doses": 0}, ValueError, "doses"),
    ({"therapy": "anti-PD-1", "doses": 2.5}, TypeError, "doses"),
    ({"therapy": "anti-PD-1", "interval_days": 0.0}, ValueError, "interval_days"),
    ({"therapy": "anti-PD-1", "start_day": math.nan}, ValueError, "start_day"),
    ({"therapy": "anti-PD-1", "intensity": -1.0}, ValueError, "intensity"),
])
def test_courses_refuse_bad_input_naming_the_parameter(kwargs, error, name):
    with pytest.raises(error, match=name):
        Course(**kwargs)


@pytest.mark.parametrize("therapies", [None, {"anti-PD-1": 1}, 5, [3.0]])
def test_therapies_must_be_a_list_of_ids_doses_or_courses(therapies):
    with pytest.raises(TypeError, match="therapies"):
        simulate_cycle("inflamed", therapies)


def test_settle_days_checks_the_therapy():
    assert cycle.settle_days("chemotherapy") > 30
    with pytest.raises(ValueError, match="therapy"):
        cycle.settle_days("aspirin")
