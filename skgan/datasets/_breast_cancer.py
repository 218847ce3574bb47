"""An imbalanced version of scikit-learn's bundled breast-cancer data."""

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.utils import check_random_state


def load_imbalanced_breast_cancer(
    *, minority_ratio=0.1, random_state=0, as_frame=False
):
    """Breast-cancer data with the malignant class cut to a share of the benign.

    The data ships with scikit-learn, so demos and tests need no download.
    Malignant tumours (the minority, labelled 1) are subsampled to
    ``minority_ratio`` times the number of benign ones (labelled 0).

    Parameters
    ----------
    minority_ratio : float, default=0.1
        Malignant rows kept per benign row.
    random_state : int, RandomState instance or None, default=0
        Which malignant rows are kept.
    as_frame : bool, default=False
        Return a DataFrame and a Series instead of arrays.

    Returns
    -------
    X : ndarray or DataFrame of shape (n_samples, 30)
        Features.
    y : ndarray or Series of shape (n_samples,)
        1 for malignant, 0 for benign.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.datasets import load_imbalanced_breast_cancer
    >>> X, y = load_imbalanced_breast_cancer()
    >>> X.shape, np.bincount(y).tolist()
    ((393, 30), [357, 36])
    """
    data = load_breast_cancer(as_frame=as_frame)
    # scikit-learn labels malignant 0; the minority is labelled 1 here.
    y = 1 - np.asarray(data.target)
    benign = np.flatnonzero(y == 0)
    malignant = np.flatnonzero(y == 1)
    rng = check_random_state(random_state)
    n_keep = max(2, int(round(minority_ratio * len(benign))))
    keep = np.sort(
        np.concatenate([benign, rng.choice(malignant, n_keep, replace=False)])
    )
    if as_frame:
        X = data.data.iloc[keep].reset_index(drop=True)
        return X, data.target.iloc[keep].rsub(1).rename("malignant").reset_index(
            drop=True
        )
    return data.data[keep], y[keep]
