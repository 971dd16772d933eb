"""Capstone (lesson 06 part B): design a trial for a cold tumor, run it on every model of the course.

Model card
----------
Shows
    One seeded pipeline from a trial design to its results. Patients are screened
    from lesson 04's virtual cohort (:func:`primer_lib.biomarkers.virtual_cohort`)
    in a cold tumor type (few inflamed tumors), enrolled when they meet the chosen
    biomarker rule, and randomised 1:1 to two arms. Each patient's biomarkers set
    the rates of lesson 01's cancer-immunity cycle (:mod:`primer_lib.cycle`), some
    carry lesson 03's B2M-loss clone (:mod:`primer_lib.resistance`); each arm's
    doses (lessons 02 and 03) are given and the whole arm is solved at once as one
    ODE system. Scans every 6 weeks turn tumor cells and immune infiltrate into a
    sum of diameters, read by RECIST 1.1 and iRECIST (lesson 05, :mod:`primer_lib.response`).
    The trial reports response rates by both criteria, Kaplan–Meier progression-free
    survival, the irAE proxy of lesson 02 (:func:`primer_lib.schedules.irae_risk`) and
    how many patients RECIST 1.1 would have taken off a treatment that was working.
Biomarkers -> rates (per patient; every constant is a ``capstone.*`` parameter)
    phenotype    -> presentation, priming, infiltration: the cycle's presets (PHENOTYPES)
    TMB          -> recognition r6 = 1 − exp(−TMB/K), K = 6.03 mut/Mb (lesson 04's fitted K:
                    the chance that T cells see at least one neoantigen); saturating
    PD-L1 TPS    -> constitutive PD-L1 L0 = λ·TPS/100 (replaces the phenotype's L0);
                    the cycle adds IFN-γ-induced PD-L1 on top
    IFN-γ score  -> priming × exp(β·(score − mean score of the patient's phenotype)):
                    more or less inflamed than the phenotype's average
    (seeded)     -> growth rate a·exp(σ·N(0, 1)); with probability p a pre-existing
                    B2M-loss clone (fraction f, growth g, never recognised by T cells)
Imaging
    Apparent volume V = T + w·E (tumor cells plus w cell-volumes of infiltrate per T cell
    in the tumor bed); target sum = 60 mm · (V/V(0))^(1/3); a lesion whose tumor is
    eliminated has disappeared (0 mm); one still present but under 5 mm is recorded as
    5 mm (RECIST 1.1's "too small to measure"); plus N(0, 1 mm) noise, rounded to 1 mm.
    While tumor cells exceed 2 × baseline, each scan finds one more new lesion (10 mm
    each); they regress when the tumor falls below.
Limits
    Responses come from the mechanistic model, not from lesson 04's statistical draw:
    the rates are illustrative and time runs fast (mouse-derived growth and kill
    rates), so the numbers show how design choices act, not what a real trial would find.

References: Chen & Mellman 2013/2017; Voorwerk 2019 (TONIC); Eisenhauer 2009 (RECIST 1.1);
Seymour 2017 (iRECIST); Zaretsky 2016; Larkin 2015 (CheckMate 067); Kaplan & Meier 1958.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from primer_lib import biomarkers, cycle, resistance, response, schedules
from primer_lib.cycle import PHENOTYPES, Course, CycleRates, Treatment, as_doses, untreated_steady_state
from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_array, check_choice, check_int, check_real, check_record

__all__ = [
    "ILLUSTRATIVE", "EISENHAUER_2009", "N_PATIENTS", "COHORT_SIZE", "INFLAMED_SHARE", "RECOGNITION_TMB",
    "PDL1_PER_TPS", "IFNG_PRIMING", "GROWTH_SD", "CLONE_PREVALENCE", "CLONE_FRACTION", "INFILTRATE_VOLUME",
    "NEW_LESION_FACTOR", "NEW_LESION_MM", "TOO_SMALL_MM", "FOLLOW_UP", "PARAMETERS", "BASELINE_MM",
    "NOISE_MM", "CLONE_GROWTH", "Selection", "SELECTIONS", "Arm", "ARMS", "DEFAULT_ARMS",
    "screened_population", "eligible_count", "enrol", "patient_rates", "STATE_COLUMNS", "CHUNK_DAYS",
    "Courses",
    "simulate_patients", "scan_days", "target_sums", "new_lesions", "assessments",
    "irecist_progression_index", "kaplan_meier", "restricted_mean", "median_survival", "RESPONSES_RECIST",
    "RESPONSES_IRECIST", "SUMMARY_COLUMNS", "TrialResult", "run_trial", "lesson04_rate", "design_preview",
    "MODEL_CARD",
]

ILLUSTRATIVE = "Illustrative"
EISENHAUER_2009 = response.EISENHAUER_2009


def _p(key: str, label: str, symbol: str, default: float, unit: str, low: float, high: float,
       step: float, meaning: str, source: str) -> Parameter:
    return Parameter(f"capstone.{key}", label, symbol, default, unit, low, high, step, meaning, source,
                     calibrated=not source.startswith(ILLUSTRATIVE))


def _resistance_default(key: str) -> float:
    return next(p.default for p in resistance.PARAMETERS if p.key == key)


N_PATIENTS = _p("n_patients", "Patients enrolled", "N", 240.0, "patients", 40.0, 480.0, 20.0,
                "Patients enrolled in the trial, randomised 1:1 to the two arms",
                "Illustrative: enough for two arms of 120; a small phase II trial")
COHORT_SIZE = _p("cohort_size", "Patients screened", "n_s", 20_000.0, "patients", 2_000.0, 200_000.0, 1000.0,
                 "Size of the virtual cohort (lesson 04) from which the trial screens patients",
                 "Illustrative: large enough that every selection rule fills 480 places")
INFLAMED_SHARE = _p("inflamed_acceptance", "Inflamed tumors kept", "q", 0.25, "fraction", 0.0, 1.0, 0.05,
                    "Share of lesson 04's inflamed tumors that belong to the cold tumor type of the trial "
                    "(desert and excluded tumors are all kept), so about 12% of the screened are inflamed",
                    "Illustrative: a cold tumor type (for example microsatellite-stable colorectal "
                    "cancer) has few inflamed tumors")
RECOGNITION_TMB = _p("recognition_tmb", "TMB scale of recognition", "K",
                     biomarkers.RESPONSE_MODEL.recognition_tmb, "mut/Mb", 0.5, 50.0, 0.01,
                     "Recognition r6 = 1 − exp(−TMB/K): the chance T cells see at least one neoantigen "
                     "when recognised neoantigens are Poisson with mean TMB/K",
                     "Illustrative: lesson 04's fitted K (biomarkers.RESPONSE_MODEL), reused as a "
                     "recognition scale")
PDL1_PER_TPS = _p("pdl1_per_tps", "Constitutive PD-L1 at TPS 100%", "λ", 1.0, "relative", 0.0, 5.0, 0.05,
                  "Constitutive PD-L1 L0 = λ·TPS/100 (the cycle's inflamed tumor has L0 = 0.2, TPS 20%)",
                  "Illustrative: scaled so TPS 20% gives the cycle's default L0")
IFNG_PRIMING = _p("ifng_priming", "IFN-γ effect on priming", "β", 1.5, "per SD", 0.0, 3.0, 0.05,
                  "Priming × exp(β·(IFN-γ score − mean score of the patient's phenotype)): a T-cell-inflamed "
                  "signature marks a tumor that primes more T cells than its phenotype's average",
                  "Illustrative: chosen so that in all comers the mechanistic anti-PD-1 response rate "
                  "(about 10%) is near lesson 04's expected rate for the same patients (about 15%)")
GROWTH_SD = _p("growth_sd", "Spread of growth rates", "σ_a", 0.2, "log-SD", 0.0, 1.0, 0.05,
               "Each patient's tumor growth rate is the cycle's a = 0.18/day × exp(σ_a·N(0, 1))",
               "Illustrative: tumors differ in how fast they grow")
CLONE_PREVALENCE = _p("clone_prevalence", "Patients with a B2M-loss clone", "p_R", 0.15, "fraction", 0.0, 1.0,
                      0.01, "Share of patients whose tumor holds a pre-existing B2M-loss clone at day 0 "
                      "(lesson 03's acquired resistance)",
                      "Illustrative: Zaretsky 2016 found B2M or JAK1/2 loss at relapse; how often a clone "
                      "exists before treatment is not known")
CLONE_FRACTION = _p("clone_fraction", "Initial clone fraction", "f",
                    _resistance_default("resistant_fraction"), "fraction", 0.0, 0.5, 1e-6,
                    "Share of tumor cells in the clone at day 0, when the patient has one",
                    "Illustrative: lesson 03's default (resistance.resistant_fraction)")
INFILTRATE_VOLUME = _p("infiltrate_volume", "Infiltrate per T cell", "w", 10.0, "cell volumes", 0.0, 100.0,
                       0.5, "Apparent volume each T cell in the tumor bed adds to a lesion (infiltrate, "
                       "edema), in tumor-cell volumes: the source of pseudoprogression",
                       "Illustrative: chosen so a few patients swell on a scan before they respond")
NEW_LESION_FACTOR = _p("new_lesion_factor", "New-lesion threshold", "θ_N", 2.0, "× baseline cells", 1.0,
                       10.0, 0.1, "While tumor cells exceed this multiple of baseline, each scan finds one "
                       "more new lesion (metastatic spread from a growing tumor)",
                       "Illustrative: no published value")
NEW_LESION_MM = _p("new_lesion_mm", "New-lesion diameter", "d_N", 10.0, "mm", 0.0, 50.0, 1.0,
                   "Diameter of each new lesion (measurable: at least 10 mm)",
                   "Illustrative: RECIST 1.1 measures lesions of at least 10 mm")
TOO_SMALL_MM = _p("too_small_mm", "Too small to measure", "d_min", 5.0, "mm", 0.0, 10.0, 1.0,
                  "A lesion still present but too small to measure is recorded at this size",
                  EISENHAUER_2009 + ": a default of 5 mm for lesions too small to measure")
FOLLOW_UP = _p("follow_up_days", "Follow-up", "t_end", 364.0, "days", 84.0, 1092.0, 7.0,
               "Days from randomisation to the end of follow-up (patients without progression are "
               "censored at their last scan)", "Illustrative: one year")

PARAMETERS: tuple[Parameter, ...] = (N_PATIENTS, COHORT_SIZE, INFLAMED_SHARE, RECOGNITION_TMB, PDL1_PER_TPS,
                                     IFNG_PRIMING, GROWTH_SD, CLONE_PREVALENCE, CLONE_FRACTION,
                                     INFILTRATE_VOLUME, NEW_LESION_FACTOR, NEW_LESION_MM, TOO_SMALL_MM,
                                     FOLLOW_UP)

BASELINE_MM = response.BASELINE_SUM.default
NOISE_MM = response.NOISE.default
CLONE_GROWTH = _resistance_default("clone_growth")


# --- Design choices -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """An enrolment rule: patients with ``marker >= cutoff`` (``marker`` None: everybody)."""

    id: str
    label: str
    marker: str | None
    cutoff: float | None

    def __post_init__(self) -> None:
        check_record(self)
        if self.marker is None:
            if self.cutoff is not None:
                raise ValueError(f"cutoff must be None when marker is None (everybody); got {self.cutoff!r}")
            return
        check_choice("marker", self.marker, biomarkers.MARKERS)
        if self.cutoff is not None:
            record = biomarkers.MARKERS[self.marker].cutoff
            if record is None:
                raise ValueError(f"cutoff must be None for the yes/no marker {self.marker}; "
                                 f"got {self.cutoff!r}")
            check_real("cutoff", self.cutoff, record.minimum, record.maximum, record.unit)

    def mask(self, cohort: pd.DataFrame) -> np.ndarray:
        """True for the patients of ``cohort`` the rule enrols."""
        if self.marker is None:
            return np.ones(len(cohort), dtype=bool)
        values = cohort[self.marker].to_numpy(dtype=float)
        return values >= (1.0 if self.cutoff is None else self.cutoff)


def _rule(id: str, marker: str | None, cutoff: float | None, label: str = "") -> Selection:
    if marker is None:
        return Selection(id, label or "All comers", None, None)
    return Selection(id, label or biomarkers.MARKERS[marker].format_cutoff(cutoff or 1.0), marker, cutoff)


#: Enrolment rules, with lesson 04's cutoffs.
SELECTIONS: Mapping[str, Selection] = MappingProxyType({s.id: s for s in (
    _rule("all", None, None),
    _rule("pdl1>=1", "pdl1_tps", 1.0, "PD-L1 positive (TPS ≥ 1%)"),
    _rule("pdl1>=50", "pdl1_tps", biomarkers.PDL1_CUTOFF.default),
    _rule("tmb>=10", "tmb", biomarkers.TMB_CUTOFF.default),
    _rule("composite", "composite", biomarkers.COMPOSITE_CUTOFF.default,
          f"Composite TMB + IFN-γ ≥ {biomarkers.COMPOSITE_CUTOFF.default:g} SD"),
    _rule("ifng", "ifng_score", biomarkers.IFNG_CUTOFF.default),
    _rule("msi-high", "msi_high", None, "MSI-high"),
)})


@dataclass(frozen=True)
class Arm:
    """A treatment arm: its doses on the cycle model (days from randomisation) and where they come from."""

    id: str
    doses: tuple[Treatment, ...]
    note: str

    def __post_init__(self) -> None:
        check_record(self)


_TONIC = schedules.TRIAL_ARMS["TONIC"]
#: The arms a trial can compare. Doses follow lessons 02 and 03; the schedules are illustrative.
ARMS: Mapping[str, Arm] = MappingProxyType({a.id: a for a in (
    Arm("anti-PD-1", _TONIC["no induction"], "Anti-PD-1 every 3 weeks from day 0 (monotherapy)."),
    Arm("anti-PD-1 + anti-CTLA-4", (Course("anti-PD-1"), Course("anti-CTLA-4")),
        "Anti-PD-1 every 3 weeks with four doses of anti-CTLA-4 every 3 weeks (as in CheckMate 067)."),
    Arm("induction + anti-PD-1", _TONIC["chemotherapy induction"],
        "Two weekly doses of immunogenic chemotherapy, then anti-PD-1 (TONIC's doxorubicin induction)."),
    Arm("radiation induction + anti-PD-1", _TONIC["irradiation induction"],
        "Three fractions of radiation over 2 weeks, then anti-PD-1 (TONIC's irradiation induction)."),
    Arm("chemotherapy + anti-PD-1", (Course("chemotherapy", doses=4), Course("anti-PD-1")),
        "Four 3-weekly cycles of chemotherapy with anti-PD-1 from day 0 (chemo-immunotherapy)."),
    Arm("anti-VEGF + anti-PD-1", (Course("anti-VEGF"), Course("anti-PD-1")),
        "Anti-VEGF and anti-PD-1, each every 3 weeks: opens the vessels of excluded tumors (lesson 03)."),
    Arm("chemotherapy", (Course("chemotherapy"),),
        "Six 3-weekly cycles of chemotherapy alone (the usual control arm)."),
)})
DEFAULT_ARMS: tuple[str, str] = ("anti-PD-1", "induction + anti-PD-1")


# --- The screened population and enrolment --------------------------------------------------------------

@functools.lru_cache(maxsize=8)
def _screened(seed: int, size: int) -> pd.DataFrame:
    """Lesson 04's cohort restricted to the cold tumor type, in a seeded order of screening."""
    cohort = biomarkers.virtual_cohort(size, seed)
    rng = np.random.default_rng([seed, 1])
    kept = rng.random(size)
    order = rng.permutation(size)
    cohort = cohort.assign(screened=kept < np.where(cohort["phenotype"] == "inflamed",
                                                    INFLAMED_SHARE.default, 1.0))
    cohort = cohort.iloc[order].reset_index(drop=True)
    cohort.insert(0, "cohort_id", order)
    return cohort


