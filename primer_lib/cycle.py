"""The cancer-immunity cycle (Chen & Mellman 2013) as a small ODE model.

Model card
----------
Shows
    The seven steps of the cycle as explicit rates, joined into a loop: tumor
    cells die and release antigen (1); antigen-presenting cells take it up (2)
    and prime T cells in the lymph node (3); primed T cells travel to the tumor
    (4), cross its stroma into the tumor bed (5), recognise tumor cells (6) and
    kill them (7), which releases more antigen. PD-L1, induced on the tumor by
    the T cells' own IFN-γ, suppresses killing. Therapies change the rates of
    the steps where they act; the tumor phenotypes of Chen & Mellman (2017) are
    sets of rates.
Equations
    Written once, in :data:`STATE_EQUATIONS` (one line per state, in the names of
    the rate laws) and :data:`RATE_LAWS` (one small function per law, its formula
    beside it); :data:`MODEL_CARD` prints both, and a test evaluates each printed
    formula against the code. :func:`derivatives` is the only right-hand side:
    lesson 02's schedules, lesson 03's resistance and the capstone's patients add
    states and terms to it through an :class:`Extension`.
Assumptions
    Growth, kill rate n, effector death d and inactivation μ are those of
    Kuznetsov et al. (1994). Steps 1–5 are a chain of compartments, one per step
    of Chen & Mellman (2013), each with its own rate: this chain is the course's
    construction (published models such as de Pillis 2005 and Kirschner &
    Panetta 1998 recruit effector cells without it). Every other rate has no
    published value: it is illustrative, chosen so that the three phenotypes
    behave as Chen & Mellman (2017) describe, and labelled so in the registry.
Limits
    One tumor, one antigen, one T-cell clone; no Tregs, MDSCs or cytokine
    states (lesson 03 adds resistance). A therapy named by id is its standard
    course (:data:`REGIMENS`) and each dose's effect fades with a stated
    half-life, but there is no pharmacokinetic model of concentrations; memory
    is one compartment (see :data:`MODEL_CARD`). The model shows how the steps
    depend on each other, not how any patient will respond.

References: Chen DS, Mellman I (2013) Immunity 39:1–10; Chen DS, Mellman I (2017)
Nature 541:321–330; Kuznetsov VA et al. (1994) Bull Math Biol 56:295–321;
de Pillis LG, Radunskaya AE, Wiseman CL (2005) Cancer Res 65:7950–7958.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from types import MappingProxyType
from typing import Any, ClassVar, NamedTuple

import numpy as np
import pandas as pd
from scipy.integrate import odeint

from primer_lib import outcomes
from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_array, check_choice, check_int, check_real, check_record

__all__ = [
    "CHEN_MELLMAN_2013", "KUZNETSOV", "ILLUSTRATIVE", "Step", "STEPS", "ALSO_ACTS", "SHORT_NAMES",
    "PARAMETERS",
    "CycleRates", "PHENOTYPES", "PHENOTYPE_NOTES", "phenotype_rates", "Therapy", "EFFECTS", "THERAPIES",
    "Dose", "as_doses", "STATES", "STATE_COLUMNS", "STATE_ATOL", "FLUX_COLUMNS", "RTOL", "EXTINCTION_CELLS",
    "MAX_DAY", "MIN_STRETCH_DAYS",
    "RateLaw", "RATE_LAWS", "STATE_EQUATIONS", "Drive", "therapy_totals", "therapy_drive", "Core",
    "Extension", "NO_EXTENSION", "derivatives", "rhs", "RateTable", "Solution", "switch_days", "solve",
    "untreated_steady_state", "step_fluxes", "pdl1_level", "simulate_cycle", "step_efficiency", "Regimen",
    "REGIMENS", "VACCINE_DAYS", "SWITCH_JUMP", "SHORT_COURSE", "SPENT", "Course", "Treatment",
    "course_until", "settle_days", "drive_from_totals", "FadingDrive", "piece_drive", "BRAHMER_2010",
    "KEYNOTE_006", "NCT00527735", "MAJZNER_2019", "LEVERAGE_FACTOR", "step_leverage", "most_leverage",
    "bottleneck", "MODEL_CARD",
]

CHEN_MELLMAN_2013 = "Chen & Mellman 2013, Immunity 39:1, Fig. 1–3"
KUZNETSOV = "Kuznetsov et al. 1994, Bull Math Biol 56:295, parameter table"
ILLUSTRATIVE = ("Illustrative: no published value; chosen so the phenotypes of Chen & Mellman 2017 "
                "behave as described")


@dataclass(frozen=True)
class Step:
    """One step of the cycle with the factors that speed it up or slow it down."""

    number: int
    name: str
    cells: str
    stimulatory: tuple[str, ...]
    inhibitory: tuple[str, ...]

    def __post_init__(self) -> None:
        check_record(self)


STEPS: tuple[Step, ...] = (
    Step(1, "Release of cancer cell antigens", "dying tumor cells",
         ("immunogenic cell death",), ("tolerogenic cell death",)),
    Step(2, "Cancer antigen presentation", "dendritic cells / APCs",
         ("TNF-α", "IL-1", "IFN-α", "CD40L/CD40", "CDN", "ATP", "HMGB1", "TLR ligands"),
         ("IL-10", "IL-4", "IL-13")),
    Step(3, "Priming and activation", "APCs and T cells (lymph node)",
         ("CD28/B7.1", "CD137/CD137L", "OX40/OX40L", "CD27/CD70", "HVEM", "GITR", "IL-2", "IL-12"),
         ("CTLA-4/B7.1", "PD-L1/PD-1", "PD-L1/B7.1", "prostaglandins")),
    Step(4, "Trafficking of T cells to tumors", "cytotoxic T cells",
         ("CX3CL1", "CXCL9", "CXCL10", "CCL5"), ()),
    Step(5, "Infiltration of T cells into tumors", "cytotoxic T cells, endothelial cells",
         ("LFA-1/ICAM-1", "selectins"), ("VEGF", "endothelin B receptor")),
    Step(6, "Recognition of cancer cells by T cells", "cytotoxic T cells, cancer cells",
         ("T-cell receptor",), ("reduced peptide–MHC on cancer cells",)),
    Step(7, "Killing of cancer cells", "immune and cancer cells",
         ("IFN-γ", "T-cell granule content"),
         ("PD-L1/PD-1", "PD-L1/B7.1", "IDO", "TGF-β", "BTLA", "VISTA", "LAG-3", "arginase",
          "MICA/MICB", "B7-H4", "TIM-3/phosphatidylserine")),
)


def _p(key: str, label: str, symbol: str, default: float, unit: str, low: float, high: float,
       step: float, meaning: str, source: str = ILLUSTRATIVE) -> Parameter:
    return Parameter(f"cycle.{key}", label, symbol, default, unit, low, high, step, meaning, source,
                     calibrated=not source.startswith("Illustrative"))


_STEP_LABELS = {s.number: s.name for s in STEPS}
#: One or two words per step, for slider labels and chart axes.
#: Steps where a therapy also acts in patients though this model leaves it out (step -> therapies, source).
ALSO_ACTS: Mapping[int, tuple[tuple[str, ...], str]] = MappingProxyType({
    3: (("anti-PD-1", "anti-PD-L1"),
        "Chen & Mellman 2013 Fig. 2 (PD-L1/PD-1 at priming); Dammeijer et al. 2020, Cancer Cell 38:685–700 "
        "(PD-1/PD-L1 in tumor-draining lymph nodes)"),
})
SHORT_NAMES = {1: "antigen release", 2: "presentation", 3: "priming", 4: "trafficking",
               5: "infiltration", 6: "recognition", 7: "killing"}
PARAMETERS: tuple[Parameter, ...] = (
    _p("growth_rate", "Tumor growth rate", "a", 0.18, "1/day", 0.01, 0.5, 0.01,
       "Maximum per-capita tumor growth rate", KUZNETSOV),
    _p("capacity_inverse", "Crowding", "b", 2e-9, "1/cell", 1e-10, 1e-7, 1e-10,
       "Inverse carrying capacity of the tumor site", KUZNETSOV),
    _p("kill_rate", "Kill rate per T cell", "n", 1.101e-7, "1/(cell·day)", 0.0, 1e-5, 1e-9,
       "Tumor cells killed per effector T cell per day, per tumor cell", KUZNETSOV),
    _p("effector_death", "T-cell death rate", "d", 0.0412, "1/day", 0.001, 1.0, 0.001,
       "Death rate of effector T cells", KUZNETSOV),
    _p("inactivation", "T-cell inactivation by tumor", "μ", 3.422e-10, "1/(cell·day)", 0.0, 1e-7, 1e-11,
       "Effector inactivation per tumor cell per day", KUZNETSOV),
    _p("release_basal", "Basal antigen release", "θ", 0.01, "1/day", 0.0, 1.0, 0.001,
       "Fraction of tumor cells dying and releasing antigen per day without treatment"),
    _p("antigen_clearance", "Antigen clearance", "c_A", 1.0, "1/day", 0.01, 10.0, 0.01,
       "Clearance rate of released antigen"),
    _p("antigen_half_saturation", "Antigen half-saturation", "K_A", 1e7, "cell-equivalents",
       1e3, 1e12, 1e3, "Antigen at which presentation runs at half its maximum"),
    _p("presentation", "Presentation rate", "k2", 0.5, "1/day", 0.0, 10.0, 0.01,
       "Maximum rate at which APCs take up and present antigen (step 2)"),
    _p("apc_decay", "APC turnover", "d_D", 0.1, "1/day", 0.001, 10.0, 0.001,
       "Rate at which presenting APCs lose their activation"),
    _p("priming", "Priming rate", "k3", 4e5, "cells/day", 0.0, 1e8, 1e3,
       "Effector T cells primed per day at full APC activation (step 3)"),
    _p("trafficking", "Trafficking rate", "k4", 0.5, "1/day", 0.0, 10.0, 0.01,
       "Rate at which primed T cells reach the tumor margin (step 4)"),
    _p("infiltration", "Infiltration rate", "k5", 0.5, "1/day", 0.0, 10.0, 0.001,
       "Rate at which T cells cross the stroma into the tumor bed (step 5)"),
    _p("recognition", "Recognition", "r6", 0.9, "fraction", 0.0, 1.0, 0.01,
       "Fraction of tumor cells presenting antigen on MHC that T cells can see (step 6)"),
    _p("pdl1_constitutive", "Constitutive PD-L1", "L0", 0.2, "relative", 0.0, 5.0, 0.01,
       "PD-L1 on tumor cells without T-cell IFN-γ (e.g. oncogenic signalling)"),
    _p("pdl1_adaptive", "Adaptive PD-L1", "L1", 1.0, "relative", 0.0, 5.0, 0.01,
       "Maximum PD-L1 induced by T-cell IFN-γ (adaptive resistance)"),
    _p("pdl1_half_saturation", "PD-L1 induction half-saturation", "K_E", 1e6, "cells", 1e3, 1e10, 1e3,
       "Effector T cells at which adaptive PD-L1 is half its maximum"),
    _p("pdl1_suppression", "PD-L1 suppression strength", "s", 3.0, "relative", 0.0, 20.0, 0.1,
       "How strongly PD-L1/PD-1 slows killing (step 7)"),
    _p("ido_suppression", "Other suppression (IDO)", "s_ido", 0.3, "relative", 0.0, 20.0, 0.1,
       "Killing suppression independent of PD-L1, e.g. IDO (step 7)"),
    _p("inflammation_decay", "Inflammation decay", "d_I", 0.02, "1/day", 0.001, 1.0, 0.001,
       "Rate at which inflammation from immunogenic cell death fades (half-life ln2/d_I)"),
    _p("inflammation_boost", "Inflammation boost", "B", 3.0, "×", 0.0, 20.0, 0.1,
       "Largest extra speed-up of presentation and priming that inflammation gives (× 1 + B)"),
    _p("memory_formation", "Memory formation", "k_M", 0.01, "1/day", 0.0, 1.0, 0.001,
       "Rate at which tumor-bed T cells become memory T cells once antigen is scarce (at A ≪ K_M)"),
    _p("memory_antigen", "Antigen that blocks memory", "K_M", 1e5, "cell-equivalents", 1e2, 1e10, 1e2,
       "Antigen at which memory formation is halved: chronic antigen makes exhausted, not memory, cells"),
    _p("memory_recall", "Memory recall", "k_R", 0.5, "1/day", 0.0, 10.0, 0.01,
       "Primed T cells made per memory cell per day at full APC activation (a recall response)"),
    _p("memory_decay", "Memory loss", "d_M", math.log(2) / (10 * 365), "1/day", 0.0, 0.1, 1e-5,
       "Loss rate of memory T cells: a half-life of 10 years",
       "Hammarlund et al. 2003, Nat Med 9:1131: antiviral T-cell memory half-life 8–15 years"),
    _p("stop_day", "Stop therapy on day", "t_stop", 365.0, "day", 7.0, 365.0, 7.0,
       "Last day a dose may be given: each course stops there and its effect then fades (see REGIMENS)",
       "Illustrative: a control for the learner; standard courses run up to 2 years"),
    _p("initial_tumor", "Initial tumor", "T0", 1e8, "cells", 1e3, 1e9, 1e3,
       "Tumor cells at day 0 (immune compartments start at their untreated steady state)"),
    *(_p(f"step{i}", f"{i}. {SHORT_NAMES[i]}", f"m{i}", 1.0, "× normal", 0.0, 3.0, 0.05,
         f"Multiplier on the rate of step {i} ({_STEP_LABELS[i].lower()}); 1 = the phenotype's own rate")
      for i in range(1, 8)),
)
_BY_KEY = {p.key: p for p in PARAMETERS}


@dataclass(frozen=True)
class CycleRates:
    """Every rate of the cycle model (units in :data:`PARAMETERS`); all validated."""

    growth_rate: float = _BY_KEY["growth_rate"].default
    capacity_inverse: float = _BY_KEY["capacity_inverse"].default
    kill_rate: float = _BY_KEY["kill_rate"].default
    effector_death: float = _BY_KEY["effector_death"].default
    inactivation: float = _BY_KEY["inactivation"].default
    release_basal: float = _BY_KEY["release_basal"].default
    antigen_clearance: float = _BY_KEY["antigen_clearance"].default
    antigen_half_saturation: float = _BY_KEY["antigen_half_saturation"].default
    presentation: float = _BY_KEY["presentation"].default
    apc_decay: float = _BY_KEY["apc_decay"].default
    priming: float = _BY_KEY["priming"].default
    trafficking: float = _BY_KEY["trafficking"].default
    infiltration: float = _BY_KEY["infiltration"].default
    recognition: float = _BY_KEY["recognition"].default
    pdl1_constitutive: float = _BY_KEY["pdl1_constitutive"].default
    pdl1_adaptive: float = _BY_KEY["pdl1_adaptive"].default
    pdl1_half_saturation: float = _BY_KEY["pdl1_half_saturation"].default
    pdl1_suppression: float = _BY_KEY["pdl1_suppression"].default
    ido_suppression: float = _BY_KEY["ido_suppression"].default
    inflammation_decay: float = _BY_KEY["inflammation_decay"].default
    inflammation_boost: float = _BY_KEY["inflammation_boost"].default
    memory_formation: float = _BY_KEY["memory_formation"].default
    memory_antigen: float = _BY_KEY["memory_antigen"].default
    memory_recall: float = _BY_KEY["memory_recall"].default
    memory_decay: float = _BY_KEY["memory_decay"].default
    initial_tumor: float = _BY_KEY["initial_tumor"].default
    step1: float = 1.0
    step2: float = 1.0
    step3: float = 1.0
    step4: float = 1.0
    step5: float = 1.0
    step6: float = 1.0
    step7: float = 1.0

    def __post_init__(self) -> None:
        for f in fields(self):
            _BY_KEY[f.name].check(getattr(self, f.name))


#: Tumor phenotypes of Chen & Mellman (2017) as changes to the base rates.
PHENOTYPES: Mapping[str, Mapping[str, float]] = {
    # T cells in the tumor bed, held back by IFN-γ-induced PD-L1.
    "inflamed": {},
    # T cells primed and recruited but stuck in the stroma (TGF-β, abnormal vessels).
    "excluded": {"infiltration": 0.02, "pdl1_constitutive": 0.1},
    # Few T cells anywhere: little presentation and priming (ignorance, tolerance).
    "desert": {"presentation": 0.1, "priming": 1.5e5},
}
PHENOTYPE_NOTES: Mapping[str, str] = {
    "inflamed": "Immune-inflamed ('hot'): CD8 T cells in the tumor bed, PD-L1 up; most likely to respond "
                "to anti-PD-1/PD-L1.",
    "excluded": "Immune-excluded: T cells primed and recruited but held in the stroma (infiltration "
                "rate 4% of inflamed).",
    "desert": "Immune-desert ('cold'): little antigen presentation (20%) and priming (37.5% of inflamed); "
              "few T cells anywhere.",
}


def phenotype_rates(phenotype: str = "inflamed", **rates: float) -> CycleRates:
    """The rates of ``phenotype`` with any ``rates`` given by name overriding them."""
    check_choice("phenotype", phenotype, PHENOTYPES)
    known = {f.name for f in fields(CycleRates)}
    unknown = sorted(set(rates) - known)
    if unknown:
        raise ValueError(f"rates must be among {sorted(known)}; got unknown {unknown}")
    return replace(CycleRates(), **{**PHENOTYPES[phenotype], **rates})


@dataclass(frozen=True)
class Therapy:
    """A therapy: where it acts in the cycle and what it does to the model's rates.

    ``effects`` are per unit intensity (1 = a standard dose): ``"stepN"`` multiplies
    step N's rate by (1 + v·intensity); ``pd1_blockade`` and ``ido_block`` remove that
    fraction of the suppression; ``direct_kill`` (1/day) kills tumor cells;
    ``icd`` boosts antigen released by killed cells (immunogenic cell death);
    ``lymphodepletion`` (1/day) adds T-cell death; ``growth`` changes the tumor growth
    rate by that fraction; ``car_t`` (cells/day) adds engineered T cells to the blood
    (the primed pool) at the infusion's peak; ``antigen`` (cell-equivalents/day) adds antigen (a vaccine).
    """

    id: str
    name: str
    steps: tuple[int, ...]
    mechanism: str
    effects: Mapping[str, float]

    def __post_init__(self) -> None:
        check_record(self)


EFFECTS = ("step1", "step2", "step3", "step4", "step5", "step6", "step7", "pd1_blockade", "inflammation",
            "ido_block", "direct_kill", "icd", "lymphodepletion", "growth", "car_t", "antigen")


def _therapy(id: str, name: str, steps: tuple[int, ...], mechanism: str, **effects: float) -> Therapy:
    unknown = sorted(set(effects) - set(EFFECTS))
    if unknown:  # a typo in an effect would silently do nothing
        raise ValueError(f"effects of {id!r} must be among {EFFECTS}; got {unknown}")
    return Therapy(id, name, steps, mechanism, MappingProxyType(effects))


# Steps follow Chen & Mellman 2013 Fig. 3; effect sizes are illustrative.
THERAPIES: Mapping[str, Therapy] = {t.id: t for t in (
    _therapy("anti-PD-1", "Anti-PD-1 antibody (e.g. pembrolizumab, nivolumab)", (7,),
             "Blocks PD-1 on T cells so tumor PD-L1 can no longer switch off killing.", pd1_blockade=0.9),
    _therapy("anti-PD-L1", "Anti-PD-L1 antibody (e.g. atezolizumab)", (7,),
             "Blocks PD-L1 on tumor cells, releasing the brake on T-cell killing.", pd1_blockade=0.85),
    _therapy("anti-CTLA-4", "Anti-CTLA-4 antibody (e.g. ipilimumab)", (3,),
             "Blocks CTLA-4 so more T cells are primed and activated in the lymph node.", step3=2.0),
    _therapy("vaccine", "Cancer vaccine", (2,),
             "Supplies tumor antigen and adjuvant so more APCs present it.", step2=1.0, antigen=5e6),
    _therapy("chemotherapy", "Chemotherapy (immunogenic, e.g. doxorubicin)", (1,),
             "Kills tumor cells directly; immunogenic death releases antigen and danger signals; "
             "also kills some T cells; the inflammation it leaves activates dendritic cells.",
             direct_kill=0.1, icd=1.0, lymphodepletion=0.01, inflammation=0.3),
    _therapy("radiation", "Radiation therapy", (1,),
             "Kills tumor cells directly and releases antigen (immunogenic cell death); the "
             "inflammation it leaves activates dendritic cells.",
             direct_kill=0.08, icd=1.5, inflammation=0.3),
    _therapy("targeted therapy", "Targeted therapy (e.g. BRAF inhibitor)", (1,),
             "Kills tumor cells that depend on the targeted pathway, releasing antigen.",
             direct_kill=0.06, icd=0.5),
    _therapy("anti-VEGF", "Anti-VEGF antibody (e.g. bevacizumab)", (4, 5),
             "Normalises tumor vessels so T cells can enter, and slows vessel-dependent growth.",
             step4=0.5, step5=3.0, growth=-0.15),
    _therapy("CAR-T", "CAR T cells", (6,),
             "Engineered T cells that recognise a surface antigen without MHC, given as one infusion that "
             "expands and contracts; they must still reach and enter the tumor.",
             car_t=3e6, step6=0.1),
    _therapy("IL-2", "Interleukin-2", (3,), "Drives T-cell priming and expansion.", step3=1.0),
    _therapy("IL-12", "Interleukin-12", (3,), "Promotes T-cell priming towards killers.", step3=1.0),
    _therapy("IDO inhibitor", "IDO inhibitor", (7,),
             "Blocks IDO, a tryptophan-depleting enzyme that suppresses killing.", ido_block=1.0),
    _therapy("anti-CD137", "Anti-CD137 agonist antibody", (3,),
             "Co-stimulates T cells through CD137 during priming.", step3=1.0),
    _therapy("anti-OX40", "Anti-OX40 agonist antibody", (3,),
             "Co-stimulates T cells through OX40 during priming.", step3=1.0),
    _therapy("TLR agonist", "Toll-like receptor agonist", (2,),
             "Activates dendritic cells so they present antigen.", step2=1.5),
    _therapy("anti-CD40", "Anti-CD40 agonist antibody", (2,),
             "Licenses dendritic cells to present antigen and prime.", step2=1.5),
    _therapy("GM-CSF", "GM-CSF", (2,), "Recruits and matures dendritic cells.", step2=1.0),
    _therapy("IFN-α", "Interferon-α", (2,), "Activates dendritic cells and antigen presentation.",
             step2=1.0),
)}


BRAHMER_2010 = ("Brahmer et al. 2010, J Clin Oncol 28:3167: serum half-life of anti-PD-1 12–20 days, "
                "yet > 70% of PD-1 still occupied ≥ 2 months after one infusion")
KEYNOTE_006 = ("Robert et al. 2019, Lancet Oncol (KEYNOTE-006, 5-year results): pembrolizumab every 2 or "
               "3 weeks for up to 24 months; ipilimumab 3 mg/kg every 3 weeks, four doses")
NCT00527735 = "NCT00527735 (Lynch 2012): paclitaxel/carboplatin every 3 weeks for 6 cycles"
MAJZNER_2019 = ("Majzner & Mackall 2019, Nat Med 25:1341: an infusion of CAR T cells expands, contracts and, "
                "in solid tumors, must traffic into the tumor like any T cell")


@dataclass(frozen=True)
class Regimen:
    """How a therapy named by id alone is given, and how fast each dose's effect fades.

    A dose's exposure decays first-order with ``half_life_days`` and adds up over
    doses (c = Σ exp(−k·(t − t_dose)), k = ln 2/half-life). Its effect is
    min(1, c) (``saturation`` None: effect follows exposure) or, for an antibody
    that saturates its receptor, min(1, c·(1 + K)/(c + K)) with K = ``saturation``:
    blockade stays nearly complete until exposure falls far below one dose's. An
    ``infusion`` of cells (CAR-T) instead expands to a peak at ``peak_days`` and
    contracts: (s/τ)·exp(1 − s/τ), s the days since infusion.
    """

    doses: int
    interval_days: float
    half_life_days: float
    saturation: float | None
    schedule: str
    source: str
    peak_days: float | None = None
    continuous_days: float | None = None  # given without a break (e.g. daily tablets) for this long

    def __post_init__(self) -> None:
        check_record(self)


_ILLUSTRATIVE_COURSE = "Illustrative schedule: no single standard course"
#: Standard courses (days); the effect half-lives are illustrative except where a source says otherwise.
REGIMENS: Mapping[str, Regimen] = MappingProxyType({
    "anti-PD-1": Regimen(35, 21.0, 15.0, 0.025, "every 3 weeks for up to 2 years (35 doses)",
                         KEYNOTE_006 + "; " + BRAHMER_2010),
    "anti-PD-L1": Regimen(35, 21.0, 15.0, 0.025, "every 3 weeks for up to 2 years (35 doses)",
                          "As anti-PD-1 (" + KEYNOTE_006 + "; " + BRAHMER_2010 + ")"),
    "anti-CTLA-4": Regimen(4, 21.0, 15.0, 0.025, "every 3 weeks, 4 doses", KEYNOTE_006),
    "chemotherapy": Regimen(6, 21.0, 5.0, None, "every 3 weeks, 6 cycles, each acting for days",
                            NCT00527735 + "; the 2-day effect half-life is illustrative"),
    "radiation": Regimen(5, 1.0, 1.0, None, "5 daily fractions (1 week)",
                         "Illustrative: a short hypofractionated course; each fraction acts for about a day"),
    "targeted therapy": Regimen(1, 0.0, 1.0, None, "daily for a year",
                                "Illustrative: an oral targeted drug taken daily until progression",
                                continuous_days=365.0),
    "anti-VEGF": Regimen(18, 21.0, 20.0, 0.025, "every 3 weeks for a year", _ILLUSTRATIVE_COURSE),
    "vaccine": Regimen(6, 7.0, 3.0, None, "a prime of 4 weekly doses, then boosts (weeks 12 and 20)",
                       "Illustrative: prime and boost, the pattern of personal neoantigen vaccines"),
    "CAR-T": Regimen(1, 0.0, 17.0, None, "one infusion that expands for about a week, then contracts",
                     MAJZNER_2019 + "; the 7-day peak is illustrative", peak_days=7.0),
    **{t: Regimen(12, 7.0, 2.0, None, "weekly for 12 weeks", _ILLUSTRATIVE_COURSE)
       for t in ("IL-2", "IL-12", "anti-CD137", "anti-OX40", "TLR agonist", "anti-CD40", "GM-CSF", "IFN-α")},
    "IDO inhibitor": Regimen(1, 0.0, 1.0, None, "twice daily by mouth for a year",
                             _ILLUSTRATIVE_COURSE, continuous_days=365.0),
})
#: Vaccine boosts after the weekly prime (days), as in :data:`REGIMENS`' schedule text.
VACCINE_DAYS = (0.0, 7.0, 14.0, 21.0, 84.0, 140.0)


#: Effects that change by less than this within a stretch are held at their middle value there.
SWITCH_JUMP = 0.02
#: Courses of at most this many doses start a new stretch at every dose; longer ones only where the
#: effect jumps by more than SWITCH_JUMP (a checkpoint antibody saturates after its first doses).
SHORT_COURSE = 12


def _saturating(exposure: float, regimen: Regimen) -> float:
    if regimen.saturation is None:
        return min(1.0, exposure)
    k = regimen.saturation
    return min(1.0, exposure * (1.0 + k) / (exposure + k))


@dataclass(frozen=True)
class Course:
    """A therapy's course: ``doses`` administrations every ``interval_days`` from ``start_day``.

    None takes the therapy's standard course (:data:`REGIMENS`). Each dose's effect
    fades as the regimen says; ``intensity`` scales it (1 = standard dose).
    """

    therapy: str
    intensity: float = 1.0
    start_day: float = 0.0
    doses: int | None = None
    interval_days: float | None = None
    last_day: float | None = None  # no dose after this day (the course is stopped early)

    def __post_init__(self) -> None:
        check_choice("therapy", self.therapy, THERAPIES)
        check_real("intensity", self.intensity, 0.0, 3.0)
        check_real("start_day", self.start_day, 0.0, 3650.0, "days")
        if self.last_day is not None:
            check_real("last_day", self.last_day, self.start_day, 3650.0, "days")
        if self.doses is not None:
            check_int("doses", self.doses, 1, 400)
        if self.interval_days is not None:
            check_real("interval_days", self.interval_days, 1.0, 365.0, "days")

    @property
    def regimen(self) -> Regimen:
        """The therapy's :class:`Regimen`."""
        return REGIMENS[self.therapy]

    @functools.cached_property
    def administration_days(self) -> tuple[float, ...]:
        """The days each dose is given."""
        regimen = self.regimen
        if self.therapy == "vaccine" and self.doses is None and self.interval_days is None:
            days = tuple(self.start_day + d for d in VACCINE_DAYS)
        else:
            count = regimen.doses if self.doses is None else self.doses
            interval = regimen.interval_days if self.interval_days is None else self.interval_days
            days = tuple(self.start_day + i * interval for i in range(count))
        if self.last_day is None:
            return days
        return days[:1] + tuple(day for day in days[1:] if day <= self.last_day)

    @property
    def end_day(self) -> float:
        """The day the course is over: the last dose plus one interval (plus one day for a single dose)."""
        if self.continuous is not None:
            return self.continuous.end_day
        interval = self.regimen.interval_days if self.interval_days is None else self.interval_days
        return self.administration_days[-1] + max(interval, 1.0)

    @functools.cached_property
    def continuous(self) -> Dose | None:
        """The course as one continuous :class:`Dose` when the therapy is taken without a break."""
        days = self.regimen.continuous_days
        if days is None or self.doses is not None or self.interval_days is not None:
            return None
        end = self.start_day + days if self.last_day is None else min(self.start_day + days, self.last_day)
        return Dose(self.therapy, self.intensity, self.start_day, max(end, self.start_day + 1.0))

    def exposure(self, day: float) -> float:
        """Relative exposure on ``day``: Σ over doses given by then of exp(−k·(day − dose day))."""
        k = math.log(2) / self.regimen.half_life_days
        return sum(math.exp(-k * (day - given)) for given in self.administration_days if given <= day)

    def weight(self, day: float) -> float:
        """How much of the therapy's full effect acts on ``day`` (0 to 1), before ``intensity``."""
        regimen = self.regimen
        if self.continuous is not None:
            return self.continuous.weight(day)
        if regimen.peak_days is not None:
            tau = regimen.peak_days
            return sum((day - given) / tau * math.exp(1.0 - (day - given) / tau)
                       for given in self.administration_days if given <= day)
        return _saturating(self.exposure(day), regimen)

    def weights(self, days: np.ndarray) -> np.ndarray:
        """:meth:`weight` on each of ``days`` at once (an array)."""
        days = np.asarray(days, dtype=float)
        regimen = self.regimen
        if self.continuous is not None:
            return self.continuous.weights(days)
        given = np.asarray(self.administration_days)
        since = days[:, None] - given[None, :]
        if regimen.peak_days is not None:
            tau = regimen.peak_days
            return np.where(since >= 0, since / tau * np.exp(1.0 - since / tau), 0.0).sum(axis=1)
        k = math.log(2) / regimen.half_life_days
        exposure = np.where(since >= 0, np.exp(-k * np.maximum(since, 0.0)), 0.0).sum(axis=1)
        if regimen.saturation is None:
            return np.minimum(1.0, exposure)
        return np.minimum(1.0, exposure * (1.0 + regimen.saturation) / (exposure + regimen.saturation))

    @property
    def switch_days(self) -> tuple[float, ...]:
        """Days the effect jumps by more than :data:`SWITCH_JUMP` (a dose given while the last one has
        worn off; start and end when continuous). A dose that only tops up a saturated effect is not one."""
        if self.continuous is not None:
            return self.continuous.switch_days
        return _course_switch_days(self if self.intensity == 1.0 else replace(self, intensity=1.0))


