"""Claims about the cycle model that lesson 01 makes (each quotes its sentence)."""

from primer_lib.cycle import simulate_cycle
from primer_lib.outcomes import summarize_course


def _final(phenotype, therapies=()):
    return simulate_cycle(phenotype, therapies)["tumor"].iloc[-1]


def test_anti_pd1_shrinks_an_inflamed_tumor_and_barely_moves_a_desert_tumor():
    # "Anti-PD-1 lowers tumor burden in an inflamed tumor and barely moves a desert tumor."
    assert _final("inflamed", ["anti-PD-1"]) < 0.05 * _final("inflamed")
    assert _final("desert", ["anti-PD-1"]) > 0.8 * _final("desert")


def test_in_an_inflamed_tumor_the_therapy_at_the_bottleneck_beats_ones_elsewhere():
    # "In an inflamed tumor the cycle is limited at step 7: anti-PD-1 beats therapies acting elsewhere."
    at_bottleneck = _final("inflamed", ["anti-PD-1"])
    for other in ("anti-CTLA-4", "vaccine", "anti-VEGF", "IL-2", "TLR agonist"):
        assert at_bottleneck < _final("inflamed", [other]), other


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
    from primer_lib.cycle import bottleneck, step_efficiency
    assert 0.2 <= step_efficiency("inflamed")[7] <= 0.3
    # "Anti-PD-1 ... shrinks the tumor by two orders of magnitude within months"
    treated = simulate_cycle("inflamed", ["anti-PD-1"])
    assert treated["tumor"].iloc[90] < 0.01 * simulate_cycle("inflamed")["tumor"].iloc[90]
    # "The desert's slowest step is antigen presentation (step 2), followed by priming (step 3)."
    speeds = step_efficiency("desert")
    assert bottleneck("desert") == 2 and sorted(speeds, key=speeds.get)[1] == 3
    # "In the excluded tumor the bottleneck is infiltration (step 5)" at "4% of normal"
    assert bottleneck("excluded") == 5 and round(step_efficiency("excluded")[5], 2) == 0.04


def test_exercise_solution_numbers():
    # "controls the tumor: it swings up and down, and over the last 90 days of the year it averages (log-mean)
    #  about 0.4 million cells, against about 390 million with anti-VEGF alone and 400 million with anti-PD-1
    #  alone, which both escape."
    runs = {tuple(t): simulate_cycle("excluded", t) for t in (["anti-VEGF", "anti-PD-1"], ["anti-VEGF"],
                                                             ["anti-PD-1"])}
    summary = {t: summarize_course(f["day"], f["tumor"], 365) for t, f in runs.items()}
    pair = summary[("anti-VEGF", "anti-PD-1")]
    assert pair.verdict == "controlled" and pair.oscillates and 0.3e6 <= pair.log_mean_burden <= 0.5e6
    assert 370e6 <= summary[("anti-VEGF",)].log_mean_burden <= 410e6
    assert 380e6 <= summary[("anti-PD-1",)].log_mean_burden <= 420e6
    assert summary[("anti-VEGF",)].verdict == summary[("anti-PD-1",)].verdict == "escaped"
    # The same holds at a second horizon (six months), so it is not one day's reading.
    both = runs[("anti-VEGF", "anti-PD-1")]
    assert summarize_course(both["day"], both["tumor"], 180).verdict == "controlled"
