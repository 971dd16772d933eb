"""Biomarkers and patient selection: a virtual anti-PD-1 cohort, cutoffs and ROC curves (lesson 04).

Model card
----------
Shows
    Why no single biomarker picks the patients who will respond to anti-PD-1:
    a synthetic cohort of 10,000 treated patients with PD-L1 (TPS), tumor
    mutational burden (TMB), MSI status, CD8 density, an IFN-γ score and the
    tumor's immune phenotype, and an objective response drawn from a stated
    statistical model. Raising a cutoff raises the response rate among the
    selected (PPV) and shrinks the share of patients eligible; the ROC curve
    shows every cutoff at once; a composite of TMB and the IFN-γ score (after
    Cristescu 2018) discriminates better than any single marker.
Generative model
    Latent T-cell inflammation z (standard normal; +0.8 in MSI-H tumors; weakly
    tied to TMB, loading 0.1: Cristescu 2018 found TMB and the T-cell-inflamed GEP
    weakly correlated). log TMB is normal: median 6 mut/Mb, SD 1 (natural log) in
    MSS tumors, median 35 mut/Mb, SD 0.6 in MSI-H tumors (MSI-H tumors nearly all
    have high TMB: Chalmers 2017). PD-L1 is partly induced by T-cell IFN-γ:
    latent z_L = 0.35·z + √(1 − 0.35²)·ε, mapped to TPS with 33% of tumors at
    TPS < 1% and about 14% at TPS ≥ 50%. IFN-γ score = 0.85·z + 0.53·ε; CD8
    density (cells/mm²) = 150·exp(0.9·z + 0.6·ε); phenotype = z cut at its 35th
    and 70th percentiles (desert, excluded, inflamed). 15% of patients are MSI-H.
    The loadings and shares are illustrative; the resulting PD-L1–TMB Spearman
    correlation is about 0.09 (Yarchoan 2019: Pearson r = 0.084 in 9,887 samples).
Response model
    P(response) = (1 − exp(−TMB/K)) · expit(b0 + b_z·z + b_L·(TPS/100)² + b_M·MSI).
    The first factor is the chance that T cells recognise at least one neoantigen
    when recognised neoantigens are Poisson with mean TMB/K (one per K mut/Mb);
    the second is the chance that the immune attack, once released by anti-PD-1,
    wins. K, b0, b_z, b_L and b_M are the solution of five
    equations (:func:`fit_response_model`, a seeded cohort of 200,000): expected
    response rate 18.5% overall (illustrative, inside the 15–25% of unselected
    patients), 44.8% at TPS ≥ 50% (KEYNOTE-024), 29% at TMB ≥ 10 mut/Mb
    (KEYNOTE-158), 39.6% in MSI-H (FDA pooled analysis, Marcus 2019), and AUC 0.65
    for the IFN-γ score (the GEP row of Lu 2019). The AUCs of PD-L1 (≈ 0.67) and
    TMB (≈ 0.69) are then outcomes, checked against Lu 2019 (0.65 and 0.69).
Limits
    A synthetic composite of different trial populations (first-line NSCLC with
    high PD-L1 in KEYNOTE-024, nine tumor types in KEYNOTE-158, pooled MSI-H
    trials): no real population has all of them at once, and the response rates
    of the subgroups are calibrated, not the joint distribution of the markers.
    MSI-H is enriched (15%; a few percent across all tumors) so that the cohort
    holds enough of them. One assay per marker, measured without error.

References: Reck M et al. (2016) N Engl J Med 375:1823–1833; Marabelle A et al. (2020)
Lancet Oncol 21:1353–1365; Marcus L et al. (2019) Clin Cancer Res 25:3753–3758; Yarchoan M
et al. (2019) JCI Insight 4:e126908; Lu S et al. (2019) JAMA Oncol 5:1195–1204; Cristescu R
et al. (2018) Science 362:eaar3593; Chalmers ZR et al. (2017) Genome Med 9:34.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import least_squares
from scipy.special import expit, ndtr, ndtri

from primer_lib.cycle import PHENOTYPES
from primer_lib.parameters import ModelCard, Parameter
from primer_lib.validation import check_array, check_choice, check_int, check_real, check_record

__all__ = [
    "ILLUSTRATIVE", "MSI_FRACTION", "TMB_MEDIAN", "TMB_LOG_SD", "MSI_TMB_MEDIAN", "MSI_TMB_LOG_SD",
    "TMB_IMMUNE_LOADING", "MSI_IMMUNE_SHIFT", "PDL1_IMMUNE_LOADING", "TPS_NEGATIVE_SHARE",
    "TPS_HIGH_QUANTILE", "IFNG_LOADING", "CD8_MEDIAN", "CD8_LOADING", "CD8_NOISE", "PHENOTYPE_QUANTILES",
    "CALIBRATION_TARGETS", "LU_2019_AUC", "FIT_SEED", "FIT_SIZE", "ResponseModel", "RESPONSE_MODEL", "Marker",
    "PDL1_CUTOFF", "TMB_CUTOFF", "CD8_CUTOFF", "IFNG_CUTOFF", "COMPOSITE_CUTOFF", "COHORT_SIZE", "PARAMETERS",
    "MARKERS", "COHORT_COLUMNS", "MODEL_CARD", "tps_from_latent", "virtual_cohort", "check_cutoff",
    "selection_metrics", "roc_curve", "roc_auc", "MarkerSummary", "summarize_marker", "expected_targets",
    "fit_response_model",
]

ILLUSTRATIVE = "Illustrative: no published cutoff for a pan-tumor cohort"

# --- Generative model of the cohort (illustrative where no source is given) -------------------------
MSI_FRACTION = 0.15  # enriched: MSI-H is a few percent of all tumors
TMB_MEDIAN, TMB_LOG_SD = 6.0, 1.0  # MSS tumors, mut/Mb and natural-log SD
MSI_TMB_MEDIAN, MSI_TMB_LOG_SD = 35.0, 0.6  # MSI-H tumors nearly all have TMB >= 10 (Chalmers 2017)
TMB_IMMUNE_LOADING = 0.1  # TMB and T-cell inflammation weakly correlated (Cristescu 2018)
MSI_IMMUNE_SHIFT = 0.8  # MSI-H tumors are more inflamed
PDL1_IMMUNE_LOADING = 0.35  # PD-L1 partly induced by T-cell IFN-γ (adaptive resistance)
TPS_NEGATIVE_SHARE = 0.33  # latent share mapped to TPS < 1%
TPS_HIGH_QUANTILE = 0.87  # latent quantile mapped to TPS = 50%
IFNG_LOADING = 0.85  # IFN-γ score = 0.85 z + sqrt(1 - 0.85^2) noise
CD8_MEDIAN, CD8_LOADING, CD8_NOISE = 150.0, 0.9, 0.6  # cells/mm², log scale
PHENOTYPE_QUANTILES = (0.35, 0.70)  # desert below the first, inflamed above the second

#: Where the calibration comes from. Rates are objective response rates to anti-PD-1.
CALIBRATION_TARGETS: Mapping[str, tuple[float, str]] = MappingProxyType({
    "overall": (0.185, "Illustrative: unselected patients on anti-PD-1 respond at about 15–25%"),
    "pdl1_tps >= 50": (0.448, "KEYNOTE-024 (Reck 2016): ORR 44.8% at PD-L1 TPS ≥ 50%"),
    "tmb >= 10": (0.29, "KEYNOTE-158 (Marabelle 2020; FDA 2020): ORR 29% at tTMB ≥ 10 mut/Mb"),
    "msi_high": (0.396, "FDA pooled analysis of 5 trials (Marcus 2019): ORR 39.6% in MSI-H/dMMR"),
    "auc ifng_score": (0.65, "Lu 2019 JAMA Oncol meta-analysis: GEP summary ROC AUC 0.65"),
})
#: Lu et al. (2019) summary ROC AUCs, checked (not fitted): the model's AUCs should be near them.
LU_2019_AUC: Mapping[str, float] = MappingProxyType({"pdl1_tps": 0.65, "tmb": 0.69, "ifng_score": 0.65})
FIT_SEED, FIT_SIZE = 20190801, 200_000


@dataclass(frozen=True)
class ResponseModel:
    """P(response) = (1 − exp(−TMB/K)) · expit(b0 + b_z·z + b_L·(TPS/100)² + b_M·MSI).

    ``recognition_tmb`` is K (mut/Mb); the others are log-odds coefficients
    on the latent inflammation z, the squared PD-L1 fraction and MSI-H.
    """

    recognition_tmb: float
    intercept: float
    immune: float
    pdl1: float
    msi: float

    def __post_init__(self) -> None:
        check_record(self)
        # K is a TMB scale (mut/Mb); the log-odds coefficients of a logistic fit stay far inside ±100.
        check_real("recognition_tmb", self.recognition_tmb, 1e-3, 1e3, "mut/Mb")
        for name in ("intercept", "immune", "pdl1", "msi"):
            check_real(name, getattr(self, name), -100.0, 100.0, "log-odds")

    def probability(self, tmb: np.ndarray, immune: np.ndarray, pdl1_tps: np.ndarray,
                    msi_high: np.ndarray) -> np.ndarray:
        """Each patient's probability of objective response."""
        recognised = -np.expm1(-tmb / self.recognition_tmb)
        logit = (self.intercept + self.immune * immune + self.pdl1 * (pdl1_tps / 100.0) ** 2
                 + self.msi * msi_high)
        return recognised * expit(logit)


