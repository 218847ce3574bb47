"""Denormal floats flushed to zero on the CPU while a network trains."""

from contextlib import contextmanager

import torch

#: Below float32's smallest normal number (about 1.2e-38): a denormal.
_DENORMAL = 1e-40


def _flushing():
    """Whether this thread flushes denormals to zero now."""
    return float(torch.tensor(_DENORMAL) * 1.0) == 0.0


@contextmanager
def flushed_denormals():
    """Run the block with denormal floats flushed to zero on the CPU.

    As a generator grows confident, its Gumbel-softmax outputs at temperature
    0.2 put some values below float32's smallest normal number: denormals,
    which the CPU handles in microcode, many times slower, and which flow on
    through the backward pass. A training pass of the Default table slowed
    from 1.02 s to 2.30 s over 30 passes; flushed, each takes 1.02 s
    (``benchmarks/results/denormals_2026-12-02.md``; a ``/tmp`` count found
    denormals in the activated outputs but none in Adam's moments or the
    weights).
    The setting is the calling thread's; it is restored when the block
    exits, even on an error, and left alone where the caller flushes already
    or the CPU cannot.

    Examples
    --------
    >>> import torch
    >>> from skgan.utils._denormals import flushed_denormals
    >>> with flushed_denormals():
    ...     inside = float(torch.tensor(1e-40) * 1.0)
    >>> inside, float(torch.tensor(1e-40) * 1.0) > 0
    (0.0, True)
    """
    changed = not _flushing() and torch.set_flush_denormal(True)
    try:
        yield
    finally:
        if changed:
            torch.set_flush_denormal(False)
