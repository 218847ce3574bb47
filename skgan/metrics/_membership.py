"""Membership inference: can an attacker tell who was in the training rows?"""

import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import Bunch, check_random_state

from ._intervals import auc_interval
from ._tables import as_frames, encode

#: Neighbours of the k-nearest-neighbour density estimates.
_K = 5

#: Fewest holdout rows (half reference, half candidates): with 10 candidates
#: of each kind a 95% interval of the AUC is still about 0.4 wide; with 2 (the
#: old minimum of 4 rows) a holdout of pure noise read 1.0.
MIN_HOLDOUT = 20


def membership_inference(train, synthetic, holdout, *, random_state=None):
    """How well an attacker holding the synthetic rows spots training records.

    Two attacks score each candidate record; members are training rows,
    non-members are holdout rows (real rows the generator never saw), as
    many of each. The attacker is assumed to hold the synthetic rows and a
    reference sample of the population that the generator did not see (half
    of ``holdout``, never among the candidates), and to know the columns:

    - **density ratio** (the idea of DOMIAS, van Breugel et al., 2023): a
      record is likely a member where the synthetic data are denser than the
      population, ``p_synthetic(x) / p_reference(x)``. Both densities are
      k-nearest-neighbour estimates (k=5) on the columns standardised with
      the synthetic rows' statistics (categories one-hot), so the score is
      ``log r_reference(x) - log r_synthetic(x)``, the log ratio of the
      distances to the fifth-nearest reference and synthetic rows. It
      catches a generator that overfits (puts extra mass near its training
      rows) without copying them.
    - **distance to the closest synthetic record**: the closer, the likelier
      a member. It catches a generator that copies or barely perturbs its
      training rows.

    Parameters
    ----------
    train : array-like or DataFrame of shape (n_train, n_features)
        The rows the generator was trained on (the members).
    synthetic : array-like or DataFrame of shape (n_synthetic, n_features)
        Generated rows (what the attacker holds).
    holdout : array-like or DataFrame of shape (n_holdout, n_features)
        Real rows the generator never saw: half are the attacker's reference
        sample, half the non-member candidates. At least 20 rows (10
        candidates of each kind); fewer cannot show anything.
    random_state : int, RandomState instance or None, default=None
        Seeds the split of the holdout and the choice of members.

    Returns
    -------
    result : Bunch
        ``roc_auc``: the stronger attack's ROC-AUC at telling members from
        non-members (0.5 is chance, 1.0 is certain membership for every
        record); ``attack``, its name (``"density_ratio"`` or
        ``"distance"``); ``roc_auc_interval``, its 95% bootstrap interval
        (members and non-members resampled on their own, 1,000 resamples);
        ``density_ratio_roc_auc`` and ``distance_roc_auc``, each attack's;
        ``n_members`` and ``n_non_members``.

    Notes
    -----
    Reporting the larger of two AUCs leans above 0.5 for a generator that
    leaks nothing; the interval is the chosen attack's and does not count
    the choice. With few holdout rows the estimate is coarse: under no leak
    an AUC's standard error is ``sqrt((2 n + 1) / (12 n^2))``, about
    ``0.29 / sqrt(n)`` for ``n`` candidates of each kind, which the
    interval shows.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import membership_inference
    >>> rng = np.random.RandomState(0)
    >>> train, holdout = rng.randn(300, 4), rng.randn(300, 4)
    >>> copies = train + rng.randn(300, 4) * 0.01  # a generator that memorises
    >>> membership_inference(train, copies, holdout, random_state=0).roc_auc > 0.9
    True
    >>> fresh = rng.randn(300, 4)  # one that draws new rows
    >>> 0.4 < membership_inference(train, fresh, holdout, random_state=0).roc_auc < 0.6
    True
    """
    train, synthetic, holdout = as_frames(
        train, synthetic, holdout, names=["train", "synthetic", "holdout"]
    )
    if len(holdout) < MIN_HOLDOUT:
        raise ValueError(
            f"holdout needs at least {MIN_HOLDOUT} rows (half reference, half "
            f"candidates) for a membership attack to mean anything; got "
            f"{len(holdout)}. Keep more real rows out of fit."
        )
    if len(synthetic) < _K + 1:
        raise ValueError(
            f"synthetic needs at least {_K + 1} rows; got {len(synthetic)}."
        )
    rng = check_random_state(random_state)
    order = rng.permutation(len(holdout))
    reference = holdout.iloc[order[: len(order) // 2]]
    n = min(len(order) - len(order) // 2, len(train))
    non_members = holdout.iloc[order[len(order) // 2 :][:n]]
    members = train.iloc[rng.choice(len(train), n, replace=False)]
    S, R, M, N = encode(synthetic, reference, members, non_members, standardize=True)
    candidates = np.vstack([M, N])
    truth = np.r_[np.ones(len(M)), np.zeros(len(N))]
    k_ref = min(_K, len(R))
    d_syn = NearestNeighbors(n_neighbors=_K).fit(S).kneighbors(candidates)[0]
    d_ref = NearestNeighbors(n_neighbors=k_ref).fit(R).kneighbors(candidates)[0]
    tiny = np.finfo(np.float64).tiny
    density = np.log(d_ref[:, -1] + tiny) - np.log(d_syn[:, -1] + tiny)
    ranking = {"density_ratio": density, "distance": -d_syn[:, 0]}
    scores = {name: float(roc_auc_score(truth, r)) for name, r in ranking.items()}
    attack = max(scores, key=scores.get)
    member = truth == 1
    interval = auc_interval(
        ranking[attack][member],
        ranking[attack][~member],
        random_state=rng.randint(np.iinfo(np.int32).max),
    )
    return Bunch(
        roc_auc=scores[attack],
        roc_auc_interval=interval,
        attack=attack,
        density_ratio_roc_auc=scores["density_ratio"],
        distance_roc_auc=scores["distance"],
        n_members=len(M),
        n_non_members=len(N),
    )