#: Solution of :func:`fit_response_model` (rounded to 4 decimals); a test re-fits it.
RESPONSE_MODEL = ResponseModel(recognition_tmb=6.0292, intercept=-1.5543, immune=0.3491, pdl1=3.0136,
                               msi=0.3715)


@dataclass(frozen=True)
class Marker:
    """A biomarker column: words for it, its unit, and its cutoff's parameter record."""

    column: str
    label: str
    unit: str
    cutoff: Parameter | None  # None for a yes/no marker

    def __post_init__(self) -> None:
        check_record(self)

    def format_cutoff(self, value: float) -> str:
        """``"PD-L1 TPS ≥ 50%"``, ``"TMB ≥ 10 mut/Mb"``."""
        if self.cutoff is None:
            return f"{self.label} present"
        number = f"{value:.{_decimals(self.cutoff.step)}f}"
        unit = "%" if self.unit == "%" else f" {self.unit}" if self.unit else ""
        return f"{self.label} ≥ {number}{unit}"


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step))) if step < 1 else 0


def _cutoff(key: str, label: str, symbol: str, default: float, unit: str, low: float, high: float,
            step: float, meaning: str, source: str) -> Parameter:
    return Parameter(f"biomarkers.{key}", label, symbol, default, unit, low, high, step, meaning, source,
                     calibrated=not source.startswith("Illustrative"))


