"""Measures of synthetic windows of a series: TimeGAN's protocol and more."""

import numbers

import numpy as np
import torch
from sklearn.utils import check_random_state
from tqdm.auto import tqdm

from ..utils._windows import from_long_frame, is_long_frame
from ._detection import detection_score


def _check_windows(name, windows, like=None):
    if is_long_frame(windows):
        # As GANSeriesSynthesizer answers a model fitted on a DataFrame.
        windows = from_long_frame(windows, name)[0]
    values = np.asarray(windows, dtype=np.float32)
    if values.ndim != 3:
        raise ValueError(
            f"{name} must be windows of shape (n_windows, window_length, "
            f"n_features); got shape {values.shape}."
        )
    if not np.isfinite(values).all():
        raise ValueError(f"{name} contains NaN or infinity.")
    if like is not None and values.shape[1:] != like.shape[1:]:
        raise ValueError(
            f"{name} has windows of shape {values.shape[1:]}, the real ones "
            f"{like.shape[1:]}; compare windows of the same shape."
        )
    return values


class _GRUHead(torch.nn.Module):
    def __init__(self, n_features, hidden, out_dim):
        super().__init__()
        self.gru = torch.nn.GRU(n_features, hidden, batch_first=True)
        self.head = torch.nn.Linear(hidden, out_dim)

    def forward(self, x):
        out, last = self.gru(x)
        return out, last[-1]


