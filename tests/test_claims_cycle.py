"""Claims about the cycle model that lesson 01 makes (each quotes its sentence)."""

import functools
import itertools
import math

import pytest

from primer_lib.cycle import (
    STEPS,
    THERAPIES,
    bottleneck,
    course_until,
    most_leverage,
    phenotype_rates,
    simulate_cycle,
    step_efficiency,
    step_leverage,
)
from primer_lib.outcomes import summarize_course
from primer_lib.widgets.cycle import EXPLORER_THERAPIES, leverage_question, slowest_step_question


def _final(phenotype, therapies=()):
    return simulate_cycle(phenotype, therapies)["tumor"].iloc[-1]


def test_anti_pd1_shrinks_an_inflamed_tumor_and_barely_moves_a_desert_tumor():
    # "Anti-PD-1 lowers tumor burden in an inflamed tumor and barely moves a desert tumor."
    assert _final("inflamed", ["anti-PD-1"]) < 0.05 * _final("inflamed")
    assert _final("desert", ["anti-PD-1"]) > 0.8 * _final("desert")


HORIZONS = (180, 365)  # days: every claim about a course holds at both


def _summary(phenotype, therapies=(), horizon=365, **rates):
    frame = _run(phenotype, tuple(therapies), tuple(sorted(rates.items())))
    return summarize_course(frame["day"], frame["tumor"], horizon, window_days=90)


@functools.cache
def _run(phenotype, therapies, rates):
    return simulate_cycle(phenotype, therapies, days=365, **dict(rates))


def _eliminated_on(phenotype, therapy):
    frame = _run(phenotype, (therapy,), ())
    return float(frame["day"][frame["tumor"] == 0].iloc[0])


def test_in_the_inflamed_tumor_anti_pd1_is_not_the_only_box_that_works():
    # "Anti-PD-1 releases that brake: over days 90–180 the tumor averages about 2.7 million cells against
    #  about 390 million untreated, swinging up and down, and the model clears it before the end of the year.
    #  But anti-PD-1 is not the only box that works here. [...] in the model six cycles of chemotherapy and
    #  one CAR-T infusion clear the tumor even sooner, and anti-CTLA-4 (more priming, step 3) keeps it
    #  controlled. The vaccine and anti-VEGF act at steps that are not limiting here and change little."
    assert 2e6 <= _summary("inflamed", ["anti-PD-1"], 180).log_mean_burden <= 3.5e6
    assert _summary("inflamed", ["anti-PD-1"], 365).oscillates  # the swings, over the year
    assert 370e6 <= _summary("inflamed", (), 180).log_mean_burden <= 410e6
    assert _summary("inflamed", ["anti-PD-1"], 365).verdict == "eliminated"
    # "falls below one cell, the model's cut-off, only near day 355: a knife-edge result, since slightly
    #  slower killing or priming leaves it controlled instead."
    assert 340 <= _eliminated_on("inflamed", "anti-PD-1") <= 365
    for step in ("step7", "step3"):
        assert _summary("inflamed", ["anti-PD-1"], 365, **{step: 0.95}).verdict == "controlled", step
    for box in ("chemotherapy", "CAR-T"):
        assert _summary("inflamed", [box], 365).verdict == "eliminated", box
        assert _eliminated_on("inflamed", box) < _eliminated_on("inflamed", "anti-PD-1"), box
    for horizon in HORIZONS:
        untreated = _summary("inflamed", (), horizon).log_mean_burden
        assert _summary("inflamed", ["anti-CTLA-4"], horizon).verdict == "controlled", horizon
        for box in ("vaccine", "anti-VEGF"):
            course = _summary("inflamed", [box], horizon)
            assert course.verdict == "escaped" and course.log_mean_burden > 0.8 * untreated, (box, horizon)


@pytest.mark.parametrize("horizon", HORIZONS)
def test_no_single_box_controls_a_desert_tumor_but_car_t_nor_an_excluded_one(horizon):
    # "No single box controls the tumor except CAR-T, which brings its own T cells" (desert) and
    # "No single box controls this tumor" (excluded): every box of the explorer, both horizons.
    for box in EXPLORER_THERAPIES:
        assert _summary("excluded", [box], horizon).verdict == "escaped", box
        expected = "controlled" if box == "CAR-T" else "escaped"
        assert _summary("desert", [box], horizon).verdict == expected, box
    # "Anti-PD-1 barely moves the curve" in the desert tumor.
    untreated = _summary("desert", (), horizon).log_mean_burden
    assert _summary("desert", ["anti-PD-1"], horizon).log_mean_burden > 0.9 * untreated


