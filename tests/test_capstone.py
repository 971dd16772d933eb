"""The capstone trial (lesson 06B): pipeline, selection, vectorised solver, Kaplan–Meier, imaging, app."""

import dataclasses
import functools
import math
import statistics
import time

import numpy as np
import pandas as pd
import pytest

from primer_lib import capstone as cap
from primer_lib import cycle, resistance, response, schedules
from primer_lib.charts import capstone as charts
from primer_lib.registry import parameter, registry
from tests.app_checks import move


@functools.cache
def default_run() -> cap.TrialResult:
    return cap.run_trial()


# --- Pipeline -------------------------------------------------------------------------------------

def test_run_is_deterministic_for_a_seed_and_differs_between_seeds():
    first, again = default_run(), cap.run_trial()
    pd.testing.assert_frame_equal(first.patients, again.patients)
    pd.testing.assert_frame_equal(first.scans, again.scans)
    pd.testing.assert_frame_equal(first.summary, again.summary)
    other = cap.run_trial(seed=1, n_patients=40)
    assert not other.patients["cohort_id"].head(40).equals(first.patients["cohort_id"].head(40))


def test_default_run_has_two_arms_of_120_and_every_column():
    result = default_run()
    assert len(result.patients) == 240 and result.arms == cap.DEFAULT_ARMS
    assert result.patients["arm"].value_counts().to_dict() == {arm: 120 for arm in cap.DEFAULT_ARMS}
    for column in ("id", "arm", "pdl1_tps", "tmb", "ifng_score", "phenotype", "recognition", "priming",
                   "pdl1_constitutive", "clone_fraction", "recist_scans", "irecist_scans", "bor_recist",
                   "bor_irecist", "pfs_days", "progressed", "stopped_by_recist_while_responding"):
        assert column in result.patients, column
    assert list(result.summary.columns) == list(cap.SUMMARY_COLUMNS)
    scans = cap.scan_days(364, 6)
    assert scans.tolist() == [0, 42, 84, 126, 168, 210, 252, 294, 336]
    assert len(result.scans) == 240 * len(scans)


def test_default_run_is_fast():
    cap.run_trial(n_patients=40)  # warm the cohort cache, as the app does on its first preview
    start = time.perf_counter()
    cap.run_trial()
    seconds = time.perf_counter() - start
    print(f"default run (240 patients, two arms): {seconds:.2f} s")
    assert seconds < 6.0  # about 0.5 s on the development machine; CI machines vary


def test_summary_agrees_with_the_patient_rows():
    result = default_run()
    for arm, row in result.summary.set_index("arm").iterrows():
        group = result.patients[result.patients["arm"] == arm]
        assert row["n"] == len(group) == 120
        assert row["response_rate_irecist"] == pytest.approx(group["bor_irecist"].isin(["iCR", "iPR"]).mean())
        assert row["response_rate_recist"] == pytest.approx(group["bor_recist"].isin(["CR", "PR"]).mean())
        assert row["stopped_by_recist"] == group["stopped_by_recist_while_responding"].sum()
        assert row["irae_risk"] == pytest.approx(schedules.irae_risk(cap.ARMS[arm].doses, 364))
        assert row["lesson04_rate"] == pytest.approx(group["lesson04_probability"].mean())
        t, s = result.km[arm]["iRECIST"]
        assert row["median_pfs_days"] == cap.median_survival(t, s)
    # iRECIST keeps reading after RECIST 1.1 stops: it never finds fewer responses.
    rates = result.summary
    assert (rates["response_rate_irecist"] >= rates["response_rate_recist"]).all()


def test_scan_rows_match_the_classifications():
    result = default_run()
    patient = result.patients.iloc[0]
    scans = result.scans[result.scans["id"] == patient["id"]]
    assert scans["recist"].iloc[0] == "baseline"
    assert " ".join(scans["recist"].iloc[1:]) == patient["recist_scans"]
    assert " ".join(scans["irecist"].iloc[1:]) == patient["irecist_scans"]
    seq = cap.assessments(scans["week"], scans["target_sum_mm"], scans["new_lesions"])
    assert response.classify_irecist(seq) == patient["irecist_scans"].split()


def test_stopped_by_recist_means_pd_then_a_later_irecist_response():
    patients = default_run().patients
    for _, row in patients.iterrows():
        recist, irecist = row["recist_scans"].split(), row["irecist_scans"].split()
        expected = "PD" in recist and any(c in ("iPR", "iCR") for c in irecist[recist.index("PD") + 1:])
        assert row["stopped_by_recist_while_responding"] == expected