def check_updates(name, value):
    """Refuse a number of updates that would leave a judge untrained.

    An untrained GRU reports the ideal (a discriminative score of 0), so 0 or
    a negative number must not pass silently.

    Parameters
    ----------
    name : str
        The parameter, for the message.
    value : int
        Its value.

    Raises
    ------
    TypeError
        If ``value`` is not an integer.
    ValueError
        If ``value`` is below 1.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer; got {value!r}.")
    if value < 1:
        raise ValueError(
            f"{name} must be at least 1; got {value}. An untrained judge reports "
            "the ideal score whatever the data: pass the protocol's default or "
            "a few hundred updates."
        )


def _train(model, loss_of, n_rows, batch_size, max_iter, seed, progress=None):
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    updates = tqdm(
        range(max_iter),
        desc=progress,
        unit="updates",
        disable=progress is None,
        leave=False,
    )
    for _ in updates:
        idx = torch.randint(n_rows, (min(batch_size, n_rows),), generator=generator)
        optimizer.zero_grad()
        loss_of(idx).backward()
        optimizer.step()


def discriminative_score(
    real, synthetic, *, max_iter=2000, random_state=0, verbose=False
):
    """TimeGAN's discriminative score: how well a small GRU tells real windows.

    A one-layer GRU (hidden size half the number of channels, at least 2)
    learns real (1) against synthetic (0) windows on 80% of each, and is
    tested on the rest; the score is ``|accuracy - 0.5|`` (0 is ideal, 0.5
    trivially fake). This is the field's reference judge (Yoon, Jarrett &
    van der Schaar, NeurIPS 2019), but a weak one: a VAR(2) model scores
    about 0.02 on Stocks while gradient boosting on the windows and their
    differences tells it apart almost always (see
    :func:`window_detection_score`).

    Parameters
    ----------
    real, synthetic : array-like of shape (n_windows, window_length, n_features)
        Windows, scaled as the protocol says (each channel min-max scaled).
    max_iter : int, default=2000
        Updates of the GRU (batches of 128), as in TimeGAN.
    random_state : int, default=0
        Seeds the split and the GRU.
    verbose : bool, default=False
        Show a progress bar of the GRU's updates.

    Returns
    -------
    score : float
        ``|accuracy - 0.5|`` on the held-out windows.
    """
    check_updates("max_iter", max_iter)
    real = _check_windows("real", real)
    synthetic = _check_windows("synthetic", synthetic, real)
    rng = check_random_state(random_state)
    n = min(len(real), len(synthetic))
    real = real[rng.permutation(len(real))[:n]]
    synthetic = synthetic[rng.permutation(len(synthetic))[:n]]
    cut = int(0.8 * n)
    X_train = torch.as_tensor(np.r_[real[:cut], synthetic[:cut]])
    y_train = torch.cat([torch.ones(cut), torch.zeros(cut)])
    X_test = torch.as_tensor(np.r_[real[cut:], synthetic[cut:]])
    y_test = np.r_[np.ones(n - cut), np.zeros(n - cut)]
    seed = int(rng.randint(2**31 - 1))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = _GRUHead(real.shape[2], max(2, real.shape[2] // 2), 1)

    def loss_of(idx):
        logit = model.head(model(X_train[idx])[1]).squeeze(1)
        return torch.nn.functional.binary_cross_entropy_with_logits(logit, y_train[idx])

    _train(
        model,
        loss_of,
        len(X_train),
        128,
        max_iter,
        seed,
        "discriminative GRU" if verbose else None,
    )
    with torch.no_grad():
        predicted = (model.head(model(X_test)[1]).squeeze(1) > 0).numpy()
    return float(abs(np.mean(predicted == y_test) - 0.5))


def shuffled_steps(windows, random_state=0):
    """The windows with the order of their steps shuffled, each on its own.

    The control of :func:`discriminative_score`: the same values, no
    temporal structure; a judge that cannot tell real windows from these
    has learnt nothing, and its score on synthetic windows means nothing.

    Parameters
    ----------
    windows : array-like of shape (n_windows, window_length, n_features)
    random_state : int, default=0

    Returns
    -------
    shuffled : ndarray of the same shape
    """
    windows = np.asarray(windows)
    rng = check_random_state(random_state)
    order = np.argsort(rng.rand(*windows.shape[:2]), axis=1)
    return np.take_along_axis(windows, order[:, :, None], axis=1)


def predictive_score(real, synthetic, *, max_iter=5000, random_state=0, verbose=False):
    """TimeGAN's predictive score: train on synthetic, predict real next steps.

    A one-layer GRU learns, on the synthetic windows, to predict the last
    channel at each next step from the other channels up to the step
    before; the score is its mean absolute error on the real windows (lower
    is better; compare with the same GRU trained on real windows).

    Parameters
    ----------
    real, synthetic : array-like of shape (n_windows, window_length, n_features)
        Windows, each channel min-max scaled as the protocol says; at least
        2 channels.
    max_iter : int, default=5000
        Updates of the GRU (batches of 128), as in TimeGAN.
    random_state : int, default=0
        Seeds the GRU.
    verbose : bool, default=False
        Show a progress bar of the GRU's updates.

    Returns
    -------
    mae : float
        Mean absolute error on the real windows.
    """
    check_updates("max_iter", max_iter)
    real = _check_windows("real", real)
    synthetic = _check_windows("synthetic", synthetic, real)
    if real.shape[2] < 2:
        raise ValueError("predictive_score needs at least 2 channels.")
    d = real.shape[2]
    X_train = torch.as_tensor(synthetic[:, :-1, : d - 1])
    y_train = torch.as_tensor(synthetic[:, 1:, d - 1 :])
    seed = int(check_random_state(random_state).randint(2**31 - 1))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = _GRUHead(d - 1, max(2, d // 2), 1)

    def loss_of(idx):
        out = torch.sigmoid(model.head(model(X_train[idx])[0]))
        return torch.nn.functional.l1_loss(out, y_train[idx])

    _train(
        model,
        loss_of,
        len(X_train),
        128,
        max_iter,
        seed,
        "predictive GRU" if verbose else None,
    )
    with torch.no_grad():
        out = torch.sigmoid(
            model.head(model(torch.as_tensor(real[:, :-1, : d - 1]))[0])
        )
    return float(np.mean(np.abs(out.numpy() - real[:, 1:, d - 1 :])))


def autocorrelation_distance(real, synthetic, *, max_lag=10):
    """Mean absolute difference of the channels' autocorrelations (lags 1 to 10).

    Each window's channels are centred within the window; the
    autocorrelation at each lag is averaged over the windows.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_windows, window_length, n_features)
        Windows.
    max_lag : int, default=10
        Largest lag (capped at ``window_length - 1``).

    Returns
    -------
    distance : float
        0 is ideal.
    """
    real = _check_windows("real", real)
    synthetic = _check_windows("synthetic", synthetic, real)
    lags = range(1, min(max_lag, real.shape[1] - 1) + 1)
    return float(np.mean(np.abs(_acf(real, lags) - _acf(synthetic, lags))))


def _acf(windows, lags):
    x = windows - windows.mean(axis=1, keepdims=True)
    var = (x**2).sum(axis=1)
    var[var == 0] = 1.0
    return np.array(
        [((x[:, k:] * x[:, :-k]).sum(axis=1) / var).mean(axis=0) for k in lags]
    )


def cross_correlation_distance(real, synthetic):
    """Mean absolute difference of the correlations between channels.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_windows, window_length, n_features)
        Windows; the correlations are over all their time steps.

    Returns
    -------
    distance : float
        0 is ideal (0 with a single channel).
    """
    real = _check_windows("real", real)
    synthetic = _check_windows("synthetic", synthetic, real)
    if real.shape[2] < 2:
        return 0.0
    a = np.corrcoef(real.reshape(-1, real.shape[2]), rowvar=False)
    b = np.corrcoef(synthetic.reshape(-1, real.shape[2]), rowvar=False)
    upper = np.triu_indices(real.shape[2], 1)
    return float(np.nanmean(np.abs(a[upper] - b[upper])))


def window_detection_score(real, synthetic, *, holdout=None, random_state=0):
    """Protocol 2's XGBoost detector on windows and their first differences.

    The windows are flattened, with their step-to-step differences beside
    them, and :func:`detection_score` is applied: 0.5 means real and
    synthetic windows cannot be told apart. Far stricter than the GRU of
    :func:`discriminative_score`.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_windows, window_length, n_features)
        Windows.
    holdout : array-like of shape (n_holdout, window_length, n_features), default=None
        Real windows the generator never saw, the real test rows.
    random_state : int, default=0
        Seeds the split and the detector.

    Returns
    -------
    result : Bunch
        As :func:`detection_score` (``accuracy``, ``roc_auc``, ...).
    """
    real = _check_windows("real", real)
    synthetic = _check_windows("synthetic", synthetic, real)
    if holdout is not None:
        holdout = _check_windows("holdout", holdout, real)

    def features(w):
        return np.c_[w.reshape(len(w), -1), np.diff(w, axis=1).reshape(len(w), -1)]

    return detection_score(
        features(real),
        features(synthetic),
        holdout=None if holdout is None else features(holdout),
        random_state=random_state,
    )
