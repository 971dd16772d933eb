"""primer_lib.biomarkers: the virtual cohort, selection metrics, ROC/AUC, calibration and the app."""

import math
import statistics

import numpy as np
import pandas as pd
import pytest
from scipy.stats import mannwhitneyu

from primer_lib import biomarkers as model
from primer_lib.biomarkers import (
    CALIBRATION_TARGETS,
    MARKERS,
    RESPONSE_MODEL,
    expected_targets,
    fit_response_model,
    roc_auc,
    roc_curve,
    selection_metrics,
    summarize_marker,
    virtual_cohort,
)
from primer_lib.charts.biomarkers import (
    CUTOFF,
    MAX_CURVE_POINTS,
    ROC,
    TABLE,
    TRADEOFF,
    describe_threshold,
    threshold_chart,
    threshold_data,
)
from primer_lib.registry import model_cards, parameter
from primer_lib.widgets.biomarkers import APP_MARKERS, MARKER, threshold_app
from primer_lib.widgets.biomarkers import CUTOFF as CUTOFF_CONTROL
from tests.app_checks import assert_every_control_changes_the_chart


@pytest.fixture(scope="module")
def cohort() -> pd.DataFrame:
    return virtual_cohort()


def _tiny() -> pd.DataFrame:
    # Hand-made: 4 responders, 6 non-responders.
    return pd.DataFrame({
        "pdl1_tps": [80, 60, 50, 10, 70, 50, 20, 5, 0, 0],
        "tmb": [12.0, 3.0, 25.0, 8.0, 1.0, 15.0, 2.0, 9.5, 4.0, 10.0],
        "msi_high": [True, False, True, False, False, False, False, False, False, True],
        "responder": [True, True, True, True, False, False, False, False, False, False],
    })


def test_cohort_columns_and_ranges(cohort):
    assert len(cohort) == 10_000
    assert set(model.COHORT_COLUMNS) <= set(cohort.columns)
    assert cohort["pdl1_tps"].between(0, 100).all()
    assert (cohort["pdl1_tps"] == cohort["pdl1_tps"].round()).all()  # whole percent, as reported
    assert (cohort["tmb"] > 0).all() and (cohort["cd8_density"] > 0).all()
    assert cohort["msi_high"].dtype == bool and cohort["responder"].dtype == bool
    assert set(cohort["phenotype"]) == {"inflamed", "excluded", "desert"}
    assert cohort["response_probability"].between(0, 1).all()
    assert np.isfinite(cohort[["ifng_score", "composite"]].to_numpy()).all()