def screened_population(seed: int = 0) -> pd.DataFrame:
    """The cold tumor type's patients from lesson 04's cohort (seeded), in order of screening.

    Columns of :func:`primer_lib.biomarkers.virtual_cohort` plus ``cohort_id``;
    inflamed tumors are kept with probability ``capstone.inflamed_acceptance``.
    """
    return _population(check_int("seed", seed, 0, 2**32 - 1)).copy()


@functools.lru_cache(maxsize=8)
def _population(seed: int) -> pd.DataFrame:
    # Shared and read-only: enrolment and previews filter it on every control move.
    cohort = _screened(seed, int(COHORT_SIZE.default))
    return cohort[cohort["screened"]].drop(columns="screened").reset_index(drop=True)


@functools.lru_cache(maxsize=64)
def _eligible(selection: str, seed: int) -> pd.DataFrame:
    population = _population(seed)
    return population[SELECTIONS[selection].mask(population)]


def eligible_count(selection: str = "all", seed: int = 0) -> int:
    """How many screened patients meet ``selection`` (a key of :data:`SELECTIONS`)."""
    check_choice("selection", selection, SELECTIONS)
    return len(_eligible(selection, check_int("seed", seed, 0, 2**32 - 1)))


def enrol(selection: str = "all", arms: Sequence[str] = DEFAULT_ARMS, n_patients: int = 240,
          seed: int = 0) -> pd.DataFrame:
    """The first ``n_patients`` screened patients meeting ``selection``, randomised 1:1 to ``arms``.

    Randomisation is a seeded permutation: exactly half of the patients (the larger
    half to the first arm when ``n_patients`` is odd) go to each arm. Columns: ``id``
    (1..n in order of enrolment), ``arm``, the biomarkers, ``phenotype`` and
    ``lesson04_probability`` (lesson 04's response probability on anti-PD-1).
    """
    rule = SELECTIONS[check_choice("selection", selection, SELECTIONS)]
    first, second = _check_arms(arms)
    n_patients = check_int("n_patients", n_patients, int(N_PATIENTS.minimum), int(N_PATIENTS.maximum))
    seed = check_int("seed", seed, 0, 2**32 - 1)
    eligible = _eligible(rule.id, seed)
    if len(eligible) < n_patients:
        raise ValueError(f"n_patients must be at most {len(eligible)} for selection {selection!r} "
                         f"(eligible patients screened); got {n_patients}")
    chosen = eligible.iloc[:n_patients].reset_index(drop=True)
    assignment = np.random.default_rng([seed, 2]).permutation(n_patients) < (n_patients + 1) // 2
    frame = chosen.rename(columns={"response_probability": "lesson04_probability"}).drop(columns="responder")
    frame.insert(0, "arm", np.where(assignment, first, second))
    frame.insert(0, "id", np.arange(1, n_patients + 1))
    return frame


