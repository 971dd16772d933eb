"""Argument checks shared by every public function.

Each check raises ``TypeError`` for a value of the wrong kind and ``ValueError``
for one out of range, and the message names the parameter and what is allowed,
so a learner who types a bad value reads how to fix it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np


def check_real(name: str, value: Any, low: float = -math.inf, high: float = math.inf,
               unit: str = "") -> float:
    """Return ``value`` as a float after checking ``low <= value <= high``.

    Booleans are refused (``True`` is not a dose).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number in {_range(low, high, unit)}; "
                        f"got {type(value).__name__} {value!r}")
    number = float(value)
    if math.isnan(number) or not low <= number <= high:
        raise ValueError(f"{name} must be in {_range(low, high, unit)}; got {value!r}")
    return number


def check_int(name: str, value: Any, low: int, high: int) -> int:
    """Return ``value`` as an int after checking ``low <= value <= high``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer in [{low}, {high}]; "
                        f"got {type(value).__name__} {value!r}")
    if not low <= int(value) <= high:
        raise ValueError(f"{name} must be an integer in [{low}, {high}]; got {value!r}")
    return int(value)


def check_choice(name: str, value: Any, allowed: Iterable[str]) -> str:
    """Return ``value`` after checking it is one of ``allowed``."""
    options = tuple(allowed)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {options}; got {type(value).__name__} {value!r}")
    if value not in options:
        raise ValueError(f"{name} must be one of {options}; got {value!r}")
    return value


def check_array(name: str, value: Any, low: float = -math.inf, high: float = math.inf,
                unit: str = "") -> np.ndarray:
    """Return ``value`` as a float array after checking every element is in range."""
    # Text and booleans convert to numbers silently ('1' -> 1.0, True -> 1.0): refuse them.
    if isinstance(value, str | bytes | bool) or np.asarray(value).dtype.kind in "bUSO":
        raise TypeError(f"{name} must be numbers in {_range(low, high, unit)}; "
                        f"got {type(value).__name__} {value!r:.60}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers in {_range(low, high, unit)}; "
                        f"got {type(value).__name__}") from None
    nan = np.isnan(array)
    if nan.any() or (array < low).any() or (array > high).any():
        seen = (f"values from {np.min(array[~nan]):g} to {np.max(array[~nan]):g}" if (~nan).any()
                else "no number")
        raise ValueError(f"{name} must be in {_range(low, high, unit)}; got {seen}"
                         + (" and NaN" if nan.any() else ""))
    return array


def _range(low: float, high: float, unit: str) -> str:
    text = f"[{low:g}, {high:g}]"
    return f"{text} {unit}" if unit else text