def test_pfs_dates_follow_recist_and_irecist():
    patients = default_run().patients
    days = cap.scan_days()
    for _, row in patients.head(60).iterrows():
        recist, irecist = row["recist_scans"].split(), row["irecist_scans"].split()
        if "PD" in recist:
            assert row["progressed_recist"] and row["pfs_recist_days"] == days[recist.index("PD") + 1]
        else:
            assert not row["progressed_recist"] and row["pfs_recist_days"] == days[-1]
        index = cap.irecist_progression_index(irecist)
        assert row["progressed"] == (index is not None)
        assert row["pfs_days"] == (days[index + 1] if index is not None else days[-1])
        assert row["pfs_days"] >= row["pfs_recist_days"]  # iRECIST never dates progression earlier


def test_irecist_progression_is_dated_at_the_confirmed_iupd():
    assert cap.irecist_progression_index(["iUPD", "iCPD", "iCPD"]) == 0
    assert cap.irecist_progression_index(["iUPD", "iUPD", "iCPD"]) == 0
    assert cap.irecist_progression_index(["iUPD", "iSD", "iPR", "iUPD", "iCPD"]) == 3
    assert cap.irecist_progression_index(["iSD", "iUPD", "iSD"]) is None


def test_bad_designs_are_refused_with_clear_messages():
    with pytest.raises(ValueError, match="selection must be one of"):
        cap.run_trial("pdl1>=90")
    with pytest.raises(ValueError, match="two different arms"):
        cap.run_trial(arms=("anti-PD-1", "anti-PD-1"))
    with pytest.raises(TypeError, match="pair of arm ids"):
        cap.run_trial(arms="anti-PD-1")
    with pytest.raises(ValueError, match="n_patients must be an integer in"):
        cap.run_trial(n_patients=10)
    with pytest.raises(ValueError, match="scan_interval_weeks"):
        cap.run_trial(scan_interval_weeks=1)


# --- Selection ------------------------------------------------------------------------------------

@pytest.mark.parametrize("selection", list(cap.SELECTIONS))
def test_selection_rules_enrol_only_patients_that_meet_them(selection):
    rule = cap.SELECTIONS[selection]
    patients = cap.enrol(selection, n_patients=200)
    assert len(patients) == 200 and patients["id"].tolist() == list(range(1, 201))
    assert patients["arm"].value_counts().tolist() == [100, 100]
    if rule.marker is not None:
        values = patients[rule.marker].astype(float)
        assert (values >= (rule.cutoff if rule.cutoff is not None else 1.0)).all()
    population = cap.screened_population()
    assert set(patients["cohort_id"]) <= set(population["cohort_id"])


def test_selection_rules_say_what_they_select():
    assert cap.SELECTIONS["pdl1>=50"].label == "PD-L1 TPS ≥ 50%"
    assert cap.SELECTIONS["tmb>=10"].label == "TMB ≥ 10.0 mut/Mb"
    everyone = cap.enrol("all", n_patients=480)
    assert (everyone["pdl1_tps"] < 50).any() and (everyone["tmb"] < 10).any()
    assert (cap.enrol("msi-high", n_patients=100)["msi_high"]).all()


def test_the_cohort_is_cold():
    population = cap.screened_population()
    shares = population["phenotype"].value_counts(normalize=True)
    assert shares["inflamed"] < 0.15 and shares["desert"] + shares["excluded"] > 0.85
    # Lesson 04's cohort itself: about 30% inflamed.
    assert cap.lesson04_rate("all") == pytest.approx(0.185, abs=0.01)


def test_enrolment_is_nested_and_randomisation_balanced():
    small, large = cap.enrol("tmb>=10", n_patients=100), cap.enrol("tmb>=10", n_patients=300)
    assert small["cohort_id"].tolist() == large["cohort_id"].head(100).tolist()
    odd = cap.enrol(n_patients=240, arms=("chemotherapy", "anti-PD-1"))
    assert set(odd["arm"]) == {"chemotherapy", "anti-PD-1"}


