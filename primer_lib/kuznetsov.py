"""Effector cells against an immunogenic tumor: Kuznetsov et al. (1994), non-dimensional.

Model card
----------
Shows
    The tumor stimulates the effector cells that kill it, and inactivates them.
    With the published parameters the tumor-free state is a saddle, a small
    tumor ends in a dormant state (about 8.2 million cells) reached by a slowly
    damped spiral, and a large one escapes to about 447 million cells. The
    inoculum threshold between the two (about 64 million cells for the
    tumor-free effector level x0 = σ/δ) rises with the initial effector level,
    and a tumor below it can first grow several-fold before it is controlled.
Equations
    dx/dτ = σ + ρ·x·y/(η + y) − μ·x·y − δ·x and dy/dτ = α·y·(1 − β·y) − x·y,
    with x = E/10^6, y = T/10^6 cells and τ = n·T0·t (one τ-unit is 9.08 days).
Assumptions
    Constant effector influx; saturating tumor-driven effector proliferation;
    mass-action killing and inactivation; logistic tumor growth; well mixed and
    deterministic.
Limits
    Fitted to a mouse B-cell lymphoma (BCL1) in the spleen; no elimination
    attractor; no stochastic extinction, space, memory or treatment.

Reference: Kuznetsov VA, Makalkin IA, Taylor MA, Perelson AS (1994). Nonlinear
dynamics of immunogenic tumors: parameter estimation and global bifurcation
analysis. Bull Math Biol 56:295-321. doi:10.1007/BF02460644
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.polynomial import polynomial as poly
from scipy.integrate import ODEintWarning, odeint, solve_ivp

from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_array, check_choice, check_int, check_real, check_record

__all__ = [
    "SOURCE", "CELLS_PER_UNIT", "KILL_RATE_PER_CELL_DAY", "DAYS_PER_TAU", "SIGMA", "RHO", "ETA", "MU",
    "DELTA", "ALPHA", "BETA", "INITIAL_TUMOR", "INITIAL_EFFECTOR", "PARAMETERS", "MODEL_CARD", "TAU_SETTLE",
    "KINDS", "OUTCOMES", "X_TRACE_MAX", "KuznetsovParams", "KUZNETSOV_1994", "Equilibrium", "FinalState",
    "rhs", "jacobian", "simulate",
    "equilibria", "nullclines", "final_state", "state_name", "escape_threshold", "separatrix",
    "separatrix_threshold", "equilibria_table",
]

SOURCE = "Kuznetsov et al. 1994, Bull Math Biol 56:295, non-dimensional parameters"
#: E0 = T0: cells per model unit of x and y.
CELLS_PER_UNIT = 1e6
#: n, the dimensional kill rate that sets the time scale τ = n·T0·t (1/(cell·day)).
KILL_RATE_PER_CELL_DAY = 1.101e-7
#: Days in one τ-unit, 1/(n·T0) ≈ 9.083.
DAYS_PER_TAU = 1.0 / (KILL_RATE_PER_CELL_DAY * CELLS_PER_UNIT)

SIGMA = Parameter(
    name="kuznetsov.sigma", label="Effector influx", symbol="σ", default=0.1181,
    unit="dimensionless", minimum=0.0, maximum=2.0, step=0.001,
    meaning="Normal influx of effector cells, σ = s/(n·E0·T0)", source=SOURCE, calibrated=True)
RHO = Parameter(
    name="kuznetsov.rho", label="Tumor-driven proliferation", symbol="ρ", default=1.131,
    unit="dimensionless", minimum=0.0, maximum=5.0, step=0.001,
    meaning="Maximum effector proliferation stimulated by the tumor, ρ = p/(n·T0)",
    source=SOURCE, calibrated=True)
ETA = Parameter(
    name="kuznetsov.eta", label="Half-saturation tumor size", symbol="η", default=20.19,
    unit="10^6 cells", minimum=0.1, maximum=1000.0, step=0.01,
    meaning="Tumor size giving half the maximum stimulation, η = g/T0",
    source=SOURCE, calibrated=True)
MU = Parameter(
    name="kuznetsov.mu", label="Effector inactivation", symbol="μ", default=0.00311,
    unit="dimensionless", minimum=0.0, maximum=0.1, step=1e-5,
    meaning="Inactivation of effectors by tumor cells, μ = m/n", source=SOURCE, calibrated=True)
DELTA = Parameter(
    name="kuznetsov.delta", label="Effector death", symbol="δ", default=0.3743,
    unit="dimensionless", minimum=0.01, maximum=5.0, step=0.0001,
    meaning="Death rate of effector cells, δ = d/(n·T0)", source=SOURCE, calibrated=True)
ALPHA = Parameter(
    name="kuznetsov.alpha", label="Tumor growth", symbol="α", default=1.636,
    unit="dimensionless", minimum=0.01, maximum=10.0, step=0.001,
    meaning="Maximum tumor growth rate, α = a/(n·T0)", source=SOURCE, calibrated=True)
BETA = Parameter(
    name="kuznetsov.beta", label="Tumor crowding", symbol="β", default=2.0e-3,
    unit="1/(10^6 cells)", minimum=1e-4, maximum=1.0, step=1e-4,
    meaning="Inverse carrying capacity, β = b·T0 (1/β = 500 million cells)",
    source=SOURCE, calibrated=True)
INITIAL_TUMOR = Parameter(
    name="kuznetsov.initial_tumor", label="Initial tumor", symbol="y0", default=10.0,
    unit="10^6 cells", minimum=1.0, maximum=500.0, step=1.0,
    meaning="Tumor cells at the start (inoculum), up to the carrying capacity 1/β",
    source="Illustrative; the inoculum sizes of Kuznetsov et al. 1994 span this range",
    calibrated=False)
INITIAL_EFFECTOR = Parameter(
    name="kuznetsov.initial_effector", label="Initial effector cells", symbol="x0",
    default=SIGMA.default / DELTA.default, unit="10^6 cells", minimum=0.0, maximum=2.0, step=0.01,
    meaning="Effector cells at the start; the default σ/δ is the tumor-free steady level",
    source="Illustrative; σ/δ from the Kuznetsov et al. 1994 parameters", calibrated=False)

PARAMETERS = (SIGMA, RHO, ETA, MU, DELTA, ALPHA, BETA, INITIAL_TUMOR, INITIAL_EFFECTOR)

MODEL_CARD = ModelCard(
    title="Effector cells against an immunogenic tumor (Kuznetsov et al. 1994)",
    shows="Whether the immune response holds a tumor dormant or the tumor escapes. With the "
          "published parameters a small tumor is held near 8.2 million cells, a large one "
          "escapes to about 447 million; the threshold inoculum (about 64 million cells when "
          "effectors start at their tumor-free level σ/δ) rises with the initial effector level.",
    equations=("dx/dτ = σ + ρ·x·y/(η + y) − μ·x·y − δ·x",
               "dy/dτ = α·y·(1 − β·y) − x·y",
               "x = E/10^6 cells, y = T/10^6 cells, τ = n·T0·t (1 τ-unit = 9.08 days)"),
    assumptions=("Effector cells arrive at a constant rate σ and die at rate δ.",
                 "The tumor stimulates effector proliferation, half-maximal at η = 20.19 (about 20 million "
                 "tumor cells) and saturating above it.",
                 "Effectors kill tumor cells and are inactivated by them by mass action.",
                 "The tumor grows logistically up to 1/β = 500 million cells.",
                 "Cells are well mixed and numbers change deterministically."),
    limits=("With the published parameters the tumor-free state is a saddle: there is no "
            "elimination attractor, so any tumor ends dormant or escaped.",
            "The dormant state is a slowly damped spiral: one turn about every 99 days, its "
            "amplitude falling e-fold about every 180 days.",
            "A tumor below the threshold can first grow several-fold (from 10 to about 115 "
            "million cells in the first month) before the effectors control it.",
            "Deterministic: no chance extinction of small tumors, no space, no memory cells, "
            "no treatment.",
            "Fitted to a mouse B-cell lymphoma (BCL1) in the spleen, not to human tumors.",
            "Away from the published values some parameter sets settle too slowly to name an end "
            "state in 300 τ-units (reported as \"not settled\"), or have no single escape threshold "
            "(reported as NaN) when the dormancy/escape boundary is not a curve over the effectors."),
    references=("Kuznetsov VA, Makalkin IA, Taylor MA, Perelson AS (1994). Bull Math Biol "
                "56:295–321. doi:10.1007/BF02460644",
                "BioModels BIOMD0000000762 (Kuznetsov 1994 model, parameter table)."),
)

#: Long enough for the dormant spiral (decay rate ≈ 0.05 per τ) to settle to < 1e-6.
TAU_SETTLE = 300.0
#: The separatrix is traced no further than this many effector cells (10^6 cells).
X_TRACE_MAX = 1000.0
_RTOL, _ATOL = 1e-8, 1e-10
#: Kinds of steady state, from the eigenvalues of the Jacobian there.
KINDS = ("stable node", "stable focus", "unstable node", "unstable focus", "saddle")


@dataclass(frozen=True)
class KuznetsovParams:
    """Non-dimensional parameters of :func:`rhs` (published values by default)."""

    sigma: float = SIGMA.default
    rho: float = RHO.default
    eta: float = ETA.default
    mu: float = MU.default
    delta: float = DELTA.default
    alpha: float = ALPHA.default
    beta: float = BETA.default

    def __post_init__(self) -> None:
        for record in (SIGMA, RHO, ETA, MU, DELTA, ALPHA, BETA):
            record.check(getattr(self, record.key))

    @property
    def tumor_free_effectors(self) -> float:
        """σ/δ, the effector level without a tumor (10^6 cells)."""
        return self.sigma / self.delta


KUZNETSOV_1994 = KuznetsovParams()


@dataclass(frozen=True)
class Equilibrium:
    """A steady state (x, y in 10^6 cells) and its linear stability."""

    x: float
    y: float
    stable: bool
    kind: str

    def __post_init__(self) -> None:
        check_record(self)
        check_real("x", self.x, 0.0, 1e12, "10^6 cells")
        check_real("y", self.y, 0.0, 1e12, "10^6 cells")
        check_choice("kind", self.kind, KINDS)
        if self.stable != self.kind.startswith("stable"):
            raise ValueError(f"stable must agree with kind: a {self.kind} is stable only if its name says "
                             f"so; got stable={self.stable}")


#: What :func:`final_state` can report. "not settled": after TAU_SETTLE the state is still far
#: from every stable steady state (e.g. a very slow spiral, or effectors growing without bound).
OUTCOMES = ("tumor-free", "dormant", "escape", "not settled")


@dataclass(frozen=True)
class FinalState:
    """Where a trajectory ends: ``outcome`` is one of :data:`OUTCOMES`.

    ``equilibrium`` is the stable steady state reached; for "not settled" the one
    nearest where the run ended, or the first stable one if the solver gave up
    (None if there is no stable steady state).
    """

    outcome: str
    equilibrium: Equilibrium | None

    def __post_init__(self) -> None:
        check_record(self)
        check_choice("outcome", self.outcome, OUTCOMES)
        if self.equilibrium is None and self.outcome != "not settled":
            raise ValueError(f"equilibrium must be the steady state reached for outcome {self.outcome!r}; "
                             "got None (only 'not settled' may have none)")


def rhs(tau: float, state: np.ndarray, params: KuznetsovParams) -> np.ndarray:
    """Right-hand side of the non-dimensional model.

    dx/dτ = σ + ρ·x·y/(η + y) − μ·x·y − δ·x,
    dy/dτ = α·y·(1 − β·y) − x·y.

    Parameters
    ----------
    tau : float
        Time in τ-units, in [0, 1e9] (unused: the model is autonomous).
    state : array of 2 floats (or 2 rows)
        (x, y): effector and tumor cells in units of 10^6 cells, each in [0, 1e12].
    params : KuznetsovParams
        σ, ρ, η, μ, δ, α, β.
    """
    check_real("tau", tau, 0.0, 1e9, "τ-units")
    x, y = _check_state(state)
    return np.array(_field(x, y, _check_params(params)))


def _check_state(state: object) -> tuple[Any, Any]:
    # (x, y), or two rows of many states (rhs and jacobian work column-wise).
    values = check_array("state", state, 0.0, 1e12, "10^6 cells")
    if values.ndim not in (1, 2) or len(values) != 2:
        raise ValueError(f"state must be (x, y) in 10^6 cells, or 2 rows of them; got shape {values.shape}")
    return values[0], values[1]


def _field(x: Any, y: Any, p: KuznetsovParams) -> tuple[Any, Any]:
    return (p.sigma + p.rho * x * y / (p.eta + y) - p.mu * x * y - p.delta * x,
            p.alpha * y * (1.0 - p.beta * y) - x * y)


def _rates(tau: float, state: np.ndarray, params: KuznetsovParams) -> tuple[float, float]:
    # rhs on plain floats for the solver (thousands of calls per run; numpy scalars are slower).
    x, y = state.tolist()
    return _field(x, y, params)


def jacobian(tau: float, state: np.ndarray, params: KuznetsovParams) -> np.ndarray:
    """Jacobian of :func:`rhs`.

    [[ρ·y/(η+y) − μ·y − δ,  ρ·η·x/(η+y)² − μ·x],
     [−y,                   α·(1 − 2·β·y) − x ]]
    """
    check_real("tau", tau, 0.0, 1e9, "τ-units")
    return _jacobian(tau, np.array(_check_state(state), dtype=float), _check_params(params))


def _jacobian(_tau: float, state: np.ndarray, p: KuznetsovParams) -> np.ndarray:
    # jacobian without its checks: odeint calls it as Dfun.
    x, y = state
    return np.array([[p.rho * y / (p.eta + y) - p.mu * y - p.delta,
                      p.rho * p.eta * x / (p.eta + y) ** 2 - p.mu * x],
                     [-y, p.alpha * (1.0 - 2.0 * p.beta * y) - x]])


def _check_params(params: object) -> KuznetsovParams:
    if not isinstance(params, KuznetsovParams):
        raise TypeError(f"params must be KuznetsovParams; got {type(params).__name__}")
    return params


def _check_start(x0: object, y0: object) -> tuple[float, float]:
    return (check_real("x0", x0, 0.0, 100.0, "10^6 cells"),
            check_real("y0", y0, 0.0, 1000.0, "10^6 cells"))


def _solve(x0: float, y0: float, times: np.ndarray, params: KuznetsovParams) -> np.ndarray:
    # LSODA (ODEPACK) switches to a stiff method near the escape node, whose
    # eigenvalues (-0.45, -1.69) dwarf the dormant spiral's decay (-0.05).
    # odeint calls the same LSODA as solve_ivp(method="LSODA") without its
    # per-step Python overhead: 4x faster, which keeps the explorer live.
    # (tests/test_kuznetsov.py checks it against solve_ivp's Radau.)
    with warnings.catch_warnings():  # a failure is reported below as a RuntimeError, once
        warnings.simplefilter("ignore", ODEintWarning)
        states, info = odeint(_rates, [x0, y0], times, args=(params,), Dfun=_jacobian, tfirst=True,
                              rtol=_RTOL, atol=_ATOL, mxstep=100_000, full_output=True)
    if info["message"] != "Integration successful.":
        raise RuntimeError(f"integration failed: {info['message']}")
    return np.asarray(states).T


def simulate(x0: float, y0: float, tau_end: float, params: KuznetsovParams = KUZNETSOV_1994,
             points: int = 401) -> pd.DataFrame:
    """Integrate the model from (x0, y0) on an evenly spaced grid (LSODA, rtol 1e-8).

    Parameters
    ----------
    x0, y0 : float
        Initial effector cells in [0, 100] and tumor cells in [0, 1000] (10^6 cells).
    tau_end : float
        Length in τ-units, in [0.1, 1000]; day = τ/(n·T0) = 9.083·τ.
    params : KuznetsovParams
        Model parameters.
    points : int
        Grid points, in [2, 5000].

    Returns
    -------
    pandas.DataFrame
        Columns ``tau``, ``x``, ``y``, ``day``, ``effector_cells`` (x·10^6) and
        ``tumor_cells`` (y·10^6).
    """
    params = _check_params(params)
    x0, y0 = _check_start(x0, y0)
    tau_end = check_real("tau_end", tau_end, 0.1, 1000.0, "τ-units")
    points = check_int("points", points, 2, 5000)
    grid = np.linspace(0.0, tau_end, points)
    x, y = _solve(x0, y0, grid, params)
    return pd.DataFrame({"tau": grid, "x": x, "y": y, "day": grid * DAYS_PER_TAU,
                         "effector_cells": x * CELLS_PER_UNIT, "tumor_cells": y * CELLS_PER_UNIT})


def _classify(eigenvalues: np.ndarray) -> tuple[bool, str]:
    re, im = eigenvalues.real, eigenvalues.imag
    if abs(im[0]) > 1e-12 * max(1.0, abs(re[0])):
        return bool(re[0] < 0), "stable focus" if re[0] < 0 else "unstable focus"
    if re.max() < 0:
        return True, "stable node"
    return False, "saddle" if re.min() < 0 else "unstable node"


def _equilibrium(x: float, y: float, params: KuznetsovParams) -> Equilibrium:
    stable, kind = _classify(np.linalg.eigvals(_jacobian(0.0, np.array([x, y]), params)))
    return Equilibrium(float(x), float(y), stable, kind)


def equilibria(params: KuznetsovParams = KUZNETSOV_1994) -> list[Equilibrium]:
    """All steady states with x ≥ 0 and 0 ≤ y < 1/β, sorted by y.

    The tumor-free state is (σ/δ, 0). Inside, dy/dτ = 0 gives x = α(1 − βy);
    putting it into dx/dτ = 0 and multiplying by (η + y) gives the cubic
    σ(η + y) + α(1 − βy)[ρy − (δ + μy)(η + y)] = 0, solved with ``numpy.roots``.
    Stability comes from the eigenvalues of :func:`jacobian`.

    With the published parameters there are four (x, y): tumor-free (0.316, 0),
    a saddle, so no tumor is eliminated; dormant (1.61, 8.19), a stable focus
    (eigenvalues −0.050 ± 0.576i: a slowly damped spiral); (0.760, 268), the
    saddle whose stable manifold is the escape threshold (:func:`separatrix`);
    escape (0.173, 447), a stable node.
    """
    return list(_equilibria(_check_params(params)))


@functools.lru_cache(maxsize=64)
def _equilibria(p: KuznetsovParams) -> tuple[Equilibrium, ...]:
    cubic = poly.polyadd([p.sigma * p.eta, p.sigma],
                         poly.polymul([p.alpha, -p.alpha * p.beta],
                                      poly.polysub([0.0, p.rho],
                                                   poly.polymul([p.delta, p.mu], [p.eta, 1.0]))))
    found = [_equilibrium(p.tumor_free_effectors, 0.0, p)]
    for root in np.roots(cubic[::-1]):
        y = float(root.real)
        if abs(root.imag) <= 1e-9 * max(1.0, abs(y)) and 0.0 < y < 1.0 / p.beta:
            found.append(_equilibrium(p.alpha * (1.0 - p.beta * y), y, p))
    return tuple(sorted(found, key=lambda e: e.y))


def nullclines(params: KuznetsovParams = KUZNETSOV_1994, y_max: float = 500.0,
               points: int = 300) -> pd.DataFrame:
    """Both nullclines on a y grid (0 to ``y_max``, denser at small y).

    x-nullcline (dx/dτ = 0): x = σ/(δ + μy − ρy/(η + y)), kept where the
    denominator is positive; each unbroken run is one ``branch``.
    y-nullcline (dy/dτ = 0, besides y = 0): x = α(1 − βy), kept where x ≥ 0.

    Returns
    -------
    pandas.DataFrame
        Columns ``nullcline`` ("x" or "y"), ``branch`` (int), ``x``, ``y``.
    """
    p = _check_params(params)
    y_max = check_real("y_max", y_max, 1.0, 1e4, "10^6 cells")
    points = check_int("points", points, 10, 2000)
    # Geometric spacing from 0.01 so the curves are smooth on a log-like axis.
    y = np.concatenate([[0.0], np.geomspace(0.01, y_max, points - 1)])
    denominator = p.delta + p.mu * y - p.rho * y / (p.eta + y)
    positive = denominator > 0
    run = np.cumsum(np.concatenate([[True], positive[1:] != positive[:-1]]))
    x_null = pd.DataFrame({"nullcline": "x", "branch": run[positive], "y": y[positive],
                           "x": p.sigma / denominator[positive]})
    x_tumor = p.alpha * (1.0 - p.beta * y)
    y_null = pd.DataFrame({"nullcline": "y", "branch": 0, "y": y[x_tumor >= 0],
                           "x": x_tumor[x_tumor >= 0]})
    return pd.concat([x_null, y_null], ignore_index=True)[["nullcline", "branch", "x", "y"]]


def final_state(x0: float, y0: float, params: KuznetsovParams = KUZNETSOV_1994) -> FinalState:
    """Integrate TAU_SETTLE = 300 τ-units and name the steady state reached.

    The end point is matched to the nearest stable steady state (distance in
    x and log(1 + y)); the outcome is its :func:`state_name`: "dormant" or
    "escape" ("tumor-free" only if y0 = 0 or the tumor-free state is stable).
    If the end point is not within 0.05 of any, the outcome is "not settled"
    (a result to show, not an error: some parameter sets settle very slowly).
    """
    params = _check_params(params)
    x0, y0 = _check_start(x0, y0)
    try:
        end_state = _solve(x0, y0, np.array([0.0, TAU_SETTLE]), params)[:, -1]
    except RuntimeError:  # the solver gave up (e.g. effectors racing off): no steady state reached
        stable = [e for e in _equilibria(params) if e.stable]
        return FinalState("not settled", stable[0] if stable else None)
    # The solver may overshoot zero by ~1e-15: cells are never negative.
    x_end, y_end = np.maximum(end_state, 0.0)
    # y = 0 is invariant: without a tumor the state stays on the tumor-free axis.
    stable = [e for e in _equilibria(params) if e.stable or (y0 == 0 and e.y == 0)]
    if not stable:
        return FinalState("not settled", None)
    distances = [math.hypot(e.x - x_end, math.log1p(e.y) - math.log1p(y_end)) for e in stable]
    end = stable[int(np.argmin(distances))]
    if min(distances) > 0.05:
        return FinalState("not settled", end)
    return FinalState(state_name(end, params), end)


def state_name(state: Equilibrium, params: KuznetsovParams = KUZNETSOV_1994) -> str:
    """Name a steady state for learners.

    "tumor-free" (y = 0); stable ones "escape" if the tumor is above half the
    carrying capacity (y > 1/(2β)), else "dormant"; unstable interior ones
    "threshold" (a saddle) or "unstable".
    """
    if not isinstance(state, Equilibrium):
        raise TypeError(f"state must be an Equilibrium (see equilibria); got {type(state).__name__}")
    params = _check_params(params)
    if state.y == 0:
        return "tumor-free"
    if not state.stable:
        return "threshold" if state.kind == "saddle" else "unstable"
    return "escape" if state.y > 0.5 / params.beta else "dormant"


def escape_threshold(x0: float, params: KuznetsovParams = KUZNETSOV_1994,
                     rtol: float = 1e-4) -> float:
    """Initial tumor y0 (10^6 cells) above which the tumor escapes, for effectors x0.

    Bisection (on log y0, between 10^-3 and 1000) on the outcome of
    :func:`final_state`. Returns ``inf`` if even y0 = 1000 is held dormant and
    ``0.0`` if even y0 = 10^-3 escapes; ``nan`` if these parameters have no
    threshold to find (a start that does not settle, or no escape state at all).

    The threshold depends on x0: with the published parameters it is about
    2.5, 64, 137 and 412 (10^6 cells) for x0 = 0, σ/δ, 0.5 and 1. A tumor
    below it can still grow several-fold before the effectors control it.
    """
    return _escape_threshold(check_real("x0", x0, 0.0, 100.0, "10^6 cells"), _check_params(params),
                             check_real("rtol", rtol, 1e-8, 0.1))


@functools.lru_cache(maxsize=256)
def _escape_threshold(x0: float, params: KuznetsovParams, rtol: float) -> float:
    low, high = 1e-3, 1000.0
    top = final_state(x0, high, params).outcome
    if top == "not settled":
        return math.nan
    if top != "escape":
        return math.inf
    bottom = final_state(x0, low, params).outcome
    if bottom in ("escape", "not settled"):
        return 0.0 if bottom == "escape" else math.nan
    while high / low > 1.0 + rtol:
        middle = math.sqrt(low * high)
        outcome = final_state(x0, middle, params).outcome
        if outcome == "not settled":
            return math.nan
        if outcome == "escape":
            high = middle
        else:
            low = middle
    return math.sqrt(low * high)


def separatrix(params: KuznetsovParams = KUZNETSOV_1994, y_max: float = 1000.0,
               points: int = 200) -> pd.DataFrame:
    """The dormancy/escape boundary: the stable manifold of the interior saddle.

    Traced by integrating backward in time from the saddle along the
    eigenvector of its negative eigenvalue, both ways, until x < 0, y < 0 or
    y > ``y_max``. Starting below this curve the tumor ends dormant, above it
    it escapes; where it is a graph y(x), its height at x0 equals
    :func:`escape_threshold` (x0) without any bisection.

    Returns
    -------
    pandas.DataFrame
        Columns ``x``, ``y`` along the curve, ordered by x (empty if there is
        no interior saddle).
    """
    return _separatrix(_check_params(params), check_real("y_max", y_max, 1.0, 1e4, "10^6 cells"),
                       check_int("points", points, 10, 2000)).copy()


@functools.lru_cache(maxsize=64)
def _separatrix(p: KuznetsovParams, y_max: float, points: int) -> pd.DataFrame:
    # A saddle outside the traced region (e.g. at the carrying capacity above y_max) has no
    # boundary inside it to draw: tracing back from there runs off to infinity.
    saddles = [e for e in _equilibria(p) if e.kind == "saddle" and 0 < e.y < y_max and e.x < X_TRACE_MAX]
    if not saddles:
        return pd.DataFrame({"x": [], "y": []})
    saddle = np.array([saddles[0].x, saddles[0].y])
    values, vectors = np.linalg.eig(_jacobian(0.0, saddle, p))
    direction = vectors[:, int(np.argmin(values.real))].real

    def backward(_tau: float, state: np.ndarray, params: KuznetsovParams) -> np.ndarray:
        return -np.array(_field(state[0], state[1], params))

    # Leaving the plotted region ends the trace; so does x past X_TRACE_MAX, where backward time can
    # run off to infinity (σ = 0 made the solver crawl there for minutes).
    x_max = X_TRACE_MAX

    def leaves(tau: float, state: np.ndarray, params: KuznetsovParams) -> float:
        return float(min(state[0], state[1], y_max - state[1], x_max - state[0]))

    leaves.terminal = True  # type: ignore[attr-defined]
    pieces = []
    for sign in (-1.0, 1.0):
        sol = solve_ivp(backward, (0.0, 200.0), saddle + sign * 1e-6 * direction, method="LSODA",
                        args=(p,), events=leaves, dense_output=True, rtol=_RTOL, atol=_ATOL)
        taus = np.linspace(0.0, sol.t[-1], 4 * points)
        x, y = sol.sol(taus)
        # Resample evenly along the curve in (x, log(1 + y)): backward time crawls near the saddle.
        arc = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(x), np.diff(np.log1p(y))))])
        even = np.linspace(0.0, arc[-1], points // 2)
        pieces.append(pd.DataFrame({"x": np.interp(even, arc, x), "y": np.interp(even, arc, y)}))
    return pd.concat(pieces).sort_values("x", ignore_index=True)


def separatrix_threshold(x0: float, params: KuznetsovParams = KUZNETSOV_1994) -> float:
    """Escape threshold read off :func:`separatrix`: its height y (10^6 cells) at x = x0.

    Agrees with :func:`escape_threshold` to about 10^-4 (tests check it) at the
    cost of one interpolation, so the explorer can show it while a slider moves.
    Returns ``inf`` where the curve has left the plane above y = 1000 before x0,
    and ``nan`` where there is no single threshold: no interior saddle, or a
    boundary that is not a curve y(x).
    """
    x0 = check_real("x0", x0, 0.0, 100.0, "10^6 cells")
    curve = _separatrix(_check_params(params), 1000.0, 200)
    if curve.empty or (np.diff(curve["x"]) < 0).any():
        return math.nan
    if x0 > curve["x"].iloc[-1]:
        return math.inf
    # Interpolate log(1 + y): the curve is smooth on the log-like axis it was sampled on.
    return float(np.expm1(np.interp(x0, curve["x"], np.log1p(curve["y"]))))


def equilibria_table(params: KuznetsovParams = KUZNETSOV_1994) -> pd.DataFrame:
    """The steady states for reading: name, kind, and both populations in cells (3 significant digits).

    Rounded so that printed tables do not change with the last digits of a CPU's arithmetic.
    """
    rows = [{"state": state_name(e, params), "kind": e.kind,
             "effector_cells": float(f"{e.x * CELLS_PER_UNIT:.3g}"),
             "tumor_cells": float(f"{e.y * CELLS_PER_UNIT:.3g}")} for e in equilibria(params)]
    return pd.DataFrame(rows)
