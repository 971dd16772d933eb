"""Resistance to anti-PD-1 on the cancer-immunity cycle: primary, acquired and adaptive (lesson 03).

Model card
----------
Shows
    Why a tumor given anti-PD-1 from day 0 does not respond, or responds and then
    comes back, in the cycle model of :mod:`primer_lib.cycle`. Each kind of resistance
    in Sharma, Hu-Lieskovan, Wargo & Ribas (2017) is a change to the cycle's rates or
    an added state: a tumor T cells cannot see, reach or are not primed against
    (primary resistance); a clone that has lost B2M, so T cells cannot recognise it,
    growing back after the rest of the tumor is gone (acquired resistance, Zaretsky
    2016); and a tumor that adapts to the attack with IFN-γ-induced PD-L1, T-cell
    exhaustion and suppressive cytokines (adaptive resistance).
    :func:`classify_course` reads a burden series as a clinician reads scans.
Equations
    The cycle's tumor is split into a sensitive part S (the cycle's ``tumor``
    state) and a clone R (T = S + R); exhaustion X, suppressive cytokines Y and
    Q (expected clones founded) are added. :class:`ResistanceTerms` adds them to
    the cycle's engine (:func:`primer_lib.cycle.derivatives`) as an extension: it
    scales killing and infiltration and adds its own lines, written once in
    :data:`STATE_EQUATIONS` and :data:`RATE_LAWS`, which the model card prints.

References: Sharma P, Hu-Lieskovan S, Wargo JA, Ribas A (2017) Cell 168:707–723;
Zaretsky JM et al. (2016) N Engl J Med 375:819–829; Wherry EJ (2011) Nat Immunol
12:492–499; Benci JL et al. (2016) Cell 167:1540–1554.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from primer_lib.cycle import (
    PHENOTYPES,
    Core,
    Course,
    CycleRates,
    Dose,
    Drive,
    Extension,
    RateLaw,
    Solution,
    Treatment,
    pdl1_level,
    solve,
    therapy_drive,
    untreated_steady_state,
)
from primer_lib.cycle import (
    RATE_LAWS as RATE_LAWS_CYCLE,
)
from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_array, check_choice, check_int, check_real, check_record

__all__ = [
    "SHARMA_2017", "WHERRY_2011", "ZARETSKY_2016", "RECIST", "REFERENCE_TUNED", "PARAMETERS",
    "REFERENCE_RATES", "MECHANISMS", "CAUSES", "MECHANISM_NOTES", "CAUSE_NOTES", "CAUSE_LABELS",
    "IN_THE_CLINIC", "CAUSE_RATES",
    "Countermeasure", "COUNTERMEASURES", "COUNTERMEASURE_FOR", "MECHANISM_PARAMS", "DEFAULT_CAUSE",
    "RATE_LAWS", "CloneTerms", "ResistanceTerms", "STATE_EQUATIONS", "ResistanceRun", "mechanism_setup",
    "COLUMNS", "initial_state", "simulate_resistance", "RESPONSE_THRESHOLD", "PROGRESSION_FACTOR",
    "PROGRESSION_FLOOR", "LABELS", "course_events", "classify_course", "relapse_day", "countermeasure_for",
    "overcome", "Case", "CASE_SETTINGS", "CASE_DAYS", "canonical_courses", "MODEL_CARD",
]

SHARMA_2017 = "Sharma, Hu-Lieskovan, Wargo & Ribas 2017, Cell 168:707"
WHERRY_2011 = "Wherry 2011, Nat Immunol 12:492"
ZARETSKY_2016 = "Zaretsky et al. 2016, N Engl J Med 375:819"
RECIST = "Eisenhauer et al. 2009, Eur J Cancer 45:228 (RECIST 1.1), applied here to relative burden"
REFERENCE_TUNED = ("Illustrative: chosen so the reference tumor grows untreated and anti-PD-1 eliminates it "
                   "within about two months")


def _p(key: str, label: str, symbol: str, default: float, unit: str, low: float, high: float,
       step: float, meaning: str, source: str) -> Parameter:
    return Parameter(f"resistance.{key}", label, symbol, default, unit, low, high, step, meaning, source,
                     calibrated=not source.startswith("Illustrative"))


PARAMETERS: tuple[Parameter, ...] = (
    _p("priming", "Priming rate (reference tumor)", "k3", 2e6, "cells/day", 0.0, 1e8, 1e3,
       "Effector T cells primed per day at full APC activation in the responsive reference tumor "
       "(5× the cycle's inflamed tumor: a tumor rich in neoantigens)", REFERENCE_TUNED),
    _p("pdl1_suppression", "PD-L1 suppression (reference tumor)", "s", 12.0, "relative", 0.0, 20.0, 0.1,
       "How strongly PD-L1/PD-1 slows killing in the reference tumor (cycle's inflamed tumor: 3)",
       REFERENCE_TUNED),
    _p("no_antigen_recognition", "Recognition, no-antigen tumor", "r6", 0.02, "fraction", 0.0, 1.0, 0.01,
       "Share of tumor cells T cells can recognise when the tumor has almost no neoantigens "
       "(cause 'no-antigen'; inflamed tumor: 0.9)",
       "Illustrative: very low tumor mutational burden, after " + SHARMA_2017),
    _p("excluded_infiltration", "Infiltration, excluded tumor", "k5", 0.004, "1/day", 0.0, 10.0, 0.001,
       "Rate at which T cells cross the stroma in the excluded tumor (cause 'excluded')",
       "Illustrative: the cycle's excluded rate (0.02) × 4e5/2e6, the ratio of priming rates, so as "
       "many T cells cross per day as in the cycle's excluded tumor"),
    _p("resistant_fraction", "Initial resistant fraction", "f", 1e-4, "fraction", 0.0, 0.5, 1e-6,
       "Share of tumor cells at day 0 that have lost B2M (antigen presentation) and cannot be killed",
       "Illustrative: " + ZARETSKY_2016 + " found B2M or JAK1/2 loss at relapse; the clone's size "
       "before treatment is not known"),
    _p("log10_resistant_fraction", "Resistant clone", "log10 f", -4.0, "log10 fraction",
       -6.0, math.log10(0.5), 0.1, "log10 of the initial resistant fraction f (−4: 1 cell in 10,000)",
       "Illustrative: " + ZARETSKY_2016 + " found B2M or JAK1/2 loss at relapse; the clone's size "
       "before treatment is not known"),
    _p("clone_growth", "Resistant clone growth rate", "g", 0.04, "1/day", 0.005, 0.18, 0.005,
       "Net growth rate of the resistant clone, below the sensitive cells' a = 0.18/day (NK cells "
       "attack cells without MHC class I; the lost pathway costs fitness)",
       "Illustrative: chosen so a clone of 1 in 10,000 cells relapses within a year"),
    _p("mutation_rate", "Resistance mutation rate", "u", 5e-9, "1/division", 0.0, 1e-6, 1e-10,
       "Chance per sensitive-cell division of founding a resistant clone that survives (emerging=True)",
       "Illustrative: chosen so about half of the seeds found a clone during the response"),
    _p("pdl1_feedback", "IFN-γ → PD-L1 feedback", "L1", 5.0, "relative", 0.0, 5.0, 0.1,
       "Maximum IFN-γ-induced PD-L1 in the adaptive tumor (cycle's inflamed tumor: 1; off: 0)",
       "Illustrative: adaptive PD-L1 upregulation as described by " + SHARMA_2017),
    _p("exhaustion_rate", "Exhaustion rate", "k_X", 0.05, "1/day", 0.0, 1.0, 0.005,
       "Rate at which chronic antigen exhausts tumor-bed T cells, at saturating antigen",
       "Illustrative: exhaustion develops over weeks of chronic antigen (" + WHERRY_2011 + ")"),
    _p("exhaustion_half_saturation", "Exhaustion half-saturation", "K_X", 5e6, "cell-equivalents",
       1e3, 1e12, 1e3, "Antigen at which exhaustion builds at half its maximum rate (Hill coefficient 2)",
       "Illustrative: set above the untreated tumor's antigen so exhaustion builds under attack"),
    _p("exhaustion_recovery", "Recovery from exhaustion", "r_X", 0.01, "1/day", 0.0, 1.0, 0.001,
       "Rate at which exhaustion fades without antigen (slow: the exhausted state is stable)",
       "Illustrative: exhausted T cells recover poorly (" + WHERRY_2011 + ")"),
    _p("exhaustion_reversal", "Exhaustion reversed by anti-PD-1", "ρ", 0.3, "fraction", 0.0, 1.0, 0.01,
       "Share of exhaustion that full PD-1 blockade reverses (progenitor-exhausted cells respond, "
       "terminally exhausted cells do not)", "Illustrative: partial reinvigoration (" + WHERRY_2011 + ")"),
    _p("lag3_reversal", "Exhaustion reversed by anti-LAG-3", "ρ_LAG3", 0.5, "fraction", 0.0, 1.0, 0.01,
       "Extra share of exhaustion reversed by blocking a second inhibitory receptor (LAG-3)",
       "Illustrative: exhausted T cells carry several inhibitory receptors (" + WHERRY_2011 + ")"),
    _p("cytokine_rate", "Suppressive cytokine production", "k_Y", 0.05, "relative/day", 0.0, 10.0, 0.01,
       "TGF-β/IL-10 made per day at saturating killing (macrophages clearing dying cells)",
       "Illustrative: suppressive cytokines as an extrinsic mechanism (" + SHARMA_2017 + ")"),
    _p("cytokine_half_saturation", "Cytokine half-saturation", "K_Y", 1e7, "cells/day", 1e3, 1e12, 1e3,
       "Killing (tumor cells per day) at which cytokine production is half its maximum",
       "Illustrative: same scale as the killing under anti-PD-1"),
    _p("cytokine_decay", "Cytokine clearance", "d_Y", 0.05, "1/day", 0.001, 10.0, 0.001,
       "Rate at which the suppressive milieu fades (cytokines and the cells that make them)",
       "Illustrative: no published value"),
    _p("cytokine_on_killing", "Cytokine suppression of killing", "σ7", 1.0, "relative", 0.0, 20.0, 0.1,
       "How strongly TGF-β/IL-10 slow killing: killing divided by (1 + σ7·Y)",
       "Illustrative: no published value"),
    _p("cytokine_on_infiltration", "Cytokine suppression of infiltration", "σ5", 1.0, "relative", 0.0,
       20.0, 0.1, "How strongly TGF-β keeps T cells in the stroma: step 5 divided by (1 + σ5·Y)",
       "Illustrative: no published value"),
    _p("tgfb_block", "Anti-TGF-β block", "β", 0.9, "fraction", 0.0, 1.0, 0.01,
       "Share of the suppressive-cytokine effect removed by anti-TGF-β", "Illustrative: no published value"),
    _p("response_threshold", "Response threshold", "θ_R", 0.7, "× baseline", 0.0, 1.0, 0.01,
       "Burden at or below which the tumor has responded (a 30% decrease)", RECIST),
    _p("progression_factor", "Progression factor", "θ_P", 1.2, "× nadir", 1.0, 3.0, 0.01,
       "Burden at or above this multiple of the smallest so far is progression (a 20% increase)", RECIST),
    _p("progression_floor", "Progression floor", "Δ_P", 0.1, "× baseline", 0.0, 1.0, 0.01,
       "Progression also needs an absolute rise of this much over the nadir (RECIST asks for 5 mm), "
       "so noise on a tiny nadir is not called a relapse", "Illustrative: stands in for RECIST's 5 mm"),
    _p("scan_interval", "Scan interval", "Δt", 42.0, "days", 7.0, 182.0, 7.0,
       "Days between scans in the canonical courses (6 weeks)",
       "Illustrative: a common schedule in checkpoint trials (KEYNOTE-006 imaged every 6 weeks from week 12 "
       "to week 48; Robert et al. 2017 ASCO abstract 9504)"),
    _p("scan_noise", "Scan noise", "ε", 0.05, "log-SD", 0.0, 0.5, 0.01,
       "Standard deviation of the log of the measured burden over the true burden",
       "Illustrative: no published value"),
)
_BY_KEY = {p.key: p for p in PARAMETERS}


def _default(key: str) -> float:
    return _BY_KEY[key].default


#: The responsive reference tumor: the cycle's inflamed tumor, primed 5× faster and more
#: dependent on PD-L1. (The cycle's own inflamed tumor on anti-PD-1 falls and regrows in waves for most
#: of a year before it is cleared, which scans would read as relapse; this one is eliminated at once.)
REFERENCE_RATES = CycleRates(priming=_default("priming"), pdl1_suppression=_default("pdl1_suppression"))

MECHANISMS = ("none", "primary", "acquired", "adaptive")
CAUSES = ("no-antigen", "desert", "excluded")
MECHANISM_NOTES: Mapping[str, str] = {
    "none": "No resistance: an inflamed tumor rich in neoantigens; anti-PD-1 releases the T cells "
            "and eliminates it.",
    "primary": "Primary resistance: the tumor never responds, because T cells cannot see it (no antigen), "
               "are barely primed (desert) or cannot get in (excluded).",
    "acquired": "Acquired resistance: a clone that has lost B2M (no MHC class I, so T cells cannot "
                "recognise it) survives the response and grows back (Zaretsky 2016).",
    "adaptive": "Adaptive resistance: the tumor is recognised but defends itself: the T cells' IFN-γ "
                "raises PD-L1, chronic antigen exhausts them, and the attack induces TGF-β/IL-10. With "
                "all three it presents as primary resistance; with the PD-L1 feedback alone it responds, "
                "regrows to about a fifth of baseline (read as progression), swings, and is cleared near "
                "the end of the year.",
}
#: Each cause of primary resistance in words, for controls and descriptions.
CAUSE_LABELS: Mapping[str, str] = MappingProxyType({
    "no-antigen": "no antigen", "desert": "immune desert", "excluded": "immune-excluded"})
CAUSE_NOTES: Mapping[str, str] = {
    "no-antigen": "No antigen: almost no neoantigens (very low tumor mutational burden), so T cells "
                  "recognise 2% of tumor cells.",
    "desert": "Immune desert: antigen presentation at 20% and priming at 37.5% of the reference tumor "
              "(the cycle's desert ratios).",
    "excluded": "Immune-excluded: T cells are primed but held in the stroma (infiltration 0.8% of "
                "the reference tumor's).",
}
#: What each primary cause changes in the reference rates.
CAUSE_RATES: Mapping[str, Mapping[str, float]] = {
    "no-antigen": {"recognition": _default("no_antigen_recognition")},
    "desert": {"presentation": 0.2 * REFERENCE_RATES.presentation,
               "priming": 0.375 * REFERENCE_RATES.priming},
    "excluded": {**PHENOTYPES["excluded"], "infiltration": _default("excluded_infiltration")},
}


@dataclass(frozen=True)
class Countermeasure:
    """Something added to anti-PD-1 to overcome one mechanism.

    ``doses`` are cycle therapies (:data:`primer_lib.cycle.THERAPIES`) given with
    anti-PD-1; ``lag3``, ``tgfb`` and ``jak`` act on this model's added states:
    anti-LAG-3 reverses more exhaustion, anti-TGF-β removes most of the cytokine
    effect, and a JAK inhibitor stops the tumor's IFN-γ signalling, so no PD-L1 is
    induced.
    """

    id: str
    counters: str
    action: str
    doses: tuple[Treatment, ...] = ()
    lag3: bool = False
    tgfb: bool = False
    jak: bool = False

    def __post_init__(self) -> None:
        check_record(self)


COUNTERMEASURES: Mapping[str, Countermeasure] = {c.id: c for c in (
    Countermeasure("chemotherapy induction", "primary resistance: immune desert",
                   "Two weeks of immunogenic chemotherapy at the start release antigen and leave "
                   "inflammation that activates dendritic cells (cycle step 1; the TONIC idea, lesson 02).",
                   doses=(Course("chemotherapy", doses=2, interval_days=7),)),
    Countermeasure("anti-CTLA-4", "primary resistance: too few T cells primed",
                   "Four doses, every 3 weeks, prime more T cells in the lymph node (cycle step 3).",
                   doses=(Course("anti-CTLA-4"),)),
    Countermeasure("anti-VEGF", "primary resistance: immune-excluded",
                   "Normalises the vessels so T cells can enter the tumor bed (cycle steps 4 and 5).",
                   doses=(Course("anti-VEGF"),)),
    Countermeasure("anti-VEGF + induction", "primary resistance: immune-excluded",
                   "Anti-VEGF opens the tumor bed to T cells and two weeks of chemotherapy at the start "
                   "add antigen and inflammation.",
                   doses=(Course("anti-VEGF"), Course("chemotherapy", doses=2, interval_days=7))),
    Countermeasure("chemotherapy", "acquired resistance: the B2M-loss clone",
                   "Six cycles of chemotherapy, every 3 weeks, kill tumor cells whether or not T cells can "
                   "see them, so the clone shrinks too.", doses=(Course("chemotherapy"),)),
    Countermeasure("JAK inhibitor", "adaptive resistance: the IFN-γ → PD-L1 feedback",
                   "Blocks the tumor's IFN-γ signalling (JAK1/2), so PD-L1 is not induced (in the "
                   "model it acts on nothing else; blocking chronic interferon signalling restored responses "
                   "in mice, Benci 2016).", jak=True),
    Countermeasure("anti-LAG-3", "adaptive resistance: T-cell exhaustion",
                   "Blocks a second inhibitory receptor of exhausted T cells, reversing more exhaustion.",
                   lag3=True),
    Countermeasure("anti-TGF-β", "adaptive resistance: suppressive cytokines",
                   "Neutralises TGF-β, removing most of the cytokines' effect on infiltration and killing.",
                   tgfb=True),
)}
#: The countermeasure the lesson pairs with each mechanism (primary: with each cause); None: none
#: in this model (a tumor without antigen needs something that does not rely on T-cell recognition).
COUNTERMEASURE_FOR: Mapping[str, str | None] = {
    "none": None, "no-antigen": None, "desert": "chemotherapy induction",
    "excluded": "anti-VEGF + induction", "acquired": "chemotherapy", "adaptive": "JAK inhibitor",
}

#: What each countermeasure of adaptive resistance has shown in patients, beside what it does in the model.
IN_THE_CLINIC: Mapping[str, str] = MappingProxyType({
    "anti-LAG-3": (
        "Relatlimab (anti-LAG-3) with nivolumab lengthened progression-free survival over nivolumab "
        "alone in untreated advanced melanoma (median 10.1 vs 4.6 months; phase 2–3 RELATIVITY-047, "
        "Tawbi et al. 2022, N Engl J Med 386:24–34) and is approved."),
    "anti-TGF-β": (
        "Blocking TGF-β with PD-L1 has disappointed so far: bintrafusp alfa did no better than "
        "pembrolizumab in PD-L1-high lung cancer and its phase 3 trial was stopped (Cho et al. 2023, "
        "J Thorac Oncol 18:1731–1742)."),
    "JAK inhibitor": (
        "JAK inhibitors with anti-PD-1 are in early trials only (phase 1 in Hodgkin lymphoma, Zak et "
        "al. 2024; phase 2 in lung cancer, Mathew et al. 2024; both Science), where they damp chronic"
        " interferon signalling in immune cells. In the tumor, JAK1/2 loss is itself a resistance "
        "mechanism: without interferon-γ signalling the tumor also loses the signals that help T "
        "cells see and stop it (Zaretsky et al. 2016; Shin et al. 2017, Cancer Discov 7:188–201). The"
        " model's JAK inhibitor blocks only the PD-L1 feedback, so it shows one side of a double-"
        "edged signal."),
})

#: Parameters each mechanism takes (all take ``countermeasure``).
MECHANISM_PARAMS: Mapping[str, tuple[str, ...]] = {
    "none": (),
    "primary": ("cause",),
    "acquired": ("resistant_fraction", "emerging", "clone_growth", "mutation_rate"),
    "adaptive": ("pdl1_feedback", "exhaustion", "cytokines"),
}
DEFAULT_CAUSE = "desert"


_GROWTH = RATE_LAWS_CYCLE["growth"].function


def _exhaustion_push(k_X: Any, A: Any, K_X: Any) -> Any:
    return k_X * A * A / (A * A + K_X * K_X)


def _cytokine_making(k_Y: Any, K: Any, K_Y: Any) -> Any:
    return k_Y * K / (K + K_Y)


def _kill_left(X: Any, ω: Any, σ7: Any, Y: Any, ψ: Any) -> Any:
    return (1.0 - X * ω) / (1.0 + σ7 * Y * ψ)


#: Lesson 03's rate laws, added to the cycle's (:data:`primer_lib.cycle.RATE_LAWS`).
RATE_LAWS: Mapping[str, RateLaw] = MappingProxyType({law.name: law for law in (
    RateLaw("exhaustion_push", "P_X", 7, "k_X·A·A/(A·A + K_X·K_X)", MappingProxyType({
        "k_X": "exhaustion rate (1/day)", "A": "antigen", "K_X": "antigen at half-saturation"}),
        "Illustrative: exhaustion under chronic antigen (" + WHERRY_2011 + ")", _exhaustion_push),
    RateLaw("cytokine_making", "P_Y", 7, "k_Y·K/(K + K_Y)", MappingProxyType({
        "k_Y": "cytokine production (relative/day)", "K": "tumor cells killed per day",
        "K_Y": "killing at half-saturation"}), "Illustrative: " + SHARMA_2017, _cytokine_making),
    RateLaw("kill_left", "κ", 7, "(1 − X·ω)/(1 + σ7·Y·ψ)", MappingProxyType({
        "X": "exhaustion (0–1)", "ω": "share of exhaustion left after blockade", "σ7": "cytokine "
        "suppression of killing", "Y": "cytokines",
        "ψ": "share of the cytokine effect left (1 − anti-TGF-β)"}),
        "Illustrative: no published value", _kill_left),
)})


@dataclass(frozen=True)
class CloneTerms(Extension):
    """The B2M-loss clone R as an extension of the cycle: tumor cells T cells never kill.

    dR/dt = g·f·R·(1 − b·T) − c_kill·R, with f the therapies' growth factor
    (anti-VEGF slows it too) and T all tumor cells. The capstone uses this alone.
    """

    clone_growth: float = _default("clone_growth")
    states: ClassVar[tuple[str, ...]] = ("resistant",)
    atol: ClassVar[tuple[float, ...]] = (1e-2,)
    tumor_states: ClassVar[tuple[str, ...]] = ("resistant",)

    def __post_init__(self) -> None:
        _BY_KEY["clone_growth"].check(self.clone_growth)

    def clone_line(self, resistant: Any, core: Core, rates: Any, drive: Drive) -> Any:
        """dR/dt: the ``growth`` rate law at the clone's rate, minus what direct-killing therapies kill."""
        growth = self.clone_growth * drive.growth_factor
        return (_GROWTH(growth, resistant, rates.capacity_inverse, core.total)
                - drive.direct_kill * resistant)

    def derivatives(self, extra: Sequence[Any], core: Core, rates: Any, drive: Drive) -> list[Any]:
        return [self.clone_line(extra[0], core, rates, drive)]


