"""Argument checks shared by every public function.

Each check raises ``TypeError`` for a value of the wrong kind and ``ValueError``
for one out of range, and the message names the parameter and what is allowed,
so a learner who types a bad value reads how to fix it.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
import types
import typing
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


def check_record(record: Any) -> None:
    """Check every field of a record dataclass against its annotation (call it in ``__post_init__``).

    Numbers must be finite (no NaN), text must be text, arrays numeric without NaN,
    tables and mappings of their kind, nested records of their class; ``X | None``
    also takes None and ``Any`` anything. The error names the field, which is the
    parameter the caller passed.
    """
    cls: Any = type(record)  # a class is hashable; mypy sees type[Any] as maybe not
    for name, kind in _field_kinds(cls):
        _check_kind(name, getattr(record, name), kind)


@functools.cache
def _field_kinds(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _check_kind(name: str, value: Any, kind: Any) -> None:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is Any:
        return
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return
        options = [a for a in args if a is not type(None)]
        errors = []
        for option in options:
            try:
                _check_kind(name, value, option)
                return
            except (TypeError, ValueError) as error:
                errors.append(error)
        raise errors[0]
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a finite real number; got {type(value).__name__} {value!r:.60}")
        if not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number; got {value!r}")
    elif kind is int:
        check_int(name, value, -2**63, 2**63 - 1)
    elif kind is bool:
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False; got {type(value).__name__} {value!r:.60}")
    elif kind is str:
        if not isinstance(value, str):
            raise TypeError(f"{name} must be text; got {type(value).__name__} {value!r:.60}")
    elif kind is np.ndarray:
        if not isinstance(value, np.ndarray) or value.dtype.kind not in "biuf":
            raise TypeError(f"{name} must be a numeric numpy array; got {type(value).__name__} {value!r:.60}")
        if value.dtype.kind == "f" and np.isnan(value).any():
            raise ValueError(f"{name} must hold no NaN; got {value!r:.60}")
    elif origin is tuple:
        if not isinstance(value, tuple):
            raise TypeError(f"{name} must be a tuple; got {type(value).__name__} {value!r:.60}")
        items = args[:1] * len(value) if len(args) == 2 and args[1] is Ellipsis else args
        if len(items) != len(value):
            raise ValueError(f"{name} must hold {len(items)} items; got {len(value)}")
        for i, (item, item_kind) in enumerate(zip(value, items, strict=True)):
            _check_kind(f"{name}[{i}]", item, item_kind)
    elif origin is not None:  # Mapping[...], Sequence[...]: their container kind
        if not isinstance(value, origin):
            raise TypeError(f"{name} must be a {origin.__name__}; got {type(value).__name__} {value!r:.60}")
    elif isinstance(kind, type) and not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__}; got {type(value).__name__} {value!r:.60}")

