"""Torch's intra-op threads, chosen per call and restored afterwards."""

import functools
import os
from contextlib import contextmanager
from numbers import Integral

import torch


def effective_n_threads(n_jobs):
    """Threads for ``n_jobs``, by scikit-learn's convention.

    Parameters
    ----------
    n_jobs : int or None
        None means 1; a negative value counts back from the number of CPUs
        (-1 is all of them, -2 all but one).

    Returns
    -------
    n_threads : int
        At least 1.
    """
    if n_jobs is None:
        return 1
    if not isinstance(n_jobs, Integral) or n_jobs == 0:
        raise ValueError(
            f"n_jobs must be a non-zero integer or None; got {n_jobs!r}. "
            "Use None or 1 for one thread, -1 for every CPU."
        )
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + int(n_jobs))
    return int(n_jobs)


@contextmanager
def torch_threads(n_threads):
    """Run the block with torch on ``n_threads`` intra-op threads.

    The caller's setting comes back when the block exits, even on an error.
    Small networks gain little from more threads, and torch's thread pool
    spins at its barriers: with another process busy on one of the cores, a
    two-thread fit waits for the descheduled thread at every operation and
    runs several times slower than on one thread.

    Parameters
    ----------
    n_threads : int
        Intra-op threads (see :func:`torch.set_num_threads`).

    Yields
    ------
    n_threads : int
        The setting in force inside the block.
    """
    previous = torch.get_num_threads()
    if previous != n_threads:
        torch.set_num_threads(n_threads)
    try:
        yield n_threads
    finally:
        if torch.get_num_threads() != previous:
            torch.set_num_threads(previous)


def threaded(method):
    """Run a method on ``self.n_threads`` torch threads (:func:`torch_threads`).

    Objects pickled before they had ``n_threads`` run on one thread.
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with torch_threads(getattr(self, "n_threads", 1)):
            return method(self, *args, **kwargs)

    return wrapper