@dataclass(frozen=True)
class ResistanceTerms(CloneTerms):
    """Lesson 03's added states and rates (units in :data:`PARAMETERS`): clone R, exhaustion X,
    suppressive cytokines Y and Q, the expected number of clones founded by mutation so far.

    Killing is scaled by ``kill_left``, infiltration by 1/(1 + σ5·Y·ψ); see the model card.
    """

    mutation_rate: float = 0.0
    exhaustion_rate: float = 0.0
    exhaustion_half_saturation: float = _default("exhaustion_half_saturation")
    exhaustion_recovery: float = _default("exhaustion_recovery")
    exhaustion_reversal: float = _default("exhaustion_reversal")
    lag3_reversal: float = 0.0
    cytokine_rate: float = 0.0
    cytokine_half_saturation: float = _default("cytokine_half_saturation")
    cytokine_decay: float = _default("cytokine_decay")
    cytokine_on_killing: float = _default("cytokine_on_killing")
    cytokine_on_infiltration: float = _default("cytokine_on_infiltration")
    cytokine_left: float = 1.0
    states: ClassVar[tuple[str, ...]] = ("resistant", "exhaustion", "cytokines", "mutations")
    atol: ClassVar[tuple[float, ...]] = (1e-2, 1e-7, 1e-7, 1e-7)

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name == "cytokine_left":
                check_real(f.name, self.cytokine_left, 0.0, 1.0, "fraction")
            elif f.name in _BY_KEY:
                _BY_KEY[f.name].check(getattr(self, f.name))

    def exhaustion_left(self, blockade: float) -> float:
        """ω = max(0, 1 − ρ·blockade − ρ_LAG3): the share of exhaustion the blockers leave."""
        return max(0.0, 1.0 - self.exhaustion_reversal * blockade - self.lag3_reversal)

    def factors(self, extra: Sequence[Any], rates: Any, drive: Drive) -> tuple[Any, Any]:
        _, exhaustion, cytokines, _ = extra
        kill = _kill_left(exhaustion, self.exhaustion_left(drive.blockade), self.cytokine_on_killing,
                          cytokines, self.cytokine_left)
        return kill, 1.0 / (1.0 + self.cytokine_on_infiltration * cytokines * self.cytokine_left)

    def derivatives(self, extra: Sequence[Any], core: Core, rates: Any, drive: Drive) -> list[Any]:
        resistant, exhaustion, cytokines, _ = extra
        push = _exhaustion_push(self.exhaustion_rate, core.antigen, self.exhaustion_half_saturation)
        return [
            self.clone_line(resistant, core, rates, drive),
            push * (1.0 - exhaustion) - self.exhaustion_recovery * exhaustion,
            _cytokine_making(self.cytokine_rate, core.killing, self.cytokine_half_saturation)
            - self.cytokine_decay * cytokines,
            self.mutation_rate * drive.growth_rate * core.tumor,
        ]


