"""Charts for :mod:`primer_lib.liquid_biopsy` (lesson 06A): ctDNA against the scans in one teaching case."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from primer_lib.charts.theme import OKABE_ITO, themed
from primer_lib.liquid_biopsy import (
    SCENARIO_NOTES,
    WEEKS,
    Scenario,
    early_ctdna_change,
    molecular_response,
)

CTDNA, DRAWS, LIMIT, MARKER, SCANS, TUMOR = "ctdna", "draws", "limit", "marker", "scans", "tumor"
MARKER_WEEK = 6.0
MODEL_LINE = "ctDNA (model)"
DETECTED, MISSED = "draw: detected", "draw: below limit"
SCAN, TUMOR_ONLY = "scans: target sum", "tumour cells alone"
#: VAF axis in percent (log scale); values outside are drawn at the edge.
VAF_DOMAIN_PCT = (0.001, 100.0)
_WIDTH = 560
_DECADES = [10.0**k for k in range(-3, 3)]
_WEEK = alt.X("week:Q", title="Week on treatment", scale=alt.Scale(domain=[0, WEEKS], nice=False),
              axis=alt.Axis(values=list(range(0, WEEKS + 1, 3))))


def ctdna_chart() -> alt.VConcatChart:
    """Top: ctDNA VAF (log scale) with weekly draws and the detection limit. Bottom: the scans.

    Both panels mark week 6, where the early ctDNA change is read. The datasets are
    made by :func:`ctdna_data`.
    """
    vaf = alt.Y("vaf_pct:Q", title="ctDNA, % of cfDNA (log)",
                scale=alt.Scale(type="log", domain=list(VAF_DOMAIN_PCT), clamp=True),
                axis=alt.Axis(values=_DECADES, labelExpr="format(datum.value, '~g') + '%'"))
    colour = alt.Color("series:N", title=None, sort=None,
                       scale=alt.Scale(domain=[MODEL_LINE, DETECTED, MISSED],
                                       range=[OKABE_ITO[0], OKABE_ITO[0], OKABE_ITO[1]]))
    line = alt.Chart(alt.NamedData(CTDNA)).mark_line().encode(
        x=_WEEK, y=vaf, color=colour,
        tooltip=[alt.Tooltip("week:Q", format=".1f"),
                 alt.Tooltip("vaf_pct:Q", title="VAF (%)", format=".3~g")])
    draws = alt.Chart(alt.NamedData(DRAWS)).mark_point(size=110, filled=True).encode(
        x=_WEEK, y=alt.Y("shown_pct:Q"), color=colour,
        shape=alt.Shape("series:N", title=None, sort=None,
                        scale=alt.Scale(domain=[MODEL_LINE, DETECTED, MISSED],
                                        range=["stroke", "circle", "triangle-down"])),
        tooltip=[alt.Tooltip("week:Q", format=".0f"), alt.Tooltip("status:N", title="Result"),
                 alt.Tooltip("mutant_copies:Q", title="mutant copies in sample"),
                 alt.Tooltip("measured_pct:Q", title="measured VAF (%)", format=".3~g")])
    limit = alt.Chart(alt.NamedData(LIMIT))
    limit_rule = limit.mark_rule(strokeDash=[6, 4], strokeWidth=2, color=OKABE_ITO[7]).encode(
        y=alt.Y("vaf_pct:Q"))
    limit_text = limit.mark_text(align="right", dx=-4, dy=-8, fontSize=13, color=OKABE_ITO[7]).encode(
        x=alt.value(_WIDTH), y=alt.Y("vaf_pct:Q"), text="label:N")
    top = alt.layer(*_marker(), line, draws, limit_rule, limit_text).properties(
        width=_WIDTH, height=260, title="Liquid biopsy: ctDNA in weekly blood draws")

    # One y range for every case (0-100 mm unless a sum is larger), so switching cases compares them.
    mm = alt.Y("mm:Q", title="Target sum (mm)",
               scale=alt.Scale(domain=alt.DomainUnionWith(unionWith=[0, 100])))
    imaging_colour = alt.Color("series:N", title=None, sort=None,
                               scale=alt.Scale(domain=[SCAN, TUMOR_ONLY], range=[OKABE_ITO[1], OKABE_ITO[2]]))
    scans = alt.Chart(alt.NamedData(SCANS)).encode(
        x=_WEEK, y=mm, color=imaging_colour,
        tooltip=[alt.Tooltip("week:Q", format=".0f"), alt.Tooltip("mm:Q", title="target sum (mm)"),
                 alt.Tooltip("change:N", title="vs baseline"), alt.Tooltip("recist:N", title="RECIST 1.1"),
                 alt.Tooltip("irecist:N", title="iRECIST")])
    categories = scans.mark_text(dy=-16, fontSize=13, fontWeight="bold").encode(text="label:N")
    tumor = alt.Chart(alt.NamedData(TUMOR)).mark_line(strokeDash=[6, 4]).encode(
        x=_WEEK, y=mm, color=imaging_colour,
        tooltip=[alt.Tooltip("week:Q", format=".1f"), alt.Tooltip("mm:Q", title="mm", format=".0f")])
    bottom = alt.layer(*_marker(with_label=False), tumor, scans.mark_line(), scans.mark_point(),
                       categories).properties(
        width=_WIDTH, height=200, title="Imaging: target-lesion sum on scans (RECIST 1.1 / iRECIST)")
    return themed(alt.vconcat(top, bottom, spacing=16).resolve_scale(color="independent",
                                                                      shape="independent"))


def _marker(with_label: bool = True) -> list[alt.Chart]:
    marker = alt.Chart(alt.NamedData(MARKER))
    layers = [marker.mark_rule(strokeWidth=2, color=OKABE_ITO[3]).encode(x=alt.X("week:Q"))]
    if with_label:
        layers.append(marker.mark_text(align="left", dx=5, baseline="top", fontSize=13,
                                       color=OKABE_ITO[7]).encode(x=alt.X("week:Q"), y=alt.value(4),
                                                                  text="label:N"))
    return layers


def ctdna_data(case: Scenario) -> dict[str, pd.DataFrame]:
    """Datasets for :func:`ctdna_chart` from :func:`primer_lib.liquid_biopsy.scenario`."""
    frame, draws, limit = case.ctdna, case.draws, case.detection_limit_pct
    line = pd.DataFrame({"week": frame["week"], "vaf_pct": 100.0 * frame["ctdna_vaf"], "series": MODEL_LINE})
    detected = draws["detected"].to_numpy()
    measured = 100.0 * draws["measured_vaf"].to_numpy()
    points = pd.DataFrame({
        "week": draws["week"],
        "shown_pct": np.where(detected, measured, limit),
        "measured_pct": measured,
        "mutant_copies": draws["mutant_copies"].astype(int),
        "status": np.where(detected, "detected", "not detected"),
        "series": np.where(detected, DETECTED, MISSED),
    })
    fold = early_ctdna_change(frame, MARKER_WEEK)
    label = f"week {MARKER_WEEK:g}: ctDNA ×{fold:.2f} ({molecular_response(fold)})"
    marker = pd.DataFrame({"week": [MARKER_WEEK], "label": [label]})
    imaging = case.imaging
    base = float(imaging["target_sum_mm"].iloc[0])
    scans = pd.DataFrame({"week": imaging["week"], "mm": imaging["target_sum_mm"],
                          "change": [f"{100.0 * (s / base - 1.0):+.0f}%" for s in imaging["target_sum_mm"]],
                          "recist": ["BL", *imaging["recist"].iloc[1:]],
                          "irecist": ["BL", *imaging["irecist"].iloc[1:]], "series": SCAN})
    scans["label"] = [r if r == "BL" else f"{r} / {i}" for r, i in zip(scans["recist"], scans["irecist"],
                                                                         strict=True)]
    tumor = pd.DataFrame({"week": case.tumor["week"], "mm": case.tumor["tumor_only_sum_mm"],
                          "series": TUMOR_ONLY})
    return {CTDNA: line, DRAWS: points, MARKER: marker,
            LIMIT: pd.DataFrame({"vaf_pct": [limit], "label": [f"detection limit {limit:g}%"]}),
            SCANS: scans, TUMOR: tumor}


def describe_ctdna(case: Scenario) -> str:
    """One paragraph: ctDNA at baseline, week 6 and the end, the draws detected, and the scans."""
    frame, draws, imaging = case.ctdna, case.draws, case.imaging
    vaf = 100.0 * frame["ctdna_vaf"].to_numpy()
    at6 = float(np.interp(7.0 * MARKER_WEEK, frame["day"], vaf))
    fold = early_ctdna_change(frame, MARKER_WEEK)
    hits = draws["week"][draws["detected"]]
    last = (f"; last detected at week {hits.iloc[-1]:g}" if 0 < hits.size < len(draws) else "")
    sums = imaging["target_sum_mm"].to_numpy()
    scan_text = ", ".join(f"week {w:g}: {s:g} mm ({100.0 * (s / sums[0] - 1.0):+.0f}%, {c})"
                          for w, s, c in zip(imaging["week"].iloc[1:], sums[1:], imaging["recist"].iloc[1:],
                                             strict=True))
    irecist = ", ".join(imaging["irecist"].iloc[1:])
    tumor6 = float(np.interp(MARKER_WEEK, case.tumor["week"], case.tumor["tumor_only_sum_mm"]))
    return (f"Top: ctDNA as a percentage of cell-free DNA (log scale) over {WEEKS} weeks, "
            f"{case.kind} case: {SCENARIO_NOTES[case.kind]}. Model: {vaf[0]:.3g}% at baseline, "
            f"{at6:.3g}% at week {MARKER_WEEK:g} (×{fold:.2f} from baseline: {molecular_response(fold)}, "
            f"which needs a fall of more than 50%), {vaf[-1]:.3g}% at week {WEEKS}. Weekly blood draws of "
            f"{case.plasma_ml:g} mL plasma: detected in {hits.size} of {len(draws)} with a "
            f"{case.detection_limit_pct:g}% detection limit{last}. Bottom: scan target sum, baseline "
            f"{sums[0]:g} mm; {scan_text} (RECIST 1.1; iRECIST: {irecist}). The tumour cells alone would "
            f"measure {tumor6:.0f} mm at week {MARKER_WEEK:g} (dashed line).")
