"""The training budget that follows the data: passes over the rows, within bounds."""

import math


def auto_max_iter(n_rows, batch_size, *, passes, floor, cap=None, n_columns=None):
    """Generator updates for ``passes`` passes over ``n_rows`` rows, within bounds.

    A small class needs a minimum number of updates whatever its size (a GAN
    learns little in a few dozen), a large one needs updates in proportion to
    its rows (a fixed budget shows each row too few times), and the cost must
    stay bounded on the largest: ``clip(ceil(passes * n_rows / batch_size),
    floor, cap)`` updates, so that about ``passes * n_rows`` rows are drawn
    into batches. A class with fewer rows than columns is under-determined:
    more passes over it teach the generator its rows rather than their
    distribution, so the passes shrink by ``n_rows / n_columns`` there.

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
    n_columns : int or None, default=None
        Columns the generator writes (the width of a row as the networks see
        it); None: the width does not count.

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
    >>> auto_max_iter(1000, 128, passes=100, floor=150, cap=3000, n_columns=4000)
    196
    """
    if n_columns:
        passes = passes * min(1.0, n_rows / n_columns)
    updates = max(floor, math.ceil(passes * n_rows / batch_size))
    return int(updates if cap is None else min(updates, cap))