#: What :func:`simulate_resistance`'s equations add to the cycle's (:data:`primer_lib.cycle.STATE_EQUATIONS`,
#: where the cycle's ``tumor`` is the sensitive part S and K7, J5 are scaled as said there).
STATE_EQUATIONS: Mapping[str, str] = MappingProxyType({
    "tumor": "dS/dt = G − K7·κ − c_kill·S   (G with X = S, T = S + R)",
    "resistant": "dR/dt = g·f·R·(1 − b·T) − c_kill·R",
    "exhaustion": "dX/dt = P_X·(1 − X) − r_X·X",
    "cytokines": "dY/dt = P_Y − d_Y·Y   (K in P_Y: the killing K7·κ)",
    "mutations": "dQ/dt = u·a·S",
    "effector": "J5 scaled by 1/(1 + σ5·Y·ψ)",
})


@dataclass(frozen=True)
class ResistanceRun:
    """Everything one run depends on: rates, added-state rates, doses and the clone."""

    rates: CycleRates
    terms: ResistanceTerms
    doses: tuple[Treatment, ...]
    resistant_fraction: float
    emerging: bool

    def __post_init__(self) -> None:
        check_record(self)
        _BY_KEY["resistant_fraction"].check(self.resistant_fraction, "resistant_fraction")


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be True or False; got {type(value).__name__} {value!r}")
    return bool(value)


