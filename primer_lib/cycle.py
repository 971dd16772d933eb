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
    dT/dt = a·T·(1 − b·T) − K7 − c_kill(t)·T                       tumor (cells)
    K7    = m7·n·r6·E·T / (1 + s·PDL1·(1 − blockade(t)) + s_ido)     killing (step 7)
    dA/dt = m1·(θ·T + icd(t)·(K7 + c_kill(t)·T)) − c_A·A              antigen (1)
    dD/dt = m2·k2·A/(K_A + A)·(1 − D) − d_D·D                         presenting APCs (2)
    dP/dt = m3·k3·D − (m4·k4 + d)·P                                   primed T cells (3, 4)
    dC/dt = m4·k4·P − (m5·k5 + d)·C                                   T cells at the margin (4, 5)
    dE/dt = m5·k5·C + car(t) − (d + μ·T)·E                           T cells in the tumor bed (5)
    PDL1  = pdl1_constitutive + pdl1_adaptive·E/(E + K_E)             IFN-γ-induced PD-L1
Assumptions
    Growth, kill rate n, effector death d and inactivation μ are those of
    Kuznetsov et al. (1994); the chain of steps 1–5 is the linear-chain form of
    effector recruitment used by de Pillis et al. (2005, 2009) and Kirschner &
    Panetta (1998), split so each step has its own rate. Every other rate has
    no published value: it is illustrative, chosen so that the three phenotypes
    behave as Chen & Mellman (2017) describe, and labelled so in the registry.
Limits
    One tumor, one antigen, one T-cell clone; no Tregs, MDSCs or cytokine
    states (lesson 03 adds resistance); drugs act while given, with no
    pharmacokinetics. The model shows how the steps depend on each other, not
    how any patient will respond.

References: Chen DS, Mellman I (2013) Immunity 39:1–10; Chen DS, Mellman I (2017)
Nature 541:321–330; Kuznetsov VA et al. (1994) Bull Math Biol 56:295–321;
de Pillis LG, Radunskaya AE, Wiseman CL (2005) Cancer Res 65:7950–7958.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy.integrate import odeint

from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_choice, check_int, check_real

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
                     calibrated=source != ILLUSTRATIVE)


_STEP_LABELS = {s.number: s.name for s in STEPS}
#: One or two words per step, for slider labels and chart axes.
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
    unknown = sorted(set(rates) - set(_BY_KEY))
    if unknown:
        raise ValueError(f"rates must be among {sorted(_BY_KEY)}; got unknown {unknown}")
    return replace(CycleRates(), **{**PHENOTYPES[phenotype], **rates})


@dataclass(frozen=True)
class Therapy:
    """A therapy: where it acts in the cycle and what it does to the model's rates.

    ``effects`` are per unit intensity (1 = a standard dose): ``"stepN"`` multiplies
    step N's rate by (1 + v·intensity); ``pd1_blockade`` and ``ido_block`` remove that
    fraction of the suppression; ``direct_kill`` (1/day) kills tumor cells;
    ``icd`` boosts antigen released by killed cells (immunogenic cell death);
    ``lymphodepletion`` (1/day) adds T-cell death; ``growth`` changes the tumor growth
    rate by that fraction; ``car_t`` (cells/day) adds engineered T cells to the tumor
    bed; ``antigen`` (cell-equivalents/day) adds antigen (a vaccine).
    """

    id: str
    name: str
    steps: tuple[int, ...]
    mechanism: str
    effects: Mapping[str, float]


_EFFECTS = ("step1", "step2", "step3", "step4", "step5", "step6", "step7", "pd1_blockade", "inflammation",
            "ido_block", "direct_kill", "icd", "lymphodepletion", "growth", "car_t", "antigen")


def _therapy(id: str, name: str, steps: tuple[int, ...], mechanism: str, **effects: float) -> Therapy:
    return Therapy(id, name, steps, mechanism, effects)


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
             "Engineered T cells that recognise a surface antigen without MHC, given as an infusion.",
             car_t=2e5, step6=0.1),
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
assert all(set(t.effects) <= set(_EFFECTS) for t in THERAPIES.values())


@dataclass(frozen=True)
class Dose:
    """A therapy given at ``intensity`` (1 = standard) from ``start_day`` until ``end_day``."""

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


def as_doses(therapies: Iterable[Any]) -> tuple[Dose, ...]:
    """Read therapy ids, ``(id, intensity, start_day, end_day)`` tuples or :class:`Dose` entries."""
    if isinstance(therapies, str | Dose):
        therapies = (therapies,)
    doses = []
    for entry in therapies:
        if isinstance(entry, Dose):
            doses.append(entry)
        elif isinstance(entry, str):
            doses.append(Dose(entry))
        elif isinstance(entry, tuple | list) and 1 <= len(entry) <= 4:
            doses.append(Dose(*entry))
        else:
            raise TypeError("therapies must be ids, (id, intensity, start_day, end_day) tuples or "
                            f"Dose entries; got {entry!r}")
    return tuple(doses)