def _check_arms(arms: Any) -> tuple[str, str]:
    if isinstance(arms, str) or not isinstance(arms, Sequence) or len(arms) != 2:
        raise TypeError(f"arms must be a pair of arm ids from {tuple(ARMS)}; got {arms!r}")
    first, second = (check_choice("arms", a, ARMS) for a in arms)
    if first == second:
        raise ValueError(f"arms must be two different arms; got {first!r} twice")
    return first, second


# --- Biomarkers -> rates ---------------------------------------------------------------------------------

@functools.lru_cache(maxsize=8)
def _phenotype_ifng_means(seed: int) -> Mapping[str, float]:
    population = _population(seed)
    means = population.groupby("phenotype")["ifng_score"].mean()
    return MappingProxyType({str(k): float(v) for k, v in means.items()})


def patient_rates(patients: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """Each patient's cycle rates and resistance traits from their biomarkers (see the model card).

    ``patients`` is :func:`enrol` output (``id``, ``cohort_id``, ``tmb``, ``pdl1_tps``,
    ``ifng_score``, ``phenotype``). Returns ``id`` and the columns ``growth_rate``,
    ``presentation``, ``priming``, ``infiltration``, ``recognition``,
    ``pdl1_constitutive`` (fields of :class:`~primer_lib.cycle.CycleRates`) and
    ``clone_fraction``. The seeded traits (growth rate, clone) are drawn once per
    screened patient (``cohort_id``), so a patient keeps them in any trial of that seed.
    """
    seed = check_int("seed", seed, 0, 2**32 - 1)
    needed = {"id", "cohort_id", "tmb", "pdl1_tps", "ifng_score", "phenotype"}
    if not isinstance(patients, pd.DataFrame) or not needed <= set(patients.columns):
        raise ValueError(f"patients must be enrol() output with columns {sorted(needed)}")
    base = CycleRates()
    phenotype = patients["phenotype"].to_numpy()
    columns: dict[str, np.ndarray] = {}
    for key in ("presentation", "priming", "infiltration"):
        default = float(getattr(base, key))
        columns[key] = np.array([float(PHENOTYPES[p].get(key, default)) for p in phenotype])
    means = _phenotype_ifng_means(seed)
    centred = patients["ifng_score"].to_numpy(dtype=float) - np.array([means[p] for p in phenotype])
    columns["priming"] = np.clip(columns["priming"] * np.exp(IFNG_PRIMING.default * centred), 0.0, 1e8)
    columns["recognition"] = -np.expm1(-patients["tmb"].to_numpy(dtype=float) / RECOGNITION_TMB.default)
    columns["pdl1_constitutive"] = PDL1_PER_TPS.default * patients["pdl1_tps"].to_numpy(dtype=float) / 100.0
    # Traits of each screened patient, drawn once from the seed (the same patient keeps them in any trial).
    ids = patients["cohort_id"].to_numpy()
    traits = np.random.default_rng([seed, 3])
    size = int(COHORT_SIZE.default)
    growth_z, clone_u = traits.standard_normal(size), traits.random(size)
    columns["growth_rate"] = np.clip(base.growth_rate * np.exp(GROWTH_SD.default * growth_z[ids]), 0.01, 0.5)
    columns["clone_fraction"] = np.where(clone_u[ids] < CLONE_PREVALENCE.default, CLONE_FRACTION.default, 0.0)
    order = ("growth_rate", "presentation", "priming", "infiltration", "recognition", "pdl1_constitutive",
             "clone_fraction")
    return pd.DataFrame({"id": patients["id"].to_numpy(), **{k: columns[k] for k in order}})


# --- The vectorised solver ---------------------------------------------------------------------------------

#: Per patient: the cycle's states (``tumor`` is the sensitive part S), then the B2M-loss clone R.
STATE_COLUMNS = (*cycle.STATES, *resistance.CloneTerms.states)
#: Output days integrated per call of the solver for many patients: a restart after one patient's
#: extinction re-integrates every patient at most this far (a week: ~30% faster than four weeks,
#: as each re-integration of the whole cohort costs more than a new call's warm-up).
CHUNK_DAYS = 7


@dataclass(frozen=True)
class Courses:
    """Daily states of many patients: ``states[i, t, k]`` is patient i, day ``days[t]``, state k."""

    days: np.ndarray
    states: np.ndarray

    def __post_init__(self) -> None:
        check_record(self)

    @property
    def tumor(self) -> np.ndarray:
        """Tumor cells S + R (patients × days)."""
        return np.asarray(self.states[:, :, STATE_COLUMNS.index("tumor")]
                          + self.states[:, :, STATE_COLUMNS.index("resistant")])

    @property
    def effector(self) -> np.ndarray:
        """T cells in the tumor bed (patients × days)."""
        return np.asarray(self.states[:, :, STATE_COLUMNS.index("effector")])


def simulate_patients(rates: Sequence[CycleRates], therapies: Iterable[Any] = (), days: float = 364,
                      clone_fractions: Sequence[float] | np.ndarray | None = None,
                      clone_growth: float = CLONE_GROWTH) -> Courses:
    """Every patient of an arm on the same doses, solved together as one ODE system.

    Parameters
    ----------
    rates : sequence of CycleRates
        One per patient.
    therapies : iterable
        As :func:`primer_lib.cycle.simulate_cycle` (ids, tuples or Dose entries), the
        same for every patient.
    days : float
        Length of the run in [1, 3650] days; one output per day (day 0 included).
    clone_fractions : sequence of float, optional
        Each patient's initial B2M-loss clone as a fraction of the tumor (default none).
    clone_growth : float
        The clone's growth rate (1/day), scaled by any therapy's growth effect.

    The cycle's engine (:func:`primer_lib.cycle.solve`) with lesson 03's clone
    (:class:`primer_lib.resistance.CloneTerms`), all patients at once: the immune
    states start at :func:`primer_lib.cycle.untreated_steady_state`, and a patient
    whose S or R falls below one cell loses it (the cycle's extinction rule).
    """
    table = cycle.RateTable(rates)
    doses = as_doses(therapies)
    days = check_real("days", days, 1.0, 3650.0, "days")
    try:
        fractions = (np.zeros(table.n) if clone_fractions is None
                     else np.asarray(clone_fractions, dtype=float).reshape(-1))
    except (TypeError, ValueError):
        raise TypeError(f"clone_fractions must be numbers in [0, 0.5], one per patient ({table.n}); "
                        f"got {type(clone_fractions).__name__}") from None
    if fractions.shape != (table.n,) or not ((fractions >= 0) & (fractions <= 0.5)).all():
        raise ValueError(f"clone_fractions must hold one value in [0, 0.5] per patient ({table.n}); "
                         f"got {np.asarray(clone_fractions).tolist()!r}")
    terms = resistance.CloneTerms(clone_growth)
    immune = untreated_steady_state(table)
    initial = np.vstack([(1.0 - fractions) * immune[0], immune[1:], fractions * immune[0]])
    grid = np.linspace(0.0, days, int(days) + 1)
    # One patient restarts alone after an extinction: chunks would only add solver warm-ups.
    chunk = CHUNK_DAYS if table.n > 1 else None
    solution = cycle.solve(table, doses, initial, grid, terms, chunk_days=chunk)
    return Courses(days=grid, states=solution.states.transpose(2, 0, 1))


# --- Imaging and response ----------------------------------------------------------------------------------

def scan_days(days: float = FOLLOW_UP.default, interval_weeks: float = 6.0) -> np.ndarray:
    """Scan days: baseline (0) and every ``interval_weeks`` (in [1, 52]) until ``days`` (in [1, 3650])."""
    days = check_real("days", days, 1.0, 3650.0, "days")
    interval_weeks = check_real("interval_weeks", interval_weeks, 1.0, 52.0, "weeks")
    return np.arange(0.0, days + 1e-9, 7.0 * interval_weeks)


def _cells_by_scan(name: str, value: Any) -> np.ndarray:
    cells = check_array(name, value, 0.0, 1e15, "cells")
    if cells.ndim != 2 or cells.shape[1] < 1:
        raise ValueError(f"{name} must be (patients × scans) cell counts, baseline first; "
                         f"got shape {cells.shape}")
    return cells


def target_sums(tumor: np.ndarray, effector: np.ndarray,
                rng: np.random.Generator | None = None) -> np.ndarray:
    """Sum of target-lesion diameters (mm) from tumor cells and T cells in the tumor bed.

    ``tumor`` and ``effector`` are (patients × scans), baseline first. V = T + w·E;
    sum = 60 mm · (V / V_baseline)^(1/3); 0 mm where the tumor is eliminated; at least
    5 mm ("too small to measure") where it is not; with ``rng``, N(0, 1 mm) noise
    added and the result rounded to whole mm (kept within 5 mm and up while tumor remains).
    Cells in [0, 1e15]; every baseline tumor must be > 0.
    """
    tumor, effector = _cells_by_scan("tumor", tumor), _cells_by_scan("effector", effector)
    if effector.shape != tumor.shape:
        raise ValueError(f"effector must have tumor's shape {tumor.shape}; got {effector.shape}")
    if not (tumor[:, 0] > 0).all():
        raise ValueError("tumor must be > 0 at baseline (the first scan) for every patient")
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng) or None; "
                        f"got {type(rng).__name__}")
    volume = tumor + INFILTRATE_VOLUME.default * effector
    sums = BASELINE_MM * np.cbrt(volume / volume[:, :1])
    present = tumor > 0
    if rng is not None:
        sums = np.round(sums + rng.normal(0.0, NOISE_MM, sums.shape))
    return np.where(present, np.maximum(sums, TOO_SMALL_MM.default), 0.0)