def mechanism_setup(mechanism: str = "none", **params: Any) -> ResistanceRun:
    """Rates, added-state rates and doses of ``mechanism`` with ``params`` (see simulate_resistance)."""
    check_choice("mechanism", mechanism, MECHANISMS)
    allowed = (*MECHANISM_PARAMS[mechanism], "countermeasure")
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ValueError(f"params of mechanism {mechanism!r} must be among {sorted(allowed)}; "
                         f"got unknown {unknown}")
    rates, terms = REFERENCE_RATES, ResistanceTerms()
    fraction, emerging = 0.0, False
    if mechanism == "primary":
        cause = check_choice("cause", params.get("cause", DEFAULT_CAUSE), CAUSES)
        rates = replace(rates, **CAUSE_RATES[cause])
    elif mechanism == "acquired":
        emerging = _flag("emerging", params.get("emerging", False))
        if emerging and "resistant_fraction" in params:
            raise ValueError("resistant_fraction is for a pre-existing clone; with emerging=True the clone "
                             "arises by mutation (set mutation_rate instead)")
        fraction = 0.0 if emerging else _BY_KEY["resistant_fraction"].check(
            params.get("resistant_fraction", _default("resistant_fraction")))
        terms = replace(terms, clone_growth=_BY_KEY["clone_growth"].check(
            params.get("clone_growth", _default("clone_growth"))))
        if emerging:
            terms = replace(terms, mutation_rate=_BY_KEY["mutation_rate"].check(
                params.get("mutation_rate", _default("mutation_rate"))))
        elif "mutation_rate" in params:
            raise ValueError("mutation_rate applies only with emerging=True")
    elif mechanism == "adaptive":
        feedback = params.get("pdl1_feedback", True)
        if isinstance(feedback, bool | np.bool_):
            strength = _default("pdl1_feedback") if feedback else 0.0
        else:
            strength = _BY_KEY["pdl1_feedback"].check(feedback)
        rates = replace(rates, pdl1_adaptive=strength)
        if _flag("exhaustion", params.get("exhaustion", True)):
            terms = replace(terms, exhaustion_rate=_default("exhaustion_rate"))
        if _flag("cytokines", params.get("cytokines", True)):
            terms = replace(terms, cytokine_rate=_default("cytokine_rate"))
    doses: tuple[Treatment, ...] = (Dose("anti-PD-1"),)
    choice = params.get("countermeasure")
    if choice is not None:
        counter = COUNTERMEASURES[check_choice("countermeasure", choice, COUNTERMEASURES)]
        doses += counter.doses
        if counter.lag3:
            terms = replace(terms, lag3_reversal=_default("lag3_reversal"))
        if counter.tgfb:
            terms = replace(terms, cytokine_left=1.0 - _default("tgfb_block"))
        if counter.jak:
            rates = replace(rates, pdl1_adaptive=0.0)
    return ResistanceRun(rates, terms, doses, fraction, emerging)