PDL1_CUTOFF = _cutoff("pdl1_cutoff", "PD-L1 cutoff", "c_TPS", 50.0, "%", 0.0, 100.0, 1.0,
                      "Patients with a PD-L1 tumor proportion score (TPS) at or above this are selected",
                      "KEYNOTE-024 (Reck 2016 N Engl J Med 375:1823): TPS ≥ 50% for first-line "
                      "pembrolizumab")
TMB_CUTOFF = _cutoff("tmb_cutoff", "TMB cutoff", "c_TMB", 10.0, "mut/Mb", 0.0, 100.0, 0.5,
                     "Patients with a tumor mutational burden at or above this are selected",
                     "FDA 2020 tissue-agnostic approval, KEYNOTE-158 (Marabelle 2020 Lancet Oncol "
                     "21:1353): tTMB ≥ 10 mut/Mb")
CD8_CUTOFF = _cutoff("cd8_cutoff", "CD8 density cutoff", "c_CD8", 300.0, "cells/mm²", 0.0, 3000.0, 10.0,
                     "Patients with at least this density of CD8 T cells in the tumor are selected",
                     ILLUSTRATIVE + " (about the top third of this cohort)")
IFNG_CUTOFF = _cutoff("ifng_cutoff", "IFN-γ score cutoff", "c_IFNG", 0.5, "SD", -4.0, 5.0, 0.05,
                      "Patients with an IFN-γ (T-cell-inflamed) gene-expression score at or above this "
                      "are selected", ILLUSTRATIVE + " (about the top third of this cohort)")
COMPOSITE_CUTOFF = _cutoff("composite_cutoff", "Composite cutoff", "c_comp", 1.0, "SD", -6.0, 8.0, 0.05,
                           "Patients with a composite score (standardized log TMB + IFN-γ score) at or "
                           "above this are selected", ILLUSTRATIVE + " (about the top third of this cohort)")