@functools.lru_cache(maxsize=512)
def _course_switch_days(course: Course) -> tuple[float, ...]:
    # Cached per schedule (intensity does not move the days): a slider move re-creates the Course.
    days = course.administration_days
    if course.regimen.peak_days is not None or len(days) <= SHORT_COURSE:
        # An infusion starts from nothing; a short course is cut at each dose, so its fading
        # between doses has a closed form (see _weight_from).
        return days
    given = np.asarray(days)
    jumps = course.weights(given) - course.weights(given - 1e-6)
    return tuple(float(day) for day, jump in zip(given, jumps, strict=True) if jump > SWITCH_JUMP)


@dataclass(frozen=True)
class Dose:
    """A therapy given continuously at ``intensity`` (1 = standard) from ``start_day`` until ``end_day``.

    After ``end_day`` its effect fades as the therapy's :class:`Regimen` says, as after a
    last dose.
    """

    therapy: str
    intensity: float = 1.0
    start_day: float = 0.0
    end_day: float = float("inf")

    def __post_init__(self) -> None:
        check_choice("therapy", self.therapy, THERAPIES)
        check_real("intensity", self.intensity, 0.0, 3.0)
        check_real("start_day", self.start_day, 0.0, 3650.0, "days")
        check_real("end_day", self.end_day, self.start_day, float("inf"), "days")

    def active(self, day: float) -> bool:
        """True on ``start_day <= day < end_day``."""
        return self.start_day <= day < self.end_day

    def weight(self, day: float) -> float:
        """1 while given; after ``end_day`` the fading effect of a last dose; 0 before ``start_day``."""
        if day < self.start_day:
            return 0.0
        if day < self.end_day:
            return 1.0
        regimen = REGIMENS[self.therapy]
        if regimen.peak_days is not None:  # infused cells contract once the infusion stops
            return math.exp(-(day - self.end_day) / regimen.peak_days)
        return _saturating(math.exp(-math.log(2) / regimen.half_life_days * (day - self.end_day)), regimen)

    def weights(self, days: np.ndarray) -> np.ndarray:
        """:meth:`weight` on each of ``days`` at once (an array)."""
        return np.array([self.weight(float(day)) for day in np.asarray(days, dtype=float)])

    @property
    def switch_days(self) -> tuple[float, ...]:
        """Days the effect jumps (start and end)."""
        return (self.start_day, self.end_day)


