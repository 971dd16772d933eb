"""Tumor growth against immune killing: the course's first, smallest model.

Model card
----------
Shows
    A tumor that grows logistically while a fixed number of effector (killer) T
    cells removes tumor cells by mass action. Whether the tumor grows or shrinks
    depends on one comparison: the kill rate ``n*E`` against the growth rate ``a``.
Equation
    dT/dt = a*T*(1 - b*T) - n*E*T, the tumor equation of Kuznetsov et al. (1994)
    with the effector population E held constant. It is logistic growth with net
    rate r = a - n*E, solved in closed form (no numerical integration).
Assumptions
    Effector cells are constant (no recruitment, exhaustion or death); every
    effector meets tumor cells at the same rate; the tumor is well mixed.
Limits
    Real immune responses change in time: lesson 01 lets effectors respond
    (the full Kuznetsov model) and shows dormancy and escape, which this model
    cannot. Its numbers are the 1994 paper's fit to mouse B-cell lymphoma (BCL1),
    not human tumors.

Reference: Kuznetsov VA, Makalkin IA, Taylor MA, Perelson AS (1994). Nonlinear
dynamics of immunogenic tumors: parameter estimation and global bifurcation
analysis. Bull Math Biol 56:295-321. doi:10.1007/BF02460644
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_array, check_int, check_real

__all__ = [
    "KUZNETSOV_1994", "GROWTH_RATE", "EFFECTOR_CELLS", "KILL_RATE", "CARRYING_CAPACITY", "INITIAL_TUMOR",
    "PARAMETERS", "MODEL_CARD", "TumorGrowthParams", "effector_threshold_millions", "tumor_cells",
    "simulate_growth",
]

KUZNETSOV_1994 = "Kuznetsov et al. 1994, Bull Math Biol 56:295, parameter table"

GROWTH_RATE = Parameter(
    name="tumor_growth.growth_rate", label="Tumor growth rate", symbol="a", default=0.18,
    unit="1/day", minimum=0.01, maximum=0.5, step=0.01,
    meaning="Maximum per-capita growth rate of the tumor", source=KUZNETSOV_1994, calibrated=True)
EFFECTOR_CELLS = Parameter(
    name="tumor_growth.effector_cells", label="Effector T cells", symbol="E", default=1.0,
    unit="10^6 cells", minimum=0.0, maximum=5.0, step=0.1,
    meaning="Number of effector (killer) T cells, held constant",
    source="Illustrative; 10^6 cells is the scale of Kuznetsov et al. 1994", calibrated=False)
KILL_RATE = Parameter(
    name="tumor_growth.kill_rate", label="Kill rate per effector", symbol="n", default=1.101e-7,
    unit="1/(cell·day)", minimum=0.0, maximum=1e-5, step=1e-9,
    meaning="Rate at which one effector cell kills tumor cells", source=KUZNETSOV_1994,
    calibrated=True)
CARRYING_CAPACITY = Parameter(
    name="tumor_growth.carrying_capacity", label="Carrying capacity", symbol="1/b",
    default=5e8, unit="cells", minimum=1e6, maximum=1e12, step=1e6,
    meaning="Largest tumor the site supports (1/b)", source=KUZNETSOV_1994, calibrated=True)
INITIAL_TUMOR = Parameter(
    name="tumor_growth.initial_tumor", label="Initial tumor", symbol="T0", default=1e6,
    unit="cells", minimum=1.0, maximum=1e12, step=1e5,
    meaning="Tumor cells at day 0", source="Illustrative (10^6 cells, the model's scale)",
    calibrated=False)

PARAMETERS = (GROWTH_RATE, EFFECTOR_CELLS, KILL_RATE, CARRYING_CAPACITY, INITIAL_TUMOR)

MODEL_CARD = ModelCard(
    title="Tumor growth against immune killing",
    shows="Whether a fixed immune attack can outpace tumor growth: the tumor shrinks "
          "exactly when the kill rate n·E exceeds the growth rate a.",
    equations=("dT/dt = a·T·(1 − b·T) − n·E·T",),
    assumptions=("Effector cells E are constant: no recruitment, exhaustion or death.",
                 "Killing follows mass action: each effector meets tumor cells at rate n.",
                 "Growth is logistic with carrying capacity 1/b."),
    limits=("Cannot show dormancy or escape, which need effectors that respond "
            "to the tumor (lesson 01).",
            "Rates were fitted to a mouse lymphoma (BCL1), not to human tumors."),
    references=("Kuznetsov VA, Makalkin IA, Taylor MA, Perelson AS (1994). Bull Math Biol "
                "56:295–321. doi:10.1007/BF02460644",),
)


@dataclass(frozen=True)
class TumorGrowthParams:
    """Parameter set of :func:`simulate_growth` (units in the field names)."""

    growth_rate_per_day: float = GROWTH_RATE.default
    effector_millions: float = EFFECTOR_CELLS.default
    kill_rate_per_cell_day: float = KILL_RATE.default
    carrying_capacity_cells: float = CARRYING_CAPACITY.default

    def __post_init__(self) -> None:
        GROWTH_RATE.check(self.growth_rate_per_day, "growth_rate_per_day")
        EFFECTOR_CELLS.check(self.effector_millions, "effector_millions")
        KILL_RATE.check(self.kill_rate_per_cell_day, "kill_rate_per_cell_day")
        CARRYING_CAPACITY.check(self.carrying_capacity_cells, "carrying_capacity_cells")

    @property
    def net_rate_per_day(self) -> float:
        """r = a - n*E, the tumor's net growth rate while it is small (1/day)."""
        return self.growth_rate_per_day - self.kill_rate_per_cell_day * self.effector_millions * 1e6


