"""primer_lib.response: RECIST 1.1 and iRECIST rules, teaching cases, chart data and the lesson-05 apps.

Each rule case is a small series written from the guideline's text (Eisenhauer 2009 for
RECIST 1.1; Seymour 2017 and the EORTC iRECIST FAQ for iRECIST), with the expected time-point
categories under both criteria (``None``: that criterion is not what the case is about).
"""

from __future__ import annotations

import statistics
from dataclasses import FrozenInstanceError, dataclass

import altair as alt
import ipywidgets as widgets
import pytest

from primer_lib import response
from primer_lib.charts import response as charts
from primer_lib.charts.theme import OKABE_ITO
from primer_lib.response import (
    Assessment,
    best_overall_response,
    classify_irecist,
    classify_recist,
    explain_irecist,
    explain_recist,
    growth_rate_ratio,
    pretreatment_scan,
    response_table,
    tumor_growth_rate,
)
from primer_lib.widgets.response import (
    CASE,
    TRACKER_WEEKS,
    cases_app,
    lesion_tracker_app,
    new_lesions_key,
    nontarget_key,
    target_key,
)
from tests.app_checks import assert_every_control_changes_the_chart, move

A = Assessment
NN = "non-CR/non-PD"


@dataclass(frozen=True)
class Rule:
    """One rule: the guideline's words, a series of scans, and the categories expected."""

    id: str
    text: str
    scans: tuple[Assessment, ...]
    recist: tuple[str, ...] | None
    irecist: tuple[str, ...] | None


def every_6_weeks(*sums: float) -> tuple[Assessment, ...]:
    return tuple(A(6.0 * i, s) for i, s in enumerate(sums))


