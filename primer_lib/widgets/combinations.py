"""Drug-combination explorers: synergy maps of a dose matrix, and independent drug action."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from primer_lib import combinations as model
from primer_lib.charts import combinations as charts
from primer_lib.widgets.app import App, build_app
from primer_lib.widgets.controls import slider
from primer_lib.widgets.livechart import LiveChart

#: Months shown: 0 to 36 every half month.
MONTHS = np.linspace(0.0, 36.0, 73)
MONTHS.flags.writeable = False
_PAIR_RECORDS = (model.EC50_A, model.EC50_B, model.INTERACTION, model.HILL_A, model.HILL_B)


def synergy_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    """Dose matrix of the pair, its three synergy maps and their description (about 3 ms)."""
    pair = model.DrugPair(**{r.key: values[r.name] for r in _PAIR_RECORDS})
    doses = model.TEACHING_DOSES
    data = charts.synergy_data(doses, doses, pair.matrix(doses, doses), pair)
    return data, charts.describe_synergy(data, pair)


def synergy_app(ec50_a: float | None = None, ec50_b: float | None = None,
                interaction: float | None = None, hill_a: float | None = None,
                hill_b: float | None = None) -> App:
    """Sliders for both drugs' potency and steepness and their interaction, wired to the synergy maps."""
    start = (ec50_a, ec50_b, interaction, hill_a, hill_b)
    controls = {r.name: slider(r, value) for r, value in zip(_PAIR_RECORDS, start, strict=True)}
    data, text = synergy_update({name: c.value for name, c in controls.items()})
    return build_app("Is it synergy? Three reference models, one dose matrix", controls,
                     LiveChart(charts.synergy_chart(), data, text), synergy_update,
                     intro="Two illustrative drugs; with interaction α > 0 drug B makes drug A more potent.")


@functools.lru_cache(maxsize=64)
def _monotherapy(median: float) -> np.ndarray:
    curve = model.exponential_survival(MONTHS, median)
    curve.flags.writeable = False
    return curve


@functools.lru_cache(maxsize=4096)
def _combination(rho: float, median_a: float, median_b: float) -> np.ndarray:
    # Cached per (ρ, curves): a simulated ρ costs ~4 ms the first time, nothing after.
    curve = model.independent_drug_action(MONTHS, _monotherapy(median_a), _monotherapy(median_b), rho)
    curve.flags.writeable = False
    return curve


def ida_update(values: Mapping[str, Any]) -> tuple[dict[str, pd.DataFrame], str]:
    """Both monotherapy curves, the IDA combination at ρ, chart data and description."""
    # Round to the slider step: 0.1 + 0.2 must hit the cache entry of 0.3.
    rho = round(float(values[model.RHO.name]), 2)
    median_a = round(float(values[model.MEDIAN_A.name]), 2)
    median_b = round(float(values[model.MEDIAN_B.name]), 2)
    s_a, s_b = _monotherapy(median_a), _monotherapy(median_b)
    combination = _combination(rho, median_a, median_b)
    return (charts.ida_data(MONTHS, s_a, s_b, combination),
            charts.describe_ida(MONTHS, s_a, s_b, combination, rho))


def ida_app(rho: float | None = None, median_a: float | None = None,
            median_b: float | None = None) -> App:
    """Sliders for the response correlation ρ and both drugs' median PFS, wired to the PFS curves."""
    controls = {model.RHO.name: slider(model.RHO, rho),
                model.MEDIAN_A.name: slider(model.MEDIAN_A, median_a),
                model.MEDIAN_B.name: slider(model.MEDIAN_B, median_b)}
    data, text = ida_update({name: c.value for name, c in controls.items()})
    return build_app("Independent drug action: benefit without synergy", controls,
                     LiveChart(charts.ida_chart(), data, text), ida_update,
                     intro="Illustrative progression-free survival curves, not trial data.")



def ida_mistakes(median_a: float, median_b: float,
                 observed: float | None = None) -> tuple[tuple[float, float, str], ...]:
    """Likely wrong answers to "what median PFS does independent drug action predict?" (lesson 02),
    each ``(value in months, tolerance, why)`` for :func:`primer_lib.widgets.selfcheck.numeric`:
    the better drug alone, the sum of the medians, and the trial's ``observed`` median."""
    better = max(median_a, median_b)
    mistakes = [
        (better, 0.2, "that is the better drug alone; under independent action the combination does better, "
                      "because a patient who fails one drug may still respond to the other."),
        (median_a + median_b, 0.2, "adding the medians is not how two independent chances combine: the "
                                    "combination fails only when both drugs have failed."),
    ]
    if observed is not None:
        mistakes.append((observed, 0.3, "that is what CheckMate 067 observed; the question asks what "
                                        "independence predicts from exponential curves."))
    answer = model.ida_median(median_a, median_b)
    return tuple(m for m in mistakes if abs(m[0] - answer) > 0.6)
