"""primer_lib.validation: every check names the parameter and the allowed range."""

import math

import numpy as np
import pytest

from primer_lib.validation import check_array, check_choice, check_int, check_real


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
