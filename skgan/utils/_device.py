"""Resolve the ``device`` parameter of every estimator."""

import torch


def resolve_device(device):
    """Turn a ``device`` parameter into a :class:`torch.device`.

    Parameters
    ----------
    device : {"auto", "cpu", "cuda"} or str or torch.device
        ``"auto"`` picks CUDA when it is available and the CPU otherwise. Any
        other value is passed to :class:`torch.device` (for example
        ``"cuda:1"``).

    Returns
    -------
    device : torch.device
        The resolved device.

    Raises
    ------
    ValueError
        If the string is not a device torch knows, or CUDA is asked for on a
        machine without it.

    Examples
    --------
    >>> from skgan.utils import resolve_device
    >>> resolve_device("cpu")
    device(type='cpu')
    """
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a device torch knows; use 'cpu', 'cuda', "
            "'cuda:<index>' or 'auto'."
        ) from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available on this "
            "machine; use device='cpu' or device='auto'."
        )
    return resolved
