"""primer_lib.validation: every check names the parameter and the allowed range."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from primer_lib.validation import check_array, check_choice, check_int, check_real, check_record


@dataclass(frozen=True)
class Example:
    """A record with one field of each kind check_record knows."""

    rate: float
    count: int
    label: str
    flag: bool
    values: np.ndarray
    names: tuple[str, ...]
    pair: tuple[float, int]
    table: pd.DataFrame
    cutoff: float | None = None

    def __post_init__(self) -> None:
        check_record(self)


GOOD = dict(rate=0.5, count=3, label="a", flag=False, values=np.array([1.0, np.inf]), names=("x", "y"),
            pair=(1.5, 2), table=pd.DataFrame({"a": [1]}))


def test_check_real_accepts_in_range_and_returns_float():
    assert check_real("dose", 2, 0, 5) == 2.0
    assert isinstance(check_real("dose", np.float64(1.5), 0, 5), float)


@pytest.mark.parametrize("value", [-1, 6, math.nan])
def test_check_real_rejects_out_of_range_naming_parameter_and_range(value):
    with pytest.raises(ValueError, match=r"dose must be in \[0, 5\] mg"):
        check_real("dose", value, 0, 5, "mg")


@pytest.mark.parametrize("value", ["1", None, True, [1]])
def test_check_real_rejects_non_numbers_with_type_error(value):
    with pytest.raises(TypeError, match=r"dose must be a real number in \[0, 5\]"):
        check_real("dose", value, 0, 5)


def test_check_int():
    assert check_int("points", 10, 2, 20) == 10
    with pytest.raises(ValueError, match=r"points must be an integer in \[2, 20\]"):
        check_int("points", 1, 2, 20)
    with pytest.raises(TypeError, match="points must be an integer"):
        check_int("points", 2.0, 2, 20)


def test_check_choice():
    assert check_choice("phenotype", "desert", ("inflamed", "desert")) == "desert"
    with pytest.raises(ValueError, match=r"phenotype must be one of \('inflamed', 'desert'\)"):
        check_choice("phenotype", "warm", ("inflamed", "desert"))
    with pytest.raises(TypeError, match="phenotype must be one of"):
        check_choice("phenotype", 3, ("inflamed", "desert"))


def test_check_array():
    np.testing.assert_array_equal(check_array("effect", [0, 0.5, 1], 0, 1), [0, 0.5, 1])
    with pytest.raises(ValueError, match=r"effect must be in \[0, 1\]; got values from 0 to 2"):
        check_array("effect", [0, 2], 0, 1)
    with pytest.raises(ValueError, match="NaN"):
        check_array("effect", [0, math.nan], 0, 1)
    with pytest.raises(TypeError, match="effect must be numbers"):
        check_array("effect", ["a"], 0, 1)


def test_a_good_record_is_kept_as_given():
    record = Example(**GOOD, cutoff=None)
    assert record.rate == 0.5 and record.cutoff is None and Example(**GOOD, cutoff=2.0).cutoff == 2.0


@pytest.mark.parametrize(("field", "value", "error"), [
    ("rate", math.nan, ValueError), ("rate", math.inf, ValueError), ("rate", "0.5", TypeError),
    ("rate", True, TypeError), ("count", 2.5, TypeError), ("label", None, TypeError),
    ("flag", 1, TypeError), ("values", np.array([math.nan]), ValueError), ("values", [1.0], TypeError),
    ("values", np.array(["a"]), TypeError), ("names", ["x"], TypeError), ("names", ("x", 3), TypeError),
    ("pair", (1.5,), ValueError), ("pair", (1.5, 2.5), TypeError), ("table", {"a": [1]}, TypeError),
    ("cutoff", math.nan, ValueError), ("cutoff", "high", TypeError),
])
def test_check_record_refuses_a_bad_field_by_name(field, value, error):
    with pytest.raises(error, match=field):
        Example(**(GOOD | {field: value}))
