"""make_windows: cut a (multivariate) series into overlapping windows."""

from numbers import Integral

import numpy as np


def make_windows(series, window_length, *, step=1):
    """Cut a (multivariate) series into overlapping windows.

    Parameters
    ----------
    series : array-like of shape (n_steps,) or (n_steps, n_features)
        The series, oldest first.
    window_length : int
        Time steps per window.
    step : int, default=1
        Time steps between the starts of two windows.

    Returns
    -------
    windows : ndarray of shape (n_windows, window_length, n_features)
        ``windows[i]`` is ``series[i * step : i * step + window_length]``.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.anomaly import make_windows
    >>> make_windows(np.arange(6.0), 3, step=2)[:, :, 0]
    array([[0., 1., 2.],
           [2., 3., 4.]])
    """
    values = np.asarray(series, dtype=np.float64)
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(
            "series must be 1-D or 2-D (n_steps, n_features); got shape "
            f"{values.shape}."
        )
    if not (isinstance(window_length, Integral) and 1 <= window_length <= len(values)):
        raise ValueError(
            f"window_length must be an integer between 1 and the series length "
            f"{len(values)}; got {window_length!r}."
        )
    if not (isinstance(step, Integral) and step >= 1):
        raise ValueError(f"step must be a positive integer; got {step!r}.")
    view = np.lib.stride_tricks.sliding_window_view(values, window_length, axis=0)
    return np.ascontiguousarray(view[::step].transpose(0, 2, 1))