def new_lesions(tumor: np.ndarray) -> np.ndarray:
    """New lesions at each scan: one more per scan while tumor cells exceed θ_N × baseline.

    ``tumor`` is (patients × scans) cells in [0, 1e15], baseline first.
    """
    tumor = _cells_by_scan("tumor", tumor)
    above = tumor >= NEW_LESION_FACTOR.default * tumor[:, :1]
    counts = np.zeros(tumor.shape, dtype=np.int64)
    for j in range(1, tumor.shape[1]):
        counts[:, j] = np.where(above[:, j], counts[:, j - 1] + 1, 0)
    return counts


def assessments(weeks: Sequence[float] | np.ndarray, sums: Sequence[float] | np.ndarray,
                lesions: Sequence[int] | np.ndarray) -> list[response.Assessment]:
    """One patient's scans as :class:`~primer_lib.response.Assessment` (all disease in target lesions)."""
    weeks_ = check_array("weeks", weeks, 0.0, 520.0, "weeks")
    sums_ = check_array("sums", sums, 0.0, 5000.0, "mm")
    counts = check_array("lesions", lesions, 0.0, 100.0, "new lesions")
    if not weeks_.ndim == sums_.ndim == counts.ndim == 1 or not len(weeks_) == len(sums_) == len(counts):
        raise ValueError("weeks, sums and lesions must be 1-D of one length; got shapes "
                         f"{weeks_.shape}, {sums_.shape} and {counts.shape}")
    if (counts != np.round(counts)).any():
        raise ValueError("lesions must be whole numbers of new lesions")
    return [response.Assessment(float(w), float(s), "absent", NEW_LESION_MM.default * int(k), int(k))
            for w, s, k in zip(weeks_, sums_, counts, strict=True)]