def test_too_few_eligible_patients_is_an_error_naming_the_selection(monkeypatch):
    # A cohort of 2,000 screened (the smallest allowed) holds far fewer than 200 MSI-high patients.
    monkeypatch.setattr(cap, "COHORT_SIZE", dataclasses.replace(cap.COHORT_SIZE, default=2000.0))
    with pytest.raises(ValueError, match=r"n_patients must be at most \d+ for selection 'msi-high'"):
        cap.enrol("msi-high", n_patients=200, seed=987654)


# --- Biomarkers -> rates --------------------------------------------------------------------------

def test_biomarker_mapping_follows_the_documented_formulas():
    patients = cap.enrol("all", n_patients=200)
    rates = cap.patient_rates(patients).set_index("id")
    k = parameter("capstone.recognition_tmb").default
    assert np.allclose(rates["recognition"], -np.expm1(-patients.set_index("id")["tmb"] / k))
    assert np.allclose(rates["pdl1_constitutive"], patients.set_index("id")["pdl1_tps"] / 100.0)
    desert = patients["phenotype"].to_numpy() == "desert"
    preset = cycle.PHENOTYPES
    assert np.allclose(rates["presentation"].to_numpy()[desert], preset["desert"]["presentation"])
    excluded = patients["phenotype"].to_numpy() == "excluded"
    assert np.allclose(rates["infiltration"].to_numpy()[excluded], preset["excluded"]["infiltration"])
    # Within a phenotype, a higher IFN-γ score primes more T cells.
    inflamed = patients[patients["phenotype"] == "inflamed"].set_index("id")
    order = inflamed["ifng_score"].sort_values().index
    assert np.all(np.diff(rates.loc[order, "priming"].to_numpy()) >= 0)
    clones = rates["clone_fraction"]
    assert set(np.unique(clones)) <= {0.0, parameter("capstone.clone_fraction").default}
    assert 0.05 < (clones > 0).mean() < 0.3


def test_rates_are_valid_cycle_rates():
    patients = cap.enrol("ifng", n_patients=300)
    keys = ("growth_rate", "presentation", "priming", "infiltration", "recognition", "pdl1_constitutive")
    for _, row in cap.patient_rates(patients).iterrows():
        cycle.CycleRates(**{k: float(row[k]) for k in keys})


# --- The vectorised solver ------------------------------------------------------------------------

ARMS_TO_CHECK = [(), ("anti-PD-1",), schedules.TRIAL_ARMS["TONIC"]["chemotherapy induction"],
                 (cycle.Dose("anti-PD-1"), cycle.Dose("anti-CTLA-4", 1.0, 0.0, 84.0))]


@pytest.mark.parametrize("phenotype", list(cycle.PHENOTYPES))
@pytest.mark.parametrize("doses", ARMS_TO_CHECK, ids=["untreated", "anti-PD-1", "induction", "PD-1+CTLA-4"])
def test_vectorised_solver_matches_simulate_cycle_for_one_patient(phenotype, doses):
    frame = cycle.simulate_cycle(phenotype, doses, days=364)
    courses = cap.simulate_patients([cycle.phenotype_rates(phenotype)], doses, 364)
    for column, ours in (("tumor", courses.tumor[0]), ("effector", courses.effector[0])):
        theirs = frame[column].to_numpy()
        error = np.abs(ours - theirs) / np.maximum(theirs, 1e3)
        assert error.max() < 1e-3, (column, error.max())
    assert np.array_equal(frame["tumor"].to_numpy() == 0, courses.tumor[0] == 0)  # same extinction day


def test_vectorised_right_hand_side_is_cycle_rhs_line_for_line():
    rng = np.random.default_rng(5)
    rates = [cycle.phenotype_rates(p, growth_rate=g) for p, g in
             (("inflamed", 0.2), ("desert", 0.1), ("excluded", 0.3))]
    table = cycle.RateTable(rates)
    doses = cycle.as_doses(schedules.TRIAL_ARMS["NCT00527735"]["concurrent ipilimumab"])
    drive = cycle.therapy_drive(table, doses, 10.0)
    states = np.abs(rng.normal(size=(3, 8))) * np.array([1e8, 1e6, 0.5, 1e5, 1e5, 1e6, 0.5, 1e5])
    flat = np.concatenate([states.T, np.zeros((1, 3))]).ravel()
    ours = cycle.rhs(10.0, flat, table, drive, resistance.CloneTerms(0.04)).reshape(9, 3)
    for i, r in enumerate(rates):
        theirs = cycle.rhs(10.0, states[i], r, cycle.therapy_drive(r, doses, 10.0))
        assert np.allclose(ours[:8, i], theirs, rtol=1e-12, atol=0)