#: Columns of :func:`simulate_resistance` (burdens relative to the tumor at day 0).
COLUMNS = ("day", "tumor", "sensitive", "resistant", "resistant_fraction", "antigen", "effector", "pdl1",
           "exhaustion", "cytokines")


class _Founding(Extension):
    """One run's terms plus the founding of an emerging clone (the only state an extension keeps).

    The clone is founded (R = 1 cell) at the first output day where Q, the expected
    number of founding mutations, reaches ``threshold`` (an Exp(1) draw).
    """

    states = ResistanceTerms.states
    atol = ResistanceTerms.atol
    tumor_states = ResistanceTerms.tumor_states

    def __init__(self, terms: ResistanceTerms, threshold: float) -> None:
        self.terms, self.threshold, self.founded = terms, threshold, math.nan

    def factors(self, extra: Sequence[Any], rates: Any, drive: Drive) -> tuple[Any, Any]:
        return self.terms.factors(extra, rates, drive)

    def derivatives(self, extra: Sequence[Any], core: Core, rates: Any, drive: Drive) -> list[Any]:
        return self.terms.derivatives(extra, core, rates, drive)

    def event(self, rows: np.ndarray, states: tuple[str, ...], patients: int) -> np.ndarray:
        return np.asarray(rows[:, states.index("mutations")] >= self.threshold)

    def fire(self, row: np.ndarray, states: tuple[str, ...], patients: int, day: float) -> None:
        if row[states.index("mutations")] >= self.threshold:
            index = states.index("resistant")
            row[index], self.threshold, self.founded = max(row[index], 1.0), math.inf, day