def irecist_progression_index(categories: Sequence[str]) -> int | None:
    """Index of the iUPD that was later confirmed (the run of iUPDs ending in the first iCPD); None if none.

    Its scan date is the date of progression under iRECIST (the EORTC iRECIST FAQ
    dates progression at the iUPD that is confirmed as iCPD). ``categories`` are
    :data:`primer_lib.response.IRECIST_CATEGORIES`, one per follow-up scan.
    """
    if isinstance(categories, str) or not isinstance(categories, Sequence):
        raise TypeError(f"categories must be a list of iRECIST categories {response.IRECIST_CATEGORIES}; "
                        f"got {type(categories).__name__} {categories!r:.40}")
    labels = [check_choice(f"categories[{i}]", c, response.IRECIST_CATEGORIES)
              for i, c in enumerate(categories)]
    if "iCPD" not in labels:
        return None
    i = labels.index("iCPD")
    while i > 0 and labels[i - 1] == "iUPD":
        i -= 1
    return i


# --- Kaplan–Meier ------------------------------------------------------------------------------------------

def kaplan_meier(times: Sequence[float] | np.ndarray,
                 events: Sequence[bool] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Kaplan–Meier estimate of survival, as a step function.

    ``times`` are each patient's time to the event or to censoring; ``events`` is
    True for an event, False for censoring. At each distinct event time t_j,
    S(t_j) = S(t_j−) · (1 − d_j / n_j), with d_j events at t_j and n_j patients still
    at risk (time ≥ t_j: censored at t_j counts as at risk). Returns ``(t, S)``: t
    starts at 0 (S = 1), then every distinct event time, then the largest time if it
    is a censoring after the last event (so the curve reaches the end of follow-up).
    """
    t = check_array("times", times, 0.0, 1e6, "days").reshape(-1)
    e = np.asarray(events)
    if isinstance(events, str | bytes) or e.dtype.kind != "b":
        raise TypeError(f"events must be True (event) or False (censored), one per time; got {events!r:.40}")
    e = e.reshape(-1)
    if t.shape != e.shape or t.size == 0:
        raise ValueError(f"times and events must be the same non-empty length; got {t.size} and {e.size}")
    event_times = np.unique(t[e])
    at_risk = t.size - np.searchsorted(np.sort(t), event_times, side="left")
    deaths = np.array([np.count_nonzero(e & (t == x)) for x in event_times])
    survival = np.cumprod(1.0 - deaths / at_risk)
    steps_t, steps_s = np.r_[0.0, event_times], np.r_[1.0, survival]
    if event_times.size and steps_t[0] == steps_t[1]:  # events at time 0
        steps_t, steps_s = steps_t[1:], steps_s[1:]
    last = float(t.max())
    if last > steps_t[-1]:
        steps_t, steps_s = np.r_[steps_t, last], np.r_[steps_s, steps_s[-1]]
    return steps_t, steps_s


def restricted_mean(t: np.ndarray, s: np.ndarray) -> float:
    """Area under a Kaplan–Meier step curve up to its last time: the restricted mean time to the event."""
    t, s = _step_curve(t, s)
    return float(np.sum(np.diff(t) * s[:-1]))


def median_survival(t: np.ndarray, s: np.ndarray) -> float:
    """First time the Kaplan–Meier curve is at or below 0.5; NaN if it never is (not reached)."""
    t, s = _step_curve(t, s)
    below = np.flatnonzero(s <= 0.5)
    return float(t[below[0]]) if below.size else math.nan


def _step_curve(t: Any, s: Any) -> tuple[np.ndarray, np.ndarray]:
    """(t, S) of :func:`kaplan_meier`, checked: times rising from ≥ 0, S in [0, 1] falling."""
    t, s = check_array("t", t, 0.0, 1e6, "days"), check_array("s", s, 0.0, 1.0)
    if t.ndim != 1 or t.shape != s.shape or t.size == 0:
        raise ValueError(f"t and s must be 1-D of one non-empty length (a kaplan_meier curve); "
                         f"got shapes {t.shape} and {s.shape}")
    if (np.diff(t) < 0).any() or (np.diff(s) > 0).any():
        raise ValueError("t must rise and s must fall along the curve (a kaplan_meier curve)")
    return t, s


# --- The trial ----------------------------------------------------------------------------------------------

RESPONSES_RECIST = ("CR", "PR")
RESPONSES_IRECIST = ("iCR", "iPR")
SUMMARY_COLUMNS = ("arm", "n", "response_rate_irecist", "response_rate_recist", "median_pfs_days",
                   "median_pfs_recist_days", "mean_pfs_days", "irae_risk", "stopped_by_recist",
                   "pseudoprogression", "lesson04_rate")


@dataclass(frozen=True)
class TrialResult:
    """A trial run by :func:`run_trial`.

    Attributes
    ----------
    patients : DataFrame
        One row per patient: ``id``, ``arm``, biomarkers, ``phenotype``, mapped rates,
        ``clone_fraction``, per-scan categories ``recist_scans`` and ``irecist_scans``
        (space-separated), ``bor_recist``, ``bor_irecist``, ``pfs_days`` and ``progressed``
        (iRECIST), ``pfs_recist_days`` and ``progressed_recist`` (RECIST 1.1),
        ``stopped_by_recist_while_responding`` and ``lesson04_probability``.
    scans : DataFrame
        One row per patient and scan: ``id``, ``arm``, ``day``, ``week``, ``tumor_cells``,
        ``target_sum_mm``, ``new_lesions``, ``recist``, ``irecist`` (baseline: "baseline").
    summary : DataFrame
        One row per arm (:data:`SUMMARY_COLUMNS`); PFS in days, rates as fractions;
        ``median_pfs_days`` is NaN when not reached; ``mean_pfs_days`` is the restricted
        mean PFS (iRECIST) up to the last scan; ``lesson04_rate`` is lesson 04's expected
        response rate on anti-PD-1 for the arm's own patients.
    km : mapping
        ``km[arm][criterion]`` = (t, S) Kaplan–Meier curves, criterion "iRECIST" or "RECIST 1.1".
    selection, arms, seed, days, scan_interval_weeks :
        The design.
    lesson04_selection_rate : float
        Lesson 04's calibrated (statistical) response rate on anti-PD-1 for the same
        selection rule in its whole cohort (all tumor types, no cold enrichment).
    """

    patients: pd.DataFrame
    scans: pd.DataFrame
    summary: pd.DataFrame
    km: Mapping[str, Mapping[str, tuple[np.ndarray, np.ndarray]]]
    selection: str
    arms: tuple[str, str]
    seed: int
    days: float
    scan_interval_weeks: float
    lesson04_selection_rate: float

    def __post_init__(self) -> None:
        check_record(self)
        check_choice("selection", self.selection, SELECTIONS)
        check_int("seed", self.seed, 0, 2**32 - 1)
        check_real("days", self.days, FOLLOW_UP.minimum, FOLLOW_UP.maximum, "days")
        check_real("scan_interval_weeks", self.scan_interval_weeks, response.SCAN_INTERVAL.minimum,
                   response.SCAN_INTERVAL.maximum, "weeks")
        check_real("lesson04_selection_rate", self.lesson04_selection_rate, 0.0, 1.0)
        if set(self.km) != set(self.arms):
            raise ValueError(f"km must have one entry per arm {self.arms}; got {sorted(self.km)}")


def _rates_list(table: pd.DataFrame) -> list[CycleRates]:
    keys = ("growth_rate", "presentation", "priming", "infiltration", "recognition", "pdl1_constitutive")
    values = table[list(keys)].to_numpy(dtype=float)
    return [CycleRates(**dict(zip(keys, (float(v) for v in row), strict=True))) for row in values]


def _read_scans(arm_patients: pd.DataFrame, courses: Courses, scan_at: np.ndarray, weeks: np.ndarray,
                rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    index = np.searchsorted(courses.days, scan_at)
    tumor, effector = courses.tumor[:, index], courses.effector[:, index]
    sums = target_sums(tumor, effector, rng)
    lesions = new_lesions(tumor)
    last = float(scan_at[-1])
    rows: list[dict[str, Any]] = []
    recist_rows: list[str] = []
    irecist_rows: list[str] = []
    for i, pid in enumerate(arm_patients["id"].to_numpy()):
        seq = assessments(weeks, sums[i], lesions[i])
        recist, irecist = response.classify_recist(seq), response.classify_irecist(seq)
        first_pd = recist.index("PD") + 1 if "PD" in recist else None
        confirmed = irecist_progression_index(irecist)
        responded_after_pd = first_pd is not None and any(c in RESPONSES_IRECIST for c in irecist[first_pd:])
        rows.append({
            "id": int(pid), "recist_scans": " ".join(recist), "irecist_scans": " ".join(irecist),
            "bor_recist": response.best_overall_response(recist),
            "bor_irecist": response.best_overall_response(irecist),
            "pfs_days": float(scan_at[confirmed + 1]) if confirmed is not None else last,
            "progressed": confirmed is not None,
            "pfs_recist_days": float(scan_at[first_pd]) if first_pd is not None else last,
            "progressed_recist": first_pd is not None,
            "stopped_by_recist_while_responding": responded_after_pd,
        })
        recist_rows += ["baseline", *recist]
        irecist_rows += ["baseline", *irecist]
    ids = arm_patients["id"].to_numpy()
    scans = pd.DataFrame({
        "id": np.repeat(ids, len(scan_at)), "day": np.tile(scan_at, len(ids)),
        "week": np.tile(weeks, len(ids)),
        "tumor_cells": tumor.ravel(), "target_sum_mm": sums.ravel(), "new_lesions": lesions.ravel(),
        "recist": recist_rows, "irecist": irecist_rows})
    return pd.DataFrame(rows), scans


def run_trial(selection: str = "all", arms: Sequence[str] = DEFAULT_ARMS, n_patients: int = 240,
              seed: int = 0, days: float = FOLLOW_UP.default,
              scan_interval_weeks: float = 6.0) -> TrialResult:
    """Run a two-arm randomised trial on the course's models, from design to results.

    Parameters
    ----------
    selection : str
        Enrolment rule, a key of :data:`SELECTIONS`: ``"all"`` (all comers), ``"pdl1>=1"``,
        ``"pdl1>=50"``, ``"tmb>=10"``, ``"composite"`` (TMB + IFN-γ ≥ 1 SD), ``"ifng"``
        (IFN-γ score ≥ 0.5 SD) or ``"msi-high"``.
    arms : pair of str
        Two different keys of :data:`ARMS`: ``"anti-PD-1"``, ``"anti-PD-1 + anti-CTLA-4"``,
        ``"induction + anti-PD-1"`` (TONIC-like), ``"radiation induction + anti-PD-1"``,
        ``"chemotherapy + anti-PD-1"``, ``"anti-VEGF + anti-PD-1"``, ``"chemotherapy"``.
    n_patients : int
        Patients enrolled, in [40, 480], randomised 1:1.
    seed : int
        Seeds the cohort, enrolment order, randomisation, patient traits and scan noise.
    days : float
        Follow-up in [84, 1092] days.
    scan_interval_weeks : float
        Weeks between scans, in [4, 12].

    Returns
    -------
    TrialResult
        Per-patient rows, per-scan rows, per-arm summary and Kaplan–Meier curves.
    """
    first, second = _check_arms(arms)
    seed = check_int("seed", seed, 0, 2**32 - 1)
    days = check_real("days", days, FOLLOW_UP.minimum, FOLLOW_UP.maximum, "days")
    interval = check_real("scan_interval_weeks", scan_interval_weeks, response.SCAN_INTERVAL.minimum,
                          response.SCAN_INTERVAL.maximum, "weeks")
    patients = enrol(selection, (first, second), n_patients, seed)
    rates = patient_rates(patients, seed)
    patients = patients.merge(rates, on="id")
    scan_at = scan_days(days, interval)
    weeks = scan_at / 7.0
    noise = np.random.default_rng([seed, 4])
    readings, scans = [], []
    for arm in (first, second):
        members = patients[patients["arm"] == arm]
        courses = simulate_patients(_rates_list(members), ARMS[arm].doses, days,
                                    members["clone_fraction"].to_numpy(), CLONE_GROWTH)
        rows, arm_scans = _read_scans(members, courses, scan_at, weeks, noise)
        readings.append(rows)
        scans.append(arm_scans.assign(arm=arm))
    table = patients.merge(pd.concat(readings, ignore_index=True), on="id")
    scan_table = pd.concat(scans, ignore_index=True)
    scan_table = scan_table[["id", "arm", *[c for c in scan_table.columns if c not in ("id", "arm")]]]
    summary, km = _summarise(table, (first, second), days)
    return TrialResult(patients=table, scans=scan_table, summary=summary, km=MappingProxyType(km),
                       selection=selection, arms=(first, second), seed=seed, days=days,
                       scan_interval_weeks=interval,
                       lesson04_selection_rate=lesson04_rate(selection, seed))


def _summarise(table: pd.DataFrame, arms: tuple[str, str],
               days: float) -> tuple[pd.DataFrame, dict[str, dict[str, tuple[np.ndarray, np.ndarray]]]]:
    rows, km = [], {}
    for arm in arms:
        group = table[table["arm"] == arm]
        curves = {"iRECIST": kaplan_meier(group["pfs_days"], group["progressed"]),
                  "RECIST 1.1": kaplan_meier(group["pfs_recist_days"], group["progressed_recist"])}
        km[arm] = curves
        pseudo = group["irecist_scans"].str.startswith("iUPD") & group["bor_irecist"].isin(RESPONSES_IRECIST)
        rows.append({
            "arm": arm, "n": len(group),
            "response_rate_irecist": float(group["bor_irecist"].isin(RESPONSES_IRECIST).mean()),
            "response_rate_recist": float(group["bor_recist"].isin(RESPONSES_RECIST).mean()),
            "median_pfs_days": median_survival(*curves["iRECIST"]),
            "median_pfs_recist_days": median_survival(*curves["RECIST 1.1"]),
            "mean_pfs_days": restricted_mean(*curves["iRECIST"]),
            "irae_risk": schedules.irae_risk(ARMS[arm].doses, days),
            "stopped_by_recist": int(group["stopped_by_recist_while_responding"].sum()),
            "pseudoprogression": int(pseudo.sum()),
            "lesson04_rate": float(group["lesson04_probability"].mean()),
        })
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS)), km


def lesson04_rate(selection: str, seed: int = 0) -> float:
    """Lesson 04's calibrated response rate on anti-PD-1 for ``selection`` in its whole cohort.

    The mean response probability of the patients of lesson 04's cohort (all tumor
    types: no cold enrichment) that the rule selects (its PPV, without Bernoulli noise).
    """
    rule = SELECTIONS[check_choice("selection", selection, SELECTIONS)]
    cohort = _screened(check_int("seed", seed, 0, 2**32 - 1), int(COHORT_SIZE.default))
    return float(cohort.loc[rule.mask(cohort), "response_probability"].mean())


# --- Cheap previews of a design (no simulation) -------------------------------------------------------------

def design_preview(selection: str = "all", arms: Sequence[str] = DEFAULT_ARMS, n_patients: int = 240,
                   seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What a design looks like before it is run: (enrolled patients, arm doses with irAE risk).

    The first is :func:`enrol`'s table; the second one row per dose: ``arm``,
    ``therapy``, ``start_day``, ``end_day`` (capped at the end of follow-up) and the
    arm's ``irae_risk`` (lesson 02's proxy). Takes milliseconds.
    """
    first, second = _check_arms(arms)
    patients = enrol(selection, (first, second), n_patients, seed)
    end = FOLLOW_UP.default
    rows = [{"arm": arm, "therapy": d.therapy, "start_day": d.start_day, "end_day": min(d.end_day, end),
             "irae_risk": _irae(arm)} for arm in (first, second) for d in ARMS[arm].doses]
    return patients, pd.DataFrame(rows)


