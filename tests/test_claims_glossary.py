"""Claims: what the glossary's definitions state agrees with the models the lessons run.

Each test quotes the definition and checks the number or formula against the model's own
parameter or function, so a definition cannot drift from the explorers it explains.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from primer_lib import biomarkers, combinations, response
from primer_lib.glossary import term

ROOT = Path(__file__).resolve().parents[1]


def quoted(name: str, words: str) -> None:
    assert words in term(name).definition, f"the {name} definition no longer says {words!r}"


def test_pr_is_thirty_percent_below_baseline():
    """PR: 'the sum of target diameters at least 30 % below baseline'."""
    quoted("PR", "at least 30 % below baseline")
    assert response.PR_THRESHOLD.default == -30.0


def test_pd_is_twenty_percent_and_five_mm_above_the_nadir():
    """PD: 'at least 20 % and at least 5 mm above the nadir'."""
    quoted("PD", "at least 20 % and at least 5 mm above the nadir")
    assert response.PD_THRESHOLD.default == 20.0 and response.PD_ABSOLUTE.default == 5.0


def test_icpd_is_confirmed_four_to_eight_weeks_later():
    """iCPD: 'confirmed at the next assessment 4–8 weeks later'."""
    quoted("iCPD", "4–8 weeks later")
    assert (response.CONFIRM_WINDOW_MIN.default, response.CONFIRM_WINDOW_MAX.default) == (4.0, 8.0)


def test_tps_and_tmb_cutoffs_are_the_explorers_defaults():
    """TPS: 'TPS ≥ 50 % in KEYNOTE-024'; TMB: 'TMB ≥ 10 mut/Mb is an approved ... cutoff'."""
    quoted("TPS", "TPS ≥ 50 %")
    quoted("TMB", "TMB ≥ 10 mut/Mb")
    tps, tmb = biomarkers.MARKERS["pdl1_tps"].cutoff, biomarkers.MARKERS["tmb"].cutoff
    assert tps is not None and tps.default == 50.0
    assert tmb is not None and tmb.default == 10.0


@pytest.mark.parametrize(("effect_a", "effect_b"), [(0.2, 0.5), (0.6, 0.6), (0.0, 0.9)])
def test_bliss_reference_is_the_formula_the_glossary_gives(effect_a, effect_b):
    """Bliss: 'the combined effect is E_A + E_B − E_A·E_B. A combination above it is synergy'."""
    quoted("Bliss independence", "E_A + E_B − E_A·E_B")
    expected = effect_a + effect_b - effect_a * effect_b
    assert combinations.bliss_excess(effect_a, effect_b, expected) == pytest.approx(0.0)
    assert combinations.bliss_excess(effect_a, effect_b, expected + 0.05) > 0


def test_pseudoprogression_rate_matches_lesson_05():
    """Pseudoprogression: 'uncommon (about 6 % pooled)', as lesson 05 cites Park et al. 2020 (6.0 %)."""
    quoted("pseudoprogression", "about 6 % pooled")
    assert "Park et al. 2020" in term("pseudoprogression").source
    lesson = (ROOT / "notebooks" / "05_response_assessment_irecist.ipynb").read_text(encoding="utf-8")
    assert "**6.0%**" in lesson and "Park et al. 2020" in lesson
