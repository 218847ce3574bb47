"""Utility: is the synthetic data useful to train a model?"""

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import get_scorer


def train_synthetic_test_real(
    estimator,
    X_synthetic,
    y_synthetic,
    X_test,
    y_test,
    *,
    X_train=None,
    y_train=None,
    scoring="accuracy",
):
    """Train on synthetic data, test on real data (TSTR), against train-on-real.

    Parameters
    ----------
    estimator : estimator
        Any scikit-learn estimator; cloned for each fit.
    X_synthetic, y_synthetic : array-like
        Synthetic rows and their targets.
    X_test, y_test : array-like
        Real rows never used to train the generator.
    X_train, y_train : array-like, default=None
        The real training rows (the generator's training data), for the
        train-on-real reference.
    scoring : str or callable, default="accuracy"
        A scikit-learn scorer name or callable ``scorer(estimator, X, y)``.

    Returns
    -------
    scores : dict
        ``synthetic`` (TSTR score), and with ``X_train``: ``real`` (train on
        real, test on real) and ``ratio`` (synthetic over real; 1 is ideal).

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skgan.metrics import train_synthetic_test_real
    >>> X, y = make_classification(n_samples=600, random_state=0)
    >>> scores = train_synthetic_test_real(
    ...     LogisticRegression(), X[:200], y[:200], X[400:], y[400:],
    ...     X_train=X[200:400], y_train=y[200:400])
    >>> round(scores["ratio"], 1)
    1.0
    """
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    model = clone(estimator).fit(X_synthetic, y_synthetic)
    scores = {"synthetic": float(scorer(model, X_test, y_test))}
    if X_train is not None:
        if y_train is None:
            raise ValueError("y_train is required with X_train.")
        reference = clone(estimator).fit(X_train, y_train)
        scores["real"] = float(scorer(reference, X_test, y_test))
        scores["ratio"] = (
            scores["synthetic"] / scores["real"] if scores["real"] else float("nan")
        )
    return scores


def augmentation_curve(
    estimator,
    X_train,
    y_train,
    X_test,
    y_test,
    added,
    *,
    n_added,
    label=1,
    scoring="recall",
):
    """A test score against the number of rows added to the training data.

    The experiment of the credit-card-fraud study: add more and more rows of
    one class (``label``) from several sources (for example real rows held
    back, rows of a trained generator, and rows of an untrained generator as
    the control) to the same training data and score the model on the same
    real test rows each time.

    Parameters
    ----------
    estimator : estimator
        Any scikit-learn classifier; cloned for each fit.
    X_train, y_train : array-like
        The training data the rows are added to.
    X_test, y_test : array-like
        Real test rows.
    added : dict of str to array-like
        Candidate rows per source, in the order they are added; each needs at
        least ``max(n_added)`` rows.
    n_added : sequence of int
        Numbers of rows to add (0 gives the baseline without added rows).
    label : int or str, default=1
        The class of the added rows.
    scoring : str or callable, default="recall"
        A scikit-learn scorer name or callable.

    Returns
    -------
    curve : DataFrame
        Columns ``source``, ``n_added`` and ``score``.
    """
    scorer = get_scorer(scoring) if isinstance(scoring, str) else scoring
    X_train = np.asarray(X_train)
    y_train = np.asarray(y_train)
    n_added = [int(n) for n in n_added]
    if any(n < 0 for n in n_added):
        raise ValueError(f"n_added must be non-negative; got {n_added}.")
    rows = []
    for source, pool in added.items():
        pool = np.asarray(pool)
        if len(pool) < max(n_added, default=0):
            raise ValueError(
                f"added[{source!r}] has {len(pool)} rows but n_added asks for "
                f"{max(n_added)}; pass more rows or smaller n_added."
            )
        for n in n_added:
            X = np.vstack([X_train, pool[:n]])
            y = np.r_[y_train, np.full(n, label, dtype=y_train.dtype)]
            model = clone(estimator).fit(X, y)
            rows.append(
                {
                    "source": source,
                    "n_added": n,
                    "score": float(scorer(model, X_test, y_test)),
                }
            )
    return pd.DataFrame(rows)