COHORT_SIZE = Parameter("biomarkers.cohort_size", "Patients in the cohort", "n", 10_000.0, "patients",
                        100.0, 1_000_000.0, 100.0, "Number of virtual patients treated with anti-PD-1",
                        "Illustrative: at 10,000 the calibrated response rates hold within ±5 points "
                        "for every seed tested", calibrated=False)

PARAMETERS: tuple[Parameter, ...] = (PDL1_CUTOFF, TMB_CUTOFF, CD8_CUTOFF, IFNG_CUTOFF, COMPOSITE_CUTOFF,
                                     COHORT_SIZE)

#: Markers a patient can be selected on, by column name.
MARKERS: Mapping[str, Marker] = MappingProxyType({m.column: m for m in (
    Marker("pdl1_tps", "PD-L1 TPS", "%", PDL1_CUTOFF),
    Marker("tmb", "TMB", "mut/Mb", TMB_CUTOFF),
    Marker("cd8_density", "CD8 density", "cells/mm²", CD8_CUTOFF),
    Marker("ifng_score", "IFN-γ score", "SD", IFNG_CUTOFF),
    Marker("composite", "Composite (TMB + IFN-γ)", "SD", COMPOSITE_CUTOFF),
    Marker("msi_high", "MSI-high", "", None),
)})
COHORT_COLUMNS = ("pdl1_tps", "tmb", "msi_high", "cd8_density", "phenotype", "ifng_score", "composite",
                  "response_probability", "responder")

MODEL_CARD = ModelCard(
    title="Biomarkers and patient selection: a virtual anti-PD-1 cohort",
    shows="How a cutoff on one biomarker trades the share of patients eligible against the response "
          "rate among them, what the ROC curve and its AUC summarise, and why a composite of TMB and "
          "an IFN-γ score selects better than any single marker.",
    equations=(
        "t = ln(TMB / 6 mut/Mb) (MSS: N(0, 1));  z = 0.1·t + 0.995·ε + 0.8·MSI  (latent inflammation)",
        "PD-L1 latent = 0.35·z + 0.94·ε → TPS (33% < 1%, ~14% ≥ 50%);  IFN-γ = 0.85·z + 0.53·ε",
        "P(response) = (1 − exp(−TMB/K)) · expit(b0 + b_z·z + b_L·(TPS/100)² + b_M·MSI)",
        f"fitted: K = {RESPONSE_MODEL.recognition_tmb} mut/Mb, b0 = {RESPONSE_MODEL.intercept}, "
        f"b_z = {RESPONSE_MODEL.immune}, b_L = {RESPONSE_MODEL.pdl1}, b_M = {RESPONSE_MODEL.msi}",
        "composite = t + IFN-γ score   (standardized log TMB plus the IFN-γ score, after Cristescu 2018)",
    ),
    assumptions=(
        "A synthetic composite of different trial populations: NSCLC with PD-L1 TPS ≥ 50% "
        "(KEYNOTE-024), nine tumor types with TMB ≥ 10 (KEYNOTE-158), pooled MSI-H trials; no real "
        "population has all three at once.",
        "The five response-model coefficients solve five equations on a seeded cohort of 200,000 "
        "(fit_response_model): response rates of 18.5% overall (illustrative), 44.8% at TPS ≥ 50%, 29% at "
        "TMB ≥ 10 mut/Mb, 39.6% in MSI-H, and AUC 0.65 for the IFN-γ score (Lu 2019, GEP).",
        "PD-L1 and TMB are nearly independent (Yarchoan 2019: r = 0.084); MSI-H tumors have very high "
        "TMB and are more inflamed; PD-L1 is partly induced by T-cell IFN-γ; inflamed tumors have more "
        "CD8 T cells and a higher IFN-γ score. Loadings, shares and CD8 densities are illustrative.",
        "Responses are independent draws given each patient's probability.",
    ),
    limits=(
        "Only the calibrated response rates and AUCs are anchored to data; the joint distribution of the "
        "markers is illustrative.",
        "MSI-H is enriched to 15% (a few percent across all tumors) so that the subgroup is large.",
        "Each marker is measured once, without assay error or tumor heterogeneity; phenotypes are a "
        "latent score cut in three, not read from tissue.",
        "The rates hold within about ±5 points for a cohort of 10,000; smaller cohorts vary more.",
    ),
    references=(
        "Reck M et al. (2016). Pembrolizumab versus chemotherapy for PD-L1-positive non-small-cell lung "
        "cancer. N Engl J Med 375:1823–1833.",
        "Marabelle A et al. (2020). Lancet Oncol 21:1353–1365 (KEYNOTE-158, TMB); FDA approval of "
        "pembrolizumab for TMB-high solid tumors, 16 June 2020.",
        "Marcus L et al. (2019). FDA approval summary: pembrolizumab for MSI-H or dMMR solid tumors. "
        "Clin Cancer Res 25:3753–3758.",
        "Yarchoan M et al. (2019). PD-L1 expression and tumor mutational burden are independent "
        "biomarkers in most cancers. JCI Insight 4:e126908.",
        "Lu S et al. (2019). Comparison of biomarker modalities for predicting response to PD-1/PD-L1 "
        "checkpoint blockade. JAMA Oncol 5:1195–1204.",
        "Cristescu R et al. (2018). Pan-tumor genomic biomarkers for PD-1 checkpoint blockade-based "
        "immunotherapy. Science 362:eaar3593.",
        "Chalmers ZR et al. (2017). Analysis of 100,000 human cancer genomes reveals the landscape of "
        "tumor mutational burden. Genome Med 9:34.",
    ),
)