def effector_threshold_millions(params: TumorGrowthParams = TumorGrowthParams()) -> float:
    """Effector cells (10^6) at which killing balances growth: E* = a / n.

    With more effectors than E*, a small tumor shrinks; with fewer, it grows.
    ``inf`` when effectors do not kill (n = 0): no number of them balances growth.
    """
    if not isinstance(params, TumorGrowthParams):
        raise TypeError(f"params must be TumorGrowthParams; got {type(params).__name__}")
    if params.kill_rate_per_cell_day == 0:
        return math.inf
    return params.growth_rate_per_day / params.kill_rate_per_cell_day / 1e6


def tumor_cells(days: np.ndarray, initial_cells: float, params: TumorGrowthParams) -> np.ndarray:
    """Closed-form solution of dT/dt = a T (1 - b T) - n E T.

    With r = a - n E and c = a b, T(t) = T0 e^{rt} / (1 + c T0 (e^{rt} - 1) / r),
    where (e^{rt} - 1)/r -> t as r -> 0. For r > 0 numerator and denominator are
    divided by e^{rt} so that long horizons do not overflow. ``days`` in [0, 3650],
    ``initial_cells`` in [1, 1e12].
    """
    if not isinstance(params, TumorGrowthParams):
        raise TypeError(f"params must be TumorGrowthParams; got {type(params).__name__}")
    initial_cells = INITIAL_TUMOR.check(initial_cells, "initial_cells")
    t = check_array("days", days, 0.0, 3650.0, "days")
    r = params.net_rate_per_day
    crowding = params.growth_rate_per_day / params.carrying_capacity_cells
    if r > 0:
        return initial_cells / (np.exp(-r * t) - crowding * initial_cells * np.expm1(-r * t) / r)
    integral = np.expm1(r * t) / r if r < 0 else t
    return initial_cells * np.exp(r * t) / (1.0 + crowding * initial_cells * integral)


def simulate_growth(params: TumorGrowthParams = TumorGrowthParams(),
                    initial_cells: float = INITIAL_TUMOR.default,
                    days: float = 120.0, points: int = 121) -> pd.DataFrame:
    """Tumor cells over time with and without immune killing.

    Parameters
    ----------
    params : TumorGrowthParams
        Rates; see the module's model card.
    initial_cells : float
        Tumor cells at day 0, in [1, 1e12].
    days : float
        Length of the simulation in days, in [1, 3650].
    points : int
        Evenly spaced time points, in [2, 2000].

    Returns
    -------
    pandas.DataFrame
        Columns ``day``, ``tumor_cells`` (with the effectors) and
        ``tumor_cells_no_immunity`` (the same tumor with E = 0).
    """
    if not isinstance(params, TumorGrowthParams):
        raise TypeError(f"params must be TumorGrowthParams; got {type(params).__name__}")
    initial_cells = INITIAL_TUMOR.check(initial_cells, "initial_cells")
    days = check_real("days", days, 1.0, 3650.0, "days")
    points = check_int("points", points, 2, 2000)
    grid = np.linspace(0.0, days, points)
    no_immunity = TumorGrowthParams(params.growth_rate_per_day, 0.0,
                                    params.kill_rate_per_cell_day, params.carrying_capacity_cells)
    return pd.DataFrame({
        "day": grid,
        "tumor_cells": tumor_cells(grid, initial_cells, params),
        "tumor_cells_no_immunity": tumor_cells(grid, initial_cells, no_immunity),
    })
