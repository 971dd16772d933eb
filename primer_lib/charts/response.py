"""Charts for :mod:`primer_lib.response` (lesson 05): a patient's scans read by RECIST 1.1 and iRECIST."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from primer_lib.charts.theme import OKABE_ITO, themed
from primer_lib.response import (
    PD_ABSOLUTE,
    PD_THRESHOLD,
    PR_THRESHOLD,
    Assessment,
    best_overall_response,
    response_table,
)

SUMS, NEW_LESIONS, LABELS = "sums", "new_lesions", "labels"
TARGET = "target lesions (sum)"
THRESHOLD = f"progression line (nadir +{PD_THRESHOLD.default:g}%, ≥ {PD_ABSOLUTE.default:g} mm)"
#: Rows under the chart, top to bottom.
ROWS = ("Non-target", "New lesions", "RECIST 1.1", "iRECIST")
#: How each category is coloured (the legend's words).
KINDS = {"CR": "response", "PR": "response", "SD": "stable", "PD": "progression",
         "iCR": "response", "iPR": "response", "iSD": "stable", "iUPD": "unconfirmed progression",
         "iCPD": "progression"}
_KIND_DOMAIN = ["response", "stable", "unconfirmed progression", "progression"]
_KIND_RANGE = [OKABE_ITO[2], OKABE_ITO[0], OKABE_ITO[3], OKABE_ITO[1]]
_NONTARGET_SHORT = {"absent": "none", "CR": "CR", "non-CR/non-PD": "present", "PD": "PD"}
_WIDTH = 560


def response_chart() -> alt.VConcatChart:
    """% change of the target sum, the new-lesion sum, and each scan's status and categories.

    Top: the target sum's % change from baseline with the PR line (−30%), the +20% line
    and the moving progression line (+20% and ≥ 5 mm over the nadir). Middle: the sum of
    measurable new lesions (mm). Bottom: non-target status, number of new lesions, and the
    RECIST 1.1 and iRECIST category at each scan.
    """
    week = alt.X("week:Q", title="Week on treatment", scale=alt.Scale(nice=False, padding=36),
                 axis=alt.Axis(tickCount=8, labelExpr="datum.value < 0 ? '' : datum.label"))
    bare_week = alt.X("week:Q", axis=None, scale=alt.Scale(nice=False, padding=36))
    y_title = "Target sum, % change from baseline"
    # The y scale is declared once, on the target layer (its data set the domain; the rules and the
    # progression line stay within −100% to +50%); declared on several layers, Vega-Lite warns.
    scale = alt.Scale(domain=alt.DomainUnionWith(unionWith=[-100, 50]))
    lines: list[alt.Chart] = []
    for value, label, colour in ((PR_THRESHOLD.default, f"PR {PR_THRESHOLD.default:g}%", OKABE_ITO[2]),
                                 (PD_THRESHOLD.default, f"+{PD_THRESHOLD.default:g}%", OKABE_ITO[1])):
        rule = alt.Chart(alt.Data(values=[{"y": value, "label": label}]))
        y = alt.Y("y:Q", title=y_title)
        lines += [rule.mark_rule(strokeDash=[6, 4], strokeWidth=2, color=colour).encode(y=y),
                  rule.mark_text(align="left", dx=4, dy=-8, fontSize=13, color=colour).encode(
                      x=alt.value(0), y=y, text="label:N")]
    series = alt.Chart(alt.NamedData(SUMS)).encode(
        x=week, y=alt.Y("change_pct:Q", title=y_title),
        color=alt.Color("series:N", title=None, sort=None,
                        scale=alt.Scale(domain=[TARGET, THRESHOLD], range=[OKABE_ITO[0], OKABE_ITO[7]])),
        tooltip=["series:N", alt.Tooltip("week:Q", format=".0f"),
                 alt.Tooltip("mm:Q", title="sum (mm)", format=".0f"),
                 alt.Tooltip("change_pct:Q", title="% from baseline", format="+.0f")])
    target = series.transform_filter(alt.datum.series == TARGET)
    target_line = target.mark_line().encode(y=alt.Y("change_pct:Q", title=y_title, scale=scale))
    threshold = series.transform_filter(alt.datum.series == THRESHOLD).mark_line(
        interpolate="step-after", strokeDash=[2, 3], strokeWidth=2)
    top = alt.layer(*lines, threshold, target_line, target.mark_point()).properties(
        width=_WIDTH, height=260, title="Target lesions: change from baseline")
    new = alt.Chart(alt.NamedData(NEW_LESIONS)).mark_bar(size=16, color=OKABE_ITO[4]).encode(
        x=bare_week,
        y=alt.Y("new_lesion_sum_mm:Q", title=["New lesions", "(sum, mm)"],
                scale=alt.Scale(domain=alt.DomainUnionWith(unionWith=[0, 20]))),
        tooltip=[alt.Tooltip("week:Q", format=".0f"), alt.Tooltip("new_lesion_sum_mm:Q", title="sum (mm)"),
                 alt.Tooltip("new_lesion_count:Q", title="count")],
    ).properties(width=_WIDTH, height=70)
    labels = alt.Chart(alt.NamedData(LABELS)).encode(
        x=bare_week, y=alt.Y("row:N", title=None, sort=list(ROWS),
                             axis=alt.Axis(domain=False, ticks=False, labelFontSize=14)),
        text="text:N", tooltip=["row:N", alt.Tooltip("week:Q", format=".0f"), "detail:N"])
    status = labels.transform_filter(alt.datum.kind == "").mark_text(fontSize=14)
    categories = labels.transform_filter(alt.datum.kind != "").mark_text(
        fontSize=15, fontWeight="bold").encode(
        color=alt.Color("kind:N", title="Category",
                        scale=alt.Scale(domain=_KIND_DOMAIN, range=_KIND_RANGE)))
    rows = alt.layer(status, categories).properties(width=_WIDTH, height=alt.Step(24))
    chart = alt.vconcat(top, new, rows, spacing=8).resolve_scale(x="shared", color="independent")
    return themed(chart)


def response_data(assessments: Sequence[Assessment]) -> dict[str, pd.DataFrame]:
    """Datasets for :func:`response_chart`: sums and progression line, new lesions, row labels."""
    table = response_table(assessments)
    baseline = float(table["target_sum_mm"].iloc[0])
    nadir = table["nadir_mm"].to_numpy()
    line_mm = [max(n * (1 + PD_THRESHOLD.default / 100.0), n + PD_ABSOLUTE.default) for n in nadir]
    sums = pd.concat([
        pd.DataFrame({"week": table["week"], "mm": table["target_sum_mm"],
                      "change_pct": table["change_from_baseline_pct"], "series": TARGET}),
        pd.DataFrame({"week": table["week"], "mm": line_mm,
                      "change_pct": [100.0 * (mm / baseline - 1.0) for mm in line_mm], "series": THRESHOLD}),
    ], ignore_index=True)
    new = table[["week", "new_lesion_sum_mm", "new_lesion_count"]].reset_index(drop=True)
    rows = []
    for i, scan in table.iterrows():
        first = i == 0
        rows.append((scan["week"], ROWS[0], _NONTARGET_SHORT[scan["nontarget"]], "", scan["nontarget"]))
        rows.append((scan["week"], ROWS[1], "–" if first else str(scan["new_lesion_count"]), "",
                     f"{scan['new_lesion_sum_mm']:g} mm measured"))
        for row, column in ((ROWS[2], "recist"), (ROWS[3], "irecist")):
            text = "BL" if first else scan[column]
            rows.append((scan["week"], row, text, "" if first else KINDS[text],
                         "baseline" if first else scan[column]))
    labels = pd.DataFrame(rows, columns=["week", "row", "text", "kind", "detail"])
    return {SUMS: sums, NEW_LESIONS: new, LABELS: labels}


def describe_response(assessments: Sequence[Assessment]) -> str:
    """One paragraph: the scans, both classifications and both best overall responses."""
    table = response_table(assessments)
    follow = table.iloc[1:]
    weeks = ", ".join(f"{w:g}" for w in table["week"])
    sums = ", ".join(f"{s:g}" for s in table["target_sum_mm"])
    changes = ", ".join(f"{c:+.0f}%" for c in follow["change_from_baseline_pct"])
    new = [f"week {w:g}: {n} ({s:g} mm measured)" for w, n, s in
           zip(follow["week"], follow["new_lesion_count"], follow["new_lesion_sum_mm"], strict=True) if n]
    usual = table["nontarget"].iloc[0]
    other = [f"{status} at week {w:g}" for w, status in zip(follow["week"], follow["nontarget"], strict=True)
             if status != usual]
    recist, irecist = list(follow["recist"]), list(follow["irecist"])
    text = (f"Target-lesion sum at weeks {weeks}: {sums} mm (change from baseline at each follow-up: "
            f"{changes}). New lesions: {'; '.join(new) if new else 'none'}. Non-target disease: {usual}"
            + (f" at baseline; {', '.join(other)}" if other else " throughout") + ". "
            f"RECIST 1.1: {', '.join(recist)} (best overall response {best_overall_response(recist)}). "
            f"iRECIST: {', '.join(irecist)} (best overall response {best_overall_response(irecist)}).")
    if "PD" in recist and "iCPD" not in irecist:
        first = follow["week"].iloc[recist.index("PD")]
        text += (f" RECIST 1.1 calls progression at week {first:g}, which would stop treatment; "
                 "iRECIST never confirms it.")
    elif "PD" in recist:
        text += (f" RECIST 1.1 calls progression at week {follow['week'].iloc[recist.index('PD')]:g}; "
                 f"iRECIST confirms it at week {follow['week'].iloc[irecist.index('iCPD')]:g}.")
    return text