# --- The cohort ---------------------------------------------------------------------------------------

def _biomarkers(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Markers and the latent inflammation z for ``n`` patients (fixed order of random draws)."""
    msi = rng.random(n) < MSI_FRACTION
    z_tmb = rng.standard_normal(n)
    log_tmb = np.where(msi, math.log(MSI_TMB_MEDIAN) + MSI_TMB_LOG_SD * z_tmb,
                       math.log(TMB_MEDIAN) + TMB_LOG_SD * z_tmb)
    tmb_std = (log_tmb - math.log(TMB_MEDIAN)) / TMB_LOG_SD
    immune = (TMB_IMMUNE_LOADING * np.clip(tmb_std, -3.0, 3.0)
              + math.sqrt(1 - TMB_IMMUNE_LOADING**2) * rng.standard_normal(n) + MSI_IMMUNE_SHIFT * msi)
    pdl1_latent = (PDL1_IMMUNE_LOADING * immune
                   + math.sqrt(1 - PDL1_IMMUNE_LOADING**2) * rng.standard_normal(n))
    ifng = IFNG_LOADING * immune + math.sqrt(1 - IFNG_LOADING**2) * rng.standard_normal(n)
    cd8 = CD8_MEDIAN * np.exp(CD8_LOADING * immune + CD8_NOISE * rng.standard_normal(n))
    low, high = ndtri(PHENOTYPE_QUANTILES[0]), ndtri(PHENOTYPE_QUANTILES[1])
    inflamed, excluded, desert = PHENOTYPES
    phenotype = np.where(immune > high, inflamed, np.where(immune < low, desert, excluded))
    return {"pdl1_tps": tps_from_latent(pdl1_latent), "tmb": np.exp(log_tmb), "msi_high": msi,
            "cd8_density": cd8, "phenotype": phenotype, "ifng_score": ifng,
            "composite": tmb_std + ifng, "immune": immune}


def tps_from_latent(latent: np.ndarray) -> np.ndarray:
    """PD-L1 TPS (whole %) from its standard-normal latent by a piecewise quantile map.

    u = Φ(latent): u < 0.33 → TPS 0 (below 1%); 0.33 ≤ u < 0.87 → 1–49% on a log scale
    (most PD-L1-positive tumors are weakly positive); u ≥ 0.87 → 50–100% linearly.
    ``latent`` is in standard deviations, in [−1e6, 1e6].
    """
    u = ndtr(check_array("latent", latent, -1e6, 1e6, "SD"))
    low_share, high_quantile = TPS_NEGATIVE_SHARE, TPS_HIGH_QUANTILE
    middle = 50.0 ** ((u - low_share) / (high_quantile - low_share))
    top = 50.0 + 50.0 * (u - high_quantile) / (1.0 - high_quantile)
    tps = np.where(u < low_share, 0.0, np.where(u < high_quantile, middle, top))
    return np.floor(np.clip(tps, 0.0, 100.0)).astype(np.int64)


def virtual_cohort(n: int = 10_000, seed: int = 0,
                   response_model: ResponseModel = RESPONSE_MODEL) -> pd.DataFrame:
    """A synthetic cohort of patients treated with anti-PD-1, one row per patient.

    Parameters
    ----------
    n : int
        Patients, in [100, 1,000,000].
    seed : int
        Seed of the random generator, in [0, 2**32 − 1]; the same seed gives the same cohort.
    response_model : ResponseModel
        Response probabilities; the default is the one calibrated to the trials (see the model card).

    Returns
    -------
    pandas.DataFrame
        ``pdl1_tps`` (%, 0–100, whole numbers), ``tmb`` (mut/Mb), ``msi_high`` (bool),
        ``cd8_density`` (cells/mm²), ``phenotype`` ("inflamed", "excluded", "desert"),
        ``ifng_score`` (SD units), ``composite`` (ln(TMB/6) + IFN-γ score),
        ``response_probability`` and ``responder`` (bool, objective response).
    """
    n = check_int("n", n, int(COHORT_SIZE.minimum), int(COHORT_SIZE.maximum))
    seed = check_int("seed", seed, 0, 2**32 - 1)
    if not isinstance(response_model, ResponseModel):
        raise TypeError(f"response_model must be a ResponseModel; got {type(response_model).__name__}")
    rng = np.random.default_rng(seed)
    markers = _biomarkers(n, rng)
    probability = response_model.probability(markers["tmb"], markers["immune"], markers["pdl1_tps"],
                                             markers["msi_high"])
    markers["response_probability"] = probability
    markers["responder"] = rng.random(n) < probability
    return pd.DataFrame({column: markers[column] for column in COHORT_COLUMNS})


# --- Selection at a cutoff -------------------------------------------------------------------------------

def _marker_values(cohort: Any, marker: str) -> tuple[np.ndarray, np.ndarray]:
    check_choice("marker", marker, MARKERS)
    if not isinstance(cohort, pd.DataFrame):
        raise TypeError("cohort must be a pandas DataFrame (virtual_cohort output); "
                        f"got {type(cohort).__name__}")
    missing = sorted({marker, "responder"} - set(cohort.columns))
    if missing:
        raise ValueError(f"cohort must have columns {marker!r} and 'responder'; missing {missing}")
    values = cohort[marker].to_numpy(dtype=float)
    responder = cohort["responder"].to_numpy(dtype=bool)
    if np.isnan(values).any():
        raise ValueError(f"cohort[{marker!r}] must not contain NaN")
    if np.isinf(values).any():
        raise ValueError(f"cohort[{marker!r}] must hold finite numbers; it contains ±inf")
    if not len(values):  # every rate below would be 0/0
        raise ValueError("cohort must hold at least one patient; got an empty table")
    return values, responder


def check_cutoff(marker: str, threshold: Any) -> float:
    """Return ``threshold`` as a float after checking it against ``marker``'s cutoff range.

    For the yes/no marker ``msi_high`` the only threshold is ``True`` (selected when MSI-high).
    """
    check_choice("marker", marker, MARKERS)
    record = MARKERS[marker].cutoff
    if record is None:
        if threshold is None or threshold is True:
            return 1.0
        raise ValueError(f"threshold for {marker} must be True (select MSI-high patients); got {threshold!r}")
    return check_real(f"threshold for {marker}", threshold, record.minimum, record.maximum, record.unit)


def _metrics(tp: int, fp: int, fn: int, tn: int) -> dict[str, float]:
    def ratio(num: int, den: int) -> float:
        return num / den if den else math.nan

    total = tp + fp + fn + tn
    return {"sensitivity": ratio(tp, tp + fn), "specificity": ratio(tn, tn + fp),
            "ppv": ratio(tp, tp + fp), "npv": ratio(tn, tn + fn),
            "eligible_fraction": ratio(tp + fp, total), "n_selected": tp + fp,
            "true_positive": tp, "false_positive": fp, "false_negative": fn, "true_negative": tn}


def selection_metrics(cohort: pd.DataFrame, marker: str, threshold: Any = None) -> dict[str, float]:
    """Who is selected when ``marker >= threshold``, and how well that picks responders.

    Returns ``sensitivity`` (share of responders selected), ``specificity`` (share of
    non-responders left out), ``ppv`` (response rate among the selected), ``npv``
    (non-response rate among the rest), ``eligible_fraction``, ``n_selected`` and the
    four counts of the 2×2 table (``true_positive`` …). A ratio with nobody in its
    denominator is NaN. For ``msi_high`` a patient is selected when MSI-high.
    """
    values, responder = _marker_values(cohort, marker)
    cut = check_cutoff(marker, threshold)
    selected = values >= cut
    tp = int(np.count_nonzero(selected & responder))
    fp = int(np.count_nonzero(selected & ~responder))
    fn = int(np.count_nonzero(~selected & responder))
    return _metrics(tp, fp, fn, len(values) - tp - fp - fn)


# --- ROC ---------------------------------------------------------------------------------------------------

def _roc(values: np.ndarray, responder: np.ndarray, marker: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    positives = int(responder.sum())
    negatives = len(responder) - positives
    if positives == 0 or negatives == 0:
        raise ValueError(f"cohort must contain responders and non-responders to draw a ROC curve of {marker}")
    order = np.argsort(-values, kind="stable")
    ordered, hits = values[order], responder[order]
    last = np.r_[np.flatnonzero(np.diff(ordered) != 0), len(ordered) - 1]  # last index of each value
    tp = np.cumsum(hits)[last]
    fp = last + 1 - tp
    fpr = np.r_[0.0, fp / negatives]
    tpr = np.r_[0.0, tp / positives]
    return fpr, tpr, np.r_[np.inf, ordered[last]]


def roc_curve(cohort: pd.DataFrame, marker: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False- and true-positive rates of every cutoff of ``marker``.

    Thresholds run from +inf (nobody selected: (0, 0)) down through every distinct value
    of the marker to its minimum (everybody selected: (1, 1)); a patient is positive when
    ``marker >= threshold``.
    """
    values, responder = _marker_values(cohort, marker)
    return _roc(values, responder, marker)


def roc_auc(cohort: pd.DataFrame, marker: str) -> float:
    """Area under the ROC curve: the Mann–Whitney U / (n₁·n₀), ties counted half.

    The chance that a random responder has a higher marker value than a random
    non-responder (plus half the chance of a tie).
    """
    values, responder = _marker_values(cohort, marker)
    return _auc(values, responder, marker)


def _auc(values: np.ndarray, responder: np.ndarray, marker: str = "marker") -> float:
    positives = int(responder.sum())
    negatives = len(responder) - positives
    if positives == 0 or negatives == 0:
        raise ValueError(f"cohort must contain responders and non-responders for the AUC of {marker}")
    # Imported here: scipy.stats adds about 0.4 s to every kernel's start, and only
    # the AUC needs it.
    from scipy.stats import rankdata

    ranks = rankdata(values)  # average ranks: ties count half
    return float((ranks[responder].sum() - positives * (positives + 1) / 2) / (positives * negatives))


@dataclass(frozen=True)
class MarkerSummary:
    """One marker of one cohort, sorted once so any cutoff costs two binary searches."""

    marker: str
    responders: np.ndarray  # marker values of responders, ascending
    others: np.ndarray  # marker values of non-responders, ascending
    fpr: np.ndarray
    tpr: np.ndarray
    thresholds: np.ndarray
    auc: float

    def __post_init__(self) -> None:
        check_record(self)
        check_choice("marker", self.marker, MARKERS)
        check_real("auc", self.auc, 0.0, 1.0)

    @property
    def size(self) -> int:
        """Patients in the cohort."""
        return len(self.responders) + len(self.others)

    @property
    def response_rate(self) -> float:
        """Response rate of everybody (no selection)."""
        return len(self.responders) / self.size

    def metrics(self, threshold: Any) -> dict[str, float]:
        """:func:`selection_metrics` at ``threshold``, without rescanning the cohort."""
        cut = check_cutoff(self.marker, threshold)
        tp = len(self.responders) - int(np.searchsorted(self.responders, cut, side="left"))
        fp = len(self.others) - int(np.searchsorted(self.others, cut, side="left"))
        return _metrics(tp, fp, len(self.responders) - tp, len(self.others) - fp)


def summarize_marker(cohort: pd.DataFrame, marker: str) -> MarkerSummary:
    """Sort ``marker`` by response once: ROC curve, AUC and fast cutoffs (:class:`MarkerSummary`)."""
    values, responder = _marker_values(cohort, marker)
    fpr, tpr, thresholds = _roc(values, responder, marker)
    for array in (fpr, tpr, thresholds):
        array.flags.writeable = False
    return MarkerSummary(marker=marker, responders=np.sort(values[responder]),
                         others=np.sort(values[~responder]), fpr=fpr, tpr=tpr,
                         thresholds=thresholds, auc=_auc(values, responder, marker))


# --- Calibration (run once offline; a test checks that it reproduces RESPONSE_MODEL) ----------------------

def _expected_auc(values: np.ndarray, probability: np.ndarray) -> float:
    """AUC expected when patient i responds with ``probability[i]`` (ties half; self-pairs ignored)."""
    order = np.argsort(values, kind="stable")
    ordered, p = values[order], probability[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ordered) != 0) + 1]
    group_p = np.add.reduceat(p, starts)
    group_q = np.add.reduceat(1.0 - p, starts)
    below = np.cumsum(group_q) - group_q
    return float((group_p * (below + 0.5 * group_q)).sum() / (p.sum() * (1.0 - p).sum()))