RULES: tuple[Rule, ...] = (
    # --- RECIST 1.1 (Eisenhauer 2009); the same thresholds define iCR/iPR/iSD/iUPD ---
    Rule("pr_boundary_exactly_minus_30", "PR: at least a 30% decrease in the sum, taking as reference the "
         "baseline sum", every_6_weeks(100, 70), ("PR",), ("iPR",)),
    Rule("pr_boundary_exactly_minus_30_awkward_float", "PR: at least a 30% decrease (33 mm → 23.1 mm)",
         every_6_weeks(33, 23.1), ("PR",), ("iPR",)),
    Rule("minus_29_is_sd", "a 29% decrease is not PR", every_6_weeks(100, 71), ("SD",), ("iSD",)),
    Rule("pd_needs_5mm_not_only_20pct", "in addition to the 20% increase, the sum must also demonstrate an "
         "absolute increase of at least 5 mm (10 → 12 mm is +20% but +2 mm)", every_6_weeks(10, 12),
         ("SD",), ("iSD",)),
    Rule("pd_needs_20pct_not_only_5mm", "PD: at least a 20% increase (100 → 119 mm is +19 mm, +19%)",
         every_6_weeks(100, 119), ("SD",), ("iSD",)),
    Rule("pd_boundary_both_exactly", "PD at +20% and +5 mm exactly (25 → 30 mm)", every_6_weeks(25, 30),
         ("PD",), ("iUPD",)),
    Rule("pd_boundary_exactly_plus_20", "PD at exactly +20% (100 → 120 mm)", every_6_weeks(100, 120),
         ("PD",), ("iUPD",)),
    Rule("nadir_is_smallest_sum_on_study", "taking as reference the smallest sum on study: 100 → 60 → 72 "
         "is +20% over the nadir though −28% from baseline", every_6_weeks(100, 60, 72),
         ("PR", "PD"), ("iPR", "iUPD")),
    Rule("nadir_includes_baseline", "this includes the baseline sum if that is the smallest on study",
         every_6_weeks(50, 55, 60), ("SD", "PD"), ("iSD", "iUPD")),
    Rule("new_lesion_is_progression", "the appearance of one or more new lesions is also considered "
         "progression", (A(0, 100), A(6, 80, new_lesion_count=1)), ("PD",), ("iUPD",)),
    Rule("unmeasured_new_lesion_is_progression", "a new lesion counts whether or not it is measurable",
         (A(0, 100), A(6, 60, new_lesion_count=1)), ("PD",), ("iUPD",)),
    Rule("nontarget_unequivocal_progression", "unequivocal progression of non-target lesions is PD",
         (A(0, 100), A(6, 90, "PD")), ("PD",), ("iUPD",)),
    Rule("cr_requires_nontarget_cr", "CR: disappearance of all target lesions; target CR with non-target "
         "non-CR/non-PD is PR", (A(0, 50), A(6, 0, NN), A(12, 0, "CR")), ("PR", "CR"), ("iPR", "iCR")),
    Rule("cr_with_no_nontarget_disease", "target CR with no non-target disease at baseline is CR",
         (A(0, 50, "absent"), A(6, 0, "absent")), ("CR",), ("iCR",)),
    Rule("cr_needs_no_new_lesion", "target CR with a new lesion is PD",
         (A(0, 50), A(6, 0, "CR", new_lesion_count=1)), ("PD",), ("iUPD",)),
    Rule("sd_otherwise", "SD: neither sufficient shrinkage for PR nor sufficient increase for PD",
         every_6_weeks(100, 90, 105, 107), ("SD", "SD", "SD"), ("iSD", "iSD", "iSD")),
    Rule("once_pd_stays_pd", "RECIST 1.1: once PD, later scans stay PD (treatment would stop)",
         every_6_weeks(100, 130, 50, 20), ("PD", "PD", "PD"), None),
    Rule("pr_kept_while_drifting_up", "EORTC FAQ 'Managing PR': 100, 70, 70, 80, 80, 80 is PR at every "
         "time point (iPR under iRECIST)", every_6_weeks(100, 70, 70, 80, 80, 80),
         ("PR",) * 5, ("iPR",) * 5),
    Rule("reappearance_after_cr_is_pd", "EORTC FAQ: if CR was assigned at the previous assessment, the "
         "reappearance of any lesion is PD", (A(0, 40, "absent"), A(6, 0, "absent"), A(12, 3, "absent")),
         ("CR", "PD"), ("iCR", "iUPD")),
    Rule("nontarget_reappearance_after_cr_is_pd", "after CR, non-target disease reappearing is PD",
         (A(0, 40), A(6, 0, "CR"), A(12, 0, NN)), ("CR", "PD"), ("iCR", "iUPD")),
    Rule("reappearance_after_pr_needs_5mm", "EORTC FAQ: lesions that reappear do not automatically result "
         "in PD unless CR was assigned: from a nadir of 0, 3 mm is not PD (a PR stays PR)",
         (A(0, 40), A(6, 0, NN), A(12, 3, NN), A(18, 5, NN)), ("PR", "PR", "PD"), ("iPR", "iPR", "iUPD")),
    # --- iRECIST (Seymour 2017, Table 2; EORTC iRECIST FAQ) ---
    Rule("icpd_by_further_5mm", "iCPD: a further increase in the target sum of at least 5 mm",
         every_6_weeks(100, 130, 135), ("PD", "PD"), ("iUPD", "iCPD")),
    Rule("icpd_needs_5mm_more", "a further 4 mm does not confirm: still progression, remains iUPD",
         every_6_weeks(100, 130, 134), None, ("iUPD", "iUPD")),
    Rule("sequential_increases_are_additive", "FAQ: sequential increases are additive (+3 mm then +2 mm, "
         "measured from the iUPD scan)", every_6_weeks(100, 130, 133, 135), None, ("iUPD", "iUPD", "iCPD")),
    Rule("confirmed_by_new_lesion_sum_5mm", "iCPD: the new-lesion target sum increases by ≥ 5 mm",
         (A(0, 100), A(6, 100, new_lesion_sum_mm=10, new_lesion_count=1),
          A(12, 100, new_lesion_sum_mm=15, new_lesion_count=1)), None, ("iUPD", "iCPD")),
    Rule("new_lesion_sum_4mm_does_not_confirm", "a 4 mm rise of the new-lesion sum does not confirm",
         (A(0, 100), A(6, 100, new_lesion_sum_mm=10, new_lesion_count=1),
          A(12, 100, new_lesion_sum_mm=14, new_lesion_count=1)), None, ("iUPD", "iUPD")),
    Rule("confirmed_by_more_new_lesions", "iCPD: more new lesions appear",
         (A(0, 100), A(6, 100, new_lesion_count=1), A(12, 90, new_lesion_count=2)), None, ("iUPD", "iCPD")),
    Rule("confirmed_by_further_nontarget_increase", "FAQ: any increase in non-target disease at the next "
         "assessment confirms; it does not have to be unequivocal", (A(0, 100), A(6, 100, "PD"),
                                                                      A(12, 100, "PD")),
         ("PD", "PD"), ("iUPD", "iCPD")),
    Rule("confirmed_by_new_category_new_lesion", "FAQ: 'new' progression in other disease categories can "
         "confirm: iUPD for target growth, then a new lesion",
         (A(0, 100), A(6, 130), A(12, 131, new_lesion_count=1)), None, ("iUPD", "iCPD")),
    Rule("confirmed_by_new_category_target", "iUPD for a new lesion, then the target sum meets "
         "progression", (A(0, 100), A(6, 100, new_lesion_count=1), A(12, 125, new_lesion_count=1)),
         None, ("iUPD", "iCPD")),
    Rule("target_rise_without_progression_does_not_confirm_new_lesion_iupd", "a ≥ 5 mm target rise "
         "confirms only when target growth was part of the iUPD",
         (A(0, 100), A(6, 80, new_lesion_count=1), A(12, 90, new_lesion_count=1)), None, ("iUPD", "iUPD")),
    Rule("scan_under_4_weeks_cannot_confirm", "FAQ: scans done less than 4 weeks after the iUPD should not "
         "be used to define iCPD", (A(0, 100), A(6, 130), A(9, 150), A(12, 131)), None,
         ("iUPD", "iUPD", "iUPD")),
    Rule("scan_under_4_weeks_is_disregarded_not_a_reset", "an early scan without progression is disregarded: "
         "no reset", (A(0, 100), A(6, 130), A(8, 100), A(12, 136)), None, ("iUPD", "iUPD", "iCPD")),
    Rule("scan_at_4_weeks_can_confirm", "confirmation 4-8 weeks after the iUPD",
         (A(0, 100), A(6, 130), A(10, 135)), None, ("iUPD", "iCPD")),
    Rule("late_scan_still_confirms", "a confirming scan later than 8 weeks still confirms here",
         (A(0, 100), A(6, 130), A(18, 140)), None, ("iUPD", "iCPD")),
    Rule("unconfirmed_stays_iupd_then_confirmed_later", "Table 3, example 7: iUPD, iUPD (no iCPD), iCPD",
         every_6_weeks(100, 125, 127, 131), None, ("iUPD", "iUPD", "iCPD")),
    Rule("reset_by_isd_then_new_iupd_needs_own_confirmation", "if iUPD is followed by iSD the bar is reset: "
         "iUPD must occur again and be confirmed (140 mm would be +10 over the first iUPD)",
         every_6_weeks(100, 130, 100, 140, 146), None, ("iUPD", "iSD", "iUPD", "iCPD")),
    Rule("reset_by_ipr_and_nadir_after_reset", "iUPD, then iPR resets; the nadir includes the reset scan "
         "(72 mm is +20% over 60 mm)", every_6_weeks(100, 120, 60, 72), None, ("iUPD", "iPR", "iUPD")),
    Rule("reset_by_icr", "iUPD, then iCR resets", (A(0, 40), A(6, 50), A(12, 0, "CR")), None,
         ("iUPD", "iCR")),
    Rule("persisting_new_lesion_keeps_iupd", "Table 2: scans with new lesions are iUPD or iCPD: a new "
         "lesion unchanged keeps iUPD even while the target shrinks",
         (A(0, 100), A(6, 100, new_lesion_count=1), A(12, 60, new_lesion_count=1)), None, ("iUPD", "iUPD")),
    Rule("new_lesion_gone_resets", "the new lesion resolves: the iUPD is reset",
         (A(0, 100), A(6, 100, new_lesion_count=1), A(12, 90)), None, ("iUPD", "iSD")),
    Rule("nontarget_no_longer_pd_resets", "non-target disease no longer progressing: reset",
         (A(0, 100), A(6, 100, "PD"), A(12, 100)), ("PD", "PD"), ("iUPD", "iSD")),
    Rule("pr_memory_cleared_by_iupd", "after a reset, iPR needs ≤ −30% again (−29% is iSD)",
         every_6_weeks(100, 60, 80, 71), ("PR", "PD", "PD"), ("iPR", "iUPD", "iSD")),
    Rule("once_icpd_stays_icpd", "once iCPD, later scans stay iCPD", every_6_weeks(100, 130, 140, 50, 0),
         None, ("iUPD", "iCPD", "iCPD", "iCPD")),
)


