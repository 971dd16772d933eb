"""Drug combinations: reference models of "no interaction", and independent drug action.

Model card
----------
Shows
    Whether two drugs together do more than expected depends on what is expected.
    Three reference models give three expectations for the same dose matrix
    (Bliss independence, highest single agent, Loewe additivity); the excess of
    the observed effect over a reference is called synergy when positive. For
    patients, independent drug action (Palmer & Sorger 2017) shows how a
    combination can lengthen progression-free survival with no interaction at
    all: each patient benefits from whichever drug works better for them.
Equations
    Hill: e(d) = emax·d^h/(EC50^h + d^h). Bliss: e_A + e_B − e_A·e_B. HSA:
    max(e_A, e_B). Loewe: y with d_A/D_A(y) + d_B/D_B(y) = 1, D = inverse Hill.
    IDA: each patient's PFS is max(PFS_A, PFS_B).
Assumptions
    Effects are fractional inhibition in [0, 1]; both drugs follow Hill curves
    with one shared emax; IDA patient times are linked by a Gaussian copula.
Limits
    Each reference is an assumption, not a fact: Bliss assumes independent
    mechanisms, Loewe same-target dose equivalence (undefined above the weaker
    drug's emax), HSA is the most lenient. The potency-shift pair is a teaching
    construct; the IDA curves are illustrative.

References: Bliss CI (1939) Ann Appl Biol 26:585-615; Loewe S, Muischnek H (1926)
Naunyn-Schmiedebergs Arch Exp Pathol Pharmakol 114:313-326; Palmer AC, Sorger PK
(2017) Cell 171:1678-1691, doi:10.1016/j.cell.2017.11.009.
"""

from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtri

from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_array, check_int, check_real

__all__ = [
    "ILLUSTRATIVE", "DOSE_UNIT", "EC50_A", "EC50_B", "HILL_A", "HILL_B", "INTERACTION", "RHO", "MEDIAN_A",
    "MEDIAN_B", "PARAMETERS", "MODEL_CARD", "TEACHING_DOSES", "PATIENTS", "DrugPair", "hill", "hill_inverse",
    "bliss_excess", "hsa_excess", "loewe_combination_index", "loewe_reference", "loewe_excess",
    "dose_response_matrix", "exponential_survival", "independent_drug_action", "ida_median",
]

ILLUSTRATIVE = "Illustrative teaching value, not fitted to any drug"
DOSE_UNIT = "dose units"

EC50_A = Parameter(
    name="combinations.ec50_a", label="Drug A EC50", symbol="EC50_A", default=1.0,
    unit=DOSE_UNIT, minimum=0.1, maximum=10.0, step=0.1,
    meaning="Dose of drug A alone that gives half its maximal effect (lower = more potent)",
    source=ILLUSTRATIVE, calibrated=False)
EC50_B = Parameter(
    name="combinations.ec50_b", label="Drug B EC50", symbol="EC50_B", default=2.0,
    unit=DOSE_UNIT, minimum=0.1, maximum=10.0, step=0.1,
    meaning="Dose of drug B alone that gives half its maximal effect (lower = more potent)",
    source=ILLUSTRATIVE, calibrated=False)
HILL_A = Parameter(
    name="combinations.hill_a", label="Drug A Hill coefficient", symbol="h_A", default=1.0,
    unit="", minimum=0.5, maximum=4.0, step=0.1,
    meaning="Steepness of drug A's dose-response curve", source=ILLUSTRATIVE, calibrated=False)
HILL_B = Parameter(
    name="combinations.hill_b", label="Drug B Hill coefficient", symbol="h_B", default=1.5,
    unit="", minimum=0.5, maximum=4.0, step=0.1,
    meaning="Steepness of drug B's dose-response curve", source=ILLUSTRATIVE, calibrated=False)
INTERACTION = Parameter(
    name="combinations.interaction", label="Interaction (B sensitises A)", symbol="α", default=2.0,
    unit="", minimum=-0.9, maximum=10.0, step=0.1,
    meaning="Drug B divides drug A's EC50 by 1 + α·e_B: α > 0 synergy, 0 Bliss-independent, "
            "α < 0 antagonism", source=ILLUSTRATIVE, calibrated=False)