def expected_targets(response_model: ResponseModel, n: int = FIT_SIZE,
                     seed: int = FIT_SEED) -> dict[str, float]:
    """The calibrated quantities (:data:`CALIBRATION_TARGETS`) expected under ``response_model``.

    Computed from each patient's response probability in a seeded cohort (no
    Bernoulli noise), plus the expected AUCs of PD-L1 and TMB (checked against Lu 2019).
    """
    if not isinstance(response_model, ResponseModel):
        raise TypeError(f"response_model must be a ResponseModel; got {type(response_model).__name__}")
    markers = _fit_cohort(n, seed)
    return _targets(markers, response_model)


def _fit_cohort(n: int, seed: int) -> dict[str, np.ndarray]:
    n = check_int("n", n, 1000, 10_000_000)
    return _biomarkers(n, np.random.default_rng(check_int("seed", seed, 0, 2**32 - 1)))


def _targets(markers: Mapping[str, np.ndarray], response_model: ResponseModel) -> dict[str, float]:
    p = response_model.probability(markers["tmb"], markers["immune"], markers["pdl1_tps"],
                                   markers["msi_high"])
    return {"overall": float(p.mean()),
            "pdl1_tps >= 50": float(p[markers["pdl1_tps"] >= 50].mean()),
            "tmb >= 10": float(p[markers["tmb"] >= 10].mean()),
            "msi_high": float(p[markers["msi_high"]].mean()),
            "auc ifng_score": _expected_auc(markers["ifng_score"], p),
            "auc pdl1_tps": _expected_auc(markers["pdl1_tps"].astype(float), p),
            "auc tmb": _expected_auc(markers["tmb"], p)}


