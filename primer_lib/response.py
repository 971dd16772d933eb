"""Response assessment: RECIST 1.1 and iRECIST applied to one patient's scans (lesson 05).

Model card
----------
Shows
    How the same series of scans is read by RECIST 1.1 (Eisenhauer et al. 2009) and
    by iRECIST (Seymour et al. 2017), and why they differ under immunotherapy: an
    early swelling or a new lesion is progression (PD) for RECIST 1.1, but only
    unconfirmed progression (iUPD) for iRECIST, which waits for a confirming scan
    (iCPD) before calling it progression and resets if the tumor then shrinks.
Rules
    Target response from the sum of diameters of the baseline target lesions:
    PR at ≤ −30% from baseline; progression at ≥ +20% **and** ≥ +5 mm over the
    nadir (the smallest sum on study, baseline included); CR when all are gone.
    Non-target disease is judged, not measured ("absent", "CR", "non-CR/non-PD",
    "PD"); any new lesion is progression. iRECIST confirms an iUPD at a scan ≥ 4
    weeks later by a further ≥ 5 mm rise of the target sum (measured from the
    iUPD scan, so rises add up), any further non-target increase, a ≥ 5 mm rise
    of the new-lesion sum, more new lesions, or progression in a category that had
    not progressed. See :func:`classify_recist` and :func:`classify_irecist` for
    every rule and every choice made where the guidelines leave one.
Assumptions
    Sums are given, not lesions: the choice of target lesions (≤ 5, ≤ 2 per organ),
    measurability (≥ 10 mm) and the short-axis rules for lymph nodes (a node under
    10 mm counts as normal, so a "CR" sum need not be 0) are out of scope; here
    a sum of 0 means every target lesion is gone. No scan is "not evaluable".
Limits
    Time-point responses only: confirmation of CR/PR (needed in non-randomised
    trials) and the minimum duration of SD are not applied to the best overall
    response. The teaching trajectories are illustrative, not fitted to patients.

References: Eisenhauer EA et al. (2009) Eur J Cancer 45:228-247; Seymour L et al.
(2017) Lancet Oncol 18:e143-e152; EORTC RECIST/iRECIST FAQ (recist.eortc.org/faq);
Park HJ et al. (2020) Radiology 297:87 (pseudoprogression 6.0%); Champiat S et al.
(2017) Clin Cancer Res 23:1920-1928 (hyperprogression).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_choice, check_int, check_real

__all__ = [
    "LARGEST_SUM_MM", "EISENHAUER_2009", "SEYMOUR_2017", "ILLUSTRATIVE", "NONTARGET_STATUSES",
    "RECIST_CATEGORIES",
    "IRECIST_CATEGORIES", "PR_THRESHOLD", "PD_THRESHOLD", "PD_ABSOLUTE", "CONFIRM_INCREASE",
    "CONFIRM_WINDOW_MIN", "CONFIRM_WINDOW_MAX", "HPD_RATIO", "PSEUDOPROGRESSION_INCIDENCE", "BASELINE_SUM",
    "NOISE", "SCAN_INTERVAL", "PRETREATMENT_GROWTH", "HYPER_GROWTH", "SLOW_GROWTH", "SHRINK_RATE", "SWELLING",
    "NEW_LESION", "PARAMETERS", "MODEL_CARD", "Assessment", "classify_recist", "explain_recist",
    "classify_irecist", "explain_irecist", "best_overall_response", "response_table", "tumor_growth_rate",
    "growth_rate_ratio", "is_hyperprogression", "pretreatment_scan", "true_progression", "pseudoprogression",
    "delayed_response", "hyperprogression", "TEACHING_CASES", "CASE_NOTES",
]

EISENHAUER_2009 = "Eisenhauer et al. 2009, Eur J Cancer 45:228 (RECIST 1.1)"
SEYMOUR_2017 = "Seymour et al. 2017, Lancet Oncol 18:e143 (iRECIST)"
ILLUSTRATIVE = "Illustrative teaching value"

#: Non-target disease at one scan. After an iUPD, "PD" means any further increase.
NONTARGET_STATUSES: tuple[str, ...] = ("absent", "CR", "non-CR/non-PD", "PD")
#: Time-point categories, best first.
RECIST_CATEGORIES: tuple[str, ...] = ("CR", "PR", "SD", "PD")
#: Largest diameter sum (mm) an assessment takes: 5 m of tumor is past any patient.
LARGEST_SUM_MM = 5000.0
IRECIST_CATEGORIES: tuple[str, ...] = ("iCR", "iPR", "iSD", "iUPD", "iCPD")

PR_THRESHOLD = Parameter(
    "response.pr_threshold", "Partial response threshold", "ΔPR", -30.0, "% vs baseline", -100.0, 0.0,
    1.0, "Change of the target sum from baseline at or below which the target response is PR",
    EISENHAUER_2009, True)
PD_THRESHOLD = Parameter(
    "response.pd_threshold", "Progression threshold", "ΔPD", 20.0, "% vs nadir", 0.0, 100.0, 1.0,
    "Rise of the target sum over its nadir that, with the absolute rise, is progression",
    EISENHAUER_2009, True)
PD_ABSOLUTE = Parameter(
    "response.pd_absolute", "Progression, absolute rise", "δPD", 5.0, "mm", 0.0, 50.0, 1.0,
    "Smallest rise of the target sum over its nadir that counts as progression", EISENHAUER_2009, True)
CONFIRM_INCREASE = Parameter(
    "response.confirm_increase", "Confirming rise", "δCPD", 5.0, "mm", 0.0, 50.0, 1.0,
    "Further rise of the target (or new-lesion) sum over its value at the iUPD that confirms progression",
    SEYMOUR_2017 + "; rises add up (EORTC iRECIST FAQ)", True)
CONFIRM_WINDOW_MIN = Parameter(
    "response.confirm_window_min_weeks", "Earliest confirming scan", "w_min", 4.0, "weeks", 0.0, 52.0,
    1.0, "Weeks after the iUPD before a scan can confirm it (earlier scans are disregarded)",
    SEYMOUR_2017 + "; EORTC iRECIST FAQ", True)
CONFIRM_WINDOW_MAX = Parameter(
    "response.confirm_window_max_weeks", "Latest recommended confirming scan", "w_max", 8.0, "weeks",
    0.0, 52.0, 1.0, "Weeks after the iUPD by which the confirming scan should be done",
    SEYMOUR_2017, True)
HPD_RATIO = Parameter(
    "response.hpd_ratio", "Hyperprogression growth-rate ratio", "TGR ratio", 2.0, "", 1.0, 10.0, 0.1,
    "Tumor growth rate on treatment over the rate before it at or above which RECIST progression at "
    "the first scan is called hyperprogression",
    "Champiat et al. 2017, Clin Cancer Res 23:1920 (12 of 131 patients, 9%)", True)
PSEUDOPROGRESSION_INCIDENCE = Parameter(
    "response.pseudoprogression_incidence", "Pseudoprogression incidence", "p_pseudo", 6.0, "%", 0.0,
    100.0, 0.1, "Share of patients on immune checkpoint inhibitors with pseudoprogression (pooled)",
    "Park et al. 2020, Radiology 297:87 (17 studies, 3,402 patients, 95% CI 5.0-7.0)", True)
BASELINE_SUM = Parameter(
    "response.baseline_mm", "Baseline target sum", "S0", 60.0, "mm", 10.0, 300.0, 1.0,
    "Sum of the target-lesion diameters at baseline in the teaching cases",
    ILLUSTRATIVE + " (e.g. three lesions of about 2 cm)", False)
NOISE = Parameter(
    "response.noise_mm", "Measurement noise", "σ", 1.0, "mm", 0.0, 5.0, 0.1,
    "Standard deviation of the seeded measurement error added to each target sum",
    ILLUSTRATIVE + "; real reader variability is often larger", False)
SCAN_INTERVAL = Parameter(
    "response.interval_weeks", "Scan interval", "Δt", 6.0, "weeks", 4.0, 12.0, 1.0,
    "Weeks between scans; 6 puts the next scan inside iRECIST's 4-8 week confirmation window",
    ILLUSTRATIVE + " (trials often scan every 6-9 weeks)", False)
PRETREATMENT_GROWTH = Parameter(
    "response.pretreatment_growth", "Growth before treatment", "g_pre", 2.0, "%/week", 0.0, 30.0, 0.1,
    "Exponential growth rate of the target sum before treatment (and in true progression)",
    ILLUSTRATIVE, False)
HYPER_GROWTH = Parameter(
    "response.hyper_growth", "Growth in hyperprogression", "g_hyper", 8.0, "%/week", 0.0, 30.0, 0.1,
    "Exponential growth rate of the target sum on treatment in the hyperprogression case",
    ILLUSTRATIVE, False)
SLOW_GROWTH = Parameter(
    "response.slow_growth", "Slow growth before a delayed response", "g_slow", 1.0, "%/week", 0.0,
    10.0, 0.1, "Growth rate of the target sum before a delayed response sets in", ILLUSTRATIVE, False)
SHRINK_RATE = Parameter(
    "response.shrink_rate", "Shrinkage rate", "k", 6.0, "%/week", 0.0, 30.0, 0.1,
    "Exponential shrinkage rate of the target sum once the immune response works", ILLUSTRATIVE, False)
SWELLING = Parameter(
    "response.swelling_pct", "Early swelling", "s", 30.0, "% vs baseline", 0.0, 200.0, 1.0,
    "Rise of the target sum at the first scan in pseudoprogression (immune infiltrate, not tumor growth)",
    ILLUSTRATIVE, False)
NEW_LESION = Parameter(
    "response.new_lesion_mm", "Transient new lesion", "d_new", 12.0, "mm", 0.0, 50.0, 1.0,
    "Diameter of the small new lesion seen only at the first scan in pseudoprogression (0: none)",
    ILLUSTRATIVE, False)

PARAMETERS: tuple[Parameter, ...] = (
    PR_THRESHOLD, PD_THRESHOLD, PD_ABSOLUTE, CONFIRM_INCREASE, CONFIRM_WINDOW_MIN, CONFIRM_WINDOW_MAX,
    HPD_RATIO, PSEUDOPROGRESSION_INCIDENCE, BASELINE_SUM, NOISE, SCAN_INTERVAL, PRETREATMENT_GROWTH,
    HYPER_GROWTH, SLOW_GROWTH, SHRINK_RATE, SWELLING, NEW_LESION)

MODEL_CARD = ModelCard(
    title="Response assessment: RECIST 1.1 and iRECIST",
    shows="How RECIST 1.1 and iRECIST read the same scans: an early swelling or a new lesion is PD for "
          "RECIST 1.1 but only unconfirmed progression (iUPD) for iRECIST, which needs a confirming scan "
          "(iCPD) 4-8 weeks later and resets if the tumor then shrinks.",
    equations=("PR: S ≤ S_baseline · (1 − 30%)",
               "PD / iUPD: S ≥ S_nadir · (1 + 20%) and S − S_nadir ≥ 5 mm, or non-target PD, or a new lesion",
               "iCPD (≥ 4 weeks after iUPD): S − S_iUPD ≥ 5 mm, further non-target increase, new-lesion "
               "sum +5 mm, more new lesions, or progression in a new category",
               "TGR = 100·(exp(3·ln(S₂/S₁)/months) − 1); hyperprogression: TGR ratio ≥ 2"),
    assumptions=("Each scan is summarised by the target sum, the non-target status, and the sum and count "
                 "of new lesions; lesion selection and lymph-node short-axis rules are out of scope.",
                 "A PR stays PR while the sum drifts up without reaching PD (EORTC FAQ 'Managing PR').",
                 "Teaching trajectories are exponential growth or shrinkage plus seeded noise of 1 mm."),
    limits=("Time-point responses only: no confirmation of CR/PR and no minimum duration of SD.",
            "No 'not evaluable' scans and no symptom-driven unscheduled scans.",
            "Pseudoprogression is uncommon (about 6% pooled, Park 2020): most iUPDs are confirmed."),
    references=("Eisenhauer EA et al. (2009). Eur J Cancer 45:228-247. doi:10.1016/j.ejca.2008.10.026",
                "Seymour L et al. (2017). Lancet Oncol 18:e143-e152. doi:10.1016/S1470-2045(17)30074-8",
                "EORTC RECIST working group. RECIST and iRECIST FAQ, recist.eortc.org/faq",
                "Park HJ et al. (2020). Radiology 297:87-96 (pseudoprogression 6.0%, 95% CI 5.0-7.0).",
                "Champiat S et al. (2017). Clin Cancer Res 23:1920-1928 (hyperprogression)."),
)

_EPS = 1e-9  # mm: boundaries (exactly -30%, exactly +20%) count as met despite float rounding
_WEEKS_PER_MONTH = 365.25 / 12 / 7


@dataclass(frozen=True)
class Assessment:
    """One imaging time point.

    Attributes
    ----------
    week : float
        Time of the scan in weeks (treatment starts at 0; a pre-treatment scan is negative).
    target_sum_mm : float
        Sum of the diameters of the baseline target lesions, in mm; 0 means all are gone.
        Lymph-node short-axis rules (a node under 10 mm is normal) are out of scope.
    nontarget : str
        Non-target disease: "absent", "CR", "non-CR/non-PD" or "PD" (unequivocal
        progression). At a scan after an iUPD, "PD" means any further increase.
    new_lesion_sum_mm : float
        Sum of the measurable new lesions (iRECIST's "new lesion target" sum), in mm.
    new_lesion_count : int
        Number of new lesions present, measurable or not.
    """

    week: float
    target_sum_mm: float
    nontarget: str = "non-CR/non-PD"
    new_lesion_sum_mm: float = 0.0
    new_lesion_count: int = 0

    def __post_init__(self) -> None:
        check_real("week", self.week, -520.0, 520.0, "weeks")
        check_real("target_sum_mm", self.target_sum_mm, 0.0, LARGEST_SUM_MM, "mm")
        check_choice("nontarget", self.nontarget, NONTARGET_STATUSES)
        check_real("new_lesion_sum_mm", self.new_lesion_sum_mm, 0.0, LARGEST_SUM_MM, "mm")
        check_int("new_lesion_count", self.new_lesion_count, 0, 1000)
        if self.new_lesion_sum_mm > 0 and self.new_lesion_count == 0:
            raise ValueError(f"new_lesion_sum_mm must be 0 when new_lesion_count is 0 (a measured new "
                             f"lesion is a new lesion); got new_lesion_sum_mm={self.new_lesion_sum_mm!r}")


def _checked(assessments: Any) -> tuple[Assessment, ...]:
    """The assessments as a tuple after checking order, baseline and consistency."""
    if isinstance(assessments, str | bytes) or not isinstance(assessments, Iterable):
        raise TypeError(f"assessments must be a list of Assessment; got {type(assessments).__name__}")
    seq = tuple(assessments)
    for i, a in enumerate(seq):
        if not isinstance(a, Assessment):
            raise TypeError(f"assessments[{i}] must be an Assessment; got {type(a).__name__}")
    if len(seq) < 2:
        raise ValueError(f"assessments must hold a baseline and at least one follow-up scan; "
                         f"got {len(seq)} assessment(s)")
    for before, after in zip(seq, seq[1:], strict=False):
        if not after.week > before.week:
            raise ValueError(f"assessments must be in time order with strictly increasing weeks; "
                             f"week {after.week:g} follows week {before.week:g}")
    base = seq[0]
    if base.target_sum_mm <= 0:
        raise ValueError("baseline target_sum_mm must be > 0 mm (RECIST 1.1 needs measurable disease "
                         f"at baseline); got {base.target_sum_mm!r}")
    if base.new_lesion_count or base.new_lesion_sum_mm:
        raise ValueError("baseline new_lesion_count must be 0: every lesion seen at baseline is a "
                         f"baseline lesion; got {base.new_lesion_count!r}")
    if base.nontarget not in ("absent", "non-CR/non-PD"):
        raise ValueError("baseline nontarget must be one of ('absent', 'non-CR/non-PD'); "
                         f"got {base.nontarget!r}")
    if base.nontarget == "absent":
        for a in seq[1:]:
            if a.nontarget != "absent":
                raise ValueError(f"nontarget must be 'absent' at week {a.week:g}: there were no non-target "
                                 f"lesions at baseline (count lesions that appear as new lesions); "
                                 f"got {a.nontarget!r}")
    return seq


def _pct(value: float, reference: float) -> str:
    return f"{100.0 * (value - reference) / reference:+.0f}%" if reference > 0 else "up from 0 mm"


def _target_progressed(total: float, nadir: float) -> bool:
    """RECIST 1.1: ≥ +20% over the nadir and ≥ +5 mm absolute (20% of a zero nadir is 0 mm)."""
    return (total >= nadir * (1.0 + PD_THRESHOLD.default / 100.0) - _EPS
            and total - nadir >= PD_ABSOLUTE.default - _EPS)


def _progression(a: Assessment, nadir: float, after_cr: bool) -> dict[str, str]:
    """Categories meeting RECIST 1.1 progression at ``a``, each with its reason."""
    reasons: dict[str, str] = {}
    if _target_progressed(a.target_sum_mm, nadir) and nadir > 0:
        reasons["target"] = (f"target sum {a.target_sum_mm:g} mm is {_pct(a.target_sum_mm, nadir)} "
                             f"(+{a.target_sum_mm - nadir:g} mm) over its nadir {nadir:g} mm")
    elif _target_progressed(a.target_sum_mm, nadir):
        reasons["target"] = f"target lesions reappeared: {a.target_sum_mm:g} mm over a nadir of 0 mm"
    elif after_cr and a.target_sum_mm > 0:
        reasons["target"] = "a target lesion reappeared after a complete response"
    if a.nontarget == "PD":
        reasons["nontarget"] = "non-target disease progressed"
    elif after_cr and a.nontarget == "non-CR/non-PD":
        reasons["nontarget"] = "non-target disease reappeared after a complete response"
    if a.new_lesion_count:
        reasons["new"] = f"{a.new_lesion_count} new lesion{'s' if a.new_lesion_count > 1 else ''}"
    return reasons


def _response(a: Assessment, baseline: float, responded: bool) -> tuple[str, str]:
    """CR, PR or SD at a scan without progression; ``responded``: PR/CR was reached before."""
    change = _pct(a.target_sum_mm, baseline)
    if a.target_sum_mm <= _EPS:
        if a.nontarget in ("absent", "CR"):
            return "CR", "every lesion is gone"
        return "PR", "target lesions gone, non-target disease remains"
    if a.target_sum_mm <= baseline * (1.0 + PR_THRESHOLD.default / 100.0) + _EPS:
        return "PR", f"target sum {change} from baseline (PR at ≤ {PR_THRESHOLD.default:g}%)"
    if responded:
        return "PR", (f"target sum {change} from baseline, above {PR_THRESHOLD.default:g}% but not "
                      f"progression: a PR stays PR")
    return "SD", f"target sum {change} from baseline: neither PR nor progression"


def _recist_steps(seq: tuple[Assessment, ...]) -> list[tuple[str, str]]:
    base = seq[0].target_sum_mm
    nadir, out = base, []
    progressed = responded = after_cr = False
    for a in seq[1:]:
        if progressed:
            out.append(("PD", "progression was recorded earlier: PD stands"))
            continue
        reasons = _progression(a, nadir, after_cr)
        if reasons:
            progressed = True
            out.append(("PD", "; ".join(reasons.values())))
        else:
            category, why = _response(a, base, responded)
            responded = responded or category in ("CR", "PR")
            after_cr = category == "CR"
            out.append((category, why))
        nadir = min(nadir, a.target_sum_mm)
    return out


def classify_recist(assessments: Sequence[Assessment]) -> list[str]:
    """RECIST 1.1 time-point response ("CR", "PR", "SD", "PD") at each follow-up scan.

    The first assessment is the baseline. Rules (Eisenhauer et al. 2009):

    * target CR: sum 0; PR: sum ≤ baseline − 30%; progression: sum ≥ nadir + 20%
      **and** ≥ nadir + 5 mm, the nadir being the smallest sum so far, baseline included;
    * overall CR needs non-target disease "CR" or "absent" and no new lesion; target CR
      with non-target "non-CR/non-PD" is PR;
    * PD: target progression, non-target "PD" (unequivocal progression) or any new lesion;
    * SD otherwise.

    Choices where the guideline leaves one:

    * Once PD, every later scan is PD (treatment would stop at the first PD).
    * A PR stays PR while the sum drifts back above −30% without reaching progression
      (EORTC FAQ "Managing PR": 100 → 70 → 80 mm is PR, PR).
    * After an overall CR, a reappearing lesion (target sum > 0, or non-target disease
      back to "non-CR/non-PD") is PD (EORTC FAQ "Does a new lesion always result in PD?").
    * No confirmation of CR/PR (randomised-trial rules) and no "not evaluable" scans.
    """
    return [category for category, _ in _recist_steps(_checked(assessments))]


def explain_recist(assessments: Sequence[Assessment]) -> list[str]:
    """One reason per follow-up scan for :func:`classify_recist`'s category."""
    return [f"{category}: {why}" for category, why in _recist_steps(_checked(assessments))]


@dataclass(frozen=True)
class _Unconfirmed:
    """The scan of a standing iUPD: what confirmation is measured from."""

    week: float
    target_sum_mm: float
    new_lesion_sum_mm: float
    new_lesion_count: int
    categories: frozenset[str]


def _confirmation(a: Assessment, standing: _Unconfirmed, reasons: Mapping[str, str]) -> list[str]:
    """Reasons ``a`` confirms the standing iUPD (empty if it does not)."""
    rise = CONFIRM_INCREASE.default
    found = []
    if "target" in standing.categories and a.target_sum_mm - standing.target_sum_mm >= rise - _EPS:
        found.append(f"target sum rose a further {a.target_sum_mm - standing.target_sum_mm:g} mm since "
                     f"the iUPD (≥ {rise:g} mm)")
    if a.nontarget == "PD":
        found.append("non-target disease increased further" if "nontarget" in standing.categories
                     else "non-target disease progressed, a category that had not")
    if standing.new_lesion_count and a.new_lesion_sum_mm - standing.new_lesion_sum_mm >= rise - _EPS:
        found.append(f"new-lesion sum rose {a.new_lesion_sum_mm - standing.new_lesion_sum_mm:g} mm since "
                     f"the iUPD (≥ {rise:g} mm)")
    if a.new_lesion_count > standing.new_lesion_count:
        found.append(f"more new lesions ({a.new_lesion_count}, {standing.new_lesion_count} at the iUPD)")
    if "target" in reasons and "target" not in standing.categories:
        found.append(reasons["target"] + ", a category that had not progressed")
    return found


def _irecist_steps(seq: tuple[Assessment, ...]) -> list[tuple[str, str]]:
    base = seq[0].target_sum_mm
    window = CONFIRM_WINDOW_MIN.default
    nadir, out = base, []
    standing: _Unconfirmed | None = None
    confirmed = responded = after_cr = False
    for a in seq[1:]:
        if confirmed:
            out.append(("iCPD", "progression was confirmed earlier: iCPD stands"))
            continue
        if standing is not None and a.week - standing.week < window - _EPS:
            out.append(("iUPD", f"only {a.week - standing.week:g} weeks after the iUPD (< {window:g}): "
                                "disregarded, cannot confirm or reset"))
            continue
        reasons = _progression(a, nadir, after_cr)
        if standing is None:
            if reasons:
                standing = _Unconfirmed(a.week, a.target_sum_mm, a.new_lesion_sum_mm, a.new_lesion_count,
                                        frozenset(reasons))
                responded = after_cr = False
                out.append(("iUPD", "; ".join(reasons.values()) + ": unconfirmed"))
            else:
                category, why = _response(a, base, responded)
                responded = responded or category in ("CR", "PR")
                after_cr = category == "CR"
                out.append(("i" + category, why))
        else:
            found = _confirmation(a, standing, reasons)
            if found:
                confirmed = True
                out.append(("iCPD", "; ".join(found)))
            elif reasons:
                out.append(("iUPD", "; ".join(reasons.values()) + f": still progression, not confirmed "
                                    f"since the iUPD at week {standing.week:g}"))
            else:
                standing = None
                category, why = _response(a, base, False)
                responded = category in ("CR", "PR")
                after_cr = category == "CR"
                out.append(("i" + category, why + "; the iUPD is reset"))
        nadir = min(nadir, a.target_sum_mm)
    return out


def classify_irecist(assessments: Sequence[Assessment]) -> list[str]:
    """iRECIST time-point response ("iCR", "iPR", "iSD", "iUPD", "iCPD") at each follow-up scan.

    The first assessment is the baseline. Rules (Seymour et al. 2017, Table 2; EORTC FAQ):

    * iCR, iPR and iSD as RECIST 1.1's CR, PR and SD (:func:`classify_recist`).
    * RECIST 1.1 progression (target ≥ +20% and ≥ +5 mm over the nadir, non-target PD, or
      any new lesion) is iUPD, unconfirmed. The nadir is the smallest sum so far, baseline
      included, also after a reset.
    * The next scan at least 4 weeks after the iUPD confirms it (iCPD) by any of: a further
      ≥ 5 mm rise of the target sum over its value at the iUPD scan (rises add up: +3 mm
      then +2 mm confirms), when target growth was part of the iUPD; any further non-target
      increase (status "PD" after the iUPD); a ≥ 5 mm rise of the new-lesion sum over its
      value at the iUPD; more new lesions than at the iUPD; or progression in a category
      that had not progressed (e.g. iUPD for target growth, then a new lesion).
    * Not confirmed but still meeting progression: stays iUPD, and a later scan can
      confirm it (Table 3, example 7: iUPD, iUPD, iCPD).
    * Not meeting progression any more: iSD, iPR or iCR, and the iUPD is reset; a later
      iUPD needs its own confirmation. Once iCPD, every later scan is iCPD.

    Choices where the guideline leaves one:

    * A scan less than 4 weeks after the iUPD is disregarded (EORTC FAQ): it returns
      "iUPD", cannot confirm or reset, and does not change the nadir. The FAQ's exception,
      a symptom-driven scan showing an additional new lesion, is not modelled.
    * A confirming scan later than the recommended 8 weeks still confirms.
    * New lesions still present (count > 0) keep a scan at iUPD at least (Table 2: scans
      with new lesions are iUPD or iCPD), so a reset needs them gone. The FAQ's scenario B,
      which allows iPR while baseline lesions keep shrinking, is not followed.
    * Non-target "non-CR/non-PD" after an iUPD reads as "no longer progressing": the four
      statuses cannot say "still progressed but unchanged" (the FAQ's NCLA, which stays iUPD).
    * A ≥ 5 mm target rise without RECIST progression confirms only when target growth
      was part of the iUPD; otherwise the target sum must itself meet progression.
    * A PR stays PR while the sum drifts up without progression (EORTC FAQ "Managing PR":
      100 → 70 → 80 mm is iPR, iPR) -- the same choice as for RECIST 1.1. An iUPD clears it:
      after a reset, iPR needs ≤ −30% from baseline again.
    * After an iCR, a reappearing lesion is iUPD (as PD in RECIST 1.1).
    """
    return [category for category, _ in _irecist_steps(_checked(assessments))]


def explain_irecist(assessments: Sequence[Assessment]) -> list[str]:
    """One reason per follow-up scan for :func:`classify_irecist`'s category."""
    return [f"{category}: {why}" for category, why in _irecist_steps(_checked(assessments))]


def best_overall_response(categories: Iterable[str]) -> str:
    """The best category of a time-ordered list, in either vocabulary (not both).

    Order: CR > PR > SD > PD; iCR > iPR > iSD > iUPD > iCPD. An iUPD that is later
    confirmed without an iSD, iPR or iCR in between counts as iCPD (Seymour 2017,
    Table 3, examples 6-7: iUPD, iCPD gives iCPD). Confirmation of CR/PR and the
    minimum duration of SD are not applied.
    """
    if isinstance(categories, str | bytes) or not isinstance(categories, Iterable):
        raise TypeError(f"categories must be a list of response categories; got {type(categories).__name__}")
    labels = list(categories)
    if not labels:
        raise ValueError("categories must hold at least one category; got an empty list")
    for label in labels:
        if not isinstance(label, str):
            raise TypeError(f"categories must be strings; got {type(label).__name__} {label!r}")
        if label not in RECIST_CATEGORIES + IRECIST_CATEGORIES:
            raise ValueError(f"categories must be RECIST 1.1 labels {RECIST_CATEGORIES} or iRECIST labels "
                             f"{IRECIST_CATEGORIES}; got {label!r}")
    irecist = [label in IRECIST_CATEGORIES for label in labels]
    if any(irecist) and not all(irecist):
        raise ValueError(f"categories must not mix RECIST 1.1 and iRECIST labels; got {labels}")
    if not irecist[0]:
        return min(labels, key=RECIST_CATEGORIES.index)
    effective, run_confirmed = list(labels), False
    for i in range(len(labels) - 1, -1, -1):  # backwards: mark iUPDs that an iCPD confirmed
        if labels[i] == "iCPD":
            run_confirmed = True
        elif labels[i] == "iUPD" and run_confirmed:
            effective[i] = "iCPD"
        elif labels[i] in ("iCR", "iPR", "iSD"):
            run_confirmed = False
    return min(effective, key=IRECIST_CATEGORIES.index)


def response_table(assessments: Sequence[Assessment]) -> pd.DataFrame:
    """Every scan with its changes and both classifications (the baseline row says "baseline").

    Columns: ``week``, ``target_sum_mm``, ``nadir_mm`` (smallest sum before this scan,
    baseline included), ``change_from_baseline_pct``, ``change_from_nadir_pct``,
    ``nontarget``, ``new_lesion_sum_mm``, ``new_lesion_count``, ``recist``, ``irecist``.
    """
    seq = _checked(assessments)
    sums = np.array([a.target_sum_mm for a in seq])
    nadir = np.minimum.accumulate(np.concatenate([[sums[0]], sums[:-1]]))
    with np.errstate(divide="ignore", invalid="ignore"):
        from_nadir = np.where(nadir > 0, 100.0 * (sums - nadir) / np.where(nadir > 0, nadir, 1.0), np.nan)
    return pd.DataFrame({
        "week": [float(a.week) for a in seq],
        "target_sum_mm": sums.astype(float),
        "nadir_mm": nadir.astype(float),
        "change_from_baseline_pct": 100.0 * (sums - sums[0]) / sums[0],
        "change_from_nadir_pct": from_nadir,
        "nontarget": [a.nontarget for a in seq],
        "new_lesion_sum_mm": [float(a.new_lesion_sum_mm) for a in seq],
        "new_lesion_count": [int(a.new_lesion_count) for a in seq],
        "recist": ["baseline", *classify_recist(seq)],
        "irecist": ["baseline", *classify_irecist(seq)],
    })


# --- Hyperprogression: tumor growth rate (Ferté 2014; Champiat 2017) ---------------------------------


def tumor_growth_rate(before: Assessment, after: Assessment) -> float:
    """Tumor growth rate between two scans, in % volume per month (Champiat 2017).

    TGR = 100·(exp(TG) − 1) with TG = 3·ln(S_after/S_before)/t, t in months: the
    volume (∝ diameter³) change per month, assuming exponential growth.
    """
    return _growth_rate(before, after, ("before", "after"))


def _growth_rate(before: Any, after: Any, names: tuple[str, str]) -> float:
    # tumor_growth_rate, its errors naming the caller's own parameters.
    first, second = names
    for name, a in zip(names, (before, after), strict=True):
        if not isinstance(a, Assessment):
            raise TypeError(f"{name} must be an Assessment; got {type(a).__name__}")
        if a.target_sum_mm <= 0:
            raise ValueError(f"{name}.target_sum_mm must be > 0 mm for a growth rate; "
                             f"got {a.target_sum_mm!r}")
    if not after.week > before.week:
        raise ValueError(f"{second}.week must be later than {first}.week; got {after.week:g} and "
                         f"{before.week:g}")
    months = (after.week - before.week) / _WEEKS_PER_MONTH
    exponent = 3.0 * math.log(after.target_sum_mm / before.target_sum_mm) / months
    if exponent > 700.0:  # e^700 ≈ 1e304: beyond any float, and beyond any tumor
        ratio = after.target_sum_mm / before.target_sum_mm
        raise ValueError(f"{second}.week and {first}.week are too close for this change in size: "
                         f"{after.week - before.week:g} weeks for ×{ratio:g} in diameter is a growth "
                         "rate beyond 10^300 %/month")
    return 100.0 * math.expm1(exponent)


def growth_rate_ratio(pretreatment: Assessment, baseline: Assessment, follow_up: Assessment) -> float:
    """TGR on treatment (baseline → first follow-up) over TGR before it (pre-treatment → baseline)."""
    if not isinstance(follow_up, Assessment):
        raise TypeError(f"follow_up must be an Assessment; got {type(follow_up).__name__}")
    before = _growth_rate(pretreatment, baseline, ("pretreatment", "baseline"))
    if before <= 0:
        raise ValueError(f"pretreatment must show growth up to baseline for a growth-rate ratio; "
                         f"the tumor changed {before:+.1f}%/month")
    return _growth_rate(baseline, follow_up, ("baseline", "follow_up")) / before


def is_hyperprogression(pretreatment: Assessment, assessments: Sequence[Assessment]) -> bool:
    """RECIST 1.1 PD at the first scan and a growth-rate ratio ≥ 2 (Champiat 2017's definition)."""
    if not isinstance(pretreatment, Assessment):
        raise TypeError(f"pretreatment must be an Assessment; got {type(pretreatment).__name__}")
    seq = _checked(assessments)
    return (classify_recist(seq)[0] == "PD"
            and growth_rate_ratio(pretreatment, seq[0], seq[1]) >= HPD_RATIO.default)


def pretreatment_scan(baseline: Assessment, weeks_before: float | None = None,
                      growth_pct_per_week: float = PRETREATMENT_GROWTH.default) -> Assessment:
    """The scan ``weeks_before`` baseline implied by exponential growth at ``growth_pct_per_week``."""
    if not isinstance(baseline, Assessment):
        raise TypeError(f"baseline must be an Assessment; got {type(baseline).__name__}")
    weeks = SCAN_INTERVAL.default if weeks_before is None else _check(SCAN_INTERVAL, "weeks_before",
                                                                      weeks_before)
    rate = _check(PRETREATMENT_GROWTH, "growth_pct_per_week", growth_pct_per_week) / 100.0
    return Assessment(baseline.week - weeks,
                      round(baseline.target_sum_mm * math.exp(-rate * weeks), 1), baseline.nontarget)


# --- Teaching trajectories -----------------------------------------------------------------------


def _check(param: Parameter, name: str, value: Any) -> float:
    return check_real(name, value, param.minimum, param.maximum, param.unit)


def _scans(seed: Any, baseline_mm: Any, noise_mm: Any, interval_weeks: Any, scans: Any,
           target: Callable[[np.ndarray], np.ndarray], growth: str,
           new_lesion_mm: Callable[[float], float] = lambda week: 0.0) -> list[Assessment]:
    """Scans at 0, Δt, 2Δt ... with ``target(weeks)`` × baseline plus seeded noise, up to iCPD.

    ``growth`` names the caller's parameters that set how fast the sum can grow: settings
    that pass :data:`LARGEST_SUM_MM` before progression is confirmed are refused with them.
    """
    seed = check_int("seed", seed, 0, 2**32 - 1)
    baseline = _check(BASELINE_SUM, "baseline_mm", baseline_mm)
    noise = _check(NOISE, "noise_mm", noise_mm)
    interval = _check(SCAN_INTERVAL, "interval_weeks", interval_weeks)
    count = check_int("scans", scans, 1, 20)
    weeks = interval * np.arange(count + 1)
    measured = baseline * target(weeks) + np.random.default_rng(seed).normal(0.0, noise, weeks.size)
    sums = np.maximum(np.round(measured), 0.0)
    sums[0] = max(sums[0], 10.0)  # measurable disease at baseline
    series: list[Assessment] = []
    for week, total in zip(weeks.tolist(), sums.tolist(), strict=True):
        if total > LARGEST_SUM_MM:
            raise ValueError(f"{growth}, interval_weeks and baseline_mm make the target sum pass "
                             f"{LARGEST_SUM_MM:g} mm by week {week:g}, before progression is confirmed: "
                             "choose "
                             "slower growth, a shorter scan interval or a smaller baseline")
        new = new_lesion_mm(week) if week > 0 else 0.0
        series.append(Assessment(week, total, new_lesion_sum_mm=new, new_lesion_count=int(new > 0)))
        # Follow-up ends at confirmed progression, as in a trial (so a fast-growing tumor is never
        # scanned on to sizes no patient reaches).
        if len(series) > 1 and classify_irecist(series)[-1] == "iCPD":
            break
    return series


def true_progression(seed: int = 0, baseline_mm: float = BASELINE_SUM.default,
                     growth_pct_per_week: float = PRETREATMENT_GROWTH.default,
                     noise_mm: float = NOISE.default, interval_weeks: float = SCAN_INTERVAL.default,
                     scans: int = 6) -> list[Assessment]:
    """A tumor the treatment does not touch: it keeps growing at its pre-treatment rate.

    With the defaults (60 mm, 2%/week, a scan every 6 weeks) the sum crosses +20% at
    week 12 (PD; iUPD) and rises a further ~10 mm by week 18 (iCPD), where follow-up
    ends. Exponential growth plus seeded normal noise (``noise_mm``), rounded to 1 mm.
    """
    rate = _check(PRETREATMENT_GROWTH, "growth_pct_per_week", growth_pct_per_week) / 100.0
    return _scans(seed, baseline_mm, noise_mm, interval_weeks, scans, lambda w: np.exp(rate * w),
                  "growth_pct_per_week")


def pseudoprogression(seed: int = 0, baseline_mm: float = BASELINE_SUM.default,
                      swelling_pct: float = SWELLING.default, new_lesion_mm: float = NEW_LESION.default,
                      shrink_pct_per_week: float = SHRINK_RATE.default, noise_mm: float = NOISE.default,
                      interval_weeks: float = SCAN_INTERVAL.default, scans: int = 6) -> list[Assessment]:
    """An immune infiltrate swells the tumor at the first scan, then the tumor shrinks to a response.

    First scan: the sum is ``swelling_pct`` above baseline and a small new lesion of
    ``new_lesion_mm`` is seen (0: none); it is gone at the next scan. Afterwards the sum
    shrinks exponentially from the swollen size at ``shrink_pct_per_week``. With the
    defaults: RECIST 1.1 PD at week 6; iRECIST iUPD, then iSD (reset), then iPR.
    """
    swell = _check(SWELLING, "swelling_pct", swelling_pct) / 100.0
    lesion = _check(NEW_LESION, "new_lesion_mm", new_lesion_mm)
    shrink = _check(SHRINK_RATE, "shrink_pct_per_week", shrink_pct_per_week) / 100.0
    interval = _check(SCAN_INTERVAL, "interval_weeks", interval_weeks)

    def target(weeks: np.ndarray) -> np.ndarray:
        return np.where(weeks == 0, 1.0, (1.0 + swell) * np.exp(-shrink * (weeks - interval)))

    return _scans(seed, baseline_mm, noise_mm, interval, scans, target, "swelling_pct",
                  lambda week: lesion if week == interval else 0.0)


def delayed_response(seed: int = 0, baseline_mm: float = BASELINE_SUM.default,
                     slow_growth_pct_per_week: float = SLOW_GROWTH.default, turn_week: float = 12.0,
                     shrink_pct_per_week: float = SHRINK_RATE.default, noise_mm: float = NOISE.default,
                     interval_weeks: float = SCAN_INTERVAL.default, scans: int = 6) -> list[Assessment]:
    """Slow growth below the progression threshold until ``turn_week``, then shrinkage to a PR.

    With the defaults the sum is about +6% and +13% at weeks 6 and 12 (SD), −21% at
    week 18 (SD) and −45% at week 24 (PR): SD then PR under both RECIST 1.1 and iRECIST.
    """
    slow = _check(SLOW_GROWTH, "slow_growth_pct_per_week", slow_growth_pct_per_week) / 100.0
    turn = check_real("turn_week", turn_week, 0.0, 104.0, "weeks")
    shrink = _check(SHRINK_RATE, "shrink_pct_per_week", shrink_pct_per_week) / 100.0

    def target(weeks: np.ndarray) -> np.ndarray:
        return np.exp(slow * np.minimum(weeks, turn) - shrink * np.maximum(weeks - turn, 0.0))

    return _scans(seed, baseline_mm, noise_mm, interval_weeks, scans, target, "slow_growth_pct_per_week")


def hyperprogression(seed: int = 0, baseline_mm: float = BASELINE_SUM.default,
                     growth_pct_per_week: float = HYPER_GROWTH.default, noise_mm: float = NOISE.default,
                     interval_weeks: float = SCAN_INTERVAL.default, scans: int = 6) -> list[Assessment]:
    """Growth far faster than before treatment: 8%/week against 2%/week by default.

    The sum is about +62% at the first scan (PD; iUPD) and confirmed (iCPD) at the next,
    where follow-up ends. With :func:`pretreatment_scan` the growth-rate ratio is about 6,
    well over Champiat's 2 (:func:`is_hyperprogression`).
    """
    rate = _check(HYPER_GROWTH, "growth_pct_per_week", growth_pct_per_week) / 100.0
    return _scans(seed, baseline_mm, noise_mm, interval_weeks, scans, lambda w: np.exp(rate * w),
                  "growth_pct_per_week")


#: The lesson's teaching cases: name -> generator (each takes ``seed`` first).
TEACHING_CASES: Mapping[str, Callable[..., list[Assessment]]] = MappingProxyType({
    "true progression": true_progression,
    "pseudoprogression": pseudoprogression,
    "delayed response": delayed_response,
    "hyperprogression": hyperprogression,
})

#: One line per teaching case: what happens in the tumor.
CASE_NOTES: Mapping[str, str] = MappingProxyType({
    "true progression": "The treatment does not work: the tumor keeps growing at its pre-treatment rate.",
    "pseudoprogression": "Immune cells swell the tumor and a small new lesion appears at the first scan; "
                         "then the tumor shrinks. Pseudoprogression is uncommon: about "
                         f"{PSEUDOPROGRESSION_INCIDENCE.default:g}% of patients on checkpoint inhibitors "
                         "(pooled, Park 2020).",
    "delayed response": "The tumor grows slowly, below the progression threshold, for 12 weeks, then "
                        "shrinks.",
    "hyperprogression": "The tumor grows four times faster than before treatment (8% against 2% a week): "
                        "PD at the first scan and a growth-rate ratio over 2 (Champiat 2017).",
})