def initial_state(run: ResistanceRun) -> np.ndarray:
    """Day 0: the cycle's untreated steady state, split S/R, with X and Y at their untreated steady state.

    X and Y depend on each other through killing, so they are found by iteration.
    """
    if not isinstance(run, ResistanceRun):
        raise TypeError(f"run must be a ResistanceRun (see mechanism_setup); got {type(run).__name__}")
    rates, terms = run.rates, run.terms
    immune = untreated_steady_state(rates)
    t0, antigen, effector = immune[0], immune[1], immune[5]
    sensitive = (1.0 - run.resistant_fraction) * t0
    untreated = therapy_drive(rates, (), 0.0)
    push = _exhaustion_push(terms.exhaustion_rate, antigen, terms.exhaustion_half_saturation)
    x = push / (push + terms.exhaustion_recovery) if push > 0 else 0.0
    y = 0.0
    level = pdl1_level(effector, rates)
    brake = RATE_LAWS_CYCLE["brake"].function(rates.pdl1_suppression, level, untreated.blockade,
                                              rates.ido_suppression, untreated.ido_block)
    attack = RATE_LAWS_CYCLE["killing"].function(untreated.m[6], rates.kill_rate, untreated.recognised,
                                                 effector, sensitive, brake)
    for _ in range(60):
        kill = attack * terms.factors((0.0, x, y, 0.0), rates, untreated)[0]
        y = 0.5 * (y + _cytokine_making(terms.cytokine_rate, kill, terms.cytokine_half_saturation)
                   / terms.cytokine_decay)
    return np.array([sensitive, *immune[1:], run.resistant_fraction * t0, x, y, 0.0])


def simulate_resistance(mechanism: str = "none", days: float = 365, seed: int = 0,
                        **params: Any) -> pd.DataFrame:
    """One tumor given anti-PD-1 from day 0, with one resistance mechanism.

    Parameters
    ----------
    mechanism : {"none", "primary", "acquired", "adaptive"}
        ``"none"``: the responsive reference tumor. ``"primary"``: ``cause`` one of
        ``"no-antigen"`` (recognition 2%), ``"desert"`` (default) or ``"excluded"``.
        ``"acquired"``: a B2M-loss clone T cells cannot recognise, ``resistant_fraction``
        of the tumor at day 0 (default 1e-4, in [0, 0.5]), growing at ``clone_growth``
        (1/day); or, with ``emerging=True``, founded by mutation (``mutation_rate`` per
        division) at a random time drawn with ``seed``. ``"adaptive"``: the switches
        ``pdl1_feedback`` (True, False, or the strength L1 in [0, 5]; True = 5),
        ``exhaustion`` and ``cytokines`` (True or False; all on by default). The
        feedback still matters under anti-PD-1 because blockade is incomplete: the
        brake is s·PDL1·(1 − 0.9), so five-fold PD-L1 takes back much of what the
        antibody released. With all three on the tumor never responds (primary
        resistance); with the feedback alone it responds, regrows to about a fifth of baseline
        (read as progression), then swings and is cleared near the end of the year.
    days : float
        Length of the run, in [1, 3650] days; one output row per day.
    seed : int
        Seeds the random founding time of an emerging clone; every other mechanism is
        deterministic and ignores it. The same seed always gives the same run.
    **params
        The mechanism's parameters above, and for every mechanism ``countermeasure``:
        None or a key of :data:`COUNTERMEASURES`, added to anti-PD-1 from day 0.

    Returns
    -------
    pandas.DataFrame
        ``day``; ``tumor``, ``sensitive`` and ``resistant``: tumor cells relative to the
        tumor at day 0 (1.0 = baseline); ``resistant_fraction`` (R/T, 0 when no tumor is
        left); ``antigen`` (cell-equivalents) and ``effector`` (T cells in the tumor bed);
        ``pdl1`` (relative); ``exhaustion`` (X, 0–1) and ``cytokines`` (Y, relative).
        ``attrs["clone_day"]`` is the day an emerging clone was founded (NaN if none).
    """
    run = mechanism_setup(mechanism, **params)
    days = check_real("days", days, 1.0, 3650.0, "days")
    seed = check_int("seed", seed, 0, 2**32 - 1)
    frame = _solve(run, days, seed if run.emerging else 0)
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    return out


@functools.lru_cache(maxsize=512)
def _solve(run: ResistanceRun, days: float, seed: int) -> pd.DataFrame:
    # Cached: apps repeat runs, and frames are copied before they are handed out.
    grid = np.linspace(0.0, days, int(days) + 1)
    threshold = float(np.random.default_rng(seed).exponential()) if run.emerging else math.inf
    founding = _Founding(run.terms, threshold)
    solution = solve(run.rates, run.doses, initial_state(run), grid, founding)
    return _frame(run, solution, founding.founded)


def _frame(run: ResistanceRun, solution: Solution, founded: float) -> pd.DataFrame:
    t0 = run.rates.initial_tumor
    sensitive, resistant = solution["tumor"][:, 0] / t0, solution["resistant"][:, 0] / t0
    tumor = sensitive + resistant
    with np.errstate(invalid="ignore", divide="ignore"):
        fraction = np.where(tumor > 0, resistant / np.where(tumor > 0, tumor, 1.0), 0.0)
    effector = solution["effector"][:, 0]
    frame = pd.DataFrame({
        "day": solution.days, "tumor": tumor, "sensitive": sensitive, "resistant": resistant,
        "resistant_fraction": fraction, "antigen": solution["antigen"][:, 0], "effector": effector,
        "pdl1": np.asarray(pdl1_level(effector, run.rates)),
        "exhaustion": solution["exhaustion"][:, 0], "cytokines": solution["cytokines"][:, 0]})
    frame.attrs["clone_day"] = founded
    return frame


# ---------------------------------------------------------------------------------------------------
# Reading a course like scans

RESPONSE_THRESHOLD = _default("response_threshold")
PROGRESSION_FACTOR = _default("progression_factor")
PROGRESSION_FLOOR = _default("progression_floor")
LABELS = ("response", "primary resistance", "acquired resistance", "stable disease")


