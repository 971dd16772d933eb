"""Charts for :mod:`primer_lib.capstone` (lesson 06B): a trial design, previewed and then run.

Top row, the design before it is run (cheap, redrawn on every choice): each arm's
schedule over the year and the enrolled patients by tumor phenotype. Middle row,
the results of the last run: Kaplan–Meier progression-free survival per arm
(iRECIST solid, RECIST 1.1 dashed) and response rates by both criteria, with
lesson 04's statistical expectation on anti-PD-1 for comparison. Bottom, the
numbers in words: median and mean PFS, irAE risk, and patients RECIST 1.1 would
have stopped while they were responding.
"""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from primer_lib.capstone import ARMS, FOLLOW_UP, SELECTIONS, TrialResult, eligible_count
from primer_lib.charts.theme import OKABE_ITO, themed

SCHEDULE, ENROLLED, PFS, RATES = "schedule", "enrolled", "pfs", "rates"
LESSON04, SUMMARY = "lesson04", "summary"
THERAPIES = ("anti-PD-1", "anti-CTLA-4", "chemotherapy", "radiation", "anti-VEGF")
PHENOTYPE_ORDER = ("desert", "excluded", "inflamed")
CRITERIA = ("iRECIST", "RECIST 1.1")
_DAYS = FOLLOW_UP.default
_LEFT, _RIGHT = 430, 300
_DAY_AXIS = alt.Axis(values=list(range(0, int(_DAYS) + 1, 42)))
LESSON04_KEY = "lesson 04 model, anti-PD-1"
_RATE_COLOUR = alt.Color("criterion:N", title="Response by",
                         scale=alt.Scale(domain=[*CRITERIA, LESSON04_KEY],
                                         range=[OKABE_ITO[2], OKABE_ITO[4], OKABE_ITO[7]]),
                         legend=alt.Legend(orient="bottom", columns=1))


def arm_label(position: int, arm: str) -> str:
    """``"A: anti-PD-1"``: the position letter keeps arm A first (blue) in every legend."""
    return f"{'AB'[position]}: {arm}"


