"""Liquid biopsy: circulating tumour DNA (ctDNA) shed by the tumour, cleared, and sampled (lesson 06A).

Model card
----------
Shows
    Tumour cells shed DNA into plasma in proportion to their number; the plasma
    clears it within minutes to hours. So ctDNA follows the tumour's *cells*,
    not the size seen on a scan: in pseudoprogression the scan swells with immune
    infiltrate (which sheds no tumour DNA) while ctDNA falls. A blood sample holds
    only a few thousand genome copies, so a small ctDNA fraction is found or missed
    by chance (Poisson counting) and by the assay's detection limit.
Equations
    dM/dt = k·N(t) − (ln 2 / t½)·M, with M the mutant copies per mL of plasma and
    N(t) the tumour cells (piecewise linear between the given times; solved exactly
    on each interval). Steady state for constant N: M* = k·N·t½ / ln 2.
    VAF = M / (M + B), B the background (wild-type) copies per mL.
    Sample of V mL: mutant copies X ~ Poisson(M·V), wild-type W ~ Poisson(B·V);
    measured VAF = X / (X + W); detected when X ≥ 1 and X / (X + W) ≥ the limit.
Assumptions
    Shedding per tumour cell is constant (no burst of DNA when a therapy kills
    cells); clearance is first order; background cfDNA is constant; one tracked
    mutation, present in every tumour cell (clonal). The teaching cases scale tumour
    cells with the cube of the scans' diameter sum (volume ∝ diameter³).
Limits
    Real assays track several to hundreds of mutations, which beats the one-mutation
    Poisson ceiling modelled here. Shedding differs widely between tumour types and
    patients (Bettegowda 2014); the default is calibrated to one reported relation
    (10 cm³ ≈ 0.1% VAF in early lung cancer, Abbosh 2017) and is illustrative for
    metastatic disease on immunotherapy.

References: Lo YMD et al. (1999) Am J Hum Genet 64:218-224; Abbosh C et al. (2017) Nature
545:446-451; Fiala C, Diamandis EP (2018) BMC Med 16:166; Bettegowda C et al. (2014) Sci
Transl Med 6:224ra24; Goldberg SB et al. (2018) Clin Cancer Res 24:1872-1880; Lee JH et
al. (2018) JAMA Oncol 4:717-721.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import pdtrc

from primer_lib import response
from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_array, check_choice, check_int, check_real, check_record

__all__ = [
    "LO_1999", "ABBOSH_2017_PANEL", "ILLUSTRATIVE", "REFERENCE_CELLS", "REFERENCE_VAF", "CELLS_PER_CM3",
    "MOLECULAR_RESPONSE_FOLD", "HALF_LIFE", "BACKGROUND", "calibrated_shed_rate", "SHED_RATE",
    "DETECTION_LIMIT", "PLASMA_VOLUME", "BASELINE_CELLS", "PARAMETERS", "MODEL_CARD", "steady_state_copies",
    "steady_state_vaf", "smallest_detectable_cells", "detection_probability", "ctdna_copies",
    "ctdna_trajectory", "early_ctdna_change", "molecular_response", "SCENARIOS", "SCENARIO_NOTES", "WEEKS",
    "DRAW_EVERY_DAYS", "Scenario", "scenario",
]

LO_1999 = "Lo et al. 1999, Am J Hum Genet 64:218 (cell-free fetal DNA after delivery: mean 16.3 min, 4-30)"
ABBOSH_2017_PANEL = ("Abbosh et al. 2017, Nature 545:446, Extended Data Table 2 (0.1% plasma VAF limit "
                     "of the generic panel)")
ILLUSTRATIVE = "Illustrative teaching value"

#: Reference point of the shedding calibration: a 10 cm³ tumour (10^9 cells per cm³) gives 0.1% VAF.
REFERENCE_CELLS = 1e10
REFERENCE_VAF = 0.001
CELLS_PER_CM3 = 1e9
#: Molecular response: ctDNA falls by more than half from baseline (Goldberg 2018).
MOLECULAR_RESPONSE_FOLD = 0.5
_SHED_UNIT_CELLS = 1e9  # shedding is given per 10^9 tumour cells

HALF_LIFE = Parameter(
    "liquid_biopsy.half_life_hours", "Clearance half-life", "t½", round(16.3 / 60, 2), "hours", 0.05, 12.0,
    0.01, "Half-life of cell-free DNA in plasma: how fast ctDNA is cleared", LO_1999, True)
BACKGROUND = Parameter(
    "liquid_biopsy.background_copies_per_ml", "Background cfDNA", "B", 1500.0, "copies/mL", 100.0,
    100_000.0, 100.0, "Wild-type genome copies per mL of plasma from normal cells (about 5 ng/mL)",
    ILLUSTRATIVE + " (no stored source checked)", False)


def _clearance_per_day(half_life_hours: float) -> float:
    return math.log(2.0) / (half_life_hours / 24.0)


def calibrated_shed_rate(half_life_hours: float = HALF_LIFE.default,
                         background_copies_per_ml: float = BACKGROUND.default) -> float:
    """Shedding k (copies/mL/day per 10^9 cells) that gives 0.1% VAF at 10^10 cells in steady state.

    From M* = k·N·t½/ln 2 and VAF = M/(M + B): k = B·v/(1 − v) · (ln 2/t½) / N, v = 0.1%.
    """
    half_life = HALF_LIFE.check(half_life_hours)
    background = BACKGROUND.check(background_copies_per_ml)
    copies = background * REFERENCE_VAF / (1.0 - REFERENCE_VAF)
    return copies * _clearance_per_day(half_life) / (REFERENCE_CELLS / _SHED_UNIT_CELLS)


SHED_RATE = Parameter(
    "liquid_biopsy.shed_rate", "Shedding rate", "k", round(calibrated_shed_rate(), 1),
    "copies/mL/day per 10⁹ cells", 0.1, 100.0, 0.1,
    "Mutant DNA copies each 10⁹ tumour cells add to a mL of plasma per day",
    "Fitted so a 10 cm³ (10^10-cell) tumour gives 0.1% VAF at steady state: Abbosh et al. 2017, Nature "
    "545:446, as reported by Fiala & Diamandis 2018, BMC Med 16:166, Table 2 (with the default t½ and B)",
    True)
DETECTION_LIMIT = Parameter(
    "liquid_biopsy.detection_limit_pct", "Detection limit", "L", 0.1, "% VAF", 0.001, 1.0, 0.001,
    "Smallest variant allele fraction the assay calls (panels ≈ 0.1%; tumour-informed as low as 0.01%)",
    ABBOSH_2017_PANEL, True)
PLASMA_VOLUME = Parameter(
    "liquid_biopsy.plasma_ml", "Plasma analysed", "V", 4.0, "mL", 0.5, 20.0, 0.5,
    "Volume of plasma whose DNA is tested (one 10 mL blood draw gives roughly 4-5 mL)",
    ILLUSTRATIVE + "; 'a typical blood draw of 10 mL' (Fiala & Diamandis 2018)", False)
BASELINE_CELLS = Parameter(
    "liquid_biopsy.baseline_cells", "Tumour cells at baseline", "N0", 1e11, "cells", 1e6, 1e13, 1e6,
    "Whole-body tumour cells when treatment starts in the teaching cases (≈ 100 cm³)",
    ILLUSTRATIVE + " (10^9 cells per cm³ is Fiala & Diamandis' 2018 rule of thumb)", False)

PARAMETERS: tuple[Parameter, ...] = (SHED_RATE, HALF_LIFE, DETECTION_LIMIT, PLASMA_VOLUME, BACKGROUND,
                                     BASELINE_CELLS)

MODEL_CARD = ModelCard(
    title="Liquid biopsy: ctDNA shedding, clearance and detection",
    shows="ctDNA follows the number of tumour cells within hours, so it can fall while a scan swells "
          "with immune infiltrate (pseudoprogression), and an early fall predicts response; whether "
          "a blood sample detects it depends on the assay's limit and on counting a few copies.",
    equations=("dM/dt = k·N(t) − (ln 2 / t½)·M   (steady state M* = k·N·t½ / ln 2)",
               "VAF = M / (M + B)",
               "X ~ Poisson(M·V), W ~ Poisson(B·V); detected: X ≥ 1 and X/(X + W) ≥ L",
               "molecular response: VAF(week 6) / VAF(0) < 0.5 (a fall of more than 50%)"),
    assumptions=("Each tumour cell sheds at the same constant rate; immune infiltrate and normal cells "
                 "shed no tumour DNA.",
                 "First-order clearance with the half-life of cell-free fetal DNA (Lo 1999: 16.3 min); "
                 "the often-quoted ~2 h for ctDNA after surgery could not be checked here.",
                 "One clonal mutation; background cfDNA constant; one blood sample per draw.",
                 "Teaching cases: tumour cells scale with the cube of the scans' target sum "
                 "(response and progression), and fall as in response under pseudoprogression."),
    limits=("No burst of ctDNA when therapy kills cells, no clonal haematopoiesis, no assay error "
            "other than counting.",
            "Shedding varies widely by tumour type, stage and patient (ctDNA found in >75% of several "
            "advanced cancers but <50% of brain, renal, prostate and thyroid: Bettegowda 2014).",
            "Goldberg's molecular response needs a second confirming sample; the model uses one.",
            "Real tumour-informed assays pool many mutations and so detect below one copy per mutation."),
    references=("Lo YMD et al. (1999). Am J Hum Genet 64:218-224. doi:10.1086/302205",
                "Abbosh C et al. (2017). Nature 545:446-451. doi:10.1038/nature22364",
                "Fiala C, Diamandis EP (2018). BMC Med 16:166. doi:10.1186/s12916-018-1157-9",
                "Bettegowda C et al. (2014). Sci Transl Med 6:224ra24.",
                "Goldberg SB et al. (2018). Clin Cancer Res 24:1872-1880 (ctDNA response: >50% fall).",
                "Lee JH et al. (2018). JAMA Oncol 4:717-721 (ctDNA in pseudoprogression)."),
)


def steady_state_copies(tumor_cells: float, shed_rate: float = SHED_RATE.default,
                        half_life_hours: float = HALF_LIFE.default) -> float:
    """Mutant copies per mL when shedding balances clearance: M* = k·N·t½ / ln 2."""
    cells = check_real("tumor_cells", tumor_cells, 0.0, 1e14, "cells")
    k = SHED_RATE.check(shed_rate) / _SHED_UNIT_CELLS
    return k * cells / _clearance_per_day(HALF_LIFE.check(half_life_hours))


def steady_state_vaf(tumor_cells: float, shed_rate: float = SHED_RATE.default,
                     half_life_hours: float = HALF_LIFE.default,
                     background_copies_per_ml: float = BACKGROUND.default) -> float:
    """Variant allele fraction (0-1) at steady state: M* / (M* + B)."""
    copies = steady_state_copies(tumor_cells, shed_rate, half_life_hours)
    return copies / (copies + BACKGROUND.check(background_copies_per_ml))


def smallest_detectable_cells(detection_limit_pct: float = DETECTION_LIMIT.default,
                              shed_rate: float = SHED_RATE.default,
                              half_life_hours: float = HALF_LIFE.default,
                              background_copies_per_ml: float = BACKGROUND.default) -> float:
    """Tumour cells whose steady-state VAF equals the detection limit (counting noise aside).

    Solves M*/(M* + B) = L: N = L/(1 − L) · B · (ln 2/t½) / k.
    """
    limit = DETECTION_LIMIT.check(detection_limit_pct) / 100.0
    k = SHED_RATE.check(shed_rate) / _SHED_UNIT_CELLS
    background = BACKGROUND.check(background_copies_per_ml)
    return limit / (1.0 - limit) * background * _clearance_per_day(HALF_LIFE.check(half_life_hours)) / k


def detection_probability(tumor_cells: float, detection_limit_pct: float = DETECTION_LIMIT.default,
                          shed_rate: float = SHED_RATE.default, half_life_hours: float = HALF_LIFE.default,
                          plasma_ml: float = PLASMA_VOLUME.default,
                          background_copies_per_ml: float = BACKGROUND.default) -> float:
    """Chance that one sample at steady state is called positive.

    With the wild-type count at its mean W = B·V, the call needs X ≥ c mutant copies,
    c = max(1, ⌈L·W/(1 − L)⌉), and X ~ Poisson(M*·V): P = P(X ≥ c).
    """
    limit = DETECTION_LIMIT.check(detection_limit_pct) / 100.0
    volume = PLASMA_VOLUME.check(plasma_ml)
    wild_type = BACKGROUND.check(background_copies_per_ml) * volume
    needed = max(1, math.ceil(limit * wild_type / (1.0 - limit) - 1e-9))
    expected = steady_state_copies(tumor_cells, shed_rate, half_life_hours) * volume
    return float(pdtrc(needed - 1, expected))  # P(X > c - 1), the Poisson survival function


def ctdna_copies(days: Any, tumor_cells: Any, shed_rate: float = SHED_RATE.default,
                 half_life_hours: float = HALF_LIFE.default,
                 initial_copies_per_ml: float | None = None) -> np.ndarray:
    """Solve dM/dt = k·N(t) − λ·M exactly for N linear between the given days (λ = ln 2/t½).

    On an interval of length h with N going from N0 to N1 (slope b):
    M1 = M0·e^{−λh} + (k/λ)·(N1 − N0·e^{−λh}) − (k·b/λ²)·(1 − e^{−λh}).
    ``initial_copies_per_ml`` defaults to the steady state of the first day's tumour.
    """
    t, cells = _check_series(days, tumor_cells)
    k = SHED_RATE.check(shed_rate) / _SHED_UNIT_CELLS
    lam = _clearance_per_day(HALF_LIFE.check(half_life_hours))
    start = (k * cells[0] / lam if initial_copies_per_ml is None
             else check_real("initial_copies_per_ml", initial_copies_per_ml, 0.0, 1e12, "copies/mL"))
    h = np.diff(t)
    decay = np.exp(-lam * h)
    gone = -np.expm1(-lam * h)
    slope = np.diff(cells) / h
    added = (k / lam) * (cells[1:] - cells[:-1] * decay) - (k * slope / lam**2) * gone
    copies = np.empty_like(cells)
    copies[0] = start
    m = start
    for i, (a, c) in enumerate(zip(decay.tolist(), added.tolist(), strict=True), start=1):
        m = a * m + c
        copies[i] = m
    return np.maximum(copies, 0.0)  # rounding can leave -1e-17 after the tumour is gone


def _check_series(days: Any, tumor_cells: Any) -> tuple[np.ndarray, np.ndarray]:
    t = check_array("days", days, 0.0, 36_500.0, "days")
    cells = check_array("tumor_cells", tumor_cells, 0.0, 1e14, "cells")
    if t.ndim != 1 or t.size < 2:
        raise ValueError(f"days must be a 1-D sequence of at least 2 times; got shape {t.shape}")
    if cells.shape != t.shape:
        raise ValueError(f"tumor_cells must have one value per day ({t.size}); got shape {cells.shape}")
    if not (np.diff(t) > 0).all():
        raise ValueError("days must be strictly increasing")
    return t, cells


def ctdna_trajectory(days: Any, tumor_cells: Any, shed_rate: float = SHED_RATE.default,
                     half_life_hours: float = HALF_LIFE.default,
                     detection_limit_pct: float = DETECTION_LIMIT.default,
                     plasma_ml: float = PLASMA_VOLUME.default,
                     background_copies_per_ml: float = BACKGROUND.default, seed: int = 0,
                     initial_copies_per_ml: float | None = None) -> pd.DataFrame:
    """ctDNA in plasma for a given tumour trajectory, and what a blood sample on each day would show.

    Parameters
    ----------
    days : array of float
        Strictly increasing times in days, in [0, 36500].
    tumor_cells : array of float
        Tumour cells at those times (linear in between), in [0, 1e14].
    shed_rate, half_life_hours, detection_limit_pct, plasma_ml, background_copies_per_ml : float
        See the registry entries ``liquid_biopsy.*`` for meaning, unit, range and source.
    seed : int
        Seed of the Poisson sampling; the same seed gives the same samples.
    initial_copies_per_ml : float, optional
        Mutant copies per mL at the first day; default: the steady state of the first tumour.

    Returns
    -------
    pandas.DataFrame
        ``day``, ``tumor_cells``, ``ctdna_copies_per_ml`` (model M), ``ctdna_vaf`` (model M/(M+B),
        a fraction: 0.01 is 1%), ``mutant_copies`` and ``wild_type_copies`` (counted in the sample),
        ``measured_vaf`` (fraction) and ``detected`` (bool).
    """
    limit = DETECTION_LIMIT.check(detection_limit_pct) / 100.0
    volume = PLASMA_VOLUME.check(plasma_ml)
    background = BACKGROUND.check(background_copies_per_ml)
    seed = check_int("seed", seed, 0, 2**32 - 1)
    t, cells = _check_series(days, tumor_cells)
    copies = ctdna_copies(t, cells, shed_rate, half_life_hours, initial_copies_per_ml)
    rng = np.random.default_rng(seed)
    mutant = rng.poisson(copies * volume)
    wild_type = rng.poisson(background * volume, size=t.size)
    total = mutant + wild_type
    measured = np.divide(mutant, total, out=np.zeros(t.size), where=total > 0)
    return pd.DataFrame({
        "day": t,
        "tumor_cells": cells,
        "ctdna_copies_per_ml": copies,
        "ctdna_vaf": copies / (copies + background),
        "mutant_copies": mutant,
        "wild_type_copies": wild_type,
        "measured_vaf": measured,
        "detected": (mutant >= 1) & (measured >= limit - 1e-12),
    })


def early_ctdna_change(frame: pd.DataFrame, week: float = 6.0, measured: bool = False) -> float:
    """Fold change of ctDNA from baseline (day 0) to ``week``: VAF(week) / VAF(0).

    ``measured=False`` reads the model's VAF; ``measured=True`` the sampled VAF of the
    blood draws (a baseline with no mutant copies has no fold change: ValueError).
    """
    week = check_real("week", week, 0.0, 520.0, "weeks")
    if not isinstance(measured, bool):  # 'no' would read as True
        raise TypeError(f"measured must be True or False; got {type(measured).__name__} {measured!r:.30}")
    column = "measured_vaf" if measured else "ctdna_vaf"
    if not isinstance(frame, pd.DataFrame) or not {"day", column} <= set(frame.columns) or len(frame) < 2:
        raise ValueError(f"frame must have columns 'day' and {column!r} and at least two rows "
                         f"(ctdna_trajectory output); got {type(frame).__name__}")
    check_array("frame['day']", frame["day"], 0.0, 36500.0, "days")
    check_array(f"frame[{column!r}]", frame[column], 0.0, 1.0, "fraction")
    day = 7.0 * week
    if not frame["day"].iloc[0] <= day <= frame["day"].iloc[-1]:
        raise ValueError(f"week must be within the frame's days ({frame['day'].iloc[0]:g} to "
                         f"{frame['day'].iloc[-1]:g}); got week {week:g} = day {day:g}")
    baseline = float(np.interp(0.0, frame["day"], frame[column]))
    if baseline <= 0:
        raise ValueError("baseline ctDNA is 0 (not detected): there is no fold change to compute")
    return float(np.interp(day, frame["day"], frame[column])) / baseline


def molecular_response(fold_change: float) -> str:
    """"molecular response" when ctDNA fell by more than 50% (fold < 0.5; Goldberg 2018), else "no ...".

    ``fold_change`` (on-treatment ÷ baseline ctDNA) in [0, 1e12].
    """
    fold = check_real("fold_change", fold_change, 0.0, 1e12)
    return "molecular response" if fold < MOLECULAR_RESPONSE_FOLD else "no molecular response"


# --- Teaching cases ---------------------------------------------------------------------------

SCENARIOS: tuple[str, ...] = ("response", "progression", "pseudoprogression")
#: What happens in each teaching case (one line, for descriptions).
SCENARIO_NOTES: Mapping[str, str] = MappingProxyType({
    "response": "the tumour shrinks from the start: cells and scans fall together",
    "progression": "the treatment does not work: the tumour keeps growing",
    "pseudoprogression": "immune cells swell the scan at week 6 while the tumour cells already fall",
})
WEEKS = 24
DRAW_EVERY_DAYS = 7  # weekly blood draws


@dataclass(frozen=True)
class Scenario:
    """A teaching case: the imaging side (scans) and the ctDNA side (daily, with weekly draws)."""

    kind: str
    scans: tuple[response.Assessment, ...]
    #: ``day``, ``week``, ``tumor_cells``, ``tumor_only_sum_mm`` (the diameter sum of the tumour cells alone).
    tumor: pd.DataFrame
    #: :func:`ctdna_trajectory` output on the daily grid, plus ``week`` and ``draw`` (a weekly blood draw).
    ctdna: pd.DataFrame
    detection_limit_pct: float
    plasma_ml: float

    def __post_init__(self) -> None:
        check_record(self)
        check_choice("kind", self.kind, SCENARIOS)
        DETECTION_LIMIT.check(self.detection_limit_pct, "detection_limit_pct")
        PLASMA_VOLUME.check(self.plasma_ml, "plasma_ml")

    @property
    def draws(self) -> pd.DataFrame:
        """The rows of ``ctdna`` on blood-draw days."""
        return self.ctdna[self.ctdna["draw"]].reset_index(drop=True)

    @property
    def imaging(self) -> pd.DataFrame:
        """``week`` and ``target_sum_mm`` at each scan, with RECIST 1.1 and iRECIST categories."""
        return _imaging_table(self.scans)


def _imaging_table(scans: tuple[response.Assessment, ...]) -> pd.DataFrame:
    return pd.DataFrame({"week": [a.week for a in scans],
                         "target_sum_mm": [a.target_sum_mm for a in scans],
                         "recist": ["baseline", *response.classify_recist(scans)],
                         "irecist": ["baseline", *response.classify_irecist(scans)]})


def _volume_rate_per_week(kind: str) -> float:
    """Exponential rate of tumour *volume* (cells): 3 × the diameter rate of the response model."""
    if kind == "progression":
        return 3.0 * response.PRETREATMENT_GROWTH.default / 100.0
    return -3.0 * response.SHRINK_RATE.default / 100.0  # response, and the tumour under pseudoprogression


_IMAGING: Mapping[str, Callable[[int], list[response.Assessment]]] = MappingProxyType({
    "response": lambda seed: response.delayed_response(seed, turn_week=0.0, scans=WEEKS // 6),
    "progression": lambda seed: response.true_progression(seed, scans=WEEKS // 6),
    "pseudoprogression": lambda seed: response.pseudoprogression(seed, scans=WEEKS // 6),
})


@functools.lru_cache(maxsize=64)
def _tumor_side(kind: str, seed: int, baseline_cells: float) -> tuple[tuple[response.Assessment, ...],
                                                                       pd.DataFrame]:
    # Slider moves re-run only the ctDNA: the scans and the tumour depend on the case alone.
    scans = tuple(_IMAGING[kind](seed))
    day = np.arange(0.0, 7.0 * WEEKS + 1.0)
    week = day / 7.0
    cells = baseline_cells * np.exp(_volume_rate_per_week(kind) * week)
    diameter_sum = response.BASELINE_SUM.default * np.cbrt(cells / baseline_cells)
    tumor = pd.DataFrame({"day": day, "week": week, "tumor_cells": cells, "tumor_only_sum_mm": diameter_sum})
    return scans, tumor


def scenario(kind: str, seed: int = 0, shed_rate: float = SHED_RATE.default,
             half_life_hours: float = HALF_LIFE.default,
             detection_limit_pct: float = DETECTION_LIMIT.default, plasma_ml: float = PLASMA_VOLUME.default,
             background_copies_per_ml: float = BACKGROUND.default,
             baseline_cells: float = BASELINE_CELLS.default) -> Scenario:
    """One teaching case over 24 weeks: scans every 6 weeks and ctDNA with weekly blood draws.

    Imaging comes from lesson 05's generators (:mod:`primer_lib.response`): "response" is
    shrinkage from week 0 (6%/week in diameter), "progression" growth at 2%/week (follow-up
    ends at confirmed progression), "pseudoprogression" a +30% swelling and a transient new
    lesion at week 6, then shrinkage. Tumour cells scale with the cube of the diameter rate
    (volume ∝ diameter³); under pseudoprogression they fall as in response from week 0,
    because the swelling is infiltrate, not tumour.
    """
    check_choice("kind", kind, SCENARIOS)
    seed = check_int("seed", seed, 0, 2**32 - 1)
    cells0 = BASELINE_CELLS.check(baseline_cells)
    limit = DETECTION_LIMIT.check(detection_limit_pct)
    volume = PLASMA_VOLUME.check(plasma_ml)
    scans, tumor = _tumor_side(kind, seed, cells0)
    frame = ctdna_trajectory(tumor["day"].to_numpy(), tumor["tumor_cells"].to_numpy(), shed_rate,
                             half_life_hours, limit, volume, background_copies_per_ml, seed)
    frame.insert(1, "week", tumor["week"].to_numpy())
    frame["draw"] = (frame["day"].to_numpy() % DRAW_EVERY_DAYS) == 0
    return Scenario(kind=kind, scans=scans, tumor=tumor, ctdna=frame, detection_limit_pct=limit,
                    plasma_ml=volume)