RHO = Parameter(
    name="combinations.rho", label="Correlation ρ (Spearman)", symbol="ρ", default=0.0,
    unit="", minimum=-1.0, maximum=1.0, step=0.1,
    meaning="Rank correlation between a patient's progression-free times on drug A and on drug B",
    source="Illustrative; Palmer & Sorger 2017 measure it as Spearman's ρ", calibrated=False)
MEDIAN_A = Parameter(
    name="combinations.median_a", label="Drug A median PFS", symbol="m_A", default=4.0,
    unit="months", minimum=1.0, maximum=24.0, step=0.5,
    meaning="Median progression-free survival on drug A alone (exponential curve)",
    source="Illustrative; not from a trial", calibrated=False)
MEDIAN_B = Parameter(
    name="combinations.median_b", label="Drug B median PFS", symbol="m_B", default=6.0,
    unit="months", minimum=1.0, maximum=24.0, step=0.5,
    meaning="Median progression-free survival on drug B alone (exponential curve)",
    source="Illustrative; not from a trial", calibrated=False)

PARAMETERS = (EC50_A, EC50_B, HILL_A, HILL_B, INTERACTION, RHO, MEDIAN_A, MEDIAN_B)

MODEL_CARD = ModelCard(
    title="Drug combinations: synergy references and independent drug action",
    shows="Whether a combination is 'synergistic' depends on the reference model: Bliss "
          "independence, highest single agent (HSA) and Loewe additivity expect different effects "
          "from the same two drugs, so the same dose matrix can be synergy under one and additive "
          "or antagonistic under another. Independent drug action (IDA) shows that a combination "
          "can beat both monotherapies in a population without any drug interaction, because "
          "each patient gets the benefit of whichever drug works better for them.",
    equations=("Hill: e(d) = emax·d^h / (EC50^h + d^h);  inverse D(e) = EC50·(e/(emax − e))^(1/h)",
               "Bliss excess = e_AB − (e_A + e_B − e_A·e_B)",
               "HSA excess = e_AB − max(e_A, e_B)",
               "Loewe: y_Loewe solves d_A/D_A(y) + d_B/D_B(y) = 1;  excess = e_AB − y_Loewe;  "
               "CI = d_A/D_A(e_AB) + d_B/D_B(e_AB) (CI < 1 synergy)",
               "Teaching pair: e_AB = 1 − (1 − e_A*)(1 − e_B), e_A* = Hill(d_A; EC50_A/(1 + α·e_B))",
               "IDA: PFS_AB = max(PFS_A, PFS_B) per patient;  ρ = 0: S_AB = 1 − (1 − S_A)(1 − S_B);  "
               "ρ = 1: max(S_A, S_B);  ρ = −1: min(1, S_A + S_B)"),
    assumptions=("Effect is fractional inhibition in [0, 1]; a positive excess means synergy.",
                 "Each drug alone follows a Hill curve; both share one maximal effect emax.",
                 "Bliss assumes the drugs act by independent mechanisms (probabilities multiply).",
                 "Loewe assumes the drugs are doses of the same thing: a dose of B is worth a "
                 "fixed-effect equivalent dose of A (same target, dose equivalence).",
                 "HSA only asks that the pair beat its better member.",
                 "The teaching pair: drug B makes drug A more potent, dividing A's EC50 by "
                 "1 + α·e_B; with α = 0 the pair is exactly Bliss-independent.",
                 "IDA: no interaction at all; a patient's times on A and B are linked only by "
                 "their rank correlation ρ (Gaussian copula, latent r = 2·sin(π·ρ/6))."),
    limits=("Every reference is a choice, not a fact: the same data can be called synergy by one "
            "and antagonism by another, so a synergy claim must name its reference.",
            "Bliss is only right for independent mechanisms: a drug combined with itself (Loewe-"
            "additive by definition) looks antagonistic to Bliss when its Hill coefficient is 1, and "
            "synergistic at low doses when its curve is steeper (h > 1).",
            "Loewe is undefined above the weaker drug's maximal effect; with one shared emax this "
            "never happens here, and its combination index is undefined at effect 0 or ≥ emax.",
            "HSA is the most lenient: its excess is never below Bliss's or Loewe's, so it finds the "
            "most 'synergy'.",
            "The teaching pair and all parameter values are illustrative, not fitted to drugs.",
            "IDA explains combination benefit without any drug interaction; it says nothing about "
            "toxicity, and the PFS curves here are illustrative exponentials, not trial data."),
    references=("Bliss CI (1939). The toxicity of poisons applied jointly. Ann Appl Biol "
                "26:585–615. doi:10.1111/j.1744-7348.1939.tb06990.x",
                "Loewe S, Muischnek H (1926). Über Kombinationswirkungen. Naunyn-Schmiedebergs "
                "Arch Exp Pathol Pharmakol 114:313–326",
                "Palmer AC, Sorger PK (2017). Combination cancer therapy can confer benefit via "
                "patient-to-patient variability without drug additivity or synergy. Cell "
                "171:1678–1691. doi:10.1016/j.cell.2017.11.009"),
)

