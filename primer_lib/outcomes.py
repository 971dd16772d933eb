"""Outcome summaries a lesson can trust: what a whole course did, not the tumor on one day.

The cycle model's tumors often swing (predator–prey-like waves, as in Kirschner &
Panetta 1998): the inflamed tumor on anti-PD-1 moves between about 10^6 and 10^8
cells every few months, so "the tumor on day 90" can be a trough or a peak. These
summaries read a course the way its prose speaks of it:

* nadir and best change: the smallest tumor and how far below baseline it got;
* log-mean burden: the geometric mean over a window ending at the horizon
  (10^mean(log10 T)), which a wave does not move much;
* oscillation: whether the course keeps swinging by more than a factor of
  :data:`SWING_FACTOR` between successive turning points;
* a verdict at a stated horizon: *eliminated* (no tumor cell left), *controlled*
  (tumor present, log-mean over the window below the baseline) or *escaped*
  (log-mean at or above the baseline).

Every function takes arrays of days and tumor cells (e.g. columns of
:func:`primer_lib.cycle.simulate_cycle`) and checks them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from primer_lib.validation import check_array, check_real, check_record

__all__ = ["FLOOR_CELLS", "SWING_FACTOR", "VERDICTS", "WINDOW_DAYS", "Outcome", "best_change",
           "log_mean_burden", "nadir", "oscillates", "summarize_course", "verdict"]

#: Burdens are floored at one cell before taking logs: an eliminated tumor counts as one cell.
FLOOR_CELLS = 1.0
#: A course oscillates when successive turning points differ by more than this factor.
SWING_FACTOR = 3.0
#: Default window (days) ending at the horizon over which the log-mean burden is taken.
WINDOW_DAYS = 90.0
VERDICTS = ("eliminated", "controlled", "escaped")


def _course(days: Any, tumor: Any) -> tuple[np.ndarray, np.ndarray]:
    day = check_array("days", days, 0.0, 36500.0, "days")
    cells = check_array("tumor", tumor, 0.0, 1e15, "cells")
    if day.ndim != 1 or cells.shape != day.shape or day.size < 2:
        raise ValueError(f"days and tumor must be 1-D of the same length ≥ 2; got shapes {day.shape} and "
                         f"{cells.shape}")
    if not (np.diff(day) > 0).all():
        raise ValueError("days must increase strictly")
    if cells[0] <= 0:
        raise ValueError(f"tumor[0], the baseline, must be positive; got {cells[0]!r}")
    return day, cells


def _horizon(day: np.ndarray, horizon_days: Any) -> float:
    return check_real("horizon_days", horizon_days, float(day[0]), float(day[-1]), "days")


def nadir(days: Sequence[float] | np.ndarray, tumor: Sequence[float] | np.ndarray,
          horizon_days: float | None = None) -> tuple[float, float]:
    """(smallest tumor, the first day it was reached) up to ``horizon_days`` (default: the whole course)."""
    day, cells = _course(days, tumor)
    upto = day <= (day[-1] if horizon_days is None else _horizon(day, horizon_days))
    i = int(np.argmin(cells[upto]))
    return float(cells[upto][i]), float(day[upto][i])


def best_change(days: Sequence[float] | np.ndarray, tumor: Sequence[float] | np.ndarray,
                horizon_days: float | None = None) -> float:
    """Best change from baseline, min(T)/T(0) − 1, up to ``horizon_days``: −1 is elimination, 0 no fall."""
    smallest, _ = nadir(days, tumor, horizon_days)
    return min(0.0, smallest / float(np.asarray(tumor, dtype=float)[0]) - 1.0)


def log_mean_burden(days: Sequence[float] | np.ndarray, tumor: Sequence[float] | np.ndarray,
                    horizon_days: float, window_days: float = WINDOW_DAYS) -> float:
    """Geometric mean of the tumor (cells, floored at one) over [horizon − window, horizon].

    10^mean(log10 max(T, 1)) over the output days in the window (trapezoid-weighted,
    so uneven output spacing does not bias it). A wave between 10^6 and 10^8 gives
    about 10^7 wherever the window falls, where a single day could give either end.
    """
    day, cells = _course(days, tumor)
    end = _horizon(day, horizon_days)
    window = check_real("window_days", window_days, 1.0, 36500.0, "days")
    start = max(float(day[0]), end - window)
    inside = np.unique(np.concatenate(([start, end], day[(day > start) & (day < end)])))
    logs = np.log10(np.maximum(np.interp(inside, day, cells), FLOOR_CELLS))
    if inside.size == 1:
        return float(10 ** logs[0])
    return float(10 ** (np.trapezoid(logs, inside) / (inside[-1] - inside[0])))


def oscillates(days: Sequence[float] | np.ndarray, tumor: Sequence[float] | np.ndarray,
               horizon_days: float | None = None) -> bool:
    """True if the course swings: two or more reversals, each by more than :data:`SWING_FACTOR`.

    Turning points are found on log10 burden with a hysteresis of log10(SWING_FACTOR):
    a rise or fall counts only once it exceeds that from the last turning point, so
    solver noise and a single response-then-relapse (one reversal) are not oscillation.
    """
    day, cells = _course(days, tumor)
    upto = day <= (day[-1] if horizon_days is None else _horizon(day, horizon_days))
    logs = np.log10(np.maximum(cells[upto], FLOOR_CELLS))
    step = math.log10(SWING_FACTOR)
    reversals, direction = 0, 0
    low = high = extreme = float(logs[0])
    for value in logs[1:]:
        if direction == 0:  # no move yet beyond the hysteresis: watch both ways
            low, high = min(low, value), max(high, value)
            if value - low > step or high - value > step:
                direction, extreme = (1 if value - low > step else -1), value
        elif direction * (value - extreme) > 0:  # still going the same way
            extreme = value
        elif abs(value - extreme) > step:  # turned back by more than the hysteresis
            reversals, direction, extreme = reversals + 1, -direction, value
    return reversals >= 2


def verdict(days: Sequence[float] | np.ndarray, tumor: Sequence[float] | np.ndarray, horizon_days: float,
            window_days: float = WINDOW_DAYS) -> str:
    """*eliminated*, *controlled* or *escaped* at ``horizon_days`` (see the module docstring)."""
    day, cells = _course(days, tumor)
    end = _horizon(day, horizon_days)
    if float(np.interp(end, day, cells)) == 0.0 and cells[day <= end][-1] == 0.0:
        return "eliminated"
    burden = log_mean_burden(day, cells, end, window_days)
    return "controlled" if burden < cells[0] else "escaped"


@dataclass(frozen=True)
class Outcome:
    """A course summarised at one horizon (cells; ``best_change`` as a fraction; days)."""

    horizon_days: float
    window_days: float
    verdict: str
    log_mean_burden: float
    nadir: float
    nadir_day: float
    best_change: float
    oscillates: bool

    def __post_init__(self) -> None:
        check_record(self)


def summarize_course(days: Sequence[float] | np.ndarray, tumor: Sequence[float] | np.ndarray,
                     horizon_days: float, window_days: float = WINDOW_DAYS) -> Outcome:
    """Every summary of one course at ``horizon_days``, as an :class:`Outcome`."""
    day, cells = _course(days, tumor)
    end = _horizon(day, horizon_days)
    window = check_real("window_days", window_days, 1.0, 36500.0, "days")
    low, low_day = nadir(day, cells, end)
    return Outcome(horizon_days=end, window_days=min(window, end - float(day[0])) or window,
                   verdict=verdict(day, cells, end, window),
                   log_mean_burden=log_mean_burden(day, cells, end, window),
                   nadir=low, nadir_day=low_day, best_change=best_change(day, cells, end),
                   oscillates=oscillates(day, cells, end))
