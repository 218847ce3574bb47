"""Shared docstring fragments, written once and substituted."""

#: ``n_jobs`` of the estimators that fit, sample or score with the engine.
N_JOBS_DOC = """n_jobs : int or None, default=None
        Torch threads while fitting, sampling and scoring (scikit-learn's
        convention: None means 1, -1 every CPU); the caller's setting is
        restored afterwards. These networks are small: one thread is the
        fastest on a laptop, never slows down when other work shares the
        cores, and gives the same result in a joblib worker (for example
        under ``GridSearchCV(n_jobs=2)``) as in the parent process. The
        arithmetic, so the result of a seed, depends on the number of
        threads."""


def fill_doc(**fragments):
    """Substitute ``%(name)s`` placeholders of a docstring with shared text.

    imbalanced-learn's ``Substitution`` uses ``str.format``, which clashes with
    the braces of numpydoc value sets such as ``{"gan", "wgan-gp"}``; printf
    style placeholders do not.

    Parameters
    ----------
    **fragments : str
        Placeholder name to text.

    Returns
    -------
    decorator : callable
        Decorator that fills the docstring of a class or function.
    """

    def decorate(obj):
        if obj.__doc__:
            obj.__doc__ = obj.__doc__ % fragments
        return obj

    return decorate
