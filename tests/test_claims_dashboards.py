"""Each dashboard preset's name and question say something true of the model it shows."""

from __future__ import annotations

import pytest

from primer_lib import biomarkers as biomarker_model
from primer_lib import cycle as cycle_model
from primer_lib import resistance as resistance_model
from primer_lib import response as response_model
from primer_lib import schedules as schedules_model
from primer_lib.widgets import biomarkers, cycle, resistance, response, schedules
from primer_lib.widgets.dashboards import (
    DASHBOARDS,
    biomarker_dashboard,
    combinations_dashboard,
    cycle_dashboard,
    lesion_tracker_dashboard,
    resistance_dashboard,
)


def test_every_dashboard_has_claims_checked_here():
    checked = {cycle_dashboard, combinations_dashboard, resistance_dashboard, biomarker_dashboard,
               lesion_tracker_dashboard}
    assert set(DASHBOARDS.values()) == checked


# --- The cancer-immunity cycle --------------------------------------------------------------------------

def _tumor_at_one_year(values):
    therapies = tuple(t for t in cycle.EXPLORER_THERAPIES if values[f"therapy.{t}"])
    steps = {f"step{i}": values[f"cycle.step{i}"] for i in range(1, 8)}
    frame = cycle_model.simulate_cycle(values[cycle.PHENOTYPE], therapies, **steps)
    return float(frame["tumor"].iloc[-1])


@pytest.fixture(scope="module")
def cycle_presets():
    return {label: p.values for label, p in cycle_dashboard().presets.items()}


def test_hot_tumor_responds_to_anti_pd1(cycle_presets):
    """'Hot + anti-PD-1': how much smaller is the tumor at one year? (more than ten-fold)"""
    assert _tumor_at_one_year(cycle_presets["Hot + anti-PD-1"]) < _tumor_at_one_year(
        cycle_presets["Inflamed (hot) tumor"]) / 10


def test_anti_pd1_barely_helps_a_cold_tumor(cycle_presets):
    """'Cold + anti-PD-1': releasing the brake on almost no T cells helps little (under two-fold)."""
    assert _tumor_at_one_year(cycle_presets["Cold + anti-PD-1"]) > _tumor_at_one_year(
        cycle_presets["Cold (desert) tumor"]) / 2


def test_chemotherapy_makes_anti_pd1_work_on_the_cold_tumor(cycle_presets):
    """'Cold + chemo + anti-PD-1': why does anti-PD-1 now work? (ten-fold smaller than anti-PD-1 alone)"""
    assert _tumor_at_one_year(cycle_presets["Cold + chemo + anti-PD-1"]) < _tumor_at_one_year(
        cycle_presets["Cold + anti-PD-1"]) / 10


@pytest.mark.parametrize(("label", "step"), [("Inflamed (hot) tumor", 7), ("Excluded tumor", 5),
                                            ("Cold (desert) tumor", 2)])
def test_each_phenotype_stalls_where_its_question_points(cycle_presets, label, step):
    """Hot: T cells arrive but killing is slow; excluded: held at the margin; cold: the cycle stalls early."""
    assert cycle_model.bottleneck(cycle_presets[label][cycle.PHENOTYPE]) == step


# --- Combinations --------------------------------------------------------------------------------------

def _pair(values):
    return schedules_model.combine_on_cycle(values[schedules.THERAPY_A], values[schedules.DOSE_A],
                                            values[schedules.THERAPY_B], values[schedules.DOSE_B],
                                            values[schedules.PHENOTYPE])


def test_two_checkpoints_are_synergistic_on_the_excluded_tumor():
    presets = combinations_dashboard().presets
    assert _pair(presets["Two checkpoints"].values).bliss_excess > schedules_model.ADDITIVE_BAND


def test_hot_tumor_leaves_little_room_for_synergy_and_more_risk():
    """'Hot tumor, two checkpoints': is there still room for synergy, and what happens to risk?"""
    outcome = _pair(combinations_dashboard().presets["Hot tumor, two checkpoints"].values)
    assert max(outcome.effects["A"], outcome.effects["B"]) > 0.95
    assert outcome.irae["A + B"] > max(outcome.irae["A"], outcome.irae["B"])


# --- Resistance ----------------------------------------------------------------------------------------

