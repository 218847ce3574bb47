"""Privacy: are synthetic rows copies of, or too close to, training rows?"""

import numpy as np
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import Bunch

from ._intervals import median_ratio, median_ratio_interval
from ._tables import as_frames, encode

#: Distance (in training standard deviations) at or below which a synthetic
#: row counts as a copy of a training row: the standardisation's rounding
#: leaves a copied row about 1e-8 away, which ``== 0`` missed (a collapsed
#: WCGANOverSampler on InternetAds showed a copy rate of 0.016 with a median
#: distance of 8e-8).
COPY_TOLERANCE = 1e-6

#: Root-mean-square gap per column (in training standard deviations) at or
#: below which a holdout row repeats a training row: a periodic series'
#: later windows sit about 0.004 from earlier ones without being equal, and
#: a holdout of such near-repeats says nothing about unseen rows.
NEAR_REPEAT = 0.01


def distance_to_closest_record(train, synthetic, *, holdout=None, random_state=0):
    """Distances from synthetic (and holdout) rows to their nearest training row.

    Columns are standardised with the training rows' mean and standard
    deviation (categorical columns one-hot), and distances are Euclidean.
    The synthetic rows' distances alone say little; compare them with those
    of real rows the generator never saw (``holdout``): a generator that
    learnt the distribution puts its rows as far from the training rows as
    new real rows are. This is the idea of SDMetrics'
    ``DCROverfittingProtection`` (synthetic-to-train against
    holdout-to-train distances).

    Parameters
    ----------
    train : array-like or DataFrame of shape (n_train, n_features)
        The rows the generator was trained on.
    synthetic : array-like or DataFrame of shape (n_synthetic, n_features)
        Generated rows.
    holdout : array-like or DataFrame of shape (n_holdout, n_features), default=None
        Real rows the generator never saw.
    random_state : int or None, default=0
        Seeds the bootstrap of the DCR ratio's interval.

    Returns
    -------
    result : Bunch
        ``synthetic`` (distance of each synthetic row to its nearest
        training row), ``holdout`` (the same for the holdout rows, or None),
        ``holdout_repeat_rate`` (fraction of holdout rows within
        :data:`NEAR_REPEAT` of a training row, root mean square per column:
        the rate fresh real rows repeat training rows at; None without),
        ``exact_copy_rate`` (fraction of synthetic rows equal to a training
        row, up to a millionth of a standard deviation), ``dcr_ratio``
        (median synthetic distance over median holdout distance; None
        without a holdout, or when most holdout rows are training rows),
        ``dcr_ratio_interval`` (its 95% bootstrap interval, synthetic and
        holdout rows resampled on their own; None without a ratio or with a
        single holdout row) and ``nndr`` (median
        nearest-neighbour distance ratio of the synthetic rows, see
        :func:`nearest_neighbor_distance_ratio`).
    """
    train, synthetic, holdout = as_frames(
        train, synthetic, holdout, names=["train", "synthetic", "holdout"]
    )
    tables = [synthetic] if holdout is None else [synthetic, holdout]
    T, *others = encode(train, *tables, standardize=True)
    if len(T) < 2:
        raise ValueError(f"train needs at least 2 rows; got {len(T)}.")
    nn = NearestNeighbors(n_neighbors=2).fit(T)
    dist_syn, _ = nn.kneighbors(others[0])
    d_syn = dist_syn[:, 0]
    result = Bunch(
        synthetic=d_syn,
        holdout=None,
        holdout_repeat_rate=None,
        exact_copy_rate=float(np.mean(d_syn <= COPY_TOLERANCE)),
        dcr_ratio=None,
        dcr_ratio_interval=None,
        nndr=float(np.median(_ratio(dist_syn))),
    )
    if holdout is not None:
        d_hold = nn.kneighbors(others[1], n_neighbors=1)[0][:, 0]
        result.holdout = d_hold
        near = max(NEAR_REPEAT * np.sqrt(T.shape[1]), COPY_TOLERANCE)
        result.holdout_repeat_rate = float(np.mean(d_hold <= near))
        if np.median(d_hold) > 0:
            result.dcr_ratio = float(median_ratio(d_syn, d_hold))
            if len(d_hold) >= 2:
                result.dcr_ratio_interval = median_ratio_interval(
                    d_syn, d_hold, random_state=random_state
                )
    return result


def dcr_ratio(train, synthetic, holdout):
    """Median distance to the closest training record, synthetic over holdout.

    Protocol 2's DCR ratio: about 1 is healthy; well below 1 means the
    generator copies, or interpolates between, training rows (SMOTE scores
    about 0.4, a sampler that jitters training rows about 0.02); well above
    1 means the synthetic rows sit away from the data.

    Parameters
    ----------
    train, synthetic, holdout : array-like or DataFrame
        Training rows, generated rows and unseen real rows, with the same
        columns.

    Returns
    -------
    ratio : float
        ``median(DCR(synthetic)) / median(DCR(holdout))``.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import dcr_ratio
    >>> rng = np.random.RandomState(0)
    >>> train, holdout = rng.randn(300, 4), rng.randn(300, 4)
    >>> round(dcr_ratio(train, rng.randn(300, 4), holdout), 1)
    1.0
    >>> dcr_ratio(train, train + 0.01 * rng.randn(300, 4), holdout) < 0.1
    True
    """
    return distance_to_closest_record(train, synthetic, holdout=holdout).dcr_ratio


def exact_copy_rate(train, synthetic):
    """Fraction of synthetic rows identical to a training row (0 is ideal).

    Parameters
    ----------
    train, synthetic : array-like or DataFrame
        Training and generated rows, with the same columns.

    Returns
    -------
    rate : float
        In [0, 1].
    """
    return distance_to_closest_record(train, synthetic).exact_copy_rate


def nearest_neighbor_distance_ratio(train, synthetic):
    """Per synthetic row: distance to the nearest over the second-nearest training row.

    A ratio near 0 means the row sits on one training record rather than
    between several, the signature of a copied record; rows spread like
    real data have ratios well above 0.

    Parameters
    ----------
    train, synthetic : array-like or DataFrame
        Training and generated rows, with the same columns.

    Returns
    -------
    ratios : ndarray of shape (n_synthetic,)
        In [0, 1].
    """
    train, synthetic = as_frames(train, synthetic, names=["train", "synthetic"])
    T, S = encode(train, synthetic, standardize=True)
    dist, _ = NearestNeighbors(n_neighbors=2).fit(T).kneighbors(S)
    return _ratio(dist)


def _ratio(dist):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(dist[:, 1] > 0, dist[:, 0] / dist[:, 1], 0.0)