STATE_COLUMNS = ("tumor", "antigen", "apc", "primed", "margin", "effector", "inflammation")
#: Per-step activity columns of :func:`simulate_cycle`, steps 1 to 7 in order.
FLUX_COLUMNS = ("release", "presentation", "priming", "trafficking", "infiltration", "recognition",
                "killing")
# Solver tolerances: 1e-5 relative keeps outputs within ~1e-4 of a 1e-8 solve at a third of the cost;
# absolute in cells except the APC fraction.
RTOL = 1e-5
#: Below one tumor cell the tumor is gone (continuous models would regrow it from a fraction).
EXTINCTION_CELLS = 1.0
ATOL = np.array([1e-2, 1e-2, 1e-7, 1e-2, 1e-2, 1e-2, 1e-7])


@dataclass(frozen=True)
class _Drive:
    """Effective rates on one stretch of time with a fixed set of active therapies."""

    m: tuple[float, ...]  # step multipliers m1..m7 (therapies included)
    blockade: float
    ido_left: float
    direct_kill: float
    icd: float
    extra_death: float
    growth_rate: float
    car_t: float
    antigen: float
    inflammation: float


def _drive(rates: CycleRates, doses: tuple[Dose, ...], day: float) -> _Drive:
    m = [getattr(rates, f"step{i}") for i in range(1, 8)]
    total = dict.fromkeys(_EFFECTS, 0.0)
    for dose in doses:
        if dose.active(day):
            for effect, value in THERAPIES[dose.therapy].effects.items():
                total[effect] += value * dose.intensity
    m = [mi * (1.0 + total[f"step{i + 1}"]) for i, mi in enumerate(m)]
    return _Drive(m=tuple(m), blockade=min(1.0, total["pd1_blockade"]),
                  ido_left=max(0.0, 1.0 - total["ido_block"]), direct_kill=total["direct_kill"],
                  icd=1.0 + total["icd"], extra_death=total["lymphodepletion"],
                  growth_rate=rates.growth_rate * max(0.0, 1.0 + total["growth"]),
                  car_t=total["car_t"], antigen=total["antigen"], inflammation=total["inflammation"])


def pdl1_level(effector: np.ndarray | float, rates: CycleRates) -> np.ndarray | float:
    """PDL1 = L0 + L1·E/(E + K_E): constitutive plus IFN-γ-induced (adaptive) PD-L1."""
    return rates.pdl1_constitutive + rates.pdl1_adaptive * effector / (effector + rates.pdl1_half_saturation)


def killing_rate(tumor: Any, effector: Any, rates: CycleRates, drive: _Drive) -> Any:
    """K7 = m7·n·min(1, m6·r6)·E·T / (1 + s·PDL1·(1 − blockade) + s_ido·(1 − ido_block))."""
    recognised = min(1.0, drive.m[5] * rates.recognition)
    return drive.m[6] * rates.kill_rate * recognised * effector * tumor / brake(effector, rates, drive)


def brake(effector: Any, rates: CycleRates, drive: _Drive) -> Any:
    """1 + s·PDL1·(1 − blockade) + s_ido·(1 − ido_block): how much PD-L1 and IDO slow killing."""
    return (1.0 + rates.pdl1_suppression * pdl1_level(effector, rates) * (1.0 - drive.blockade)
            + rates.ido_suppression * drive.ido_left)


def inflammation_boost(inflammation: Any, rates: CycleRates) -> Any:
    """1 + B·I/(1 + I): how much inflammation speeds presentation and priming (saturates at 1 + B)."""
    return 1.0 + rates.inflammation_boost * inflammation / (1.0 + inflammation)


def step_fluxes(state: np.ndarray, rates: CycleRates, drive: _Drive) -> dict[str, Any]:
    """What flows through each step per day (``state`` rows are the states, columns time).

    release (1), presentation (2, APC activation per day), priming (3), trafficking
    (4), infiltration (5) in cells/day; recognition (6) as the recognised fraction;
    killing (7) in tumor cells/day.
    """
    tumor, antigen, apc, primed, margin, effector, inflammation = (np.maximum(row, 0.0) for row in state)
    m1, m2, m3, m4, m5, m6, _ = drive.m
    kill = killing_rate(tumor, effector, rates, drive)
    return {
        "release": m1 * (rates.release_basal * tumor + drive.icd * (kill + drive.direct_kill * tumor)),
        "presentation": m2 * inflammation_boost(inflammation, rates) * rates.presentation * antigen
        / (rates.antigen_half_saturation + antigen) * (1 - apc),
        "priming": m3 * inflammation_boost(inflammation, rates) * rates.priming * apc,
        "trafficking": m4 * rates.trafficking * primed,
        "infiltration": m5 * rates.infiltration * margin,
        "recognition": np.full_like(tumor, min(1.0, m6 * rates.recognition)),
        "killing": kill,
    }