def _burden(burden: Any) -> np.ndarray:
    values = check_array("burden", burden, 0.0, math.inf, "× baseline")
    if values.ndim != 1 or values.size < 2:
        raise ValueError(f"burden must be a 1-D sequence of at least 2 values (baseline first); "
                         f"got shape {values.shape}")
    if not np.isfinite(values).all():
        raise ValueError("burden must be finite numbers")
    if values[0] <= 0:
        raise ValueError(f"burden[0], the baseline, must be positive; got {values[0]!r}")
    return values / values[0]


def course_events(burden: Sequence[float] | np.ndarray) -> tuple[int | None, int | None]:
    """Indices of the first response and of the first progression that counts (None if none).

    Response: burden ≤ 0.7 × baseline. Progression at a point: burden ≥ 1.2 × nadir
    **and** ≥ nadir + 0.1 × baseline, the nadir being the smallest burden so far
    (baseline included). After a response only progression after it counts.
    """
    relative = _burden(burden)
    nadir = np.minimum.accumulate(relative)
    progressing = (relative >= PROGRESSION_FACTOR * nadir) & (relative >= nadir + PROGRESSION_FLOOR)
    responded = np.flatnonzero(relative <= RESPONSE_THRESHOLD)
    first = int(responded[0]) if responded.size else None
    after = np.flatnonzero(progressing[first or 0:]) + (first or 0)
    return first, (int(after[0]) if after.size else None)


def classify_course(burden: Sequence[float] | np.ndarray) -> str:
    """Read a series of tumor burdens as scans: which clinical picture is it?

    ``burden`` is a 1-D sequence, baseline first, in any unit (it is divided by the
    baseline). Thresholds, RECIST-like but applied to burden rather than to the sum
    of lesion diameters (a 30% fall in diameter is about a 66% fall in volume):

    * response: some burden ≤ 0.7 × baseline (a 30% decrease);
    * progression at a point: burden ≥ 1.2 × the nadir (a 20% increase over the
      smallest burden so far, baseline included) **and** ≥ nadir + 0.1 × baseline,
      an absolute floor standing in for RECIST's 5 mm, so that noise on a tiny nadir
      (0.001 → 0.05) is not called a relapse.

    Returns ``"response"`` (responded and no progression after it),
    ``"acquired resistance"`` (responded, then progressed), ``"primary resistance"``
    (never responded and progressed) or ``"stable disease"`` (neither). Progression
    before a response does not count once the tumor responds (lesson 05:
    pseudoprogression). Bad input (empty, 2-D, negative, NaN, infinite, or a baseline
    that is not positive) raises ``ValueError`` naming ``burden``.
    """
    responded, progressed = course_events(burden)
    if responded is not None:
        return "acquired resistance" if progressed is not None else "response"
    return "primary resistance" if progressed is not None else "stable disease"


def relapse_day(frame: pd.DataFrame) -> float:
    """First day a :func:`simulate_resistance` course progresses after responding; NaN if never."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a simulate_resistance DataFrame; got {type(frame).__name__}")
    if not {"day", "tumor"} <= set(frame):
        raise ValueError("frame must have columns 'day' and 'tumor' (simulate_resistance output)")
    responded, progressed = course_events(frame["tumor"].to_numpy())
    if responded is None or progressed is None:
        return math.nan
    return float(frame["day"].iloc[progressed])


# ---------------------------------------------------------------------------------------------------
# Overcoming resistance, and cases to diagnose


def countermeasure_for(mechanism: str, cause: str = DEFAULT_CAUSE) -> str | None:
    """The countermeasure the lesson pairs with ``mechanism`` (with ``cause`` for primary); None if none."""
    check_choice("mechanism", mechanism, MECHANISMS)
    check_choice("cause", cause, CAUSES)
    return COUNTERMEASURE_FOR[cause if mechanism == "primary" else mechanism]


def overcome(mechanism: str, strategy: str, days: float = 365, seed: int = 0,
             **params: Any) -> dict[str, pd.DataFrame]:
    """The same tumor on anti-PD-1 alone and with ``strategy`` added (a key of :data:`COUNTERMEASURES`).

    Returns ``{"anti-PD-1": frame, "anti-PD-1 + <strategy>": frame}``
    (:func:`simulate_resistance` output).
    """
    check_choice("strategy", strategy, COUNTERMEASURES)
    if "countermeasure" in params:
        raise ValueError("give the countermeasure as strategy, not as a parameter")
    return {"anti-PD-1": simulate_resistance(mechanism, days, seed, **params),
            f"anti-PD-1 + {strategy}": simulate_resistance(mechanism, days, seed, countermeasure=strategy,
                                                            **params)}


@dataclass(frozen=True)
class Case:
    """One patient's scans for the diagnose exercise, with the answer."""

    days: np.ndarray
    burden: np.ndarray
    label: str
    mechanism: str
    settings: Mapping[str, Any]

    def __post_init__(self) -> None:
        check_record(self)
        check_choice("label", self.label, LABELS)
        if self.days.shape != self.burden.shape or self.days.ndim != 1:
            raise ValueError(f"days and burden must be 1-D of one length; got {self.days.shape} and "
                             f"{self.burden.shape}")


#: The cases of the exercise (shuffled: the order gives nothing away).
CASE_SETTINGS: Mapping[str, tuple[str, Mapping[str, Any], str]] = {
    "Patient A": ("acquired", {"resistant_fraction": 1e-4},
                  "a B2M-loss clone of 1 in 10,000 cells"),
    "Patient B": ("primary", {"cause": "desert"}, "an immune desert"),
    "Patient C": ("none", {}, "an inflamed tumor rich in neoantigens"),
    "Patient D": ("adaptive", {}, "IFN-γ-induced PD-L1, exhaustion and cytokines"),
    "Patient E": ("primary", {"cause": "desert", "countermeasure": "chemotherapy induction"},
                  "an immune desert given two weeks of chemotherapy first"),
    "Patient F": ("acquired", {"resistant_fraction": 0.01}, "a B2M-loss clone of 1 in 100 cells"),
}
CASE_DAYS = 365.0


