"""Charts for :mod:`primer_lib.biomarkers` (lesson 04): the threshold explorer.

Three panels for one marker of one cohort: its ROC curve with the current cutoff
as a point; the trade-off between patients eligible and the response rate among
them as the cutoff moves; and the 2×2 table at the cutoff. Curves are thinned to
at most :data:`MAX_CURVE_POINTS` cutoffs before charting.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from primer_lib.biomarkers import MARKERS, MarkerSummary
from primer_lib.charts.theme import OKABE_ITO, themed

ROC, CUTOFF, TRADEOFF, TABLE = "roc", "cutoff", "tradeoff", "table"
#: Cutoffs drawn per curve: smooth at chart size, far below Altair's 5000-row limit.
MAX_CURVE_POINTS = 200
_PANEL = 300
_CELLS = ("correct", "wrong")
_PERCENT = alt.Axis(format="%", values=[0, 0.2, 0.4, 0.6, 0.8, 1])
_RATE = alt.Axis(values=[0, 0.2, 0.4, 0.6, 0.8, 1])


def threshold_chart() -> alt.VConcatChart:
    """ROC curve with the cutoff's point, eligible-vs-response-rate trade-off, and the 2×2 table."""
    unit = alt.Scale(domain=[0, 1], nice=False)
    diagonal = alt.Chart(alt.Data(values=[{"x": 0.0, "y": 0.0}, {"x": 1.0, "y": 1.0}])).mark_line(
        color="#999999", strokeDash=[4, 4], strokeWidth=1.5).encode(x="x:Q", y="y:Q")
    roc = alt.Chart(alt.NamedData(ROC)).mark_line(color=OKABE_ITO[0]).encode(
        x=alt.X("fpr:Q", title="False-positive rate (1 − specificity)", scale=unit, axis=_RATE),
        y=alt.Y("tpr:Q", title="True-positive rate (sensitivity)", scale=unit, axis=_RATE),
        order="order:Q")
    cutoff = alt.Chart(alt.NamedData(CUTOFF))
    roc_point = cutoff.mark_point(color=OKABE_ITO[1], size=160).encode(
        x="fpr:Q", y="tpr:Q",
        tooltip=[alt.Tooltip("label:N", title="Cutoff"),
                 alt.Tooltip("tpr:Q", title="Sensitivity", format=".1%"),
                 alt.Tooltip("specificity:Q", title="Specificity", format=".1%")])
    roc_text = cutoff.mark_text(align="right", baseline="bottom", fontSize=14).encode(
        x=alt.datum(0.98), y=alt.datum(0.02), text="roc_label:N")
    roc_panel = alt.layer(diagonal, roc, roc_point, roc_text).properties(
        width=_PANEL, height=_PANEL, title="ROC curve of the marker")

    trade = alt.Chart(alt.NamedData(TRADEOFF)).mark_line(color=OKABE_ITO[2]).encode(
        x=alt.X("eligible:Q", title="Patients eligible", scale=unit, axis=_PERCENT),
        y=alt.Y("ppv:Q", title="Response rate among them", scale=unit, axis=_PERCENT),
        order="order:Q",
        tooltip=[alt.Tooltip("cutoff_text:N", title="Cutoff"),
                 alt.Tooltip("eligible:Q", title="Eligible", format=".1%"),
                 alt.Tooltip("ppv:Q", title="Response rate", format=".1%")])
    everyone = cutoff.mark_rule(color="#777777", strokeDash=[6, 4], strokeWidth=2).encode(y="overall:Q")
    everyone_text = cutoff.mark_text(align="left", baseline="bottom", fontSize=13, dy=-3).encode(
        x=alt.datum(0.02), y="overall:Q", text=alt.value("everyone treated"))
    trade_point = cutoff.mark_point(color=OKABE_ITO[1], size=160).encode(
        x="eligible:Q", y="ppv:Q",
        tooltip=[alt.Tooltip("label:N", title="Cutoff"),
                 alt.Tooltip("eligible:Q", title="Eligible", format=".1%"),
                 alt.Tooltip("ppv:Q", title="Response rate (PPV)", format=".1%")])
    trade_text = cutoff.mark_text(align="right", baseline="top", fontSize=14).encode(
        x=alt.datum(0.98), y=alt.datum(0.98), text="label:N")
    trade_panel = alt.layer(trade, everyone, everyone_text, trade_point, trade_text).properties(
        width=_PANEL + 60, height=_PANEL, title="Patients eligible vs response rate among them")

    table = alt.Chart(alt.NamedData(TABLE)).encode(
        x=alt.X("truth:N", title=None, sort=["responder", "non-responder"],
                axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("selected:N", title=None, sort=["selected", "not selected"]))
    cells = table.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("kind:N", scale=alt.Scale(domain=list(_CELLS), range=[OKABE_ITO[0], OKABE_ITO[1]]),
                        legend=None),
        opacity=alt.Opacity("share:Q", scale=alt.Scale(domain=[0, 1], range=[0.25, 0.9]), legend=None),
        tooltip=["name:N", alt.Tooltip("count:Q", format=",")])
    counts = table.mark_text(fontSize=15, color="black").encode(text="text:N")
    table_panel = alt.layer(cells, counts).properties(
        width=_PANEL + 60, height=110, title="2×2 table at the cutoff (blue: right call, orange: wrong call)")
    return themed(alt.vconcat(alt.hconcat(roc_panel, trade_panel), table_panel))