def rhs(_day: float, state: np.ndarray, rates: CycleRates, drive: _Drive) -> list[float]:
    """Right-hand side of the cycle model (see the module's model card for each line).

    Plain floats, not numpy: the solver calls this thousands of times per run.
    """
    tumor, antigen, apc, primed, margin, effector, inflammation = (max(float(v), 0.0) for v in state)
    m1, m2, m3, m4, m5, _, _ = drive.m
    kill = killing_rate(tumor, effector, rates, drive)
    drug_kill = drive.direct_kill * tumor
    d = rates.effector_death + drive.extra_death
    # Inflammation left by immunogenic cell death (DAMPs) activates dendritic cells: it
    # speeds presentation and priming, and outlasts the drug that caused it.
    boost = inflammation_boost(inflammation, rates)
    m2, m3 = m2 * boost, m3 * boost
    return [
        drive.growth_rate * tumor * (1 - rates.capacity_inverse * tumor) - kill - drug_kill,
        m1 * (rates.release_basal * tumor + drive.icd * (kill + drug_kill)) + drive.antigen
        - rates.antigen_clearance * antigen,
        m2 * rates.presentation * antigen / (rates.antigen_half_saturation + antigen) * (1 - apc)
        - rates.apc_decay * apc,
        m3 * rates.priming * apc - (m4 * rates.trafficking + d) * primed,
        m4 * rates.trafficking * primed - (m5 * rates.infiltration + d) * margin,
        m5 * rates.infiltration * margin + drive.car_t - (d + rates.inactivation * tumor) * effector,
        drive.inflammation - rates.inflammation_decay * inflammation,
    ]