def test_the_slowest_step_is_a_poor_lever_in_the_excluded_tumor():
    # "Untreated, infiltration runs at 4% of normal, yet doubling it leaves only about 5% fewer tumor cells;
    #  doubling killing (step 7) leaves about 14% fewer and priming (step 3) 9% fewer. No single step is
    #  enough [...] Give anti-PD-1 and the picture changes: doubling killing now leaves 98% fewer cells
    #  (66 times fewer), priming 73% fewer, and infiltration, still the slowest step, only 19% fewer."
    removed = {k: 1 - 10 ** -v for k, v in step_leverage("excluded").items()}
    assert bottleneck("excluded") == 5 and round(step_efficiency("excluded")[5], 2) == 0.04
    assert round(removed[5], 2) == 0.05 and round(removed[7], 2) == 0.14 and round(removed[3], 2) == 0.09
    for step in range(1, 8):
        for horizon in HORIZONS:
            assert _summary("excluded", (), horizon, **{f"step{step}": 2.0}).verdict == "escaped", step
    on_pd1 = step_leverage("excluded", ["anti-PD-1"])
    assert round(1 - 10 ** -on_pd1[7], 2) == 0.98 and round(10 ** on_pd1[7]) == 66
    assert round(1 - 10 ** -on_pd1[3], 2) == 0.73 and round(1 - 10 ** -on_pd1[5], 2) == 0.19
    speeds_on_pd1 = step_efficiency("excluded", ["anti-PD-1"])
    assert speeds_on_pd1[5] == min(speeds_on_pd1.values())
    # "The slowest step is not always the best lever" (takeaway): in the excluded and desert tumors.
    for phenotype in ("excluded", "desert"):
        assert most_leverage(step_leverage(phenotype)) != bottleneck(phenotype), phenotype
    # "anti-VEGF multiplies infiltration by four and slows the tumor's growth"
    effects = THERAPIES["anti-VEGF"].effects
    assert 1 + effects["step5"] == 4 and effects["growth"] < 0


def test_the_lesson_self_checks_answer_from_the_model():
    slowest, lever = slowest_step_question("excluded"), leverage_question("desert", ())
    assert slowest.check(f"Step 5: {STEPS[4].name}")[0] and lever.check(f"Step 7: {STEPS[6].name}")[0]
    assert not lever.check(f"Step 2: {STEPS[1].name}")[0]  # the desert's slowest step is not its best lever


def test_swings_and_memory():
    # "the T cells expand and kill the tumor down to about 0.6 million cells by day 110; [...] the tumor
    #  regrows to about 20 million before the next wave of T cells arrives. [...] Each wave also leaves
    #  memory T cells [...] so every wave starts from a bigger pool."
    frame = _run("inflamed", ("anti-PD-1",), ())
    first, second = frame[frame["day"].between(60, 140)], frame[frame["day"].between(140, 220)]
    assert 0.5e6 <= first["tumor"].min() <= 0.7e6 and 100 <= first["day"][first["tumor"].idxmin()] <= 120
    assert 15e6 <= second["tumor"].max() <= 25e6
    memory = frame.set_index("day")["memory"]
    assert memory[90] < memory[180] < memory[365]
    # "Stopping the drug after eight weeks (day 56) leaves too little memory: the tumor is still held at day
    #  180 but has escaped by the end of the year. Stopping at day 126 leaves enough: the tumor keeps swinging
    #  but stays controlled through the year (about 12 million cells, log-mean over the last 90 days)."
    def stopped(day, horizon):
        course = simulate_cycle("inflamed", [course_until("anti-PD-1", day)], days=365)
        return summarize_course(course["day"], course["tumor"], horizon, window_days=90)
    assert stopped(56, 180).verdict == "controlled" and stopped(56, 365).verdict == "escaped"
    late = stopped(126, 365)
    assert stopped(126, 180).verdict == late.verdict == "controlled" and late.oscillates
    assert 10e6 <= late.log_mean_burden <= 15e6
    # "In a desert or an excluded tumor anti-PD-1 builds no such memory"
    for phenotype in ("desert", "excluded"):
        assert _run(phenotype, ("anti-PD-1",), ())["memory"].iloc[-1] < 0.01 * memory[365], phenotype