Treatment = Dose | Course


def course_until(therapy: str, stop_day: float, intensity: float = 1.0) -> Course:
    """``therapy``'s standard course with no dose after ``stop_day`` (the first dose is always given).

    Stop days between the same two doses give the same course, so it is returned in one form
    (stopped on its last dose given; the whole course if none is left out): runs cached per
    course are then reused as a stop-day slider moves.
    """
    stop = _BY_KEY["stop_day"].check(stop_day)
    whole = Course(therapy, intensity)
    if whole.continuous is not None:
        return Course(therapy, intensity, last_day=stop)
    given = [day for day in whole.administration_days if day <= stop] or [whole.administration_days[0]]
    if len(given) == len(whole.administration_days):
        return whole
    return Course(therapy, intensity, last_day=given[-1])


def as_doses(therapies: Iterable[Any]) -> tuple[Treatment, ...]:
    """Read therapy ids (their standard :class:`Course`), ``(id, intensity, start_day, end_day)`` tuples
    (continuous :class:`Dose`), or :class:`Dose` and :class:`Course` entries."""
    if isinstance(therapies, str | Dose | Course):
        therapies = (therapies,)
    if therapies is None or isinstance(therapies, Mapping) or not isinstance(therapies, Iterable):
        raise TypeError("therapies must be a list of therapy ids, (id, intensity, start_day, end_day) "
                        f"tuples, Dose or Course entries; got {type(therapies).__name__}")
    doses: list[Treatment] = []
    for entry in therapies:
        try:
            if isinstance(entry, Dose | Course):
                doses.append(entry)
            elif isinstance(entry, str):
                doses.append(Course(entry))
            elif isinstance(entry, tuple | list) and 1 <= len(entry) <= 4:
                doses.append(Dose(*entry))
            else:
                raise TypeError("therapies must be ids, (id, intensity, start_day, end_day) tuples, Dose or "
                                f"Course entries; got {entry!r:.80}")
        except (TypeError, ValueError) as error:
            if str(error).startswith("therapies"):
                raise
            raise type(error)(f"therapies: entry {entry!r:.60} refused: {error}") from None
    return tuple(doses)


