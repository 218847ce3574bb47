"""Random state handling: one integer seed feeds a local torch generator."""

import numpy as np
import torch
from sklearn.utils import check_random_state


def draw_seed(random_state):
    """Draw one integer seed from a scikit-learn ``random_state``.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        As everywhere in scikit-learn.

    Returns
    -------
    seed : int
        A seed in ``[0, 2**31 - 1)``.

    Examples
    --------
    >>> from skgan.utils import draw_seed
    >>> draw_seed(0) == draw_seed(0)
    True
    """
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def make_torch_generator(seed, device):
    """Create a local :class:`torch.Generator` on ``device`` seeded with ``seed``.

    Global random number generators (``torch.manual_seed``, ``np.random.seed``)
    are never touched: every draw of the engine goes through this generator.

    Parameters
    ----------
    seed : int
        The seed, typically from :func:`draw_seed`.
    device : torch.device
        Where the generator lives; random tensors are created there.

    Returns
    -------
    generator : torch.Generator
        A seeded generator.
    """
    generator = torch.Generator(device=device)
    generator.manual_seed(seed)
    return generator
