"""Hostile-call sweeps shared by the input tests: one valid call per public function, each
parameter in turn replaced by hostile values.

A call passes when it is refused with a ValueError or TypeError that names the parameter,
or when the value is listed as meant (e.g. None for "the default course"); random values
(:func:`value_defect` with ``accept``) may also be accepted when the result is finite. ``TALLY`` keeps
the counts of one test run; ``tests/conftest.py`` prints them as one summary line, so the
next change can compare.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import settings
from hypothesis import strategies as st

#: Values no public parameter should take silently (each function may list exceptions as meant).
HOSTILE = [None, math.nan, math.inf, -math.inf, -1, 1e300, "x", True, {}, object(), [], -1e-300]
#: Reproducible hypothesis examples (nbval and CI see the same); no example database in the repository.
PROPERTIES = settings(deadline=None, derandomize=True, database=None)
#: A value of any kind, hostile or not, for the random sweeps.
ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.text(max_size=4), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-10**12, 10**12), st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2), st.just(object()))
#: Outcomes of this run's hostile calls: refused (named), meant, and each kind of defect.
TALLY: Counter[str] = Counter()


def hostile_defects(function: Callable[..., Any], kwargs: Mapping[str, Any],
                    meant: Collection[tuple[str, str]] = ()) -> list[str]:
    """Every (parameter, hostile value) of ``function`` that is not refused with a named error.

    ``meant`` holds (parameter, repr(value)) pairs that are valid on purpose.
    """
    wrong = []
    for key in kwargs:
        for value in HOSTILE:
            if (key, repr(value)) in meant:
                TALLY["calls"] += 1
                TALLY["meant"] += 1
                continue
            defect = value_defect(function, kwargs, key, value, accept=False)
            if defect:
                wrong.append(defect)
    return wrong


def value_defect(function: Callable[..., Any], kwargs: Mapping[str, Any], key: str, value: Any,
                 accept: bool = True, nan_ok: bool = False) -> str:
    """What is wrong with calling ``function`` with ``key=value`` (and ``kwargs`` otherwise); "" if nothing.

    Right: a ValueError or TypeError naming ``key``; or, with ``accept``, a result with no
    infinite (or, unless ``nan_ok``, NaN) number in it.
    """
    TALLY["calls"] += 1
    try:
        result = function(**(dict(kwargs) | {key: value}))
    except (TypeError, ValueError) as error:
        if key in str(error):
            TALLY["refused"] += 1
            return ""
        TALLY["unnamed"] += 1
        return f"{key}={value!r:.20}: {type(error).__name__} not naming it: {error!s:.100}"
    except Exception as error:  # noqa: BLE001 - any other kind is the defect this looks for
        TALLY["escaped"] += 1
        return f"{key}={value!r:.20}: {type(error).__name__}: {error!s:.100}"
    if accept and is_finite_result(result, nan_ok):
        TALLY["meant"] += 1
        return ""
    TALLY["accepted"] += 1
    return f"{key}={value!r:.20}: accepted, returned {result!r:.50}"


def summary_line() -> str:
    """This run's hostile calls and app settings, and their outcomes, in one line."""
    parts = []
    if TALLY["calls"]:
        parts.append(f"hostile input: {TALLY['calls']} calls; {TALLY['refused']} refused naming the "
                     "parameter, "
                     f"{TALLY['meant']} accepted as valid; defects: {TALLY['unnamed']} unnamed errors, "
                     f"{TALLY['escaped']} other exceptions, {TALLY['accepted']} accepted silently")
    if TALLY["app settings"]:
        parts.append(f"app settings: {TALLY['app settings']} tried, {TALLY['app messages']} shown as a "
                     "short message, the rest as a chart; no traceback")
    return "\n".join(parts)


def is_finite_result(value: Any, nan_ok: bool = False) -> bool:
    """True unless ``value`` is, or holds, a number that is infinite or NaN (NaN allowed with
    ``nan_ok``, for functions whose documented "none" it is: a median not reached)."""
    def bad(array: np.ndarray) -> bool:
        return bool(np.isinf(array).any() or (not nan_ok and np.isnan(array).any()))

    if isinstance(value, float | np.floating):
        return not bad(np.asarray(value))
    if isinstance(value, np.ndarray):
        return value.dtype.kind != "f" or not bad(value)
    if isinstance(value, pd.DataFrame):
        return all(is_finite_result(value[c].to_numpy(), nan_ok) for c in value.columns)
    if isinstance(value, Mapping):
        return all(is_finite_result(v, nan_ok) for v in value.values())
    if isinstance(value, tuple | list):
        return all(is_finite_result(v, nan_ok) for v in value)
    return True