@functools.cache
def _irae(arm: str) -> float:
    return schedules.irae_risk(ARMS[arm].doses, FOLLOW_UP.default)


MODEL_CARD = ModelCard(
    title="Capstone: a randomised trial for a cold tumor on the course's models",
    shows="How the choices of a trial design (which patients by which biomarker, which two arms) change "
          "its results when every patient is simulated: response rates by RECIST 1.1 and iRECIST, "
          "Kaplan–Meier progression-free survival, the irAE proxy, and patients RECIST 1.1 would have "
          "taken off a treatment that was working.",
    equations=(
        "r6 = 1 − exp(−TMB/K);  L0 = λ·TPS/100;  k3 = k3(phenotype)·exp(β·(IFN-γ − mean IFN-γ of phenotype))",
        "k2, k3, k5 from the phenotype (cycle PHENOTYPES);  a = 0.18·exp(σ_a·N(0, 1))",
        "every patient: the cycle ODEs (lesson 01) + dR/dt = g·R·(1 − b·T) − c_kill·R, T = S + R",
        "V = T + w·E;  target sum = 60 mm · (V/V0)^(1/3) + N(0, 1 mm);  0 mm if eliminated, else ≥ 5 mm",
        "new lesions: +1 per scan while T ≥ θ_N·T0",
        "KM: S(t_j) = S(t_j−)·(1 − d_j/n_j)",
    ),
    assumptions=(
        "Patients come from lesson 04's virtual cohort, kept when their tumor belongs to a cold tumor type: "
        "all desert and excluded tumors and a quarter of inflamed ones (about 12% of those screened are "
        "inflamed); the first n meeting the rule are enrolled and randomised 1:1.",
        "Each patient's rates follow their biomarkers (the mapping above); growth rate and a B2M-loss clone "
        "(15% of patients, 1 cell in 10,000, lesson 03) are seeded traits.",
        "All patients of an arm are solved together: one vectorised right-hand side, identical line for line "
        "to the cycle model's (a test checks one patient against simulate_cycle), integrated with LSODA "
        "piecewise between therapy switches, with the cycle's extinction rule per patient.",
        "Scans every 6 weeks; the sum of diameters grows with the cube root of tumor cells plus immune "
        "infiltrate (w cell-volumes per T cell in the tumor bed), which lets a lesion swell before it "
        "shrinks (pseudoprogression).",
        "Progression under iRECIST is dated at the iUPD later confirmed as iCPD (EORTC iRECIST FAQ); "
        "patients without confirmed progression are censored at their last scan. RECIST 1.1 dates "
        "progression at the first PD.",
        "'Stopped by RECIST 1.1 while responding': RECIST 1.1 PD, then an iPR or iCR under iRECIST at a "
        "later scan: a patient RECIST 1.1 would have taken off a treatment that was working.",
        "irAE risk is lesson 02's exposure proxy (CheckMate 067 hazards) for each arm's doses.",
    ),
    limits=(
        "Responses come from the mechanistic cycle model, not from lesson 04's statistical draw. The summary "
        "reports lesson 04's calibrated rate for the same selection (and for the same patients) beside the "
        "mechanistic one: they differ because the cycle's rates are illustrative (not fitted to any trial) "
        "and the mapping from biomarkers to rates is a stated guess; only lesson 04's rates are anchored "
        "to trials. Only β was chosen to bring the two together, for all comers on anti-PD-1.",
        "They disagree most for PD-L1 and the IFN-γ score. Lesson 04 calibrated PD-L1 ≥ 50% to KEYNOTE-024's "
        "45%; in the cycle model constitutive PD-L1 is one more brake, of which anti-PD-1 removes 90%, so "
        "selecting on it hardly raises the mechanistic rate. The IFN-γ score sets priming here, which makes "
        "it the strongest mechanistic predictor, whereas lesson 04 calibrated it to an AUC of 0.65. TMB "
        "(recognition) and the composite raise both rates.",
        "Some patients counted as 'stopped by RECIST 1.1 while responding' are the cycle model's waves "
        "(lesson 03): a tumor that shrinks, regrows past +20% and shrinks again under the same drug.",
        "Time runs fast: the cycle's growth and kill rates come from a mouse lymphoma, so responses come "
        "within weeks and relapses within months.",
        "Combinations with chemotherapy respond far more than in trials once patients are selected (the "
        "cycle's chemotherapy kills 10% of tumor cells a day and releases antigen): induction + anti-PD-1 "
        "gives about 38% in all comers, near TONIC's 35% with doxorubicin, but about 90% after composite "
        "selection.",
        "No dose delays, dropouts, toxicity-driven stops, overall survival or crossover; irAEs do not "
        "change the course; every patient's lesions are one target sum without non-target disease.",
        "iRECIST adds more responses here than in real trials (an FDA pooled analysis of 4,751 patients "
        "on anti-PD-(L)1 found 31.5% by iRECIST against 30.5% by RECIST 1.1), because the model's "
        "infiltrate is a free parameter.",
    ),
    references=(
        "Chen DS, Mellman I (2013). Immunity 39:1–10; (2017) Nature 541:321–330.",
        "Voorwerk L et al. (2019). Nat Med 25:920–928 (TONIC).",
        "Eisenhauer EA et al. (2009). Eur J Cancer 45:228–247 (RECIST 1.1).",
        "Seymour L et al. (2017). Lancet Oncol 18:e143–e152 (iRECIST); EORTC RECIST/iRECIST FAQ, "
        "recist.eortc.org.",
        "Zaretsky JM et al. (2016). N Engl J Med 375:819–829.",
        "Larkin J et al. (2015). N Engl J Med 373:23–34 (CheckMate 067).",
        "FDA pooled analysis of iRECIST and RECIST 1.1 in 14 trials (2020). J Immunother Cancer 8:e000146. "
        "doi:10.1136/jitc-2019-000146",
        "Kaplan EL, Meier P (1958). J Am Stat Assoc 53:457–481.",
    ),
)