def test_excluded_tumor_needs_entry_and_the_brake_released():
    # "Anti-VEGF alone barely helps an excluded tumor, and nor does anti-PD-1; together they control it."
    untreated = _final("excluded")
    assert _final("excluded", ["anti-VEGF"]) > 0.8 * untreated
    assert _final("excluded", ["anti-PD-1"]) > 0.8 * untreated
    assert _final("excluded", ["anti-VEGF", "anti-PD-1"]) < 0.05 * untreated


def test_killing_feeds_the_cycle_back():
    # "Killing releases antigen, which primes more T cells: the cycle amplifies itself."
    treated = simulate_cycle("inflamed", ["anti-PD-1"], days=60)
    untreated = simulate_cycle("inflamed", days=60)
    per_cell = (treated["antigen"] / treated["tumor"]).max()
    assert per_cell > 2 * (untreated["antigen"] / untreated["tumor"]).max()
    assert treated["primed"].max() > untreated["primed"].max()
    assert treated["effector"].max() > 2 * untreated["effector"].max()


def test_reveal_numbers_of_lesson_01():
    # "PD-L1 brakes them to about a quarter of their speed"
    assert 0.2 <= step_efficiency("inflamed")[7] <= 0.3
    # "The slowest steps are antigen presentation (step 2, 20% of normal) and priming (step 3)." (desert)
    speeds = step_efficiency("desert")
    assert bottleneck("desert") == 2 and sorted(speeds, key=speeds.get)[1] == 3 and round(speeds[2], 2) == 0.2
    # "The slowest step is infiltration (step 5)" (excluded)
    assert bottleneck("excluded") == 5


def test_exercise_solution_holds_for_every_pair():
    # "Eight of the fifteen pairs control the excluded tumor at both six months and a year, and two of them
    #  (chemotherapy with anti-PD-1 or with anti-VEGF) take it below one cell. Anti-VEGF + anti-PD-1, for
    #  example, averages (log-mean) about 0.4 million cells over the last 90 days of the year, against about
    #  390 million with anti-VEGF alone and 400 million with anti-PD-1 alone, which both escape. Chemotherapy
    #  + CAR-T holds the tumor for six months but not a year, and every pair with the vaccine fails"
    pairs = list(itertools.combinations(EXPLORER_THERAPIES, 2))
    assert len(pairs) == 15
    verdicts = {pair: tuple(_summary("excluded", pair, h).verdict for h in HORIZONS) for pair in pairs}
    working = [pair for pair, v in verdicts.items() if all(x in ("controlled", "eliminated") for x in v)]
    assert len(working) == 8
    assert {pair for pair, v in verdicts.items() if v[1] == "eliminated"} == {
        ("anti-PD-1", "chemotherapy"), ("chemotherapy", "anti-VEGF")}
    assert verdicts[("chemotherapy", "CAR-T")] == ("controlled", "escaped")
    assert all(v == ("escaped", "escaped") for pair, v in verdicts.items() if "vaccine" in pair)
    pair = _summary("excluded", ("anti-PD-1", "anti-VEGF"), 365)
    assert pair.verdict == "controlled" and pair.oscillates and 0.3e6 <= pair.log_mean_burden <= 0.5e6
    assert 370e6 <= _summary("excluded", ("anti-VEGF",), 365).log_mean_burden <= 410e6
    assert 380e6 <= _summary("excluded", ("anti-PD-1",), 365).log_mean_burden <= 420e6


def test_the_model_runs_on_mouse_time():
    # "the model tumor doubles in about four days and stops at 500 million cells"
    rates = phenotype_rates("inflamed")
    assert round(math.log(2) / rates.growth_rate) == 4 and round(1 / rates.capacity_inverse) == 5e8


def test_no_single_doubling_helps_the_desert_much():
    # Instructor guide, self-check 2: "step 7, killing, and only by about 6%; doubling the slowest step,
    #  presentation, removes about 2%."
    removed = {k: 1 - 10 ** -v for k, v in step_leverage("desert", points=74).items()}
    assert most_leverage(step_leverage("desert", points=74)) == 7 and bottleneck("desert") == 2
    assert round(removed[7], 2) in (0.06, 0.07) and round(removed[2], 2) == 0.02
