"""The training budget that follows the data: passes over the rows, within bounds."""

import math


def auto_max_iter(n_rows, batch_size, *, passes, floor, cap=None):
    """Generator updates for ``passes`` passes over ``n_rows`` rows, within bounds.

    A small class needs a minimum number of updates whatever its size (a GAN
    learns little in a few dozen), a large one needs updates in proportion to
    its rows (a fixed budget shows each row too few times), and the cost must
    stay bounded on the largest: ``clip(ceil(passes * n_rows / batch_size),
    floor, cap)`` updates, so that about ``passes * n_rows`` rows are drawn
    into batches.

    Parameters
    ----------
    n_rows : int
        Rows that make one pass (the class to learn).
    batch_size : int
        Rows per update.
    passes : float
        Passes over the rows.
    floor : int
        The fewest updates.
    cap : int or None, default=None
        The most updates; None leaves the number unbounded.

    Returns
    -------
    max_iter : int
        Generator updates.

    Examples
    --------
    >>> from skgan.nn._budget import auto_max_iter
    >>> auto_max_iter(50, 128, passes=100, floor=150, cap=3000)
    150
    >>> auto_max_iter(1000, 128, passes=100, floor=150, cap=3000)
    782
    >>> auto_max_iter(10**6, 128, passes=100, floor=150, cap=3000)
    3000
    """
    updates = max(floor, math.ceil(passes * n_rows / batch_size))
    return int(updates if cap is None else min(updates, cap))