#: Doses of the lesson's matrix: 11 log-spaced doses, 0.01 to 100 dose units (0.4 decade apart).
TEACHING_DOSES = np.logspace(-2.0, 2.0, 11)
TEACHING_DOSES.flags.writeable = False
#: Virtual patients per IDA simulation: the standard error of S(t) is at most 0.5/√N ≈ 0.0016.
PATIENTS = 100_000
#: Bisection steps for the Loewe reference: the interval (0, emax) shrinks below 1e-19.
_BISECTIONS = 64


@dataclass(frozen=True)
class DrugPair:
    """The lesson's pair of drugs (see :func:`dose_response_matrix`), checked against the registry."""

    ec50_a: float = EC50_A.default
    hill_a: float = HILL_A.default
    ec50_b: float = EC50_B.default
    hill_b: float = HILL_B.default
    interaction: float = INTERACTION.default

    def __post_init__(self) -> None:
        for record in (EC50_A, HILL_A, EC50_B, HILL_B, INTERACTION):
            record.check(getattr(self, record.key))

    def matrix(self, doses_a: Any = TEACHING_DOSES, doses_b: Any = TEACHING_DOSES) -> np.ndarray:
        """Observed effect matrix of this pair, :func:`dose_response_matrix`."""
        return dose_response_matrix(self.ec50_a, self.hill_a, self.ec50_b, self.hill_b,
                                    self.interaction, doses_a, doses_b)


# ---------------------------------------------------------------- argument checks

def _numbers(name: str, value: Any, low: float, high: float, unit: str = "") -> np.ndarray:
    """A scalar or array of real numbers in [low, high] as a float array."""
    kind = None if isinstance(value, str | bytes) else _dtype_kind(value)
    if kind is None or kind not in "iuf":
        # Strings like "1" would convert silently, and True is not a dose.
        raise TypeError(f"{name} must be real numbers in [{low:g}, {high:g}]"
                        f"{' ' + unit if unit else ''}; got {type(value).__name__}")
    return check_array(name, value, low, high, unit)


def _dtype_kind(value: Any) -> str | None:
    try:
        return str(np.asarray(value).dtype.kind)
    except (TypeError, ValueError):  # ragged lists
        return None