#: The last day any engine function accepts (a hundred years: runs are at most 3650 days).
MAX_DAY = 36500.0


def _check_treatments(doses: Any, name: str = "doses") -> tuple[Treatment, ...]:
    """``doses`` as a tuple after checking it holds only :class:`Dose` and :class:`Course` entries."""
    if isinstance(doses, str | bytes | Mapping) or not isinstance(doses, Iterable):
        raise TypeError(f"{name} must be a tuple of Dose or Course entries (see as_doses); "
                        f"got {type(doses).__name__}")
    doses = tuple(doses)
    for dose in doses:
        if not isinstance(dose, Dose | Course):
            raise TypeError(f"{name} must hold only Dose or Course entries (see as_doses); "
                            f"got {type(dose).__name__} {dose!r:.40}")
    return doses


def _check_rates(rates: Any, name: str = "rates") -> Any:
    """``rates`` after checking it is a :class:`CycleRates` (one patient) or a :class:`RateTable` (many)."""
    if not isinstance(rates, CycleRates | RateTable):
        raise TypeError(f"{name} must be CycleRates (one patient) or a RateTable (many patients); "
                        f"got {type(rates).__name__}")
    return rates


# ---------------------------------------------------------------------------------------------------
# The engine: states, rate laws, one right-hand side, one solver.
#
# Every model that runs the cycle (schedules, resistance, capstone) uses these: it adds states and
# terms through an :class:`Extension`, never by copying an equation.

#: The cycle model's states, in the solver's order. Every model indexes them by name.
STATES: tuple[str, ...] = ("tumor", "antigen", "apc", "primed", "margin", "effector", "inflammation",
                           "memory")
STATE_COLUMNS = STATES
#: Absolute solver tolerance of each state: cells, except the APC fraction and inflammation.
STATE_ATOL: Mapping[str, float] = MappingProxyType({
    "tumor": 1e-2, "antigen": 1e-2, "apc": 1e-7, "primed": 1e-2, "margin": 1e-2, "effector": 1e-2,
    "inflammation": 1e-7, "memory": 1e-2})
#: Per-step activity columns of :func:`simulate_cycle`, steps 1 to 7 in order.
FLUX_COLUMNS = ("release", "presentation", "priming", "trafficking", "infiltration", "recognition",
                "killing")
# Solver tolerance: 1e-5 relative keeps outputs within ~1e-4 of a 1e-8 solve at a third of the cost.
RTOL = 1e-5
#: Below one tumor cell the tumor is gone (continuous models would regrow it from a fraction).
EXTINCTION_CELLS = 1.0


# --- Rate laws: each one small function, its formula in its docstring and in RATE_LAWS ------------------

def _growth(a: Any, X: Any, b: Any, T: Any) -> Any:
    return a * X * (1.0 - b * T)


def _pdl1(L0: Any, L1: Any, E: Any, K_E: Any) -> Any:
    return L0 + L1 * E / (E + K_E)


def _brake(s: Any, L: Any, u: Any, s_ido: Any, v: Any) -> Any:
    return 1.0 + s * L * (1.0 - u) + s_ido * (1.0 - v)


def _recognised(m6: Any, r6: Any) -> Any:
    value = m6 * r6
    return min(1.0, value) if isinstance(value, float) else np.minimum(1.0, value)


def _killing(m7: Any, n: Any, ρ: Any, E: Any, T: Any, Z: Any) -> Any:
    return m7 * n * ρ * E * T / Z


def _release(m1: Any, θ: Any, T: Any, c: Any, K: Any) -> Any:
    return m1 * (θ * T + c * K)


def _presentation(m2: Any, k2: Any, A: Any, K_A: Any, D: Any) -> Any:
    return m2 * k2 * A / (K_A + A) * (1.0 - D)


def _priming(m3: Any, k3: Any, D: Any) -> Any:
    return m3 * k3 * D


def _trafficking(m4: Any, k4: Any, P: Any) -> Any:
    return m4 * k4 * P


def _infiltration(m5: Any, k5: Any, C: Any) -> Any:
    return m5 * k5 * C


def _memory_formation(k_M: Any, E: Any, K_M: Any, A: Any) -> Any:
    return k_M * E * K_M / (K_M + A)


def _recall(k_R: Any, M: Any, D: Any) -> Any:
    return k_R * M * D


def _boost(B: Any, I: Any) -> Any:  # noqa: E741 (I is the model's symbol for inflammation)
    return 1.0 + B * I / (1.0 + I)


@dataclass(frozen=True)
class RateLaw:
    """One rate law of the engine: its formula as the model card prints it, and the code that runs it.

    ``formula`` is written in the model's symbols (``·`` for ×, ``−`` for minus) and is
    what :data:`MODEL_CARD` shows; ``symbols`` says what each symbol is. Calling the
    law checks every argument is a finite number ≥ 0 (the solver calls ``function``
    directly, on states it has already clipped at 0).
    """

    name: str
    term: str
    step: int | None
    formula: str
    symbols: Mapping[str, str]
    source: str
    function: Any

    def __post_init__(self) -> None:
        check_record(self)

    @property
    def card_line(self) -> str:
        """The law as the model card prints it: ``term = formula   (name, step N)``."""
        where = f", step {self.step}" if self.step else ""
        return f"{self.term} = {self.formula}   ({self.name.replace('_', ' ')}{where})"

    def __call__(self, **values: Any) -> Any:
        unknown = sorted(set(values) ^ set(self.symbols))
        if unknown:
            raise TypeError(f"{self.name} takes exactly the symbols {list(self.symbols)}; "
                            f"got {sorted(values)}")
        checked = {k: check_array(k, v, 0.0, math.inf) for k, v in values.items()}
        if any(not np.isfinite(v).all() for v in checked.values()):
            raise ValueError(f"{self.name}: every argument must be finite, in [0, inf)")
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                result = self.function(**{k: (float(v) if v.ndim == 0 else v) for k, v in checked.items()})
        except ZeroDivisionError:
            result = math.nan
        if not np.isfinite(result).all():
            raise ValueError(f"{self.name} is not finite for these values: a denominator is 0")
        return result


def _law(name: str, term: str, step: int | None, formula: str, function: Any, source: str,
         **symbols: str) -> RateLaw:
    return RateLaw(name, term, step, formula, MappingProxyType(symbols), source, function)


_ENGINE_SOURCE = ("One compartment per step of Chen & Mellman 2013 (this course's construction); "
                  "rates illustrative")