def test_vectorised_solver_matches_lesson_03_for_a_b2m_loss_clone():
    frame = resistance.simulate_resistance("acquired", 364, resistant_fraction=1e-3)
    doses = resistance.mechanism_setup("acquired").doses  # anti-PD-1 given continuously, as lesson 03 does
    courses = cap.simulate_patients([resistance.REFERENCE_RATES], doses, 364, clone_fractions=[1e-3])
    theirs = frame["tumor"].to_numpy() * resistance.REFERENCE_RATES.initial_tumor
    assert (np.abs(courses.tumor[0] - theirs) / np.maximum(theirs, 1e3)).max() < 1e-3


def test_patients_solved_together_match_each_solved_alone():
    rates = [cycle.phenotype_rates(p, growth_rate=g) for p, g in
             (("inflamed", 0.15), ("excluded", 0.2), ("desert", 0.18), ("inflamed", 0.25))]
    doses = schedules.TRIAL_ARMS["TONIC"]["chemotherapy induction"]
    together = cap.simulate_patients(rates, doses, 364, clone_fractions=[0, 1e-4, 0, 1e-4])
    for i, r in enumerate(rates):
        alone = cap.simulate_patients([r], doses, 364, clone_fractions=[[0, 1e-4, 0, 1e-4][i]])
        error = np.abs(together.tumor[i] - alone.tumor[0]) / np.maximum(alone.tumor[0], 1e3)
        assert error.max() < 1e-3


def test_simulate_patients_checks_its_inputs():
    with pytest.raises(TypeError, match="CycleRates"):
        cap.simulate_patients([], ())
    with pytest.raises(ValueError, match="clone_fractions"):
        cap.simulate_patients([cycle.CycleRates()], (), 10, clone_fractions=[0.1, 0.2])


# --- Kaplan–Meier ---------------------------------------------------------------------------------

def test_kaplan_meier_equals_the_hand_computed_estimate():
    # 8 patients; events at 1, 2, 3, 5, 5; censored at 2, 4, 6 (censoring at 2 counts as at risk at 2).
    times = [1, 2, 2, 3, 4, 5, 5, 6]
    events = [True, True, False, True, False, True, True, False]
    t, s = cap.kaplan_meier(times, events)
    # By hand: 7/8 = 0.875; × 6/7 = 0.75; × 4/5 = 0.6; × 1/3 = 0.2; flat to the last censoring at 6.
    assert t.tolist() == [0, 1, 2, 3, 5, 6]
    assert s.tolist() == pytest.approx([1.0, 0.875, 0.75, 0.6, 0.2, 0.2])
    assert cap.median_survival(t, s) == 5
    assert cap.restricted_mean(t, s) == pytest.approx(1 + 0.875 + 0.75 + 2 * 0.6 + 0.2)


def test_kaplan_meier_edge_cases():
    t, s = cap.kaplan_meier([3, 4, 5], [False, False, False])
    assert t.tolist() == [0, 5] and s.tolist() == [1.0, 1.0]
    assert math.isnan(cap.median_survival(t, s))
    t, s = cap.kaplan_meier([2, 2], [True, True])
    assert t.tolist() == [0, 2] and s.tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match="same non-empty length"):
        cap.kaplan_meier([1, 2], [True])
    with pytest.raises(ValueError, match=r"times must be in \[0, 1e\+06\] days"):
        cap.kaplan_meier([-1], [True])


# --- Imaging --------------------------------------------------------------------------------------

def test_target_sums_follow_the_cube_root_of_apparent_volume():
    w = parameter("capstone.infiltrate_volume").default
    tumor = np.array([[1e8, 8e8, 1e8, 1.0, 0.0]])
    effector = np.array([[0.0, 0.0, 1e8 / w, 0.0, 0.0]])
    sums = cap.target_sums(tumor, effector)[0]
    assert sums[:3] == pytest.approx([60.0, 120.0, 60.0 * 2 ** (1 / 3)])
    assert sums[3] == 5.0 and sums[4] == 0.0  # too small to measure; eliminated (disappeared)


def test_new_lesions_appear_while_the_tumor_is_above_twice_baseline():
    tumor = np.array([[1.0, 2.5, 3.0, 1.5, 2.1]])
    assert cap.new_lesions(tumor)[0].tolist() == [0, 1, 2, 0, 1]


