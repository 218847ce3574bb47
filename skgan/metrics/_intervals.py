"""Bootstrap intervals for the privacy figures (an AUC, a ratio of medians)."""

import numbers

import numpy as np
from scipy.stats import bootstrap, rankdata
from sklearn.utils import check_random_state

#: Resamples of each interval: with 250 scores a side, the ends of an AUC's
#: interval from 1,000 resamples moved by at most 0.005 (standard deviation
#: 0.002) over 20 seeds.
N_RESAMPLES = 1000
CONFIDENCE = 0.95


def _auc(positive, negative, axis=-1):
    """ROC-AUC of scores, positives above negatives (ties count a half)."""
    scores = np.concatenate([positive, negative], axis=axis)
    ranks = rankdata(scores, axis=axis)
    n_pos, n_neg = positive.shape[axis], negative.shape[axis]
    u = ranks[..., :n_pos].sum(axis=axis) - n_pos * (n_pos + 1) / 2
    return u / (n_pos * n_neg)


def median_ratio(numerator, denominator, axis=-1):
    """``median(numerator) / median(denominator)`` (infinity over a zero median)."""
    den = np.median(denominator, axis=axis)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, np.median(numerator, axis=axis) / den, np.inf)


def _interval(samples, statistic, random_state):
    """A percentile bootstrap interval, each sample resampled on its own."""
    samples = tuple(np.asarray(s, dtype=float) for s in samples)
    if random_state is not None and not isinstance(random_state, numbers.Integral):
        random_state = check_random_state(random_state).randint(2**31 - 1)
    result = bootstrap(
        samples,
        statistic,
        n_resamples=N_RESAMPLES,
        confidence_level=CONFIDENCE,
        method="percentile",
        vectorized=True,
        paired=False,
        batch=100,
        random_state=np.random.default_rng(random_state),
    )
    low, high = result.confidence_interval
    return float(low), float(high)


def auc_interval(positive, negative, *, random_state=0):
    """95% bootstrap interval of the ROC-AUC of positives against negatives.

    Parameters
    ----------
    positive, negative : array-like of shape (n,)
        Scores of the positives (members) and negatives (non-members); each
        group is resampled on its own, so every resample keeps both.
    random_state : int, RandomState instance or None, default=0
        Seeds the resampling.

    Returns
    -------
    interval : tuple of float
        ``(low, high)``.
    """
    return _interval((positive, negative), _auc, random_state)


def median_ratio_interval(numerator, denominator, *, random_state=0):
    """95% bootstrap interval of ``median(numerator) / median(denominator)``.

    Parameters
    ----------
    numerator, denominator : array-like of shape (n,)
        The two samples (synthetic and holdout distances), resampled on
        their own.
    random_state : int, RandomState instance or None, default=0
        Seeds the resampling.

    Returns
    -------
    interval : tuple of float
        ``(low, high)``.
    """
    return _interval((numerator, denominator), median_ratio, random_state)