def test_rule_collection_is_not_empty_and_ids_are_unique():
    # Guard: a parametrised test over an empty table would pass without testing anything.
    assert len(RULES) >= 40
    assert len({r.id for r in RULES}) == len(RULES)
    assert all(r.recist or r.irecist for r in RULES)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule(rule: Rule):
    if rule.recist is not None:
        assert tuple(classify_recist(rule.scans)) == rule.recist, rule.text
    if rule.irecist is not None:
        assert tuple(classify_irecist(rule.scans)) == rule.irecist, rule.text


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_category_has_a_reason(rule: Rule):
    recist, irecist = explain_recist(rule.scans), explain_irecist(rule.scans)
    assert [r.split(":")[0] for r in recist] == classify_recist(rule.scans)
    assert [r.split(":")[0] for r in irecist] == classify_irecist(rule.scans)
    assert all(len(r) > 8 for r in recist + irecist)


def test_reasons_name_the_rule_that_fired():
    assert "neither PR nor progression" in explain_recist(every_6_weeks(10, 12))[0]
    assert "over its nadir 60 mm" in explain_recist(every_6_weeks(100, 60, 72))[1]
    assert "rose a further 5 mm" in explain_irecist(every_6_weeks(100, 130, 133, 135))[2]
    assert "reset" in explain_irecist(every_6_weeks(100, 130, 100))[1]
    assert "disregarded" in explain_irecist((A(0, 100), A(6, 130), A(9, 150)))[1]
    assert "more new lesions" in explain_irecist(
        (A(0, 100), A(6, 100, new_lesion_count=1), A(12, 90, new_lesion_count=2)))[1]


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "error", "message"), [
    ({"week": 0, "target_sum_mm": -1}, ValueError, r"target_sum_mm must be in \[0, 5000\] mm"),
    ({"week": 0, "target_sum_mm": 10, "new_lesion_sum_mm": -2}, ValueError, "new_lesion_sum_mm must be in"),
    ({"week": 0, "target_sum_mm": 10, "new_lesion_count": -1}, ValueError, "new_lesion_count must be an int"),
    ({"week": 0, "target_sum_mm": 10, "nontarget": "progressing"}, ValueError,
     r"nontarget must be one of \('absent', 'CR', 'non-CR/non-PD', 'PD'\)"),
    ({"week": 0, "target_sum_mm": 10, "nontarget": None}, TypeError, "nontarget must be one of"),
    ({"week": "6", "target_sum_mm": 10}, TypeError, "week must be a real number"),
    ({"week": 0, "target_sum_mm": True}, TypeError, "target_sum_mm must be a real number"),
    ({"week": 0, "target_sum_mm": float("nan")}, ValueError, "target_sum_mm must be in"),
    ({"week": 0, "target_sum_mm": 10, "new_lesion_count": 1.5}, TypeError, "new_lesion_count must be an int"),
    ({"week": 0, "target_sum_mm": 10, "new_lesion_sum_mm": 12}, ValueError,
     "new_lesion_sum_mm must be 0 when new_lesion_count is 0"),
])
def test_assessment_rejects_bad_fields_naming_them(kwargs, error, message):
    with pytest.raises(error, match=message):
        Assessment(**kwargs)


