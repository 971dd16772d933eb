"""Claims lesson 05 makes about RECIST 1.1 and iRECIST (each test quotes its sentence).

The teaching cases carry seeded measurement noise; claims about them are checked for 50 seeds,
so no sentence depends on one lucky draw.
"""

import pytest

from primer_lib import response
from primer_lib.response import (
    Assessment,
    best_overall_response,
    classify_irecist,
    classify_recist,
    growth_rate_ratio,
    is_hyperprogression,
    pretreatment_scan,
)

SEEDS = range(50)
CLAIMS = ("test_pseudoprogression", "test_true_progression", "test_delayed", "test_hyperprogression",
          "test_ten_to_twelve", "test_pseudoprogression_is_uncommon", "test_the_criteria_agree",
          "test_iupd_means", "test_a_confirming")


def test_claim_collection_is_not_empty():
    # Guard: if the claim tests were renamed or removed, this file would pass empty.
    names = [name for name in globals() if name.startswith("test_") and "collection" not in name]
    assert SEEDS and len(names) >= len(CLAIMS)
    assert all(any(n.startswith(prefix) for n in names) for prefix in CLAIMS)


@pytest.mark.parametrize("seed", SEEDS)
def test_pseudoprogression_is_pd_for_recist_but_ends_in_ipr_for_irecist(seed):
    # "In pseudoprogression RECIST 1.1 calls PD at the first scan, when the tumor swells, and would stop a
    #  treatment that is working; iRECIST calls it unconfirmed (iUPD), resets when the tumor shrinks, and
    #  ends in a partial response (iPR)."
    scans = response.pseudoprogression(seed)
    recist, irecist = classify_recist(scans), classify_irecist(scans)
    assert recist[0] == "PD" and set(recist) == {"PD"}
    assert irecist[0] == "iUPD" and irecist[1] == "iSD" and irecist[-1] == "iPR"
    assert best_overall_response(recist) == "PD" and best_overall_response(irecist) == "iPR"
    assert scans[-1].target_sum_mm < 0.5 * scans[0].target_sum_mm  # the treatment was working


@pytest.mark.parametrize("seed", SEEDS)
def test_true_progression_is_confirmed_one_scan_after_the_iupd(seed):
    # "In true progression iRECIST confirms the progression (iCPD) at the next scan, six weeks after the
    #  iUPD: waiting for confirmation costs one scan."
    scans = response.true_progression(seed)
    recist, irecist = classify_recist(scans), classify_irecist(scans)
    first = irecist.index("iUPD")
    assert irecist[first + 1] == "iCPD"
    assert scans[first + 2].week - scans[first + 1].week == 6
    assert recist.index("PD") == first  # the same scan RECIST 1.1 calls PD


@pytest.mark.parametrize("seed", SEEDS)
def test_delayed_response_is_sd_then_pr_under_both(seed):
    # "A delayed response is stable disease first, then a partial response, under both criteria: the slow
    #  early growth stays below +20%."
    scans = response.delayed_response(seed)
    recist, irecist = classify_recist(scans), classify_irecist(scans)
    assert recist == ["SD", "SD", "SD", "PR", "PR", "PR"]
    assert irecist == ["i" + c for c in recist]


@pytest.mark.parametrize("seed", SEEDS)
def test_hyperprogression_is_pd_at_the_first_scan_with_a_growth_rate_ratio_over_2(seed):
    # "Hyperprogression is PD at the first scan, and the tumor grows more than twice as fast as before
    #  treatment (Champiat 2017's definition); iRECIST confirms it at the next scan."
    scans = response.hyperprogression(seed)
    before = pretreatment_scan(scans[0])
    assert classify_recist(scans)[0] == "PD" and classify_irecist(scans) == ["iUPD", "iCPD"]
    assert growth_rate_ratio(before, scans[0], scans[1]) >= 2
    assert is_hyperprogression(before, scans)
    # True progression grows at its old rate: a ratio near 1, not hyperprogression.
    slow = response.true_progression(seed)
    assert 0.3 < growth_rate_ratio(pretreatment_scan(slow[0]), slow[0], slow[1]) < 2
    assert not is_hyperprogression(pretreatment_scan(slow[0]), slow)


def test_ten_to_twelve_mm_is_not_progression():
    # "From 10 to 12 mm is +20%, but only 2 mm: RECIST 1.1 also needs an absolute rise of at least 5 mm."
    scans = [Assessment(0, 10), Assessment(6, 12)]
    assert classify_recist(scans) == ["SD"] and classify_irecist(scans) == ["iSD"]
    assert classify_recist([Assessment(0, 10), Assessment(6, 15)]) == ["PD"]


def test_pseudoprogression_is_uncommon():
    # "Pseudoprogression is uncommon: about 6% of patients on checkpoint inhibitors (pooled, Park 2020),
    #  so most progression under immunotherapy is real."
    assert response.PSEUDOPROGRESSION_INCIDENCE.default == 6.0
    assert "Park" in response.PSEUDOPROGRESSION_INCIDENCE.source
    assert "6%" in response.CASE_NOTES["pseudoprogression"]


def test_the_criteria_agree_until_the_first_progression():
    # "RECIST 1.1 and iRECIST give the same answer until the first progression: they differ only in what
    #  happens after it."
    for name, generate in response.TEACHING_CASES.items():
        for seed in range(10):
            scans = generate(seed)
            recist, irecist = classify_recist(scans), classify_irecist(scans)
            for r, i in zip(recist, irecist, strict=True):
                if r == "PD":
                    assert i == "iUPD", name  # the first progression: PD is iUPD
                    break
                assert i == "i" + r, name


def test_iupd_means_keep_looking_not_keep_treating_regardless():
    # "An iUPD is not a response: if the next scan shows further growth of 5 mm or more, progression is
    #  confirmed."
    scans = [Assessment(0, 50), Assessment(6, 62), Assessment(12, 67)]
    assert classify_irecist(scans) == ["iUPD", "iCPD"]
    assert classify_recist(scans) == ["PD", "PD"]


def test_a_confirming_scan_must_wait_four_weeks():
    # "A scan less than four weeks after the iUPD cannot confirm it; the confirming scan comes 4 to 8 weeks
    #  later."
    early = [Assessment(0, 50), Assessment(6, 62), Assessment(8, 80)]
    assert classify_irecist(early) == ["iUPD", "iUPD"]
    on_time = [Assessment(0, 50), Assessment(6, 62), Assessment(10, 80)]
    assert classify_irecist(on_time) == ["iUPD", "iCPD"]
    assert (response.CONFIRM_WINDOW_MIN.default, response.CONFIRM_WINDOW_MAX.default) == (4.0, 8.0)