def _course(values, mechanism):
    kwargs = resistance.mechanism_settings(values)[mechanism]
    burden = resistance_model.simulate_resistance(mechanism, resistance.DAYS, **kwargs)["tumor"]
    return resistance_model.classify_course(burden.to_numpy())


@pytest.fixture(scope="module")
def resistance_presets():
    return {label: p.values for label, p in resistance_dashboard().presets.items()}


@pytest.mark.parametrize("label", ["Primary: T-cell desert", "Primary: no antigen"])
def test_primary_presets_never_respond(resistance_presets, label):
    """'This tumor never responds.'"""
    assert _course(resistance_presets[label], "primary") == "primary resistance"


def test_acquired_preset_responds_then_grows_back(resistance_presets):
    """'It responded, then grew back.'"""
    assert _course(resistance_presets["Acquired: resistant clone"], "acquired") == "acquired resistance"


def test_each_countermeasure_restores_a_response(resistance_presets):
    """'Each mechanism meets its own countermeasure: does every line respond within the year?' (every line
    responds; the clone's line then relapses, later than without chemotherapy)"""
    values = resistance_presets["Each with its countermeasure"]
    without = {**values, resistance.COUNTER: False}
    for mechanism in ("primary", "acquired", "adaptive"):
        assert _course(without, mechanism) != "response"
    assert _course(values, "primary") == _course(values, "adaptive") == "response"
    assert _course(values, "acquired") == "acquired resistance"
    assert _relapse(values) > _relapse(without)


def _relapse(values):
    kwargs = resistance.mechanism_settings(values)["acquired"]
    frame = resistance_model.simulate_resistance("acquired", resistance.DAYS, **kwargs)
    return resistance_model.relapse_day(frame)


# --- Biomarkers ----------------------------------------------------------------------------------------

def test_lowering_the_pdl1_bar_treats_more_patients_with_fewer_responding():
    """'Lower the bar: more patients treated. What happens to the share who respond?' (it falls)"""
    cohort = biomarker_model.virtual_cohort(biomarkers.COHORT_SIZE, biomarkers.COHORT_SEED)
    presets = biomarker_dashboard().presets
    high, low = (biomarker_model.selection_metrics(cohort, "pdl1_tps",
                                                   presets[label].values[biomarkers.CUTOFF])
                 for label in ("PD-L1 TPS ≥ 50%", "PD-L1 TPS ≥ 1%"))
    assert low["eligible_fraction"] > high["eligible_fraction"]
    assert low["ppv"] < high["ppv"]


def test_composite_beats_either_marker_alone():
    """'Two independent signals combined: compare the AUC with either marker alone.'"""
    summaries = biomarkers.default_summaries()
    assert summaries["composite"].auc > max(summaries["tmb"].auc, summaries["ifng_score"].auc)


# --- iRECIST -------------------------------------------------------------------------------------------

def _readings(label):
    values = lesion_tracker_dashboard().presets[label].values
    scans = response.tracker_assessments(values)
    return response_model.classify_recist(scans), response_model.classify_irecist(scans)


def test_pseudoprogression_preset():
    """'RECIST 1.1 calls progression at week 6 ... What does iRECIST wait for?' (no iCPD; a response)"""
    recist, irecist = _readings("Pseudoprogression")
    assert recist[0] == "PD" and irecist[0] == "iUPD"
    assert "iCPD" not in irecist and response_model.best_overall_response(irecist) == "iPR"


def test_delayed_response_preset():
    recist, irecist = _readings("Delayed response")
    assert recist[0] == "SD" and "PR" in recist
    assert irecist[0] == "iSD" and "iPR" in irecist


def test_true_progression_preset_is_confirmed():
    """'At which scan does iRECIST confirm progression (iCPD)?' (it does)"""
    _, irecist = _readings("True progression")
    assert "iUPD" in irecist and "iCPD" in irecist
    assert irecist.index("iUPD") < irecist.index("iCPD")


def test_new_lesions_preset_is_progression_despite_shrinking_targets():
    recist, irecist = _readings("New lesions")
    assert recist[0] == "PR" and "PD" in recist
    assert "iCPD" in irecist


def test_response_preset_reaches_pr():
    """'Which scan first counts as a partial response (−30%)?'"""
    recist, irecist = _readings("Response")
    assert "PR" in recist and "PD" not in recist and "iUPD" not in irecist