def test_assessment_is_frozen_with_documented_defaults():
    scan = Assessment(6, 50)
    assert (scan.nontarget, scan.new_lesion_sum_mm, scan.new_lesion_count) == (NN, 0.0, 0)
    assert [f for f in Assessment.__dataclass_fields__] == [
        "week", "target_sum_mm", "nontarget", "new_lesion_sum_mm", "new_lesion_count"]
    with pytest.raises(FrozenInstanceError):
        scan.week = 7  # type: ignore[misc]


@pytest.mark.parametrize("classify", [classify_recist, classify_irecist, response_table])
@pytest.mark.parametrize(("scans", "error", "message"), [
    ([A(0, 50)], ValueError, "at least one follow-up"),
    ([], ValueError, "at least one follow-up"),
    ([A(0, 50), A(0, 40)], ValueError, "strictly increasing weeks; week 0 follows week 0"),
    ([A(0, 50), A(12, 40), A(6, 40)], ValueError, "strictly increasing weeks; week 6 follows week 12"),
    ([A(0, 0), A(6, 0)], ValueError, "baseline target_sum_mm must be > 0"),
    ([A(0, 50, new_lesion_count=1), A(6, 40)], ValueError, "baseline new_lesion_count must be 0"),
    ([A(0, 50, "PD"), A(6, 40)], ValueError, "baseline nontarget must be one of"),
    ([A(0, 50, "absent"), A(6, 40, NN)], ValueError, "nontarget must be 'absent' at week 6"),
    ([A(0, 50), (6, 40)], TypeError, r"assessments\[1\] must be an Assessment"),
    ("scans", TypeError, "assessments must be a list of Assessment"),
    (None, TypeError, "assessments must be a list of Assessment"),
])
def test_bad_series_are_rejected_clearly(classify, scans, error, message):
    with pytest.raises(error, match=message):
        classify(scans)


