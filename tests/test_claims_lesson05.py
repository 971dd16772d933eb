"""Claims lesson 05's text makes about the tracker, the cases and the exercise (each quotes its sentence)."""

from primer_lib import response
from primer_lib.response import Assessment as A
from primer_lib.widgets.response import lesion_tracker_app, new_lesions_key, target_key


def _irecist_at_week_12(app):
    return response.classify_irecist(_assessments(app))[1]


def _assessments(app):
    from primer_lib.widgets.response import tracker_assessments
    return tracker_assessments(app.values())


def test_tracker_starts_with_recist_pd_and_an_irecist_response():
    # "The tracker starts with a series that RECIST 1.1 calls PD from week 6 on, while iRECIST sees iUPD and
    #  then a response."
    series = _assessments(lesion_tracker_app())
    assert set(response.classify_recist(series)) == {"PD"}
    irecist = response.classify_irecist(series)
    assert irecist[0] == "iUPD" and response.best_overall_response(irecist) in {"iPR", "iCR"}


def test_a_5_mm_rise_or_a_new_lesion_at_week_12_confirms():
    # "A rise of at least 5 mm over the iUPD scan confirms progression: week 12 becomes iCPD ... A new lesion
    #  at the confirmation scan also confirms (iCPD) ... RECIST 1.1 does not change."
    app = lesion_tracker_app()
    week6 = app.controls[target_key(1)].value
    app.controls[target_key(2)].value = week6 + 5
    assert _irecist_at_week_12(app) == "iCPD"
    app = lesion_tracker_app()
    app.controls[new_lesions_key(2)].value = 1
    assert _irecist_at_week_12(app) == "iCPD"
    assert set(response.classify_recist(_assessments(app))) == {"PD"}


def test_exercise_solution():
    # "50 → 62 mm is +24% and +12 mm (iUPD); 64 mm ... (iUPD again ...); 70 mm ... (iCPD). RECIST 1.1 says
    #  PD at every follow-up. ... 52 mm ... week 12 becomes iSD"
    series = [A(0, 50.0), A(6, 62.0), A(12, 64.0), A(18, 70.0)]
    assert response.classify_irecist(series) == ["iUPD", "iUPD", "iCPD"]
    assert response.classify_recist(series) == ["PD", "PD", "PD"]
    reset = [A(0, 50.0), A(6, 62.0), A(12, 52.0)]
    assert response.classify_irecist(reset) == ["iUPD", "iSD"]


def test_case_reveal():
    # "true progression is iUPD at week 12 and confirmed (iCPD) at week 18; the delayed response stays SD ...
    #  and becomes PR at week 24 under both criteria; hyperprogression is PD at the first scan, confirmed six
    #  weeks later"
    true = response.true_progression(seed=0)
    assert response.classify_irecist(true)[1:3] == ["iUPD", "iCPD"]
    delayed = response.delayed_response(seed=0)
    weeks = [a.week for a in delayed[1:]]
    assert response.classify_recist(delayed)[weeks.index(24.0)] == "PR"
    assert response.classify_irecist(delayed)[weeks.index(24.0)] == "iPR"
    assert set(response.classify_recist(delayed)[:weeks.index(24.0)]) == {"SD"}
    hyper = response.hyperprogression(seed=0)
    assert response.classify_recist(hyper)[0] == "PD"
    assert response.classify_irecist(hyper)[:2] == ["iUPD", "iCPD"]
    pseudo = response.pseudoprogression(seed=0)
    assert response.classify_irecist(pseudo)[:3] == ["iUPD", "iSD", "iPR"]
