"""Windows of a series as a long table: a row per time step of each window."""

import numpy as np
import pandas as pd

#: The columns that place a row in its window.
INDEX = ("window", "step")


def is_long_frame(X):
    """Whether ``X`` is windows as a long table (``window``, ``step``, channels)."""
    return isinstance(X, pd.DataFrame) and set(INDEX) <= set(map(str, X.columns))


def from_long_frame(frame, name="X"):
    """Windows of shape (n_windows, window_length, n_channels) from a long table.

    Parameters
    ----------
    frame : DataFrame
        A row per step: ``window``, ``step`` and one numeric column per
        channel, every window with the same steps.
    name : str, default="X"
        How the messages call it.

    Returns
    -------
    windows : ndarray of shape (n_windows, window_length, n_channels)
    channels : list of str
    """
    channels = [c for c in map(str, frame.columns) if c not in INDEX]
    ordered = frame.sort_values(list(INDEX), kind="stable")
    lengths = ordered.groupby("window").size()
    if lengths.nunique() != 1:
        raise ValueError(
            f"{name}'s windows must all have the same number of steps; got "
            f"{sorted(lengths.unique().tolist())[:5]}."
        )
    values = ordered[channels].to_numpy(dtype=float)
    return values.reshape(len(lengths), int(lengths.iloc[0]), len(channels)), channels


def to_long_frame(windows, channels, dtypes=None):
    """A long table (``window``, ``step``, channels) of windows.

    Parameters
    ----------
    windows : ndarray of shape (n_windows, window_length, n_channels)
    channels : list of str
        The channels' names.
    dtypes : list of str, default=None
        Each channel's dtype (integers stay integers).

    Returns
    -------
    frame : DataFrame
    """
    n, length, width = windows.shape
    frame = pd.DataFrame(windows.reshape(n * length, width), columns=list(channels))
    if dtypes is not None:
        frame = frame.astype(dict(zip(channels, dtypes, strict=True)))
    frame.insert(0, "step", np.tile(np.arange(length), n))
    frame.insert(0, "window", np.repeat(np.arange(n), length))
    return frame