def test_a_generator_of_assessments_is_accepted():
    assert classify_recist(a for a in every_6_weeks(100, 70)) == ["PR"]


# --- best overall response ------------------------------------------------------------------------


@pytest.mark.parametrize(("categories", "best"), [
    (["SD", "PR", "PD"], "PR"),
    (["PD"], "PD"),
    (["SD", "CR", "PD"], "CR"),
    (["SD", "SD"], "SD"),
    (["iUPD", "iSD", "iPR"], "iPR"),
    (["iCR", "iPR", "iUPD", "iCPD"], "iCR"),  # Seymour 2017, Table 3, example 1
    (["iUPD", "iCPD"], "iCPD"),  # example 6: a confirmed iUPD counts as iCPD
    (["iUPD", "iUPD", "iCPD"], "iCPD"),  # example 7
    (["iUPD"], "iUPD"),  # example 8 (iUPD, then not evaluable)
    (["iUPD", "iSD", "iUPD", "iCPD"], "iSD"),  # example 5
    (["iSD", "iUPD"], "iSD"),
])
def test_best_overall_response_in_both_vocabularies(categories, best):
    assert best_overall_response(categories) == best


@pytest.mark.parametrize(("categories", "error", "message"), [
    (["PR", "iSD"], ValueError, "must not mix RECIST 1.1 and iRECIST"),
    (["PR", "XX"], ValueError, "must be RECIST 1.1 labels"),
    (["uPD"], ValueError, "must be RECIST 1.1 labels"),
    ([], ValueError, "at least one category"),
    ("PR", TypeError, "must be a list"),
    ([1], TypeError, "must be strings"),
])
def test_best_overall_response_rejects_bad_labels(categories, error, message):
    with pytest.raises(error, match=message):
        best_overall_response(categories)


# --- table, growth rates, generators --------------------------------------------------------------


def test_response_table_lists_every_scan_with_both_criteria():
    table = response_table(every_6_weeks(100, 60, 72))
    assert list(table["recist"]) == ["baseline", "PR", "PD"]
    assert list(table["irecist"]) == ["baseline", "iPR", "iUPD"]
    assert list(table["nadir_mm"]) == [100, 100, 60]
    assert table["change_from_nadir_pct"].iloc[2] == pytest.approx(20.0)
    assert table["change_from_baseline_pct"].iloc[1] == pytest.approx(-40.0)