#: The engine's rate laws, in the order of the cycle; the model card prints these formulas.
RATE_LAWS: Mapping[str, RateLaw] = MappingProxyType({law.name: law for law in (
    _law("growth", "G", None, "a·X·(1 − b·T)", _growth, KUZNETSOV + " (logistic growth)",
         a="growth rate (1/day)", X="growing cells", b="1/carrying capacity (1/cell)",
         T="all tumor cells, which crowd each other"),
    _law("pdl1", "L", 7, "L0 + L1·E/(E + K_E)", _pdl1,
         "Adaptive resistance: IFN-γ from T cells induces PD-L1 (Sharma et al. 2017, Cell 168:707)",
         L0="constitutive PD-L1", L1="most IFN-γ-induced PD-L1", E="T cells in the tumor bed",
         K_E="T cells at half induction"),
    _law("brake", "Z", 7, "1 + s·L·(1 − u) + s_ido·(1 − v)", _brake, ILLUSTRATIVE,
         s="PD-L1 suppression strength", L="PD-L1 level", u="PD-1 blockade (0–1)",
         s_ido="IDO suppression strength", v="IDO block (0–1)"),
    _law("recognition", "ρ", 6, "min(1, m6·r6)", _recognised, ILLUSTRATIVE,
         m6="step-6 multiplier", r6="recognisable fraction"),
    _law("killing", "K7", 7, "m7·n·ρ·E·T/Z", _killing, KUZNETSOV + " (mass-action kill n·E·T)",
         m7="step-7 multiplier", n="kill rate (1/(cell·day))", ρ="recognised fraction",
         E="T cells in the tumor bed", T="killable tumor cells", Z="brake"),
    _law("release", "R1", 1, "m1·(θ·T + c·K)", _release, _ENGINE_SOURCE,
         m1="step-1 multiplier", θ="basal release (1/day)", T="all tumor cells",
         c="antigen per dying cell (1 + immunogenic death)", K="cells killed per day"),
    _law("presentation", "J2", 2, "m2·k2·A/(K_A + A)·(1 − D)", _presentation, _ENGINE_SOURCE,
         m2="step-2 multiplier (with inflammation)", k2="presentation rate (1/day)", A="antigen",
         K_A="antigen at half-saturation", D="activated APC fraction"),
    _law("priming", "J3", 3, "m3·k3·D", _priming, _ENGINE_SOURCE,
         m3="step-3 multiplier (with inflammation)", k3="priming rate (cells/day)",
         D="activated APC fraction"),
    _law("trafficking", "J4", 4, "m4·k4·P", _trafficking, _ENGINE_SOURCE,
         m4="step-4 multiplier", k4="trafficking rate (1/day)", P="primed T cells"),
    _law("infiltration", "J5", 5, "m5·k5·C", _infiltration, _ENGINE_SOURCE,
         m5="step-5 multiplier", k5="infiltration rate (1/day)", C="T cells at the margin"),
    _law("inflammation_boost", "β", 2, "1 + B·I/(1 + I)", _boost, ILLUSTRATIVE,
         B="largest extra speed-up", I="inflammation"),
    _law("memory_formation", "J_M", 7, "k_M·E·K_M/(K_M + A)", _memory_formation,
         "Illustrative: effector T cells leave long-lived memory once antigen is cleared; chronic antigen "
         "drives exhaustion instead (Wherry 2011, Nat Immunol 12:492)",
         k_M="memory formation rate (1/day)", E="T cells in the tumor bed", K_M="antigen that halves it",
         A="antigen"),
    _law("recall", "J_R", 3, "k_R·M·D", _recall,
         "Illustrative: memory T cells re-expand quickly when antigen is presented again",
         k_R="primed cells per memory cell per day", M="memory T cells", D="activated APC fraction"),
)})

#: Each state's line, in the names of the rate laws (G growth, K7 killing, R1 release, J2–J5 steps 2–5,
#: β inflammation boost) and the therapies' terms (c_kill direct kill, d_x extra T-cell death,
#: v_A vaccine antigen, car CAR-T input, v_I inflammation made).
STATE_EQUATIONS: Mapping[str, str] = MappingProxyType({
    "tumor": "dT/dt = G − K7 − c_kill·T",
    "antigen": "dA/dt = R1 + v_A − c_A·A",
    "apc": "dD/dt = J2 − d_D·D",
    "primed": "dP/dt = J3 + J_R + car − J4 − (d + d_x)·P",
    "margin": "dC/dt = J4 − J5 − (d + d_x)·C",
    "effector": "dE/dt = J5 − (d + d_x + μ·T)·E",
    "inflammation": "dI/dt = v_I − d_I·I",
    "memory": "dM/dt = J_M − d_M·M",
})


class Drive(NamedTuple):
    """Effective rates at one time with the therapies acting then.

    Fields are floats for one patient (:class:`CycleRates`) or arrays over patients
    (:class:`RateTable`). ``m`` holds the step multipliers m1..m7 with therapies. A
    named tuple: a fading therapy makes one per right-hand-side call, so it must be cheap.
    """

    m: tuple[Any, ...]
    recognised: Any
    blockade: float
    ido_block: float
    direct_kill: float
    icd: float
    extra_death: float
    growth_rate: Any
    growth_factor: float
    car_t: float
    antigen: float
    inflammation: float


def therapy_totals(doses: tuple[Treatment, ...], day: float) -> dict[str, float]:
    """Each therapy effect on ``day``: Σ over doses of effect × intensity × the dose's weight then."""
    doses = _check_treatments(doses)
    day = check_real("day", day, 0.0, MAX_DAY, "days")
    total = dict.fromkeys(EFFECTS, 0.0)
    for dose in doses:
        weight = dose.weight(day) * dose.intensity
        if weight:
            for effect, value in THERAPIES[dose.therapy].effects.items():
                total[effect] += value * weight
    return total


def therapy_drive(rates: Any, doses: tuple[Treatment, ...], day: float) -> Drive:
    """The :class:`Drive` on ``day``: the rates' step multipliers times what the doses add then."""
    return drive_from_totals(_check_rates(rates), therapy_totals(doses, day))


def drive_from_totals(rates: Any, total: Mapping[str, float]) -> Drive:
    """The :class:`Drive` for summed therapy effects ``total`` (see :func:`therapy_totals`)."""
    _check_rates(rates)
    if not isinstance(total, Mapping) or set(total) != set(EFFECTS):
        raise TypeError(f"total must map each effect {EFFECTS} to a number (see therapy_totals); "
                        f"got {type(total).__name__} {total!r:.60}")
    for effect, value in total.items():
        check_real(f"total[{effect!r}]", value, -1e9, 1e9)
    m = tuple(getattr(rates, f"step{i}") * (1.0 + total[f"step{i}"]) for i in range(1, 8))
    growth_factor = max(0.0, 1.0 + total["growth"])
    return Drive(m=m, recognised=_recognised(m[5], rates.recognition),
                 blockade=min(1.0, total["pd1_blockade"]), ido_block=min(1.0, total["ido_block"]),
                 direct_kill=total["direct_kill"], icd=1.0 + total["icd"],
                 extra_death=total["lymphodepletion"], growth_rate=rates.growth_rate * growth_factor,
                 growth_factor=growth_factor, car_t=total["car_t"], antigen=total["antigen"],
                 inflammation=total["inflammation"])


_EFFECT_INDEX = {effect: i for i, effect in enumerate(EFFECTS)}


class FadingDrive:
    """The :class:`Drive` on one stretch between dose days where some effect fades (or an infusion expands).

    Between two dose days no dose is given, so each dose's weight follows a closed
    form from the stretch's start; :meth:`at` sums them into a Drive (the right-hand
    side calls it at every evaluation, so the rates' parts are worked out once here).
    """

    def __init__(self, rates: Any, doses: tuple[Treatment, ...], start: float, end: float) -> None:
        rates, doses = _check_rates(rates), _check_treatments(doses)
        start, end = _check_stretch(start, end)
        self.rates, self.start = rates, start
        self._last: tuple[float, Drive] | None = None  # the solver often asks for the same day twice
        self.steps = tuple(getattr(rates, f"step{i}") for i in range(1, 8))
        # Doses whose effect holds still here (within SWITCH_JUMP) count once, at the stretch's middle.
        middle = start + 0.5 * (min(end, start + 3650.0) - start)
        self.fixed = [0.0] * len(EFFECTS)
        self.terms = []
        for dose in doses:
            effects = tuple((_EFFECT_INDEX[e], v * dose.intensity)
                            for e, v in THERAPIES[dose.therapy].effects.items())
            if _varies(dose, start, end):
                self.terms.append((_weight_from(dose, start, end), effects))
            else:
                w = dose.weight(middle)
                for index, value in effects:
                    self.fixed[index] += value * w

    def at(self, day: float) -> Drive:
        """The Drive on ``day`` (inside the stretch): :func:`drive_from_totals` of the weighted effects."""
        if self._last is not None and self._last[0] == day:
            return self._last[1]
        t = self.fixed.copy()
        for weight, effects in self.terms:
            w = weight(day)
            if w:
                for index, value in effects:
                    t[index] += value * w
        s1, s2, s3, s4, s5, s6, s7 = self.steps
        m = (s1 * (1.0 + t[0]), s2 * (1.0 + t[1]), s3 * (1.0 + t[2]), s4 * (1.0 + t[3]), s5 * (1.0 + t[4]),
             s6 * (1.0 + t[5]), s7 * (1.0 + t[6]))
        growth = max(0.0, 1.0 + t[_GROWTH])
        drive = Drive(m, _recognised(m[5], self.rates.recognition), min(1.0, t[_PD1]), min(1.0, t[_IDO]),
                      t[_KILL], 1.0 + t[_ICD], t[_DEPLETE], self.rates.growth_rate * growth, growth, t[_CAR],
                      t[_ANTIGEN], t[_INFLAMMATION])
        self._last = (day, drive)
        return drive



def _stack_drives(drives: Sequence[Drive]) -> Drive:
    """One Drive whose every field is an array over ``drives`` (e.g. one per output day)."""
    m = tuple(np.array(step) for step in zip(*(drive.m for drive in drives), strict=True))
    fields_over_days: list[Any] = [np.array(field) for field in list(zip(*drives, strict=True))[1:]]
    return Drive(m, *fields_over_days)


_PD1, _IDO, _KILL, _ICD, _DEPLETE, _GROWTH, _CAR, _ANTIGEN, _INFLAMMATION = (
    _EFFECT_INDEX[e] for e in ("pd1_blockade", "ido_block", "direct_kill", "icd", "lymphodepletion", "growth",
                               "car_t", "antigen", "inflammation"))


def _weight_from(dose: Treatment, start: float, end: float) -> Any:
    """weight(day) for days in [start, end): closed form if no dose is given inside, else the exact sum."""
    if _fades_only(dose, start, end):
        assert isinstance(dose, Course)  # for type checkers: _fades_only says so
        regimen, exposure = dose.regimen, dose.exposure(start)
        k, exp = math.log(2) / regimen.half_life_days, math.exp
        if regimen.saturation is None:
            return lambda day: min(1.0, exposure * exp(-k * (day - start)))
        # _saturating written out: the solver calls this at every evaluation.
        s = regimen.saturation
        return lambda day: min(1.0, (e := exposure * exp(-k * (day - start))) * (1.0 + s) / (e + s))
    return dose.weight


def _check_stretch(start: Any, end: Any) -> tuple[float, float]:
    start = check_real("start", start, 0.0, MAX_DAY, "days")
    return start, check_real("end", end, start, math.inf, "days")


def _fades_only(dose: Treatment, start: float, end: float) -> bool:
    """True for a dosed course with no dose given inside (start, end): its effect only fades there."""
    return (isinstance(dose, Course) and dose.continuous is None and dose.regimen.peak_days is None
            and not any(start < given < end for given in dose.administration_days))