# --- Records --------------------------------------------------------------------------------------

def test_parameters_are_registered_and_documented():
    names = [p.name for p in cap.PARAMETERS]
    assert all(name.startswith("capstone.") and name in registry() for name in names)
    assert parameter("capstone.n_patients").default >= 200
    for p in cap.PARAMETERS:
        assert p.source and (p.calibrated or p.source.startswith("Illustrative"))
    assert "lesson 04" in " ".join(cap.MODEL_CARD.limits)


# --- Chart ----------------------------------------------------------------------------------------

def test_chart_data_fill_the_placeholders_and_stay_small():
    patients, doses = cap.design_preview()
    data = charts.capstone_data(patients, doses, cap.DEFAULT_ARMS, default_run())
    spec = charts.capstone_chart().to_json()
    for name, frame in data.items():
        assert f'"name": "{name}"' in spec
        assert len(frame) <= 5000
    assert set(data[charts.PFS]["criterion"]) == {"iRECIST", "RECIST 1.1"}
    empty = charts.capstone_data(patients, doses, cap.DEFAULT_ARMS, None)
    assert empty[charts.PFS].empty and "press Run trial" in empty[charts.SUMMARY]["text"][0]


def test_description_gives_the_design_and_the_numbers():
    patients, doses = cap.design_preview()
    result = default_run()
    text = charts.describe_capstone(patients, doses, cap.DEFAULT_ARMS, "all", result)
    row = result.summary.iloc[0]
    assert "All comers" in text and "A: anti-PD-1" in text and "B: induction + anti-PD-1" in text
    assert f"{row['response_rate_irecist']:.0%} by iRECIST" in text
    assert "Lesson 04" in text and "stopped by RECIST 1.1" in text


# --- App ------------------------------------------------------------------------------------------

def test_app_controls_change_the_preview_quickly():
    from primer_lib.widgets.capstone import capstone_app
    app = capstone_app()
    assert app.run_button not in app.controls.values()
    assert app.run_button in app.widget.children
    for name, control in app.controls.items():
        times = []
        for _ in range(6):
            before = {k: app.chart.datasets[k] for k in (charts.SCHEDULE, charts.ENROLLED)}
            move(control)
            assert app.status.value == "", name
            after = {k: app.chart.datasets[k] for k in (charts.SCHEDULE, charts.ENROLLED)}
            assert after != before, name
            times.append(app.last_update_ms)
        print(name, f"median {statistics.median(times):.1f} ms")
        assert statistics.median(times) <= 20.0, (name, times)


def test_clicking_run_changes_the_results_and_later_choices_mark_them_stale():
    from primer_lib.widgets.capstone import ARM_B, SELECTION, capstone_app
    app = capstone_app()
    assert app.chart.datasets[charts.PFS]["day"] == []
    before = app.chart.datasets
    app.run_button.click()
    assert app.status.value == "" and not app.run_button.disabled
    assert app.chart.datasets != before
    assert len(app.chart.datasets[charts.PFS]["day"]) > 0
    assert "by iRECIST" in app.chart.description
    print(f"Run trial in the app: {app.last_run_ms:.0f} ms")
    app.controls[SELECTION].value = "composite"
    assert "earlier design" in app.chart.datasets[charts.SUMMARY]["text"][0]
    results = app.chart.datasets[charts.RATES]
    app.run_button.click()
    assert app.chart.datasets[charts.RATES] != results
    assert "earlier design" not in " ".join(app.chart.datasets[charts.SUMMARY]["text"])
    app.controls[ARM_B].value = app.controls["capstone.arm_a"].value  # a clash swaps the arms
    assert app.controls[ARM_B].value != app.controls["capstone.arm_a"].value and app.status.value == ""


@pytest.mark.parametrize(("weeks", "sums", "lesions", "name"), [
    ([0, 6], [60, 50], [0, math.inf], "lesions"), ([0, 6], [60, math.nan], [0, 0], "sums"),
    ([0, None], [60, 50], [0, 0], "weeks"), ([0, 6], [60, 50], [0, 1.5], "lesions"),
    ([0, 6], [60], [0, 0], "sums")])
def test_assessments_refuse_hostile_scans_naming_them(weeks, sums, lesions, name):
    # Issue 23: [0, inf] new lesions raised OverflowError.
    with pytest.raises((TypeError, ValueError), match=name):
        cap.assessments(weeks, sums, lesions)
