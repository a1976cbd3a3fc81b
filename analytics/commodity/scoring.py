"""Commodity selection: weighted scores, group weights, consensus and robustness (pure numpy).

The method (Petunjuk teknis APP, Langkah 1 Seleksi Komoditas): criteria weighted on a 1-5 scale, each
commodity scored per criterion, a weighted total, a ranking, a shortlist of 3-4, then one commodity.

* **Weighted score** on 0-100: ``100 · Σ_j w_j (s_ij − 1) / 4 / Σ_j w_j`` (a commodity scoring 5
  everywhere gets 100, one scoring 1 everywhere gets 0; the weights only set the mix).
* **Group weight** per criterion: mean, median and geometric mean of the participants' weights, their
  spread (standard deviation, min, max) and a **consensus** index for ordinal scales (Tastle & Wierman
  2007): ``1 + Σ p_k log2(1 − |k − μ| / 4)`` over the levels k = 1..5; 1 = everyone agrees, 0 = the
  group is split between 1 and 5.
* **Robustness**: Monte Carlo over the weights (each draw takes, for every criterion, the weight of a
  random participant; with one set of weights, each weight moves −1, 0 or +1 step) → probability of
  each commodity being in the top k, rank acceptability (probability of each rank), and the smallest
  change of one weight that gives the top rank to another commodity.

References
----------
* Petunjuk teknis APP Provinsi Jawa Timur (``shared/seeds/000_…``): commodity research, the criteria and
  their 1-5 weights.
* Panduan replikasi dan pelembagaan Keperantaraan Pasar, KOMPAK (``shared/seeds/004_…``): commodity
  choice by a working group.
* Tastle, W. J. and Wierman, M. J. (2007). Consensus and dissention: a measure of ordinal dispersion.
  *International Journal of Approximate Reasoning* 45(3), 531-545.
* Lahdelma, R., Hokkanen, J. and Salminen, P. (1998). SMAA — Stochastic multiobjective acceptability
  analysis. *European Journal of Operational Research* 106(1), 137-143 (rank acceptability).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SCALE_MIN, SCALE_MAX = 1, 5


def weighted_scores(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """0-100 weighted scores of commodities (rows of ``scores``, 1-5) under ``weights`` (1-5).

    ``weights`` may be one vector (criteria) or a matrix (draws × criteria); the result is then one
    score per commodity, or draws × commodities.

    >>> weighted_scores(np.array([[5, 5], [1, 1], [5, 1]]), np.array([1, 3])).round(1).tolist()
    [100.0, 0.0, 25.0]
    """
    s = (np.asarray(scores, dtype=float) - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)
    w = np.asarray(weights, dtype=float)
    return 100.0 * (w @ s.T) / w.sum(axis=-1, keepdims=w.ndim > 1)


def ranking(commodities: list[str], scores: np.ndarray, weights: np.ndarray) -> pd.DataFrame:
    """Commodities ranked by weighted score (ties share the better rank, listed by name)."""
    total = weighted_scores(scores, weights)
    df = pd.DataFrame({"commodity": commodities, "skor": total})
    df["peringkat"] = df["skor"].rank(ascending=False, method="min").astype(int)
    return df.sort_values(["peringkat", "commodity"]).reset_index(drop=True)[["peringkat", "commodity", "skor"]]


def consensus(values: np.ndarray) -> float:
    """Tastle-Wierman consensus of ordinal answers on the 1-5 scale (1 = full agreement).

    >>> consensus(np.array([3, 3, 3])), consensus(np.array([1, 5]))
    (1.0, 0.0)
    """
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return float("nan")
    mu = v.mean()
    levels = np.arange(SCALE_MIN, SCALE_MAX + 1)
    p = np.array([(v == k).mean() for k in levels])
    width = SCALE_MAX - SCALE_MIN
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log2(1 - np.abs(levels - mu) / width), 0.0)
    return float(np.clip(1 + terms.sum(), 0.0, 1.0))


def group_weights(weights: pd.DataFrame) -> pd.DataFrame:
    """Per criterion (columns of ``weights``, one row per participant): n, mean, median, geometric
    mean, standard deviation, min, max and consensus."""
    rows = []
    for crit in weights.columns:
        v = weights[crit].dropna().to_numpy(dtype=float)
        rows.append({
            "criterion": crit, "n": len(v),
            "mean": v.mean() if len(v) else np.nan, "median": float(np.median(v)) if len(v) else np.nan,
            "geomean": float(np.exp(np.log(v).mean())) if len(v) else np.nan,
            "sd": float(v.std(ddof=1)) if len(v) > 1 else 0.0,
            "min": v.min() if len(v) else np.nan, "max": v.max() if len(v) else np.nan,
            "consensus": consensus(v)})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Flip:
    """The smallest change of one criterion weight that gives the top rank to another commodity."""

    criterion: str
    from_weight: float
    to_weight: float
    new_top: str

    @property
    def change(self) -> float:
        """Size of the change (weight points on the 1-5 scale)."""
        return abs(self.to_weight - self.from_weight)


def smallest_flip(commodities: list[str], criteria: list[str], scores: np.ndarray,
                  weights: np.ndarray) -> Flip | None:
    """The smallest single-weight change (weights kept within 1-5) after which another commodity has the
    highest score, or None if no single change can do it.

    Comparing the top commodity t with another i, the sign of ``Σ_j w_j (s_tj − s_ij)`` decides the
    order (the normalisation is shared); changing w_j by d shifts it by ``d (s_tj − s_ij)``, so the
    change that ties them is ``d = −D / (s_tj − s_ij)``, taken a hair beyond the tie.
    """
    s = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    total = weighted_scores(s, w)
    top = int(np.argmax(total))
    best: Flip | None = None
    diff = s[top] - s  # commodities × criteria
    gap = diff @ w     # Σ_j w_j (s_tj − s_ij) ≥ 0
    for i in range(len(commodities)):
        if i == top:
            continue
        for j, crit in enumerate(criteria):
            if diff[i, j] == 0:
                continue
            d = -gap[i] / diff[i, j]
            d = d + np.sign(d) * 1e-9 if d != 0 else -np.sign(diff[i, j]) * 1e-9
            new = w[j] + d
            if not (SCALE_MIN <= new <= SCALE_MAX):
                continue
            trial = w.copy()
            trial[j] = new
            new_total = weighted_scores(s, trial)
            if int(np.argmax(new_total)) == top:
                continue
            flip = Flip(crit, float(w[j]), float(round(new, 2)), commodities[int(np.argmax(new_total))])
            if best is None or flip.change < best.change:
                best = flip
    return best


@dataclass(frozen=True)
class Robustness:
    """Monte Carlo results: per commodity the probability of being in the top k and of each rank."""

    table: pd.DataFrame          # commodity, p_top1, p_topk, rank_now, in_topk_now, badge, stable_share
    acceptability: pd.DataFrame  # commodity × rank → probability
    draws: int
    method: str                  # 'peserta' (participants' spread) or 'satu_langkah' (±1 step)
    score_step: int = 0          # each score moved by up to this many steps (1-5) in every draw; 0 = fixed
    participants: int = 0        # participants whose weights were drawn from (0 with 'satu_langkah')


def sample_weights(weights: np.ndarray, draws: int, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """Weight draws (draws × criteria): bootstrap of the participants per criterion (among those who set
    that criterion: an empty cell is a weight not given, not a 0), or ±1 step."""
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    n, m = w.shape
    if n >= 2:
        if not np.isnan(w).any():
            pick = rng.integers(0, n, size=(draws, m))
            return w[pick, np.arange(m)], "peserta"
        out = np.empty((draws, m))
        for j in range(m):
            given = w[~np.isnan(w[:, j]), j]
            out[:, j] = given[rng.integers(0, len(given), size=draws)] if len(given) else 3.0
        return out, "peserta"
    step = rng.integers(-1, 2, size=(draws, m))
    return np.clip(w[0] + step, SCALE_MIN, SCALE_MAX), "satu_langkah"


def robustness(commodities: list[str], scores: np.ndarray, weights: np.ndarray, k: int = 3,
               draws: int = 10_000, seed: int = 7, stable: float = 0.8, score_step: int = 0,
               now: np.ndarray | None = None) -> Robustness:
    """Probability of each commodity being first and in the top ``k`` across draws, rank acceptability,
    and a badge: **kokoh** when the commodity stays on the same side of the top-k line (in or out) in at
    least ``stable`` of the draws, else **rapuh**. Each draw takes the weights from the participants
    (:func:`sample_weights`) and, with ``score_step``, moves every score by a whole step drawn from
    −``score_step`` … +``score_step`` (kept within 1-5): data-derived and judged scores are estimates too.

    ``weights``: one row per participant (or a single vector; empty cells are weights not given);
    ``now``: the weight vector of the ranking shown (by default the participants' mean), so the ranking
    "now" here is the one on screen.
    """
    rng = np.random.default_rng(seed)
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    w = w[~np.isnan(w).all(axis=1)] if len(w) > 1 else w  # a participant with no weight at all adds nothing
    sampled, method = sample_weights(w, draws, rng)
    if score_step:
        s = np.asarray(scores, dtype=float)
        moved = s[None, :, :] + rng.integers(-score_step, score_step + 1, size=(draws, *s.shape))
        moved = (np.clip(moved, SCALE_MIN, SCALE_MAX) - SCALE_MIN) / (SCALE_MAX - SCALE_MIN)
        totals = 100.0 * np.einsum("dcm,dm->dc", moved, sampled / sampled.sum(axis=1, keepdims=True))
    else:
        totals = weighted_scores(scores, sampled)                   # draws × commodities
    totals = totals + rng.random(totals.shape) * 1e-9               # ties are broken at random, not by order
    order = np.argsort(-totals, axis=1)
    ranks = np.empty_like(order)
    rows = np.arange(draws)[:, None]
    ranks[rows, order] = np.arange(len(commodities))[None, :]      # 0 = first
    k = min(k, len(commodities))
    p_topk = (ranks < k).mean(axis=0)
    p_top1 = (ranks == 0).mean(axis=0)
    now = weighted_scores(scores, np.nanmean(w, axis=0) if now is None else np.asarray(now, dtype=float))
    rank_now = pd.Series(-now).rank(method="min").astype(int).to_numpy()
    in_now = rank_now <= k
    stable_share = np.where(in_now, p_topk, 1 - p_topk)
    accept = np.stack([(ranks == r).mean(axis=0) for r in range(len(commodities))], axis=1)
    table = pd.DataFrame({"commodity": commodities, "rank_now": rank_now, "in_topk_now": in_now,
                          "p_top1": p_top1, "p_topk": p_topk, "stable_share": stable_share,
                          "badge": np.where(stable_share >= stable, "kokoh", "rapuh")})
    acceptability = pd.DataFrame(accept, index=commodities, columns=[f"peringkat_{r + 1}"
                                                                     for r in range(len(commodities))])
    return Robustness(table.sort_values("rank_now").reset_index(drop=True), acceptability, draws, method, score_step,
                      len(w) if method == "peserta" else 0)


# pragma: no mutate start, outside the calculation core: wording
def describe(rob: Robustness, lang: str = "id") -> str:
    """What a robustness run varied, in words (for the page and the Berita Acara).

    >>> r = Robustness(pd.DataFrame(), pd.DataFrame(), 10_000, "peserta", 1, 4)
    >>> for part in describe(r).split(", "):
    ...     print(part)
    10.000 simulasi Monte Carlo; setiap simulasi mengambil
    untuk tiap kriteria
    bobot seorang peserta secara acak (4 peserta)
    dan menggeser setiap skor komoditas −1
    0 atau +1 (tetap 1-5).
    """
    from analytics.core import fmt

    n = fmt.number(rob.draws, 0, lang)
    if lang == "id":
        weights = (f"bobot seorang peserta secara acak ({rob.participants} peserta)" if rob.method == "peserta"
                   else "bobot yang bergeser −1, 0 atau +1 (baru satu set bobot lengkap)")
        scores = (f", dan menggeser setiap skor komoditas −{rob.score_step}, 0 atau +{rob.score_step} (tetap 1-5)"
                  if rob.score_step else "; skor komoditas tetap")
        return f"{n} simulasi Monte Carlo; setiap simulasi mengambil, untuk tiap kriteria, {weights}{scores}."
    weights = (f"the weight of a random participant ({rob.participants} participants)" if rob.method == "peserta"
               else "a weight moved −1, 0 or +1 (only one complete set of weights so far)")
    scores = (f", and moves every commodity score by −{rob.score_step}, 0 or +{rob.score_step} (kept within 1-5)"
              if rob.score_step else "; commodity scores fixed")
    return f"{n} Monte Carlo draws; each draw takes, for every criterion, {weights}{scores}."
# pragma: no mutate end


def missing_scores(scores: np.ndarray) -> bool:
    """Whether any commodity lacks a score for some criterion (the ranking then waits for it)."""
    s = np.asarray(scores, dtype=float)
    return s.size == 0 or bool(np.isnan(s).any())