def untreated_steady_state(rates: CycleRates) -> np.ndarray:
    """Immune compartments at steady state with the tumor held at its initial size.

    Each line of :func:`rhs` set to zero with T = T0, killing feedback left out
    (the tumor has not yet been attacked hard), solved in order down the chain.
    """
    m1, m2, m3, m4, m5 = (getattr(rates, f"step{i}") for i in range(1, 6))
    t0, d = rates.initial_tumor, rates.effector_death
    antigen = m1 * rates.release_basal * t0 / rates.antigen_clearance
    uptake = m2 * rates.presentation * antigen / (rates.antigen_half_saturation + antigen)
    apc = uptake / (uptake + rates.apc_decay)
    primed = m3 * rates.priming * apc / (m4 * rates.trafficking + d)
    margin = m4 * rates.trafficking * primed / (m5 * rates.infiltration + d)
    effector = m5 * rates.infiltration * margin / (d + rates.inactivation * t0)
    return np.array([t0, antigen, apc, primed, margin, effector, 0.0])


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
        (fraction activated), ``primed``, ``margin``, ``effector`` (cells), ``pdl1``
        (relative), and each step's activity (:data:`FLUX_COLUMNS`, see :func:`step_fluxes`).
    """
    params = phenotype_rates(phenotype, **rates)
    doses = as_doses(therapies)
    days = check_real("days", days, 1.0, 3650.0, "days")
    points = int(days) + 1 if points is None else check_int("points", points, 2, 5000)
    return _solve(params, doses, days, points)


def _integrate(rates: CycleRates, drive: _Drive, state: np.ndarray, start: float, end: float,
               times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """States at ``times`` (within [start, end]) and at ``end``.

    A continuous model would let a tumor of 10^-6 cells grow back: at the first
    output time where the tumor is below EXTINCTION_CELLS it is set to zero
    (eliminated) and integration restarts from there. ``odeint`` (LSODA) is used
    rather than ``solve_ivp`` for its lower per-step overhead (about 2x faster).
    """
    grid = np.unique(np.concatenate(([start], times, [end])))
    values = np.empty((len(grid), len(state)))
    values[0], done = state, 0
    while done < len(grid) - 1:
        part = odeint(rhs, values[done], grid[done:], args=(rates, drive), rtol=RTOL, atol=ATOL,
                      tfirst=True)
        below = np.flatnonzero((part[1:, 0] < EXTINCTION_CELLS) & (part[1:, 0] > 0)) + 1
        stop = int(below[0]) if below.size else len(part) - 1
        values[done:done + stop + 1] = part[:stop + 1]
        done += stop
        if below.size:
            values[done, 0] = 0.0
    keep = np.isin(grid, times)
    return values[keep], values[-1]


def _solve(rates: CycleRates, doses: tuple[Dose, ...], days: float, points: int) -> pd.DataFrame:
    grid = np.linspace(0.0, days, points)
    # Integrate piecewise between therapy switches, so no step straddles one.
    cuts = sorted({0.0, days, *(t for d in doses for t in (d.start_day, d.end_day) if 0 < t < days)})
    state = untreated_steady_state(rates)
    out = np.empty((points, len(STATE_COLUMNS)))
    drives = []
    for start, end in zip(cuts[:-1], cuts[1:], strict=True):
        drive = _drive(rates, doses, start)
        inside = (grid >= start) & ((grid < end) | (end == days))
        out[inside], state = _integrate(rates, drive, state, start, end, grid[inside])
        drives.append((inside, drive))
    out = np.maximum(out, 0.0)
    columns: dict[str, np.ndarray] = {"day": grid}
    columns |= {name: out[:, i] for i, name in enumerate(STATE_COLUMNS)}
    columns["pdl1"] = np.asarray(pdl1_level(out[:, STATE_COLUMNS.index("effector")], rates))
    fluxes = {name: np.zeros(points) for name in FLUX_COLUMNS}
    for inside, drive in drives:
        for name, values in step_fluxes(out[inside].T, rates, drive).items():
            fluxes[name][inside] = values
    frame = pd.DataFrame(columns | fluxes)
    return frame


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
    drive = _drive(params, as_doses(therapies), 0.0)
    base = CycleRates()
    keys = ("release_basal", "presentation", "priming", "trafficking", "infiltration")
    efficiency = {i + 1: drive.m[i] * getattr(params, key) / getattr(base, key)
                  for i, key in enumerate(keys)}
    efficiency[6] = min(1.0, drive.m[5] * params.recognition)
    effector = untreated_steady_state(params)[STATE_COLUMNS.index("effector")]
    efficiency[7] = drive.m[6] / float(brake(effector, params, drive))
    return efficiency


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
          "steps after it, and where each therapy acts; the three tumor phenotypes are rate sets.",
    equations=(
        "dT/dt = a·T·(1 − b·T) − K7 − c_kill·T",
        "K7 = m7·n·min(1, m6·r6)·E·T / (1 + s·PDL1·(1 − blockade) + s_ido·(1 − ido_block))",
        "dA/dt = m1·(θ·T + icd·(K7 + c_kill·T)) − c_A·A",
        "dD/dt = m2·k2·A/(K_A + A)·(1 − D) − d_D·D",
        "dP/dt = m3·k3·D − (m4·k4 + d)·P",
        "dC/dt = m4·k4·P − (m5·k5 + d)·C",
        "dE/dt = m5·k5·C + car − (d + μ·T)·E",
        "PDL1 = L0 + L1·E/(E + K_E)",
    ),
    assumptions=(
        "Tumor growth, kill rate, T-cell death and inactivation are Kuznetsov et al. (1994)'s values.",
        "Steps 1–5 form a linear chain of compartments (as effector recruitment in de Pillis 2005/2009 "
        "and Kirschner & Panetta 1998), one rate per step.",
        "PD-L1 is induced by the T cells' own IFN-γ (adaptive resistance) on top of a constitutive level.",
        "Therapies act only while given and multiply the rates of their steps; effect sizes are "
        "illustrative.",
        "The immune compartments start at their untreated steady state for the initial tumor.",
    ),
    limits=(
        "Illustrative rates: the model shows mechanisms and their order, not response rates.",
        "One antigen and one T-cell clone; no Tregs, MDSCs, cytokines or resistance clones (lesson 03).",
        "No pharmacokinetics, toxicity or tumor heterogeneity.",
    ),
    references=(
        "Chen DS, Mellman I (2013). Oncology meets immunology: the cancer-immunity cycle. Immunity "
        "39:1–10. doi:10.1016/j.immuni.2013.07.012",
        "Chen DS, Mellman I (2017). Elements of cancer immunity and the cancer-immune set point. Nature "
        "541:321–330.",
        "Kuznetsov VA, Makalkin IA, Taylor MA, Perelson AS (1994). Bull Math Biol 56:295–321.",
        "de Pillis LG, Radunskaya AE, Wiseman CL (2005). Cancer Res 65:7950–7958.",
        "Kirschner D, Panetta JC (1998). J Math Biol 37:235–252.",
    ),
)

