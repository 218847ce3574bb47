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


class PrivacyRiskError(ValueError):
    """Raised when an export is refused because samples copy training rows.

    See :meth:`skgan.GANSynthesizer.export_generator` with
    ``on_privacy_risk="raise"``.

    Examples
    --------
    >>> from skgan.exceptions import PrivacyRiskError
    >>> issubclass(PrivacyRiskError, ValueError)
    True
    """


class PrivacyRiskWarning(UserWarning):
    """Warned when an exported generator's samples copy, or sit close to, training rows.

    Examples
    --------
    >>> from skgan.exceptions import PrivacyRiskWarning
    >>> issubclass(PrivacyRiskWarning, UserWarning)
    True
    """
