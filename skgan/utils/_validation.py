"""Input validation shared by the estimators."""

import os
from numbers import Integral, Real

import numpy as np
import pandas as pd
import torch
from scipy import sparse
from sklearn.utils._param_validation import Interval

from ._threads import effective_n_threads

#: Constraints of the network and training parameters that every estimator
#: exposes under the same names (scikit-learn's ``_parameter_constraints``).
ENGINE_CONSTRAINTS = {
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "latent_dim": [Interval(Integral, 1, None, closed="left")],
    "generator_dims": [tuple, list],
    "discriminator_dims": [tuple, list],
    "generator_lr": [Interval(Real, 0, None, closed="neither")],
    "discriminator_lr": [Interval(Real, 0, None, closed="neither")],
    "random_state": ["random_state"],
    "device": [str, torch.device],
    "verbose": ["verbose"],
    "n_jobs": [Integral, None],
}

#: Constraint of ``epochs`` (passes over the rows), for the estimators that
#: train by passes rather than by a number of updates.
EPOCHS_CONSTRAINT = {"epochs": [Interval(Integral, 1, None, closed="left")]}

#: Constraints of how the generator is kept (weight averaging, snapshot
#: selection), for the estimators that expose them.
KEEP_CONSTRAINTS = {
    "validation_fraction": [Interval(Real, 0, 1, closed="neither"), None],
    "eval_every": [Interval(Integral, 1, None, closed="left")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left"), None],
    "ema_decay": [Interval(Real, 0, 1, closed="neither"), None],
}


def check_numeric_input(X):
    """Reject input that the numeric engine cannot take, with the fix in the message.

    scikit-learn's ``validate_data`` does the rest (NaN, inf, shapes); this
    check runs first so that the most common mistakes get a message that
    names the offending columns.

    Parameters
    ----------
    X : array-like
        The input to check.

    Raises
    ------
    TypeError
        If ``X`` is sparse or has non-numeric columns.
    """
    if sparse.issparse(X) or (
        isinstance(X, pd.DataFrame)
        and any(isinstance(dtype, pd.SparseDtype) for dtype in X.dtypes)
    ):
        raise TypeError(
            "skgan's GAN samplers need dense input but a sparse matrix was passed; "
            "convert it with X.toarray() (or DataFrame.sparse.to_dense())."
        )
    if isinstance(X, pd.DataFrame):
        bad = [
            str(col)
            for col, dtype in X.dtypes.items()
            if not pd.api.types.is_numeric_dtype(dtype)
        ]
        if bad:
            raise TypeError(
                f"X has non-numeric columns {bad}; encode them first, for example "
                "with sklearn.preprocessing.OneHotEncoder or OrdinalEncoder."
            )
    elif isinstance(X, np.ndarray) and X.dtype.kind in "OUS":
        try:
            X.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"X has dtype {X.dtype} with values that are not numbers ({exc}); "
                "pass the table as a pandas DataFrame instead (categorical, "
                "string and boolean columns are then encoded and restored by "
                "the sampler), or encode them first, for example with "
                "sklearn.preprocessing.OneHotEncoder."
            ) from None


def check_widths(name, dims):
    """Hidden layer widths as a tuple, or a ValueError that shows the fix.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    dims : sequence of int
        The widths.

    Returns
    -------
    dims : tuple of int
        The widths.
    """
    dims = tuple(dims)
    if not dims or not all(isinstance(d, Integral) and d > 0 for d in dims):
        raise ValueError(
            f"{name} must be a non-empty tuple of positive integers, for example "
            f"(128, 128); got {dims!r}."
        )
    return dims


def engine_params(estimator):
    """The engine keyword arguments an estimator holds under the shared names.

    Parameters
    ----------
    estimator : BaseEstimator
        A skgan estimator with the parameters of :data:`ENGINE_CONSTRAINTS`
        (and any of ``n_critic``, ``gp_weight``, ``validation_fraction``,
        ``eval_every``, ``n_iter_no_change``, ``ema_decay``).

    Returns
    -------
    params : dict
        Keyword arguments for :class:`~skgan.nn.GANTrainer`, the layer widths
        checked and ``n_jobs`` turned into ``n_threads``; ``epochs``,
        ``device`` and ``seed`` are the caller's.
    """
    params = {
        name: getattr(estimator, name)
        for name in (
            "batch_size",
            "latent_dim",
            "generator_lr",
            "discriminator_lr",
            "n_critic",
            "gp_weight",
            "verbose",
            "validation_fraction",
            "eval_every",
            "n_iter_no_change",
            "ema_decay",
            "max_iter",
        )
        if hasattr(estimator, name)
    }
    params["n_threads"] = effective_n_threads(getattr(estimator, "n_jobs", None))
    params["generator_dims"] = check_widths("generator_dims", estimator.generator_dims)
    params["discriminator_dims"] = check_widths(
        "discriminator_dims", estimator.discriminator_dims
    )
    return params


def _physical_memory():
    """This machine's memory in bytes, or None where it cannot be read."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not Linux
        return None


def check_memory(n_bytes, what, fix):
    """Refuse, before allocating, what cannot fit in this machine's memory.

    Parameters
    ----------
    n_bytes : int
        The estimated size of the allocation.
    what : str
        What asked for it, for the message ("sample(10**9)").
    fix : str
        What to do instead.

    Raises
    ------
    ValueError
        If ``n_bytes`` is more than the machine's physical memory.
    """
    total = _physical_memory()
    if total is not None and n_bytes > total:
        raise ValueError(
            f"{what} needs about {n_bytes / 2**30:,.1f} GiB, more than this "
            f"machine's {total / 2**30:,.1f} GiB of memory; {fix}"
        )