def _above_zero(name: str, value: Any, high: float = math.inf, unit: str = "") -> float:
    """``value`` as a float in (0, high] ((0, inf) when high is inf); validation has closed ranges only."""
    allowed = (f"(0, {high:g}]" if math.isfinite(high) else "(0, inf)") + (f" {unit}" if unit else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number in {allowed}; got {type(value).__name__} {value!r}")
    number = float(value)
    if not 0.0 < number <= high or math.isinf(number):
        raise ValueError(f"{name} must be in {allowed}; got {value!r}")
    return number


def _positive(name: str, value: Any, unit: str = "") -> float:
    return _above_zero(name, value, unit=unit)


def _emax(value: Any) -> float:
    return _above_zero("emax", value, 1.0)


def _doses(name: str, value: Any) -> np.ndarray:
    return _numbers(name, value, 0.0, math.inf, DOSE_UNIT)


def _effects(name: str, value: Any) -> np.ndarray:
    return _numbers(name, value, 0.0, 1.0)


def _result(values: np.ndarray, *inputs: Any) -> Any:
    """A float when every array input was a scalar, else the array."""
    return float(values) if all(np.ndim(x) == 0 for x in inputs) else values


# ---------------------------------------------------------------- single drugs

def _hill(d: np.ndarray, ec50: float | np.ndarray, h: float, emax: float) -> np.ndarray:
    # emax / (1 + (EC50/d)^h) is the same curve, exact at d = 0 (→ 0) and d = inf (→ emax); a
    # tiny dose overflows (EC50/d)^h to inf, which gives the exact 0 too.
    with np.errstate(divide="ignore", over="ignore"):
        return emax / (1.0 + (ec50 / d) ** h)


def _hill_inverse(e: np.ndarray, ec50: float, h: float, emax: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        dose = ec50 * (e / (emax - e)) ** (1.0 / h)
    return np.where(e < emax, dose, np.nan)


def hill(dose: Any, ec50: float, hill_coefficient: float, emax: float = 1.0) -> Any:
    """Fractional inhibition of one drug: e(d) = emax·d^h / (EC50^h + d^h).

    Parameters
    ----------
    dose : float or array
        Doses, ≥ 0 (dose units; ``inf`` gives emax).
    ec50 : float
        Dose giving half the maximal effect, > 0.
    hill_coefficient : float
        Steepness h, > 0.
    emax : float
        Maximal effect, in (0, 1].

    Returns
    -------
    float or numpy.ndarray
        Effect in [0, emax], a float for a scalar dose.
    """
    d = _doses("dose", dose)
    value = _hill(d, _positive("ec50", ec50, DOSE_UNIT),
                  _positive("hill_coefficient", hill_coefficient), _emax(emax))
    return _result(value, dose)


def hill_inverse(effect: Any, ec50: float, hill_coefficient: float, emax: float = 1.0) -> Any:
    """Dose giving ``effect``: D(e) = EC50·(e/(emax − e))^(1/h).

    Parameters
    ----------
    effect : float or array
        Fractional inhibition, in [0, 1].
    ec50, hill_coefficient, emax : float
        As in :func:`hill`.

    Returns
    -------
    float or numpy.ndarray
        Dose (0 at effect 0); NaN where effect ≥ emax, which no dose reaches.
    """
    e = _effects("effect", effect)
    value = _hill_inverse(e, _positive("ec50", ec50, DOSE_UNIT),
                          _positive("hill_coefficient", hill_coefficient), _emax(emax))
    return _result(value, effect)


# ---------------------------------------------------------------- reference models

def bliss_excess(effect_a: Any, effect_b: Any, effect_ab: Any) -> Any:
    """Excess over Bliss independence: e_AB − (e_A + e_B − e_A·e_B).

    Bliss expects independent mechanisms: the fractions surviving each drug
    multiply, 1 − e_AB = (1 − e_A)(1 − e_B). Positive means synergy.

    Parameters
    ----------
    effect_a, effect_b : float or array
        Effects of each drug alone at the combination's doses, in [0, 1].
    effect_ab : float or array
        Observed effect of the combination, in [0, 1] (arrays broadcast).

    Returns
    -------
    float or numpy.ndarray
        Excess in [−1, 1].
    """
    a, b, ab = _effects("effect_a", effect_a), _effects("effect_b", effect_b), \
        _effects("effect_ab", effect_ab)
    return _result(ab - (a + b - a * b), effect_a, effect_b, effect_ab)


def hsa_excess(effect_a: Any, effect_b: Any, effect_ab: Any) -> Any:
    """Excess over the highest single agent: e_AB − max(e_A, e_B).

    Arguments as in :func:`bliss_excess`. Never below the Bliss excess, since
    the difference is min(e_A, e_B)·(1 − max(e_A, e_B)) ≥ 0, nor below the Loewe
    excess, since y_Loewe ≥ max(e_A, e_B).
    """
    a, b, ab = _effects("effect_a", effect_a), _effects("effect_b", effect_b), \
        _effects("effect_ab", effect_ab)
    return _result(ab - np.maximum(a, b), effect_a, effect_b, effect_ab)


def _loewe_arguments(dose_a: Any, dose_b: Any, effect_ab: Any, ec50_a: Any, hill_a: Any,
                     ec50_b: Any, hill_b: Any, emax: Any) -> tuple[Any, ...]:
    # Finite doses: a combination index at an infinite dose has no value to report.
    return (_numbers("dose_a", dose_a, 0.0, 1e300, DOSE_UNIT),
            _numbers("dose_b", dose_b, 0.0, 1e300, DOSE_UNIT), _effects("effect_ab", effect_ab),
            _positive("ec50_a", ec50_a, DOSE_UNIT), _positive("hill_a", hill_a),
            _positive("ec50_b", ec50_b, DOSE_UNIT), _positive("hill_b", hill_b), _emax(emax))


def loewe_combination_index(dose_a: Any, dose_b: Any, effect_ab: Any, ec50_a: float, hill_a: float,
                            ec50_b: float, hill_b: float, emax: float = 1.0) -> Any:
    """Loewe (Chou–Talalay) combination index: CI = d_A/D_A(e_AB) + d_B/D_B(e_AB).

    D_A, D_B are the inverse Hill curves (:func:`hill_inverse`): the dose of
    each drug alone that gives the combination's effect. CI < 1 synergy, = 1
    Loewe-additive, > 1 antagonism.

    Parameters
    ----------
    dose_a, dose_b : float or array
        Doses in the combination, in [0, 1e300] (finite).
    effect_ab : float or array
        Observed effect of the combination, in [0, 1].
    ec50_a, hill_a, ec50_b, hill_b : float
        Hill curves of each drug alone (> 0).
    emax : float
        Maximal effect shared by both drugs, in (0, 1].

    Returns
    -------
    float or numpy.ndarray
        CI; NaN where it is undefined: effect_ab = 0 (D = 0) or effect_ab ≥ emax
        (no single dose reaches it).
    """
    d_a, d_b, e, c_a, h_a, c_b, h_b, top = _loewe_arguments(
        dose_a, dose_b, effect_ab, ec50_a, hill_a, ec50_b, hill_b, emax)
    with np.errstate(divide="ignore", invalid="ignore"):
        ci = d_a / _hill_inverse(e, c_a, h_a, top) + d_b / _hill_inverse(e, c_b, h_b, top)
    return _result(np.where((e > 0) & (e < top), ci, np.nan), dose_a, dose_b, effect_ab)


def loewe_reference(dose_a: Any, dose_b: Any, ec50_a: float, hill_a: float, ec50_b: float,
                    hill_b: float, emax: float = 1.0) -> Any:
    """Loewe-additive effect y_Loewe: the y in (0, emax) with d_A/D_A(y) + d_B/D_B(y) = 1.

    The left side falls from +inf to 0 as y goes from 0 to emax, so the root is
    unique; it is found by bisection on y over the whole array at once (64
    halvings). Exact on the axes (y = e_A when d_B = 0), 0 when both doses are 0,
    and for h_A = h_B = h it equals Hill(x; 1, h, emax) with x = d_A/EC50_A + d_B/EC50_B.
    With one shared emax it is defined for every dose pair (it would be undefined
    above the weaker drug's emax if the two differed).

    Arguments as in :func:`loewe_combination_index`, without ``effect_ab``.
    """
    d_a, d_b, _, c_a, h_a, c_b, h_b, top = _loewe_arguments(
        dose_a, dose_b, 0.0, ec50_a, hill_a, ec50_b, hill_b, emax)
    return _result(_loewe_reference(d_a, d_b, c_a, h_a, c_b, h_b, top), dose_a, dose_b)


def _loewe_reference(d_a: np.ndarray, d_b: np.ndarray, c_a: float, h_a: float, c_b: float,
                     h_b: float, top: float) -> np.ndarray:
    d_a, d_b = np.broadcast_arrays(d_a, d_b)
    low, high = np.zeros(d_a.shape), np.full(d_a.shape, top)
    # odds ** (1/h) may overflow to inf for a steep curve near the top: the comparison is still exact.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(_BISECTIONS):
            y = 0.5 * (low + high)
            odds = y / (top - y)
            above = d_a / (c_a * odds ** (1.0 / h_a)) + d_b / (c_b * odds ** (1.0 / h_b)) > 1.0
            low, high = np.where(above, y, low), np.where(above, high, y)
    return 0.5 * (low + high)


def loewe_excess(dose_a: Any, dose_b: Any, effect_ab: Any, ec50_a: float, hill_a: float,
                 ec50_b: float, hill_b: float, emax: float = 1.0) -> Any:
    """Excess over Loewe additivity: e_AB − y_Loewe (see :func:`loewe_reference`).

    Arguments as in :func:`loewe_combination_index`. Positive means synergy.
    NaN where the reference is undefined; with one emax shared by both drugs
    (the case here) that is nowhere, so unlike the CI it is finite at
    effect_ab = 0 and at effect_ab ≥ emax.
    """
    d_a, d_b, e, c_a, h_a, c_b, h_b, top = _loewe_arguments(
        dose_a, dose_b, effect_ab, ec50_a, hill_a, ec50_b, hill_b, emax)
    return _result(e - _loewe_reference(d_a, d_b, c_a, h_a, c_b, h_b, top), dose_a, dose_b, effect_ab)


def dose_response_matrix(ec50_a: float, hill_a: float, ec50_b: float, hill_b: float,
                         interaction: float, doses_a: Any, doses_b: Any) -> np.ndarray:
    """Observed effects of the lesson's pair, a potency-shift response surface.

    Drug B makes drug A more potent: at B's effect e_B, A's EC50 is divided by
    1 + α·e_B; the shifted A and B then combine Bliss-independently:

        e_B = Hill(d_B; EC50_B, h_B),  e_A* = Hill(d_A; EC50_A/(1 + α·e_B), h_A),
        e_AB = 1 − (1 − e_A*)(1 − e_B).

    With α = 0 the pair is Bliss-independent exactly (Bliss excess 0); α > 0
    gives synergy, α < 0 antagonism. emax = 1 for both drugs. A teaching
    construct, not a published model.

    Parameters
    ----------
    ec50_a, hill_a, ec50_b, hill_b : float
        Hill curves of each drug alone (> 0).
    interaction : float
        α, in [−0.9, 10].
    doses_a, doses_b : 1-D arrays
        Doses of each drug, ≥ 0.

    Returns
    -------
    numpy.ndarray
        Shape (len(doses_a), len(doses_b)): row i is dose_a[i], column j dose_b[j].
    """
    d_a, d_b = _doses("doses_a", doses_a), _doses("doses_b", doses_b)
    for name, d in (("doses_a", d_a), ("doses_b", d_b)):
        if d.ndim != 1:
            raise ValueError(f"{name} must be a 1-D array of doses; got {d.ndim} dimensions")
    alpha = INTERACTION.check(interaction)
    c_a, h_a = _positive("ec50_a", ec50_a, DOSE_UNIT), _positive("hill_a", hill_a)
    c_b, h_b = _positive("ec50_b", ec50_b, DOSE_UNIT), _positive("hill_b", hill_b)
    e_b = _hill(d_b, c_b, h_b, 1.0)[np.newaxis, :]
    e_a = _hill(d_a[:, np.newaxis], c_a / (1.0 + alpha * e_b), h_a, 1.0)
    return np.asarray(1.0 - (1.0 - e_a) * (1.0 - e_b))


# ---------------------------------------------------------------- independent drug action

def exponential_survival(t: Any, median: float) -> np.ndarray:
    """Illustrative PFS curve with the given median: S(t) = 2^(−t/median).

    Parameters
    ----------
    t : array
        Times (months), ≥ 0.
    median : float
        Median PFS (months), > 0.
    """
    times = _numbers("t", t, 0.0, math.inf, "months")
    return np.asarray(np.exp2(-times / _positive("median", median, "months")))


def _survival(name: str, value: Any, size: int) -> np.ndarray:
    s = _numbers(name, value, 0.0, 1.0)
    if s.shape != (size,):
        raise ValueError(f"{name} must have one value per time point ({size}); got shape {s.shape}")
    if s[0] != 1.0:
        raise ValueError(f"{name} must start at 1 (everyone progression-free at t[0]); got {s[0]:g}")
    if (np.diff(s) > 0).any():
        raise ValueError(f"{name} must be non-increasing in t")
    return s


def ida_median(median_a: float, median_b: float) -> float:
    """Median PFS of a combination under independent drug action, with exponential single-drug curves.

    With S_A(t) = 2^(−t/m_A) and uncorrelated responses (ρ = 0), a patient progresses on the
    combination only once both drugs have failed: S(t) = 1 − (1 − S_A(t))(1 − S_B(t)). Returns
    the t (same unit as the medians, each in (0, 1e4]) where S(t) = 0.5, by root finding.
    """
    a = _above_zero("median_a", median_a, 1e4)
    b = _above_zero("median_b", median_b, 1e4)

    def excess(t: float) -> float:
        return 1.0 - (1.0 - 2.0 ** (-t / a)) * (1.0 - 2.0 ** (-t / b)) - 0.5

    # S falls from 1 to 0: the median lies between the better drug's median and twice its sum.
    return float(brentq(excess, max(a, b), 2.0 * (a + b), xtol=1e-10))


def independent_drug_action(t: Any, survival_a: Any, survival_b: Any, rho: float = 0.0,
                            seed: int = 0) -> np.ndarray:
    """Combination PFS curve under independent drug action (Palmer & Sorger 2017).

    Each patient's progression-free time on the combination is the longer of
    their times on A and on B: no additivity or synergy, only the better drug
    for each patient. How much that helps depends on the rank correlation ρ of
    the two times across patients. Exact at three values:

    - ρ = 0:  S_AB = 1 − (1 − S_A)(1 − S_B)
    - ρ = +1: S_AB = max(S_A, S_B)  (the better drug for everyone)
    - ρ = −1: S_AB = min(1, S_A + S_B)

    Otherwise simulated (seeded) with 100,000 virtual patients: latent normals
    with Pearson r = 2·sin(π·ρ/6) (the Gaussian copula whose Spearman ρ is ρ),
    each uniform Φ(z) read as a survival level and mapped to a time by
    inverting that drug's curve (patients whose level is below the curve's last
    value stay progression-free), the longer time taken, and the empirical
    survival read on ``t``. Only the grid interval that holds each time matters
    for S on ``t``, so the inversion is a search on the grid. The normal scores
    are drawn once per seed and reused, so curves for different ρ differ
    smoothly rather than by fresh noise.

    Parameters
    ----------
    t : 1-D array
        Strictly increasing times, ≥ 0, at least 2.
    survival_a, survival_b : 1-D arrays
        Monotherapy PFS curves on ``t``: starting at 1, non-increasing, in [0, 1].
    rho : float
        Spearman correlation of the patient times on A and B, in [−1, 1].
    seed : int
        Seed of the simulation, in [0, 2^32 − 1] (same seed, same curve).

    Returns
    -------
    numpy.ndarray
        Combination PFS on ``t``.
    """
    times = _numbers("t", t, 0.0, math.inf)
    if times.ndim != 1 or times.size < 2 or (np.diff(times) <= 0).any():
        raise ValueError("t must be a 1-D array of at least 2 strictly increasing times")
    s_a = _survival("survival_a", survival_a, times.size)
    s_b = _survival("survival_b", survival_b, times.size)
    rho = check_real("rho", rho, -1.0, 1.0)
    seed = check_int("seed", seed, 0, 2**32 - 1)
    if rho == 0.0:
        return 1.0 - (1.0 - s_a) * (1.0 - s_b)
    if rho == 1.0:
        return np.maximum(s_a, s_b)
    if rho == -1.0:
        return np.minimum(1.0, s_a + s_b)
    return _simulate_ida(times, s_a, s_b, 2.0 * math.sin(math.pi * rho / 6.0), seed)


def _simulate_ida(t: np.ndarray, s_a: np.ndarray, s_b: np.ndarray, r: float, seed: int) -> np.ndarray:
    z_a, z_other = _patients(seed)
    z_b = r * z_a + math.sqrt(1.0 - r * r) * z_other
    # A patient's level Φ(z) maps to the time where S falls to it; on the grid
    # only the number of grid times before that time matters: #{k: Φ(z) < S(t_k)}
    # = #{k: z < Φ⁻¹(S(t_k))}. Levels below S(t[-1]) count every grid time (event-free).
    q_a, q_b = ndtri(s_a), ndtri(s_b)
    # z_a is sorted, so the first `first[k]` patients are still progression-free on A at t_k.
    first = np.searchsorted(z_a, q_a)
    runs = np.diff(np.concatenate([[0], first[::-1], [PATIENTS]]))
    before_a = np.repeat(np.arange(t.size, -1, -1), runs)
    before_b = np.searchsorted(-q_b, -z_b, side="left")
    # The combination time is the longer one; S(t_k) = share with more than k grid times before it.
    ended = np.cumsum(np.bincount(np.maximum(before_a, before_b), minlength=t.size + 1))[: t.size]
    return np.asarray(1.0 - ended / PATIENTS)


@functools.lru_cache(maxsize=4)
def _patients(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The seed's virtual patients: two independent normal scores each, sorted by the first.

    Drawn once per seed (``default_rng(seed).standard_normal((2, PATIENTS))``);
    sorting only reorders patients, which the survival estimate ignores.
    """
    z = np.random.default_rng(seed).standard_normal((2, PATIENTS))
    order = np.argsort(z[0])
    first, second = z[0][order], z[1][order]
    first.flags.writeable = second.flags.writeable = False
    return first, second