def test_tumor_growth_rate_is_volume_change_per_month():
    month = 365.25 / 12 / 7
    # Diameter doubles in a month: volume × 8, TGR = +700% per month.
    assert tumor_growth_rate(A(0, 10), A(month, 20)) == pytest.approx(700.0)
    assert tumor_growth_rate(A(0, 10), A(month, 10)) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="after.week must be later"):
        tumor_growth_rate(A(6, 10), A(0, 20))
    with pytest.raises(ValueError, match="after.target_sum_mm must be > 0"):
        tumor_growth_rate(A(0, 10), A(6, 0))
    with pytest.raises(ValueError, match="pretreatment must show growth"):
        growth_rate_ratio(A(-6, 60), A(0, 60), A(6, 90))


def test_pretreatment_scan_extrapolates_back_at_the_pretreatment_rate():
    before = pretreatment_scan(A(0, 60))
    assert before.week == -6 and before.target_sum_mm == pytest.approx(60 * 0.8869, abs=0.1)
    with pytest.raises(ValueError, match="weeks_before must be in"):
        pretreatment_scan(A(0, 60), weeks_before=1)


@pytest.mark.parametrize("name", list(response.TEACHING_CASES))
def test_generators_are_deterministic_per_seed(name):
    generate = response.TEACHING_CASES[name]
    assert generate(seed=3) == generate(seed=3)
    assert generate() == generate(seed=0)
    assert any(generate(seed=s) != generate(seed=0) for s in range(1, 5))
    scans = generate()
    weeks = [a.week for a in scans]
    assert weeks == [6.0 * i for i in range(len(scans))]  # the standard schedule
    assert all(a.target_sum_mm == round(a.target_sum_mm) for a in scans)  # recorded to 1 mm
    assert generate(noise_mm=0.0) == generate(seed=7, noise_mm=0.0)  # noise is the only randomness


def test_progression_cases_end_at_confirmed_progression():
    for generate in (response.true_progression, response.hyperprogression):
        categories = classify_irecist(generate())
        assert categories[-1] == "iCPD" and categories.count("iCPD") == 1
    assert len(response.pseudoprogression()) == 7  # baseline and six follow-ups


def test_generators_reject_bad_arguments_naming_them():
    with pytest.raises(ValueError, match="swelling_pct must be in"):
        response.pseudoprogression(swelling_pct=-5)
    with pytest.raises(ValueError, match="baseline_mm must be in"):
        response.true_progression(baseline_mm=5)
    with pytest.raises(TypeError, match="seed must be an integer"):
        response.delayed_response(seed=1.5)
    with pytest.raises(ValueError, match="scans must be an integer"):
        response.hyperprogression(scans=0)


def test_pseudoprogression_without_new_lesion_is_a_swelling_only():
    scans = response.pseudoprogression(new_lesion_mm=0)
    assert all(a.new_lesion_count == 0 for a in scans)
    assert classify_recist(scans)[0] == "PD" and classify_irecist(scans)[0] == "iUPD"


# --- chart data and description -------------------------------------------------------------------


def test_chart_reads_named_data_and_inlines_for_static_output():
    scans = response.pseudoprogression()
    data = charts.response_data(scans)
    assert set(data) == {charts.SUMS, charts.NEW_LESIONS, charts.LABELS}
    assert len(data[charts.SUMS]) == 2 * len(scans)
    labels = data[charts.LABELS]
    assert list(labels[labels["row"] == "iRECIST"]["text"]) == ["BL", *classify_irecist(scans)]
    assert list(labels[labels["row"] == "RECIST 1.1"]["text"]) == ["BL", *classify_recist(scans)]
    # primer_lib.charts.inline handles single and layered charts only: fill in the concat's datasets here.
    spec = charts.response_chart().to_dict()
    spec["datasets"] = {name: frame.to_dict("records") for name, frame in data.items()}
    static = alt.VConcatChart.from_dict(spec).to_dict()
    assert len(static["datasets"][charts.LABELS]) == 4 * len(scans)
    assert static["config"]["range"]["category"] == list(OKABE_ITO)


def test_progression_line_follows_the_nadir():
    data = charts.response_data(every_6_weeks(100, 60, 72))
    line = data[charts.SUMS].query("series == @charts.THRESHOLD")
    assert list(line["mm"]) == [120, 120, 72]


