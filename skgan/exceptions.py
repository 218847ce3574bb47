"""Exceptions raised by skgan."""


class TrainingDivergedError(ValueError):
    """Raised when GAN training produces non-finite losses or samples.

    It subclasses :class:`ValueError` so that model selection tools treat a
    diverging parameter setting like any other invalid fit.

    Examples
    --------
    >>> from skgan.exceptions import TrainingDivergedError
    >>> issubclass(TrainingDivergedError, ValueError)
    True
    """