def test_same_seed_same_cohort_other_seed_differs():
    a, b = virtual_cohort(500, seed=7), virtual_cohort(500, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert not virtual_cohort(500, seed=8)["tmb"].equals(a["tmb"])


def test_marker_relations_follow_the_biology(cohort):
    by_type = cohort.groupby("phenotype")[["cd8_density", "ifng_score"]].median()
    for column in ("cd8_density", "ifng_score"):
        values = by_type[column]
        assert values["inflamed"] > values["excluded"] > values["desert"]
    msi = cohort[cohort["msi_high"]]
    assert (msi["tmb"] >= 10).mean() > 0.95  # MSI-H tumors nearly all have high TMB
    assert np.corrcoef(cohort["ifng_score"], np.log(cohort["cd8_density"]))[0, 1] > 0.5


def test_bad_input_names_the_parameter(cohort):
    with pytest.raises(ValueError, match=r"n must be an integer in \[100, 1000000\]"):
        virtual_cohort(n=10)
    with pytest.raises(TypeError, match="seed must be an integer"):
        virtual_cohort(seed=1.5)
    with pytest.raises(ValueError, match="marker must be one of .*'pdl1_tps'.*'composite'"):
        selection_metrics(cohort, "pd_l1", 50)
    with pytest.raises(ValueError, match=r"threshold for pdl1_tps must be in \[0, 100\] %"):
        selection_metrics(cohort, "pdl1_tps", 150)
    with pytest.raises(TypeError, match="threshold for tmb must be a real number"):
        selection_metrics(cohort, "tmb", "10")
    with pytest.raises(ValueError, match="threshold for msi_high must be True"):
        selection_metrics(cohort, "msi_high", 0.5)
    with pytest.raises(TypeError, match="cohort must be a pandas DataFrame"):
        roc_auc(cohort.to_dict(), "tmb")
    with pytest.raises(ValueError, match="missing \\['responder'\\]"):
        roc_curve(cohort.drop(columns="responder"), "tmb")
    with pytest.raises(ValueError, match="marker must be one of"):
        roc_auc(cohort, "phenotype")


def test_selection_metrics_on_a_hand_made_cohort():
    m = selection_metrics(_tiny(), "pdl1_tps", 50)
    # Selected (TPS >= 50): responders 80, 60, 50; non-responders 70, 50.
    assert (m["true_positive"], m["false_positive"], m["false_negative"], m["true_negative"]) == (3, 2, 1, 4)
    assert m["sensitivity"] == pytest.approx(3 / 4) and m["specificity"] == pytest.approx(4 / 6)
    assert m["ppv"] == pytest.approx(3 / 5) and m["npv"] == pytest.approx(4 / 5)
    assert m["eligible_fraction"] == pytest.approx(0.5) and m["n_selected"] == 5
    msi = selection_metrics(_tiny(), "msi_high", True)
    assert (msi["true_positive"], msi["false_positive"]) == (2, 1)
    assert selection_metrics(_tiny(), "msi_high") == msi
    nobody = selection_metrics(_tiny(), "tmb", 100)
    assert nobody["n_selected"] == 0 and math.isnan(nobody["ppv"]) and nobody["specificity"] == 1.0


def test_summary_gives_the_same_metrics_as_a_full_scan(cohort):
    for marker, cuts in {"pdl1_tps": (0, 1, 50, 100), "tmb": (0, 10, 10.5, 100), "composite": (-6, 1, 8),
                         "cd8_density": (0, 300, 3000), "ifng_score": (-4, 0.5, 5)}.items():
        summary = summarize_marker(cohort, marker)
        assert summary.auc == pytest.approx(roc_auc(cohort, marker))
        for cut in cuts:
            got, want = summary.metrics(cut), selection_metrics(cohort, marker, cut)
            assert got.keys() == want.keys()
            for key in want:
                assert got[key] == pytest.approx(want[key], nan_ok=True), (marker, cut, key)


def test_roc_auc_is_the_mann_whitney_statistic_with_ties():
    tiny = _tiny()
    responder = tiny["responder"].to_numpy()
    for marker in ("pdl1_tps", "tmb", "msi_high"):
        x = tiny[marker].to_numpy(dtype=float)
        u = mannwhitneyu(x[responder], x[~responder]).statistic  # ties count half
        assert roc_auc(tiny, marker) == pytest.approx(u / (responder.sum() * (~responder).sum()))
        fpr, tpr, _ = roc_curve(tiny, marker)
        assert roc_auc(tiny, marker) == pytest.approx(np.trapezoid(tpr, fpr))
    # By hand for PD-L1: of 24 (responder, non-responder) pairs the responder is higher in 18, tied in 1.
    assert roc_auc(tiny, "pdl1_tps") == pytest.approx((18 + 0.5 * 1) / 24)


def test_roc_curve_thresholds_descend_from_nobody_to_everybody(cohort):
    for marker in ("pdl1_tps", "tmb", "msi_high"):
        fpr, tpr, thresholds = roc_curve(cohort, marker)
        assert np.all(np.diff(thresholds) < 0)
        assert (fpr[0], tpr[0]) == (0.0, 0.0) and (fpr[-1], tpr[-1]) == (1.0, 1.0)
        assert np.all(np.diff(fpr) >= 0) and np.all(np.diff(tpr) >= 0)
        assert thresholds[0] == np.inf and thresholds[-1] == cohort[marker].astype(float).min()
    fpr, tpr, thresholds = roc_curve(_tiny(), "pdl1_tps")
    at_50 = selection_metrics(_tiny(), "pdl1_tps", 50)
    i = int(np.flatnonzero(thresholds == 50)[0])
    assert (tpr[i], 1 - fpr[i]) == pytest.approx((at_50["sensitivity"], at_50["specificity"]))


def test_refitting_reproduces_the_hard_coded_coefficients():
    fitted = fit_response_model()
    for field in ("recognition_tmb", "intercept", "immune", "pdl1", "msi"):
        assert getattr(fitted, field) == pytest.approx(getattr(RESPONSE_MODEL, field), abs=6e-5), field
    expected = expected_targets(RESPONSE_MODEL)
    for name, (target, source) in CALIBRATION_TARGETS.items():
        assert source and expected[name] == pytest.approx(target, abs=2e-4), name


def test_threshold_data_is_small_and_consistent(cohort):
    summary = summarize_marker(cohort, "tmb")
    data = threshold_data(summary, 10.0)
    assert set(data) == {ROC, CUTOFF, TRADEOFF, TABLE}
    assert 2 < len(data[ROC]) <= MAX_CURVE_POINTS and len(data[TRADEOFF]) <= MAX_CURVE_POINTS
    ends = data[ROC].iloc[[0, -1]][["fpr", "tpr"]].to_numpy().tolist()
    assert ends == [[0, 0], [1, 1]]
    assert data[TABLE]["count"].sum() == len(cohort)
    m = selection_metrics(cohort, "tmb", 10.0)
    point = data[CUTOFF].iloc[0]
    assert point["ppv"] == pytest.approx(m["ppv"])
    assert point["eligible"] == pytest.approx(m["eligible_fraction"])
    text = describe_threshold(summary, 10.0)
    for value in (m["sensitivity"], m["specificity"], m["ppv"], m["npv"], m["eligible_fraction"]):
        assert f"{value:.1%}" in text
    assert "TMB ≥ 10.0 mut/Mb" in text
    threshold_chart().to_dict()  # a valid spec


def test_registry_has_the_cutoffs_and_card():
    assert parameter("biomarkers.pdl1_cutoff").default == 50
    assert parameter("biomarkers.tmb_cutoff").default == 10
    card = model_cards()["biomarkers"]
    text = " ".join(card.assumptions + card.references)
    for source in ("KEYNOTE-024", "KEYNOTE-158", "Marcus", "Yarchoan", "Lu S", "Cristescu", "Reck M",
                   "Marabelle"):
        assert source in text
    for marker in MARKERS.values():
        if marker.cutoff is not None:
            assert marker.cutoff.minimum <= marker.cutoff.default <= marker.cutoff.maximum


def test_app_every_control_changes_the_chart():
    app = threshold_app()
    assert app.controls[CUTOFF_CONTROL].value == 50 and app.status.value == ""
    assert_every_control_changes_the_chart(app)


def test_app_each_marker_rescales_the_slider_and_redraws():
    app = threshold_app()
    marker, cutoff = app.controls[MARKER], app.controls[CUTOFF_CONTROL]
    for name in (*APP_MARKERS[1:], APP_MARKERS[0]):
        before, text = app.chart.datasets, app.chart.description
        marker.value = name
        record = MARKERS[name].cutoff
        assert (cutoff.min, cutoff.max, cutoff.step, cutoff.value) == (
            record.minimum, record.maximum, record.step, record.default)
        assert app.status.value == "" and app.chart.datasets != before and app.chart.description != text
        assert MARKERS[name].label in app.chart.description
        before = app.chart.datasets
        cutoff.value = round(cutoff.value + 5 * cutoff.step, 9)
        assert app.chart.datasets != before and app.status.value == ""


def test_app_updates_within_the_budget():
    app = threshold_app()
    marker, cutoff = app.controls[MARKER], app.controls[CUTOFF_CONTROL]
    slider_ms, marker_ms = [], []
    for step in range(40):
        cutoff.value = float(10 + step)
        slider_ms.append(app.last_update_ms)
    for name in APP_MARKERS * 3:
        marker.value = name
        marker_ms.append(app.last_update_ms)
    assert statistics.median(slider_ms) < 20 and statistics.median(marker_ms) < 20


def test_app_rejects_unknown_marker():
    with pytest.raises(ValueError, match="marker must be one of"):
        threshold_app("msi_high")


@pytest.mark.parametrize("model", [None, "logistic", {"intercept": 1.0}])
def test_expected_targets_refuses_what_is_not_a_response_model(model):
    # Issue 23: None raised a KeyError from deep inside.
    from primer_lib.biomarkers import expected_targets

    with pytest.raises(TypeError, match="response_model"):
        expected_targets(model)


def test_an_empty_cohort_or_infinite_marker_values_are_refused():
    # Issue 23: an empty cohort gave all-NaN metrics; roc_curve and summarize_marker accepted inf.
    from primer_lib import biomarkers as bm

    cohort = bm.virtual_cohort()
    with pytest.raises(ValueError, match="cohort must hold at least one patient"):
        bm.selection_metrics(cohort.iloc[:0], "tmb", 10.0)
    infinite = cohort.assign(tmb=np.where(np.arange(len(cohort)) == 0, np.inf, cohort["tmb"]))
    for call in (lambda: bm.roc_curve(infinite, "tmb"), lambda: bm.summarize_marker(infinite, "tmb")):
        with pytest.raises(ValueError, match="finite"):
            call()
    assert 0.0 <= bm.selection_metrics(cohort, "tmb", 10.0)["ppv"] <= 1.0
