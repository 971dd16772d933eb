"""Schedules and toxicity: giving two therapies together, one after the other, or with an induction.

Model card
----------
Shows
    The same drugs in a different order give different results in the
    cancer-immunity cycle model (:mod:`primer_lib.cycle`): chemotherapy first
    releases antigen and leaves inflammation that anti-CTLA-4 or anti-PD-1 can
    then use. Arms follow two trials: NCT00527735 (paclitaxel/carboplatin with
    concurrent or phased ipilimumab; Lynch 2012, Reck 2013) and TONIC (a 2-week
    induction before nivolumab; Voorwerk 2019). An exposure-based proxy weighs
    efficacy against immune-related toxicity.
Equations
    Tumor burden from :func:`primer_lib.cycle.simulate_cycle` with each arm's doses.
    Progression: the first day the tumor exceeds PROGRESSION_FACTOR × its nadir
    (a doubling of cells, about +26% in diameter: close to irRC's +25% burden).
    irAE risk = 1 − exp(−H), H = Σ h_drug·days·intensity + h_overlap·(days on anti-PD-1
    and anti-CTLA-4 together), with h fitted to CheckMate 067's grade 3–4
    treatment-related adverse events (2015): nivolumab 16.3% over a year,
    ipilimumab 27.3% over its 12-week course, both together 55.0%.
Assumptions
    Continuous drug effects while given (no cycles or pharmacokinetics); the
    cycle model's illustrative rates; toxicity depends only on exposure to
    checkpoint antibodies (chemotherapy's own toxicity is not counted).
Limits
    The model cannot reproduce trial response rates or tell one chemotherapy
    from another; trial results are shown beside it, not fitted. The irAE proxy
    has no patient factors and no time course.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from primer_lib.cycle import (
    MAX_DAY,
    PHENOTYPES,
    THERAPIES,
    Course,
    Treatment,
    as_doses,
    course_until,
    simulate_cycle,
)
from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_array, check_choice, check_int, check_real, check_record

__all__ = [
    "PROGRESSION_FACTOR", "CHEMO_WEEKS", "TRIAL_ARMS", "TrialResult", "TRIAL_RESULTS", "HAZARD_PD1",
    "HAZARD_CTLA4", "HAZARD_OVERLAP", "CHECKMATE_067", "PARAMETERS", "MODEL_CARD", "irae_risk",
    "progression_day", "simulate_arm", "compare_arms", "PairOutcome", "PAIR_ARMS", "ADDITIVE_BAND",
    "tumor_inhibition",
    "combine_on_cycle", "cached_cycle_run",
]

#: Progression when the tumor exceeds this multiple of its nadir (cells).
PROGRESSION_FACTOR = 2.0
CHEMO_WEEKS = 18  # six 3-week cycles of paclitaxel/carboplatin

#: Trial arms as doses on the cycle model (days). In NCT00527735 blinded ipilimumab ran with
#: chemotherapy cycles 1–4 (concurrent) or 3–6 (phased); in TONIC inductions lasted 2 weeks.
TRIAL_ARMS: Mapping[str, Mapping[str, tuple[Treatment, ...]]] = {
    "NCT00527735": {
        "chemotherapy + placebo": (Course("chemotherapy"),),
        "concurrent ipilimumab": (Course("chemotherapy"), Course("anti-CTLA-4")),
        "phased ipilimumab": (Course("chemotherapy"), Course("anti-CTLA-4", start_day=7 * 6)),
    },
    "TONIC": {
        "no induction": (Course("anti-PD-1"),),
        "chemotherapy induction": (Course("chemotherapy", doses=2, interval_days=7),
                                   Course("anti-PD-1", start_day=14)),
        "irradiation induction": (Course("radiation", doses=3, interval_days=4),
                                  Course("anti-PD-1", start_day=14)),
    },
}


@dataclass(frozen=True)
class TrialResult:
    """A published result, with its source and how it was checked."""

    trial: str
    arm: str
    measure: str
    value: str
    source: str

    def __post_init__(self) -> None:
        check_record(self)


#: Published results to show beside the model (checked against abstracts or registries).
TRIAL_RESULTS: tuple[TrialResult, ...] = (
    TrialResult("NCT00527735", "phased ipilimumab", "median irPFS, NSCLC", "5.7 months",
                "Lynch 2012 J Clin Oncol 30:2046, as reported in PMC3296082 (5.68)"),
    TrialResult("NCT00527735", "concurrent ipilimumab", "median irPFS, NSCLC", "5.5 months",
                "Lynch 2012, as reported in PMC3296082 (5.52)"),
    TrialResult("NCT00527735", "chemotherapy + placebo", "median irPFS, NSCLC", "4.6 months",
                "Lynch 2012, as reported in PMC3296082 (4.63)"),
    TrialResult("NCT00527735", "phased ipilimumab", "irPFS vs control, SCLC",
                "improved: HR 0.64, P = 0.03 (median 6.4 vs 5.3 months)",
                "Reck 2013 Ann Oncol 24:75, abstract"),
    TrialResult("NCT00527735", "concurrent ipilimumab", "irPFS vs control, SCLC", "not improved",
                "Reck 2013 Ann Oncol 24:75, abstract"),
    TrialResult("NCT01285609 (phase III)", "phased ipilimumab", "median overall survival, squamous NSCLC",
                "13.4 vs 12.4 months, HR 0.91, P = 0.25: no OS benefit",
                "Govindan 2017 J Clin Oncol 35:3449, abstract"),
    TrialResult("TONIC", "all cohorts (n = 67)", "objective response (iRECIST)", "20%",
                "Voorwerk 2019 Nat Med 25:920, abstract"),
    TrialResult("TONIC", "doxorubicin induction", "objective response (iRECIST)", "35%",
                "Voorwerk 2019, abstract"),
    TrialResult("TONIC", "cisplatin induction", "objective response (iRECIST)", "23%",
                "Voorwerk 2019, abstract"),
    TrialResult("TONIC", "no induction", "objective response (iRECIST)", "17%",
                "Voorwerk 2019 Nat Med 25:920, results"),
    TrialResult("TONIC", "irradiation, cyclophosphamide", "objective response (iRECIST)",
                "fewer: most responses were in the cisplatin and doxorubicin cohorts",
                "Voorwerk 2019, abstract"),
    TrialResult("CheckMate 067", "nivolumab + ipilimumab / nivolumab / ipilimumab",
                "objective response, melanoma", "57.6% / 43.7% / 19.0%",
                "Larkin 2015 N Engl J Med 373:23, results"),
    TrialResult("CheckMate 067", "nivolumab + ipilimumab / nivolumab / ipilimumab",
                "grade 3–4 treatment-related adverse events", "55.0% / 16.3% / 27.3%",
                "Larkin 2015 N Engl J Med 373:23, results"),
    TrialResult("CheckMate 067", "nivolumab + ipilimumab / nivolumab / ipilimumab",
                "median progression-free survival", "11.5 / 6.9 / 2.9 months",
                "Larkin 2015 N Engl J Med 373:23, abstract"),
)

# irAE hazards (per day of full exposure at intensity 1) fitted to CheckMate 067 (2015), see the model card:
# each standard course's exposure over its first year (its fading tail included) gives that arm's rate.
_P_NIVO, _P_IPI, _P_BOTH = 0.163, 0.273, 0.550
_FIT_DAYS = 365.0
_PD1_YEAR = Course("anti-PD-1", doses=18)  # a year of nivolumab-like dosing every 3 weeks
_CTLA4_COURSE = Course("anti-CTLA-4")  # four doses every 3 weeks
_PD1_LIKE = ("anti-PD-1", "anti-PD-L1")


def _exposure(doses: tuple[Treatment, ...], ids: tuple[str, ...], grid: np.ndarray) -> np.ndarray:
    """Σ intensity × effect weight of the doses of ``ids`` on each day of ``grid``."""
    exposure = np.zeros_like(grid)
    for dose in doses:
        if dose.therapy in ids:
            exposure += dose.intensity * dose.weights(grid)
    return exposure


_FIT_GRID = np.arange(0.0, _FIT_DAYS, 1.0) + 0.5
_PD1_DAYS = float(_exposure((_PD1_YEAR,), _PD1_LIKE, _FIT_GRID).sum())
_CTLA4_DAYS = float(_exposure((_CTLA4_COURSE,), ("anti-CTLA-4",), _FIT_GRID).sum())
_BOTH_DAYS = float(np.minimum(_exposure((_PD1_YEAR,), _PD1_LIKE, _FIT_GRID),
                              _exposure((_CTLA4_COURSE,), ("anti-CTLA-4",), _FIT_GRID)).sum())
HAZARD_PD1 = -math.log(1 - _P_NIVO) / _PD1_DAYS
HAZARD_CTLA4 = -math.log(1 - _P_IPI) / _CTLA4_DAYS
HAZARD_OVERLAP = (-math.log(1 - _P_BOTH) + math.log(1 - _P_NIVO) + math.log(1 - _P_IPI)) / _BOTH_DAYS

CHECKMATE_067 = "Larkin 2015 N Engl J Med 373:23 (grade 3–4 TRAEs 16.3% / 27.3% / 55.0%)"
PARAMETERS: tuple[Parameter, ...] = (
    Parameter("schedules.progression_factor", "Progression threshold", "f", PROGRESSION_FACTOR,
              "× nadir", 1.1, 10.0, 0.1, "Tumor cells over their nadir that count as progression",
              "Illustrative: a doubling of cells ≈ +26% diameter, near irRC's +25% burden", False),
    Parameter("schedules.dose_a", "Dose of A", "i_A", 1.0, "× standard", 0.0, 2.0, 0.1,
              "Intensity of therapy A (1 = the cycle model's standard dose)", "Illustrative", False),
    Parameter("schedules.dose_b", "Dose of B", "i_B", 1.0, "× standard", 0.0, 2.0, 0.1,
              "Intensity of therapy B (1 = the cycle model's standard dose)", "Illustrative", False),
    Parameter("schedules.stop_day", "Stop both on day", "t_stop", 180.0, "day", 7.0, 180.0, 7.0,
              "Last day a dose of A or B may be given in the pair explorer (180 = their whole courses "
              "over the 180 days shown); each effect then fades", "Illustrative: a control for the learner",
              False),
    Parameter("schedules.hazard_pd1", "irAE hazard, anti-PD-1", "h_PD1", HAZARD_PD1, "1/day", 0.0, 1.0,
              1e-5, "Grade 3–4 irAE hazard per day on anti-PD-1/PD-L1", CHECKMATE_067, True),
    Parameter("schedules.hazard_ctla4", "irAE hazard, anti-CTLA-4", "h_CTLA4", HAZARD_CTLA4, "1/day",
              0.0, 1.0, 1e-5, "Grade 3–4 irAE hazard per day on anti-CTLA-4", CHECKMATE_067, True),
    Parameter("schedules.hazard_overlap", "irAE hazard, both together", "h_both", HAZARD_OVERLAP, "1/day",
              0.0, 1.0, 1e-5, "Extra hazard per day while both checkpoints are blocked", CHECKMATE_067, True),
)

MODEL_CARD = ModelCard(
    title="Schedules and the irAE proxy",
    shows="Concurrent, phased and induction schedules on the cancer-immunity cycle model, and an "
          "exposure-based risk of severe immune-related adverse events.",
    equations=("progression: first day with T > f · min(T so far)",
               "irAE risk = 1 − exp(−Σ h_drug · days − h_both · overlap days)"),
    assumptions=("Each therapy is its standard course whose effect fades between doses (the cycle "
                 "model's courses); the cycle model's illustrative rates.",
                 "irAE hazard is constant per day of checkpoint exposure and fitted to CheckMate 067 "
                 "(2015): nivolumab for a year 16.3%, ipilimumab's 12 weeks 27.3%, both 55.0%."),
    limits=("Cannot reproduce trial response rates; trial results are shown beside the model.",
            "One kind of chemotherapy; no pharmacokinetics, patient factors or irAE timing.",
            "Counts only checkpoint antibodies' immune-related toxicity."),
    references=("Lynch TJ et al. (2012). J Clin Oncol 30:2046–2054.",
                "Reck M et al. (2013). Ann Oncol 24:75–83.",
                "Govindan R et al. (2017). J Clin Oncol 35:3449–3457.",
                "Voorwerk L et al. (2019). Nat Med 25:920–928.",
                "Larkin J et al. (2015). N Engl J Med 373:23–34."),
)


def irae_risk(therapies: Iterable[Any], days: float = 365.0) -> float:
    """Probability of a grade 3–4 immune-related adverse event over ``days`` (proxy).

    risk = 1 − exp(−H), H = h_PD1·(days on anti-PD-1/PD-L1) + h_CTLA4·(days on
    anti-CTLA-4) + h_both·(days on both), each day weighted by intensity. Other
    therapies add nothing (their toxicity is not immune-related in this proxy).
    """
    doses = as_doses(therapies)
    days = check_real("days", days, 1.0, 3650.0, "days")
    grid = np.arange(0.0, days, 1.0) + 0.5  # mid-day samples: exact for whole-day schedules
    pd1 = _exposure(doses, _PD1_LIKE, grid)
    ctla4 = _exposure(doses, ("anti-CTLA-4",), grid)
    hazard = (HAZARD_PD1 * pd1.sum() + HAZARD_CTLA4 * ctla4.sum()
              + HAZARD_OVERLAP * np.minimum(pd1, ctla4).sum())
    return float(1.0 - math.exp(-hazard))


def progression_day(frame: pd.DataFrame, factor: float = PROGRESSION_FACTOR) -> float:
    """First day the tumor exceeds ``factor`` × its running minimum; NaN if never.

    ``frame`` is :func:`primer_lib.cycle.simulate_cycle` output. A tumor that is
    eliminated (0 cells) cannot progress.
    """
    factor = check_real("factor", factor, 1.1, 10.0, "× nadir")
    frame = _check_course_frame("frame", frame)
    tumor = frame["tumor"].to_numpy()
    nadir = np.minimum.accumulate(tumor)
    progressed = np.flatnonzero((tumor > factor * nadir) & (nadir > 0))
    return float(frame["day"].iloc[progressed[0]]) if progressed.size else math.nan


def simulate_arm(trial: str, arm: str, phenotype: str = "desert", days: float = 365,
                 points: int | None = None) -> pd.DataFrame:
    """One trial arm on the cycle model: :func:`primer_lib.cycle.simulate_cycle` output."""
    check_choice("trial", trial, TRIAL_ARMS)
    check_choice("arm", arm, TRIAL_ARMS[trial])
    return simulate_cycle(phenotype, TRIAL_ARMS[trial][arm], days=days, points=points)


def compare_arms(trial: str, phenotype: str = "desert", days: float = 365) -> pd.DataFrame:
    """Each arm's tumor at days 90 and 180 and at the end, progression day and irAE risk.

    Numbers are rounded to 3 significant digits so printed tables are stable.
    """
    check_choice("trial", trial, TRIAL_ARMS)
    rows = []
    for arm, doses in TRIAL_ARMS[trial].items():
        frame = simulate_cycle(phenotype, doses, days=days)
        at = frame.set_index("day")["tumor"]
        rows.append({"arm": arm,
                     "tumor_day_90": _sig(at.get(90.0, math.nan)),
                     "tumor_day_180": _sig(at.get(180.0, math.nan)),
                     "tumor_end": _sig(frame["tumor"].iloc[-1]),
                     "progression_day": progression_day(frame),
                     "irae_risk": round(irae_risk(doses, days), 3)})
    return pd.DataFrame(rows)


def _sig(value: float) -> float:
    return float(f"{value:.3g}") if np.isfinite(value) else math.nan


@dataclass(frozen=True)
class PairOutcome:
    """Two therapies alone and together on the cycle model, with the Bliss verdict."""

    frames: Mapping[str, pd.DataFrame]  # "untreated", "A", "B", "A + B"
    effects: Mapping[str, float]  # fractional inhibition of tumor cells at ``day`` vs untreated
    bliss_excess: float
    verdict: str
    irae: Mapping[str, float]

    def __post_init__(self) -> None:
        check_record(self)
        check_real("bliss_excess", self.bliss_excess, -1.0, 1.0)
        for field, names in (("frames", {"untreated", *PAIR_ARMS}), ("effects", set(PAIR_ARMS)),
                             ("irae", set(PAIR_ARMS))):
            if set(getattr(self, field)) != names:
                raise ValueError(f"{field} must have the keys {sorted(names)}; "
                                 f"got {sorted(getattr(self, field))}")
        for field in ("effects", "irae"):
            for arm, value in getattr(self, field).items():
                check_real(f"{field}[{arm!r}]", value, 0.0, 1.0)


#: The arms of :func:`combine_on_cycle`, besides the untreated tumor.
PAIR_ARMS = ("A", "B", "A + B")
#: |Bliss excess| below this is called additive (independent); outside it, synergy or antagonism.
ADDITIVE_BAND = 0.05


def _check_course_frame(name: str, frame: Any) -> pd.DataFrame:
    """``frame`` after checking it is simulate_cycle-like: rows of finite ``day`` and ``tumor`` ≥ 0."""
    if not isinstance(frame, pd.DataFrame) or not {"day", "tumor"} <= set(frame.columns) or frame.empty:
        raise ValueError(f"{name} must have columns 'day' and 'tumor' and at least one row (simulate_cycle "
                         f"output); got {type(frame).__name__}")
    check_array(f"{name}['day']", frame["day"], 0.0, MAX_DAY, "days")
    check_array(f"{name}['tumor']", frame["tumor"], 0.0, 1e15, "cells")
    return frame


def tumor_inhibition(frame: pd.DataFrame, untreated: pd.DataFrame, day: float) -> float:
    """1 − T(day)/T_untreated(day): the fraction of the tumor a treatment removed (0 to 1).

    ``day`` must lie within both runs (between their first and last day).
    """
    frame, untreated = _check_course_frame("frame", frame), _check_course_frame("untreated", untreated)
    first = max(float(frame["day"].iloc[0]), float(untreated["day"].iloc[0]))
    last = min(float(frame["day"].iloc[-1]), float(untreated["day"].iloc[-1]))
    day = check_real("day", day, first, last, "days")
    treated = float(np.interp(day, frame["day"].to_numpy(), frame["tumor"].to_numpy()))
    reference = float(np.interp(day, untreated["day"].to_numpy(), untreated["tumor"].to_numpy()))
    return float(np.clip(1.0 - treated / reference, 0.0, 1.0)) if reference > 0 else 0.0


def combine_on_cycle(therapy_a: str, dose_a: float, therapy_b: str, dose_b: float,
                     phenotype: str = "inflamed", day: float = 90.0, days: float = 180.0,
                     points: int = 37, stop_day: float | None = None) -> PairOutcome:
    """Give A, B and A + B (all from day 0, each its standard course) and compare them at ``day``.

    Effects are fractional inhibitions of tumor cells against the untreated tumor;
    Bliss excess = e_AB − (e_A + e_B − e_A·e_B) (:func:`primer_lib.combinations.bliss_excess`).
    Near full inhibition there is no room left for synergy: the verdict says so.
    ``stop_day`` (days, 7–365) stops both courses: no dose after it
    (:func:`primer_lib.cycle.course_until`); None gives the whole courses.
    """
    from primer_lib.combinations import bliss_excess  # lesson 02's reference models

    days = check_real("days", days, 1.0, 3650.0, "days")
    day = check_real("day", day, 1.0, days, "days")
    # Named here so a bad value is reported as the caller's parameter, not as a Course field.
    check_choice("therapy_a", therapy_a, THERAPIES)
    check_choice("therapy_b", therapy_b, THERAPIES)
    dose_a = check_real("dose_a", dose_a, 0.0, 3.0, "× standard")
    dose_b = check_real("dose_b", dose_b, 0.0, 3.0, "× standard")
    if stop_day is not None:
        stop_day = check_real("stop_day", stop_day, 7.0, 365.0, "days")
    a, b = _course(therapy_a, dose_a, stop_day), _course(therapy_b, dose_b, stop_day)
    arms = {"A": [a], "B": [b], "A + B": [a, b]}
    frames = {"untreated": cached_cycle_run(phenotype, (), days, points)}
    frames |= {name: cached_cycle_run(phenotype, tuple(doses), days, points) for name, doses in arms.items()}
    effects = {name: tumor_inhibition(frames[name], frames["untreated"], day) for name in arms}
    excess = float(bliss_excess(effects["A"], effects["B"], effects["A + B"]))
    return PairOutcome(frames=frames, effects=effects, bliss_excess=excess,
                       verdict=_verdict(excess, effects),
                       irae={name: irae_risk(doses, days) for name, doses in arms.items()})


def _course(therapy: str, dose: float, stop_day: float | None) -> Course:
    return Course(therapy, dose) if stop_day is None else course_until(therapy, stop_day, dose)


def _verdict(excess: float, effects: Mapping[str, float]) -> str:
    if max(effects["A"], effects["B"]) > 0.99:
        return "no room to tell: one drug alone already removes over 99% of the tumor"
    if excess > ADDITIVE_BAND:
        return "synergy (more than independent action predicts)"
    if excess < -ADDITIVE_BAND:
        return "antagonism (less than independent action predicts)"
    return "additive (about what independent action predicts)"


def cached_cycle_run(phenotype: str, doses: tuple[Treatment, ...], days: float, points: int) -> pd.DataFrame:
    """:func:`primer_lib.cycle.simulate_cycle` remembered for repeated arguments (do not modify the frame).

    Slider moves repeat runs (the untreated tumor, the drug that did not change): apps reuse them.
    """
    # Checked before the cache, which would otherwise fail on unhashable values with its own words.
    check_choice("phenotype", phenotype, PHENOTYPES)
    if not isinstance(doses, tuple):
        raise TypeError(f"doses must be a tuple of Dose entries; got {type(doses).__name__}")
    days = check_real("days", days, 1.0, 3650.0, "days")
    if points is not None:
        points = check_int("points", points, 2, 5000)
    return _cycle_run(phenotype, as_doses(doses), days, points)


@functools.lru_cache(maxsize=256)
def _cycle_run(phenotype: str, doses: tuple[Treatment, ...], days: float, points: int | None) -> pd.DataFrame:
    return simulate_cycle(phenotype, doses, days=days, points=points)
