"""Real-vs-synthetic detection: can a classifier tell the rows apart?"""

import numpy as np
from sklearn.base import clone
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch, check_random_state
from xgboost import XGBClassifier

from ._tables import as_frames, encode


def detector(random_state=0, *, n_estimators=300, max_depth=4):
    """The XGBoost classifier of the detection protocol.

    Parameters
    ----------
    random_state : int, default=0
        Seed of the classifier.
    n_estimators : int, default=300
        Number of trees.
    max_depth : int, default=4
        Depth of each tree.

    Returns
    -------
    classifier : xgboost.XGBClassifier
        Unfitted, single-threaded, with the histogram tree method.
    """
    return XGBClassifier(
        n_estimators=n_estimators,
        max_depth=max_depth,
        learning_rate=0.1,
        tree_method="hist",
        n_jobs=1,
        random_state=random_state,
    )


def detection_score(
    real, synthetic, *, holdout=None, estimator=None, test_size=0.5, random_state=0
):
    """How well a classifier tells real rows from synthetic ones (0.5 is ideal).

    Protocol 2 of the benchmarks: a classifier (XGBoost by default) learns to
    separate real rows (label 1) from synthetic rows (label 0) and is scored
    on real and synthetic rows it has not seen. An accuracy of 0.5 means the
    synthetic rows cannot be told apart; 1.0 means they are trivially fake.
    This is SDMetrics' ``LogisticDetection`` idea with a stronger classifier
    and reported the other way round (SDMetrics reports ``1 - ROC-AUC``-based
    scores where 1 is best).

    Near-copies of training rows also fool the detector: report
    :func:`dcr_ratio` beside it.

    Parameters
    ----------
    real : array-like or DataFrame of shape (n_real, n_features)
        Real rows. With ``holdout``, these are the rows the generator was
        trained on (A in the protocol); without it, they are split into a
        training and a test part.
    synthetic : array-like or DataFrame of shape (n_synthetic, n_features)
        Synthetic rows, never seen by the classifier before. The classes are
        balanced by subsampling whichever side is larger: with fewer
        synthetic rows than real ones (``real`` plus ``holdout``), the real
        rows are subsampled, training and test parts in proportion.
    holdout : array-like or DataFrame of shape (n_holdout, n_features), default=None
        Real rows the generator never saw (B in the protocol): the real part
        of the test set. The synthetic rows are then split in the same
        proportion as ``real`` and ``holdout``: the first ``n_real`` train
        the detector, the next ``n_holdout`` test it.
    estimator : classifier, default=None
        The detector; ``XGBClassifier(n_estimators=300, max_depth=4,
        learning_rate=0.1, tree_method="hist", n_jobs=1)`` when None.
    test_size : float, default=0.5
        Fraction of the rows tested on when ``holdout`` is None.
    random_state : int, RandomState instance or None, default=0
        Seeds the splits and the default detector.

    Returns
    -------
    result : Bunch
        ``accuracy`` (0.5 is ideal) and ``roc_auc`` (0.5 is ideal) on the test
        rows, and ``n_train`` and ``n_test``, the number of rows of each class
        in the training and test sets.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import detection_score
    >>> rng = np.random.RandomState(0)
    >>> real = rng.randn(400, 3)
    >>> round(detection_score(real, rng.randn(400, 3)).accuracy, 1)
    0.5
    >>> detection_score(real, rng.randn(400, 3) + 3).accuracy > 0.95
    True
    """
    real, synthetic, holdout = as_frames(
        real, synthetic, holdout, names=["real", "synthetic", "holdout"]
    )
    rng = check_random_state(random_state)
    if holdout is None:
        if len(real) < 4:
            raise ValueError(
                f"detection_score needs at least 4 real rows to split; got {len(real)}."
            )
        train_idx, test_idx = train_test_split(
            np.arange(len(real)), test_size=test_size, random_state=rng
        )
        real_train, real_test = real.iloc[train_idx], real.iloc[test_idx]
    else:
        real_train, real_test = real, holdout
    n_train, n_test = len(real_train), len(real_test)
    if len(synthetic) < n_train + n_test:
        # Balanced classes from fewer synthetic rows: subsample the real rows,
        # training and test parts in their proportion.
        n_train = len(synthetic) * n_train // (n_train + n_test)
        n_test = len(synthetic) - n_train
        if n_train < 2 or n_test < 1:
            raise ValueError(
                f"detection_score needs at least 3 synthetic rows; got "
                f"{len(synthetic)}. Sample more rows."
            )
        real_train = real_train.iloc[
            np.sort(rng.choice(len(real_train), n_train, replace=False))
        ]
        real_test = real_test.iloc[
            np.sort(rng.choice(len(real_test), n_test, replace=False))
        ]
    # Synthetic rows are independent draws: the first ones train, the next test.
    syn_train = synthetic.iloc[:n_train]
    syn_test = synthetic.iloc[n_train : n_train + n_test]
    A, S1, B, S2 = encode(real_train, syn_train, real_test, syn_test)
    if estimator is None:
        seed = random_state if isinstance(random_state, int) else None
        if seed is None:
            seed = rng.randint(np.iinfo(np.int32).max)
        estimator = detector(seed)
    clf = clone(estimator).fit(
        np.vstack([A, S1]), np.r_[np.ones(n_train), np.zeros(n_train)]
    )
    y_test = np.r_[np.ones(n_test), np.zeros(n_test)]
    proba = clf.predict_proba(np.vstack([B, S2]))[:, 1]
    return Bunch(
        accuracy=float(accuracy_score(y_test, proba > 0.5)),
        roc_auc=float(roc_auc_score(y_test, proba)),
        n_train=n_train,
        n_test=n_test,
    )
