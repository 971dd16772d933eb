"""Charts for :mod:`primer_lib.combinations`: synergy maps and independent drug action."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from primer_lib import combinations as model
from primer_lib.charts.theme import OKABE_ITO, themed

SYNERGY, IDA = "synergy", "ida"
MODELS = ("Bliss", "HSA", "Loewe")
#: Colour range of the excess; larger values are clamped. Symmetric, so 0 is the midpoint.
EXCESS_DOMAIN = (-0.3, 0.3)
#: |excess| above this counts as synergy or antagonism in the description (2 points of inhibition).
CALL_THRESHOLD = 0.02
UNDEFINED_GREY = "#BBBBBB"
_SERIES = ("Drug A alone", "Drug B alone", "A + B, independent action",
           "Bound ρ = +1: the better drug", "Bound ρ = −1: most benefit")
_COLOURS = (OKABE_ITO[0], OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[7], OKABE_ITO[4])


def synergy_chart() -> alt.FacetChart:
    """One heatmap of the dose matrix per reference model, coloured by the excess over it.

    Diverging "blueorange" scale centred at 0 (orange = synergy, blue =
    antagonism); undefined (NaN) cells show the grey layer beneath. Reads the
    named dataset ``"synergy"`` made by :func:`synergy_data`.
    """
    log = alt.Scale(type="log", nice=False)
    decades = alt.Axis(values=[10.0**k for k in range(-3, 4)], format="~g")
    grey = alt.Chart().mark_rect(color=UNDEFINED_GREY).encode(
        x=alt.X("b_low:Q", title="Dose of drug B (log scale)", scale=log, axis=decades), x2="b_high:Q",
        y=alt.Y("a_low:Q", title="Dose of drug A (log scale)", scale=log, axis=decades), y2="a_high:Q")
    # Vega-Lite drops rect marks whose colour value is null, so the grey layer shows through.
    cells = grey.mark_rect().encode(
        color=alt.Color("excess:Q", title="Excess (+ synergy)",
                        scale=alt.Scale(scheme="blueorange", domain=list(EXCESS_DOMAIN), domainMid=0,
                                        clamp=True)),
        tooltip=[alt.Tooltip("model:N", title="Reference"),
                 alt.Tooltip("dose_a:Q", title="Dose A", format=".3~g"),
                 alt.Tooltip("dose_b:Q", title="Dose B", format=".3~g"),
                 alt.Tooltip("effect_a:Q", title="A alone", format=".2f"),
                 alt.Tooltip("effect_b:Q", title="B alone", format=".2f"),
                 alt.Tooltip("effect_ab:Q", title="Observed A + B", format=".2f"),
                 alt.Tooltip("expected:Q", title="Expected", format=".2f"),
                 alt.Tooltip("excess:Q", title="Excess", format="+.2f")])
    panel = alt.layer(grey, cells, data=alt.NamedData(SYNERGY)).properties(width=220, height=220)
    return themed(panel.facet(
        column=alt.Column("model:N", title=None, sort=list(MODELS), header=alt.Header(labelFontSize=16)),
        title=alt.Title("Synergy maps: observed effect minus each reference's expectation",
                        subtitle="Orange: more than expected (synergy). Blue: less (antagonism). "
                                 "Grey: reference undefined.")))


def _edges(doses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Cell borders halfway between doses on the log axis.
    middle = np.sqrt(doses[:-1] * doses[1:])
    return (np.concatenate([[doses[0] ** 2 / middle[0]], middle]),
            np.concatenate([middle, [doses[-1] ** 2 / middle[-1]]]))


def synergy_data(doses_a: Any, doses_b: Any, effect_ab: Any,
                 pair: model.DrugPair) -> dict[str, pd.DataFrame]:
    """Long-form data for :func:`synergy_chart`: one row per cell and reference model.

    Parameters
    ----------
    doses_a, doses_b : 1-D arrays
        At least 2 increasing positive doses each (they sit on log axes).
    effect_ab : 2-D array
        Observed effects, row i at doses_a[i], column j at doses_b[j]
        (e.g. :meth:`DrugPair.matrix`).
    pair : DrugPair
        The single-drug Hill curves that the references are built from.
    """
    d_a, d_b = np.asarray(doses_a, dtype=float), np.asarray(doses_b, dtype=float)
    for name, d in (("doses_a", d_a), ("doses_b", d_b)):
        if d.ndim != 1 or d.size < 2 or (d <= 0).any() or (np.diff(d) <= 0).any():
            raise ValueError(f"{name} must be at least 2 increasing positive doses (log axis)")
    observed = np.asarray(effect_ab, dtype=float)
    if observed.shape != (d_a.size, d_b.size):
        raise ValueError(f"effect_ab must have shape {(d_a.size, d_b.size)}; got {observed.shape}")
    grid_a, grid_b = np.meshgrid(d_a, d_b, indexing="ij")
    e_a = model.hill(grid_a, pair.ec50_a, pair.hill_a)
    e_b = model.hill(grid_b, pair.ec50_b, pair.hill_b)
    excess = {"Bliss": model.bliss_excess(e_a, e_b, observed),
              "HSA": model.hsa_excess(e_a, e_b, observed),
              "Loewe": model.loewe_excess(grid_a, grid_b, observed, pair.ec50_a, pair.hill_a,
                                          pair.ec50_b, pair.hill_b)}
    (a_low, a_high), (b_low, b_high) = _edges(d_a), _edges(d_b)
    cell = {"dose_a": grid_a.ravel(), "dose_b": grid_b.ravel(),
            "a_low": np.repeat(a_low, d_b.size), "a_high": np.repeat(a_high, d_b.size),
            "b_low": np.tile(b_low, d_a.size), "b_high": np.tile(b_high, d_a.size),
            "effect_a": e_a.ravel(), "effect_b": e_b.ravel(), "effect_ab": observed.ravel()}
    frames = [pd.DataFrame({"model": name, **cell, "expected": observed.ravel() - values.ravel(),
                            "excess": values.ravel()}) for name, values in excess.items()]
    return {SYNERGY: pd.concat(frames, ignore_index=True)}


def _calls(excess: np.ndarray) -> np.ndarray:
    return np.select([excess > CALL_THRESHOLD, excess < -CALL_THRESHOLD], ["synergy", "antagonism"],
                     "additive")


def describe_synergy(data: Mapping[str, pd.DataFrame], pair: model.DrugPair) -> str:
    """One paragraph: what each reference calls synergy, where, and where they disagree.

    Reads the frame of :func:`synergy_data`, whose models list the same cells in the same order.
    """
    frame = data[SYNERGY]
    names = frame["model"].to_numpy()
    first = names == MODELS[0]
    dose_a, dose_b = frame["dose_a"].to_numpy()[first], frame["dose_b"].to_numpy()[first]
    # One row per model, one column per cell (numpy: pandas reshaping costs ~10 ms per move).
    excess = np.stack([frame["excess"].to_numpy()[names == name] for name in MODELS])
    parts = [f"Three heatmaps of the same {np.unique(dose_a).size} × {np.unique(dose_b).size} dose "
             f"matrix (doses {_dose(dose_a.min())} to {_dose(dose_a.max())}, log scales): drug A "
             f"(EC50 {pair.ec50_a:g}, Hill {pair.hill_a:g}) with drug B (EC50 {pair.ec50_b:g}, Hill "
             f"{pair.hill_b:g}), interaction α = {pair.interaction:g}. Colour is the observed effect "
             f"minus each model's expected effect; beyond ±{CALL_THRESHOLD:g} a cell counts as "
             "synergy (orange) or antagonism (blue)."]
    defined = np.isfinite(excess).all(axis=0)
    calls = _calls(excess)
    for name, values, verdict in zip(MODELS, excess, calls, strict=True):
        ok = np.isfinite(values)
        text = (f"{name}: synergy in {(verdict[ok] == 'synergy').sum()} cells, antagonism in "
                f"{(verdict[ok] == 'antagonism').sum()}")
        if ok.any():
            top = int(np.nanargmax(values))
            text += f", largest {values[top]:+.2f} at A {_dose(dose_a[top])}, B {_dose(dose_b[top])}"
        parts.append(text + ".")
    differ = defined & ((calls != calls[0]).any(axis=0))
    if differ.any():
        spread = np.where(differ, np.ptp(np.where(defined, excess, 0.0), axis=0), -1.0)
        at = int(np.argmax(spread))
        verdicts = ", ".join(f"{name} {excess[i, at]:+.2f} ({calls[i, at]})"
                             for i, name in enumerate(MODELS))
        parts.append(f"The models disagree in {int(differ.sum())} of {dose_a.size} cells; the widest "
                     f"gap is at A {_dose(dose_a[at])}, B {_dose(dose_b[at])}: {verdicts}.")
    else:
        parts.append("All three models agree in every cell.")
    if not defined.all():
        parts.append(f"{int((~defined).sum())} cells are undefined for at least one model (grey).")
    return " ".join(parts)


def _dose(value: float) -> str:
    return f"{value:.3g}"


def ida_chart() -> alt.LayerChart:
    """PFS curves: drug A, drug B, the IDA combination, and the two exact bounds (thin, dashed).

    Reads the named dataset ``"ida"`` made by :func:`ida_data`.
    """
    base = alt.Chart(alt.NamedData(IDA)).encode(
        x=alt.X("month:Q", title="Months since start of treatment", scale=alt.Scale(nice=False)),
        y=alt.Y("pfs:Q", title="Progression-free (fraction)", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("series:N", title=None, sort=list(_SERIES),
                        scale=alt.Scale(domain=list(_SERIES), range=list(_COLOURS)),
                        legend=alt.Legend(columns=2, symbolType="stroke")),
        strokeDash=alt.StrokeDash("series:N", title=None, sort=list(_SERIES),
                                  scale=alt.Scale(domain=list(_SERIES),
                                                  range=[[1, 0]] * 3 + [[5, 4]] * 2)))
    curves = base.transform_filter(alt.datum.bound == False).mark_line()  # noqa: E712 (Vega expression)
    bounds = base.transform_filter(alt.datum.bound == True).mark_line(strokeWidth=1.5)  # noqa: E712
    hover = base.mark_point(opacity=0, size=150).encode(
        tooltip=[alt.Tooltip("series:N", title="Curve"), alt.Tooltip("month:Q", format=".1f"),
                 alt.Tooltip("pfs:Q", title="Progression-free", format=".0%")])
    return themed(alt.LayerChart(layer=[curves, bounds, hover],
                                 title="Independent drug action: each patient gets the better drug"))


def ida_data(months: Any, survival_a: Any, survival_b: Any,
             combination: Any) -> dict[str, pd.DataFrame]:
    """Long-form data for :func:`ida_chart`: the three curves plus the ρ = ±1 bounds."""
    t = np.asarray(months, dtype=float)
    upper = model.independent_drug_action(t, survival_a, survival_b, rho=-1.0)
    lower = model.independent_drug_action(t, survival_a, survival_b, rho=1.0)
    curves = (survival_a, survival_b, combination, lower, upper)
    frame = pd.DataFrame({
        "month": np.tile(t, len(curves)),
        "pfs": np.concatenate([np.asarray(c, dtype=float) for c in curves]),
        "series": np.repeat(_SERIES, t.size),
        "bound": np.repeat([False, False, False, True, True], t.size),
    })
    return {IDA: frame}


def median_time(months: Any, survival: Any) -> float:
    """First time the curve reaches 0.5 (linear between points); ``inf`` if it never does."""
    t, s = np.asarray(months, dtype=float), np.asarray(survival, dtype=float)
    below = np.flatnonzero(s <= 0.5)
    if not below.size:
        return float("inf")
    k = int(below[0])
    if k == 0:
        return float(t[0])
    return float(np.interp(0.5, [s[k], s[k - 1]], [t[k], t[k - 1]]))


def describe_ida(months: Any, survival_a: Any, survival_b: Any, combination: Any, rho: float) -> str:
    """One paragraph: each curve's median, PFS at 12 months, and what the bounds mean."""
    t = np.asarray(months, dtype=float)
    upper = model.independent_drug_action(t, survival_a, survival_b, rho=-1.0)
    lower = model.independent_drug_action(t, survival_a, survival_b, rho=1.0)
    horizon = t[-1]

    def median(curve: Any) -> str:
        value = median_time(t, curve)
        return f"beyond {horizon:g} months" if np.isinf(value) else f"{value:.1f} months"

    def at_year(curve: Any) -> str:
        return f"{np.interp(12.0, t, np.asarray(curve, dtype=float)):.0%}"

    return (f"Line chart of progression-free survival over {horizon:g} months (illustrative "
            f"exponential curves, not trial data). Drug A alone: median {median(survival_a)}; "
            f"drug B alone: median {median(survival_b)}. Under independent drug action with "
            f"response correlation ρ = {rho:.1f}, each patient's time on the combination is their "
            f"longer time on either drug: median {median(combination)}, {at_year(combination)} "
            f"progression-free at 12 months against {at_year(lower)} for the better drug alone. "
            f"Thin dashed bounds: ρ = +1 (patients rank the drugs alike, so the combination is just "
            f"the better drug, median {median(lower)}) and ρ = −1 (opposite ranks, the most "
            f"benefit, median {median(upper)}). No drug interaction is assumed: the gain comes only "
            f"from patients differing in which drug works for them.")