def _varies(dose: Treatment, start: float, end: float) -> bool:
    """True if the dose's weight moves by more than :data:`SWITCH_JUMP` inside [start, end)."""
    if isinstance(dose, Course) and dose.regimen.peak_days is not None:
        settle = settle_days(dose.therapy)
        return any(given <= start < given + settle for given in dose.administration_days)
    stop = min(end, start + 3650.0) - 1e-6
    if _fades_only(dose, start, end):
        # No dose inside: the effect only fades, so its ends bound it.
        return dose.weight(start) - dose.weight(stop) > SWITCH_JUMP
    weights = dose.weights(start + _QUARTERS * (stop - start))
    return float(weights.max() - weights.min()) > SWITCH_JUMP


_QUARTERS = np.array([0.0, 0.25, 0.5, 0.75, 1.0])


def piece_drive(rates: Any, doses: tuple[Treatment, ...], start: float, end: float) -> Drive | FadingDrive:
    """The drive between two switch days: a :class:`FadingDrive` where an effect fades or an infusion
    expands; otherwise constant, at the stretch's middle (effects there move by ≤ SWITCH_JUMP)."""
    rates, doses = _check_rates(rates), _check_treatments(doses)
    start, end = _check_stretch(start, end)
    if any(_varies(dose, start, end) for dose in doses):
        return FadingDrive(rates, doses, start, end)
    middle = start + 0.5 * (min(end, start + 3650.0) - start)
    return therapy_drive(rates, doses, middle)


@dataclass(frozen=True)
class Core:
    """What the cycle's lines computed at one instant, for an extension's own lines."""

    tumor: Any  # killable tumor cells (the state ``tumor``)
    total: Any  # all tumor cells: ``tumor`` plus the extension's tumor states
    crowding: Any  # 1 − b·total
    killing: Any  # K7 after the extension's kill factor
    antigen: Any
    effector: Any


class Extension:
    """States and terms a model adds to the cycle (lesson 03's clone and exhaustion, the capstone's clone).

    Subclasses set ``states`` (names, after the cycle's), ``atol`` (one per state) and
    ``tumor_states`` (those that are tumor cells: they crowd, release antigen,
    inactivate T cells and obey the extinction rule, but T cells do not kill them),
    and override :meth:`factors` and :meth:`derivatives`. An extension never repeats
    a cycle equation: it only scales killing and infiltration and adds lines.
    """

    states: ClassVar[tuple[str, ...]] = ()
    atol: ClassVar[tuple[float, ...]] = ()
    tumor_states: ClassVar[tuple[str, ...]] = ()

    def factors(self, extra: Sequence[Any], rates: Any, drive: Drive) -> tuple[Any, Any]:
        """(kill factor, infiltration factor) for the cycle's K7 and J5; (1, 1) leaves them as they are."""
        return 1.0, 1.0

    def derivatives(self, extra: Sequence[Any], core: Core, rates: Any, drive: Drive) -> list[Any]:
        """The added states' lines, given the cycle's :class:`Core` terms."""
        return []

    def event(self, rows: np.ndarray, states: tuple[str, ...], patients: int) -> np.ndarray:
        """Boolean per output row (rows × states·patients): True where :meth:`fire` must act."""
        return np.zeros(len(rows), dtype=bool)

    def fire(self, row: np.ndarray, states: tuple[str, ...], patients: int, day: float) -> None:
        """Change the state ``row`` in place at an event (e.g. found a clone)."""


NO_EXTENSION = Extension()


def derivatives(values: Sequence[Any], rates: Any, drive: Drive,
                extension: Extension = NO_EXTENSION) -> list[Any]:
    """Every state's rate of change (:data:`STATE_EQUATIONS`), from the rate laws.

    ``values`` are the states (cycle's, then the extension's), already clipped at 0:
    floats for one patient, arrays over patients for many. One code path for both.
    """
    rates, extension = _check_rates(rates), _check_extension(extension)
    if not isinstance(drive, Drive):
        raise TypeError(f"drive must be a Drive (see therapy_drive); got {type(drive).__name__}")
    width = len(STATES) + len(extension.states)
    if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence) or len(values) != width:
        raise TypeError(f"values must be a sequence of {width} states {(*STATES, *extension.states)}; "
                        f"got {type(values).__name__} {values!r:.60}")
    for name, value in zip((*STATES, *extension.states), values, strict=True):
        check_array(f"values[{name!r}]", value, 0.0, 1e300)
    return _derivatives(values, rates, drive, extension)


def _check_extension(extension: Any) -> Extension:
    if not isinstance(extension, Extension):
        raise TypeError(f"extension must be an Extension (e.g. resistance.CloneTerms); "
                        f"got {type(extension).__name__}")
    return extension


def _check_state(state: Any, extension: Extension) -> np.ndarray:
    width = len(STATES) + len(extension.states)
    array = check_array("state", state, -1e300, 1e300)
    if array.ndim != 1 or array.size == 0 or array.size % width:
        raise ValueError(f"state must be a flat array of {width} values per patient, state by state "
                         f"{(*STATES, *extension.states)}; got shape {array.shape}")
    return array


def _derivatives(values: Sequence[Any], rates: Any, drive: Drive, extension: Extension) -> list[Any]:
    # derivatives without its checks: the solver calls this ~1,000 times a run on values it made.
    T, A, D, P, C, E, I, M = values[:8]  # noqa: E741
    extra = values[8:]
    total = T
    if extension is not NO_EXTENSION:
        kill_factor, infiltration_factor = extension.factors(extra, rates, drive)
        for name in extension.tumor_states:
            total = total + extra[extension.states.index(name)]
    else:
        kill_factor = infiltration_factor = 1.0
    level = _pdl1(rates.pdl1_constitutive, rates.pdl1_adaptive, E, rates.pdl1_half_saturation)
    Z = _brake(rates.pdl1_suppression, level, drive.blockade, rates.ido_suppression, drive.ido_block)
    K7 = _killing(drive.m[6], rates.kill_rate, drive.recognised, E, T, Z) * kill_factor
    dying = K7 + drive.direct_kill * total
    β = _boost(rates.inflammation_boost, I)
    J2 = _presentation(drive.m[1] * β, rates.presentation, A, rates.antigen_half_saturation, D)
    J3 = _priming(drive.m[2] * β, rates.priming, D)
    J4 = _trafficking(drive.m[3], rates.trafficking, P)
    J5 = _infiltration(drive.m[4] * infiltration_factor, rates.infiltration, C)
    d = rates.effector_death + drive.extra_death
    lines = [
        _growth(drive.growth_rate, T, rates.capacity_inverse, total) - K7 - drive.direct_kill * T,
        _release(drive.m[0], rates.release_basal, total, drive.icd, dying) + drive.antigen
        - rates.antigen_clearance * A,
        J2 - rates.apc_decay * D,
        J3 + _recall(rates.memory_recall, M, D) + drive.car_t - J4 - d * P,
        J4 - J5 - d * C,
        J5 - (d + rates.inactivation * total) * E,
        drive.inflammation - rates.inflammation_decay * I,
        _memory_formation(rates.memory_formation, E, rates.memory_antigen, A) - rates.memory_decay * M,
    ]
    if extension.states:
        core = Core(tumor=T, total=total, crowding=1.0 - rates.capacity_inverse * total, killing=K7,
                    antigen=A, effector=E)
        lines += extension.derivatives(extra, core, rates, drive)
    return lines


def rhs(day: float, state: np.ndarray, rates: Any, drive: Drive | FadingDrive,
        extension: Extension = NO_EXTENSION) -> Any:
    """Right-hand side for the solver: one patient (a list of floats) or many (a flat array).

    Many patients are laid out state by state (all patients' tumor, then all their
    antigen, ...). Negative values from solver overshoot are read as 0.
    """
    rates, extension = _check_rates(rates), _check_extension(extension)
    if not isinstance(drive, Drive | FadingDrive):
        raise TypeError(f"drive must be a Drive or FadingDrive (see piece_drive); got {type(drive).__name__}")
    state = _check_state(state, extension)
    patients = 1 if isinstance(rates, CycleRates) else rates.n
    if state.size != (len(STATES) + len(extension.states)) * patients:
        raise ValueError(f"state must hold {len(STATES) + len(extension.states)} values for each of the "
                         f"{patients} patients of rates; got {state.size}")
    return _rhs(check_real("day", day, 0.0, MAX_DAY, "days"), state, rates, drive, extension)


def _rhs(day: float, state: np.ndarray, rates: Any, drive: Drive | FadingDrive, extension: Extension) -> Any:
    # rhs without its checks, for the solver.
    if isinstance(drive, FadingDrive):
        drive = drive.at(day)
    if isinstance(rates, CycleRates):
        # Plain floats: the solver calls this thousands of times per run and numpy scalars are slower.
        return _derivatives([v if v > 0.0 else 0.0 for v in state.tolist()], rates, drive, extension)
    values = np.maximum(state.reshape(len(STATES) + len(extension.states), -1), 0.0)
    out = np.empty_like(values)
    for k, line in enumerate(_derivatives(list(values), rates, drive, extension)):
        out[k] = line  # a line may be a scalar (e.g. a constant input): it fills the row
    return out.ravel()


# --- Many patients ---------------------------------------------------------------------------------------

class RateTable:
    """Every field of :class:`CycleRates` as an array over patients (the vectorised solver's rates)."""

    def __init__(self, rates: Sequence[CycleRates]) -> None:
        rates = list(rates) if isinstance(rates, Iterable) and not isinstance(rates, CycleRates) else rates
        if not isinstance(rates, list) or not rates or not all(isinstance(r, CycleRates) for r in rates):
            raise TypeError(f"rates must be a non-empty sequence of CycleRates; got {type(rates).__name__}")
        self.n = len(rates)
        # Plain attributes: the right-hand side reads about 25 per call, thousands of calls per run.
        for f in fields(CycleRates):
            setattr(self, f.name, np.array([getattr(r, f.name) for r in rates], dtype=float))

    def __getattr__(self, name: str) -> np.ndarray:  # for type checkers; the fields are set above
        raise AttributeError(name)


# --- The solver --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Solution:
    """States at each output day: ``states[t, k, i]`` is day ``days[t]``, state ``names[k]``, patient i."""

    days: np.ndarray
    names: tuple[str, ...]
    states: np.ndarray
    #: (start day, end day, drive) of each stretch the solver integrated, in order.
    stretches: tuple[tuple[float, float, Drive | FadingDrive], ...] = ()

    def __post_init__(self) -> None:
        check_record(self)

    def __getitem__(self, name: str) -> np.ndarray:
        """One state over days and patients (days × patients)."""
        return np.asarray(self.states[:, self.names.index(name), :])


#: An effect below this is spent: stretches after it are held constant (see :func:`settle_days`).
SPENT = 0.005


def settle_days(therapy: str) -> float:
    """Days after a dose (or the end of a continuous one) until its effect is below :data:`SPENT`."""
    regimen = REGIMENS[check_choice("therapy", therapy, THERAPIES)]
    if regimen.peak_days is not None:
        return 10.0 * regimen.peak_days
    k = regimen.saturation
    exposure = SPENT if k is None else SPENT * k / (1.0 + k - SPENT)
    return regimen.half_life_days * math.log2(1.0 / exposure)


