"""primer_lib.cycle: the seven steps, the therapies, the rate model and its input checks."""

import numpy as np
import pytest

from primer_lib.cycle import (
    FLUX_COLUMNS,
    PARAMETERS,
    PHENOTYPES,
    STATE_COLUMNS,
    STEPS,
    THERAPIES,
    Dose,
    as_doses,
    bottleneck,
    most_leverage,
    phenotype_rates,
    rhs,
    simulate_cycle,
    step_efficiency,
    step_leverage,
    therapy_drive,
    untreated_steady_state,
)

STEP_NAMES = ("Release of cancer cell antigens", "Cancer antigen presentation", "Priming and activation",
              "Trafficking of T cells to tumors", "Infiltration of T cells into tumors",
              "Recognition of cancer cells by T cells", "Killing of cancer cells")
REQUIRED_THERAPIES = ("anti-PD-1", "anti-PD-L1", "anti-CTLA-4", "vaccine", "chemotherapy", "radiation",
                      "anti-VEGF", "CAR-T", "IL-2", "IDO inhibitor")


def test_seven_steps_in_order_with_the_papers_names():
    assert tuple(s.number for s in STEPS) == tuple(range(1, 8))
    assert tuple(s.name for s in STEPS) == STEP_NAMES
    assert all(s.stimulatory for s in STEPS)


def test_therapies_cover_the_required_ids_and_act_at_valid_steps():
    assert set(REQUIRED_THERAPIES) <= set(THERAPIES)
    for key, therapy in THERAPIES.items():
        assert therapy.id == key and therapy.mechanism and therapy.effects
        assert therapy.steps and set(therapy.steps) <= set(range(1, 8))
    assert THERAPIES["anti-PD-1"].steps == (7,) and THERAPIES["anti-CTLA-4"].steps == (3,)
    assert THERAPIES["vaccine"].steps == (2,) and THERAPIES["CAR-T"].steps == (6,)


def test_untreated_steady_state_is_a_steady_state_of_the_immune_compartments():
    for phenotype in PHENOTYPES:
        rates = phenotype_rates(phenotype)
        state = untreated_steady_state(rates)
        derivative = rhs(0.0, state, rates, therapy_drive(rates, (), 0.0))
        # Immune lines are at rest when killing feedback is left out; antigen from killing remains,
        # and memory (which starts at 0: no response has cleared antigen yet) forms slowly.
        assert np.all(np.abs(derivative[2:7]) <= 1e-9 * np.maximum(np.abs(state[2:7]), 1.0))
        assert state[7] == 0 and 0 <= derivative[7] < 1e-3 * state[5]


def test_simulate_cycle_frame():
    frame = simulate_cycle("inflamed", days=30)
    assert list(frame.columns) == ["day", *STATE_COLUMNS, "pdl1", *FLUX_COLUMNS]
    assert (frame[list(FLUX_COLUMNS)] >= 0).all().all()
    assert len(frame) == 31 and frame["day"].iloc[-1] == 30
    assert (frame[list(STATE_COLUMNS)] >= 0).all().all()
    assert frame["tumor"].iloc[0] == pytest.approx(phenotype_rates("inflamed").initial_tumor)


def test_schedules_accept_ids_tuples_and_doses():
    doses = as_doses(["anti-PD-1", ("chemotherapy", 0.5, 0, 14), Dose("vaccine", 1.0, 7, 21)])
    assert [d.therapy for d in doses] == ["anti-PD-1", "chemotherapy", "vaccine"]
    assert doses[1].active(13.9) and not doses[1].active(14)
    scheduled = simulate_cycle("inflamed", [("anti-PD-1", 1.0, 30, 365)], days=60)
    untreated = simulate_cycle("inflamed", days=60)
    np.testing.assert_allclose(scheduled["tumor"][:30], untreated["tumor"][:30], rtol=1e-3)
    assert scheduled["tumor"].iloc[-1] < untreated["tumor"].iloc[-1]


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: simulate_cycle("warm"), ValueError, "phenotype must be one of"),
        (lambda: simulate_cycle(therapies=["aspirin"]), ValueError, "therapy must be one of"),
        (lambda: simulate_cycle(therapies=[3]), TypeError, "therapies must be ids"),
        (lambda: simulate_cycle(days=0), ValueError, r"days must be in \[1, 3650\] days"),
        (lambda: simulate_cycle(priming=-1), ValueError, r"priming must be in \[0, 1e\+08\]"),
        (lambda: simulate_cycle(speed=2), ValueError, "rates must be among"),
        (lambda: Dose("anti-PD-1", intensity=5), ValueError, r"intensity must be in \[0, 3\]"),
        (lambda: Dose("anti-PD-1", start_day=10, end_day=5), ValueError, "end_day must be in"),
        (lambda: bottleneck("lukewarm"), ValueError, "phenotype must be one of"),
    ],
)
def test_bad_input_names_the_parameter(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_bottleneck_of_each_phenotype():
    assert bottleneck("inflamed") == 7
    assert bottleneck("excluded") == 5
    assert bottleneck("desert") == 2
    assert bottleneck("inflamed", recognition=0.1) == 6
    assert all(0 <= v <= 1.0 + 1e-12 for v in step_efficiency("inflamed").values())


def test_every_parameter_has_a_unit_or_says_relative():
    assert all(p.unit for p in PARAMETERS)


def test_step_leverage_is_the_fall_from_doubling_each_step():
    from primer_lib import outcomes

    leverage = step_leverage("inflamed", ("anti-PD-1",), horizon_days=180, points=61)
    assert set(leverage) == set(range(1, 8))
    grid = np.linspace(0, 180, 61)
    for step in (3, 7):
        base = simulate_cycle("inflamed", ("anti-PD-1",), days=180, points=61)
        doubled = simulate_cycle("inflamed", ("anti-PD-1",), days=180, points=61, **{f"step{step}": 2.0})
        expected = np.log10(outcomes.log_mean_burden(grid, base["tumor"], 180)
                            / outcomes.log_mean_burden(grid, doubled["tumor"], 180))
        assert leverage[step] == pytest.approx(expected, rel=2e-3, abs=2e-3)


def test_the_slowest_step_can_be_a_poor_lever():
    # Excluded tumor on anti-PD-1: infiltration (5) is slowest, but doubling it does little.
    speeds = step_efficiency("excluded", ("anti-PD-1",))
    leverage = step_leverage("excluded", ("anti-PD-1",), points=74)
    slowest = min(speeds, key=speeds.get)
    assert slowest == 5
    assert most_leverage(leverage) != slowest and leverage[most_leverage(leverage)] > 5 * leverage[slowest]


@pytest.mark.parametrize("kwargs, message", [({"horizon_days": 0}, "horizon_days"),
                                             ({"horizon_days": 100, "window_days": 200}, "window_days"),
                                             ({"points": 1}, "points"), ({"step3": 9.0}, "step3")])
def test_step_leverage_checks_its_inputs(kwargs, message):
    with pytest.raises(ValueError, match=message):
        step_leverage("inflamed", **kwargs)


def test_most_leverage_needs_every_step():
    with pytest.raises(ValueError, match="leverage"):
        most_leverage({1: 0.5})