def test_description_gives_both_classifications_and_best_responses():
    text = charts.describe_response(response.pseudoprogression())
    assert "RECIST 1.1: PD, PD" in text and "best overall response PD" in text
    assert "iRECIST: iUPD, iSD, iPR" in text and "best overall response iPR" in text
    assert "would stop treatment" in text and "week 6: 1 (12 mm measured)" in text
    confirmed = charts.describe_response(response.true_progression())
    assert "iRECIST confirms it at week 18" in confirmed


# --- apps ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("build", [lesion_tracker_app, cases_app])
def test_every_control_changes_the_chart_and_its_description(build):
    # Also run by tests/test_all_apps.py once the apps are in primer_lib.widgets.catalog.
    app = build()
    assert app.status.value == ""
    assert_every_control_changes_the_chart(app)


def test_every_tracker_control_changes_what_is_drawn_from_its_start():
    # Browser tests need the SVG to change: each control must change a drawn dataset, not only text.
    for name in lesion_tracker_app().controls:
        app = lesion_tracker_app()
        before = app.chart.datasets
        move(app.controls[name])
        drawn = [k for k in before if before[k] != app.chart.datasets[k]]
        assert drawn, name
        if "nontarget" in name or "new_lesions" in name:
            assert charts.LABELS in drawn, name


def test_tracker_has_one_grid_row_per_scan_and_named_controls():
    app = lesion_tracker_app()
    assert len(app.controls) == len(TRACKER_WEEKS) + 2 * (len(TRACKER_WEEKS) - 1)
    assert {target_key(0), new_lesions_key(5), nontarget_key(5)} <= set(app.controls)
    grids = [w for w in app.widget.children if isinstance(w, widgets.GridBox)]
    assert len(grids) == 1
    in_grid = set(grids[0].children)
    assert all(control in in_grid for control in app.controls.values())
    assert app.chart in app.widget.children and app.status in app.widget.children


def test_tracker_start_shows_the_two_criteria_disagreeing():
    app = lesion_tracker_app()
    labels = app.chart.datasets[charts.LABELS]
    rows = list(zip(labels["row"], labels["text"], strict=True))
    assert [t for r, t in rows if r == "RECIST 1.1"] == ["BL", "PD", "PD", "PD", "PD", "PD"]
    assert [t for r, t in rows if r == "iRECIST"] == ["BL", "iUPD", "iSD", "iPR", "iPR", "iPR"]
    app.controls[new_lesions_key(2)].value = 1  # a new lesion at week 12 keeps the iUPD and more
    assert "iCPD" in app.chart.description


def test_cases_app_shows_the_chosen_case():
    app = cases_app("hyperprogression")
    assert "Hyperprogression." in app.chart.description and "iCPD" in app.chart.description
    app.controls[CASE].value = "delayed response"
    assert "RECIST 1.1: SD, SD, SD, PR" in app.chart.description


def test_apps_reject_bad_arguments():
    with pytest.raises(ValueError, match="case must be one of"):
        cases_app("stable disease")
    with pytest.raises(ValueError, match="target_sums must hold 6 sums"):
        lesion_tracker_app((60, 50))
    with pytest.raises(ValueError, match=r"target_sums\[0\] must be in \[10, 150\]"):
        lesion_tracker_app((0, 50, 50, 50, 50, 50))


@pytest.mark.parametrize("build", [lesion_tracker_app, cases_app])
def test_each_update_takes_at_most_20_ms_median(build):
    app = build()
    for control in app.controls.values():
        times = []
        for _ in range(5):
            move(control)
            times.append(app.last_update_ms)
        assert statistics.median(times) <= 20.0, (control.description, times)


def test_growth_rate_beyond_any_float_is_refused_naming_the_weeks():
    # Issue 23: ×5000 in diameter within a day overflowed with "math range error".
    from primer_lib.response import Assessment, tumor_growth_rate

    with pytest.raises(ValueError, match="after.week and before.week"):
        tumor_growth_rate(Assessment(0.0, 1.0), Assessment(0.1, 5000.0))