def fit_response_model(n: int = FIT_SIZE, seed: int = FIT_SEED) -> ResponseModel:
    """Solve for the five response-model coefficients that hit :data:`CALIBRATION_TARGETS`.

    Five equations, five unknowns (ln K, b0, b_z, b_L, b_M), solved by least squares on
    the expected values over a seeded cohort of ``n`` patients (about 1 s). The result,
    rounded, is :data:`RESPONSE_MODEL`.
    """
    markers = _fit_cohort(n, seed)
    names = list(CALIBRATION_TARGETS)
    goal = np.array([CALIBRATION_TARGETS[k][0] for k in names])

    def model_of(theta: np.ndarray) -> ResponseModel:
        return ResponseModel(float(np.exp(theta[0])), *(float(v) for v in theta[1:]))

    def residuals(theta: np.ndarray) -> np.ndarray:
        got = _targets(markers, model_of(theta))
        return np.array([got[k] for k in names]) - goal

    start = np.array([math.log(6.0), -1.5, 0.5, 3.0, 0.0])
    solution = least_squares(residuals, start, xtol=1e-12, ftol=1e-12, gtol=1e-12)
    if np.abs(solution.fun).max() > 1e-6:
        raise RuntimeError(f"calibration did not converge: residuals {solution.fun}")
    return model_of(solution.x)