def capstone_chart() -> alt.VConcatChart:
    """Design preview (schedules, enrolled phenotypes) over results (KM PFS, response rates) over text."""
    day = alt.Scale(domain=[0, _DAYS], nice=False)
    schedule = alt.Chart(alt.NamedData(SCHEDULE)).mark_bar(height=10, cornerRadius=2).encode(
        x=alt.X("start_day:Q", title="Day from randomisation", scale=day, axis=_DAY_AXIS),
        x2="end_day:Q",
        y=alt.Y("arm:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("therapy:N", sort=list(THERAPIES)),
        color=alt.Color("therapy:N", title="Drug", scale=alt.Scale(domain=list(THERAPIES),
                                                                    range=list(OKABE_ITO[:len(THERAPIES)])),
                        legend=alt.Legend(orient="bottom", columns=3)),
        tooltip=["arm:N", "therapy:N", alt.Tooltip("start_day:Q", title="from day"),
                 alt.Tooltip("end_day:Q", title="to day"),
                 alt.Tooltip("irae_risk:Q", title="severe irAE risk (proxy)", format=".0%")],
    ).properties(width=_LEFT, height=110, title="Design: each arm's schedule")
    enrolled = alt.Chart(alt.NamedData(ENROLLED)).mark_bar().encode(
        x=alt.X("patients:Q", title="Patients enrolled", stack="zero"),
        y=alt.Y("arm_short:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
        color=alt.Color("phenotype:N", title="Phenotype",
                        scale=alt.Scale(domain=list(PHENOTYPE_ORDER),
                                        range=[OKABE_ITO[5], OKABE_ITO[3], OKABE_ITO[1]]),
                        legend=alt.Legend(orient="bottom")),
        order=alt.Order("order:Q"),
        tooltip=["arm:N", "phenotype:N", "patients:Q"],
    ).properties(width=_RIGHT, height=110, title="Design: who is enrolled, by phenotype")

    pfs = alt.Chart(alt.NamedData(PFS)).mark_line(interpolate="step-after").encode(
        x=alt.X("day:Q", title="Day from randomisation", scale=day, axis=_DAY_AXIS),
        y=alt.Y("survival:Q", title="Progression-free", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=alt.Color("arm:N", title="Arm", scale=alt.Scale(range=[OKABE_ITO[0], OKABE_ITO[1]]),
                        legend=alt.Legend(orient="bottom", columns=1)),
        strokeDash=alt.StrokeDash("criterion:N", title="Read by",
                                  scale=alt.Scale(domain=list(CRITERIA), range=[[1, 0], [6, 4]]),
                                  legend=alt.Legend(orient="bottom", columns=1)),
        tooltip=["arm:N", "criterion:N", alt.Tooltip("day:Q", format=".0f"),
                 alt.Tooltip("survival:Q", title="progression-free", format=".0%")],
    ).properties(width=_LEFT, height=240, title="Results: progression-free survival (Kaplan–Meier)")
    bars = alt.Chart(alt.NamedData(RATES)).mark_bar().encode(
        x=alt.X("arm_short:N", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("criterion:N", sort=list(CRITERIA)),
        y=alt.Y("rate:Q", title="Objective response rate", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=_RATE_COLOUR,
        tooltip=["arm:N", "criterion:N", alt.Tooltip("rate:Q", format=".0%"), "responders:Q"],
    )
    rule = alt.Chart(alt.NamedData(LESSON04)).mark_rule(strokeDash=[5, 4], strokeWidth=2).encode(
        y="rate:Q", color=_RATE_COLOUR,
        tooltip=[alt.Tooltip("label:N", title="Lesson 04"), alt.Tooltip("rate:Q", format=".0%")])
    rates = alt.layer(bars, rule).properties(width=_RIGHT, height=240, title="Results: response rates")
    text = alt.Chart(alt.NamedData(SUMMARY)).mark_text(align="left", baseline="top", fontSize=14).encode(
        x=alt.value(0), y=alt.Y("line:O", axis=None), text="text:N",
        color=alt.Color("kind:N", scale=alt.Scale(domain=["result", "note"], range=["#000000", OKABE_ITO[1]]),
                        legend=None),
    ).properties(width=_LEFT + _RIGHT + 40, height=alt.Step(20))
    top = alt.hconcat(schedule, enrolled).resolve_scale(color="independent")
    middle = alt.hconcat(pfs, rates).resolve_scale(color="independent", strokeDash="independent")
    return themed(alt.vconcat(top, middle, text).resolve_scale(color="independent", strokeDash="independent"))


# --- Data -------------------------------------------------------------------------------------------------

def preview_data(patients: pd.DataFrame, doses: pd.DataFrame,
                 arms: tuple[str, str]) -> dict[str, pd.DataFrame]:
    """Schedule bars and enrolled-phenotype counts for :func:`capstone_chart` (from ``design_preview``)."""
    labels = {arm: arm_label(i, arm) for i, arm in enumerate(arms)}
    schedule = doses.assign(arm=doses["arm"].map(labels))[["arm", "therapy", "start_day", "end_day",
                                                          "irae_risk"]]
    counts = patients.groupby(["arm", "phenotype"]).size()
    rows = [{"arm": labels[arm], "arm_short": labels[arm][0], "phenotype": phenotype,
             "patients": int(counts.get((arm, phenotype), 0)), "order": k}
            for arm in arms for k, phenotype in enumerate(PHENOTYPE_ORDER)]
    return {SCHEDULE: schedule.reset_index(drop=True), ENROLLED: pd.DataFrame(rows)}


def results_data(result: TrialResult | None, current: bool = True) -> dict[str, pd.DataFrame]:
    """KM curves, response-rate bars, lesson 04's rate and the summary text of a run (None: not run yet).

    ``current`` False marks the results as those of an earlier design (a note says so).
    """
    if result is None:
        note = "No trial run yet: choose a design above, then press Run trial (about half a second)."
        return {PFS: pd.DataFrame(columns=["arm", "criterion", "day", "survival"]),
                RATES: pd.DataFrame(columns=["arm", "arm_short", "criterion", "rate", "responders"]),
                LESSON04: pd.DataFrame(columns=["rate", "criterion", "label"]),
                SUMMARY: pd.DataFrame({"line": [0], "text": [note], "kind": ["note"]})}
    labels = {arm: arm_label(i, arm) for i, arm in enumerate(result.arms)}
    curves = []
    for arm, by_criterion in result.km.items():
        for criterion, (t, s) in by_criterion.items():
            curves.append(pd.DataFrame({"arm": labels[arm], "criterion": criterion, "day": t, "survival": s}))
    summary = result.summary.set_index("arm")
    rows = []
    for arm in result.arms:
        n = int(summary.loc[arm, "n"])
        for criterion, column in zip(CRITERIA, _RATE_COLUMNS, strict=True):
            rate = float(summary.loc[arm, column])
            rows.append({"arm": labels[arm], "arm_short": labels[arm][0], "criterion": criterion,
                         "rate": rate, "responders": int(round(rate * n))})
    lesson04 = pd.DataFrame({"rate": [result.lesson04_selection_rate], "criterion": [LESSON04_KEY],
                             "label": [f"statistical response rate to anti-PD-1 for this rule in lesson 04's "
                                       f"whole cohort: {result.lesson04_selection_rate:.0%}"]})
    lines = [(text, "result") for text in summary_lines(result)]
    if not current:
        lines.insert(0, ("These results are for an earlier design: press Run trial to run the one above.",
                         "note"))
    return {PFS: pd.concat(curves, ignore_index=True), RATES: pd.DataFrame(rows), LESSON04: lesson04,
            SUMMARY: pd.DataFrame({"line": range(len(lines)), "text": [t for t, _ in lines],
                                   "kind": [k for _, k in lines]})}


def capstone_data(patients: pd.DataFrame, doses: pd.DataFrame, arms: tuple[str, str],
                  result: TrialResult | None = None, current: bool = True) -> dict[str, pd.DataFrame]:
    """Every dataset of :func:`capstone_chart`: the design's preview and the last run's results."""
    return preview_data(patients, doses, arms) | results_data(result, current)


# --- Words --------------------------------------------------------------------------------------------------

def _days(value: float) -> str:
    return "not reached" if math.isnan(value) else f"day {value:.0f}"


_RATE_COLUMNS = ("response_rate_irecist", "response_rate_recist")


def _lesson04_enrolled(result: TrialResult) -> float:
    return float(result.patients["lesson04_probability"].mean())


def summary_lines(result: TrialResult) -> list[str]:
    """One line per arm with its numbers, then the mechanistic-vs-lesson-04 comparison."""
    summary = result.summary.set_index("arm")
    rule = SELECTIONS[result.selection].label
    lines = [f"Run: {rule}, {len(result.patients)} patients, seed {result.seed}."]
    for i, arm in enumerate(result.arms):
        row = summary.loc[arm]
        lines.append(
            f"{arm_label(i, arm)} (n = {int(row['n'])}): response {row['response_rate_irecist']:.0%} by "
            f"iRECIST, {row['response_rate_recist']:.0%} by RECIST 1.1; "
            f"severe irAE risk {row['irae_risk']:.0%}.")
        lines.append(
            f"{'AB'[i]}: PFS median {_days(row['median_pfs_days'])} "
            f"(RECIST 1.1: {_days(row['median_pfs_recist_days'])}), "
            f"mean {row['mean_pfs_days']:.0f} days; stopped by RECIST 1.1 but responding: "
            f"{int(row['stopped_by_recist'])}.")
    lines.append(
        f"Lesson 04's statistical model, anti-PD-1: {result.lesson04_selection_rate:.0%} for this rule in "
        f"its whole cohort, {_lesson04_enrolled(result):.0%} for these cold-tumor patients.")
    return lines


def describe_preview(patients: pd.DataFrame, doses: pd.DataFrame, arms: tuple[str, str], selection: str,
                     seed: int = 0) -> str:
    """The design in words: the rule, how many are eligible, the phenotype mix and each arm's schedule."""
    eligible = eligible_count(selection, seed)
    mix = patients["phenotype"].value_counts()
    phenotypes = ", ".join(f"{int(mix.get(p, 0))} {p}" for p in PHENOTYPE_ORDER)
    arms_text = []
    for i, arm in enumerate(arms):
        own = doses[doses["arm"] == arm]
        risk = float(own["irae_risk"].iloc[0])
        drugs = ", ".join(f"{d.therapy} days {d.start_day:.0f}–{d.end_day:.0f}" for d in own.itertuples())
        arms_text.append(f"{arm_label(i, arm)} ({drugs}; severe irAE risk {risk:.0%})")
    screened = eligible_count("all", seed)
    return (f"Design: {SELECTIONS[selection].label}; {eligible:,} of {screened:,} screened cold-tumor "
            f"patients are eligible and the first {len(patients)} are enrolled ({phenotypes}; median TMB "
            f"{patients['tmb'].median():.1f} mut/Mb, {np.mean(patients['pdl1_tps'] >= 50):.0%} with PD-L1 "
            f"≥ 50%), "
            f"randomised 1:1 to " + " and ".join(arms_text) + ". " + ARMS[arms[0]].note + " "
            + ARMS[arms[1]].note)


def describe_results(result: TrialResult | None, current: bool = True) -> str:
    """The results in words (or that no trial has been run yet)."""
    if result is None:
        return "Results: no trial run yet; press Run trial."
    when = "" if current else " (of an earlier design; press Run trial for the current one)"
    return (f"Results{when}: progression-free survival by Kaplan–Meier, iRECIST solid and RECIST 1.1 "
            "dashed, and response rates by both criteria. "
            + " ".join(line.strip() for line in summary_lines(result)))


def describe_capstone(patients: pd.DataFrame, doses: pd.DataFrame, arms: tuple[str, str], selection: str,
                      result: TrialResult | None = None, current: bool = True, seed: int = 0) -> str:
    """One paragraph for the whole chart: the design, then the last run's results."""
    return describe_preview(patients, doses, arms, selection, seed) + " " + describe_results(result, current)