def switch_days(doses: tuple[Treatment, ...], days: float) -> list[float]:
    """Day 0, every day an effect jumps (a dose given, started or stopped) or is spent, and the last day."""
    doses = _check_treatments(doses)
    days = check_real("days", days, 1e-9, MAX_DAY, "days")
    cuts = {0.0, days}
    for dose in doses:
        settle = settle_days(dose.therapy)
        jumps = dose.switch_days
        cuts |= {jump for jump in jumps if 0 < jump < days}
        # A spent-effect cut only where no later jump of the same course comes first: each extra
        # stretch costs the solver a restart (a weekly course would double its stretches).
        later = (*jumps[1:], math.inf)
        cuts |= {jump + settle for jump, after in zip(jumps, later, strict=True)
                 if jump + settle < min(after, days) and jump + settle > 0}
    # A stretch shorter than MIN_STRETCH_DAYS (a dose starting 1e-200 days in) is no stretch: odeint
    # refuses an output span that short.
    kept = [0.0]
    for cut in sorted(cuts)[1:]:
        if cut - kept[-1] > MIN_STRETCH_DAYS:
            kept.append(cut)
    kept[-1] = days
    return kept


#: Switch days closer than this (days) to the one before are merged with it.
MIN_STRETCH_DAYS = 1e-6


def solve(rates: CycleRates | RateTable, doses: tuple[Treatment, ...], initial: np.ndarray, grid: np.ndarray,
          extension: Extension = NO_EXTENSION, chunk_days: int | None = None) -> Solution:
    """Integrate the cycle (and ``extension``) from ``initial`` over the output days ``grid``.

    ``initial`` is (states × patients), or one state vector for one patient. The run
    is integrated with ``odeint`` (LSODA, lower per-step overhead than ``solve_ivp``)
    piecewise between the days doses start or stop, so no step straddles a switch.
    Extinction: at the first output day where a patient's tumor state (the cycle's
    ``tumor`` or an extension's tumor state) is below :data:`EXTINCTION_CELLS`, it is
    set to 0 and integration restarts there. ``chunk_days`` bounds how far one call
    integrates (and so how much a restart repeats); None integrates each piece whole.
    """
    rates, doses, extension = _check_rates(rates), _check_treatments(doses), _check_extension(extension)
    names = (*STATES, *extension.states)
    patients = 1 if isinstance(rates, CycleRates) else rates.n
    initial = check_array("initial", initial, 0.0, 1e300)
    if initial.size != len(names) * patients:
        raise ValueError(f"initial must hold {len(names)} states {names} for each of the {patients} "
                         f"patients; got shape {initial.shape}")
    grid = check_array("grid", grid, 0.0, MAX_DAY, "days")
    if grid.ndim != 1 or len(grid) < 2 or grid[0] != 0.0 or (np.diff(grid) <= 0).any():
        raise ValueError(f"grid must be output days rising from day 0 (at least 2); got {grid!r:.60}")
    if chunk_days is not None:
        chunk_days = check_int("chunk_days", chunk_days, 1, 100_000)
    state = initial.reshape(len(names), patients).ravel()
    atol = np.repeat([*STATE_ATOL.values(), *extension.atol], patients)
    tumor_columns = np.concatenate([np.arange(patients) + names.index(s) * patients
                                    for s in ("tumor", *extension.tumor_states)])
    days = float(grid[-1])
    out = np.empty((len(grid), len(state)))
    stretches = []
    for start, end in itertools.pairwise(switch_days(doses, days)):
        drive = piece_drive(rates, doses, start, end)
        stretches.append((start, end, drive))
        inside = (grid >= start) & ((grid < end) | (end == days))
        times = np.unique(np.concatenate(([start], grid[inside], [end])))
        values = _integrate_piece(rates, drive, extension, state, times, atol, tumor_columns, patients,
                                  chunk_days)
        out[inside], state = values[np.isin(times, grid[inside])], values[-1]
    states = np.maximum(out, 0.0).reshape(len(grid), len(names), patients)
    return Solution(days=grid, names=names, states=states, stretches=tuple(stretches))


def _integrate_piece(rates: Any, drive: Drive | FadingDrive, extension: Extension, state: np.ndarray,
                     times: np.ndarray, atol: np.ndarray, tumor_columns: np.ndarray, patients: int,
                     chunk_days: int | None) -> np.ndarray:
    values = np.empty((len(times), len(state)))
    values[0], done = state, 0
    names = (*STATES, *extension.states)
    function = _one_patient_rhs(rates, drive, extension) if isinstance(rates, CycleRates) else _rhs
    while done < len(times) - 1:
        stop_at = len(times) if chunk_days is None else min(len(times), done + chunk_days + 1)
        part = odeint(function, values[done], times[done:stop_at], args=(rates, drive, extension),
                      rtol=RTOL, atol=atol, tfirst=True)
        if not np.isfinite(part).all():  # never hand a learner NaN as a result
            raise ArithmeticError(f"the solver failed between days {times[done]:g} and "
                                  f"{times[stop_at - 1]:g}: try other settings")
        cells = part[1:, tumor_columns]
        flagged = ((cells < EXTINCTION_CELLS) & (cells > 0)).any(axis=1)
        flagged |= extension.event(part[1:], names, patients)
        hits = np.flatnonzero(flagged) + 1
        stop = int(hits[0]) if hits.size else len(part) - 1
        values[done:done + stop + 1] = part[:stop + 1]
        done += stop
        if hits.size:
            row = values[done]
            gone = tumor_columns[row[tumor_columns] < EXTINCTION_CELLS]
            row[gone] = 0.0
            extension.fire(row, names, patients, float(times[done]))
    return values


def _one_patient_rhs(rates: CycleRates, drive: Drive | FadingDrive, extension: Extension) -> Any:
    """:func:`rhs` for one patient with its type checks done once (it is called ~1,000 times a run)."""
    if isinstance(drive, FadingDrive):
        at = drive.at
        return lambda day, state, *_: _derivatives([v if v > 0.0 else 0.0 for v in state.tolist()], rates,
                                                   at(day), extension)
    return lambda day, state, *_: _derivatives([v if v > 0.0 else 0.0 for v in state.tolist()], rates,
                                               drive, extension)


# --- The cycle model's own runs ---------------------------------------------------------------------------

def untreated_steady_state(rates: CycleRates | RateTable) -> np.ndarray:
    """Immune compartments at steady state with the tumor held at its initial size.

    Each line of :data:`STATE_EQUATIONS` set to zero with T = T0, killing feedback
    left out (the tumor has not yet been attacked hard), solved in order down the
    chain. One vector of states, or (states × patients) for a :class:`RateTable`.
    """
    rates = _check_rates(rates)
    m1, m2, m3, m4, m5 = (getattr(rates, f"step{i}") for i in range(1, 6))
    t0, d = rates.initial_tumor, rates.effector_death
    antigen = _release(m1, rates.release_basal, t0, 0.0, 0.0) / rates.antigen_clearance
    uptake = _presentation(m2, rates.presentation, antigen, rates.antigen_half_saturation, 0.0)
    apc = uptake / (uptake + rates.apc_decay)
    primed = _priming(m3, rates.priming, apc) / (m4 * rates.trafficking + d)
    margin = _trafficking(m4, rates.trafficking, primed) / (m5 * rates.infiltration + d)
    effector = _infiltration(m5, rates.infiltration, margin) / (d + rates.inactivation * t0)
    # No memory yet: memory forms once a response clears antigen (see the memory_formation law).
    return np.array([t0, antigen, apc, primed, margin, effector, 0.0 * t0, 0.0 * t0])


def step_fluxes(state: np.ndarray, rates: CycleRates, drive: Drive) -> dict[str, Any]:
    """What flows through each step per day (``state`` rows are the states, columns time).

    release (1), presentation (2, APC activation per day), priming (3), trafficking
    (4), infiltration (5) in cells/day; recognition (6) as the recognised fraction;
    killing (7) in tumor cells/day. The same rate laws as :func:`derivatives`.
    """
    rates = _check_rates(rates)
    if not isinstance(drive, Drive):
        raise TypeError(f"drive must be a Drive (see therapy_drive); got {type(drive).__name__}")
    state = check_array("state", state, -1e300, 1e300)
    if state.ndim != 2 or state.shape[0] < len(STATES):
        raise ValueError(f"state must be 2-D with a row per state {STATES} (columns are days); "
                         f"got shape {state.shape}")
    T, A, D, P, C, E, I, _ = (np.maximum(row, 0.0) for row in state[:8])  # noqa: E741
    level = _pdl1(rates.pdl1_constitutive, rates.pdl1_adaptive, E, rates.pdl1_half_saturation)
    Z = _brake(rates.pdl1_suppression, level, drive.blockade, rates.ido_suppression, drive.ido_block)
    K7 = _killing(drive.m[6], rates.kill_rate, drive.recognised, E, T, Z)
    β = _boost(rates.inflammation_boost, I)
    return {
        "release": _release(drive.m[0], rates.release_basal, T, drive.icd, K7 + drive.direct_kill * T),
        "presentation": _presentation(drive.m[1] * β, rates.presentation, A,
                                      rates.antigen_half_saturation, D),
        "priming": _priming(drive.m[2] * β, rates.priming, D),
        "trafficking": _trafficking(drive.m[3], rates.trafficking, P),
        "infiltration": _infiltration(drive.m[4], rates.infiltration, C),
        "recognition": np.full_like(T, drive.recognised),
        "killing": K7,
    }


def pdl1_level(effector: Any, rates: CycleRates) -> Any:
    """PD-L1 on the tumor for ``effector`` T cells in the tumor bed (the ``pdl1`` rate law)."""
    rates = _check_rates(rates)
    cells = check_array("effector", effector, 0.0, 1e300, "cells")
    effector = float(cells) if cells.ndim == 0 else cells
    return _pdl1(rates.pdl1_constitutive, rates.pdl1_adaptive, effector, rates.pdl1_half_saturation)