def canonical_courses(seed: int = 0) -> dict[str, Case]:
    """Scans of a few model patients on anti-PD-1, for the "diagnose the resistance" exercise.

    Each case is a :func:`simulate_resistance` course sampled every 6 weeks from day 0
    (scan_interval), each scan after baseline multiplied by exp(ε·N(0, 1)) with
    ε = 0.05 (scan_noise) drawn with ``seed``; baseline is exactly 1. ``label`` is
    :func:`classify_course` of the true course, which the noisy scans keep.
    """
    seed = check_int("seed", seed, 0, 2**32 - 1)
    rng = np.random.default_rng(seed)
    interval, noise = _default("scan_interval"), _default("scan_noise")
    days = np.arange(0.0, CASE_DAYS + 1, interval)
    cases = {}
    for name, (mechanism, settings, note) in CASE_SETTINGS.items():
        frame = simulate_resistance(mechanism, CASE_DAYS, **settings)
        truth = np.interp(days, frame["day"], frame["tumor"])
        scans = truth * np.exp(noise * rng.standard_normal(len(days)))
        scans[0] = 1.0
        cases[name] = Case(days=days, burden=scans, label=classify_course(frame["tumor"].to_numpy()),
                           mechanism=f"{mechanism}: {note}", settings=dict(settings))
    return cases


# Sources: Sharma 2017 (Cell 168:707–723) and Zaretsky 2016 (NEJM 375:819) as in the course's science
# notes (§6); Wherry 2011 (exhaustion in chronic infection and cancer) and Benci 2016 (prolonged interferon
# signalling drives PD-L1-dependent and -independent resistance; blocking it restores responses in mice)
# checked against their abstracts. Still to check: Zaretsky's page range, efferocytosis making TGF-β/IL-10.
MODEL_CARD = ModelCard(
    title="Resistance to anti-PD-1: primary, acquired and adaptive",
    shows="Why anti-PD-1 fails or stops working, as changes to the cancer-immunity cycle model: a tumor "
          "T cells cannot see, reach or are not primed against (primary); a pre-existing or emerging "
          "B2M-loss clone that T cells cannot recognise (acquired); IFN-γ-induced PD-L1, T-cell exhaustion "
          "and suppressive cytokines (adaptive); and what overcomes each in the model.",
    equations=("T = S + R (sensitive + resistant clone); burden = T / T(0); every cycle line as in lesson 01",
               *STATE_EQUATIONS.values(),
               *(law.card_line for law in RATE_LAWS.values()),
               "ω = max(0, 1 − ρ·blockade − ρ_LAG3);  ψ = 1 − (the anti-TGF-β block β)"),
    assumptions=(
        "Built on the cycle model (lesson 01): its rates, killing, PD-L1 and T-cell chain are reused "
        "unchanged; anti-PD-1 blocks 90% of PD-1 from day 0 on.",
        "The reference tumor is the cycle's inflamed tumor primed 5× faster and more PD-L1-dependent "
        "(s = 12), so anti-PD-1 eliminates it within about two months; the cycle's own inflamed tumor "
        "falls and regrows in waves for most of a year before it is cleared, which scans would read as "
        "relapse.",
        "Primary causes change the reference's rates: recognition 2% (no antigen); presentation 20% and "
        "priming 37.5% (the cycle's desert ratios); or infiltration 0.8%, scaled so as many T cells "
        "cross as in the cycle's excluded tumor (which primes 5× fewer).",
        "The resistant clone has lost B2M (no MHC class I): T cells never kill it, but it releases "
        "antigen and inactivates T cells like the rest of the tumor. JAK1/2 loss, the other finding of "
        "Zaretsky 2016, makes cells deaf to IFN-γ; the model lumps both into 'cannot be killed'.",
        "The clone grows more slowly (g = 0.04/day) than sensitive cells divide (a = 0.18/day); an "
        "emerging clone is founded as one cell when the expected number of founding mutations, "
        "u·∫a·S dt, passes an Exp(1) draw (one clone only).",
        "Adaptive PD-L1 still brakes under anti-PD-1 because blockade is incomplete: the brake is "
        "s·PDL1·(1 − 0.9), so a tumor that raises PD-L1 five-fold takes back much of what the antibody "
        "released (PD-L1 also binds B7.1/CD80, which anti-PD-1 does not block).",
        "Exhaustion rises with antigen (Hill coefficient 2) and fades slowly; anti-PD-1 (90% blockade) "
        "reverses 27% of it, anti-LAG-3 a further 50%. Cytokines are made in proportion to the killing "
        "(macrophages clearing dying cells make TGF-β and IL-10) and slow infiltration and killing.",
        "X and Y start at their untreated steady state; countermeasures start on day 0.",
        "classify_course applies RECIST 1.1's −30% / +20% to burden, with an absolute floor of 0.1 "
        "baseline for progression (RECIST asks for 5 mm).",
    ),
    limits=(
        "Every added rate is illustrative: the model shows how each mechanism shapes a course, not "
        "how often it happens or when a patient relapses.",
        "Time runs fast: the cycle's growth and kill rates come from a mouse lymphoma, so responses take "
        "days to weeks and relapses months, where patients take months and years.",
        "One clone, one antigen, one T-cell population; no Tregs, MDSCs or macrophage states, no "
        "pharmacokinetics, no treatment breaks.",
        "IFN-γ signalling is double-edged: it also raises MHC class I and arrests tumor growth, which is "
        "why losing JAK1/2 is a resistance mechanism (Zaretsky 2016) while blocking chronic signalling "
        "can restore responses in mice (Benci 2016). The model keeps only the PD-L1 side, so its "
        "JAK inhibitor only helps.",
        "Anti-LAG-3 and anti-TGF-β act exactly as written (ρ_LAG3, β): the model says nothing about how "
        "well they work in patients.",
        "Relative burden is not what a CT scan measures (diameters); scan noise is a simple log-normal.",
    ),
    references=(
        "Sharma P, Hu-Lieskovan S, Wargo JA, Ribas A (2017). Primary, adaptive, and acquired resistance "
        "to cancer immunotherapy. Cell 168:707–723.",
        "Zaretsky JM et al. (2016). Mutations associated with acquired resistance to PD-1 blockade in "
        "melanoma. N Engl J Med 375:819–829.",
        "Wherry EJ (2011). T cell exhaustion. Nat Immunol 12:492–499.",
        "Benci JL et al. (2016). Tumor interferon signaling regulates a multigenic resistance program to "
        "immune checkpoint blockade. Cell 167:1540–1554.",
        "Eisenhauer EA et al. (2009). New response evaluation criteria in solid tumours: revised RECIST "
        "guideline (version 1.1). Eur J Cancer 45:228–247.",
        "Chen DS, Mellman I (2013). Immunity 39:1–10; Chen DS, Mellman I (2017). Nature 541:321–330.",
    ),
)