def _curve_indices(length: int) -> np.ndarray:
    if length <= MAX_CURVE_POINTS:
        return np.arange(length)
    return np.unique(np.round(np.linspace(0, length - 1, MAX_CURVE_POINTS)).astype(np.int64))


def threshold_data(summary: MarkerSummary, cutoff: float) -> dict[str, pd.DataFrame]:
    """The four datasets of :func:`threshold_chart` for ``summary``'s marker at ``cutoff``."""
    if not isinstance(summary, MarkerSummary):
        raise TypeError(f"summary must be a MarkerSummary (summarize_marker); got {type(summary).__name__}")
    marker = MARKERS[summary.marker]
    m = summary.metrics(cutoff)
    index = _curve_indices(len(summary.fpr))
    fpr, tpr, thresholds = summary.fpr[index], summary.tpr[index], summary.thresholds[index]
    positives, negatives = len(summary.responders), len(summary.others)
    roc = pd.DataFrame({"order": np.arange(len(index)), "fpr": fpr, "tpr": tpr})
    selected = fpr * negatives + tpr * positives
    keep = selected > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        ppv = tpr * positives / selected
    trade = pd.DataFrame({"order": np.arange(int(keep.sum())), "eligible": selected[keep] / summary.size,
                          "ppv": ppv[keep],
                          "cutoff_text": [marker.format_cutoff(v) for v in thresholds[keep]]})
    point = pd.DataFrame([{
        "fpr": 1.0 - m["specificity"], "tpr": m["sensitivity"], "specificity": m["specificity"],
        "eligible": m["eligible_fraction"], "ppv": m["ppv"], "overall": summary.response_rate,
        "label": marker.format_cutoff(cutoff),
        "roc_label": f"{marker.label}: AUC {summary.auc:.2f}"}])
    table = pd.DataFrame([
        ("selected", "responder", "true positives", m["true_positive"], "correct"),
        ("selected", "non-responder", "false positives", m["false_positive"], "wrong"),
        ("not selected", "responder", "false negatives", m["false_negative"], "wrong"),
        ("not selected", "non-responder", "true negatives", m["true_negative"], "correct"),
    ], columns=["selected", "truth", "name", "count", "kind"])
    table["share"] = table["count"] / summary.size
    table["text"] = [f"{name}: {count:,}" for name, count in zip(table["name"], table["count"], strict=True)]
    return {ROC: roc, CUTOFF: point, TRADEOFF: trade, TABLE: table}


def _percent(value: float) -> str:
    return "undefined (nobody selected)" if math.isnan(value) else f"{value:.1%}"


def describe_threshold(summary: MarkerSummary, cutoff: float) -> str:
    """One paragraph: eligible share, sensitivity, specificity, PPV, NPV and the AUC."""
    marker = MARKERS[summary.marker]
    m = summary.metrics(cutoff)
    return (f"Selecting patients with {marker.format_cutoff(cutoff)} makes {m['n_selected']:,} of "
            f"{summary.size:,} patients eligible ({m['eligible_fraction']:.1%}). Among them "
            f"{_percent(m['ppv'])} respond (PPV), against {summary.response_rate:.1%} if everyone were "
            f"treated; among those left out {_percent(m['npv'])} do not respond (NPV). The cutoff catches "
            f"{_percent(m['sensitivity'])} of responders (sensitivity) and leaves out "
            f"{_percent(m['specificity'])} of non-responders (specificity): {m['true_positive']:,} true "
            f"positives, {m['false_positive']:,} false positives, {m['false_negative']:,} false negatives "
            f"and {m['true_negative']:,} true negatives. Left: the ROC curve of {marker.label} (AUC "
            f"{summary.auc:.2f}; 0.5 is a coin toss) with this cutoff as a point. Right: as the cutoff "
            f"rises, fewer patients are eligible and more of them respond.")