def simulate_cycle(phenotype: str = "inflamed", therapies: Iterable[Any] = (), days: float = 365,
                   points: int | None = None, **rates: float) -> pd.DataFrame:
    """Run the cycle model for ``days`` with the given therapies.

    Parameters
    ----------
    phenotype : {"inflamed", "excluded", "desert"}
        Starting rates (Chen & Mellman 2017); see :data:`PHENOTYPES`.
    therapies : iterable
        Therapy ids (given from day 0 on), ``(id, intensity, start_day, end_day)``
        tuples or :class:`Dose` entries; ids are the keys of :data:`THERAPIES`.
    days : float
        Length of the run in days, in [1, 3650].
    points : int, optional
        Evenly spaced output times (default: one per day plus day 0), in [2, 5000].
    **rates : float
        Any field of :class:`CycleRates`, overriding the phenotype's value.

    Returns
    -------
    pandas.DataFrame
        ``day``, the states ``tumor`` (cells), ``antigen`` (cell-equivalents), ``apc``
        (fraction activated), ``primed``, ``margin``, ``effector`` (cells), ``inflammation``,
        ``pdl1`` (relative), and each step's activity (:data:`FLUX_COLUMNS`, see :func:`step_fluxes`).
    """
    params = phenotype_rates(phenotype, **rates)
    doses = as_doses(therapies)
    days = check_real("days", days, 1.0, 3650.0, "days")
    points = int(days) + 1 if points is None else check_int("points", points, 2, 5000)
    grid = np.linspace(0.0, days, points)
    solution = solve(params, doses, untreated_steady_state(params), grid)
    out = solution.states[:, :, 0]
    columns: dict[str, np.ndarray] = {"day": grid}
    columns |= {name: out[:, i] for i, name in enumerate(STATES)}
    columns["pdl1"] = np.asarray(pdl1_level(solution["effector"][:, 0], params))
    # Each output day's drive, stacked into one Drive of arrays: one step_fluxes call for the run.
    drives: list[Drive] = []
    for start, end, drive in solution.stretches:
        inside = grid[(grid >= start) & ((grid < end) | (end == days))]
        drives += ([drive.at(float(day)) for day in inside] if isinstance(drive, FadingDrive)
                   else [drive] * len(inside))
    fluxes = step_fluxes(out.T, params, _stack_drives(drives))
    return pd.DataFrame(columns | fluxes)


def step_efficiency(phenotype: str = "inflamed", therapies: Iterable[Any] = (),
                    **rates: float) -> dict[int, float]:
    """How fast each step runs, as a multiple of its unobstructed rate, on day 0.

    Steps 1–5: the rate times its multiplier (therapies included) over the base
    rate of :class:`CycleRates`, the inflamed tumor; step 6: the fraction of tumor
    cells recognised, min(1, m6·r6); step 7: m7 / (1 + s·PDL1·(1 − blockade) +
    s_ido·(1 − ido_block)), the share of killing the brakes leave, with PD-L1 at the
    untreated steady state. Values below 1 mean the step is obstructed.
    """
    params = phenotype_rates(phenotype, **rates)
    drive = therapy_drive(params, as_doses(therapies), 0.0)
    base = CycleRates()
    keys = ("release_basal", "presentation", "priming", "trafficking", "infiltration")
    efficiency = {i + 1: drive.m[i] * getattr(params, key) / getattr(base, key)
                  for i, key in enumerate(keys)}
    efficiency[6] = float(drive.recognised)
    effector = untreated_steady_state(params)[STATES.index("effector")]
    level = pdl1_level(effector, params)
    efficiency[7] = drive.m[6] / float(_brake(params.pdl1_suppression, level, drive.blockade,
                                              params.ido_suppression, drive.ido_block))
    return efficiency


#: How much faster a step runs in :func:`step_leverage` (doubling its rate).
LEVERAGE_FACTOR = 2.0


def step_leverage(phenotype: str = "inflamed", therapies: Iterable[Any] = (), horizon_days: float = 365.0,
                  window_days: float = 90.0, points: int | None = None, **rates: float) -> dict[int, float]:
    """How much each step limits the outcome: log10 of the tumor's fall when that step runs twice as fast.

    For each step i, the course is run again with m_i doubled, and the leverage is
    log10(B / B_i), B the log-mean tumor burden over the ``window_days`` ending at
    ``horizon_days`` (:func:`primer_lib.outcomes.log_mean_burden`, floored at one
    cell). 1 means ten times fewer tumor cells; 0 no change; negative a worse
    outcome. This is a control coefficient in the sense of Kacser & Burns (1973):
    what limits a flux is its sensitivity to each rate, which need not be the
    slowest rate. The eight runs are solved together as eight patients.
    """
    params = phenotype_rates(phenotype, **rates)
    doses = as_doses(therapies)
    horizon = check_real("horizon_days", horizon_days, 1.0, 3650.0, "days")
    window = check_real("window_days", window_days, 1.0, horizon, "days")
    points = int(horizon) + 1 if points is None else check_int("points", points, 2, 5000)
    return dict(_leverage(params, doses, horizon, window, points))


@functools.lru_cache(maxsize=256)
def _leverage(params: CycleRates, doses: tuple[Treatment, ...], horizon: float, window: float,
              points: int) -> tuple[tuple[int, float], ...]:
    table = RateTable([params] * 8)
    for i in range(1, 8):  # patient 0 is the course as set; patient i runs step i twice as fast
        getattr(table, f"step{i}")[i] *= LEVERAGE_FACTOR
    grid = np.linspace(0.0, horizon, points)
    tumor = solve(table, doses, untreated_steady_state(table), grid)["tumor"]
    burden = [outcomes.log_mean_burden(grid, tumor[:, k], horizon, window) for k in range(8)]
    return tuple((i, float(np.log10(burden[0] / burden[i]))) for i in range(1, 8))


def most_leverage(leverage: Mapping[int, float]) -> int:
    """The step whose doubling lowers the tumor most (ties to the earlier step)."""
    if not isinstance(leverage, Mapping) or set(leverage) != set(range(1, 8)):
        raise ValueError(f"leverage must map each step 1–7 to a number; got {leverage!r:.80}")
    return max(leverage, key=lambda step: (leverage[step], -step))


def bottleneck(phenotype: str = "inflamed", **rates: float) -> int:
    """The step that limits the cycle: the one running furthest below its unobstructed rate.

    See :func:`step_efficiency`; ties go to the earlier step. For the presets:
    inflamed -> 7 (PD-L1 brakes killing), excluded -> 5 (infiltration),
    desert -> 2 (presentation).
    """
    efficiency = step_efficiency(phenotype, (), **rates)
    return min(efficiency, key=lambda step: (efficiency[step], step))


MODEL_CARD = ModelCard(
    title="The cancer-immunity cycle as rates",
    shows="How the seven steps of the cycle feed each other, why a break at one step starves the "
          "steps after it, where each therapy acts and how long its effect lasts, and what immune memory "
          "keeps after treatment stops; the three tumor phenotypes are rate sets.",
    equations=(*STATE_EQUATIONS.values(),
               *(law.card_line for law in RATE_LAWS.values()),
               "In these lines G has X = T, K7 has the tumor T, R1 has K = K7 + c_kill·T, and J2, J3 run at "
               "m2·β and m3·β (inflammation speeds presentation and priming)",
               "Therapies add c_kill (direct kill, 1/day), d_x (extra T-cell death), v_A (vaccine antigen), "
               "car (CAR-T cells/day into the blood), v_I (inflammation) and change u, v, the multipliers "
               "m1–m7 and a; each dose's share of its effect is w(t) (see the assumptions)"),
    assumptions=(
        "Tumor growth, kill rate, T-cell death and inactivation are Kuznetsov et al. (1994)'s values.",
        "Steps 1–5 form a chain of compartments, one per step of Chen & Mellman (2013), each with its "
        "own rate; the chain is this course's construction, not a published model's.",
        "PD-L1 is induced by the T cells' own IFN-γ (adaptive resistance) on top of a constitutive level.",
        "A therapy named by its id is given as its standard course: "
        + "; ".join(f"{t}: {r.schedule}" for t, r in REGIMENS.items()) + ".",
        "Each dose's effect fades: its exposure decays with a half-life and adds up over doses; antibodies "
        "saturate their receptor, so blockade stays nearly full between doses and fades over months after "
        "the last (anti-PD-1: serum half-life 12–20 days, yet > 70% of PD-1 occupied ≥ 2 months after one "
        "infusion, Brahmer et al. 2010). A continuous (id, intensity, start, end) dose acts fully from start "
        "to end, then fades the same way. Effect sizes and most half-lives are illustrative.",
        "CAR T cells are one infusion that enters the blood, expands to a peak after about a week and "
        "contracts; like any T cell they must traffic (step 4) and infiltrate (step 5) before they kill, "
        "so an excluded tumor keeps most of them out (Majzner & Mackall 2019).",
        "Memory T cells form from T cells in the tumor bed as antigen becomes scarce (chronic antigen "
        "exhausts T cells instead; Wherry 2011), are lost with a half-life of 10 years (antiviral T-cell "
        "memory: 8–15 years, Hammarlund et al. 2003) and, whenever dendritic cells present antigen again, "
        "make primed T cells (a recall response). Memory starts at zero: no response has cleared antigen.",
        "The immune compartments start at their untreated steady state for the initial tumor.",
    ),
    limits=(
        "Illustrative rates: the model shows mechanisms and their order, not response rates.",
        "One antigen and one T-cell clone; no Tregs, MDSCs, cytokines or resistance clones (lesson 03).",
        "Effects fade with a stated decay, but there is no pharmacokinetic model of concentrations, no "
        "dose-limiting toxicity and no tumor heterogeneity.",
        "Memory is one compartment: no central, effector or tissue-resident subsets, no exhaustion of "
        "memory cells and no loss of the antigen they recognise; it can hold a tumor that responded, not "
        "rescue one that never did.",
        "CAR T cells join the one T-cell pool: they recognise cells without MHC, but the model gives them "
        "the same PD-L1 brake and ignores antigen loss on solid tumors.",
        "Time scale: growth and killing come from a mouse lymphoma (the tumor doubles in about 4 days and "
        "stops at 500 million cells), while doses follow human schedules; model days are not patient days.",
        "A tumor below one cell is gone (the extinction cut-off), so 'eliminated' can hinge on a small "
        "change of a rate: near the cut-off, leverage and verdicts jump.",
    ),
    references=(
        "Chen DS, Mellman I (2013). Oncology meets immunology: the cancer-immunity cycle. Immunity "
        "39:1–10. doi:10.1016/j.immuni.2013.07.012",
        "Chen DS, Mellman I (2017). Elements of cancer immunity and the cancer-immune set point. Nature "
        "541:321–330.",
        "Kuznetsov VA, Makalkin IA, Taylor MA, Perelson AS (1994). Bull Math Biol 56:295–321.",
        "de Pillis LG, Radunskaya AE, Wiseman CL (2005). Cancer Res 65:7950–7958.",
        "Kirschner D, Panetta JC (1998). J Math Biol 37:235–252.",
        "Brahmer JR et al. (2010). Phase I study of single-agent anti-programmed death-1 (MDX-1106) in "
        "refractory solid tumors. J Clin Oncol 28:3167–3175.",
        "Robert C et al. (2019). Pembrolizumab versus ipilimumab in advanced melanoma (KEYNOTE-006): "
        "post-hoc 5-year results from an open-label, multicentre, randomised, controlled, phase 3 study. "
        "Lancet Oncol 20:1239–1251.",
        "Majzner RG, Mackall CL (2019). Clinical lessons learned from the first leg of the CAR T cell "
        "journey. Nat Med 25:1341–1355.",
        "Hammarlund E et al. (2003). Duration of antiviral immunity after smallpox vaccination. Nat Med "
        "9:1131–1137.",
        "Wherry EJ (2011). T cell exhaustion. Nat Immunol 12:492–499.",
    ),
)
